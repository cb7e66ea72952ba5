//! End-to-end tests of the worker binary against the real RabbitMQ on this machine. Each test
//! uses its own exchange and queue names and holds the broker lock, so that a test that
//! disturbs the broker never runs beside another. None skips: no broker is a failure.

mod common;

use common::*;
use std::collections::{HashMap, HashSet};
use std::time::Duration;

fn ids(received: &[Received]) -> Vec<String> {
    received
        .iter()
        .map(|r| r.json()["id"].as_str().expect("id").to_owned())
        .collect()
}

fn all_ids(n: usize) -> HashSet<String> {
    (0..n).map(|i| format!("article-{i}")).collect()
}

fn env_with(names: &Names, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut env = names.env();
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    env
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn n_articles_in_n_enriched_out_exactly_once_with_id_and_routing_key() {
    let _lock = broker_lock();
    let names = Names::new("n_in_n_out");
    let n = 300;
    let conn = connect().await;
    let ch = conn.create_channel().await.unwrap();
    names.declare(&ch).await;
    // A consumer that binds only to negative news must get exactly those.
    let negative_queue = format!("{}.negative", names.prefix);
    names
        .bind_collector(&ch, &negative_queue, "article.enriched.*.negative")
        .await;
    publish_articles(&amqp_channel(&conn).await, &names.input_exchange(), n).await;

    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut worker = WorkerProcess::start(&env_with(
        &names,
        &[
            ("NEWS_ENRICHER__HTTP__ENABLED", "true"),
            ("NEWS_ENRICHER__HTTP__LISTEN", &listen),
        ],
    ));
    let out = drain(&ch, &names.collect_queue(), n, Duration::from_secs(30)).await;
    let extra = drain(&ch, &names.collect_queue(), 1, Duration::from_secs(2)).await;
    assert!(
        extra.is_empty(),
        "more outputs than inputs: {}",
        extra.len()
    );

    // The operations endpoint tells the same story.
    assert!(http_get(port, "/healthz").starts_with("HTTP/1.1 200"));
    assert!(http_get(port, "/readyz").starts_with("HTTP/1.1 200"));
    let metrics = http_get(port, "/metrics");
    for line in [
        format!("news_enricher_messages_consumed_total {n}"),
        format!("news_enricher_messages_published_total {n}"),
        "news_enricher_messages_in_flight 0".to_owned(),
        "news_enricher_broker_connected 1".to_owned(),
        format!("news_enricher_consume_to_confirm_seconds_count {n}"),
    ] {
        assert!(metrics.contains(&line), "{line} in\n{metrics}");
    }

    let got = ids(&out);
    let unique: HashSet<String> = got.iter().cloned().collect();
    assert_eq!(got.len(), n, "each article exactly once");
    assert_eq!(unique, all_ids(n));
    let mut negatives = HashSet::new();
    for r in &out {
        let v = r.json();
        let id = v["id"].as_str().unwrap();
        assert_eq!(r.message_id.as_deref(), Some(id));
        assert_eq!(r.content_type.as_deref(), Some("application/json"));
        assert!(r.persistent, "outputs are persistent");
        let label = v["enrichment"]["sentiment"]["label"].as_str().unwrap();
        assert_eq!(r.routing_key, format!("article.enriched.en.{label}"));
        let i: usize = id.trim_start_matches("article-").parse().unwrap();
        assert_eq!(v["custom"]["n"], i, "unknown fields pass through");
        assert_eq!(v["source"], "test");
        let expected = ["positive", "negative", "neutral"][i % 3];
        assert_eq!(label, expected, "{id}");
        if label == "negative" {
            negatives.insert(id.to_owned());
        }
    }
    let neg = drain(&ch, &negative_queue, n, Duration::from_secs(3)).await;
    let neg_ids: HashSet<String> = ids(&neg).into_iter().collect();
    assert_eq!(neg.len(), negatives.len());
    assert_eq!(neg_ids, negatives);

    worker.signal("TERM");
    let status = worker.wait(Duration::from_secs(20)).expect("worker exits");
    assert!(status.success(), "exit status {status:?}");
    let _ = conn.close(200, "bye".into()).await;
    names.cleanup(&[negative_queue]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_classic_queue_works_too() {
    let _lock = broker_lock();
    let names = Names::new("classic");
    let n = 100;
    let env = env_with(
        &names,
        &[("NEWS_ENRICHER__TOPOLOGY__QUEUE_TYPE", "classic")],
    );
    let conn = connect().await;
    let ch = conn.create_channel().await.unwrap();
    let config = news_enricher::config::Config::load_from(None, env.clone()).unwrap();
    news_enricher::amqp::declare_topology(&ch, &config.topology)
        .await
        .expect("declare a classic topology");
    names.bind_collector(&ch, &names.collect_queue(), "#").await;
    publish_articles(&amqp_channel(&conn).await, &names.input_exchange(), n).await;
    let mut worker = WorkerProcess::start(&env);
    let out = drain(&ch, &names.collect_queue(), n, Duration::from_secs(30)).await;
    let got: HashSet<String> = ids(&out).into_iter().collect();
    assert_eq!(out.len(), n);
    assert_eq!(got, all_ids(n));
    worker.signal("TERM");
    assert!(worker
        .wait(Duration::from_secs(20))
        .expect("exits")
        .success());
    let _ = conn.close(200, "bye".into()).await;
    names.cleanup(&[]).await;
}

async fn amqp_channel(conn: &lapin::Connection) -> lapin::Channel {
    news_enricher::amqp::confirm_channel(conn)
        .await
        .expect("confirm channel")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_invalid_input_is_dead_lettered_with_its_reason_and_the_worker_goes_on() {
    let _lock = broker_lock();
    let names = Names::new("dead_letter");
    let conn = connect().await;
    let ch = conn.create_channel().await.unwrap();
    names.declare(&ch).await;
    let big = format!(r#"{{"id":"big","body":"{}"}}"#, "word ".repeat(2_000));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("invalid_json", b"{not json".to_vec()),
        ("not_an_object", b"[1, 2, 3]".to_vec()),
        ("missing_field", br#"{"body":"no id here"}"#.to_vec()),
        ("missing_field", br#"{"id":"no-body"}"#.to_vec()),
        ("empty_field", br#"{"id":"","body":"text"}"#.to_vec()),
        ("empty_field", br#"{"id":"empty-body","body":""}"#.to_vec()),
        ("wrong_type", br#"{"id":7,"body":"text"}"#.to_vec()),
        (
            "wrong_type",
            br#"{"id":"t","body":"text","title":["x"]}"#.to_vec(),
        ),
        (
            "invalid_utf8",
            b"{\"id\":\"u\",\"body\":\"caf\xe9\"}".to_vec(),
        ),
        ("body_too_large", big.into_bytes()),
    ];
    let mut bodies: Vec<(Option<String>, Vec<u8>)> =
        cases.iter().map(|(_, b)| (None, b.clone())).collect();
    let good = serde_json::to_vec(&article(1)).unwrap();
    bodies.push((Some("article-1".into()), good));
    publish_all(&amqp_channel(&conn).await, &names.input_exchange(), &bodies).await;

    let mut worker = WorkerProcess::start(&env_with(
        &names,
        &[("NEWS_ENRICHER__WORKER__MAX_MESSAGE_BYTES", "4096")],
    ));
    let out = drain(&ch, &names.collect_queue(), 1, Duration::from_secs(30)).await;
    assert_eq!(
        ids(&out),
        ["article-1"],
        "the worker went on after bad input"
    );
    let dead = drain(
        &ch,
        &names.dead_queue(),
        cases.len(),
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(dead.len(), cases.len());
    let by_body: HashMap<&[u8], &Received> = dead.iter().map(|r| (&r.body[..], r)).collect();
    for (kind, body) in &cases {
        let r = by_body
            .get(&body[..])
            .unwrap_or_else(|| panic!("{kind} case not dead-lettered unchanged"));
        assert_eq!(
            r.headers.get("x-enricher-error").map(String::as_str),
            Some(*kind)
        );
        assert!(
            r.headers
                .get("x-enricher-reason")
                .is_some_and(|s| !s.is_empty()),
            "a readable reason for {kind}"
        );
        assert_eq!(
            r.headers.get("x-original-exchange"),
            Some(&names.input_exchange())
        );
    }
    worker.signal("TERM");
    assert!(worker
        .wait(Duration::from_secs(20))
        .expect("exits")
        .success());
    let _ = conn.close(200, "bye".into()).await;
    names.cleanup(&[]).await;
}

/// Publish `n`, start a worker, wait until at least `progress` outputs exist, then call
/// `fault`; returns the outputs seen when the fault struck.
async fn stream_with_fault(
    names: &Names,
    n: usize,
    progress: u32,
    env: &[(String, String)],
    fault: impl FnOnce(&mut WorkerProcess),
) -> (WorkerProcess, u32) {
    let conn = connect().await;
    let ch = conn.create_channel().await.unwrap();
    names.declare(&ch).await;
    publish_articles(&amqp_channel(&conn).await, &names.input_exchange(), n).await;
    let _ = conn.close(200, "bye".into()).await;

    let mut worker = WorkerProcess::start(env);
    assert!(
        wait_queue(&names.collect_queue(), Duration::from_secs(60), |c| c
            >= progress)
        .await,
        "the worker made no progress"
    );
    fault(&mut worker);
    let at_fault = queue_len(&names.collect_queue()).await.unwrap_or(0);
    assert!(
        (at_fault as usize) < n,
        "the stream had already finished when the fault struck: raise n"
    );
    (worker, at_fault)
}

/// Everything comes out at least once; returns how many duplicates there were.
async fn collect_everything(names: &Names, n: usize) -> usize {
    assert!(
        wait_queue(&names.collect_queue(), Duration::from_secs(120), |c| c
            as usize
            >= n)
        .await,
        "not every article came out"
    );
    let t = tally(names, n).await;
    assert!(t.missing.is_empty(), "lost: {:?}", t.missing);
    assert_eq!(t.dead, 0, "nothing valid may be dead-lettered");
    t.duplicates
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_mid_stream_finishes_in_flight_work_and_loses_nothing() {
    let _lock = broker_lock();
    let names = Names::new("sigterm");
    let n = 6000;
    let env = env_with(&names, &[("NEWS_ENRICHER__AMQP__PREFETCH", "8")]);
    let (mut worker, _) = stream_with_fault(&names, n, 200, &env, |w| w.signal("TERM")).await;
    let status = worker
        .wait(Duration::from_secs(30))
        .expect("the worker exits after SIGTERM");
    assert!(status.success(), "clean exit: {status:?}");
    let left = queue_len(&names.input_queue()).await.expect("input queue");
    assert!(left > 0, "work was left for another worker");
    // What the stopped worker did not finish is still (or again) in the queue: a second
    // worker takes it, and every article comes out.
    let mut second = WorkerProcess::start(&env);
    let dups = collect_everything(&names, n).await;
    eprintln!("sigterm: {dups} duplicates");
    second.signal("TERM");
    assert!(second
        .wait(Duration::from_secs(30))
        .expect("exits")
        .success());
    names.cleanup(&[]).await;
}

/// A broker-side fault mid-stream: the worker stays up, recovers, and every article comes out.
async fn survives_broker_fault(test: &str, fault: impl FnOnce(&mut WorkerProcess)) {
    let _lock = broker_lock();
    let names = Names::new(test);
    let n = 6000;
    let env = env_with(&names, &[("NEWS_ENRICHER__AMQP__PREFETCH", "8")]);
    let (mut worker, _) = stream_with_fault(&names, n, 200, &env, fault).await;
    let dups = collect_everything(&names, n).await;
    eprintln!("{test}: {dups} duplicates");
    assert!(
        worker.child.try_wait().unwrap().is_none(),
        "the worker must not exit because of the broker ({test})"
    );
    worker.signal("TERM");
    assert!(worker
        .wait(Duration::from_secs(30))
        .expect("exits")
        .success());
    names.cleanup(&[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_closed_by_the_broker_mid_stream_are_recovered_and_nothing_is_lost() {
    survives_broker_fault("close_conns", |_| {
        Management::new().close_all_connections("test");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broker_restart_mid_stream_is_survived_and_nothing_is_lost() {
    survives_broker_fault("restart", |_| {
        rabbitmqctl(&["stop_app"]);
        std::thread::sleep(Duration::from_secs(2));
        rabbitmqctl(&["start_app"]);
        rabbitmqctl(&["await_startup"]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unroutable_outputs_are_counted_logged_once_per_key_and_their_inputs_dead_lettered() {
    let _lock = broker_lock();
    let names = Names::new("unroutable");
    // Enough in flight at once that an output's return and another message's ack interleave
    // on the broker's side (what once credited a return to the wrong publish).
    let n = 300;
    let conn = connect().await;
    let ch = conn.create_channel().await.unwrap();
    // The topology without any queue bound to the output exchange: a downstream consumer not
    // deployed yet.
    news_enricher::amqp::declare_topology(&ch, &names.config().topology)
        .await
        .expect("declare topology");
    publish_articles(&amqp_channel(&conn).await, &names.input_exchange(), n).await;

    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let log = std::env::temp_dir().join(format!("{}.log", names.prefix));
    let mut worker = WorkerProcess::start_logging(
        &env_with(
            &names,
            &[
                ("NEWS_ENRICHER__HTTP__ENABLED", "true"),
                ("NEWS_ENRICHER__HTTP__LISTEN", &listen),
            ],
        ),
        &log,
    );
    let dead = drain(&ch, &names.dead_queue(), n, Duration::from_secs(30)).await;
    let dead_ids: HashSet<String> = ids(&dead).into_iter().collect();
    assert_eq!(dead.len(), n, "every input is in the dead-letter queue");
    assert_eq!(dead_ids, all_ids(n), "0 lost");
    for r in &dead {
        let v = r.json();
        let i: usize = v["id"].as_str().unwrap()["article-".len()..]
            .parse()
            .unwrap();
        assert_eq!(v, article(i), "the input, unchanged, can be replayed");
        assert_eq!(
            r.headers.get("x-enricher-error").map(String::as_str),
            Some("unroutable")
        );
        let label = ["positive", "negative", "neutral"][i % 3];
        assert_eq!(
            r.headers
                .get("x-enricher-output-routing-key")
                .map(String::as_str),
            Some(format!("article.enriched.en.{label}").as_str())
        );
        assert_eq!(
            r.headers.get("x-enricher-output-exchange"),
            Some(&names.output_exchange())
        );
    }
    // The worker counts a dead letter after acking its input, which may come a moment after
    // the dead-letter queue holds it: wait for the counters to settle.
    let lines = [
        format!("news_enricher_messages_unroutable_total {n}"),
        format!("news_enricher_messages_dead_lettered_total{{reason=\"unroutable\"}} {n}"),
        "news_enricher_messages_published_total 0".to_owned(),
    ];
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut metrics = http_get(port, "/metrics");
    while !lines.iter().all(|l| metrics.contains(l.as_str()))
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
        metrics = http_get(port, "/metrics");
    }
    for line in &lines {
        assert!(metrics.contains(line.as_str()), "{line} in\n{metrics}");
    }
    worker.signal("TERM");
    assert!(worker
        .wait(Duration::from_secs(20))
        .expect("exits")
        .success());
    let text = std::fs::read_to_string(&log).expect("worker log");
    let _ = std::fs::remove_file(&log);
    let warnings: Vec<&str> = text.lines().filter(|l| l.contains("unroutable")).collect();
    assert_eq!(warnings.len(), 3, "one line per routing key:\n{text}");
    for label in ["positive", "negative", "neutral"] {
        let key = format!("article.enriched.en.{label}");
        assert_eq!(
            warnings.iter().filter(|l| l.contains(&key)).count(),
            1,
            "{key} once:\n{text}"
        );
    }
    let _ = conn.close(200, "bye".into()).await;
    names.cleanup(&[]).await;
}

/// The value of one series in a `/metrics` text.
fn metric(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_memory_alarm_mid_stream_pauses_the_worker_and_it_resumes_losing_nothing() {
    let _lock = broker_lock();
    let names = Names::new("alarm");
    let n = 10_000;
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let env = env_with(
        &names,
        &[
            ("NEWS_ENRICHER__AMQP__PREFETCH", "8"),
            ("NEWS_ENRICHER__HTTP__ENABLED", "true"),
            ("NEWS_ENRICHER__HTTP__LISTEN", &listen),
        ],
    );
    // The guard restores the broker's watermark whatever happens below.
    let alarm = MemoryAlarm::new();
    let mut raised = None;
    let (mut worker, _) = stream_with_fault(&names, n, 200, &env, |_| {
        raised = Some(std::time::Instant::now());
        alarm.raise();
    })
    .await;
    let raised = raised.expect("alarm raised");

    // Paused: /readyz says why, the gauge is 1, and no new delivery is taken.
    let deadline = raised + Duration::from_secs(30);
    let readyz = loop {
        let r = http_get(port, "/readyz");
        if r.starts_with("HTTP/1.1 503") || std::time::Instant::now() > deadline {
            break r;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let paused_after = raised.elapsed();
    assert!(readyz.starts_with("HTTP/1.1 503"), "{readyz}");
    assert!(readyz.contains("blocked"), "{readyz}");
    let metrics = http_get(port, "/metrics");
    assert_eq!(
        metric(&metrics, "news_enricher_broker_blocked"),
        Some(1.0),
        "{metrics}"
    );
    let consumed = metric(&metrics, "news_enricher_messages_consumed_total");
    let outputs = queue_len(&names.collect_queue()).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let metrics = http_get(port, "/metrics");
    assert_eq!(
        metric(&metrics, "news_enricher_messages_consumed_total"),
        consumed,
        "no delivery taken while blocked"
    );
    assert_eq!(queue_len(&names.collect_queue()).await, outputs);
    assert!(
        (outputs.unwrap_or(0) as usize) < n,
        "the alarm came too late"
    );

    // Cleared: ready again, consuming again, and every article comes out.
    let cleared = std::time::Instant::now();
    drop(alarm);
    let deadline = cleared + Duration::from_secs(30);
    while !http_get(port, "/readyz").starts_with("HTTP/1.1 200") {
        assert!(std::time::Instant::now() < deadline, "not ready again");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let ready_after = cleared.elapsed();
    let before = outputs.unwrap_or(0);
    assert!(
        wait_queue(&names.collect_queue(), Duration::from_secs(30), |c| c
            > before)
        .await,
        "no output after the alarm cleared"
    );
    let resumed_after = cleared.elapsed();
    let metrics = http_get(port, "/metrics");
    assert_eq!(metric(&metrics, "news_enricher_broker_blocked"), Some(0.0));
    let dups = collect_everything(&names, n).await;
    eprintln!(
        "alarm: {n} articles, lost 0, duplicates {dups}; paused {:.2} s after the alarm, \
         ready {:.2} s and publishing {:.2} s after it cleared",
        paused_after.as_secs_f64(),
        ready_after.as_secs_f64(),
        resumed_after.as_secs_f64()
    );
    worker.signal("TERM");
    assert!(worker
        .wait(Duration::from_secs(30))
        .expect("exits")
        .success());
    names.cleanup(&[]).await;
}
