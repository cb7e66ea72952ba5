//! The command line: parse, set up logging and configuration, hand over to the library, and
//! turn the outcome into an exit code (0 ok, 1 failure or bad input lines, 2 bad usage/config).

use anyhow::Context;
use clap::{Parser, Subcommand};
use news_enricher::config::{Config, LogFormat};
use news_enricher::enricher::{Enricher, Mode};
use news_enricher::http::Readiness;
use news_enricher::metrics::Metrics;
use news_enricher::nlp::Pipeline;
use news_enricher::worker::Worker;
use news_enricher::{batch, http, publish};
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::sync::watch;

#[derive(Parser)]
#[command(
    name = "news-enricher",
    version,
    about = "Enrich news articles from RabbitMQ with entities, quotations and sentiment"
)]
struct Cli {
    /// TOML file overriding config/default.toml (any subset of its keys).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the worker: consume, enrich, publish, until SIGTERM/SIGINT.
    Run,
    /// Enrich JSON Lines or JSON files (stdin when none) to JSON Lines on stdout, no broker.
    Enrich {
        /// Input files; `-` is stdin.
        files: Vec<String>,
    },
    /// Serve the enrichment API (POST /v1/enrich) and a page that shows enriched articles.
    Serve {
        /// Address to listen on (default: serve.listen, 127.0.0.1:8080).
        #[arg(long, value_name = "ADDR")]
        listen: Option<SocketAddr>,
    },
    /// Write enriched JSON Lines (files, or stdin when none) as one HTML page to stdout.
    Render {
        /// Enriched records (the output of `enrich`, or of the worker); `-` is stdin.
        files: Vec<String>,
    },
    /// Publish articles to the input exchange, with publisher confirms.
    Publish {
        /// Input files; `-` is stdin.
        files: Vec<String>,
        /// Routing key of the published messages.
        #[arg(long, default_value = "article.raw")]
        routing_key: String,
        /// Publish each line unchecked (for example invalid JSON, to see dead-lettering).
        #[arg(long)]
        raw: bool,
        /// Publish every article N times with ids suffixed #1..#N (load tests).
        #[arg(long, default_value_t = 1, value_name = "N")]
        repeat: usize,
        /// Publishes awaiting confirms at once.
        #[arg(long, default_value_t = 256, value_name = "N")]
        window: usize,
    },
    /// Train the entity recognizer from CoNLL files and write the model file.
    TrainNer {
        /// Training files (CoNLL-2003 format; IOB1, IOB2 or IOBES tags in the last column).
        #[arg(long = "train", required = true, num_args = 1.., value_name = "FILE")]
        train: Vec<PathBuf>,
        /// More training files in the conventions of the GUM Wikinews layer
        /// (`gum-news.train.conll`), read mapped to CoNLL-2003's (nationality adjectives MISC).
        #[arg(long = "train-gum", num_args = 1.., value_name = "FILE")]
        train_gum: Vec<PathBuf>,
        /// Development file: precision / recall / F1 are printed for it.
        #[arg(long, value_name = "FILE")]
        dev: Option<PathBuf>,
        /// Gazetteer (`CATEGORY<TAB>phrase` lines), built by scripts/build_gazetteer.py.
        #[arg(long, default_value = "models/gazetteer.tsv", value_name = "FILE")]
        gazetteer: PathBuf,
        /// Word clusters (`word<TAB>id...` lines), built by `cargo run --release --example clusters`.
        #[arg(long, default_value = "models/clusters.tsv", value_name = "FILE")]
        clusters: PathBuf,
        /// Where to write the model.
        #[arg(long, default_value = "models/ner.bin", value_name = "FILE")]
        out: PathBuf,
        /// Passes over the training data (stage 1 and stage 2 each).
        #[arg(long, default_value_t = 10, value_name = "N")]
        epochs: usize,
        /// Ablation: read shouted runs (leads and headlines in capitals) as written instead
        /// of case-normalised.
        #[arg(long)]
        no_shouted: bool,
    },
    /// Train the news sentiment models (sentence and target) and write the model file.
    TrainSentiment {
        /// Folder with emobank/, newsmtsc/ and finentity/ train.jsonl (dev.jsonl, when present,
        /// is scored).
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// Where to write the model.
        #[arg(long, default_value = "models/sentiment.bin", value_name = "FILE")]
        out: PathBuf,
        /// Leave out the PerSenT articles of fold K (0-4; an article's number modulo 5) and
        /// their paragraphs: the fold model of `scripts/persent_cv.sh`.
        #[arg(long, value_name = "K")]
        persent_skip_fold: Option<usize>,
        /// Times each PerSenT paragraph mention counts (default: the shipped setting).
        #[arg(long, value_name = "N")]
        persent_paragraphs: Option<usize>,
        /// Times each PerSenT article (the mean over its mentions of the person) counts.
        #[arg(long, value_name = "N")]
        persent_documents: Option<usize>,
        /// Count he/him/his/she/her as mentions of the PerSenT person (true/false).
        #[arg(long, value_name = "BOOL")]
        persent_pronouns: Option<bool>,
        /// PerSenT examples keep only the target model's dense features (true/false).
        #[arg(long, value_name = "BOOL")]
        persent_dense_only: Option<bool>,
        /// How much a PerSenT example's error counts (1: as much as the other sets').
        #[arg(long, value_name = "W")]
        persent_weight: Option<f64>,
        /// PerSenT examples leave out the sentence-wide words (true/false).
        #[arg(long, value_name = "BOOL")]
        persent_local_only: Option<bool>,
        /// PerSenT sentences about the person as sentence-model examples at label x this.
        #[arg(long, value_name = "W")]
        persent_sentence_weight: Option<f64>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("news-enricher: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&config);
    let result = match cli.command {
        Command::Run => run_worker(config),
        Command::Enrich { files } => enrich(config, &files),
        Command::Serve { listen } => serve(config, listen),
        Command::Render { files } => render(&files),
        Command::Publish {
            files,
            routing_key,
            raw,
            repeat,
            window,
        } => publish_files(
            config,
            &files,
            publish::PublishOptions {
                routing_key,
                raw,
                repeat: repeat.max(1),
                window: window.max(1),
            },
        ),
        Command::TrainNer {
            train,
            train_gum,
            dev,
            gazetteer,
            clusters,
            out,
            epochs,
            no_shouted,
        } => {
            use news_enricher::nlp::ner::features::groups;
            let defaults = news_enricher::train::ner::TrainOptions::default();
            let options = news_enricher::train::ner::TrainOptions {
                groups: if no_shouted {
                    defaults.groups & !groups::SHOUTED
                } else {
                    defaults.groups
                },
                gum: train_gum,
                epochs,
                stage2_epochs: epochs,
                gazetteer: Some(gazetteer),
                clusters: Some(clusters),
                verbose: true,
                ..defaults
            };
            train_ner(&train, dev.as_deref(), &out, &options)
        }
        Command::TrainSentiment {
            data,
            out,
            persent_skip_fold,
            persent_paragraphs,
            persent_documents,
            persent_pronouns,
            persent_dense_only,
            persent_weight,
            persent_sentence_weight,
            persent_local_only,
        } => {
            let mut options = news_enricher::train::sentiment::SentimentOptions {
                persent_skip_fold,
                ..Default::default()
            };
            if let Some(n) = persent_paragraphs {
                options.persent_paragraph_repeat = n;
            }
            if let Some(n) = persent_documents {
                options.persent_document_repeat = n;
            }
            if let Some(p) = persent_pronouns {
                options.persent_pronouns = p;
            }
            if let Some(d) = persent_dense_only {
                options.persent_dense_only = d;
            }
            if let Some(l) = persent_local_only {
                options.persent_local_only = l;
            }
            if let Some(w) = persent_sentence_weight {
                options.persent_sentence_weight = w;
            }
            if let Some(w) = persent_weight {
                options.persent_weight = w;
            }
            train_sentiment(&data, &out, &options)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("news-enricher: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&config.log.level));
    // Colour codes only for a person at a terminal: in a file, a pipe or a log collector
    // they are noise around every field.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match config.log.format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Human => builder.init(),
    }
}

fn load_enricher(config: &Config) -> anyhow::Result<Enricher> {
    let started = std::time::Instant::now();
    let pipeline = Pipeline::load(&config.nlp).context("loading the pipeline")?;
    tracing::info!(
        took_ms = started.elapsed().as_millis() as u64,
        "pipeline loaded"
    );
    let mode = if config.worker.enrich {
        Mode::Enrich
    } else {
        Mode::PassThrough
    };
    Ok(Enricher::new(
        Arc::new(pipeline),
        config.worker.max_message_bytes,
        mode,
        &config.nlp.default_language,
    ))
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    // The async side only shuffles bytes; CPU work has its own pool.
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

fn run_worker(config: Config) -> anyhow::Result<ExitCode> {
    let config = Arc::new(config);
    tracing::info!(config = ?config.amqp, topology = ?config.topology, "starting worker");
    let enricher = load_enricher(&config)?;
    let metrics = Metrics::new();
    let ready = Arc::new(Readiness::default());
    let worker = Worker::new(config.clone(), enricher, metrics.clone(), ready.clone())?;
    runtime()?.block_on(async move {
        // Installed here, before anything runs: a worker that could not hear SIGTERM would be
        // killed mid-message instead of draining, so failing to install is an error at start.
        let shutdown_rx = Signals::install()
            .context("installing the SIGTERM/SIGINT handlers")?
            .shutdown();
        let server = if config.http.enabled {
            let listener = http::serve(config.http.listen, metrics, ready, shutdown_rx.clone());
            Some(tokio::spawn(listener))
        } else {
            None
        };
        worker.run(shutdown_rx).await?;
        if let Some(server) = server {
            match server.await {
                Ok(Err(e)) => tracing::warn!(error = %e, "http endpoint failed"),
                Err(e) => tracing::warn!(error = %e, "http endpoint task failed"),
                Ok(Ok(())) => {}
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// SIGTERM and SIGINT, either of which stops the worker.
struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> std::io::Result<Signals> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    async fn recv(mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.int.recv() => {}
        }
    }

    /// A receiver that turns true at the first signal (the waiting task is spawned here).
    fn shutdown(self) -> watch::Receiver<bool> {
        let (tx, rx) = watch::channel(false);
        tokio::spawn(async move {
            self.recv().await;
            tracing::info!("signal received: stopping");
            let _ = tx.send(true);
        });
        rx
    }
}

/// 1 when any record of a batch command was bad, else 0.
fn batch_exit(failed: usize) -> ExitCode {
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn enrich(config: Config, files: &[String]) -> anyhow::Result<ExitCode> {
    let enricher = load_enricher(&config)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut err = std::io::stderr();
    // Progress is for a person watching; a log file or a pipe gets nothing extra.
    let options = batch::BatchOptions {
        progress: err.is_terminal(),
    };
    let summary = batch::run(&enricher, files, &mut out, &mut err, options)?;
    tracing::info!(
        enriched = summary.enriched,
        failed = summary.failed,
        "batch done"
    );
    Ok(batch_exit(summary.failed))
}

fn serve(config: Config, listen: Option<SocketAddr>) -> anyhow::Result<ExitCode> {
    let addr = listen.unwrap_or(config.serve.listen);
    let options = http::api::ApiOptions {
        max_body_bytes: config.worker.max_message_bytes,
        timeout: config.serve.timeout,
        max_pending: config.serve.max_pending,
        threads: config.worker.pipeline_threads,
    };
    let api = Arc::new(http::api::Api::new(load_enricher(&config)?, options)?);
    runtime()?.block_on(async move {
        let shutdown_rx = Signals::install()
            .context("installing the SIGTERM/SIGINT handlers")?
            .shutdown();
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("listening on {addr}"))?;
        let local = listener.local_addr()?;
        tracing::info!(addr = %local, "serving the enrichment API and the page on http://{local}/");
        http::api::serve(listener, api, shutdown_rx).await?;
        Ok(ExitCode::SUCCESS)
    })
}

fn render(files: &[String]) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let summary = batch::render(files, &mut out, &mut std::io::stderr())?;
    tracing::debug!(
        rendered = summary.enriched,
        failed = summary.failed,
        "render done"
    );
    Ok(batch_exit(summary.failed))
}

fn publish_files(
    config: Config,
    files: &[String],
    options: publish::PublishOptions,
) -> anyhow::Result<ExitCode> {
    let summary = runtime()?
        .block_on(async { publish::run(&config, files, &options, &mut std::io::stderr()).await })?;
    tracing::info!(
        published = summary.published,
        skipped = summary.skipped,
        "publish done"
    );
    Ok(batch_exit(summary.skipped))
}

fn train_sentiment(
    data: &std::path::Path,
    out: &std::path::Path,
    options: &news_enricher::train::sentiment::SentimentOptions,
) -> anyhow::Result<ExitCode> {
    use news_enricher::nlp::sentiment::vader::Vader;
    use news_enricher::train::sentiment;
    let started = std::time::Instant::now();
    let vader = Vader::builtin().context("the built-in VADER lexicon")?;
    let corpus = sentiment::SentimentData::read(data).context("reading the training sets")?;
    if let Some(k) = options.persent_skip_fold {
        anyhow::ensure!(
            k < sentiment::PERSENT_FOLDS,
            "--persent-skip-fold must be below {}",
            sentiment::PERSENT_FOLDS
        );
    }
    anyhow::ensure!(
        !options.uses_persent() || !corpus.persent_paragraphs.is_empty(),
        "the PerSenT settings need {}/persent/dev.jsonl and dev_paragraphs.jsonl",
        data.display()
    );
    let model = sentiment::train(&corpus, &vader, options).context("training")?;
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "trained in {:.1}s on {} EmoBank, {} NewsMTSC and {} FinEntity rows{}; wrote {} ({:.1} MB)",
        started.elapsed().as_secs_f64(),
        corpus.emobank.len(),
        corpus.newsmtsc.len(),
        corpus.finentity.len(),
        if options.uses_persent() {
            format!(
                ", {} PerSenT dev articles ({} paragraphs){}",
                corpus.persent.len(),
                corpus.persent_paragraphs.len(),
                match options.persent_skip_fold {
                    Some(k) => format!(" less fold {k}"),
                    None => String::new(),
                }
            )
        } else {
            String::new()
        },
        out.display(),
        bytes.len() as f64 / 1e6
    );
    for (name, r, rho, n) in sentiment::evaluate(&model, data, &vader).context("scoring dev")? {
        println!("{name}: r {r:.3} rho {rho:.3} ({n} rows)");
    }
    Ok(ExitCode::SUCCESS)
}

fn train_ner(
    train: &[PathBuf],
    dev: Option<&std::path::Path>,
    out: &std::path::Path,
    options: &news_enricher::train::ner::TrainOptions,
) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let (model, report) =
        news_enricher::train::ner::train(train, dev, options).context("training")?;
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "trained in {:.1}s on {} documents ({} tokens); wrote {} ({:.1} MB)",
        started.elapsed().as_secs_f64(),
        report.train_docs,
        report.train_tokens,
        out.display(),
        bytes.len() as f64 / 1e6
    );
    if dev.is_some() {
        print!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}
