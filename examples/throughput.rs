//! End-to-end throughput through the real broker: persistent messages, publisher confirms,
//! manual acks. Fills a fresh input queue with N articles, starts K worker processes on it,
//! and times the enriched outputs arriving on a queue bound to the output exchange.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example throughput -- [--n 20000] [--workers 1] [--passthrough] \
//!     [--articles FILE.jsonl] [--prefetch 32] [--csv FILE]
//! ```
//!
//! Besides articles/s it reports each worker's time from start to ready (`/readyz`), the
//! p50/p99 of consume-to-confirmed-publish read off the workers' histograms, and their resident
//! memory (sampled every tenth of the run, so growth after warm-up shows). `--csv` appends one
//! line per run (header written when the file is new) for `scripts/plot_benchmarks.py`.
//!
//! The worker binary is `target/release/news-enricher` (or `NEWS_ENRICHER_BIN`); the broker is
//! `AMQP_URL` (default local guest). Everything it declares is named `bench.<pid>.*` and is
//! deleted at the end.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{free_port, http_get};
use futures_util::StreamExt;
use lapin::options::{
    BasicConsumeOptions, QueueBindOptions, QueueDeclareOptions, QueueDeleteOptions,
};
use lapin::types::FieldTable;
use news_enricher::amqp;
use news_enricher::config::Config;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Args {
    n: usize,
    workers: usize,
    passthrough: bool,
    articles: Option<String>,
    prefetch: u16,
    csv: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        n: 20_000,
        workers: 1,
        passthrough: false,
        articles: None,
        prefetch: 32,
        csv: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().expect("flag value");
        match flag.as_str() {
            "--n" => a.n = value().parse().expect("--n N"),
            "--workers" => a.workers = value().parse().expect("--workers K"),
            "--passthrough" => a.passthrough = true,
            "--articles" => a.articles = Some(value()),
            "--prefetch" => a.prefetch = value().parse().expect("--prefetch N"),
            "--csv" => a.csv = Some(value()),
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

fn articles(path: Option<&str>) -> Vec<serde_json::Value> {
    match path {
        Some(p) => std::fs::read_to_string(p)
            .expect("articles file")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("JSON line"))
            .collect(),
        None => vec![serde_json::from_str(include_str!("../tests/data/iran-talks.json")).unwrap()],
    }
}

#[tokio::main]
async fn main() {
    let args = args();
    let prefix = format!("bench.{}", std::process::id());
    let mut env: Vec<(String, String)> = vec![
        (
            "NEWS_ENRICHER__TOPOLOGY__INPUT_EXCHANGE".into(),
            format!("{prefix}.in"),
        ),
        (
            "NEWS_ENRICHER__TOPOLOGY__INPUT_QUEUE".into(),
            format!("{prefix}.work"),
        ),
        (
            "NEWS_ENRICHER__TOPOLOGY__OUTPUT_EXCHANGE".into(),
            format!("{prefix}.out"),
        ),
        (
            "NEWS_ENRICHER__TOPOLOGY__DEAD_LETTER_EXCHANGE".into(),
            format!("{prefix}.dead"),
        ),
        (
            "NEWS_ENRICHER__TOPOLOGY__DEAD_LETTER_QUEUE".into(),
            format!("{prefix}.dead.q"),
        ),
        (
            "NEWS_ENRICHER__AMQP__PREFETCH".into(),
            args.prefetch.to_string(),
        ),
        (
            "NEWS_ENRICHER__WORKER__ENRICH".into(),
            (!args.passthrough).to_string(),
        ),
        ("NEWS_ENRICHER__LOG__LEVEL".into(), "warn".into()),
    ];
    if let Ok(url) = std::env::var("AMQP_URL") {
        env.push(("AMQP_URL".into(), url));
    }
    let config = Config::load_from(None, env.clone()).expect("config");
    let conn = amqp::connect(&config.amqp).await.expect("broker reachable");
    let publish = amqp::confirm_channel(&conn).await.unwrap();
    amqp::declare_topology(&publish, &config.topology)
        .await
        .unwrap();
    let collect = format!("{prefix}.collect");
    publish
        .queue_declare(
            collect.as_str().into(),
            QueueDeclareOptions::default(),
            FieldTable::default(),
        )
        .await
        .unwrap();
    publish
        .queue_bind(
            collect.as_str().into(),
            config.topology.output_exchange.as_str().into(),
            "#".into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
        .unwrap();

    let source = articles(args.articles.as_deref());
    let started = Instant::now();
    let bodies: Vec<(String, Vec<u8>)> = (0..args.n)
        .map(|i| {
            let mut a = source[i % source.len()].clone();
            let id = format!("bench-{i}");
            a["id"] = id.clone().into();
            (id, serde_json::to_vec(&a).unwrap())
        })
        .collect();
    let bytes: usize = bodies.iter().map(|b| b.1.len()).sum();
    for window in bodies.chunks(1000) {
        let confirms = window.iter().map(|(id, body)| {
            amqp::publish_confirmed(
                &publish,
                &config.topology.input_exchange,
                "article.raw",
                body,
                amqp::json_properties(Some(id)),
                Duration::from_secs(60),
            )
        });
        for r in futures_util::future::join_all(confirms).await {
            r.expect("publish confirmed");
        }
    }
    let publish_secs = started.elapsed().as_secs_f64();
    eprintln!(
        "published {} articles ({:.1} MB) in {publish_secs:.2}s: {:.0}/s with confirms",
        args.n,
        bytes as f64 / 1e6,
        args.n as f64 / publish_secs
    );

    let bin = std::env::var("NEWS_ENRICHER_BIN")
        .unwrap_or_else(|_| "target/release/news-enricher".into());
    let consume = conn.create_channel().await.unwrap();
    let mut consumer = consume
        .basic_consume(
            collect.as_str().into(),
            "".into(),
            BasicConsumeOptions {
                no_ack: true,
                ..Default::default()
            },
            FieldTable::default(),
        )
        .await
        .unwrap();
    let t0 = Instant::now();
    let ports: Vec<u16> = (0..args.workers).map(|_| free_port()).collect();
    let mut workers: Vec<_> = ports
        .iter()
        .map(|port| {
            Command::new(&bin)
                .arg("run")
                .envs(env.iter().cloned())
                .env("NEWS_ENRICHER__HTTP__LISTEN", format!("127.0.0.1:{port}"))
                .stdout(Stdio::null())
                .spawn()
                .expect("start the worker binary (cargo build --release first)")
        })
        .collect();
    let ready_ms: Vec<f64> = ports
        .iter()
        .map(|&port| {
            while !http_get(port, "/readyz").starts_with("HTTP/1.1 200") {
                assert!(t0.elapsed() < Duration::from_secs(30), "worker never ready");
                std::thread::sleep(Duration::from_millis(2));
            }
            t0.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    let mut received = 0usize;
    let mut first = None;
    let mut rss_samples: Vec<(usize, u64)> = Vec::new();
    let sample_every = (args.n / 10).max(1);
    while received < args.n {
        match tokio::time::timeout(Duration::from_secs(60), consumer.next()).await {
            Ok(Some(Ok(_))) => {
                received += 1;
                first.get_or_insert_with(Instant::now);
                if received.is_multiple_of(sample_every) {
                    let rss = workers.iter().map(|w| rss_kb(w.id()).0).max().unwrap_or(0);
                    rss_samples.push((received, rss));
                }
            }
            other => panic!("output stalled after {received}: {other:?}"),
        }
    }
    let total = t0.elapsed().as_secs_f64();
    let steady = first.map_or(total, |f| f.elapsed().as_secs_f64());
    // Merge the workers' consume-to-confirm histograms.
    let mut buckets: Vec<(f64, u64)> = Vec::new();
    for &port in &ports {
        for (i, (le, count)) in histogram(
            &http_get(port, "/metrics"),
            "news_enricher_consume_to_confirm_seconds",
        )
        .into_iter()
        .enumerate()
        {
            match buckets.get_mut(i) {
                Some(b) => b.1 += count,
                None => buckets.push((le, count)),
            }
        }
    }
    let (p50, p99) = (
        quantile(&buckets, 0.50) * 1e3,
        quantile(&buckets, 0.99) * 1e3,
    );
    let peak_kb = workers.iter().map(|w| rss_kb(w.id()).1).max().unwrap_or(0);
    let rate = args.n as f64 / steady;
    println!(
        "workers={} passthrough={} n={} prefetch={}: {:.0} articles/s from start ({total:.2}s), {rate:.0}/s from the first output; \
         consume->confirm p50 {p50:.1} ms, p99 {p99:.1} ms; ready after {:.0} ms; RSS per worker (KB) at each tenth {:?}, peak {peak_kb}",
        args.workers,
        args.passthrough,
        args.n,
        args.prefetch,
        args.n as f64 / total,
        ready_ms.iter().cloned().fold(0.0, f64::max),
        rss_samples.iter().map(|s| s.1).collect::<Vec<_>>(),
    );
    if let Some(path) = &args.csv {
        use std::io::Write;
        let new = !std::path::Path::new(path).exists();
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        if new {
            writeln!(
                f,
                "workers,passthrough,n,articles_per_s,p50_ms,p99_ms,ready_ms,peak_rss_kb"
            )
            .unwrap();
        }
        writeln!(
            f,
            "{},{},{},{rate:.1},{p50:.2},{p99:.2},{:.1},{peak_kb}",
            args.workers,
            args.passthrough,
            args.n,
            ready_ms.iter().cloned().fold(0.0, f64::max)
        )
        .unwrap();
    }
    for w in &mut workers {
        let _ = Command::new("kill")
            .args(["-TERM", &w.id().to_string()])
            .status();
        let _ = w.wait();
    }
    for q in [
        collect,
        config.topology.input_queue.clone(),
        config.topology.dead_letter_queue.clone(),
    ] {
        let _ = publish
            .queue_delete(q.as_str().into(), QueueDeleteOptions::default())
            .await;
    }
    for x in [
        &config.topology.input_exchange,
        &config.topology.output_exchange,
        &config.topology.dead_letter_exchange,
    ] {
        let _ = publish
            .exchange_delete(x.as_str().into(), Default::default())
            .await;
    }
    let _ = conn.close(200, "done".into()).await;
}

/// (upper bound, cumulative count) of each bucket of a histogram in the text format.
fn histogram(metrics: &str, name: &str) -> Vec<(f64, u64)> {
    let prefix = format!("{name}_bucket{{le=\"");
    metrics
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter_map(|rest| {
            let (le, count) = rest.split_once("\"} ")?;
            let le = if le == "+Inf" {
                f64::INFINITY
            } else {
                le.parse().ok()?
            };
            Some((le, count.trim().parse().ok()?))
        })
        .collect()
}

/// The q-quantile, interpolated linearly inside its bucket (as Prometheus does).
fn quantile(buckets: &[(f64, u64)], q: f64) -> f64 {
    let total = buckets.last().map_or(0, |b| b.1) as f64;
    let rank = q * total;
    let mut lower = (0.0, 0u64);
    for &(le, count) in buckets {
        if count as f64 >= rank {
            if le.is_infinite() {
                return lower.0;
            }
            let inside = (count - lower.1) as f64;
            let fraction = if inside > 0.0 {
                (rank - lower.1 as f64) / inside
            } else {
                1.0
            };
            return lower.0 + (le - lower.0) * fraction;
        }
        lower = (le, count);
    }
    f64::NAN
}

/// (current, peak) resident memory of a process in KB.
fn rss_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
