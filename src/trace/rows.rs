//! CSV records with the file's own line numbers.
//!
//! This drives `csv_core` (the engine of `csv::Reader`) directly, reusing one field buffer,
//! because `csv::Reader` reports a record's line as the line where the previous record ended:
//! off by one after every blank line, and stuck on the first line with CRLF endings. Here the
//! line of a record is counted from the bytes themselves: the line of its first byte that is
//! not part of a line ending. Lines are counted by `\n`: a lone `\r` (classic Mac OS) ends a
//! record but does not start a new line number.

use std::io::{self, BufRead, BufReader, Read};

use csv_core::{ReadRecordResult, Reader as CoreReader};

/// Bytes read from the input at a time.
const BUFFER_BYTES: usize = 1 << 16;

/// Longest record accepted \[bytes\]: a trace row is short, so a longer one means the input is
/// not a trace; the cap stops a file without line breaks from filling memory.
pub(crate) const MAX_RECORD_BYTES: usize = 1 << 20;

/// Most fields a record may have, for the same reason.
pub(crate) const MAX_FIELDS: usize = 1 << 16;

/// Why a record could not be read.
#[derive(Debug)]
pub(crate) enum RowError {
    /// The input failed.
    Io(io::Error),
    /// A record longer than [`MAX_RECORD_BYTES`] or with more than [`MAX_FIELDS`] fields.
    TooLong,
}

/// Reads CSV records one at a time into a reused buffer.
#[derive(Debug)]
pub(crate) struct RowReader<R> {
    input: BufReader<R>,
    core: CoreReader,
    /// The fields of the current record, back to back.
    fields: Vec<u8>,
    /// End offset in `fields` of each field of the current record.
    ends: Vec<usize>,
    /// Number of fields of the current record.
    n_fields: usize,
    /// Where the current record is.
    lines: LineTracker,
}

impl<R: Read> RowReader<R> {
    pub(crate) fn new(reader: R) -> Self {
        RowReader {
            input: BufReader::with_capacity(BUFFER_BYTES, reader),
            core: CoreReader::new(),
            fields: vec![0; 256],
            ends: vec![0; 8],
            n_fields: 0,
            lines: LineTracker::default(),
        }
    }

    /// Reads the next record (blank lines are skipped); `Ok(false)` at the end of the input.
    pub(crate) fn next_record(&mut self) -> Result<bool, RowError> {
        let (mut out_len, mut ends_len) = (0, 0);
        self.lines.start_record();
        loop {
            let input = self.input.fill_buf().map_err(RowError::Io)?;
            let (result, nin, nout, nend) = self.core.read_record(
                input,
                &mut self.fields[out_len..],
                &mut self.ends[ends_len..],
            );
            self.lines.track(&input[..nin]);
            self.input.consume(nin);
            out_len += nout;
            ends_len += nend;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull if self.fields.len() >= MAX_RECORD_BYTES => {
                    return Err(RowError::TooLong);
                }
                ReadRecordResult::OutputFull => self.fields.resize(self.fields.len() * 2, 0),
                ReadRecordResult::OutputEndsFull if self.ends.len() >= MAX_FIELDS => {
                    return Err(RowError::TooLong);
                }
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => {
                    self.n_fields = ends_len;
                    return Ok(true);
                }
                ReadRecordResult::End => {
                    self.n_fields = 0;
                    return Ok(false);
                }
            }
        }
    }

    /// Line of the current record \[1-based\]; after a failure, the line being read.
    pub(crate) fn line(&self) -> u64 {
        self.lines.line
    }

    /// Field `index` of the current record, unquoted.
    pub(crate) fn field(&self, index: usize) -> Option<&[u8]> {
        if index >= self.n_fields {
            return None;
        }
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        self.fields.get(start..self.ends[index])
    }

    /// The fields of the current record.
    pub(crate) fn fields(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.n_fields).filter_map(|i| self.field(i))
    }
}

/// Counts line breaks in the bytes consumed, to find the line where each record starts.
#[derive(Debug, Default)]
struct LineTracker {
    /// Line breaks (`\n`) consumed so far.
    newlines: u64,
    /// Line of the current record \[1-based\].
    line: u64,
    /// Whether the current record's content has begun (line endings before it belong to
    /// blank lines or to the previous record).
    started: bool,
}

impl LineTracker {
    fn start_record(&mut self) {
        self.line = self.newlines + 1;
        self.started = false;
    }

    fn track(&mut self, consumed: &[u8]) {
        let mut rest = consumed;
        if !self.started {
            let blank = rest
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .count();
            self.newlines += count_newlines(&rest[..blank]);
            rest = &rest[blank..];
            self.line = self.newlines + 1;
            self.started = !rest.is_empty();
        }
        self.newlines += count_newlines(rest);
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}
