//! The operations endpoint: `/healthz` (the process runs), `/readyz` (connected to the broker
//! and consuming, not blocked by a broker resource alarm) and `/metrics` (Prometheus text format). The `serve` command's enrichment
//! API and page live in [`api`] and [`page`].

pub mod api;
pub mod page;

use crate::metrics::Metrics;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// Whether the worker can take work now, and if not because the broker blocked it, why; read
/// by `/readyz`.
#[derive(Debug, Default)]
pub struct Readiness {
    ready: AtomicBool,
    blocked: Mutex<Option<String>>,
}

impl Readiness {
    pub fn set(&self, ready: bool) {
        self.ready.store(ready, Ordering::Relaxed);
    }

    pub fn get(&self) -> bool {
        self.ready.load(Ordering::Relaxed) && self.blocked().is_none()
    }

    /// The broker's reason while it blocks the connection (`connection.blocked`), else `None`.
    pub fn set_blocked(&self, reason: Option<String>) {
        *self.blocked.lock().unwrap_or_else(|e| e.into_inner()) = reason;
    }

    pub fn blocked(&self) -> Option<String> {
        self.blocked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

#[derive(Clone)]
struct AppState {
    metrics: Metrics,
    ready: Arc<Readiness>,
}

/// Bind `addr` and serve until `shutdown` turns true.
pub async fn serve(
    addr: SocketAddr,
    metrics: Metrics,
    ready: Arc<Readiness>,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let app = Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .with_state(AppState { metrics, ready });
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "http endpoint listening");
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = shutdown.wait_for(|s| *s).await;
        })
        .await
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if let Some(reason) = state.ready.blocked() {
        let body = format!("not ready: the broker blocked the connection ({reason})\n");
        (StatusCode::SERVICE_UNAVAILABLE, body)
    } else if state.ready.get() {
        (StatusCode::OK, "ready\n".to_owned())
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready\n".to_owned())
    }
}

async fn metrics_text(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
