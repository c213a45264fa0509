//! What can go wrong when a load is read or built, with the file, the line and the fix.

use std::fmt;

/// The header every trace file must start with.
pub const HEADER: &str = "time_s,requests_per_s";

/// The columns a trace row is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// `timestamp`: an ISO-8601 time, first when present.
    Timestamp,
    /// `time_s`: seconds since the trace start \[s\].
    TimeS,
    /// `requests_per_s`: the arrival rate from this row's time on \[req/s\].
    RequestsPerS,
}

impl Column {
    /// The column's name as written in the header.
    pub fn name(self) -> &'static str {
        match self {
            Self::Timestamp => "timestamp",
            Self::TimeS => "time_s",
            Self::RequestsPerS => "requests_per_s",
        }
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What is wrong with one value of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueProblem {
    /// It does not read as a number.
    NotANumber,
    /// It is below zero.
    Negative,
    /// It is NaN or infinite (or overflows to infinity).
    NotFinite,
    /// A time that is not a whole number of milliseconds.
    NotWholeMs,
    /// A time beyond [`super::MAX_TIME_MS`], or a rate beyond [`super::MAX_RATE_RPS`].
    TooLarge,
    /// A `timestamp` that is not an ISO-8601 time.
    NotATime,
}

impl fmt::Display for ValueProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotANumber => "is not a number",
            Self::Negative => "is negative",
            Self::NotFinite => "is not a finite number",
            Self::NotWholeMs => "is not a whole number of milliseconds",
            Self::TooLarge => "is too large",
            Self::NotATime => "is not an ISO-8601 time",
        })
    }
}

/// What would be right instead, for a value problem in a column.
fn value_hint(column: Column, problem: ValueProblem) -> &'static str {
    match (column, problem) {
        (Column::Timestamp, _) => {
            "write a UTC time such as 2024-05-10T00:00:00Z (or with an offset, +02:00), whole milliseconds at most"
        }
        (Column::TimeS, ValueProblem::NotWholeMs) => {
            "write seconds with at most 3 decimals, such as 60 or 0.25"
        }
        (Column::TimeS, ValueProblem::TooLarge) => {
            "times must stay below 10^12 s (about 31,700 years)"
        }
        (Column::TimeS, _) => "write a non-negative number of seconds such as 60 or 0.25",
        (Column::RequestsPerS, ValueProblem::TooLarge) => {
            "rates must stay at or below 10^12 requests per second"
        }
        (Column::RequestsPerS, _) => "write a non-negative decimal such as 12.5",
    }
}

/// Why a load could not be read or built. Every message names the file (and line, for rows)
/// and says what would be right. An operating-system cause is part of the message and is not
/// repeated as [`std::error::Error::source`] (a chain printed with `{:#}` would say it twice).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TraceError {
    /// The trace file could not be opened.
    #[error("{path}: cannot open the trace file: {cause}")]
    Open {
        /// The path as given.
        path: String,
        /// The operating system's reason.
        cause: std::io::Error,
    },
    /// Reading failed part-way (an I/O error).
    #[error("{origin}:{line}:1: cannot read the trace: {cause}")]
    Read {
        /// The file.
        origin: String,
        /// The line being read \[1-based\].
        line: u64,
        /// The reader's error.
        cause: std::io::Error,
    },
    /// A row far too long to be a trace row (the input is probably not a CSV trace).
    #[error(
        "{origin}:{line}:1: the row is longer than {max_bytes} bytes or has more than \
         {max_fields} fields; is this a CSV trace? Rows look like \"60,12.5\""
    )]
    LongRow {
        /// The file.
        origin: String,
        /// The row's line \[1-based\].
        line: u64,
        /// Longest row accepted \[bytes\].
        max_bytes: usize,
        /// Most fields accepted.
        max_fields: usize,
    },
    /// The file holds nothing, not even a header.
    #[error("{origin}:1:1: the file is empty; its first line must be the header {HEADER}")]
    Empty {
        /// The file.
        origin: String,
    },
    /// The first line is not the expected header.
    #[error(
        "{origin}:{line}:1: the header is \"{found}\"; it must start with {HEADER}, \
         timestamp,requests_per_s or timestamp,time_s,requests_per_s (more columns may follow)"
    )]
    Header {
        /// The file.
        origin: String,
        /// The header's line \[1-based\].
        line: u64,
        /// The header as written (shortened if long).
        found: String,
    },
    /// A header, but no data rows.
    #[error(
        "{origin}:1:1: the header is not followed by any data rows; add rows such as \"0,12.5\" \
         (seconds since the start, requests per second)"
    )]
    NoRows {
        /// The file.
        origin: String,
    },
    /// A row has too few fields.
    #[error("{origin}:{line}:1: the row has no {column} value; each row needs {HEADER}")]
    MissingColumn {
        /// The file.
        origin: String,
        /// The row's line \[1-based\].
        line: u64,
        /// The column that is missing.
        column: Column,
    },
    /// A value that is not acceptable.
    #[error("{origin}:{line}:1: {column} \"{text}\" {problem}; {hint}",
        hint = value_hint(*.column, *.problem))]
    Value {
        /// The file.
        origin: String,
        /// The row's line \[1-based\].
        line: u64,
        /// Which column.
        column: Column,
        /// The value as written (shortened if long).
        text: String,
        /// What is wrong with it.
        problem: ValueProblem,
    },
    /// A time not after the previous row's.
    #[error(
        "{origin}:{line}:1: time_s \"{text}\" {relation} the previous row's {previous_s} \
         (line {previous_line}); sort the rows by time, each time once",
        relation = if *.duplicate { "repeats" } else { "comes before" }
    )]
    Unsorted {
        /// The file.
        origin: String,
        /// The row's line \[1-based\].
        line: u64,
        /// The time as written.
        text: String,
        /// The previous row's time \[s\], formatted.
        previous_s: String,
        /// The previous row's line \[1-based\].
        previous_line: u64,
        /// Whether the time equals the previous one (else it is earlier).
        duplicate: bool,
    },
    /// The header has no column of the name asked for (the column a customized metric reads).
    #[error(
        "{origin}:{line}:1: the header has no column named \"{column}\", which the \
         customized metric reads; its columns are {found}; add a {column} column to the trace \
         or name one of these in the policy's customized_metric"
    )]
    NoSuchColumn {
        /// The file.
        origin: String,
        /// The header's line \[1-based\].
        line: u64,
        /// The column asked for.
        column: String,
        /// The header's columns, quoted and comma-separated (shortened if many).
        found: String,
    },
    /// The header names the column asked for more than once.
    #[error(
        "{origin}:{line}:1: the header names column \"{column}\" more than once (columns \
         {first} and {second}); rename or remove one so the customized metric reads one column"
    )]
    DuplicateColumn {
        /// The file.
        origin: String,
        /// The header's line \[1-based\].
        line: u64,
        /// The column asked for.
        column: String,
        /// Position of its first occurrence \[1-based\].
        first: usize,
        /// Position of its second occurrence \[1-based\].
        second: usize,
    },
    /// A row too short to have a value in the column asked for.
    #[error(
        "{origin}:{line}:1: the row has no {column} value; each row needs one in column \
         {position}, as the header says"
    )]
    MissingColumnValue {
        /// The file.
        origin: String,
        /// The row's line \[1-based\].
        line: u64,
        /// The column asked for.
        column: String,
        /// Its position in the header \[1-based\].
        position: usize,
    },
    /// A value of the column asked for that is not acceptable.
    #[error(
        "{origin}:{line}:1: {column} \"{text}\" {problem}; write a non-negative decimal such as 12.5"
    )]
    ColumnValue {
        /// The file.
        origin: String,
        /// The row's line \[1-based\].
        line: u64,
        /// The column asked for.
        column: String,
        /// The value as written (shortened if long).
        text: String,
        /// What is wrong with it.
        problem: ValueProblem,
    },
    /// A `timestamp` that disagrees with the row's `time_s`, or comes before the first row's.
    #[error("{origin}:{line}:1: timestamp \"{text}\" {reason}")]
    Timestamp {
        /// The file.
        origin: String,
        /// The row's line \[1-based\].
        line: u64,
        /// The timestamp as written (shortened if long).
        text: String,
        /// What is wrong and what would be right.
        reason: String,
    },
    /// A column asked of a synthetic pattern, which has none.
    #[error(
        "[load]: a customized metric reads column \"{column}\" of the load trace, but the load \
         is a synthetic pattern, which has no columns; a customized metric needs a CSV trace: \
         set load.trace to a CSV file with a {column} column"
    )]
    PatternColumn {
        /// The column asked for.
        column: String,
    },
    /// Points given to [`super::Trace::from_points`] that do not form a trace.
    #[error("invalid trace: {reason}")]
    Invalid {
        /// What is wrong.
        reason: String,
    },
    /// A `\[load\]` setting that cannot give a trace (normally caught by scenario validation).
    #[error("[load]: {reason}")]
    Config {
        /// What is wrong and what would be right.
        reason: String,
    },
}

/// Longest value text quoted in a message \[chars\].
const MAX_QUOTED_CHARS: usize = 40;

/// Bytes as text for a message: invalid UTF-8 replaced, control characters escaped, and
/// shortened with `…` past [`MAX_QUOTED_CHARS`].
pub(crate) fn quote(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX_QUOTED_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Milliseconds as seconds the way a trace writes them: `60`, `0.25`.
pub(crate) fn format_seconds(ms: u64) -> String {
    let (s, frac) = (ms / 1000, ms % 1000);
    if frac == 0 {
        s.to_string()
    } else {
        let digits = format!("{frac:03}");
        format!("{s}.{}", digits.trim_end_matches('0'))
    }
}
