//! The worker: one session per broker connection, consuming until shutdown; reconnects with
//! backoff when the broker goes away, and drains in-flight work on shutdown.
//!
//! - [`delivery`]: one delivery, from decode to the confirmed publish and the ack;
//! - [`policy`]: what each failure does (dead-letter, retry, reconnect or stop), in one place.

mod delivery;
pub mod policy;

pub use delivery::run_on_pool;
pub use policy::{disposition, Disposition, Failure};

use crate::amqp::{self, AmqpError, NodeCursor};
use crate::config::{redact_url, Config};
use crate::enricher::Enricher;
use crate::http::Readiness;
use crate::metrics::Metrics;
use futures_util::StreamExt;
use lapin::options::{BasicCancelOptions, BasicConsumeOptions, BasicQosOptions};
use lapin::types::FieldTable;
use lapin::{Connection, Event};
use policy::{session_disposition, SessionDisposition};
use rand::Rng;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("the broker rejected the topology (fix the configuration or the broker): {0}")]
    Topology(lapin::Error),
    #[error("cannot build the pipeline thread pool: {0}")]
    ThreadPool(String),
}

/// Everything a delivery task needs, shared by all of them.
pub(crate) struct Shared {
    config: Arc<Config>,
    enricher: Enricher,
    pool: rayon::ThreadPool,
    metrics: Metrics,
    /// Routing keys whose unroutable outputs were already logged (once per key, not per message).
    warned_unroutable: WarnOnce,
}

/// One connection's channels, handed to each delivery task.
#[derive(Clone)]
pub(crate) struct Session {
    /// Confirm channels, one publish in flight on each (see [`amqp::PublishPool`]).
    publish: amqp::PublishPool,
    /// Signalled by a task that found a publish channel dead or unconfirmed: the session must
    /// restart.
    broken: Arc<Notify>,
    /// The broker's reason while it blocks the connection (resource alarm), else `None`.
    blocked: watch::Receiver<Option<String>>,
}

impl Session {
    /// Give a publish's channel back to the pool when the publish completed (confirmed,
    /// nacked or returned). After a broker error or a confirm that never came, the channel
    /// may still carry the publish: it leaves the pool, and the session restarts with a fresh
    /// pool rather than risk pairing a late return with another message.
    fn settle<T>(&self, lease: amqp::Lease, result: Result<T, AmqpError>) -> Result<T, AmqpError> {
        match &result {
            Ok(_) | Err(AmqpError::Nacked) => lease.release(),
            Err(_) => {
                drop(lease);
                self.broken.notify_one();
            }
        }
        result
    }
}

/// One publish channel per delivery that may be in flight (the prefetch), at most 64: a
/// delivery holds one channel at a time.
fn publish_channels(prefetch: u16) -> usize {
    usize::from(prefetch).clamp(1, MAX_PUBLISH_CHANNELS)
}

/// Channels beyond this would sit idle: confirms, not channels, bound the publish rate.
const MAX_PUBLISH_CHANNELS: usize = 64;

pub struct Worker {
    shared: Arc<Shared>,
    ready: Arc<Readiness>,
}

enum SessionEnd {
    Shutdown,
    Lost(String),
}

impl Worker {
    pub fn new(
        config: Arc<Config>,
        enricher: Enricher,
        metrics: Metrics,
        ready: Arc<Readiness>,
    ) -> Result<Worker, WorkerError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(config.worker.pipeline_threads)
            .thread_name(|i| format!("pipeline-{i}"))
            .build()
            .map_err(|e| WorkerError::ThreadPool(e.to_string()))?;
        Ok(Worker {
            shared: Arc::new(Shared {
                config,
                enricher,
                pool,
                metrics,
                warned_unroutable: WarnOnce::new(256),
            }),
            ready,
        })
    }

    /// Consume until `shutdown` turns true; reconnect whenever the broker goes away.
    pub async fn run(&self, mut shutdown: watch::Receiver<bool>) -> Result<(), WorkerError> {
        let amqp = &self.shared.config.amqp;
        let mut failures: u32 = 0;
        let mut connected_before = false;
        // Where the next connection attempt starts: a random node at first, so that workers
        // spread over a cluster; after a loss, the node after the lost one.
        let mut cursor = NodeCursor::random(amqp.nodes().len());
        loop {
            if *shutdown.borrow() {
                return Ok(());
            }
            let outcome = self
                .session(&mut shutdown, &mut failures, &mut cursor)
                .await;
            self.ready.set(false);
            self.shared.metrics.connected.set(0);
            match outcome {
                Ok(SessionEnd::Shutdown) => return Ok(()),
                Ok(SessionEnd::Lost(reason)) => {
                    tracing::warn!(%reason, "lost the broker; reconnecting");
                    connected_before = true;
                }
                Err(SessionError::Fatal(e)) => return Err(e),
                Err(SessionError::Broker(e)) => {
                    tracing::warn!(error = %e, attempt = failures + 1, "broker unavailable");
                }
            }
            let delay = backoff(
                amqp.reconnect_initial,
                amqp.reconnect_max,
                failures,
                &mut rand::rng(),
            );
            failures = failures.saturating_add(1);
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = shutdown.wait_for(|s| *s) => return Ok(()),
            }
            if connected_before {
                self.shared.metrics.reconnects.inc();
                connected_before = false;
            }
        }
    }

    async fn session(
        &self,
        shutdown: &mut watch::Receiver<bool>,
        failures: &mut u32,
        cursor: &mut NodeCursor,
    ) -> Result<SessionEnd, SessionError> {
        let shared = &self.shared;
        let config = &shared.config;
        let nodes = config.amqp.nodes();
        let (conn, node) = match amqp::connect_from(&config.amqp, cursor.start()).await {
            Ok(found) => found,
            Err(e) => {
                cursor.failed();
                return Err(e.into());
            }
        };
        cursor.connected(node);
        let consume = conn.create_channel().await.map_err(AmqpError::from)?;
        if config.topology.declare {
            amqp::declare_topology(&consume, &config.topology)
                .await
                .map_err(|e| match (session_disposition(&e), e) {
                    (SessionDisposition::Stop, AmqpError::Broker(e)) => {
                        SessionError::Fatal(WorkerError::Topology(e))
                    }
                    (_, e) => SessionError::Broker(e),
                })?;
        }
        // Before anything publishes: a `connection.blocked` can come with the first publish.
        let mut events = std::pin::pin!(conn.events_listener());
        let (blocked_tx, blocked) = watch::channel(None);
        let session = Session {
            publish: amqp::PublishPool::open(&conn, publish_channels(config.amqp.prefetch)).await?,
            broken: Arc::new(Notify::new()),
            blocked,
        };
        consume
            .basic_qos(config.amqp.prefetch, BasicQosOptions::default())
            .await
            .map_err(AmqpError::from)?;
        let mut consumer = consume
            .basic_consume(
                config.topology.input_queue.as_str().into(),
                "".into(),
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await
            .map_err(AmqpError::from)?;
        let consumer_tag = consumer.tag();
        tracing::info!(
            node = %redact_url(nodes[node]),
            queue = %config.topology.input_queue,
            prefetch = config.amqp.prefetch,
            "connected; consuming"
        );
        *failures = 0;
        self.ready.set(true);
        shared.metrics.connected.set(1);

        let mut tasks = JoinSet::new();
        let mut paused_at = None;
        let end = loop {
            tokio::select! {
                biased;
                _ = shutdown.wait_for(|s| *s) => break SessionEnd::Shutdown,
                _ = session.broken.notified() => break SessionEnd::Lost("publish channel closed".into()),
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
                Some(event) = events.next() => {
                    self.on_event(event, &blocked_tx, &mut paused_at, tasks.len());
                }
                // While the broker blocks the connection, nothing we publish (outputs, acks)
                // leaves the client: take no new deliveries; those already received wait in the
                // client, unacked, and the in-flight ones wait for their confirms.
                next = consumer.next(), if paused_at.is_none() => match next {
                    Some(Ok(delivery)) => {
                        tasks.spawn(delivery::handle(shared.clone(), session.clone(), delivery));
                    }
                    Some(Err(e)) => break SessionEnd::Lost(e.to_string()),
                    None => break SessionEnd::Lost("the broker cancelled the consumer".into()),
                },
            }
        };

        if let SessionEnd::Shutdown = end {
            self.ready.set(false);
            // Stop new deliveries first; what the client already holds but has not started
            // goes back to the queue when the channel closes.
            let _ = consume
                .basic_cancel(consumer_tag, BasicCancelOptions::default())
                .await;
            drop(consumer);
            let in_flight = tasks.len();
            let deadline = config.worker.shutdown_timeout;
            tracing::info!(
                in_flight,
                ?deadline,
                "shutting down: finishing in-flight messages"
            );
            let drained = tokio::time::timeout(deadline, async {
                while tasks.join_next().await.is_some() {}
            })
            .await
            .is_ok();
            if !drained {
                tracing::warn!(
                    left = tasks.len(),
                    "shutdown deadline passed; unfinished messages go back to the queue"
                );
                tasks.abort_all();
            }
            // Bounded: on a connection the broker blocks, the close frames never leave.
            let _ = tokio::time::timeout(Duration::from_secs(5), async {
                session.publish.close().await;
                let _ = consume.close(200, "shutdown".into()).await;
                let _ = conn.close(200, "shutdown".into()).await;
            })
            .await;
            tracing::info!("shut down cleanly");
        } else {
            // Unacked deliveries on a channel that is still open would never come back:
            // closing the connection hands every one of them back to the broker.
            tasks.abort_all();
            close_quietly(&conn).await;
        }
        self.ready.set_blocked(None);
        shared.metrics.blocked.set(0);
        Ok(end)
    }

    /// A connection event: the broker blocking the connection (a memory or disk alarm) pauses
    /// consumption until it unblocks it.
    fn on_event(
        &self,
        event: Event,
        blocked_tx: &watch::Sender<Option<String>>,
        paused_at: &mut Option<Instant>,
        in_flight: usize,
    ) {
        match event {
            Event::ConnectionBlocked(reason) => {
                tracing::warn!(%reason, in_flight, "the broker blocked the connection (resource alarm): pausing consumption");
                self.ready.set_blocked(Some(reason.clone()));
                self.shared.metrics.blocked.set(1);
                blocked_tx.send_replace(Some(reason));
                paused_at.get_or_insert_with(Instant::now);
            }
            Event::ConnectionUnblocked => {
                let paused_s = paused_at.take().map_or(0.0, |t| t.elapsed().as_secs_f64());
                tracing::warn!(paused_s, "the broker unblocked the connection: resuming");
                self.ready.set_blocked(None);
                self.shared.metrics.blocked.set(0);
                blocked_tx.send_replace(None);
            }
            _ => {}
        }
    }
}

async fn close_quietly(conn: &Connection) {
    let _ = tokio::time::timeout(
        Duration::from_secs(2),
        conn.close(320, "reconnecting".into()),
    )
    .await;
}

enum SessionError {
    Fatal(WorkerError),
    Broker(AmqpError),
}

impl From<AmqpError> for SessionError {
    fn from(e: AmqpError) -> Self {
        SessionError::Broker(e)
    }
}

/// Remembers which keys were already reported, so a log line comes once per key. Bounded: when
/// `cap` keys are remembered the memory starts over (a key may then be reported once more).
pub struct WarnOnce {
    cap: usize,
    seen: Mutex<HashSet<String>>,
}

impl WarnOnce {
    pub fn new(cap: usize) -> WarnOnce {
        WarnOnce {
            cap,
            seen: Mutex::new(HashSet::new()),
        }
    }

    /// True the first time `key` is seen.
    pub fn first(&self, key: &str) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.contains(key) {
            return false;
        }
        if seen.len() >= self.cap {
            seen.clear();
        }
        seen.insert(key.to_owned());
        true
    }
}

/// Exponential backoff with full jitter: uniform in [0, min(max, initial * 2^attempt)]
/// (AWS Architecture Blog, "Exponential Backoff And Jitter"): many workers that lost the same
/// broker spread their reconnects over the whole window instead of arriving together.
pub fn backoff(initial: Duration, max: Duration, attempt: u32, rng: &mut impl Rng) -> Duration {
    let cap = initial
        .saturating_mul(2u32.saturating_pow(attempt.min(20)))
        .min(max);
    let ms = cap.as_millis() as u64;
    Duration::from_millis(rng.random_range(0..=ms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn warn_once_reports_each_key_once_within_its_bound() {
        let w = WarnOnce::new(2);
        assert!(w.first("a"));
        assert!(!w.first("a"));
        assert!(w.first("b"));
        assert!(!w.first("b"));
        assert!(!w.first("a"));
        // A third key starts the memory over.
        assert!(w.first("c"));
        assert!(w.first("a"));
    }

    #[test]
    fn backoff_is_full_jitter_under_a_growing_cap() {
        let initial = Duration::from_millis(100);
        let max = Duration::from_secs(5);
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for attempt in 0..40 {
            let cap = (initial * 2u32.pow(attempt.min(20))).min(max);
            let draws: Vec<Duration> = (0..400)
                .map(|_| backoff(initial, max, attempt, &mut rng))
                .collect();
            assert!(draws.iter().all(|d| *d <= cap), "attempt {attempt}");
            // Uniform over [0, cap]: both ends of the window are used.
            assert!(draws.iter().any(|d| *d < cap / 4), "attempt {attempt}");
            assert!(draws.iter().any(|d| *d > cap * 3 / 4), "attempt {attempt}");
        }
    }
}
