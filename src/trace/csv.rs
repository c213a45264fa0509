//! Reading a trace CSV (`time_s,requests_per_s`, and one more column when asked for),
//! streaming, with errors that give the line.
//!
//! Rows are read into one reused buffer and their numbers parsed straight from the bytes,
//! so a one-year, one-second trace (31.5 million rows) reads in seconds.

use std::io::Read;

use super::column::ExtraColumn;
use super::error::{Column, TraceError, ValueProblem, format_seconds, quote};
use super::rows::{MAX_FIELDS, MAX_RECORD_BYTES, RowError, RowReader};
use super::timestamp::parse_iso_ms;
use super::{Builder, MAX_TIME_MS, Trace};
use crate::time::SimTime;

/// The UTF-8 byte-order mark some spreadsheet programs put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Most header names listed in a message about a missing column.
const MAX_LISTED_COLUMNS: usize = 20;

/// Reads a trace: a header that starts with `time_s,requests_per_s`, `timestamp,requests_per_s`
/// or `timestamp,time_s,requests_per_s` (more columns may follow and are ignored; spaces
/// around names and a byte-order mark are allowed), then one row per rate change. `time_s` is
/// seconds, an integer or a decimal with at most millisecond precision; `timestamp` an ISO-8601
/// time (`2024-05-10T00:00:00Z`, as `asgsim import metrics` writes it): without `time_s`, a
/// row's time is its timestamp less the first row's, and with both they must agree.
/// `requests_per_s` is a finite number ≥ 0; times strictly increasing. Blank lines are
/// skipped. `origin` names the file in messages, whose line numbers are the file's own
/// (header = line 1). Never panics, whatever the bytes.
pub fn read_csv<R: Read>(reader: R, origin: &str) -> Result<Trace, TraceError> {
    read_csv_with_column(reader, origin, None)
}

/// As [`read_csv`], and when `column` is given, also keeps the values of the header column of
/// that exact name (header names are trimmed of spaces): one finite number ≥ 0 a row, in the
/// column's own unit, piecewise constant like the rate. The column must exist, once; a row
/// without a valid value in it is an error with the row's line and the column's name.
pub fn read_csv_with_column<R: Read>(
    reader: R,
    origin: &str,
    column: Option<&str>,
) -> Result<Trace, TraceError> {
    let mut rows = RowReader::new(reader);
    if !next_row(&mut rows, origin)? {
        return Err(TraceError::Empty {
            origin: origin.to_string(),
        });
    }
    let layout = check_header(&rows, origin)?;
    let extra = match column {
        Some(name) => Some((name, find_column(&rows, origin, name)?)),
        None => None,
    };
    let mut values = Vec::new();
    let mut builder = Builder::with_capacity(0);
    let mut clock = RowClock::default();
    let mut previous_line = 0;
    while next_row(&mut rows, origin)? {
        let line = rows.line();
        let (t_ms, rate_rps) = parse_row(&rows, origin, line, layout, &mut clock)?;
        if let Some((name, index)) = extra {
            values.push(parse_column_value(&rows, origin, line, name, index)?);
        }
        if let Err(previous_ms) = builder.push(t_ms, rate_rps) {
            let time_field = rows.field(layout.time_index()).unwrap_or_default();
            return Err(TraceError::Unsorted {
                origin: origin.to_string(),
                line,
                text: quote(time_field.trim_ascii()),
                previous_s: format_seconds(previous_ms),
                previous_line,
                duplicate: previous_ms == t_ms,
            });
        }
        previous_line = line;
    }
    let mut trace = builder.finish().ok_or_else(|| TraceError::NoRows {
        origin: origin.to_string(),
    })?;
    trace.start_epoch_ms = clock.start_epoch_ms();
    if let Some((name, _)) = extra {
        values.shrink_to_fit();
        trace.column = Some(ExtraColumn {
            name: name.to_string(),
            values,
        });
    }
    Ok(trace)
}

/// The wall-clock time of t = 0 of a trace file with a `timestamp` column, read from its
/// header and first data row only (a scenario takes its `start_time` from it). `Ok(None)` when
/// the file has no `timestamp` column.
///
/// # Errors
///
/// As [`read_csv`], for the header and the first row.
pub fn read_start_timestamp<R: Read>(
    reader: R,
    origin: &str,
) -> Result<Option<jiff::Timestamp>, TraceError> {
    let mut rows = RowReader::new(reader);
    if !next_row(&mut rows, origin)? {
        return Err(TraceError::Empty {
            origin: origin.to_string(),
        });
    }
    let layout = check_header(&rows, origin)?;
    if layout.time == TimeColumns::Seconds {
        return Ok(None);
    }
    if !next_row(&mut rows, origin)? {
        return Err(TraceError::NoRows {
            origin: origin.to_string(),
        });
    }
    let mut clock = RowClock::default();
    parse_row(&rows, origin, rows.line(), layout, &mut clock)?;
    Ok(clock
        .start_epoch_ms()
        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()))
}

/// Which columns give a row's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeColumns {
    /// `time_s` in column 0.
    Seconds,
    /// `timestamp` in column 0, no `time_s`.
    Stamp,
    /// `timestamp` in column 0 and `time_s` in column 1.
    Both,
}

/// Where a trace's columns are: `timestamp` first when present, then `time_s` (optional when
/// there is a timestamp), then `requests_per_s`.
#[derive(Debug, Clone, Copy)]
struct HeaderLayout {
    time: TimeColumns,
    /// The index of `requests_per_s`.
    rate: usize,
}

impl HeaderLayout {
    /// The column whose text a message about the row's time quotes.
    fn time_index(self) -> usize {
        usize::from(self.time == TimeColumns::Both)
    }
}

/// The times of the rows read so far, to derive `time_s` from timestamps and to check that
/// the two agree when a file has both.
#[derive(Debug, Default)]
struct RowClock {
    /// The first row's timestamp \[ms since the Unix epoch\] and its time \[ms\].
    first: Option<(i64, SimTime)>,
}

impl RowClock {
    /// The wall clock of t = 0 \[ms since the Unix epoch\], when the rows have timestamps.
    fn start_epoch_ms(&self) -> Option<i64> {
        self.first.map(|(epoch, t)| epoch - t as i64)
    }
}

/// Reads the next row that is not blank; false at the end of the input.
fn next_row<R: Read>(rows: &mut RowReader<R>, origin: &str) -> Result<bool, TraceError> {
    loop {
        match rows.next_record() {
            Ok(false) => return Ok(false),
            Ok(true) if rows.fields().all(|f| f.trim_ascii().is_empty()) => continue,
            Ok(true) => return Ok(true),
            Err(RowError::Io(cause)) => {
                return Err(TraceError::Read {
                    origin: origin.to_string(),
                    line: rows.line(),
                    cause,
                });
            }
            Err(RowError::TooLong) => {
                return Err(TraceError::LongRow {
                    origin: origin.to_string(),
                    line: rows.line(),
                    max_bytes: MAX_RECORD_BYTES,
                    max_fields: MAX_FIELDS,
                });
            }
        }
    }
}

fn check_header<R: Read>(rows: &RowReader<R>, origin: &str) -> Result<HeaderLayout, TraceError> {
    let mut names = header_names(rows);
    let first = names.next();
    let second = names.next();
    let third = names.next();
    let layout = match (first, second, third) {
        (Some(b"time_s"), Some(b"requests_per_s"), _) => Some(HeaderLayout {
            time: TimeColumns::Seconds,
            rate: 1,
        }),
        (Some(b"timestamp"), Some(b"requests_per_s"), _) => Some(HeaderLayout {
            time: TimeColumns::Stamp,
            rate: 1,
        }),
        (Some(b"timestamp"), Some(b"time_s"), Some(b"requests_per_s")) => Some(HeaderLayout {
            time: TimeColumns::Both,
            rate: 2,
        }),
        _ => None,
    };
    layout.ok_or_else(|| {
        let joined: Vec<u8> = rows.fields().take(8).collect::<Vec<_>>().join(&b","[..]);
        TraceError::Header {
            origin: origin.to_string(),
            line: rows.line(),
            found: quote(&joined),
        }
    })
}

/// The trimmed name of each header field (the first without its byte-order mark).
fn header_names<R: Read>(rows: &RowReader<R>) -> impl Iterator<Item = &[u8]> {
    rows.fields().enumerate().map(|(i, field)| {
        let field = if i == 0 {
            field.strip_prefix(BOM).unwrap_or(field)
        } else {
            field
        };
        field.trim_ascii()
    })
}

/// Index of the header column named `name`: it must be there, once.
fn find_column<R: Read>(
    rows: &RowReader<R>,
    origin: &str,
    name: &str,
) -> Result<usize, TraceError> {
    let mut found = header_names(rows)
        .enumerate()
        .filter(|(_, field)| *field == name.as_bytes())
        .map(|(i, _)| i);
    match (found.next(), found.next()) {
        (Some(index), None) => Ok(index),
        (Some(first), Some(second)) => Err(TraceError::DuplicateColumn {
            origin: origin.to_string(),
            line: rows.line(),
            column: name.to_string(),
            first: first + 1,
            second: second + 1,
        }),
        (None, _) => Err(TraceError::NoSuchColumn {
            origin: origin.to_string(),
            line: rows.line(),
            column: name.to_string(),
            found: list_columns(rows),
        }),
    }
}

/// The header's names for a message: quoted, comma-separated, at most [`MAX_LISTED_COLUMNS`].
fn list_columns<R: Read>(rows: &RowReader<R>) -> String {
    let names: Vec<String> = header_names(rows)
        .take(MAX_LISTED_COLUMNS)
        .map(|name| format!("\"{}\"", quote(name)))
        .collect();
    let more = rows.fields().count().saturating_sub(MAX_LISTED_COLUMNS);
    let mut list = names.join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    list
}

/// The value of the extra column `name` (at `index`) of a data row.
fn parse_column_value<R: Read>(
    rows: &RowReader<R>,
    origin: &str,
    line: u64,
    name: &str,
    index: usize,
) -> Result<f64, TraceError> {
    let text = rows.field(index).map(<[u8]>::trim_ascii).ok_or_else(|| {
        TraceError::MissingColumnValue {
            origin: origin.to_string(),
            line,
            column: name.to_string(),
            position: index + 1,
        }
    })?;
    parse_rate_rps(text).map_err(|problem| TraceError::ColumnValue {
        origin: origin.to_string(),
        line,
        column: name.to_string(),
        text: quote(text),
        problem,
    })
}

/// The time \[ms\] and rate \[req/s\] of a data row.
fn parse_row<R: Read>(
    rows: &RowReader<R>,
    origin: &str,
    line: u64,
    layout: HeaderLayout,
    clock: &mut RowClock,
) -> Result<(SimTime, f64), TraceError> {
    let field = |column: Column, index: usize| {
        rows.field(index)
            .map(<[u8]>::trim_ascii)
            .ok_or_else(|| TraceError::MissingColumn {
                origin: origin.to_string(),
                line,
                column,
            })
    };
    let value_error = |column: Column, text: &[u8], problem: ValueProblem| TraceError::Value {
        origin: origin.to_string(),
        line,
        column,
        text: quote(text),
        problem,
    };
    let seconds = |index: usize| {
        let text = field(Column::TimeS, index)?;
        parse_time_ms(text).map_err(|p| value_error(Column::TimeS, text, p))
    };
    let t_ms = match layout.time {
        TimeColumns::Seconds => seconds(0)?,
        TimeColumns::Stamp | TimeColumns::Both => {
            let text = field(Column::Timestamp, 0)?;
            let epoch_ms = parse_iso_ms(text)
                .ok_or_else(|| value_error(Column::Timestamp, text, ValueProblem::NotATime))?;
            let time_s = match layout.time {
                TimeColumns::Both => Some(seconds(1)?),
                _ => None,
            };
            clock_time(clock, epoch_ms, time_s).map_err(|reason| TraceError::Timestamp {
                origin: origin.to_string(),
                line,
                text: quote(text),
                reason,
            })?
        }
    };
    let rate_text = field(Column::RequestsPerS, layout.rate)?;
    let rate =
        parse_rate_rps(rate_text).map_err(|p| value_error(Column::RequestsPerS, rate_text, p))?;
    Ok((t_ms, rate))
}

/// The time \[ms\] of a row with a timestamp: its own `time_s` when it has one (which must
/// agree with the timestamp), else the time since the first row's timestamp.
fn clock_time(
    clock: &mut RowClock,
    epoch_ms: i64,
    time_s: Option<SimTime>,
) -> Result<SimTime, String> {
    let Some((first_epoch, first_t)) = clock.first else {
        let t = time_s.unwrap_or(0);
        clock.first = Some((epoch_ms, t));
        return Ok(t);
    };
    let since_first = epoch_ms - first_epoch;
    let expected = first_t as i64 + since_first;
    match time_s {
        Some(t) if t as i64 != expected => Err(format!(
            "is {} after the first row's timestamp, but time_s says {} s (the first row has {} s); \
             correct one of the two or remove the time_s column",
            crate::time::format_duration(since_first.unsigned_abs()),
            format_seconds(t),
            format_seconds(first_t),
        )),
        Some(t) => Ok(t),
        None if expected < 0 => Err(
            "comes before the first row's timestamp; sort the rows by time, oldest first (asgsim import metrics does)"
                .to_string(),
        ),
        None => u64::try_from(expected)
            .ok()
            .filter(|t| *t <= MAX_TIME_MS)
            .ok_or_else(|| "is too far from the first row's timestamp".to_string()),
    }
}

/// Seconds as written (`60`, `0.25`, `1.5e3`) to exact milliseconds.
pub(crate) fn parse_time_ms(text: &[u8]) -> Result<SimTime, ValueProblem> {
    if let Some(result) = parse_plain_seconds(text) {
        return result;
    }
    let value = parse_f64(text)?;
    let ms = value * 1000.0;
    if ms > MAX_TIME_MS as f64 {
        return Err(ValueProblem::TooLarge);
    }
    if (ms - ms.round()).abs() > 1e-6 {
        return Err(ValueProblem::NotWholeMs);
    }
    Ok(ms.round() as SimTime)
}

/// Exact conversion of `\[+\]digits\[.digits\]` seconds to ms; `None` for any other form.
fn parse_plain_seconds(text: &[u8]) -> Option<Result<SimTime, ValueProblem>> {
    let text = text.strip_prefix(b"+").unwrap_or(text);
    let (int, frac) = match text.iter().position(|&c| c == b'.') {
        Some(dot) => (&text[..dot], &text[dot + 1..]),
        None => (text, &text[..0]),
    };
    let all_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
        return None;
    }
    let mut seconds: u64 = 0;
    for &d in int {
        seconds = match seconds.checked_mul(10) {
            Some(s) if s <= MAX_TIME_MS => s + u64::from(d - b'0'),
            _ => return Some(Err(ValueProblem::TooLarge)),
        };
    }
    let mut millis = 0;
    for (i, &d) in frac.iter().enumerate() {
        if i < 3 {
            millis += u64::from(d - b'0') * [100, 10, 1][i];
        } else if d != b'0' {
            return Some(Err(ValueProblem::NotWholeMs));
        }
    }
    match seconds.checked_mul(1000) {
        Some(ms) if ms + millis <= MAX_TIME_MS => Some(Ok(ms + millis)),
        _ => Some(Err(ValueProblem::TooLarge)),
    }
}

/// A request rate as written: finite and ≥ 0 \[req/s\].
pub(crate) fn parse_rate_rps(text: &[u8]) -> Result<f64, ValueProblem> {
    let value = match parse_simple_decimal(text) {
        Some(value) => value,
        None => parse_f64(text)?,
    };
    if value > super::MAX_RATE_RPS {
        return Err(ValueProblem::TooLarge);
    }
    // `+ 0.0` turns -0.0 into 0.0.
    Ok(value + 0.0)
}

/// Any number Rust reads, checked to be finite and ≥ 0.
fn parse_f64(text: &[u8]) -> Result<f64, ValueProblem> {
    let value: f64 = std::str::from_utf8(text)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or(ValueProblem::NotANumber)?;
    if !value.is_finite() {
        Err(ValueProblem::NotFinite)
    } else if value < 0.0 {
        Err(ValueProblem::Negative)
    } else {
        Ok(value)
    }
}

/// Powers of ten exactly representable as `f64`.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// Fast path for the usual `digits\[.digits\]` with at most 15 digits: the mantissa and the
/// power of ten are exact `f64`s, so one division gives the correctly rounded value, the same
/// as `str::parse`. `None` for anything else.
fn parse_simple_decimal(text: &[u8]) -> Option<f64> {
    if text.is_empty() || text.len() > 16 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut digits = 0;
    let mut frac_digits = None;
    for (i, &c) in text.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                digits += 1;
            }
            b'.' if frac_digits.is_none() => frac_digits = Some(text.len() - i - 1),
            _ => return None,
        }
    }
    if digits == 0 || digits > 15 {
        return None;
    }
    Some(mantissa as f64 / POW10[frac_digits.unwrap_or(0)])
}
