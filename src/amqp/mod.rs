//! Transport: connecting (TLS included), declaring the topology, and publishing with a
//! confirm. Knows nothing of articles or NLP: bodies are bytes.

use crate::config::{redact_url, AmqpConfig, QueueType, TopologyConfig};
use lapin::options::{
    BasicPublishOptions, ConfirmSelectOptions, ExchangeDeclareOptions, QueueBindOptions,
    QueueDeclareOptions,
};
use lapin::tcp::OwnedTLSConfig;
use lapin::types::{AMQPValue, FieldTable, LongString, ShortString};
use lapin::uri::AMQPUri;
use lapin::{
    BasicProperties, Channel, Confirmation, Connection, ConnectionProperties, ExchangeKind,
};
use std::time::Duration;

/// Header carrying the reason kind on dead-lettered messages (e.g. `invalid_json`).
pub const HEADER_ERROR_KIND: &str = "x-enricher-error";
/// Header carrying the human-readable reason on dead-lettered messages.
pub const HEADER_ERROR_MESSAGE: &str = "x-enricher-reason";
/// On an input dead-lettered as `unroutable`: the exchange its output was published to.
pub const HEADER_OUTPUT_EXCHANGE: &str = "x-enricher-output-exchange";
/// On an input dead-lettered as `unroutable`: the routing key no queue was bound for.
pub const HEADER_OUTPUT_ROUTING_KEY: &str = "x-enricher-output-routing-key";
/// Deliveries so far of a message the worker re-queued itself (classic queues).
pub const HEADER_ATTEMPTS: &str = "x-enricher-attempts";

/// Is this broker error one that retrying cannot heal? 406 PRECONDITION_FAILED (a queue or
/// exchange exists with other arguments) and 403 ACCESS_REFUSED (no permission) are; a lost
/// connection or a restarting broker is not.
pub fn is_permanent(e: &lapin::Error) -> bool {
    use lapin::protocol::{AMQPErrorKind, AMQPSoftError};
    match e.kind() {
        lapin::ErrorKind::ProtocolError(amqp) => matches!(
            amqp.kind(),
            AMQPErrorKind::Soft(AMQPSoftError::PRECONDITIONFAILED | AMQPSoftError::ACCESSREFUSED)
        ),
        _ => false,
    }
}

/// Fill a routing-key template: each `{name}` of `values` is replaced by its value, reduced to
/// characters safe inside one routing-key word (lower-case ASCII letters, digits, `-`, `_`;
/// anything else becomes `_`, an empty value `unknown`), so a source like `nytimes.com`
/// cannot add words a binding would then miss.
pub fn routing_key(template: &str, values: &[(&str, &str)]) -> String {
    let word = |s: &str| -> String {
        let w: String = s
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        if w.is_empty() {
            "unknown".to_owned()
        } else {
            w
        }
    };
    let mut key = template.to_owned();
    for (name, value) in values {
        key = key.replace(&format!("{{{name}}}"), &word(value));
    }
    key
}

#[derive(Debug, thiserror::Error)]
pub enum AmqpError {
    #[error("invalid broker URL {url}: {reason}")]
    Url { url: String, reason: String },
    #[error("cannot read TLS CA file {path}: {source}")]
    CaFile {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("broker: {0}")]
    Broker(#[from] lapin::Error),
    #[error("no AMQP handshake with the broker within {0:?}")]
    ConnectTimeout(Duration),
    #[error("the broker did not confirm the publish within {0:?}")]
    ConfirmTimeout(Duration),
    #[error("the broker nacked the publish")]
    Nacked,
    #[error("the broker returned the message to exchange {exchange} with routing key {routing_key} as unroutable ({reply})")]
    Returned {
        exchange: String,
        routing_key: String,
        reply: String,
    },
}

/// Open a connection to one of the configured nodes, starting at a random one so that many
/// workers spread over a cluster. The URL's password never appears in an error.
pub async fn connect(config: &AmqpConfig) -> Result<Connection, AmqpError> {
    let start = NodeCursor::random(config.nodes().len()).start();
    connect_from(config, start).await.map(|(conn, _)| conn)
}

/// The order in which to try `n` nodes, starting at `start` (as RabbitMQ clients with an
/// address list do: each node once per attempt, in turn).
pub fn node_order(n: usize, start: usize) -> impl Iterator<Item = usize> {
    (0..n).map(move |i| (start + i) % n.max(1))
}

/// Where a worker's next connection attempt starts among the configured nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeCursor {
    nodes: usize,
    next: usize,
}

impl NodeCursor {
    /// At a random node, so that many workers spread over a cluster.
    pub fn random(nodes: usize) -> NodeCursor {
        NodeCursor::at(nodes, rand::random_range(0..nodes.max(1)))
    }

    pub fn at(nodes: usize, start: usize) -> NodeCursor {
        let nodes = nodes.max(1);
        NodeCursor {
            nodes,
            next: start % nodes,
        }
    }

    /// The node the next attempt starts at.
    pub fn start(&self) -> usize {
        self.next
    }

    /// A session on `node` began: however it ends, the next attempt starts at the node after
    /// it (the lost node may be the one going away).
    pub fn connected(&mut self, node: usize) {
        self.next = (node + 1) % self.nodes;
    }

    /// No node answered: the next round starts one node further.
    pub fn failed(&mut self) {
        self.next = (self.next + 1) % self.nodes;
    }
}

/// Try the nodes in turn from `start`; the first that answers wins. Returns the connection and
/// the index of its node; when none answers, the last node's error.
pub async fn connect_from(
    config: &AmqpConfig,
    start: usize,
) -> Result<(Connection, usize), AmqpError> {
    let nodes = config.nodes();
    let mut last = None;
    for i in node_order(nodes.len(), start) {
        match connect_node(config, nodes[i]).await {
            Ok(conn) => return Ok((conn, i)),
            Err(e) => {
                if nodes.len() > 1 {
                    tracing::warn!(node = %redact_url(nodes[i]), error = %e, "broker node unavailable; trying the next");
                }
                last = Some(e);
            }
        }
    }
    Err(last.unwrap_or_else(|| AmqpError::Url {
        url: String::new(),
        reason: "no broker URL configured".into(),
    }))
}

async fn connect_node(config: &AmqpConfig, url: &str) -> Result<Connection, AmqpError> {
    let mut uri: AMQPUri = url.parse().map_err(|reason| AmqpError::Url {
        url: redact_url(url),
        reason,
    })?;
    if config.heartbeat_s > 0 && uri.query.heartbeat.is_none() {
        uri.query.heartbeat = Some(config.heartbeat_s);
    }
    let tls = match &config.tls_ca_file {
        Some(path) => OwnedTLSConfig {
            identity: None,
            cert_chain: Some(std::fs::read_to_string(path).map_err(|source| {
                AmqpError::CaFile {
                    path: path.clone(),
                    source,
                }
            })?),
        },
        None => OwnedTLSConfig::default(),
    };
    let properties =
        ConnectionProperties::default().with_connection_name(config.connection_name.clone().into());
    let runtime = lapin::runtime::default_runtime()?;
    // lapin's async connect ignores the URI's connection_timeout: a peer that accepts TCP and
    // then says nothing would hang the worker forever instead of letting it reconnect.
    let connecting = Connection::connect_uri_with_config(uri, properties, tls, runtime);
    match tokio::time::timeout(config.connect_timeout, connecting).await {
        Ok(result) => Ok(result?),
        Err(_) => Err(AmqpError::ConnectTimeout(config.connect_timeout)),
    }
}

/// A channel in confirm mode, for publishing.
pub async fn confirm_channel(conn: &Connection) -> Result<Channel, AmqpError> {
    let channel = conn.create_channel().await?;
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await?;
    Ok(channel)
}

/// Confirm channels for publishing, each carrying one publish at a time.
///
/// RabbitMQ sends a mandatory message's `basic.return` before that message's `basic.ack`, but
/// acks of other messages on the same channel may come in between, and a return carries no
/// delivery tag: lapin attaches it to the next ack it reads. With several publishes in flight
/// on one channel, a return can be credited to another message (seen in the unroutable broker
/// test: a dead-letter publish reported unroutable while the output that was really returned
/// came back "routed", so its input was acked and lost). With one publish in flight per
/// channel the pairing is exact; the pool keeps as many channels as deliveries may be in flight.
#[derive(Clone)]
pub struct PublishPool {
    inner: std::sync::Arc<PoolInner>,
}

struct PoolInner {
    free: std::sync::Mutex<Vec<Channel>>,
    permits: std::sync::Arc<tokio::sync::Semaphore>,
}

impl PublishPool {
    /// Open `size` (at least 1) confirm channels on `conn`.
    pub async fn open(conn: &Connection, size: usize) -> Result<PublishPool, AmqpError> {
        let size = size.max(1);
        let mut channels = Vec::with_capacity(size);
        for _ in 0..size {
            channels.push(confirm_channel(conn).await?);
        }
        Ok(PublishPool {
            inner: std::sync::Arc::new(PoolInner {
                free: std::sync::Mutex::new(channels),
                permits: std::sync::Arc::new(tokio::sync::Semaphore::new(size)),
            }),
        })
    }

    /// A channel of its own until the lease is released. Waits while all are in use.
    pub async fn acquire(&self) -> Lease {
        let permit = self
            .inner
            .permits
            .clone()
            .acquire_owned()
            .await
            .expect("the pool's semaphore is never closed");
        let channel = self
            .inner
            .free
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .expect("a permit stands for a free channel");
        Lease {
            pool: self.inner.clone(),
            channel: Some(channel),
            permit: Some(permit),
        }
    }

    /// Close the channels not in use (at shutdown).
    pub async fn close(&self) {
        let channels: Vec<Channel> =
            std::mem::take(&mut *self.inner.free.lock().unwrap_or_else(|e| e.into_inner()));
        for channel in channels {
            let _ = channel.close(200, "shutdown".into()).await;
        }
    }
}

/// One pooled channel, held for one publish and its confirm. [`Lease::release`] gives it back
/// after a publish that completed; a lease dropped otherwise (an error, a timeout, a cancelled
/// task) takes its channel out of the pool, since a publish may still be in flight on it.
pub struct Lease {
    pool: std::sync::Arc<PoolInner>,
    channel: Option<Channel>,
    permit: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl Lease {
    pub fn channel(&self) -> &Channel {
        self.channel.as_ref().expect("held until released")
    }

    /// The publish on it completed (confirmed, nacked or returned): back to the pool.
    pub fn release(mut self) {
        if let Some(channel) = self.channel.take() {
            self.pool
                .free
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(channel);
        }
        drop(self.permit.take());
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if self.channel.take().is_some() {
            // Not released: the channel may carry a publish whose confirm is still to come.
            if let Some(permit) = self.permit.take() {
                permit.forget();
            }
        }
    }
}

fn durable_exchange() -> ExchangeDeclareOptions {
    ExchangeDeclareOptions {
        durable: true,
        ..ExchangeDeclareOptions::default()
    }
}

fn durable_queue() -> QueueDeclareOptions {
    QueueDeclareOptions {
        durable: true,
        ..QueueDeclareOptions::default()
    }
}

/// The input queue's arguments: its type, its delivery limit and where the broker
/// dead-letters what exceeds it.
pub fn input_queue_arguments(t: &TopologyConfig) -> FieldTable {
    let mut args = FieldTable::default();
    args.insert(
        "x-dead-letter-exchange".into(),
        AMQPValue::LongString(t.dead_letter_exchange.as_str().into()),
    );
    if t.queue_type == QueueType::Quorum {
        args.insert(
            "x-queue-type".into(),
            AMQPValue::LongString("quorum".into()),
        );
        args.insert(
            "x-delivery-limit".into(),
            AMQPValue::LongLongInt(i64::from(t.delivery_limit)),
        );
    }
    args
}

/// Declare both exchanges, the input queue and the dead-letter queue, and bind them.
/// Idempotent: re-declaring with the same arguments is a no-op for the broker.
pub async fn declare_topology(channel: &Channel, t: &TopologyConfig) -> Result<(), AmqpError> {
    for exchange in [
        &t.input_exchange,
        &t.output_exchange,
        &t.dead_letter_exchange,
    ] {
        channel
            .exchange_declare(
                exchange.as_str().into(),
                ExchangeKind::Topic,
                durable_exchange(),
                FieldTable::default(),
            )
            .await?;
    }
    channel
        .queue_declare(
            t.input_queue.as_str().into(),
            durable_queue(),
            input_queue_arguments(t),
        )
        .await?;
    channel
        .queue_bind(
            t.input_queue.as_str().into(),
            t.input_exchange.as_str().into(),
            t.binding_key.as_str().into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await?;
    let mut dead_args = FieldTable::default();
    if t.dead_letter_queue_type == QueueType::Quorum {
        dead_args.insert(
            "x-queue-type".into(),
            AMQPValue::LongString("quorum".into()),
        );
    }
    channel
        .queue_declare(
            t.dead_letter_queue.as_str().into(),
            durable_queue(),
            dead_args,
        )
        .await?;
    channel
        .queue_bind(
            t.dead_letter_queue.as_str().into(),
            t.dead_letter_exchange.as_str().into(),
            "#".into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await?;
    Ok(())
}

/// Properties of a persistent JSON message.
pub fn json_properties(message_id: Option<&str>) -> BasicProperties {
    let props = BasicProperties::default()
        .with_delivery_mode(2)
        .with_content_type("application/json".into());
    match message_id {
        // A short-string holds 255 bytes; a longer id is still the body's `id`.
        Some(id) if id.len() <= 255 => props.with_message_id(id.into()),
        _ => props,
    }
}

/// Publish and wait for the broker's confirm (the channel must be in confirm mode). Not
/// mandatory: an unroutable message is confirmed and dropped by the broker, which is right
/// for the input exchange of `publish` (the worker's queue may not exist yet).
pub async fn publish_confirmed(
    channel: &Channel,
    exchange: &str,
    routing_key: &str,
    body: &[u8],
    properties: BasicProperties,
    timeout: Duration,
) -> Result<(), AmqpError> {
    let options = BasicPublishOptions::default();
    let confirm = publish(channel, exchange, routing_key, options, body, properties);
    match confirm_within(confirm, timeout, None).await? {
        Routed::Routed | Routed::Returned(_) => Ok(()),
    }
}

/// Where a mandatory publish went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Routed {
    /// At least one queue took it.
    Routed,
    /// No queue is bound for its routing key: the broker returned it (the reply text says why).
    Returned(String),
}

/// Publish as `mandatory` and wait for the confirm: a message no queue takes comes back as
/// [`Routed::Returned`] instead of vanishing. While `blocked` holds a reason (the broker
/// blocked the connection, e.g. a memory alarm), the confirm timeout does not run: a blocked
/// publish is late, not failed.
pub async fn publish_mandatory(
    channel: &Channel,
    exchange: &str,
    routing_key: &str,
    body: &[u8],
    properties: BasicProperties,
    timeout: Duration,
    blocked: Option<&tokio::sync::watch::Receiver<Option<String>>>,
) -> Result<Routed, AmqpError> {
    let options = BasicPublishOptions {
        mandatory: true,
        ..BasicPublishOptions::default()
    };
    let confirm = publish(channel, exchange, routing_key, options, body, properties);
    confirm_within(confirm, timeout, blocked).await
}

async fn publish(
    channel: &Channel,
    exchange: &str,
    routing_key: &str,
    options: BasicPublishOptions,
    body: &[u8],
    properties: BasicProperties,
) -> Result<Confirmation, lapin::Error> {
    channel
        .basic_publish(
            ShortString::from(exchange),
            ShortString::from(routing_key),
            options,
            body,
            properties,
        )
        .await?
        .await
}

/// Await a confirm for at most `timeout` of unblocked time.
async fn confirm_within(
    confirm: impl std::future::Future<Output = Result<Confirmation, lapin::Error>>,
    timeout: Duration,
    blocked: Option<&tokio::sync::watch::Receiver<Option<String>>>,
) -> Result<Routed, AmqpError> {
    tokio::pin!(confirm);
    let mut blocked = blocked.cloned();
    let result = loop {
        let is_blocked = blocked.as_ref().is_some_and(|b| b.borrow().is_some());
        if is_blocked {
            let b = blocked.as_mut().expect("checked");
            let gone = tokio::select! {
                r = &mut confirm => break r,
                w = b.wait_for(|r| r.is_none()) => w.is_err(),
            };
            if gone {
                blocked = None;
            }
            continue;
        }
        tokio::select! {
            r = &mut confirm => break r,
            _ = tokio::time::sleep(timeout) => {
                if !blocked.as_ref().is_some_and(|b| b.borrow().is_some()) {
                    return Err(AmqpError::ConfirmTimeout(timeout));
                }
            }
        }
    };
    match result? {
        Confirmation::Nack(_) => Err(AmqpError::Nacked),
        Confirmation::Ack(Some(returned)) => Ok(Routed::Returned(format!(
            "{} {}",
            returned.reply_code, returned.reply_text
        ))),
        Confirmation::Ack(None) | Confirmation::NotRequested => Ok(Routed::Routed),
    }
}

/// Add a string header.
pub fn set_header(headers: &mut FieldTable, key: &str, value: &str) {
    headers.insert(key.into(), AMQPValue::LongString(LongString::from(value)));
}

/// An integer header, whatever integer type the publisher used.
pub fn int_header(props: &BasicProperties, key: &str) -> Option<i64> {
    let value = props.headers().as_ref()?.inner().get(key)?;
    match value {
        AMQPValue::ShortShortInt(v) => Some(i64::from(*v)),
        AMQPValue::ShortShortUInt(v) => Some(i64::from(*v)),
        AMQPValue::ShortInt(v) => Some(i64::from(*v)),
        AMQPValue::ShortUInt(v) => Some(i64::from(*v)),
        AMQPValue::LongInt(v) => Some(i64::from(*v)),
        AMQPValue::LongUInt(v) => Some(i64::from(*v)),
        AMQPValue::LongLongInt(v) => Some(*v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_node_is_tried_once_per_attempt_starting_where_asked() {
        assert_eq!(node_order(3, 0).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(node_order(3, 1).collect::<Vec<_>>(), [1, 2, 0]);
        assert_eq!(node_order(3, 5).collect::<Vec<_>>(), [2, 0, 1]);
        assert_eq!(node_order(1, 7).collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn the_cursor_moves_past_a_lost_node_and_after_a_failed_round() {
        let mut c = NodeCursor::at(3, 1);
        assert_eq!(c.start(), 1);
        // Connected to node 2 (node 1 did not answer): after losing it, start at node 0.
        c.connected(2);
        assert_eq!(c.start(), 0);
        assert_eq!(node_order(3, c.start()).collect::<Vec<_>>(), [0, 1, 2]);
        // A round in which no node answered: the next round starts one further.
        c.failed();
        assert_eq!(c.start(), 1);
        c.connected(0);
        assert_eq!(c.start(), 1);
        // One node: always that one.
        let mut one = NodeCursor::at(1, 5);
        one.connected(0);
        one.failed();
        assert_eq!(one.start(), 0);
    }

    #[test]
    fn workers_start_at_every_node() {
        let mut seen = [0usize; 3];
        for _ in 0..300 {
            seen[NodeCursor::random(3).start()] += 1;
        }
        assert!(seen.iter().all(|&n| n > 50), "{seen:?}");
    }

    #[test]
    fn routing_keys_stay_one_word_per_placeholder() {
        let values = [
            ("language", "en"),
            ("sentiment", "negative"),
            ("source", "nytimes.com"),
        ];
        assert_eq!(
            routing_key("article.enriched.{language}.{sentiment}", &values),
            "article.enriched.en.negative"
        );
        assert_eq!(
            routing_key("{source}.{language}", &values),
            "nytimes_com.en"
        );
        assert_eq!(routing_key("x.{source}", &[("source", "")]), "x.unknown");
    }
}
