//! The batch commands, without a broker: `enrich` (files of articles to JSON Lines on stdout
//! in input order; records are processed in chunks on every core, and each chunk is written
//! in order before the next) and `render` (enriched records to one HTML document). Problems
//! go to stderr with file and line; the rest still run. A long `enrich` shows its progress
//! on stderr when asked to (the command does when stderr is a terminal).

use crate::enricher::Enricher;
use crate::input::{Input, Record};
use crate::render;
use rayon::prelude::*;
use std::io::Write;
use std::time::{Duration, Instant};

/// Records handed to the thread pool at a time: enough to keep every core busy, few enough
/// that memory stays bounded on large inputs.
const CHUNK: usize = 512;

/// Progress appears once this many records are done: a shorter batch is over before anyone
/// would wait for it.
const PROGRESS_AFTER_RECORDS: usize = 2_000;

/// The progress line is redrawn at most this often.
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchSummary {
    pub enriched: usize,
    pub failed: usize,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct BatchOptions {
    /// Show records/s and the ETA on `err` while a long batch runs (meant for a terminal).
    pub progress: bool,
}

/// Enrich every record of `inputs` (paths, `-` for stdin) into `out`; report bad records to
/// `err` as `file:line: reason`. An input that cannot be opened or read is reported and
/// counted as failed; the rest still run.
pub fn run(
    enricher: &Enricher,
    inputs: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
    options: BatchOptions,
) -> std::io::Result<BatchSummary> {
    let mut progress = Progress::new(options.progress, inputs);
    let summary = for_each_chunk(inputs, err, |name, chunk, summary, err| {
        progress.bytes_done += chunk.iter().map(Record::size).sum::<u64>();
        let results: Vec<Result<Vec<u8>, String>> = chunk
            .into_par_iter()
            .map(|Record { line, text }| {
                let outcome = text.and_then(|t| {
                    enricher
                        .process_str(&t)
                        .map(|e| e.json)
                        .map_err(|e| e.to_string())
                });
                outcome.map_err(|reason| format!("{name}:{line}: {reason}"))
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
                    progress.clear(err)?;
                    writeln!(err, "{msg}")?;
                    summary.failed += 1;
                }
            }
        }
        progress.records = summary.enriched + summary.failed;
        progress.show(err)
    })?;
    progress.finish(err)?;
    out.flush()?;
    Ok(summary)
}

/// Render every enriched record of `inputs` as one HTML document (a section per record) into
/// `out`; bad records are reported to `err` like [`run`] does.
pub fn render(
    inputs: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<BatchSummary> {
    let mut html = String::new();
    render::document_start(&mut html);
    out.write_all(html.as_bytes())?;
    let summary = for_each_chunk(inputs, err, |name, chunk, summary, err| {
        for Record { line, text } in chunk {
            html.clear();
            match text.and_then(|t| render::render_json(&t, &mut html).map_err(|e| e.to_string())) {
                Ok(()) => {
                    out.write_all(html.as_bytes())?;
                    summary.enriched += 1;
                }
                Err(reason) => {
                    writeln!(err, "{name}:{line}: {reason}")?;
                    summary.failed += 1;
                }
            }
        }
        Ok(())
    })?;
    html.clear();
    render::document_end(&mut html);
    out.write_all(html.as_bytes())?;
    out.flush()?;
    Ok(summary)
}

/// Read `inputs` (stdin when empty) in chunks and hand each to `f` with the input's name.
fn for_each_chunk(
    inputs: &[String],
    err: &mut dyn Write,
    mut f: impl FnMut(&str, Vec<Record>, &mut BatchSummary, &mut dyn Write) -> std::io::Result<()>,
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
            f(&input.name, chunk, &mut summary, err)?;
        }
    }
    Ok(summary)
}

impl Record {
    /// Bytes of input this record stands for (its text and line end), for the ETA.
    fn size(&self) -> u64 {
        self.text.as_ref().map_or(1, |t| t.len() as u64 + 1)
    }
}

/// The progress line of a long batch: records, records/s and, when the size of the input is
/// known (files, not a pipe), the share done and the time left.
struct Progress {
    enabled: bool,
    started: Instant,
    last_shown: Option<Instant>,
    records: usize,
    bytes_done: u64,
    bytes_total: Option<u64>,
}

impl Progress {
    fn new(enabled: bool, inputs: &[String]) -> Progress {
        let bytes_total = if inputs.is_empty() || inputs.iter().any(|i| i == "-") {
            None
        } else {
            inputs
                .iter()
                .map(|i| std::fs::metadata(i).ok().map(|m| m.len()))
                .sum()
        };
        Progress {
            enabled,
            started: Instant::now(),
            last_shown: None,
            records: 0,
            bytes_done: 0,
            bytes_total,
        }
    }

    fn show(&mut self, err: &mut dyn Write) -> std::io::Result<()> {
        let now = Instant::now();
        if !self.enabled
            || self.records < PROGRESS_AFTER_RECORDS
            || self.last_shown.is_some_and(|t| now - t < PROGRESS_EVERY)
        {
            return Ok(());
        }
        self.last_shown = Some(now);
        // \r and "erase to end of line": the line is redrawn in place.
        write!(err, "\r\x1b[K{}", self.line(now - self.started))?;
        err.flush()
    }

    /// Erase the progress line so that another message gets a clean line.
    fn clear(&mut self, err: &mut dyn Write) -> std::io::Result<()> {
        if self.last_shown.is_some() {
            write!(err, "\r\x1b[K")?;
        }
        Ok(())
    }

    fn finish(&mut self, err: &mut dyn Write) -> std::io::Result<()> {
        if self.last_shown.is_none() {
            return Ok(());
        }
        let elapsed = self.started.elapsed();
        writeln!(
            err,
            "\r\x1b[Kenrich: {} records in {:.1} s ({:.0} records/s)",
            self.records,
            elapsed.as_secs_f64(),
            self.records as f64 / elapsed.as_secs_f64().max(1e-9)
        )
    }

    fn line(&self, elapsed: Duration) -> String {
        let secs = elapsed.as_secs_f64().max(1e-9);
        let mut line = format!(
            "enrich: {} records, {:.0} records/s",
            self.records,
            self.records as f64 / secs
        );
        if let Some(total) = self.bytes_total.filter(|&t| t > 0) {
            let done = (self.bytes_done as f64 / total as f64).min(1.0);
            line.push_str(&format!(", {:.0} %", done * 100.0));
            if done > 0.0 {
                let left = (secs * (1.0 - done) / done).round() as u64;
                line.push_str(&format!(", ETA {}:{:02}", left / 60, left % 60));
            }
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enricher::Mode;
    use crate::nlp::Pipeline;
    use std::sync::Arc;

    fn progress(records: usize, done: u64, total: Option<u64>) -> Progress {
        Progress {
            enabled: true,
            started: Instant::now(),
            last_shown: None,
            records,
            bytes_done: done,
            bytes_total: total,
        }
    }

    #[test]
    fn the_progress_line_has_the_rate_and_the_time_left() {
        let p = progress(5_000, 250, Some(1_000));
        assert_eq!(
            p.line(Duration::from_secs(10)),
            "enrich: 5000 records, 500 records/s, 25 %, ETA 0:30"
        );
        // From a pipe the size is unknown: no share, no ETA.
        let p = progress(5_000, 250, None);
        assert_eq!(
            p.line(Duration::from_secs(4)),
            "enrich: 5000 records, 1250 records/s"
        );
    }

    fn batch_file(n: usize) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("ne-batch-{}-{n}.jsonl", std::process::id()));
        let lines: String = (0..n)
            .map(|i| format!("{{\"id\":\"a{i}\",\"body\":\"Ann Lee met Bob in Paris.\"}}\n"))
            .collect();
        std::fs::write(&path, lines).unwrap();
        path
    }

    #[test]
    fn a_long_batch_shows_progress_only_when_asked() {
        let pipeline = Arc::new(Pipeline::load(&Default::default()).unwrap());
        let enricher = Enricher::new(pipeline, 1 << 20, Mode::PassThrough, "en");
        let path = batch_file(PROGRESS_AFTER_RECORDS + CHUNK);
        let inputs = [path.display().to_string()];
        for enabled in [false, true] {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let options = BatchOptions { progress: enabled };
            let summary = run(&enricher, &inputs, &mut out, &mut err, options).unwrap();
            assert_eq!(summary.enriched, PROGRESS_AFTER_RECORDS + CHUNK);
            let err = String::from_utf8(err).unwrap();
            if enabled {
                // First drawn after the chunk that passes the threshold, with share and ETA.
                let drawn_at = PROGRESS_AFTER_RECORDS.div_ceil(CHUNK) * CHUNK;
                let first = format!("\r\x1b[Kenrich: {drawn_at} records, ");
                assert!(err.starts_with(&first), "{err:?}");
                assert!(err.contains(" %, ETA "), "{err:?}");
                assert!(err.ends_with(" records/s)\n"), "{err:?}");
            } else {
                assert_eq!(err, "");
            }
        }
        std::fs::remove_file(path).unwrap();
    }
}
