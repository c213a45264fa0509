//! `asgsim import metrics`: CloudWatch metrics JSON to a trace CSV.
//!
//! The request series (the load balancer's `RequestCount`, `Sum` per period) becomes
//! `requests_per_s` (the count divided by the period); every other series becomes a column of
//! its own, named by its `Id` (or `Label`), in its own unit: a customized metric can track it,
//! and `asgsim calibrate` reads CPU and instance counts from it. The trace starts with an
//! ISO-8601 `timestamp` column, then `time_s` from the first timestamp, so that a scenario
//! takes its `start_time` from it and its schedules line up with the load.

mod grid;
mod read;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub(crate) use read::timestamp as timestamp_ms;
pub use read::{Series, read_series};

use super::{ImportError, read_text};
use crate::trace::{format_iso_ms, parse_iso_ms};
use grid::{common_period, describe_gaps, lay_on_grid, period_text, window};

/// What `asgsim import metrics` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct MetricsOptions {
    /// The JSON files, pages in any order.
    pub files: Vec<PathBuf>,
    /// Keep datapoints from this time on (ISO-8601, or a date for its midnight UTC).
    pub from: Option<String>,
    /// Keep datapoints before this time.
    pub to: Option<String>,
    /// The `Id` (or `Label`) of the request series, when the files hold several candidates
    /// or none named `RequestCount`.
    pub requests: Option<String>,
}

/// A trace made from CloudWatch metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsTrace {
    /// The trace CSV: `timestamp,time_s,requests_per_s`, then one column per other series.
    pub csv: String,
    /// Its data rows.
    pub rows: usize,
    /// The period of the datapoints \[ms\].
    pub period_ms: i64,
    /// The first row's time (ISO-8601, UTC).
    pub first: String,
    /// The last row's time.
    pub last: String,
    /// The request series, as `id (label)`.
    pub requests: String,
    /// The other columns, in order.
    pub columns: Vec<String>,
    /// Things to say on stderr: gaps, fields left unread, duplicates.
    pub warnings: Vec<String>,
}

/// Reads the files and builds the trace.
///
/// # Errors
///
/// Those of [`read_series`]; no request series (or several, without `requests`), mixed
/// periods, datapoints off one grid, a window with no data, a bad `from`/`to`.
pub fn import_metrics(options: &MetricsOptions) -> Result<MetricsTrace, ImportError> {
    let mut warnings = Vec::new();
    let (mut series, files) = read_series_files(&options.files, &mut warnings)?;
    let request_index = find_requests(&series, options.requests.as_deref(), &files)?;
    let from = parse_bound(options.from.as_deref(), "--from")?;
    let to = parse_bound(options.to.as_deref(), "--to")?;
    if let (Some(f), Some(t)) = (from, to)
        && t <= f
    {
        return Err(ImportError::file(
            "--to",
            format!(
                "{} is not after --from {}",
                format_iso_ms(t),
                format_iso_ms(f)
            ),
        ));
    }
    // The period is told from all the data, so that a window of one datapoint has one too.
    let period_ms = common_period(&series, &files)?;
    let before = series[request_index].points.clone();
    window(&mut series, from, to);
    if series[request_index].points.is_empty() {
        return Err(empty_window(&series[request_index], &before, &files));
    }
    let request_id = series[request_index].id.clone();
    series.retain(|s| !s.points.is_empty());
    let request_index = series
        .iter()
        .position(|s| s.id == request_id)
        .unwrap_or_default();
    check_rows(&series, period_ms, &files)?;
    build(&series, request_index, period_ms, &mut warnings).map(|mut t| {
        t.warnings.splice(0..0, warnings);
        t
    })
}

/// The series of the CloudWatch JSON files at `paths` (their warnings added to `warnings`),
/// and the files' names joined with commas, for errors about the series as a whole.
///
/// # Errors
///
/// An unreadable file, and those of [`read_series`].
pub(crate) fn read_series_files(
    paths: &[PathBuf],
    warnings: &mut Vec<String>,
) -> Result<(Vec<Series>, String), ImportError> {
    let mut texts = Vec::new();
    for path in paths {
        texts.push((path.display().to_string(), read_text(path)?));
    }
    let files = texts
        .iter()
        .map(|(f, _)| f.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let series = read_series(&texts, &mut |w| warnings.push(w))?;
    Ok((series, files))
}

/// The index of the request series: the one named by `requests`, or the only one that looks
/// like a request count.
fn find_requests(
    series: &[Series],
    requests: Option<&str>,
    files: &str,
) -> Result<usize, ImportError> {
    let names = || {
        series
            .iter()
            .map(Series::display_name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(wanted) = requests {
        return series
            .iter()
            .position(|s| s.id == wanted || s.label.as_deref() == Some(wanted))
            .ok_or_else(|| {
                ImportError::file(
                    files,
                    format!(
                        "no series has the Id or Label {wanted:?}; the series are: {}",
                        names()
                    ),
                )
            });
    }
    let candidates: Vec<usize> = (0..series.len())
        .filter(|&i| series[i].is_request_count())
        .collect();
    match candidates[..] {
        [one] => Ok(one),
        [] => Err(ImportError::file(
            files,
            format!(
                "no request series: none is named RequestCount (the load balancer's request count, statistic Sum); the series are: {}; name the one that counts requests with --requests ID",
                names()
            ),
        )),
        _ => {
            let found: Vec<String> = candidates
                .iter()
                .map(|&i| series[i].display_name())
                .collect();
            Err(ImportError::file(
                files,
                format!(
                    "several series look like request counts ({}); pick one with --requests ID",
                    found.join(", ")
                ),
            ))
        }
    }
}

/// `--from` / `--to`: an ISO-8601 time, or a date meaning its midnight UTC.
fn parse_bound(text: Option<&str>, flag: &str) -> Result<Option<i64>, ImportError> {
    let Some(text) = text else {
        return Ok(None);
    };
    let full = if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else {
        text.to_string()
    };
    parse_iso_ms(full.as_bytes()).map(Some).ok_or_else(|| {
        ImportError::file(
            flag,
            format!("{text:?} is not a time; write an ISO-8601 time such as 2024-05-10T00:00:00Z, or a date such as 2024-05-10"),
        )
    })
}

fn empty_window(requests: &Series, before: &[(i64, f64)], files: &str) -> ImportError {
    let span = match (before.first(), before.last()) {
        (Some(a), Some(b)) => format!(
            "its datapoints run from {} to {}",
            format_iso_ms(a.0),
            format_iso_ms(b.0)
        ),
        _ => "it has no datapoints at all".to_string(),
    };
    ImportError::file(
        files,
        format!(
            "the time window holds no datapoint of the request series {}: {span}; choose --from and --to within that",
            requests.display_name()
        ),
    )
}

/// Most rows an imported trace may have: a year and a quarter of one-second datapoints, or
/// 76 years of one-minute ones (a trace row takes about 40 bytes while it is built).
const MAX_TRACE_ROWS: u64 = 40_000_000;

/// Refuses a grid longer than [`MAX_TRACE_ROWS`]:
/// one datapoint stamped centuries away from the others would otherwise ask for billions of
/// rows (the fuzzer's out-of-memory input: a year 4048 among minutes of 2024).
fn check_rows(series: &[Series], period_ms: i64, files: &str) -> Result<(), ImportError> {
    let times = || series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let (Some(start), Some(end)) = (times().min(), times().max()) else {
        return Ok(());
    };
    let rows = (end - start) / period_ms.max(1) + 1;
    let max = MAX_TRACE_ROWS;
    if u64::try_from(rows).is_ok_and(|rows| rows <= max) {
        return Ok(());
    }
    Err(ImportError::file(
        files,
        format!(
            "the datapoints run from {} to {}: {rows} periods of {}, more than the {max} a trace may have; keep the time you mean with --from and --to, or look for a datapoint stamped far from the others",
            format_iso_ms(start),
            format_iso_ms(end),
            period_text(period_ms)
        ),
    ))
}

/// Lays every series on the grid and writes the CSV.
fn build(
    series: &[Series],
    request_index: usize,
    period_ms: i64,
    warnings: &mut Vec<String>,
) -> Result<MetricsTrace, ImportError> {
    let (start, end) = time_span(series);
    let rows = usize::try_from((end - start) / period_ms + 1).unwrap_or(0);
    let requests = &series[request_index];
    if let Some(&(t, v)) = requests.points.iter().find(|p| p.1 < 0.0) {
        return Err(ImportError::file(
            &requests.origin,
            format!(
                "request count {v} at {} is negative; a request count is a Sum ≥ 0",
                format_iso_ms(t)
            ),
        ));
    }
    let grid = Grid {
        start_ms: start,
        period_ms,
        rows,
    };
    let (counts, gaps) = lay_on_grid(requests, start, period_ms, rows, |_| 0.0);
    if !gaps.is_empty() {
        warnings.push(format!(
            "request series {}: {}; those periods get 0 requests/s (CloudWatch publishes no RequestCount datapoint for a period without requests)",
            requests.display_name(),
            describe_gaps(&gaps, period_ms)
        ));
    }
    let (names, columns) = other_columns(series, request_index, &grid, warnings)?;
    Ok(MetricsTrace {
        csv: trace_csv(&grid, &counts, &names, &columns),
        rows,
        period_ms,
        first: format_iso_ms(start),
        last: format_iso_ms(end),
        requests: format!("{} ({})", requests.display_name(), period_text(period_ms)),
        columns: names,
        warnings: Vec::new(),
    })
}

/// The rows of the trace: one a period from `start_ms`.
struct Grid {
    /// Time of the first row [ms since the Unix epoch].
    start_ms: i64,
    period_ms: i64,
    rows: usize,
}

/// The times of the first and of the last datapoint of any series [ms since the Unix
/// epoch]; the trace spans them.
fn time_span(series: &[Series]) -> (i64, i64) {
    let start = series
        .iter()
        .filter_map(|s| s.points.first())
        .map(|p| p.0)
        .min()
        .unwrap_or(0);
    let end = series
        .iter()
        .filter_map(|s| s.points.last())
        .map(|p| p.0)
        .max()
        .unwrap_or(0);
    (start, end)
}

/// The column names and values of every series but the request series, on the grid; a gap
/// holds the value before it (with a warning), as a gauge would.
fn other_columns(
    series: &[Series],
    request_index: usize,
    grid: &Grid,
    warnings: &mut Vec<String>,
) -> Result<(Vec<String>, Vec<Vec<f64>>), ImportError> {
    let mut columns = Vec::new();
    let mut names = Vec::new();
    for (i, s) in series.iter().enumerate() {
        if i == request_index {
            continue;
        }
        let name = column_name(s, &names)?;
        let (values, gaps) = lay_on_grid(s, grid.start_ms, grid.period_ms, grid.rows, |last| {
            last.unwrap_or(0.0)
        });
        if !gaps.is_empty() {
            warnings.push(format!(
                "series {} (column {name}): {}; each holds the value before it",
                s.display_name(),
                describe_gaps(&gaps, grid.period_ms)
            ));
        }
        names.push(name);
        columns.push(values);
    }
    Ok((names, columns))
}

/// The trace's CSV text: timestamp, time since the start, request rate (each period's
/// request count over its length) and the other columns.
fn trace_csv(grid: &Grid, counts: &[f64], names: &[String], columns: &[Vec<f64>]) -> String {
    let period_s = grid.period_ms as f64 / 1000.0;
    let mut csv = String::with_capacity(grid.rows * (40 + 12 * columns.len()));
    csv.push_str("timestamp,time_s,requests_per_s");
    for name in names {
        csv.push(',');
        csv.push_str(name);
    }
    csv.push('\n');
    for (row, count) in counts.iter().enumerate() {
        let offset_ms = row as i64 * grid.period_ms;
        csv.push_str(&format_iso_ms(grid.start_ms + offset_ms));
        csv.push(',');
        csv.push_str(&seconds_text(offset_ms));
        csv.push(',');
        csv.push_str(&number_text(count / period_s));
        for column in columns {
            csv.push(',');
            csv.push_str(&number_text(column[row]));
        }
        csv.push('\n');
    }
    csv
}

/// A series' column name: its id, with anything but letters, digits, `_`, `-` and `.` made
/// `_`; it must not take a name the trace already has.
fn column_name(series: &Series, taken: &[String]) -> Result<String, ImportError> {
    let name: String = series
        .id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_-.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let reserved = ["timestamp", "time_s", "requests_per_s"];
    if reserved.contains(&name.as_str()) || taken.contains(&name) {
        return Err(ImportError::file(
            &series.origin,
            format!(
                "series {} would be column {name}, which the trace already has; give the query another Id",
                series.display_name()
            ),
        ));
    }
    Ok(name)
}

/// Seconds as the trace writes them: `60`, `0.5`.
fn seconds_text(ms: i64) -> String {
    if ms % 1000 == 0 {
        (ms / 1000).to_string()
    } else {
        format!("{}", ms as f64 / 1000.0)
    }
}

/// A value rounded to 9 decimals, in its shortest form (`12.5`, `1.016666667`).
pub(crate) fn number_text(value: f64) -> String {
    let rounded = (value * 1e9).round() / 1e9;
    format!("{}", rounded + 0.0)
}
