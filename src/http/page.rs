//! The page (`GET /`): paste a title and a body, or load the sample, and see the article as
//! [`crate::render`] draws it. HTML, CSS and JavaScript are compiled into the binary and
//! served from this origin only; the Content-Security-Policy forbids inline scripts, inline
//! event handlers and every other origin, so even markup that slipped through could not run.

use crate::render;
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::LazyLock;

const PAGE_HTML: &str = include_str!("assets/page.html");
const PAGE_JS: &str = include_str!("assets/page.js");

/// Where page.html takes the legend the `render` output shows too.
const LEGEND_SLOT: &str = "<!-- legend -->";

/// Same origin only; no inline script or style, no plugins, no framing, no form posts.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

static PAGE: LazyLock<String> = LazyLock::new(|| PAGE_HTML.replace(LEGEND_SLOT, render::LEGEND));

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(|| async { Html(PAGE.as_str()) }))
        .route(
            "/assets/style.css",
            get(|| async { asset("text/css; charset=utf-8", render::STYLE_CSS) }),
        )
        .route(
            "/assets/interact.js",
            get(|| async { asset("text/javascript; charset=utf-8", render::INTERACT_JS) }),
        )
        .route(
            "/assets/page.js",
            get(|| async { asset("text/javascript; charset=utf-8", PAGE_JS) }),
        )
}

fn asset(content_type: &'static str, text: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type)], text)
}

/// Headers every response of `serve` carries.
pub async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}
