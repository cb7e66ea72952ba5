//! Reading articles from files or stdin for the command line: JSON Lines (one object a line),
//! or one JSON document (an object, or an array of objects) that may span many lines.
//! Every record carries its file and line so that a bad one can be named precisely. A UTF-8
//! byte order mark at the start of the input is skipped.

use std::io::{BufRead, BufReader};

/// One record of an input: where it starts and its JSON text (or why it is unreadable).
#[derive(Debug, Clone)]
pub struct Record {
    pub line: usize,
    pub text: Result<String, String>,
}

/// A named input: a path, or `-` for standard input.
pub struct Input {
    pub name: String,
    reader: Box<dyn BufRead + Send>,
    mode: Option<Mode>,
    line: usize,
    pending: std::vec::IntoIter<Record>,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Lines,
    Done,
}

impl Input {
    pub fn open(name: &str) -> std::io::Result<Input> {
        let reader: Box<dyn BufRead + Send> = if name == "-" {
            Box::new(BufReader::new(std::io::stdin()))
        } else {
            Box::new(BufReader::with_capacity(
                1 << 20,
                std::fs::File::open(name)?,
            ))
        };
        Ok(Input::from_reader(name, reader))
    }

    pub fn from_reader(name: &str, reader: Box<dyn BufRead + Send>) -> Input {
        Input {
            name: if name == "-" {
                "<stdin>".to_owned()
            } else {
                name.to_owned()
            },
            reader,
            mode: None,
            line: 0,
            pending: Vec::new().into_iter(),
        }
    }

    /// Up to `max` records, in order; an empty vector at the end of the input.
    pub fn next_chunk(&mut self, max: usize) -> std::io::Result<Vec<Record>> {
        let mut out: Vec<Record> = self.pending.by_ref().take(max).collect();
        if out.len() == max {
            return Ok(out);
        }
        if self.mode.is_none() {
            self.mode = Some(self.sniff()?);
            out.extend(self.pending.by_ref().take(max - out.len()));
        }
        if self.mode == Some(Mode::Lines) {
            let mut buf = Vec::new();
            while out.len() < max {
                buf.clear();
                if self.reader.read_until(b'\n', &mut buf)? == 0 {
                    self.mode = Some(Mode::Done);
                    break;
                }
                self.line += 1;
                if let Some(r) = line_record(self.line, &buf) {
                    out.push(r);
                }
            }
        }
        Ok(out)
    }

    /// A document that opens with a lone `{` or `[` line, or whose first line is an
    /// incomplete JSON value, is read whole; anything else is JSON Lines.
    fn sniff(&mut self) -> std::io::Result<Mode> {
        let mut first = Vec::new();
        loop {
            first.clear();
            if self.reader.read_until(b'\n', &mut first)? == 0 {
                return Ok(Mode::Done);
            }
            self.line += 1;
            // A UTF-8 byte order mark (editors on Windows write one) is not part of the JSON.
            if self.line == 1 && first.starts_with(BOM) {
                first.drain(..BOM.len());
            }
            if !first.iter().all(u8::is_ascii_whitespace) {
                break;
            }
        }
        let first_line = self.line;
        let incomplete = match std::str::from_utf8(&first) {
            Ok(text) => matches!(
                serde_json::from_str::<serde::de::IgnoredAny>(text),
                Err(e) if e.is_eof()
            ),
            Err(_) => false,
        };
        if !incomplete {
            self.pending = line_record(first_line, &first)
                .into_iter()
                .collect::<Vec<_>>()
                .into_iter();
            return Ok(Mode::Lines);
        }
        let mut rest = first;
        self.reader.read_to_end(&mut rest)?;
        self.pending = document_records(first_line, &rest).into_iter();
        Ok(Mode::Done)
    }
}

fn line_record(line: usize, bytes: &[u8]) -> Option<Record> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim(),
        Err(e) => {
            return Some(Record {
                line,
                text: Err(format!("not valid UTF-8: {e}")),
            })
        }
    };
    // Blank lines separate nothing in JSON Lines; they are skipped, not errors.
    (!text.is_empty()).then(|| Record {
        line,
        text: Ok(text.to_owned()),
    })
}

fn document_records(first_line: usize, bytes: &[u8]) -> Vec<Record> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return vec![Record {
                line: first_line,
                text: Err(format!("not valid UTF-8: {e}")),
            }]
        }
    };
    let fail = |line: usize, msg: String| Record {
        line,
        text: Err(msg),
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Array(items)) => items
            .into_iter()
            .map(|v| Record {
                line: first_line,
                text: Ok(v.to_string()),
            })
            .collect(),
        Ok(v) => vec![Record {
            line: first_line,
            text: Ok(v.to_string()),
        }],
        Err(e) => vec![fail(first_line + e.line().saturating_sub(1), e.to_string())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Read every record of an input (tests and small files).
    fn read_all(name: &str, reader: impl Read + Send + 'static) -> Vec<Record> {
        let mut input = Input::from_reader(name, Box::new(BufReader::new(reader)));
        let mut all = Vec::new();
        loop {
            let chunk = input.next_chunk(1024).expect("reading from memory");
            if chunk.is_empty() {
                return all;
            }
            all.extend(chunk);
        }
    }

    fn texts(records: &[Record]) -> Vec<(usize, bool)> {
        records.iter().map(|r| (r.line, r.text.is_ok())).collect()
    }

    #[test]
    fn json_lines_keep_line_numbers_and_skip_blanks() {
        let data = "{\"id\":\"1\"}\n\n{bad\n{\"id\":\"3\"}\n";
        let records = read_all("x", std::io::Cursor::new(data));
        assert_eq!(texts(&records), [(1, true), (3, true), (4, true)]);
    }

    #[test]
    fn a_pretty_printed_object_is_one_record() {
        let data = "{\n  \"id\": \"1\",\n  \"body\": \"b\"\n}\n";
        let records = read_all("x", std::io::Cursor::new(data));
        assert_eq!(records.len(), 1);
        assert!(records[0].text.as_ref().unwrap().contains("\"body\""));
    }

    #[test]
    fn an_array_is_one_record_per_element() {
        let data = "[\n{\"id\":\"1\"},\n{\"id\":\"2\"}\n]";
        let records = read_all("x", std::io::Cursor::new(data));
        assert_eq!(records.len(), 2);
    }

    #[test]
    fn a_byte_order_mark_at_the_start_is_skipped() {
        for data in [
            "\u{FEFF}{\"id\":\"1\"}\n{\"id\":\"2\"}\n",
            "\u{FEFF}[\n{\"id\":\"1\"},\n{\"id\":\"2\"}\n]",
            "\u{FEFF}{\n  \"id\": \"1\"\n}\n",
            "\u{FEFF}\n{\"id\":\"1\"}\n{\"id\":\"2\"}",
        ] {
            let records = read_all("x", std::io::Cursor::new(data));
            let ids: Vec<String> = records
                .iter()
                .map(|r| {
                    let v: serde_json::Value =
                        serde_json::from_str(r.text.as_ref().expect("valid JSON")).unwrap();
                    v["id"].as_str().unwrap().to_owned()
                })
                .collect();
            assert_eq!(ids[0], "1", "{data:?}");
            assert_eq!(ids.len(), 1 + data.matches("\"2\"").count(), "{data:?}");
        }
        // Only at the start: a BOM inside a line is the record's problem.
        let records = read_all(
            "x",
            std::io::Cursor::new("{\"id\":\"1\"}\n\u{FEFF}{\"id\":\"2\"}\n"),
        );
        assert_eq!(records.len(), 2);
    }

    #[test]
    fn invalid_utf8_is_reported_on_its_line() {
        let data: Vec<u8> = b"{\"id\":\"1\"}\n{\"id\":\"\xff\"}\n".to_vec();
        let records = read_all("x", std::io::Cursor::new(data));
        assert_eq!(texts(&records), [(1, true), (2, false)]);
    }
}
