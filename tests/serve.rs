//! The `serve` command's API and page (in process, on a free loopback port) and the `render`
//! and `serve` commands of the binary: the API gives the worker's output for the same
//! article, every bad input a 4xx JSON error with the worker's dead-letter kind, the limits
//! (body size, timeout, admission) hold, and the page's assets carry their security headers.

mod common;

use common::{free_port, http_get};
use news_enricher::config::Config;
use news_enricher::enricher::{Enricher, Mode};
use news_enricher::http::api::{self, Api, ApiOptions, SAMPLE_ARTICLE};
use news_enricher::message::Article;
use news_enricher::nlp::Pipeline;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;

fn enricher() -> Enricher {
    static PIPELINE: OnceLock<Arc<Pipeline>> = OnceLock::new();
    let pipeline = PIPELINE.get_or_init(|| Arc::new(Pipeline::load(&Default::default()).unwrap()));
    Enricher::new(pipeline.clone(), 1 << 20, Mode::Enrich, "en")
}

fn options() -> ApiOptions {
    ApiOptions {
        max_body_bytes: 1 << 20,
        timeout: Duration::from_secs(30),
        max_pending: 16,
        threads: 2,
    }
}

/// A server on a free port; stopped when dropped.
struct Server {
    addr: std::net::SocketAddr,
    _stop: watch::Sender<bool>,
}

async fn start(options: ApiOptions) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, rx) = watch::channel(false);
    let api = Arc::new(Api::new(enricher(), options).unwrap());
    tokio::spawn(api::serve(listener, api, rx));
    Server { addr, _stop: stop }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
    fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("UTF-8 body")
    }
    /// The error kind of a JSON error response.
    fn kind(&self) -> String {
        self.json()["error"]["kind"].as_str().unwrap().to_owned()
    }
}

/// Send raw request bytes, read the whole response (the request says `Connection: close`).
async fn exchange(addr: std::net::SocketAddr, request: &[u8]) -> Response {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut raw = Vec::new();
    // The server may answer (413) before reading the whole body and close; that is fine.
    let _ = stream.read_to_end(&mut raw).await;
    parse(&raw)
}

fn parse(raw: &[u8]) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = std::str::from_utf8(&raw[..split]).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = raw.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&raw[..eol]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&raw[eol + 2..eol + 2 + size]);
        raw = &raw[eol + 4 + size..];
    }
}

fn request(method: &str, path: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

async fn post(server: &Server, path: &str, body: &[u8]) -> Response {
    exchange(server.addr, &request("POST", path, body)).await
}

async fn get(server: &Server, path: &str) -> Response {
    exchange(server.addr, &request("GET", path, b"")).await
}

/// The output without `enricher` (its time and duration differ between two runs).
fn without_enricher(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("enricher");
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_gives_what_the_worker_publishes() {
    let server = start(options()).await;
    let r = post(&server, "/v1/enrich", SAMPLE_ARTICLE.as_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let worker = enricher().process(SAMPLE_ARTICLE.as_bytes()).unwrap();
    let worker: Value = serde_json::from_slice(&worker.json).unwrap();
    assert_eq!(without_enricher(r.json()), without_enricher(worker));
    assert!(r.json()["enricher"]["took_us"].is_u64());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_4xx_json_error_with_the_dead_letter_kind() {
    let server = start(options()).await;
    let cases: [&[u8]; 8] = [
        b"{nope",
        b"[1,2]",
        b"{\"body\":\"x\"}",
        b"{\"id\":\"1\"}",
        b"{\"id\":\"\",\"body\":\"x\"}",
        b"{\"id\":1,\"body\":\"x\"}",
        b"{\"id\":\"1\",\"body\":\"x\",\"title\":5}",
        b"{\"id\":\"1\",\"body\":\"x\xff\"}",
    ];
    for input in cases {
        let expected = Article::decode(input, 1 << 20).unwrap_err();
        let r = post(&server, "/v1/enrich", input).await;
        assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(input));
        assert_eq!(r.kind(), expected.kind());
        assert_eq!(r.json()["error"]["message"], expected.to_string());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_over_the_limit_are_refused_whether_declared_or_streamed() {
    let server = start(ApiOptions {
        max_body_bytes: 1000,
        ..options()
    })
    .await;
    let big = format!("{{\"id\":\"x\",\"body\":\"{}\"}}", "a".repeat(2000));
    let r = post(&server, "/v1/enrich", big.as_bytes()).await;
    assert_eq!((r.status, r.kind().as_str()), (413, "body_too_large"));
    // Chunked, no length announced: refused once the bytes read pass the limit.
    let mut chunked = b"POST /v1/enrich HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
        Transfer-Encoding: chunked\r\n\r\n"
        .to_vec();
    for piece in big.as_bytes().chunks(300) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let r = exchange(server.addr, &chunked).await;
    assert_eq!((r.status, r.kind().as_str()), (413, "body_too_large"));
    // Just under the limit still works.
    let small = format!("{{\"id\":\"x\",\"body\":\"{}\"}}", "a ".repeat(400));
    assert_eq!(
        post(&server, "/v1/enrich", small.as_bytes()).await.status,
        200
    );
}

/// A request that announces a body and sends only part of it, holding its admission slot.
async fn stalled_request(server: &Server) -> TcpStream {
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream
        .write_all(b"POST /v1/enrich HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"id\"")
        .await
        .unwrap();
    stream
}

/// Whether the server has answered (or closed) a stalled request already.
async fn answered(stalled: &mut TcpStream) -> bool {
    let mut byte = [0u8; 1];
    tokio::time::timeout(Duration::from_millis(1), stalled.read(&mut byte))
        .await
        .is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_takes_too_long_gets_503_timeout() {
    let server = start(ApiOptions {
        timeout: Duration::from_millis(300),
        ..options()
    })
    .await;
    let mut stalled = stalled_request(&server).await;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stalled.read_to_end(&mut raw))
        .await
        .expect("answered within the timeout")
        .unwrap();
    let r = parse(&raw);
    assert_eq!((r.status, r.kind().as_str()), (503, "timeout"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_beyond_max_pending_get_503_overloaded_at_once() {
    let server = start(ApiOptions {
        max_pending: 1,
        ..options()
    })
    .await;
    let mut stalled = stalled_request(&server).await;
    // Wait until the stalled request holds the only slot. A probe can win the race for it
    // (the server handles the two connections on different threads): then the stalled
    // request is the one answered 503 at once, and another stalled request takes its place.
    let mut r = post(&server, "/v1/enrich", SAMPLE_ARTICLE.as_bytes()).await;
    for _ in 0..50 {
        if r.status == 503 {
            break;
        }
        if answered(&mut stalled).await {
            stalled = stalled_request(&server).await;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        r = post(&server, "/v1/enrich", SAMPLE_ARTICLE.as_bytes()).await;
    }
    assert_eq!((r.status, r.kind().as_str()), (503, "overloaded"));
    assert_eq!(r.header("retry-after"), Some("1"));
    drop(stalled);
    // The slot comes back when the stalled client goes away.
    let mut ok = false;
    for _ in 0..100 {
        if post(&server, "/v1/enrich", SAMPLE_ARTICLE.as_bytes())
            .await
            .status
            == 200
        {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(ok, "the slot was not released");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_render_endpoint_shows_markup_as_text() {
    let server = start(options()).await;
    let article = serde_json::json!({
        "id": "evil",
        "title": "<script>alert(1)</script>",
        "body": "Barack Obama said \"<img src=x onerror=alert(2)>\" in Paris.",
    });
    let enriched = post(&server, "/v1/enrich", article.to_string().as_bytes()).await;
    assert_eq!(enriched.status, 200);
    let r = post(&server, "/v1/render", &enriched.body).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    let html = r.text();
    assert!(html.starts_with("<section class=\"article\""));
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    let r = post(&server, "/v1/render", b"{\"id\":\"x\"}").await;
    assert_eq!((r.status, r.kind().as_str()), (400, "missing_field"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_and_its_assets_are_served_with_a_strict_policy() {
    let server = start(options()).await;
    for (path, content_type, needle) in [
        (
            "/",
            "text/html; charset=utf-8",
            "<script src=\"/assets/page.js\" defer>",
        ),
        (
            "/assets/page.js",
            "text/javascript; charset=utf-8",
            "/v1/render",
        ),
        (
            "/assets/interact.js",
            "text/javascript; charset=utf-8",
            "data-entity",
        ),
        ("/assets/style.css", "text/css; charset=utf-8", "mark.ent"),
        ("/v1/sample", "application/json; charset=utf-8", "\"body\""),
    ] {
        let r = get(&server, path).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(content_type), "{path}");
        assert!(r.text().contains(needle), "{path}");
        let csp = r.header("content-security-policy").unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
    let page = get(&server, "/").await;
    assert!(
        page.text().contains("<p class=\"legend\">"),
        "the legend is filled in"
    );
    assert!(!page.text().contains("<script>"), "no inline script");
    let r = get(&server, "/nope").await;
    assert_eq!((r.status, r.kind().as_str()), (404, "not_found"));
    assert_eq!(get(&server, "/healthz").await.text(), "ok\n");
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_news-enricher"));
    c.env("RUST_LOG", "warn");
    c
}

#[test]
fn the_render_command_turns_enriched_lines_into_one_page() {
    let enriched = bin()
        .args(["enrich", "tests/data/iran-talks.json"])
        .output()
        .unwrap();
    assert!(enriched.status.success());
    let mut input = enriched.stdout.clone();
    input.extend_from_slice(b"{\"id\":\"no-body\"}\n");
    input.extend_from_slice(&enriched.stdout);
    let mut child = bin()
        .arg("render")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "a bad record fails the run");
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(html.matches("<section class=\"article\"").count(), 2);
    let doc: Value = serde_json::from_slice(&enriched.stdout).unwrap();
    let mentions: usize = doc["enrichment"]["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["mentions"].as_array().unwrap().len())
        .sum();
    // Two articles; each mention is one element unless a sentence or quote cuts it.
    assert!(html.matches("<mark class=\"ent").count() >= 2 * mentions);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("<stdin>:2: field `body` is missing"), "{err}");
}

#[test]
fn serve_binds_loopback_by_default_and_stops_on_sigterm() {
    assert!(Config::defaults().serve.listen.ip().is_loopback());
    let port = free_port();
    let mut child = bin()
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut page = String::new();
    for _ in 0..300 {
        page = http_get(port, "/");
        if !page.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let mut status = None;
    for _ in 0..100 {
        status = child.try_wait().unwrap();
        if status.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    assert!(status.expect("exits on SIGTERM").success());
}
