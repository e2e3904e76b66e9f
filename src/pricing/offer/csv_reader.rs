//! A streaming RFC 4180 record reader for AWS's offer CSVs: quoted or bare fields, `""`
//! inside quotes, newlines inside quotes, CRLF or LF. One record at a time into reused
//! buffers, so a multi-GB file is read in constant memory. It reports the line each
//! record starts on, and an unterminated quote at the end (a truncated file).

use std::io::{BufRead, ErrorKind};
use std::ops::Range;

#[derive(Debug)]
pub enum CsvError {
    Io(std::io::Error),
    /// A quoted field still open at the end of the input.
    Unterminated {
        line: u64,
    },
    /// A character after a closing quote other than a separator or the end of the record.
    StrayQuote {
        line: u64,
    },
}

pub struct CsvReader<R> {
    input: R,
    /// The line the next record starts on (1-based).
    line: u64,
    buf: Vec<u8>,
    fields: Vec<Range<usize>>,
}

impl<R: BufRead> CsvReader<R> {
    pub fn new(input: R) -> CsvReader<R> {
        CsvReader { input, line: 1, buf: Vec::with_capacity(4096), fields: Vec::with_capacity(128) }
    }

    /// Read the next record. `Ok(None)` at the end of the input; blank lines are skipped.
    /// Returns the record's first line number.
    pub fn next_record(&mut self) -> Result<Option<u64>, CsvError> {
        loop {
            self.buf.clear();
            self.fields.clear();
            let start_line = self.line;
            if !self.read_record()? {
                return Ok(None);
            }
            if self.fields.len() == 1 && self.fields[0].is_empty() {
                continue; // blank line
            }
            return Ok(Some(start_line));
        }
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Field `i` of the current record as UTF-8 (lossy: offer files are UTF-8).
    pub fn field(&self, i: usize) -> &str {
        match self.fields.get(i) {
            Some(r) => std::str::from_utf8(&self.buf[r.clone()]).unwrap_or(""),
            None => "",
        }
    }

    /// The current record's fields, owned.
    pub fn record(&self) -> Vec<String> {
        (0..self.fields.len()).map(|i| self.field(i).to_string()).collect()
    }

    /// Parse one record into `buf`/`fields`. Returns false at a clean end of input.
    fn read_record(&mut self) -> Result<bool, CsvError> {
        #[derive(PartialEq)]
        enum State {
            FieldStart,
            Bare,
            Quoted,
            QuoteInQuoted,
        }
        let mut state = State::FieldStart;
        let mut field_start = 0usize;
        let mut any = false;
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(CsvError::Io(e)),
            };
            if chunk.is_empty() {
                // End of input.
                return match state {
                    State::Quoted => Err(CsvError::Unterminated { line: self.line }),
                    _ if !any => Ok(false),
                    _ => {
                        self.fields.push(field_start..self.buf.len());
                        Ok(true)
                    }
                };
            }
            any = true;
            let mut consumed = 0;
            let mut done = false;
            for &b in chunk {
                consumed += 1;
                match state {
                    State::FieldStart => match b {
                        b'"' => {
                            state = State::Quoted;
                        }
                        b',' => {
                            self.fields.push(field_start..self.buf.len());
                            field_start = self.buf.len();
                        }
                        b'\n' => {
                            self.line += 1;
                            done = true;
                        }
                        b'\r' => {}
                        _ => {
                            self.buf.push(b);
                            state = State::Bare;
                        }
                    },
                    State::Bare => match b {
                        b',' => {
                            self.fields.push(field_start..self.buf.len());
                            field_start = self.buf.len();
                            state = State::FieldStart;
                        }
                        b'\n' => {
                            self.line += 1;
                            done = true;
                        }
                        b'\r' => {}
                        _ => self.buf.push(b),
                    },
                    State::Quoted => match b {
                        b'"' => state = State::QuoteInQuoted,
                        b'\n' => {
                            self.line += 1;
                            self.buf.push(b);
                        }
                        _ => self.buf.push(b),
                    },
                    State::QuoteInQuoted => match b {
                        b'"' => {
                            self.buf.push(b'"');
                            state = State::Quoted;
                        }
                        b',' => {
                            self.fields.push(field_start..self.buf.len());
                            field_start = self.buf.len();
                            state = State::FieldStart;
                        }
                        b'\n' => {
                            self.line += 1;
                            done = true;
                        }
                        b'\r' => {}
                        _ => {
                            self.input.consume(consumed);
                            return Err(CsvError::StrayQuote { line: self.line });
                        }
                    },
                }
                if done {
                    break;
                }
            }
            self.input.consume(consumed);
            if done {
                self.fields.push(field_start..self.buf.len());
                return Ok(true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Result<Vec<(u64, Vec<String>)>, String> {
        let mut r = CsvReader::new(std::io::BufReader::with_capacity(7, text.as_bytes()));
        let mut out = Vec::new();
        loop {
            match r.next_record() {
                Ok(Some(line)) => out.push((line, r.record())),
                Ok(None) => return Ok(out),
                Err(e) => return Err(format!("{e:?}")),
            }
        }
    }

    #[test]
    fn quoted_bare_empty_and_embedded_quotes() {
        let recs = records("\"a\",b,,\"c,d\"\r\n\n\"x \"\"y\"\"\",\"multi\nline\"\nlast,\"\"").unwrap();
        assert_eq!(recs[0], (1, vec!["a".into(), "b".into(), "".into(), "c,d".into()]));
        assert_eq!(recs[1], (3, vec!["x \"y\"".into(), "multi\nline".into()]));
        assert_eq!(recs[2], (5, vec!["last".into(), "".into()]));
        assert_eq!(recs.len(), 3);
    }

    #[test]
    fn a_truncated_quote_and_a_stray_quote_are_errors() {
        assert_eq!(records("a,b\n\"open,c").unwrap_err(), "Unterminated { line: 2 }");
        assert_eq!(records("\"a\"x,b\n").unwrap_err(), "StrayQuote { line: 1 }");
    }
}
