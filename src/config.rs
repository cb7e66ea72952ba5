//! Configuration in two phases: layered raw TOML (built-in defaults, an optional file,
//! environment variables) is parsed into serde types, then validated into [`Config`].
//! Every problem found is reported at once, so an operator fixes a bad deployment in one go.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The documented defaults; the file ships in the repository and inside the binary.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

/// Prefix of environment overrides: `NEWS_ENRICHER__SECTION__KEY`.
pub const ENV_PREFIX: &str = "NEWS_ENRICHER__";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid configuration:\n  - {}", .0.join("\n  - "))]
    Invalid(Vec<String>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    amqp: RawAmqp,
    topology: RawTopology,
    worker: RawWorker,
    nlp: RawNlp,
    http: RawHttp,
    serve: RawServe,
    log: RawLog,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAmqp {
    url: String,
    tls_ca_file: String,
    connection_name: String,
    connect_timeout_ms: i64,
    prefetch: i64,
    publish_timeout_ms: i64,
    reconnect_initial_ms: i64,
    reconnect_max_ms: i64,
    heartbeat_s: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopology {
    declare: bool,
    input_exchange: String,
    input_queue: String,
    binding_key: String,
    queue_type: String,
    delivery_limit: i64,
    output_exchange: String,
    routing_key_template: String,
    dead_letter_exchange: String,
    dead_letter_queue: String,
    dead_letter_queue_type: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorker {
    max_message_bytes: i64,
    shutdown_timeout_ms: i64,
    pipeline_threads: i64,
    enrich: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNlp {
    default_language: String,
    max_entity_tags: i64,
    models_dir: String,
    sentiment_model: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    enabled: bool,
    listen: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServe {
    listen: String,
    timeout_ms: i64,
    max_pending: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLog {
    format: String,
    level: String,
}

/// The validated configuration the program runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub amqp: AmqpConfig,
    pub topology: TopologyConfig,
    pub worker: WorkerConfig,
    pub nlp: NlpConfig,
    pub http: HttpConfig,
    pub serve: ServeConfig,
    pub log: LogConfig,
}

#[derive(Clone)]
pub struct AmqpConfig {
    pub url: String,
    pub tls_ca_file: Option<PathBuf>,
    pub connection_name: String,
    pub connect_timeout: Duration,
    pub prefetch: u16,
    pub publish_timeout: Duration,
    pub reconnect_initial: Duration,
    pub reconnect_max: Duration,
    pub heartbeat_s: u16,
}

impl AmqpConfig {
    /// The broker nodes: `url` holds one URL or several separated by commas (a cluster; a
    /// comma inside a password is written `%2C`).
    pub fn nodes(&self) -> Vec<&str> {
        split_urls(&self.url)
    }
}

fn split_urls(list: &str) -> Vec<&str> {
    list.split([',', ' ', '\n', '\t'])
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .collect()
}

impl std::fmt::Debug for AmqpConfig {
    // Hand-written so that the password in the URL can never reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AmqpConfig")
            .field(
                "url",
                &self
                    .nodes()
                    .iter()
                    .map(|u| redact_url(u))
                    .collect::<Vec<_>>(),
            )
            .field("tls_ca_file", &self.tls_ca_file)
            .field("connection_name", &self.connection_name)
            .field("connect_timeout", &self.connect_timeout)
            .field("prefetch", &self.prefetch)
            .field("publish_timeout", &self.publish_timeout)
            .field("reconnect_initial", &self.reconnect_initial)
            .field("reconnect_max", &self.reconnect_max)
            .field("heartbeat_s", &self.heartbeat_s)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueType {
    Quorum,
    Classic,
}

impl QueueType {
    fn parse(s: &str) -> Option<QueueType> {
        match s {
            "quorum" => Some(QueueType::Quorum),
            "classic" => Some(QueueType::Classic),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct TopologyConfig {
    pub declare: bool,
    pub input_exchange: String,
    pub input_queue: String,
    pub binding_key: String,
    pub queue_type: QueueType,
    pub delivery_limit: u32,
    pub output_exchange: String,
    pub routing_key_template: String,
    pub dead_letter_exchange: String,
    pub dead_letter_queue: String,
    pub dead_letter_queue_type: QueueType,
}

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub max_message_bytes: usize,
    pub shutdown_timeout: Duration,
    /// Threads of the pipeline pool; resolved from 0 to the core count.
    pub pipeline_threads: usize,
    pub enrich: bool,
}

#[derive(Debug, Clone)]
pub struct NlpConfig {
    pub default_language: String,
    pub max_entity_tags: usize,
    pub models_dir: Option<PathBuf>,
    pub sentiment_model: SentimentModel,
}

/// Which sentiment scorer the pipeline uses (`nlp.sentiment_model`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentimentModel {
    /// The sentence and target models trained on annotated news (`models/sentiment.bin`).
    News,
    /// The exact VADER 3.3.2 port, with the lexicon-based entity scores.
    Vader,
}

impl Default for NlpConfig {
    fn default() -> Self {
        Config::defaults().nlp
    }
}

#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub enabled: bool,
    pub listen: SocketAddr,
}

/// The `serve` command: the enrichment API and the page.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    /// Whole request, from the first body byte to the response.
    pub timeout: Duration,
    /// Requests reading, waiting for or in the pipeline at once; more get 503.
    pub max_pending: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Clone)]
pub struct LogConfig {
    pub format: LogFormat,
    pub level: String,
}

/// Placeholders a routing-key template may use.
pub const ROUTING_PLACEHOLDERS: [&str; 4] = ["{language}", "{sentiment}", "{source}", "{country}"];

impl Config {
    /// The built-in defaults, validated.
    pub fn defaults() -> Config {
        Config::load_from(None, std::iter::empty()).expect("built-in defaults are valid")
    }

    /// Defaults, then `file`, then the process environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        Config::load_from(file, std::env::vars())
    }

    /// Like [`Config::load`] with an explicit environment, so tests need not touch the process's.
    pub fn load_from(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut errors = Vec::new();
        let defaults: toml::Table = DEFAULT_TOML.parse().expect("default.toml parses");
        let mut merged = defaults.clone();

        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.to_owned(),
                source,
            })?;
            match text.parse::<toml::Table>() {
                Ok(table) => merge(&mut merged, table, &defaults, "", &mut errors),
                Err(e) => errors.push(format!("{}: {}", path.display(), e.message())),
            }
        }
        apply_env(&mut merged, &defaults, env, &mut errors);
        if !errors.is_empty() {
            return Err(ConfigError::Invalid(errors));
        }
        let raw: RawConfig = match toml::Value::Table(merged).try_into() {
            Ok(raw) => raw,
            Err(e) => return Err(ConfigError::Invalid(vec![e.message().to_owned()])),
        };
        raw.validate()
    }
}

/// Deep-merge `over` into `base`, rejecting keys the defaults do not have (all of them).
fn merge(
    base: &mut toml::Table,
    over: toml::Table,
    defaults: &toml::Table,
    prefix: &str,
    errors: &mut Vec<String>,
) {
    for (key, value) in over {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match (defaults.get(&key), value) {
            (None, _) => errors.push(format!("unknown key `{path}`")),
            (Some(toml::Value::Table(def)), toml::Value::Table(sub)) => {
                let entry = base
                    .entry(key)
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                if let toml::Value::Table(b) = entry {
                    merge(b, sub, def, &path, errors);
                }
            }
            (Some(toml::Value::Table(_)), _) => errors.push(format!("`{path}` must be a table")),
            (Some(_), value) => {
                base.insert(key, value);
            }
        }
    }
}

fn apply_env(
    merged: &mut toml::Table,
    defaults: &toml::Table,
    env: impl IntoIterator<Item = (String, String)>,
    errors: &mut Vec<String>,
) {
    for (name, value) in env {
        let (section, key) = if name == "AMQP_URL" {
            ("amqp".to_owned(), "url".to_owned())
        } else if let Some(rest) = name.strip_prefix(ENV_PREFIX) {
            match rest.split_once("__") {
                Some((s, k)) => (s.to_ascii_lowercase(), k.to_ascii_lowercase()),
                None => {
                    errors.push(format!(
                        "environment variable {name}: expected {ENV_PREFIX}SECTION__KEY"
                    ));
                    continue;
                }
            }
        } else {
            continue;
        };
        let Some(default) = defaults
            .get(&section)
            .and_then(|s| s.as_table())
            .and_then(|s| s.get(&key))
        else {
            errors.push(format!(
                "environment variable {name}: unknown key `{section}.{key}`"
            ));
            continue;
        };
        // The default's type says how to read the string: a number stays a number.
        let parsed = match default {
            toml::Value::String(_) => Ok(toml::Value::String(value.clone())),
            toml::Value::Integer(_) => value
                .trim()
                .parse::<i64>()
                .map(toml::Value::Integer)
                .map_err(|_| "an integer"),
            toml::Value::Boolean(_) => value
                .trim()
                .parse::<bool>()
                .map(toml::Value::Boolean)
                .map_err(|_| "true or false"),
            _ => Err("a supported type"),
        };
        match parsed {
            Ok(v) => {
                if let Some(toml::Value::Table(t)) = merged.get_mut(&section) {
                    t.insert(key, v);
                }
            }
            Err(what) => errors.push(format!(
                "environment variable {name}: `{section}.{key}` must be {what}"
            )),
        }
    }
}

fn ms(v: i64) -> Duration {
    Duration::from_millis(v.max(0) as u64)
}

impl RawConfig {
    fn validate(self) -> Result<Config, ConfigError> {
        let mut errors = Vec::new();
        let mut check = |ok: bool, msg: &str| {
            if !ok {
                errors.push(msg.to_owned());
            }
        };
        let a = &self.amqp;
        let urls = split_urls(&a.url);
        check(
            !urls.is_empty()
                && urls
                    .iter()
                    .all(|u| u.starts_with("amqp://") || u.starts_with("amqps://")),
            "amqp.url must be one or more URLs (comma-separated) starting with amqp:// or amqps://",
        );
        check(
            (1..=65535).contains(&a.prefetch),
            "amqp.prefetch must be in 1..=65535",
        );
        check(
            a.connect_timeout_ms >= 1,
            "amqp.connect_timeout_ms must be at least 1",
        );
        check(
            a.publish_timeout_ms >= 1,
            "amqp.publish_timeout_ms must be at least 1",
        );
        check(
            a.reconnect_initial_ms >= 1,
            "amqp.reconnect_initial_ms must be at least 1",
        );
        check(
            a.reconnect_max_ms >= a.reconnect_initial_ms,
            "amqp.reconnect_max_ms must be at least amqp.reconnect_initial_ms",
        );
        check(
            (0..=65535).contains(&a.heartbeat_s),
            "amqp.heartbeat_s must be in 0..=65535",
        );
        let ca = (!a.tls_ca_file.is_empty()).then(|| PathBuf::from(&a.tls_ca_file));
        if let Some(ca) = &ca {
            check(
                ca.is_file(),
                &format!("amqp.tls_ca_file {} is not a readable file", ca.display()),
            );
        }

        let t = &self.topology;
        for (name, value) in [
            ("topology.input_exchange", &t.input_exchange),
            ("topology.input_queue", &t.input_queue),
            ("topology.output_exchange", &t.output_exchange),
            ("topology.dead_letter_exchange", &t.dead_letter_exchange),
            ("topology.dead_letter_queue", &t.dead_letter_queue),
        ] {
            check(
                !value.is_empty() && value.len() <= 255,
                &format!("{name} must be 1 to 255 bytes"),
            );
        }
        let queue_type = QueueType::parse(&t.queue_type);
        check(
            queue_type.is_some(),
            "topology.queue_type must be \"quorum\" or \"classic\"",
        );
        let dead_letter_queue_type = QueueType::parse(&t.dead_letter_queue_type);
        check(
            dead_letter_queue_type.is_some(),
            "topology.dead_letter_queue_type must be \"quorum\" or \"classic\"",
        );
        check(
            (1..=1_000_000).contains(&t.delivery_limit),
            "topology.delivery_limit must be in 1..=1000000",
        );
        check(
            routing_template_ok(&t.routing_key_template),
            "topology.routing_key_template may only use {language}, {sentiment}, {source} and {country}",
        );

        let w = &self.worker;
        check(
            (1..=(256 << 20)).contains(&w.max_message_bytes),
            "worker.max_message_bytes must be in 1..=268435456",
        );
        check(
            w.shutdown_timeout_ms >= 0,
            "worker.shutdown_timeout_ms must not be negative",
        );
        check(
            (0..=1024).contains(&w.pipeline_threads),
            "worker.pipeline_threads must be in 0..=1024",
        );

        let n = &self.nlp;
        check(
            n.default_language.len() == 2
                && n.default_language.bytes().all(|b| b.is_ascii_lowercase()),
            "nlp.default_language must be a two-letter ISO 639-1 code such as \"en\"",
        );
        check(
            (0..=100).contains(&n.max_entity_tags),
            "nlp.max_entity_tags must be in 0..=100",
        );
        let sentiment_model = match n.sentiment_model.as_str() {
            "news" => Some(SentimentModel::News),
            "vader" => Some(SentimentModel::Vader),
            _ => None,
        };
        check(
            sentiment_model.is_some(),
            "nlp.sentiment_model must be \"news\" or \"vader\"",
        );
        let models_dir = (!n.models_dir.is_empty()).then(|| PathBuf::from(&n.models_dir));
        if let Some(dir) = &models_dir {
            check(
                dir.is_dir(),
                &format!("nlp.models_dir {} is not a directory", dir.display()),
            );
        }

        let listen = self.http.listen.parse::<SocketAddr>();
        check(
            listen.is_ok(),
            "http.listen must be an address such as 0.0.0.0:9090",
        );
        let s = &self.serve;
        let serve_listen = s.listen.parse::<SocketAddr>();
        check(
            serve_listen.is_ok(),
            "serve.listen must be an address such as 127.0.0.1:8080",
        );
        check(s.timeout_ms >= 1, "serve.timeout_ms must be at least 1");
        check(
            (1..=100_000).contains(&s.max_pending),
            "serve.max_pending must be in 1..=100000",
        );
        let format = match self.log.format.as_str() {
            "human" => Some(LogFormat::Human),
            "json" => Some(LogFormat::Json),
            _ => None,
        };
        check(format.is_some(), "log.format must be \"human\" or \"json\"");
        check(
            tracing_subscriber::EnvFilter::try_new(&self.log.level).is_ok(),
            "log.level is not a valid tracing filter",
        );

        if !errors.is_empty() {
            return Err(ConfigError::Invalid(errors));
        }
        let threads = match w.pipeline_threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n as usize,
        };
        Ok(Config {
            amqp: AmqpConfig {
                url: a.url.clone(),
                tls_ca_file: ca,
                connection_name: a.connection_name.clone(),
                connect_timeout: ms(a.connect_timeout_ms),
                prefetch: a.prefetch as u16,
                publish_timeout: ms(a.publish_timeout_ms),
                reconnect_initial: ms(a.reconnect_initial_ms),
                reconnect_max: ms(a.reconnect_max_ms),
                heartbeat_s: a.heartbeat_s as u16,
            },
            topology: TopologyConfig {
                declare: t.declare,
                input_exchange: t.input_exchange.clone(),
                input_queue: t.input_queue.clone(),
                binding_key: t.binding_key.clone(),
                queue_type: queue_type.expect("checked"),
                delivery_limit: t.delivery_limit as u32,
                output_exchange: t.output_exchange.clone(),
                routing_key_template: t.routing_key_template.clone(),
                dead_letter_exchange: t.dead_letter_exchange.clone(),
                dead_letter_queue: t.dead_letter_queue.clone(),
                dead_letter_queue_type: dead_letter_queue_type.expect("checked"),
            },
            worker: WorkerConfig {
                max_message_bytes: w.max_message_bytes as usize,
                shutdown_timeout: ms(w.shutdown_timeout_ms),
                pipeline_threads: threads,
                enrich: w.enrich,
            },
            nlp: NlpConfig {
                default_language: n.default_language.clone(),
                max_entity_tags: n.max_entity_tags as usize,
                models_dir,
                sentiment_model: sentiment_model.expect("checked"),
            },
            http: HttpConfig {
                enabled: self.http.enabled,
                listen: listen.expect("checked"),
            },
            serve: ServeConfig {
                listen: serve_listen.expect("checked"),
                timeout: ms(s.timeout_ms),
                max_pending: s.max_pending as usize,
            },
            log: LogConfig {
                format: format.expect("checked"),
                level: self.log.level.clone(),
            },
        })
    }
}

fn routing_template_ok(template: &str) -> bool {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let tail = &rest[open..];
        match ROUTING_PLACEHOLDERS.iter().find(|p| tail.starts_with(**p)) {
            Some(p) => rest = &tail[p.len()..],
            None => return false,
        }
    }
    !template.is_empty() && !rest.contains('}')
}

/// The URL with any password replaced, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let after = &url[scheme_end + 3..];
    let authority_end = after.find('/').unwrap_or(after.len());
    match after[..authority_end].rfind('@') {
        Some(at) => {
            let userinfo = &after[..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!(
                "{}{}:***@{}",
                &url[..scheme_end + 3],
                user,
                &after[at + 1..]
            )
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_are_the_documented_topology() {
        let c = Config::defaults();
        assert_eq!(c.topology.input_exchange, "news.articles");
        assert_eq!(c.topology.input_queue, "news.enricher");
        assert_eq!(c.topology.binding_key, "#");
        assert_eq!(c.topology.queue_type, QueueType::Quorum);
        assert_eq!(c.topology.output_exchange, "news.enriched");
        assert_eq!(c.topology.dead_letter_exchange, "news.dead");
        assert_eq!(c.topology.dead_letter_queue, "news.enricher.dead");
        assert_eq!(c.topology.dead_letter_queue_type, QueueType::Quorum);
        assert_eq!(
            c.topology.routing_key_template,
            "article.enriched.{language}.{sentiment}"
        );
    }

    #[test]
    fn env_overrides_file_and_defaults() {
        let dir = std::env::temp_dir().join(format!("ne-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.toml");
        std::fs::write(&file, "[amqp]\nprefetch = 7\nheartbeat_s = 5\n").unwrap();
        let c = Config::load_from(
            Some(&file),
            env(&[
                ("NEWS_ENRICHER__AMQP__PREFETCH", "9"),
                ("AMQP_URL", "amqps://u:secret@broker:5671/%2f"),
                ("UNRELATED", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(c.amqp.prefetch, 9);
        assert_eq!(c.amqp.heartbeat_s, 5);
        assert_eq!(c.amqp.url, "amqps://u:secret@broker:5671/%2f");
        assert!(!format!("{:?}", c.amqp).contains("secret"));
    }

    #[test]
    fn every_error_is_listed() {
        let dir = std::env::temp_dir().join(format!("ne-cfg-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.toml");
        std::fs::write(&file, "[amqp]\nprefetc = 7\n[bogus]\nx = 1\n").unwrap();
        let err = Config::load_from(
            Some(&file),
            env(&[
                ("NEWS_ENRICHER__AMQP__PREFETCH", "many"),
                ("NEWS_ENRICHER__NLP__NOPE", "1"),
            ]),
        )
        .unwrap_err()
        .to_string();
        for needle in [
            "amqp.prefetc",
            "`bogus`",
            "NEWS_ENRICHER__AMQP__PREFETCH",
            "nlp.nope",
        ] {
            assert!(err.contains(needle), "{needle} missing from: {err}");
        }
    }

    #[test]
    fn the_sentiment_model_is_news_by_default_and_checked() {
        assert_eq!(Config::defaults().nlp.sentiment_model, SentimentModel::News);
        let vader = Config::load_from(
            None,
            env(&[("NEWS_ENRICHER__NLP__SENTIMENT_MODEL", "vader")]),
        )
        .unwrap();
        assert_eq!(vader.nlp.sentiment_model, SentimentModel::Vader);
        let err = Config::load_from(
            None,
            env(&[("NEWS_ENRICHER__NLP__SENTIMENT_MODEL", "bert")]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("nlp.sentiment_model must be \"news\" or \"vader\""),
            "{err}"
        );
    }

    #[test]
    fn invalid_values_are_all_reported() {
        let err = Config::load_from(
            None,
            env(&[
                ("NEWS_ENRICHER__AMQP__PREFETCH", "0"),
                ("NEWS_ENRICHER__TOPOLOGY__QUEUE_TYPE", "stream"),
                ("NEWS_ENRICHER__TOPOLOGY__ROUTING_KEY_TEMPLATE", "a.{nope}"),
                ("NEWS_ENRICHER__LOG__FORMAT", "xml"),
                ("AMQP_URL", "http://x"),
            ]),
        )
        .unwrap_err()
        .to_string();
        for needle in [
            "amqp.prefetch",
            "queue_type",
            "routing_key_template",
            "log.format",
            "amqp.url",
        ] {
            assert!(err.contains(needle), "{needle} missing from: {err}");
        }
    }

    #[test]
    fn the_country_placeholder_is_accepted() {
        let c = Config::load_from(
            None,
            env(&[(
                "NEWS_ENRICHER__TOPOLOGY__ROUTING_KEY_TEMPLATE",
                "article.{country}.{language}",
            )]),
        )
        .unwrap();
        assert_eq!(
            c.topology.routing_key_template,
            "article.{country}.{language}"
        );
    }

    #[test]
    fn a_cluster_is_a_comma_separated_list_of_urls() {
        let c = Config::load_from(
            None,
            env(&[(
                "AMQP_URL",
                "amqp://u:secret@n1:5672/%2f, amqp://u:secret@n2:5672/%2f,amqp://u:secret@n3/%2f",
            )]),
        )
        .unwrap();
        assert_eq!(
            c.amqp.nodes(),
            [
                "amqp://u:secret@n1:5672/%2f",
                "amqp://u:secret@n2:5672/%2f",
                "amqp://u:secret@n3/%2f"
            ]
        );
        assert!(!format!("{:?}", c.amqp).contains("secret"));
        let err = Config::load_from(None, env(&[("AMQP_URL", "amqp://n1,http://n2")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("amqp.url"), "{err}");
        assert!(Config::load_from(None, env(&[("AMQP_URL", " , ")])).is_err());
    }

    #[test]
    fn redaction_hides_the_password_only() {
        assert_eq!(
            redact_url("amqp://guest:guest@127.0.0.1:5672/%2f"),
            "amqp://guest:***@127.0.0.1:5672/%2f"
        );
        assert_eq!(redact_url("amqp://host/%2f"), "amqp://host/%2f");
    }
}
