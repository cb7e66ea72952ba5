//! Helpers for the tests that run against the real RabbitMQ on this machine: a broker
//! connection that fails loudly when none is reachable, a worker process with its own queue
//! names, publishing with confirms, and draining a queue.
#![allow(dead_code)]

use futures_util::StreamExt;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, QueueBindOptions, QueueDeclareOptions,
    QueueDeleteOptions, QueuePurgeOptions,
};
use lapin::types::FieldTable;
use lapin::{Channel, Connection};
use news_enricher::amqp;
use news_enricher::config::Config;
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn amqp_url() -> String {
    std::env::var("AMQP_URL").unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672/%2f".into())
}

/// Tests that use the broker hold this lock (across test processes too), so that a test that
/// disturbs the broker never runs beside another broker test.
pub struct BrokerLock(#[allow(dead_code)] std::fs::File);

pub fn broker_lock() -> BrokerLock {
    let path = std::env::temp_dir().join("news-enricher-broker-tests.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .expect("lock file");
    file.lock().expect("lock the broker for this test");
    BrokerLock(file)
}

pub async fn connect() -> Connection {
    let mut config = Config::defaults().amqp;
    config.url = amqp_url();
    match amqp::connect(&config).await {
        Ok(c) => c,
        Err(e) => panic!(
            "RabbitMQ is not reachable at {} ({e}). These tests need a real broker: \
             start one with `rabbitmq-server -detached` (or set AMQP_URL).",
            news_enricher::config::redact_url(&amqp_url())
        ),
    }
}

/// Queue and exchange names of one test, so that tests cannot disturb each other.
#[derive(Debug, Clone)]
pub struct Names {
    pub prefix: String,
}

impl Names {
    pub fn new(test: &str) -> Names {
        Names {
            prefix: format!("test.{test}.{}", std::process::id()),
        }
    }
    pub fn input_exchange(&self) -> String {
        format!("{}.in", self.prefix)
    }
    pub fn input_queue(&self) -> String {
        format!("{}.work", self.prefix)
    }
    pub fn output_exchange(&self) -> String {
        format!("{}.out", self.prefix)
    }
    pub fn dead_exchange(&self) -> String {
        format!("{}.dead", self.prefix)
    }
    pub fn dead_queue(&self) -> String {
        format!("{}.dead.q", self.prefix)
    }
    /// The test's own queue on the output exchange.
    pub fn collect_queue(&self) -> String {
        format!("{}.collect", self.prefix)
    }

    /// Environment that points a worker at these names.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            ("AMQP_URL".to_owned(), amqp_url()),
            (
                "NEWS_ENRICHER__TOPOLOGY__INPUT_EXCHANGE".into(),
                self.input_exchange(),
            ),
            (
                "NEWS_ENRICHER__TOPOLOGY__INPUT_QUEUE".into(),
                self.input_queue(),
            ),
            (
                "NEWS_ENRICHER__TOPOLOGY__OUTPUT_EXCHANGE".into(),
                self.output_exchange(),
            ),
            (
                "NEWS_ENRICHER__TOPOLOGY__DEAD_LETTER_EXCHANGE".into(),
                self.dead_exchange(),
            ),
            (
                "NEWS_ENRICHER__TOPOLOGY__DEAD_LETTER_QUEUE".into(),
                self.dead_queue(),
            ),
            ("NEWS_ENRICHER__HTTP__ENABLED".into(), "false".into()),
            ("NEWS_ENRICHER__LOG__LEVEL".into(), "warn".into()),
            (
                "NEWS_ENRICHER__AMQP__RECONNECT_MAX_MS".into(),
                "2000".into(),
            ),
        ];
        env.push(("RUST_LOG".into(), "news_enricher=warn".into()));
        env
    }

    /// The worker's config with these names, for declaring the topology from the test.
    pub fn config(&self) -> Config {
        Config::load_from(None, self.env()).expect("test config is valid")
    }

    /// Declare the topology exactly as the worker will, plus the collecting queue.
    pub async fn declare(&self, channel: &Channel) {
        self.declare_with(channel, FieldTable::default()).await;
    }

    /// Like [`Names::declare`], with the collecting queue a quorum queue, so that it survives
    /// the loss of a cluster node (a classic queue lives on one node).
    pub async fn declare_quorum_collector(&self, channel: &Channel) {
        let mut args = FieldTable::default();
        args.insert(
            "x-queue-type".into(),
            lapin::types::AMQPValue::LongString("quorum".into()),
        );
        self.declare_with(channel, args).await;
    }

    async fn declare_with(&self, channel: &Channel, collector_args: FieldTable) {
        let config = self.config();
        amqp::declare_topology(channel, &config.topology)
            .await
            .expect("declare topology");
        self.bind_queue(channel, &self.collect_queue(), "#", collector_args)
            .await;
    }

    pub async fn bind_collector(&self, channel: &Channel, queue: &str, key: &str) {
        self.bind_queue(channel, queue, key, FieldTable::default())
            .await;
    }

    async fn bind_queue(&self, channel: &Channel, queue: &str, key: &str, args: FieldTable) {
        channel
            .queue_declare(
                queue.into(),
                QueueDeclareOptions {
                    durable: true,
                    ..Default::default()
                },
                args,
            )
            .await
            .expect("declare collect queue");
        channel
            .queue_bind(
                queue.into(),
                self.output_exchange().as_str().into(),
                key.into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await
            .expect("bind collect queue");
    }

    /// Remove everything this test declared.
    pub async fn cleanup(&self, extra_queues: &[String]) {
        let conn = connect().await;
        let ch = conn.create_channel().await.unwrap();
        let mut queues = vec![self.input_queue(), self.dead_queue(), self.collect_queue()];
        queues.extend(extra_queues.iter().cloned());
        for q in queues {
            let _ = ch
                .queue_delete(q.as_str().into(), QueueDeleteOptions::default())
                .await;
        }
        for x in [
            self.input_exchange(),
            self.output_exchange(),
            self.dead_exchange(),
        ] {
            let _ = ch
                .exchange_delete(x.as_str().into(), Default::default())
                .await;
        }
        let _ = conn.close(200, "bye".into()).await;
    }

    pub async fn purge(&self, channel: &Channel, queue: &str) {
        let _ = channel
            .queue_purge(queue.into(), QueuePurgeOptions::default())
            .await;
    }
}

/// The binary under test: cargo's own build of it in integration tests; elsewhere (the fault
/// scenarios in `examples/faults.rs`) `NEWS_ENRICHER_BIN`, by default the release build.
pub fn worker_bin() -> String {
    match option_env!("CARGO_BIN_EXE_news-enricher") {
        Some(bin) => bin.to_owned(),
        None => std::env::var("NEWS_ENRICHER_BIN")
            .unwrap_or_else(|_| "target/release/news-enricher".to_owned()),
    }
}

/// A worker process; killed when dropped unless it has exited.
pub struct WorkerProcess {
    pub child: Child,
}

impl WorkerProcess {
    pub fn start(env: &[(String, String)]) -> WorkerProcess {
        WorkerProcess::spawn(env, Stdio::inherit())
    }

    /// Like [`WorkerProcess::start`], with the worker's log (stderr) written to `log`.
    pub fn start_logging(env: &[(String, String)], log: &std::path::Path) -> WorkerProcess {
        let file = std::fs::File::create(log).expect("create the worker's log file");
        WorkerProcess::spawn(env, file.into())
    }

    fn spawn(env: &[(String, String)], stderr: Stdio) -> WorkerProcess {
        let child = Command::new(worker_bin())
            .arg("run")
            .env_remove("RUST_LOG")
            .envs(env.iter().cloned())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("start the worker binary");
        WorkerProcess { child }
    }

    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success(), "kill -{signal} failed");
    }

    /// Wait for the process to exit, at most `timeout`.
    pub fn wait(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A small article whose sentiment is clearly positive, negative or neutral.
pub fn article(i: usize) -> serde_json::Value {
    let body = match i % 3 {
        0 => "The festival was a wonderful success and everyone loved it.",
        1 => "The attack killed dozens and left the city in terrible grief.",
        _ => "The committee meets on Tuesday in the town hall.",
    };
    serde_json::json!({
        "id": format!("article-{i}"),
        "title": "Local news",
        "body": body,
        "source": "test",
        "language": "en",
        "custom": {"n": i},
    })
}

/// Publish bodies to an exchange with confirms, in windows.
pub async fn publish_all(channel: &Channel, exchange: &str, bodies: &[(Option<String>, Vec<u8>)]) {
    for window in bodies.chunks(500) {
        let futures = window.iter().map(|(id, body)| {
            amqp::publish_confirmed(
                channel,
                exchange,
                "article.raw",
                body,
                amqp::json_properties(id.as_deref()),
                Duration::from_secs(30),
            )
        });
        for r in futures_util::future::join_all(futures).await {
            r.expect("test publish confirmed");
        }
    }
}

pub async fn publish_articles(channel: &Channel, exchange: &str, n: usize) {
    let bodies: Vec<_> = (0..n)
        .map(|i| {
            let a = article(i);
            (
                Some(a["id"].as_str().unwrap().to_owned()),
                serde_json::to_vec(&a).unwrap(),
            )
        })
        .collect();
    publish_all(channel, exchange, &bodies).await;
}

/// A message taken from a queue.
#[derive(Debug, Clone)]
pub struct Received {
    pub message_id: Option<String>,
    pub routing_key: String,
    pub content_type: Option<String>,
    pub persistent: bool,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("output is JSON")
    }
}

/// Consume (and ack) from `queue` until `expected` messages arrived or `idle` passes with
/// nothing new.
pub async fn drain(
    channel: &Channel,
    queue: &str,
    expected: usize,
    idle: Duration,
) -> Vec<Received> {
    let mut consumer = channel
        .basic_consume(
            queue.into(),
            "".into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await
        .expect("consume");
    let mut out = Vec::new();
    while out.len() < expected {
        match tokio::time::timeout(idle, consumer.next()).await {
            Ok(Some(Ok(d))) => {
                d.ack(BasicAckOptions::default()).await.expect("ack");
                let headers = d
                    .properties
                    .headers()
                    .as_ref()
                    .map(|h| {
                        h.inner()
                            .iter()
                            .filter_map(|(k, v)| match v {
                                lapin::types::AMQPValue::LongString(s) => Some((
                                    k.to_string(),
                                    String::from_utf8_lossy(s.as_bytes()).into_owned(),
                                )),
                                _ => None,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                out.push(Received {
                    message_id: d.properties.message_id().as_ref().map(|s| s.to_string()),
                    routing_key: d.routing_key.to_string(),
                    content_type: d.properties.content_type().as_ref().map(|s| s.to_string()),
                    persistent: d.properties.delivery_mode() == &Some(2),
                    headers,
                    body: d.data,
                });
            }
            Ok(Some(Err(e))) => panic!("consumer failed: {e}"),
            Ok(None) | Err(_) => break,
        }
    }
    out
}

/// What came out of a stream of articles `article-0` .. `article-{n-1}`.
pub struct Tally {
    /// Ids that never came out.
    pub missing: Vec<String>,
    /// Outputs beyond one per article (at-least-once allows them).
    pub duplicates: usize,
    /// Messages in the dead-letter queue.
    pub dead: u32,
    /// Outputs per article id.
    pub per_id: HashMap<String, usize>,
}

/// Take (and ack) every output in the collecting queue and compare with the `n` articles.
pub async fn tally(names: &Names, n: usize) -> Tally {
    let conn = connect().await;
    let ch = conn.create_channel().await.unwrap();
    let out = drain(
        &ch,
        &names.collect_queue(),
        usize::MAX,
        Duration::from_secs(3),
    )
    .await;
    let mut per_id: HashMap<String, usize> = HashMap::new();
    for r in &out {
        *per_id
            .entry(r.json()["id"].as_str().expect("id").to_owned())
            .or_default() += 1;
    }
    let missing = (0..n)
        .map(|i| format!("article-{i}"))
        .filter(|id| !per_id.contains_key(id))
        .collect();
    let dead = queue_len(&names.dead_queue()).await.unwrap_or(0);
    let _ = conn.close(200, "bye".into()).await;
    Tally {
        missing,
        duplicates: out.len() - per_id.len(),
        dead,
        per_id,
    }
}

/// Messages ready in a queue, on a fresh connection each time (so that it works while the
/// broker is closing connections).
pub async fn queue_len(queue: &str) -> Option<u32> {
    let mut config = Config::defaults().amqp;
    config.url = amqp_url();
    let conn = amqp::connect(&config).await.ok()?;
    let ch = conn.create_channel().await.ok()?;
    let q = ch
        .queue_declare(
            queue.into(),
            QueueDeclareOptions {
                passive: true,
                ..Default::default()
            },
            FieldTable::default(),
        )
        .await
        .ok()?;
    let _ = conn.close(200, "bye".into()).await;
    Some(q.message_count())
}

/// Wait until `cond` holds for the queue's length, polling.
pub async fn wait_queue(queue: &str, timeout: Duration, cond: impl Fn(u32) -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Some(n) = queue_len(queue).await {
            if cond(n) {
                return true;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// Run rabbitmqctl: `RABBITMQCTL` when set (e.g. "docker compose exec -T rabbitmq
/// rabbitmqctl"); else the local one when it is installed; else the one inside the
/// `rabbitmq` service of docker-compose.yml, the quick start's broker (so `cargo test` needs
/// no setting on a machine that has only Docker).
pub fn rabbitmqctl(args: &[&str]) {
    let (ctl, mut command) = rabbitmqctl_command(args);
    let status = command
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run `{ctl}` ({e}): set RABBITMQCTL"));
    assert!(status.success(), "{ctl} {args:?} failed");
}

/// Run rabbitmqctl like [`rabbitmqctl`] and return what it printed.
pub fn rabbitmqctl_output(args: &[&str]) -> String {
    let (ctl, mut command) = rabbitmqctl_command(args);
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{ctl}` ({e}): set RABBITMQCTL"));
    assert!(out.status.success(), "{ctl} {args:?} failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn rabbitmqctl_command(args: &[&str]) -> (String, std::process::Command) {
    let ctl = std::env::var("RABBITMQCTL").unwrap_or_else(|_| {
        if on_path("rabbitmqctl") {
            "rabbitmqctl".into()
        } else {
            "docker compose exec -T rabbitmq rabbitmqctl".into()
        }
    });
    let mut words = ctl.split_whitespace();
    let mut command = std::process::Command::new(words.next().expect("RABBITMQCTL is empty"));
    command.args(words).args(args);
    (ctl, command)
}

/// A memory alarm on the broker, raised by setting the high watermark to 1 byte; the
/// broker's previous watermark is restored when this is dropped, also when a test panics.
pub struct MemoryAlarm {
    previous: Vec<String>,
}

impl MemoryAlarm {
    /// Read the broker's watermark, to restore it; the alarm is raised by [`MemoryAlarm::raise`].
    pub fn new() -> MemoryAlarm {
        // `0.4` (a fraction of RAM) or `{absolute,1073741824}`.
        let now =
            rabbitmqctl_output(&["eval", "vm_memory_monitor:get_vm_memory_high_watermark()."]);
        let now = now.trim();
        let previous = match now.strip_prefix("{absolute,") {
            Some(rest) => vec![
                "absolute".to_owned(),
                rest.trim_end_matches('}').trim().to_owned(),
            ],
            None => {
                assert!(now.parse::<f64>().is_ok(), "unexpected watermark {now:?}");
                vec![now.to_owned()]
            }
        };
        MemoryAlarm { previous }
    }

    pub fn raise(&self) {
        rabbitmqctl(&["set_vm_memory_high_watermark", "absolute", "1"]);
    }
}

impl Drop for MemoryAlarm {
    fn drop(&mut self) {
        let mut args = vec!["set_vm_memory_high_watermark"];
        args.extend(self.previous.iter().map(String::as_str));
        rabbitmqctl(&args);
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// RabbitMQ's management API (its management plugin): `RABBITMQ_MANAGEMENT_URL`, by default
/// http://127.0.0.1:15672, which docker-compose.yml publishes; the user, password and vhost
/// of `AMQP_URL`.
pub struct Management {
    host_port: String,
    auth: String,
    vhost: String,
}

impl Management {
    pub fn new() -> Management {
        let url = std::env::var("RABBITMQ_MANAGEMENT_URL")
            .unwrap_or_else(|_| "http://127.0.0.1:15672".into());
        let host_port = url
            .strip_prefix("http://")
            .expect("RABBITMQ_MANAGEMENT_URL must be http://host:port")
            .trim_end_matches('/')
            .to_owned();
        let amqp = amqp_url();
        let rest = amqp.split_once("://").map_or(amqp.as_str(), |(_, r)| r);
        let (userinfo, hostpath) = rest.rsplit_once('@').unwrap_or(("guest:guest", rest));
        let vhost = hostpath.split_once('/').map_or("/", |(_, v)| v);
        let vhost = match vhost {
            "" | "%2f" | "%2F" => "/".to_owned(),
            v => v.to_owned(),
        };
        Management {
            host_port,
            auth: base64(userinfo.as_bytes()),
            vhost,
        }
    }

    /// One request; the status and the body. Panics, naming the API, when it is unreachable.
    fn call(&self, method: &str, path: &str, extra_header: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&self.host_port).unwrap_or_else(|e| {
            panic!(
                "RabbitMQ's management API is not reachable at {} ({e}). Enable it with \
                 `rabbitmq-plugins enable rabbitmq_management` (the docker-compose broker has \
                 it), or set RABBITMQ_MANAGEMENT_URL.",
                self.host_port
            )
        });
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Basic {}\r\n{extra_header}\
             Connection: close\r\n\r\n",
            self.host_port, self.auth
        )
        .expect("write to the management API");
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .expect("read from the management API");
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = response
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_owned();
        (status, body)
    }

    /// Force-close every client connection of the vhost, as `rabbitmqctl
    /// close_all_connections` does; returns how many there were (at least one).
    pub fn close_all_connections(&self, reason: &str) -> usize {
        // Without statistics the list comes from the broker's connection tracking, which
        // has a connection as soon as it opens; the statistics lag by seconds.
        let path = "/api/connections?disable_stats=true";
        let (status, body) = self.call("GET", path, "");
        assert_eq!(status, 200, "GET {path}: {body}");
        let body = dechunk_if_needed(&body);
        let list: serde_json::Value = serde_json::from_str(&body).expect("connections JSON");
        let names: Vec<&str> = list
            .as_array()
            .expect("a list of connections")
            .iter()
            .filter(|c| c["vhost"] == self.vhost.as_str())
            .filter_map(|c| c["name"].as_str())
            .collect();
        // A fault test that closed nothing would pass without testing anything.
        assert!(
            !names.is_empty(),
            "no connection to close in vhost {}: {body}",
            self.vhost
        );
        for name in &names {
            let path = format!("/api/connections/{}", percent(name));
            let (status, body) = self.call("DELETE", &path, &format!("X-Reason: {reason}\r\n"));
            // 404: it closed by itself meanwhile.
            assert!(
                matches!(status, 204 | 404),
                "DELETE {path}: {status} {body}"
            );
        }
        names.len()
    }
}

/// The management API may answer with a chunked body.
fn dechunk_if_needed(body: &str) -> String {
    let trimmed = body.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        return body.to_owned();
    }
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || tail.len() < n {
            break;
        }
        out.push_str(&tail[..n]);
        rest = tail[n..].trim_start_matches("\r\n");
    }
    out
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |acc, &b| acc << 8 | b as u32) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A bare HTTP/1.1 GET: the whole response, status line first; empty when nothing listens
/// (yet) on the port.
pub fn http_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    );
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
}
