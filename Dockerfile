# syntax=docker/dockerfile:1
# Build: the dependencies (most of the build time) get a layer of their own, built against
# stub sources from the manifest and lock file alone, so that a change to the sources
# rebuilds only the crate. The models and lexicons are compiled into the binary, so the
# final image holds nothing but the stripped binary and its default config.
FROM rust:1.89-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
# Every target the manifest names must exist; stubs stand in for them here.
RUN mkdir -p src benches \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && echo 'fn main() {}' > benches/pipeline.rs \
    && cargo build --release --locked --bin news-enricher \
    && rm -rf src
COPY src src
COPY config config
COPY models models
COPY tests/data tests/data
# touch: the real sources may be older than the stub build, and cargo goes by timestamps.
# The debug info is split off into news-enricher.debug (see the debuginfo stage) and the
# shipped binary is stripped, with a debug link to it for debuggers and symbolizers.
RUN touch src/lib.rs src/main.rs \
    && cargo build --release --locked --bin news-enricher \
    && objcopy --only-keep-debug target/release/news-enricher /news-enricher.debug \
    && objcopy --strip-all --add-gnu-debuglink=/news-enricher.debug \
        target/release/news-enricher /news-enricher

# `docker build --target debuginfo --output type=local,dest=. .` writes news-enricher.debug.
FROM scratch AS debuginfo
COPY --from=build /news-enricher.debug /

# Run: distroless with glibc, CA certificates (for amqps://) and a non-root user; no shell.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /news-enricher /usr/local/bin/news-enricher
COPY --from=build /src/config/default.toml /etc/news-enricher/default.toml
# 65532 is distroless's "nonroot" user.
USER 65532:65532
# 9090: the worker's /healthz, /readyz, /metrics. 8080: `serve --listen 0.0.0.0:8080`.
EXPOSE 9090 8080
ENV NEWS_ENRICHER__HTTP__LISTEN=0.0.0.0:9090
ENTRYPOINT ["/usr/local/bin/news-enricher"]
CMD ["run"]
