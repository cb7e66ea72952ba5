//! Batch mode (`news-enricher enrich`): enrich files of articles without a broker. Output is
//! JSON Lines on stdout in input order; problems go to stderr with file and line. Records are
//! processed in chunks on every core, and each chunk is written in order before the next.

use crate::enricher::Enricher;
use crate::input::{Input, Record};
use rayon::prelude::*;
use std::io::Write;

/// Records handed to the thread pool at a time: enough to keep every core busy, few enough
/// that memory stays bounded on large inputs.
const CHUNK: usize = 512;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchSummary {
    pub enriched: usize,
    pub failed: usize,
}

/// Enrich every record of `inputs` (paths, `-` for stdin) into `out`; report bad records to
/// `err` as `file:line: reason`. An input that cannot be opened or read is reported and
/// counted as failed; the rest still run.
pub fn run(
    enricher: &Enricher,
    inputs: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<BatchSummary> {
    let mut summary = BatchSummary::default();
    let stdin = ["-".to_owned()];
    let inputs = if inputs.is_empty() {
        &stdin[..]
    } else {
        inputs
    };
    for name in inputs {
        let mut input = match Input::open(name) {
            Ok(i) => i,
            Err(e) => {
                writeln!(err, "{name}: cannot open: {e}")?;
                summary.failed += 1;
                continue;
            }
        };
        loop {
            let chunk = match input.next_chunk(CHUNK) {
                Ok(c) => c,
                Err(e) => {
                    writeln!(err, "{}: read error: {e}", input.name)?;
                    summary.failed += 1;
                    break;
                }
            };
            if chunk.is_empty() {
                break;
            }
            let results: Vec<Result<Vec<u8>, String>> = chunk
                .into_par_iter()
                .map(|Record { line, text }| {
                    let outcome = text.and_then(|t| {
                        enricher
                            .process_str(&t)
                            .map(|e| e.json)
                            .map_err(|e| e.to_string())
                    });
                    outcome.map_err(|reason| format!("{}:{line}: {reason}", input.name))
                })
                .collect();
            for r in results {
                match r {
                    Ok(json) => {
                        out.write_all(&json)?;
                        out.write_all(b"\n")?;
                        summary.enriched += 1;
                    }
                    Err(msg) => {
                        writeln!(err, "{msg}")?;
                        summary.failed += 1;
                    }
                }
            }
        }
    }
    out.flush()?;
    Ok(summary)
}
