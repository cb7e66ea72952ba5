//! `amqps://` with `amqp.tls_ca_file`, without a TLS-enabled broker: each test starts its own
//! TLS server on loopback with a certificate from a CA made at test time. The server is no
//! broker; it only records the first 8 bytes the client sends once the handshake is done. The
//! AMQP 0-9-1 protocol header arriving there over TLS proves that `amqp::connect` trusted the
//! configured CA; `connect` itself then fails, as nothing answers the header.

use news_enricher::config::Config;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

/// What an AMQP 0-9-1 client sends first.
const PROTOCOL_HEADER: &[u8; 8] = b"AMQP\x00\x00\x09\x01";
/// Bound on the server's accept, handshake and read together.
const SERVER_BOUND: Duration = Duration::from_secs(10);
/// Bound on `amqp::connect`, which fails within milliseconds on loopback.
const CONNECT_BOUND: Duration = Duration::from_secs(15);

/// A scratch directory, removed when the test ends, passed or failed.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("ne-tls-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A CA made for one test, and a certificate it signed for `localhost` and 127.0.0.1.
struct Pki {
    ca_pem: String,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: PrivateKeyDer<'static>,
}

fn pki() -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "news-enricher test CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();

    let mut params =
        CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, &ca).unwrap();
    Pki {
        ca_pem: ca.pem(),
        server_chain: vec![cert.der().clone()],
        server_key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
    }
}

/// What the server saw of its one connection.
enum Seen {
    /// The handshake succeeded and these are the first 8 bytes of application data.
    Received(Vec<u8>),
    /// The connection ended at `stage` ("accept", "handshake" or "read") with `error`.
    Failed { stage: &'static str, error: String },
}

/// For assertion messages; `None` is a server that saw nothing within `SERVER_BOUND`.
fn describe(seen: &Option<Seen>) -> String {
    match seen {
        Some(Seen::Received(bytes)) => format!("received {bytes:?}"),
        Some(Seen::Failed { stage, error }) => format!("{stage} failed: {error}"),
        None => format!("nothing within {SERVER_BOUND:?}"),
    }
}

/// Listen on 127.0.0.1, serve one connection as described in the module docs, then close it.
/// The receiver errs if nothing happened within `SERVER_BOUND`.
async fn start_server(pki: &Pki) -> (u16, oneshot::Receiver<Seen>) {
    // An explicit provider: the server needs no process-level default, and its choice leaves
    // the client's (lapin's) own selection alone.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(pki.server_chain.clone(), pki.server_key.clone_key())
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = oneshot::channel();
    tokio::spawn(async move {
        // On timeout `tx` is dropped, which the receiver sees as nothing having arrived.
        let _ = tokio::time::timeout(SERVER_BOUND, serve_one(listener, acceptor, tx)).await;
    });
    (port, rx)
}

async fn serve_one(listener: TcpListener, acceptor: TlsAcceptor, tx: oneshot::Sender<Seen>) {
    let tcp = match listener.accept().await {
        Ok((tcp, _)) => tcp,
        Err(e) => {
            let _ = tx.send(Seen::Failed {
                stage: "accept",
                error: e.to_string(),
            });
            return;
        }
    };
    // No second connection: a client retry is refused rather than left waiting.
    drop(listener);
    let mut tls = match acceptor.accept(tcp).await {
        Ok(tls) => tls,
        Err(e) => {
            let _ = tx.send(Seen::Failed {
                stage: "handshake",
                error: e.to_string(),
            });
            return;
        }
    };
    let mut first = [0u8; 8];
    match tls.read_exact(&mut first).await {
        Ok(_) => {
            let _ = tx.send(Seen::Received(first.to_vec()));
        }
        Err(e) => {
            let _ = tx.send(Seen::Failed {
                stage: "read",
                error: e.to_string(),
            });
        }
    }
    let _ = tls.shutdown().await;
}

/// The configuration the worker would load from its environment.
fn config_for(port: u16, tls_ca_file: &str) -> Config {
    let env = [
        (
            "AMQP_URL".to_owned(),
            format!("amqps://guest:guest@localhost:{port}/%2f"),
        ),
        (
            "NEWS_ENRICHER__AMQP__TLS_CA_FILE".to_owned(),
            tls_ca_file.to_owned(),
        ),
    ];
    Config::load_from(None, env).expect("the configuration is valid")
}

fn write_ca(dir: &Path, pki: &Pki) -> PathBuf {
    let path = dir.join("ca.pem");
    std::fs::write(&path, &pki.ca_pem).unwrap();
    path
}

/// Run `amqp::connect` against the server and collect what the server saw.
async fn connect_and_observe(
    config: &Config,
    seen: oneshot::Receiver<Seen>,
) -> (
    Result<Result<lapin::Connection, news_enricher::amqp::AmqpError>, tokio::time::error::Elapsed>,
    Option<Seen>,
) {
    let connect = tokio::time::timeout(CONNECT_BOUND, news_enricher::amqp::connect(&config.amqp));
    // Bounded by the server's own timeout, after which the sender is dropped.
    let (connected, seen) = tokio::join!(connect, seen);
    (connected, seen.ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqps_with_the_configured_ca_completes_the_handshake_and_sends_the_protocol_header() {
    let dir = TempDir::new("trusted");
    let pki = pki();
    let ca = write_ca(&dir.0, &pki);
    let (port, seen) = start_server(&pki).await;
    let config = config_for(port, ca.to_str().unwrap());
    assert_eq!(config.amqp.tls_ca_file.as_deref(), Some(ca.as_path()));

    let (connected, seen) = connect_and_observe(&config, seen).await;

    match &seen {
        Some(Seen::Received(bytes)) => assert_eq!(
            bytes, PROTOCOL_HEADER,
            "the server got something other than the AMQP 0-9-1 header over TLS"
        ),
        _ => panic!(
            "the TLS handshake with the configured CA did not succeed: server: {}; client: {:?}",
            describe(&seen),
            connected.map(|r| r.map(|_| ()).map_err(|e| e.to_string())),
        ),
    }
    match connected {
        Ok(Err(_)) => {}
        Ok(Ok(_)) => panic!("connect succeeded against a server that is not a broker"),
        Err(_) => panic!("connect did not return within {CONNECT_BOUND:?} after the server closed"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqps_without_the_ca_file_rejects_the_server_certificate() {
    let pki = pki();
    let (port, seen) = start_server(&pki).await;
    // Empty: the system's roots, which do not include this test's CA.
    let config = config_for(port, "");
    assert_eq!(config.amqp.tls_ca_file, None);

    let (connected, seen) = connect_and_observe(&config, seen).await;

    // The client aborted the handshake, or nothing arrived in time: never the header.
    if let Some(Seen::Received(bytes)) = &seen {
        panic!("the client sent {bytes:?} to a server whose CA it must not trust");
    }
    match connected {
        Ok(Err(e)) => {
            let message = e.to_string();
            assert!(
                message.contains("certificate"),
                "expected a certificate error, got: {message} (server: {})",
                describe(&seen)
            );
        }
        Ok(Ok(_)) => panic!("connect succeeded with an untrusted server certificate"),
        Err(_) => panic!("connect did not fail within {CONNECT_BOUND:?}"),
    }
}

#[test]
fn a_missing_ca_file_is_rejected_by_validation() {
    let dir = TempDir::new("missing");
    let missing = dir.0.join("no-such-ca.pem");
    let err = Config::load_from(
        None,
        [
            (
                "AMQP_URL".to_owned(),
                "amqps://guest:guest@localhost:5671/%2f".to_owned(),
            ),
            (
                "NEWS_ENRICHER__AMQP__TLS_CA_FILE".to_owned(),
                missing.display().to_string(),
            ),
        ],
    )
    .expect_err("a CA file that does not exist must be rejected")
    .to_string();
    assert!(err.contains("amqp.tls_ca_file"), "{err}");
    assert!(err.contains(&missing.display().to_string()), "{err}");
}

/// Regression: lapin ignores the URI's connection timeout, so a peer that accepts TCP and
/// then stays silent used to hang `connect` (and the worker) for ever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_to_a_silent_peer_times_out_instead_of_hanging() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let silent = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        tokio::time::sleep(std::time::Duration::from_secs(10)).await;
        drop(socket);
    });
    let config = Config::load_from(
        None,
        vec![
            (
                "AMQP_URL".to_owned(),
                format!("amqp://guest:guest@127.0.0.1:{port}/%2f"),
            ),
            (
                "NEWS_ENRICHER__AMQP__CONNECT_TIMEOUT_MS".to_owned(),
                "300".to_owned(),
            ),
        ],
    )
    .unwrap();
    let started = std::time::Instant::now();
    let result = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        news_enricher::amqp::connect(&config.amqp),
    )
    .await
    .expect("connect returns by itself");
    let Err(err) = result else {
        panic!("a silent peer is not a broker");
    };
    assert!(err.to_string().contains("within"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    silent.abort();
}
