//! Fault scenarios against the release binary, one at a time: 10,000 articles each, a fault in
//! the middle of the stream, then a check that every article id comes out at least once and
//! that nothing is in the dead-letter queue. Reports duplicates (allowed by at-least-once) and
//! the time to recover (from the fault until 50 more outputs have been confirmed).
//!
//! ```sh
//! cargo build --release && cargo run --release --example faults [-- SCENARIO ...]
//! ```
//!
//! Scenarios: `broker-restart` (`rabbitmqctl stop_app` / `start_app`), `sigkill` (one of two
//! workers killed with SIGKILL and started again), `sigterm` (the only worker stopped with
//! SIGTERM; a new one takes over), `close-connections` (every connection closed through the
//! management API, as `rabbitmqctl close_all_connections` would).
//! Exit code 1 if any scenario lost an article or dead-lettered one. Uses the test helpers of
//! `tests/common` (its own queue names, the broker lock).

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use std::time::{Duration, Instant};

const N: usize = 10_000;
const SCENARIOS: [&str; 4] = ["broker-restart", "sigkill", "sigterm", "close-connections"];

struct Outcome {
    duplicates: usize,
    recovery: Duration,
    lost: usize,
    dead: u32,
}

async fn outputs(names: &Names) -> u32 {
    queue_len(&names.collect_queue()).await.unwrap_or(0)
}

async fn run(scenario: &str) -> Outcome {
    let _lock = broker_lock();
    let names = Names::new(&scenario.replace('-', "_"));
    let mut env = names.env();
    env.push(("NEWS_ENRICHER__AMQP__PREFETCH".into(), "8".into()));
    let conn = connect().await;
    let ch = conn.create_channel().await.unwrap();
    names.declare(&ch).await;
    let confirm = news_enricher::amqp::confirm_channel(&conn).await.unwrap();
    publish_articles(&confirm, &names.input_exchange(), N).await;
    let _ = conn.close(200, "bye".into()).await;

    let workers_at_start = if scenario == "sigkill" { 2 } else { 1 };
    let mut workers: Vec<WorkerProcess> = (0..workers_at_start)
        .map(|_| WorkerProcess::start(&env))
        .collect();
    assert!(
        wait_queue(&names.collect_queue(), Duration::from_secs(60), |c| c
            >= 1000)
        .await,
        "{scenario}: no progress before the fault"
    );
    let fault = Instant::now();
    match scenario {
        "broker-restart" => {
            rabbitmqctl(&["stop_app"]);
            std::thread::sleep(Duration::from_secs(2));
            rabbitmqctl(&["start_app"]);
            rabbitmqctl(&["await_startup"]);
        }
        "sigkill" => {
            workers[0].signal("KILL");
            workers[0].wait(Duration::from_secs(10)).expect("killed");
            workers[0] = WorkerProcess::start(&env);
        }
        "sigterm" => {
            workers[0].signal("TERM");
            let status = workers[0]
                .wait(Duration::from_secs(40))
                .expect("exits on SIGTERM");
            assert!(status.success(), "{scenario}: exit status {status:?}");
            workers[0] = WorkerProcess::start(&env);
        }
        "close-connections" => {
            Management::new().close_all_connections("test");
        }
        other => panic!("unknown scenario {other} (known: {SCENARIOS:?})"),
    }
    let after_fault = outputs(&names).await;
    assert!(
        (after_fault as usize) < N,
        "{scenario}: the stream ended before the fault"
    );
    let resumed = wait_queue(&names.collect_queue(), Duration::from_secs(120), |c| {
        c >= after_fault + 50
    })
    .await;
    assert!(resumed, "{scenario}: no recovery within 120 s");
    let recovery = fault.elapsed();
    assert!(
        wait_queue(&names.collect_queue(), Duration::from_secs(300), |c| c
            as usize
            >= N)
        .await,
        "{scenario}: not every article came out"
    );
    // Let redeliveries in flight land before counting duplicates.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let t = tally(&names, N).await;
    for w in &mut workers {
        w.signal("TERM");
        w.wait(Duration::from_secs(40));
    }
    names.cleanup(&[]).await;
    Outcome {
        duplicates: t.duplicates,
        recovery,
        lost: t.missing.len(),
        dead: t.dead,
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let chosen: Vec<String> = std::env::args().skip(1).collect();
    let scenarios: Vec<&str> = if chosen.is_empty() {
        SCENARIOS.to_vec()
    } else {
        chosen.iter().map(String::as_str).collect()
    };
    eprintln!("worker binary: {}", worker_bin());
    let (mut passed, mut failed) = (0, 0);
    for scenario in scenarios {
        let o = run(scenario).await;
        println!(
            "{scenario}: {N} articles, lost {}, dead-lettered {}, duplicates {}, recovered in {:.2} s",
            o.lost,
            o.dead,
            o.duplicates,
            o.recovery.as_secs_f64()
        );
        if o.lost > 0 || o.dead > 0 {
            failed += 1;
        } else {
            passed += 1;
        }
    }
    println!("faults: {passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}
