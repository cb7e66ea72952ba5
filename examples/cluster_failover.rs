//! Cluster failover against the release binary: 5,000 articles through two workers on a
//! quorum input queue replicated on three RabbitMQ nodes; mid-stream, the node holding the
//! queue's leader is stopped (then started again), and then the node one of the workers is
//! connected to. Checks that every article id comes out and nothing is dead-lettered; reports
//! duplicates and, for each stop, the time until 50 more outputs were confirmed.
//!
//! Run by `scripts/cluster-test.sh`, which starts the three nodes and sets:
//! `AMQP_URL` (the nodes' URLs, comma-separated, as the worker takes them),
//! `NE_CLUSTER_NODES` (their Erlang node names, same order) and `NE_CLUSTER_PORTS` (their
//! AMQP ports, same order). Exit code 1 if an article was lost or dead-lettered.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use std::collections::HashSet;
use std::time::{Duration, Instant};

const N: usize = 5_000;
/// Articles published per second: 5,000 take 40 s.
const RATE: usize = 125;

/// Publish articles `0..n` at `rate` per second, in confirmed windows. A window whose publish
/// fails (its node went away) is published again on a new connection to another node, so an
/// input may be there twice: returns the ids published again.
async fn publish_paced(names: Names, n: usize, rate: usize) -> HashSet<String> {
    let config = names.config();
    let exchange = names.input_exchange();
    let window = rate / 5;
    let mut tick = tokio::time::interval(Duration::from_millis(200));
    let mut session: Option<(lapin::Connection, lapin::Channel)> = None;
    let mut again = HashSet::new();
    let mut start = 0;
    while start < n {
        tick.tick().await;
        let end = (start + window).min(n);
        loop {
            if session.is_none() {
                session = match news_enricher::amqp::connect(&config.amqp).await {
                    Ok(conn) => match news_enricher::amqp::confirm_channel(&conn).await {
                        Ok(ch) => Some((conn, ch)),
                        Err(_) => None,
                    },
                    Err(_) => None,
                };
            }
            let Some((_, ch)) = &session else {
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            };
            let bodies: Vec<(String, Vec<u8>)> = (start..end)
                .map(|i| {
                    let a = article(i);
                    (
                        a["id"].as_str().unwrap().to_owned(),
                        serde_json::to_vec(&a).unwrap(),
                    )
                })
                .collect();
            let publishes = bodies.iter().map(|(id, body)| {
                news_enricher::amqp::publish_confirmed(
                    ch,
                    &exchange,
                    "article.raw",
                    body,
                    news_enricher::amqp::json_properties(Some(id)),
                    Duration::from_secs(10),
                )
            });
            let results = futures_util::future::join_all(publishes).await;
            if results.iter().all(Result::is_ok) {
                break;
            }
            again.extend(bodies.into_iter().map(|(id, _)| id));
            session = None;
        }
        start = end;
    }
    if let Some((conn, _)) = session {
        let _ = conn.close(200, "bye".into()).await;
    }
    again
}

fn list(var: &str) -> Vec<String> {
    std::env::var(var)
        .unwrap_or_else(|_| panic!("{var} is not set: run scripts/cluster-test.sh"))
        .split(',')
        .map(str::to_owned)
        .collect()
}

/// `rabbitmqctl -n NODE ARGS...`, its output.
fn ctl(node: &str, args: &[&str]) -> String {
    let mut all = vec!["-q", "-n", node];
    all.extend_from_slice(args);
    rabbitmqctl_output(&all)
}

/// One `list_queues` column of `queue`, asked of `via`.
fn queue_info(via: &str, queue: &str, column: &str) -> Option<String> {
    let out = ctl(via, &["list_queues", "--no-table-headers", "name", column]);
    out.lines()
        .filter_map(|l| l.split_once('\t'))
        .find(|(name, _)| *name == queue)
        .map(|(_, value)| value.trim().to_owned())
}

/// The node holding the leader of `queue`, asked of `via`.
fn leader(via: &str, queue: &str) -> String {
    queue_info(via, queue, "leader").unwrap_or_else(|| panic!("{queue} has no leader"))
}

/// How many of the queue's replicas there are (`column` "members") or are up ("online").
fn replicas(via: &str, queue: &str, column: &str) -> usize {
    queue_info(via, queue, column).map_or(0, |nodes| nodes.matches('@').count())
}

/// The AMQP port the process `pid` is connected to, among `ports` (from `ss`).
fn connected_port(pid: u32, ports: &[u16]) -> Option<u16> {
    let out = std::process::Command::new("ss")
        .args(["-tnpH", "state", "established"])
        .output()
        .expect("run ss");
    let text = String::from_utf8_lossy(&out.stdout);
    let tag = format!("pid={pid},");
    text.lines().filter(|l| l.contains(&tag)).find_map(|l| {
        let peer = l.split_whitespace().nth(3)?;
        let port: u16 = peer.rsplit(':').next()?.parse().ok()?;
        ports.contains(&port).then_some(port)
    })
}

async fn outputs(names: &Names) -> u32 {
    queue_len(&names.collect_queue()).await.unwrap_or(0)
}

/// Stop `node`'s RabbitMQ application; returns the seconds until 50 more outputs came.
async fn stop_and_measure(names: &Names, node: &str, what: &str) -> f64 {
    let before = outputs(names).await;
    assert!(
        (before as usize) < N,
        "{what}: the stream ended before the stop; nothing would be tested"
    );
    let stopped = Instant::now();
    ctl(node, &["stop_app"]);
    let resumed = wait_queue(&names.collect_queue(), Duration::from_secs(120), |c| {
        c >= before + 50
    })
    .await;
    assert!(
        resumed,
        "{what}: no recovery within 120 s after stopping {node}"
    );
    let secs = stopped.elapsed().as_secs_f64();
    println!("stop {what} ({node}) at {before} outputs: recovered in {secs:.2} s");
    secs
}

fn start_again(node: &str, via: &str, queue: &str) {
    ctl(node, &["start_app"]);
    ctl(node, &["await_startup", "--timeout", "120"]);
    let deadline = Instant::now() + Duration::from_secs(60);
    while replicas(via, queue, "online") < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let nodes = list("NE_CLUSTER_NODES");
    let ports: Vec<u16> = list("NE_CLUSTER_PORTS")
        .iter()
        .map(|p| p.parse().expect("a port"))
        .collect();
    assert_eq!(nodes.len(), ports.len());
    let names = Names::new("cluster");
    let queue = names.input_queue();

    let conn = connect().await;
    let ch = conn.create_channel().await.unwrap();
    names.declare_quorum_collector(&ch).await;
    let _ = conn.close(200, "bye".into()).await;
    let members = replicas(&nodes[0], &queue, "members");
    assert_eq!(members, 3, "the input queue has three replicas");
    let lead = leader(&nodes[0], &queue);
    println!("{queue}: quorum, {members} replicas, leader {lead}");
    // A stream, not a backlog: the articles arrive at a steady rate while the nodes stop and
    // start, so that both stops fall inside it.
    let publisher = tokio::spawn(publish_paced(names.clone(), N, RATE));

    let mut env = names.env();
    env.push(("NEWS_ENRICHER__AMQP__PREFETCH".into(), "4".into()));
    env.push(("NEWS_ENRICHER__WORKER__PIPELINE_THREADS".into(), "1".into()));
    let mut workers: Vec<WorkerProcess> = (0..2).map(|_| WorkerProcess::start(&env)).collect();
    assert!(
        wait_queue(&names.collect_queue(), Duration::from_secs(120), |c| c
            >= 500)
        .await,
        "no progress before the first stop"
    );

    // 1. The node holding the queue's leader.
    let lead_i = nodes
        .iter()
        .position(|n| *n == lead)
        .expect("a cluster node");
    let via = &nodes[(lead_i + 1) % nodes.len()];
    let first = stop_and_measure(&names, &lead, "queue leader").await;
    println!("new leader: {}", leader(via, &queue));
    start_again(&lead, via, &queue);

    // 2. The node the first worker is connected to (stopping a second node while the first
    //    is still down would leave the quorum queue without a majority).
    let port = (0..100)
        .find_map(|_| {
            connected_port(workers[0].child.id(), &ports).or_else(|| {
                std::thread::sleep(Duration::from_millis(100));
                None
            })
        })
        .expect("the worker is connected to a cluster node");
    let node = &nodes[ports.iter().position(|p| *p == port).expect("known port")];
    let second = stop_and_measure(&names, node, "a worker's node").await;
    let via = nodes.iter().find(|n| *n != node).expect("another node");
    start_again(node, via, &queue);

    let published_again = publisher.await.expect("the publisher");
    assert!(
        wait_queue(&names.collect_queue(), Duration::from_secs(300), |c| c
            as usize
            >= N)
        .await,
        "not every article came out"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let Tally {
        missing,
        duplicates,
        dead,
        per_id,
    } = tally(&names, N).await;
    // Duplicates the workers made: extra outputs of articles published only once.
    let redelivered: usize = per_id
        .iter()
        .filter(|(id, _)| !published_again.contains(*id))
        .map(|(_, count)| count - 1)
        .sum();
    let lost = missing.len();
    for w in &mut workers {
        w.signal("TERM");
        w.wait(Duration::from_secs(40));
    }
    names.cleanup(&[]).await;
    println!(
        "cluster: {N} articles, lost {lost}, dead-lettered {dead}, duplicates {duplicates} ({redelivered} of articles published once; the publisher published {} again), recovery {first:.2} s (leader stop), {second:.2} s (worker's node stop)",
        published_again.len()
    );
    if lost > 0 || dead > 0 {
        std::process::exit(1);
    }
}
