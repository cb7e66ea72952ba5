//! The worker loop: delivery -> decode -> analyze -> encode -> publish (confirmed) -> ack.
//! Reconnects with backoff when the broker goes away, and drains in-flight work on shutdown.
//! [`disposition`] is the one place that decides what each failure does to a delivery.

use crate::amqp::{self, AmqpError, HEADER_ATTEMPTS, HEADER_ERROR_KIND, HEADER_ERROR_MESSAGE};
use crate::config::{Config, QueueType};
use crate::enricher::{routing_key, Enriched, Enricher};
use crate::http::Readiness;
use crate::message::DecodeError;
use crate::metrics::Metrics;
use futures_util::StreamExt;
use lapin::message::Delivery;
use lapin::options::{
    BasicAckOptions, BasicCancelOptions, BasicConsumeOptions, BasicNackOptions, BasicQosOptions,
};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{Channel, Connection};
use rand::Rng;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{oneshot, watch, Notify};
use tokio::task::JoinSet;

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("the broker rejected the topology (fix the configuration or the broker): {0}")]
    Topology(lapin::Error),
    #[error("cannot build the pipeline thread pool: {0}")]
    ThreadPool(String),
}

/// Why one delivery could not be published as enriched output.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error("the pipeline panicked: {0}")]
    Panic(String),
    #[error("publishing the output failed: {0}")]
    Publish(AmqpError),
    #[error("delivered {0} times without success")]
    DeliveryLimit(u32),
}

impl Failure {
    /// Stable machine-readable reason (dead-letter header, metric label).
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Decode(e) => e.kind(),
            Failure::Panic(_) => "pipeline_panic",
            Failure::Publish(_) => "publish_failed",
            Failure::DeliveryLimit(_) => "delivery_limit",
        }
    }
}

/// What happens to a delivery that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Publish the original to the dead-letter exchange with the reason, then ack.
    DeadLetter,
    /// Give it back to the queue (it will be delivered again, possibly to another worker).
    Retry,
}

/// The error policy, in one place: bad input and pipeline bugs are not going to get better
/// by retrying; broker trouble is.
pub fn disposition(failure: &Failure) -> Disposition {
    match failure {
        Failure::Decode(_) | Failure::Panic(_) | Failure::DeliveryLimit(_) => {
            Disposition::DeadLetter
        }
        Failure::Publish(_) => Disposition::Retry,
    }
}

/// Everything a delivery task needs, shared by all of them.
struct Shared {
    config: Arc<Config>,
    enricher: Enricher,
    pool: rayon::ThreadPool,
    metrics: Metrics,
}

/// One connection's channels, handed to each delivery task.
#[derive(Clone)]
struct Session {
    publish: Channel,
    /// Signalled by a task that found the publish channel dead: the session must restart.
    broken: Arc<Notify>,
}

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
            }),
            ready,
        })
    }

    /// Consume until `shutdown` turns true; reconnect whenever the broker goes away.
    pub async fn run(&self, mut shutdown: watch::Receiver<bool>) -> Result<(), WorkerError> {
        let amqp = &self.shared.config.amqp;
        let mut failures: u32 = 0;
        let mut connected_before = false;
        loop {
            if *shutdown.borrow() {
                return Ok(());
            }
            let outcome = self.session(&mut shutdown, &mut failures).await;
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
            let delay = backoff(amqp.reconnect_initial, amqp.reconnect_max, failures);
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
    ) -> Result<SessionEnd, SessionError> {
        let shared = &self.shared;
        let config = &shared.config;
        let conn = amqp::connect(&config.amqp).await?;
        let consume = conn.create_channel().await.map_err(AmqpError::from)?;
        if config.topology.declare {
            amqp::declare_topology(&consume, &config.topology)
                .await
                .map_err(|e| match e {
                    AmqpError::Broker(e) if is_precondition(&e) => {
                        SessionError::Fatal(WorkerError::Topology(e))
                    }
                    e => SessionError::Broker(e),
                })?;
        }
        let session = Session {
            publish: amqp::confirm_channel(&conn).await?,
            broken: Arc::new(Notify::new()),
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
            queue = %config.topology.input_queue,
            prefetch = config.amqp.prefetch,
            "connected; consuming"
        );
        *failures = 0;
        self.ready.set(true);
        shared.metrics.connected.set(1);

        let mut tasks = JoinSet::new();
        let end = loop {
            tokio::select! {
                biased;
                _ = shutdown.wait_for(|s| *s) => break SessionEnd::Shutdown,
                _ = session.broken.notified() => break SessionEnd::Lost("publish channel closed".into()),
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
                next = consumer.next() => match next {
                    Some(Ok(delivery)) => {
                        tasks.spawn(handle(shared.clone(), session.clone(), delivery));
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
            let _ = session.publish.close(200, "shutdown".into()).await;
            let _ = consume.close(200, "shutdown".into()).await;
            let _ = conn.close(200, "shutdown".into()).await;
            tracing::info!("shut down cleanly");
        } else {
            // Unacked deliveries on a channel that is still open would never come back:
            // closing the connection hands every one of them back to the broker.
            tasks.abort_all();
            close_quietly(&conn).await;
        }
        Ok(end)
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

fn is_precondition(e: &lapin::Error) -> bool {
    // 406 PRECONDITION_FAILED: the queue or exchange exists with other arguments;
    // 403 ACCESS_REFUSED: no permission. Neither heals by retrying.
    let text = e.to_string();
    text.contains("PRECONDITION_FAILED") || text.contains("ACCESS_REFUSED")
}

/// Exponential backoff with full jitter: uniform in [0, min(max, initial * 2^attempt)].
pub fn backoff(initial: Duration, max: Duration, attempt: u32) -> Duration {
    let cap = initial
        .saturating_mul(2u32.saturating_pow(attempt.min(20)))
        .min(max);
    let ms = cap.as_millis() as u64;
    Duration::from_millis(rand::rng().random_range(ms / 2..=ms.max(1)))
}

struct InFlight<'a>(&'a Metrics);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.dec();
    }
}

async fn handle(shared: Arc<Shared>, session: Session, mut delivery: Delivery) {
    let metrics = &shared.metrics;
    let arrived = Instant::now();
    metrics.consumed.inc();
    metrics.in_flight.inc();
    let _guard = InFlight(metrics);
    if delivery.redelivered {
        metrics.redelivered.inc();
    }
    let data = Arc::new(std::mem::take(&mut delivery.data));

    let result = match enrich_on_pool(&shared, data.clone()).await {
        Ok(enriched) => {
            metrics
                .enrich_seconds
                .observe(enriched.took_us as f64 / 1e6);
            publish_output(&shared, &session, &enriched).await
        }
        Err(failure) => Err(failure),
    };
    let failure = match result {
        Ok(()) => {
            if ack(&delivery).await {
                metrics.published.inc();
                metrics
                    .end_to_end_seconds
                    .observe(arrived.elapsed().as_secs_f64());
            }
            return;
        }
        Err(f) => f,
    };
    let failure = match (disposition(&failure), shared.config.topology.queue_type) {
        // A classic queue does not count deliveries: the worker does, in a header.
        (Disposition::Retry, QueueType::Classic) => {
            let attempts = amqp::int_header(&delivery.properties, HEADER_ATTEMPTS).unwrap_or(0) + 1;
            if attempts >= i64::from(shared.config.topology.delivery_limit) {
                Failure::DeliveryLimit(attempts as u32)
            } else {
                tracing::debug!(error = %failure, attempts, "retrying later");
                if requeue_counted(&shared, &session, &delivery, &data, attempts).await {
                    metrics.requeued.inc();
                    let _ = ack(&delivery).await;
                } else {
                    nack_requeue(&shared, &delivery).await;
                }
                return;
            }
        }
        _ => failure,
    };
    match disposition(&failure) {
        Disposition::Retry => {
            tracing::debug!(error = %failure, "retrying later");
            nack_requeue(&shared, &delivery).await;
        }
        Disposition::DeadLetter => {
            let kind = failure.kind();
            let reason = failure.to_string();
            tracing::warn!(kind, %reason, routing_key = %delivery.routing_key, "dead-lettering a message");
            match dead_letter(&shared, &session, &delivery, &data, kind, &reason).await {
                Ok(()) => {
                    if ack(&delivery).await {
                        metrics.dead_letter(kind);
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "dead-letter publish failed; requeueing");
                    if matches!(e, AmqpError::Broker(_)) {
                        session.broken.notify_one();
                    }
                    nack_requeue(&shared, &delivery).await;
                }
            }
        }
    }
}

/// Run decode + pipeline + encode on the CPU pool, never on the async threads. A panic
/// inside becomes a dead-letter reason instead of killing the worker.
async fn enrich_on_pool(shared: &Arc<Shared>, data: Arc<Vec<u8>>) -> Result<Enriched, Failure> {
    let task_shared = shared.clone();
    run_on_pool(&shared.pool, move || task_shared.enricher.process(&data))
        .await
        .map_err(Failure::Panic)?
        .map_err(Failure::from)
}

/// Run `f` on `pool` and await its result; a panic is caught and returned as its message.
pub async fn run_on_pool<T: Send + 'static>(
    pool: &rayon::ThreadPool,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let (tx, rx) = oneshot::channel();
    pool.spawn(move || {
        let _ = tx.send(std::panic::catch_unwind(AssertUnwindSafe(f)));
    });
    match rx.await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(panic)) => Err(panic_message(&panic)),
        Err(_) => Err("the pipeline task vanished".into()),
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

async fn publish_output(
    shared: &Shared,
    session: &Session,
    enriched: &Enriched,
) -> Result<(), Failure> {
    let topology = &shared.config.topology;
    let key = routing_key(&topology.routing_key_template, enriched);
    let result = amqp::publish_confirmed(
        &session.publish,
        &topology.output_exchange,
        &key,
        &enriched.json,
        amqp::json_properties(Some(&enriched.id)),
        shared.config.amqp.publish_timeout,
    )
    .await;
    if let Err(AmqpError::Broker(_)) = &result {
        session.broken.notify_one();
    }
    result.map_err(Failure::Publish)
}

/// The original message, unchanged, with the reason in headers (and where it came from).
async fn dead_letter(
    shared: &Shared,
    session: &Session,
    delivery: &Delivery,
    data: &[u8],
    kind: &str,
    reason: &str,
) -> Result<(), AmqpError> {
    let mut headers = delivery.properties.headers().clone().unwrap_or_default();
    amqp::set_header(&mut headers, HEADER_ERROR_KIND, kind);
    amqp::set_header(&mut headers, HEADER_ERROR_MESSAGE, reason);
    amqp::set_header(
        &mut headers,
        "x-original-exchange",
        delivery.exchange.as_str(),
    );
    amqp::set_header(
        &mut headers,
        "x-original-routing-key",
        delivery.routing_key.as_str(),
    );
    let properties = delivery
        .properties
        .clone()
        .with_headers(headers)
        .with_delivery_mode(2);
    amqp::publish_confirmed(
        &session.publish,
        &shared.config.topology.dead_letter_exchange,
        delivery.routing_key.as_str(),
        data,
        properties,
        shared.config.amqp.publish_timeout,
    )
    .await
}

/// Classic queues: put a copy back on the input queue with the delivery count in a header.
async fn requeue_counted(
    shared: &Shared,
    session: &Session,
    delivery: &Delivery,
    data: &[u8],
    attempts: i64,
) -> bool {
    let mut headers = delivery.properties.headers().clone().unwrap_or_default();
    headers.insert(HEADER_ATTEMPTS.into(), AMQPValue::LongLongInt(attempts));
    let properties = delivery.properties.clone().with_headers(headers);
    amqp::publish_confirmed(
        &session.publish,
        "",
        &shared.config.topology.input_queue,
        data,
        properties,
        shared.config.amqp.publish_timeout,
    )
    .await
    .is_ok()
}

async fn ack(delivery: &Delivery) -> bool {
    match delivery.acker.ack(BasicAckOptions::default()).await {
        Ok(_) => true,
        Err(e) => {
            // The channel is gone: the broker will redeliver this message.
            tracing::debug!(error = %e, "ack failed");
            false
        }
    }
}

async fn nack_requeue(shared: &Shared, delivery: &Delivery) {
    let options = BasicNackOptions {
        requeue: true,
        ..BasicNackOptions::default()
    };
    if delivery.acker.nack(options).await.is_ok() {
        shared.metrics.requeued.inc();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_and_panics_are_dead_lettered_broker_trouble_is_retried() {
        let decode = Failure::Decode(DecodeError::NotAnObject);
        assert_eq!(disposition(&decode), Disposition::DeadLetter);
        assert_eq!(
            disposition(&Failure::Panic("x".into())),
            Disposition::DeadLetter
        );
        assert_eq!(
            disposition(&Failure::Publish(AmqpError::Nacked)),
            Disposition::Retry
        );
        assert_eq!(
            disposition(&Failure::DeliveryLimit(5)),
            Disposition::DeadLetter
        );
    }

    #[tokio::test]
    async fn a_panic_on_the_pool_is_caught_and_the_pool_keeps_working() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let err = run_on_pool(&pool, || -> u32 { panic!("boom in stage") })
            .await
            .unwrap_err();
        assert!(err.contains("boom in stage"), "{err}");
        assert_eq!(run_on_pool(&pool, || 41 + 1).await, Ok(42));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let initial = Duration::from_millis(100);
        let max = Duration::from_secs(5);
        for attempt in 0..40 {
            let d = backoff(initial, max, attempt);
            assert!(d <= max, "{d:?} at {attempt}");
        }
        let late = backoff(initial, max, 30);
        assert!(late >= max / 2);
    }
}
