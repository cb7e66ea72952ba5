# syntax=docker/dockerfile:1
# Build: the models and lexicons are compiled into the binary, so the final image holds
# nothing but the binary and its default config.
FROM rust:1.89-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin news-enricher \
    && cp target/release/news-enricher /news-enricher

# Run: distroless with glibc, CA certificates (for amqps://) and a non-root user; no shell.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /news-enricher /usr/local/bin/news-enricher
COPY --from=build /src/config/default.toml /etc/news-enricher/default.toml
# 65532 is distroless's "nonroot" user.
USER 65532:65532
EXPOSE 9090
ENV NEWS_ENRICHER__HTTP__LISTEN=0.0.0.0:9090
ENTRYPOINT ["/usr/local/bin/news-enricher"]
CMD ["run"]
