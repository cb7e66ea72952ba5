//! The `serve` command's HTTP side: `POST /v1/enrich` (one article in, the enriched article
//! out, through the worker's [`Enricher`] on a CPU pool), `POST /v1/render` (an enriched
//! article in, its HTML view out), `GET /v1/sample`, the page ([`super::page`]) and
//! `/healthz`. Bad input gets a 4xx JSON error whose `kind` is the dead-letter reason the
//! worker would give the same message; nothing the client sends can panic the server.

use super::page;
use crate::enricher::Enricher;
use crate::message::DecodeError;
use crate::render::{self, RenderError};
use crate::worker::run_on_pool;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Semaphore};

/// The article the page's "Load the sample" button fills in.
pub const SAMPLE_ARTICLE: &str = include_str!("../../tests/data/iran-talks.json");

/// An enriched article is larger than its input (entities, mentions, sentences); `/v1/render`
/// accepts this many times `worker.max_message_bytes`, enough for a name-dense article.
const RENDER_BODY_FACTOR: usize = 8;

/// Limits of the API (from `[serve]` and `[worker]`).
#[derive(Debug, Clone)]
pub struct ApiOptions {
    /// Largest `/v1/enrich` body (`worker.max_message_bytes`).
    pub max_body_bytes: usize,
    /// Whole request: reading the body, waiting for the pool, the work.
    pub timeout: Duration,
    /// Requests admitted at once; more get 503 `overloaded`.
    pub max_pending: usize,
    /// Threads of the CPU pool (`worker.pipeline_threads`).
    pub threads: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("request body is over the limit of {limit} bytes")]
    TooLarge { limit: usize },
    #[error("cannot read the request body: {0}")]
    Body(String),
    #[error("no answer within {0} ms")]
    Timeout(u128),
    #[error("{0} requests are in progress already; try again shortly")]
    Overloaded(usize),
    #[error("the pipeline failed on this article: {0}")]
    Panic(String),
    #[error("no endpoint {0}")]
    NotFound(String),
    #[error("cannot build the pipeline thread pool: {0}")]
    ThreadPool(String),
}

impl ApiError {
    /// Stable machine-readable reason; the worker's dead-letter kinds where they apply.
    pub fn kind(&self) -> &'static str {
        match self {
            ApiError::Decode(e) => e.kind(),
            ApiError::Render(e) => e.kind(),
            ApiError::TooLarge { .. } => "body_too_large",
            ApiError::Body(_) => "invalid_body",
            ApiError::Timeout(_) => "timeout",
            ApiError::Overloaded(_) => "overloaded",
            ApiError::Panic(_) => "pipeline_panic",
            ApiError::NotFound(_) => "not_found",
            ApiError::ThreadPool(_) => "internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Decode(DecodeError::TooLarge { .. }) | ApiError::TooLarge { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            ApiError::Decode(_) | ApiError::Render(_) | ApiError::Body(_) => {
                StatusCode::BAD_REQUEST
            }
            ApiError::Timeout(_) | ApiError::Overloaded(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Panic(_) | ApiError::ThreadPool(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": {"kind": self.kind(), "message": self.to_string()}
        });
        let mut response =
            (self.status(), json_body(body.to_string().into_bytes())).into_response();
        if matches!(self, ApiError::Overloaded(_)) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

fn json_body(bytes: Vec<u8>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        bytes,
    )
}

/// The enricher, its CPU pool and the admission limit, shared by every request.
pub struct Api {
    enricher: Enricher,
    pool: rayon::ThreadPool,
    pending: Arc<Semaphore>,
    options: ApiOptions,
}

impl Api {
    pub fn new(enricher: Enricher, options: ApiOptions) -> Result<Api, ApiError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(options.threads)
            .thread_name(|i| format!("api-pipeline-{i}"))
            .build()
            .map_err(|e| ApiError::ThreadPool(e.to_string()))?;
        Ok(Api {
            enricher,
            pool,
            pending: Arc::new(Semaphore::new(options.max_pending)),
            options,
        })
    }

    /// Admit the request, read its body (at most `limit` bytes) and run `work` on it on the
    /// pool, all within the timeout. The admission permit travels with the work, so a request
    /// that timed out still counts until the pool has finished with it: memory and queued
    /// work stay bounded however the clients behave.
    async fn handle<T: Send + 'static>(
        &self,
        headers: &HeaderMap,
        body: Body,
        limit: usize,
        work: impl FnOnce(Vec<u8>) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = self
            .pending
            .clone()
            .try_acquire_owned()
            .map_err(|_| ApiError::Overloaded(self.options.max_pending))?;
        let job = async move {
            let bytes = read_body(headers, body, limit).await?;
            run_on_pool(&self.pool, move || {
                let _permit = permit;
                work(bytes)
            })
            .await
            .map_err(ApiError::Panic)?
        };
        tokio::time::timeout(self.options.timeout, job)
            .await
            .map_err(|_| ApiError::Timeout(self.options.timeout.as_millis()))?
    }
}

/// The body, refused as soon as it is known to exceed `limit` (declared length or bytes read).
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0));
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::Body(e.to_string()))?;
        if bytes.len() + chunk.len() > limit {
            return Err(ApiError::TooLarge { limit });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Every route of `serve`.
pub fn router(api: Arc<Api>) -> Router {
    Router::new()
        .route("/v1/enrich", post(enrich))
        .route("/v1/render", post(render_view))
        .route("/v1/sample", get(sample))
        .route("/healthz", get(|| async { "ok\n" }))
        .merge(page::routes())
        .fallback(|uri: Uri| async move { ApiError::NotFound(uri.path().to_owned()) })
        .layer(axum::middleware::map_response(page::security_headers))
        .with_state(api)
}

/// Bind-and-serve for the `serve` command, until `shutdown` turns true.
pub async fn serve(
    listener: tokio::net::TcpListener,
    api: Arc<Api>,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    axum::serve(listener, router(api))
        .with_graceful_shutdown(async move {
            let _ = shutdown.wait_for(|s| *s).await;
        })
        .await
}

async fn enrich(State(api): State<Arc<Api>>, headers: HeaderMap, body: Body) -> Response {
    let enricher = api.enricher.clone();
    let limit = api.options.max_body_bytes;
    let result = api
        .handle(&headers, body, limit, move |bytes| {
            Ok(enricher.process(&bytes)?.json)
        })
        .await;
    match result {
        Ok(json) => json_body(json).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn render_view(State(api): State<Arc<Api>>, headers: HeaderMap, body: Body) -> Response {
    let limit = api
        .options
        .max_body_bytes
        .saturating_mul(RENDER_BODY_FACTOR);
    let result = api
        .handle(&headers, body, limit, |bytes| {
            let text =
                std::str::from_utf8(&bytes).map_err(|e| DecodeError::InvalidUtf8(e.to_string()))?;
            let mut html = String::new();
            render::render_json(text, &mut html)?;
            Ok(html)
        })
        .await;
    match result {
        Ok(html) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn sample() -> impl IntoResponse {
    json_body(SAMPLE_ARTICLE.as_bytes().to_vec())
}
