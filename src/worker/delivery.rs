//! One delivery: decode + analyze + encode on the CPU pool, publish the output with a confirm,
//! and only then ack; a failure goes where [`super::policy`] says.

use super::policy::{disposition, Disposition, Failure};
use super::{Session, Shared};
use crate::amqp::{
    self, AmqpError, Routed, HEADER_ATTEMPTS, HEADER_ERROR_KIND, HEADER_ERROR_MESSAGE,
    HEADER_OUTPUT_EXCHANGE, HEADER_OUTPUT_ROUTING_KEY,
};
use crate::config::QueueType;
use crate::enricher::Enriched;
use crate::metrics::Metrics;
use lapin::message::Delivery;
use lapin::options::{BasicAckOptions, BasicNackOptions};
use lapin::types::AMQPValue;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::oneshot;

struct InFlight<'a>(&'a Metrics);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.dec();
    }
}

pub(super) async fn handle(shared: Arc<Shared>, session: Session, mut delivery: Delivery) {
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
            let mut extra = Vec::new();
            if let Failure::Unroutable {
                exchange,
                routing_key,
                ..
            } = &failure
            {
                metrics.unroutable.inc();
                // Once per routing key: a missing binding makes every output with that key
                // unroutable, and one line per message would drown the log.
                if shared.warned_unroutable.first(routing_key) {
                    tracing::warn!(
                        exchange = %exchange,
                        routing_key = %routing_key,
                        "no queue is bound for this routing key: its outputs are unroutable, inputs go to the dead-letter exchange (kind unroutable); bind a queue and replay them"
                    );
                }
                extra.push((HEADER_OUTPUT_EXCHANGE, exchange.as_str()));
                extra.push((HEADER_OUTPUT_ROUTING_KEY, routing_key.as_str()));
            } else {
                tracing::warn!(kind, %reason, routing_key = %delivery.routing_key, "dead-lettering a message");
            }
            match dead_letter(&shared, &session, &delivery, &data, kind, &reason, &extra).await {
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
    let key = amqp::routing_key(
        &topology.routing_key_template,
        &[
            ("language", enriched.language.as_str()),
            ("sentiment", enriched.sentiment),
            ("source", enriched.source.as_deref().unwrap_or("")),
            ("country", enriched.country.as_deref().unwrap_or("")),
        ],
    );
    let lease = session.publish.acquire().await;
    let result = amqp::publish_mandatory(
        lease.channel(),
        &topology.output_exchange,
        &key,
        &enriched.json,
        amqp::json_properties(Some(&enriched.id)),
        shared.config.amqp.publish_timeout,
        Some(&session.blocked),
    )
    .await;
    let result = session.settle(lease, result);
    match result {
        Ok(Routed::Routed) => Ok(()),
        Ok(Routed::Returned(reply)) => Err(Failure::Unroutable {
            exchange: topology.output_exchange.clone(),
            routing_key: key,
            reply,
        }),
        Err(e) => Err(Failure::Publish(e)),
    }
}

/// The original message, unchanged, with the reason in headers (and where it came from).
/// Mandatory: should the dead-letter queue be gone, the input goes back to its queue rather
/// than vanish.
async fn dead_letter(
    shared: &Shared,
    session: &Session,
    delivery: &Delivery,
    data: &[u8],
    kind: &str,
    reason: &str,
    extra: &[(&str, &str)],
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
    for (key, value) in extra {
        amqp::set_header(&mut headers, key, value);
    }
    let properties = delivery
        .properties
        .clone()
        .with_headers(headers)
        .with_delivery_mode(2);
    let exchange = &shared.config.topology.dead_letter_exchange;
    let routing_key = delivery.routing_key.as_str();
    let lease = session.publish.acquire().await;
    let result = amqp::publish_mandatory(
        lease.channel(),
        exchange,
        routing_key,
        data,
        properties,
        shared.config.amqp.publish_timeout,
        Some(&session.blocked),
    )
    .await;
    match session.settle(lease, result)? {
        Routed::Routed => Ok(()),
        Routed::Returned(reply) => Err(AmqpError::Returned {
            exchange: exchange.clone(),
            routing_key: routing_key.to_owned(),
            reply,
        }),
    }
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
    let lease = session.publish.acquire().await;
    let result = amqp::publish_confirmed(
        lease.channel(),
        "",
        &shared.config.topology.input_queue,
        data,
        properties,
        shared.config.amqp.publish_timeout,
    )
    .await;
    session.settle(lease, result).is_ok()
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
}
