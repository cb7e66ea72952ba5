//! news-enricher: a RabbitMQ worker that enriches news articles with named entities,
//! quotations (with their speakers), places on the map and sentiment.
//!
//! Layout and data flow of one message:
//!
//! - [`amqp`] connects, declares the topology, builds routing keys and publishes with
//!   confirms (transport only: bodies are bytes).
//! - [`worker`] takes a delivery, runs [`enricher::Enricher::process`] on the CPU pool,
//!   publishes the result, waits for the confirm, and only then acks;
//!   [`worker::policy`] maps every failure to dead-letter, retry, reconnect or stop.
//! - [`enricher`] decodes an [`message::Article`], runs [`nlp::Pipeline::analyze`] and encodes
//!   the output ([`message`]), where spans in the normalised text map back to the original
//!   fields and byte spans become code-point offsets.
//! - [`nlp`] is the pipeline: pure and synchronous, no I/O, shared by `Arc`. Its stages
//!   (text normalisation, language, text, ner, entities, quotes, places, sentiment, tags)
//!   share the types of [`nlp::analysis`].
//! - [`train`] holds the offline trainers and corpus readers (file I/O, logging), outside
//!   the pure pipeline.
//! - [`batch`] and [`publish`] are the `enrich` and `publish` commands ([`input`] reads their
//!   files); [`http`] and [`metrics`] the operations endpoint, and with [`render`] (the HTML
//!   view of enriched articles) the `serve` command's enrichment API and page; [`config`] the
//!   layered, validated settings.

pub mod amqp;
pub mod batch;
pub mod config;
pub mod enricher;
pub mod http;
pub mod input;
pub mod message;
pub mod metrics;
pub mod nlp;
pub mod publish;
pub mod render;
pub mod train;
pub mod worker;
