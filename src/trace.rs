//! Load traces: CSV files and synthetic patterns, as a piecewise-constant rate over time.
//!
//! A [`Trace`] is a list of rows `(t_i, rate_i)`: the rate of row i holds on `[t_i, t_{i+1})`,
//! the last row's rate holds forever after, and before the first row the first rate holds.
//! Evenly spaced rows (the usual case: one row a minute) are stored as a start, a step and the
//! rates only, so a year at one-second resolution costs 8 bytes a row.
//!
//! [`load`] is the entry point of a run: it reads the CSV file or builds the pattern of a
//! [`LoadConfig`], multiplies by `scale`, then applies the seeded noise. [`load_with_column`]
//! also keeps one extra column of the CSV (the value a customized target-tracking metric
//! tracks), one more `f64` a row, read through [`TraceCursor::segment_with_column`].

mod column;
mod config;
mod csv;
mod error;
mod pattern;
mod rows;
#[cfg(test)]
mod tests;
mod timestamp;

use std::fs::File;

use rand_distr::{Distribution, StandardNormal};

use crate::rng::{self, Stream};
use crate::time::{SimDuration, SimTime};

pub use self::csv::{read_csv, read_csv_with_column, read_start_timestamp};
pub use config::{LoadConfig, LoadSource, Pattern};
pub use error::{Column, HEADER, TraceError, ValueProblem};
pub use pattern::{DEFAULT_RESOLUTION_MS, MAX_PATTERN_STEPS, from_pattern, pattern_rate};
pub(crate) use timestamp::{format_iso_ms, parse_iso_ms};

/// Latest time a trace row may have \[ms\] (10^15 ms, about 31,700 years): keeps every span and
/// sum of times far from overflow and exact as `f64`.
pub const MAX_TIME_MS: SimTime = 1_000_000_000_000_000;

/// Highest request rate a trace may hold \[req/s\] (10^12, far above any real workload):
/// keeps every rate × time sum finite.
pub const MAX_RATE_RPS: f64 = 1e12;

/// Length of the last row of a single-row trace \[ms\], for [`Trace::span_ms`].
pub const SINGLE_ROW_STEP_MS: SimDuration = 60_000;

/// Where the rows are in time.
#[derive(Debug, Clone, PartialEq)]
enum Layout {
    /// Row i starts at `start_ms + i * step_ms`.
    Even {
        start_ms: SimTime,
        step_ms: SimDuration,
    },
    /// Row i starts at `times_ms\[i\]` (strictly increasing).
    Explicit { times_ms: Vec<SimTime> },
}

/// Piecewise-constant request rate: the rate of row i holds on [t_i, t_{i+1}); the last row's
/// rate holds forever after; before the first row the first rate holds.
///
/// It may keep one extra column (see [`Trace::column_name`]): a value a row, piecewise
/// constant on the same segments as the rate.
///
/// Invariants: at least one row; times strictly increasing and at most [`MAX_TIME_MS`];
/// rates finite and ≥ 0 \[req/s\]; the extra column, if any, has one finite value ≥ 0 a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    layout: Layout,
    rates_rps: Vec<f64>,
    /// The extra column, only when one was asked for.
    column: Option<column::ExtraColumn>,
    /// Wall clock of t = 0 \[ms since the Unix epoch\], when the file had a `timestamp` column.
    start_epoch_ms: Option<i64>,
}

impl Trace {
    /// Builds a trace from row start times \[ms\] and rates \[req/s\]: times strictly increasing
    /// and at most [`MAX_TIME_MS`], rates finite and ≥ 0, as many rates as times, at least one.
    pub fn from_points(times_ms: Vec<SimTime>, rates_rps: Vec<f64>) -> Result<Trace, TraceError> {
        let invalid = |reason: String| Err(TraceError::Invalid { reason });
        if times_ms.len() != rates_rps.len() {
            return invalid(format!(
                "{} times but {} rates; give one rate per time",
                times_ms.len(),
                rates_rps.len()
            ));
        }
        let mut builder = Builder::with_capacity(rates_rps.len());
        for (i, (&t, &r)) in times_ms.iter().zip(&rates_rps).enumerate() {
            if !(r.is_finite() && (0.0..=MAX_RATE_RPS).contains(&r)) {
                return invalid(format!(
                    "rate {r:e} at index {i} is not between 0 and 10^12 req/s"
                ));
            }
            if t > MAX_TIME_MS {
                return invalid(format!("time {t} ms at index {i} exceeds {MAX_TIME_MS} ms"));
            }
            if let Err(previous) = builder.push(t, r) {
                return invalid(format!(
                    "time {t} ms at index {i} is not after the previous time {previous} ms; \
                     times must increase strictly"
                ));
            }
        }
        builder.finish().ok_or_else(|| TraceError::Invalid {
            reason: "no points; a trace needs at least one".to_string(),
        })
    }

    /// An evenly spaced trace; `rates_rps` must be non-empty, finite and ≥ 0, `step_ms` > 0.
    pub(crate) fn even(start_ms: SimTime, step_ms: SimDuration, rates_rps: Vec<f64>) -> Trace {
        debug_assert!(!rates_rps.is_empty() && step_ms > 0);
        Trace {
            layout: Layout::Even { start_ms, step_ms },
            rates_rps,
            column: None,
            start_epoch_ms: None,
        }
    }

    /// The rate in force at `t_ms` \[req/s\].
    pub fn rate_at(&self, t_ms: SimTime) -> f64 {
        self.rates_rps[self.index_at(t_ms)]
    }

    /// A cursor for walking the trace forward in time.
    pub fn cursor(&self) -> TraceCursor<'_> {
        TraceCursor {
            trace: self,
            index: 0,
            start_ms: 0,
            end_ms: self.end_of(0),
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rates_rps.len()
    }

    /// Always false: a trace has at least one row (kept for the `len` convention).
    pub fn is_empty(&self) -> bool {
        self.rates_rps.is_empty()
    }

    /// End of the data \[ms\]: the last row's time plus the last step (the last gap between
    /// rows, or [`SINGLE_ROW_STEP_MS`] for a single row).
    pub fn span_ms(&self) -> SimTime {
        let n = self.len();
        let last_step = match &self.layout {
            Layout::Even { step_ms, .. } => *step_ms,
            Layout::Explicit { times_ms } if n >= 2 => times_ms[n - 1] - times_ms[n - 2],
            Layout::Explicit { .. } => SINGLE_ROW_STEP_MS,
        };
        self.time_ms(n - 1).saturating_add(last_step)
    }

    /// The wall clock of t = 0, when the trace was read from a file with a `timestamp`
    /// column (its first row's timestamp less its `time_s`).
    pub fn start_timestamp(&self) -> Option<jiff::Timestamp> {
        self.start_epoch_ms
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
    }

    /// Highest rate \[req/s\].
    pub fn max_rps(&self) -> f64 {
        self.rates_rps.iter().copied().fold(0.0, f64::max)
    }

    /// Time-weighted mean rate over `[0, span_ms)` \[req/s\] (the first rate counts from t = 0).
    pub fn mean_rps(&self) -> f64 {
        let span = self.span_ms();
        let n = self.len();
        let mut sum = 0.0;
        let mut from = 0;
        for (i, &rate) in self.rates_rps.iter().enumerate() {
            let to = if i + 1 < n { self.time_ms(i + 1) } else { span };
            sum += rate * (to - from) as f64;
            from = to;
        }
        sum / span as f64
    }

    /// The rates of the rows, in time order \[req/s\].
    pub fn rates_rps(&self) -> &[f64] {
        &self.rates_rps
    }

    /// Start time of row `index` \[ms\]. Panics if `index >= len()`.
    pub fn time_ms(&self, index: usize) -> SimTime {
        match &self.layout {
            Layout::Even { start_ms, step_ms } => start_ms + index as u64 * step_ms,
            Layout::Explicit { times_ms } => times_ms[index],
        }
    }

    /// The spacing of the rows \[ms\] when they are evenly spaced (always, for a single row).
    pub fn step_ms(&self) -> Option<SimDuration> {
        match &self.layout {
            Layout::Even { step_ms, .. } => Some(*step_ms),
            Layout::Explicit { .. } => None,
        }
    }

    /// Index of the row in force at `t_ms`.
    fn index_at(&self, t_ms: SimTime) -> usize {
        let last = self.len() - 1;
        match &self.layout {
            Layout::Even { start_ms, step_ms } => {
                let steps = t_ms.saturating_sub(*start_ms) / step_ms;
                usize::try_from(steps).map_or(last, |s| s.min(last))
            }
            Layout::Explicit { times_ms } => {
                times_ms.partition_point(|&x| x <= t_ms).saturating_sub(1)
            }
        }
    }

    /// End of the segment of row `index` \[ms\]: the next row's time, or `SimTime::MAX`.
    fn end_of(&self, index: usize) -> SimTime {
        if index + 1 < self.len() {
            self.time_ms(index + 1)
        } else {
            SimTime::MAX
        }
    }

    /// Multiplies every rate by `factor` (finite and ≥ 0); fails if a rate overflows.
    fn scale(&mut self, factor: f64) -> Result<(), TraceError> {
        if factor == 1.0 {
            return Ok(());
        }
        for r in &mut self.rates_rps {
            *r *= factor;
        }
        let max = self.max_rps();
        if !(max.is_finite() && max <= MAX_RATE_RPS) {
            return Err(TraceError::Config {
                reason: format!(
                    "scale = {factor} makes a rate exceed 10^12 req/s; use a smaller scale"
                ),
            });
        }
        Ok(())
    }
}

/// Walks the trace forward in amortized O(1): the simulator's hot loop calls this millions of
/// times with non-decreasing t.
#[derive(Debug, Clone)]
pub struct TraceCursor<'a> {
    trace: &'a Trace,
    /// The current row.
    index: usize,
    /// Where the current row's segment starts \[ms\] (0 for the first row).
    start_ms: SimTime,
    /// Where it ends \[ms\], `SimTime::MAX` for the last row.
    end_ms: SimTime,
}

/// Rows a cursor steps over one by one before it falls back to a binary search.
const LINEAR_STEPS: usize = 8;

impl TraceCursor<'_> {
    /// Rate of the segment holding `t_ms` \[req/s\], and the end of that segment \[ms\]
    /// (`SimTime::MAX` when the rate holds forever). The first row's segment starts at t = 0.
    ///
    /// Amortized O(1) for non-decreasing `t_ms`; an earlier `t_ms` is answered correctly too,
    /// by a binary search.
    pub fn segment_at(&mut self, t_ms: SimTime) -> (f64, SimTime) {
        if t_ms < self.start_ms || t_ms >= self.end_ms {
            self.seek(t_ms);
        }
        (self.trace.rates_rps[self.index], self.end_ms)
    }

    fn seek(&mut self, t_ms: SimTime) {
        let trace = self.trace;
        let index = match &trace.layout {
            Layout::Explicit { times_ms } if t_ms >= self.start_ms => {
                let mut i = self.index;
                let mut steps = 0;
                while i + 1 < times_ms.len() && times_ms[i + 1] <= t_ms && steps < LINEAR_STEPS {
                    i += 1;
                    steps += 1;
                }
                if i + 1 < times_ms.len() && times_ms[i + 1] <= t_ms {
                    i + times_ms[i + 1..].partition_point(|&x| x <= t_ms)
                } else {
                    i
                }
            }
            _ => trace.index_at(t_ms),
        };
        self.index = index;
        self.start_ms = if index == 0 { 0 } else { trace.time_ms(index) };
        self.end_ms = trace.end_of(index);
    }
}

/// Reads or builds the load of a run: the CSV file of `config` (its path used as given, already
/// resolved) or its pattern over `duration_ms`, then multiplied by `scale`, then the noise.
/// The same as [`load_with_column`] without a column.
pub fn load(config: &LoadConfig, duration_ms: SimDuration, seed: u64) -> Result<Trace, TraceError> {
    load_with_column(config, duration_ms, seed, None)
}

/// As [`load`], and when `column` is given, also keeps that column of the CSV file (see
/// [`read_csv_with_column`]). `scale` and noise apply to the rate only, never to the column.
///
/// # Errors
///
/// Those of [`load`] and [`read_csv_with_column`], and [`TraceError::PatternColumn`] when a
/// column is asked of a synthetic pattern: a customized metric needs a CSV trace.
pub fn load_with_column(
    config: &LoadConfig,
    duration_ms: SimDuration,
    seed: u64,
    column: Option<&str>,
) -> Result<Trace, TraceError> {
    let mut trace = load_unscaled(config, duration_ms, column)?;
    scale_and_noise(&mut trace, config, seed)?;
    Ok(trace)
}

/// The first half of [`load_with_column`]: the CSV file read or the pattern built, before
/// `scale` and noise. It depends on neither the seed nor `scale`, so runs that share a load
/// (a sweep's points and seeds) can share it and apply [`scale_and_noise`] each.
///
/// # Errors
///
/// As [`load_with_column`].
pub fn load_unscaled(
    config: &LoadConfig,
    duration_ms: SimDuration,
    column: Option<&str>,
) -> Result<Trace, TraceError> {
    check_config(config)?;
    match &config.source {
        LoadSource::Trace { path } if crate::stdin::is_stdin(path) => {
            let bytes = crate::stdin::read("the load trace").map_err(|e| TraceError::Open {
                path: "-".to_string(),
                cause: std::io::Error::other(e),
            })?;
            read_csv_with_column(bytes, crate::stdin::STDIN_NAME, column)
        }
        LoadSource::Trace { path } => {
            let origin = path.display().to_string();
            let file = File::open(path).map_err(|cause| TraceError::Open {
                path: origin.clone(),
                cause,
            })?;
            read_csv_with_column(file, &origin, column)
        }
        LoadSource::Pattern(pattern) => {
            if let Some(column) = column {
                return Err(TraceError::PatternColumn {
                    column: column.to_string(),
                });
            }
            check_pattern(pattern)?;
            check_steps(config.resolution_ms, duration_ms)?;
            Ok(from_pattern(pattern, config.resolution_ms, duration_ms))
        }
    }
}

/// The second half of [`load_with_column`]: multiplies by `config.scale`, then applies the
/// noise of `seed`.
///
/// # Errors
///
/// A [`TraceError::Config`] when the scale makes a rate exceed 10^12 req/s.
pub fn scale_and_noise(
    trace: &mut Trace,
    config: &LoadConfig,
    seed: u64,
) -> Result<(), TraceError> {
    trace.scale(config.scale)?;
    apply_noise(trace, config.noise, seed);
    Ok(())
}

/// Whether [`scale_and_noise`] leaves a trace as it is (scale 1, no noise).
pub fn is_unscaled(config: &LoadConfig) -> bool {
    config.scale == 1.0 && (config.noise.is_nan() || config.noise <= 0.0)
}

/// Multiplies each row's rate by `max(0, 1 + noise · z)`, z standard normal, drawn from
/// [`Stream::LoadNoise`] of `seed` in row order. `noise` is a relative standard deviation;
/// 0 (or less) draws nothing.
pub fn apply_noise(trace: &mut Trace, noise: f64, seed: u64) {
    if noise.is_nan() || noise <= 0.0 {
        return;
    }
    let mut rng = rng::stream(seed, Stream::LoadNoise);
    for rate in &mut trace.rates_rps {
        let z: f64 = StandardNormal.sample(&mut rng);
        *rate *= (1.0 + noise * z).max(0.0);
    }
}

fn check_config(config: &LoadConfig) -> Result<(), TraceError> {
    let bad = |reason: String| Err(TraceError::Config { reason });
    if !(config.scale.is_finite() && config.scale >= 0.0) {
        return bad(format!(
            "scale = {} is not a finite number ≥ 0; write a factor such as 1.0 or 2.5",
            config.scale
        ));
    }
    if !(config.noise.is_finite() && config.noise >= 0.0) {
        return bad(format!(
            "noise = {} is not a finite number ≥ 0; write a relative standard deviation \
             such as 0.05, or 0 for none",
            config.noise
        ));
    }
    Ok(())
}

fn check_pattern(pattern: &Pattern) -> Result<(), TraceError> {
    let rates = match *pattern {
        Pattern::Constant { rate_rps } => [("rate", rate_rps), ("rate", rate_rps)],
        Pattern::Step {
            base_rps, peak_rps, ..
        }
        | Pattern::Ramp {
            base_rps, peak_rps, ..
        }
        | Pattern::Sine {
            base_rps, peak_rps, ..
        }
        | Pattern::Spike {
            base_rps, peak_rps, ..
        } => [("base", base_rps), ("peak", peak_rps)],
    };
    for (key, value) in rates {
        if !(value.is_finite() && (0.0..=MAX_RATE_RPS).contains(&value)) {
            // 1e300, not three hundred digits.
            let shown = if value.abs() >= 1e9 {
                format!("{value:e}")
            } else {
                format!("{value}")
            };
            return Err(TraceError::Config {
                reason: format!(
                    "pattern {key} = {shown} is not a rate between 0 and 10^12; write \
                     requests per second such as 250"
                ),
            });
        }
    }
    Ok(())
}

fn check_steps(resolution_ms: SimDuration, duration_ms: SimDuration) -> Result<(), TraceError> {
    let resolution = pattern::effective_resolution(resolution_ms);
    let steps = duration_ms.div_ceil(resolution);
    if steps > MAX_PATTERN_STEPS {
        return Err(TraceError::Config {
            reason: format!(
                "a pattern over {duration_ms} ms at a resolution of {resolution} ms needs \
                 {steps} steps, more than {MAX_PATTERN_STEPS}; use a coarser resolution"
            ),
        });
    }
    Ok(())
}

/// Collects rows in time order, keeping times only once they stop being evenly spaced.
#[derive(Debug)]
pub(crate) struct Builder {
    first_ms: SimTime,
    last_ms: SimTime,
    /// Spacing of the rows so far; set by the second row.
    step_ms: SimDuration,
    /// Every row's time, once the rows are known to be unevenly spaced.
    times_ms: Option<Vec<SimTime>>,
    rates_rps: Vec<f64>,
}

impl Builder {
    pub(crate) fn with_capacity(rows: usize) -> Builder {
        Builder {
            first_ms: 0,
            last_ms: 0,
            step_ms: 0,
            times_ms: None,
            rates_rps: Vec::with_capacity(rows),
        }
    }

    /// Adds a row; `Err(previous time)` if `t_ms` is not after the previous row's time.
    pub(crate) fn push(&mut self, t_ms: SimTime, rate_rps: f64) -> Result<(), SimTime> {
        let n = self.rates_rps.len();
        if n == 0 {
            self.first_ms = t_ms;
        } else if t_ms <= self.last_ms {
            return Err(self.last_ms);
        } else if n == 1 {
            self.step_ms = t_ms - self.last_ms;
        } else if self.times_ms.is_none() && t_ms - self.last_ms != self.step_ms {
            let (first, step) = (self.first_ms, self.step_ms);
            let mut times = Vec::with_capacity(self.rates_rps.capacity().max(n + 1));
            times.extend((0..n as u64).map(|i| first + i * step));
            self.times_ms = Some(times);
        }
        if let Some(times) = &mut self.times_ms {
            times.push(t_ms);
        }
        self.last_ms = t_ms;
        self.rates_rps.push(rate_rps);
        Ok(())
    }

    /// The trace, or `None` if no row was pushed.
    pub(crate) fn finish(mut self) -> Option<Trace> {
        if self.rates_rps.is_empty() {
            return None;
        }
        self.rates_rps.shrink_to_fit();
        let layout = match self.times_ms {
            Some(mut times_ms) => {
                times_ms.shrink_to_fit();
                Layout::Explicit { times_ms }
            }
            None if self.rates_rps.len() == 1 => Layout::Even {
                start_ms: self.first_ms,
                step_ms: SINGLE_ROW_STEP_MS,
            },
            None => Layout::Even {
                start_ms: self.first_ms,
                step_ms: self.step_ms,
            },
        };
        Some(Trace {
            layout,
            rates_rps: self.rates_rps,
            column: None,
            start_epoch_ms: None,
        })
    }
}
