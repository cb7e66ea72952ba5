//! `news-enricher publish`: put articles on the input exchange (demos, load tests), each
//! persistent and confirmed by the broker. Confirms are awaited in windows, not one by one,
//! so that a load test is not limited by round trips.

use crate::amqp::{self, AmqpError};
use crate::config::Config;
use crate::input::Input;
use futures_util::future::join_all;
use std::io::Write;

#[derive(Debug, Clone)]
pub struct PublishOptions {
    pub routing_key: String,
    /// Publish each line as it is, without checking it is JSON (to exercise dead-lettering).
    pub raw: bool,
    /// Publish each article this many times, ids suffixed `#1`, `#2`, ... when above 1.
    pub repeat: usize,
    /// Publishes awaiting their confirm at once.
    pub window: usize,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct PublishSummary {
    pub published: usize,
    pub skipped: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Amqp(#[from] AmqpError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

pub async fn run(
    config: &Config,
    inputs: &[String],
    options: &PublishOptions,
    err: &mut dyn Write,
) -> Result<PublishSummary, PublishError> {
    let conn = amqp::connect(&config.amqp).await?;
    let channel = amqp::confirm_channel(&conn).await?;
    if config.topology.declare {
        amqp::declare_topology(&channel, &config.topology).await?;
    }
    let mut summary = PublishSummary::default();
    let mut batch: Vec<(Option<String>, Vec<u8>)> = Vec::new();
    let stdin = ["-".to_owned()];
    let inputs = if inputs.is_empty() {
        &stdin[..]
    } else {
        inputs
    };
    for name in inputs {
        let mut input = Input::open(name)?;
        loop {
            let chunk = input.next_chunk(1024)?;
            if chunk.is_empty() {
                break;
            }
            for record in chunk {
                let text = match record.text {
                    Ok(t) => t,
                    Err(e) => {
                        writeln!(err, "{}:{}: {e}", input.name, record.line)?;
                        summary.skipped += 1;
                        continue;
                    }
                };
                if options.raw {
                    batch.push((None, text.into_bytes()));
                } else {
                    match serde_json::from_str::<serde_json::Value>(&text) {
                        Ok(value) => batch.extend(copies(value, options.repeat)),
                        Err(e) => {
                            writeln!(err, "{}:{}: not JSON: {e}", input.name, record.line)?;
                            summary.skipped += 1;
                            continue;
                        }
                    }
                }
                if batch.len() >= options.window {
                    summary.published += flush(config, &channel, options, &mut batch).await?;
                }
            }
        }
    }
    summary.published += flush(config, &channel, options, &mut batch).await?;
    let _ = conn.close(200, "done".into()).await;
    Ok(summary)
}

fn copies(value: serde_json::Value, repeat: usize) -> Vec<(Option<String>, Vec<u8>)> {
    let id = value.get("id").and_then(|v| v.as_str()).map(str::to_owned);
    if repeat <= 1 {
        return vec![(id, serde_json::to_vec(&value).expect("serializes"))];
    }
    (1..=repeat)
        .map(|n| {
            let mut v = value.clone();
            let new_id = id.as_ref().map(|id| format!("{id}#{n}"));
            if let (Some(obj), Some(new_id)) = (v.as_object_mut(), &new_id) {
                obj.insert("id".into(), new_id.clone().into());
            }
            (new_id, serde_json::to_vec(&v).expect("serializes"))
        })
        .collect()
}

async fn flush(
    config: &Config,
    channel: &lapin::Channel,
    options: &PublishOptions,
    batch: &mut Vec<(Option<String>, Vec<u8>)>,
) -> Result<usize, AmqpError> {
    let n = batch.len();
    let publishes = batch.iter().map(|(id, body)| {
        amqp::publish_confirmed(
            channel,
            &config.topology.input_exchange,
            &options.routing_key,
            body,
            amqp::json_properties(id.as_deref()),
            config.amqp.publish_timeout,
        )
    });
    for result in join_all(publishes).await {
        result?;
    }
    batch.clear();
    Ok(n)
}
