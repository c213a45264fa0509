//! Synthetic load patterns, sampled into a piecewise-constant [`Trace`].
//!
//! Each step of `resolution_ms` takes the pattern's value at the step's **midpoint**: for a
//! ramp that is the step's exact mean, for a sine nearly so, and an edge of a step or spike
//! that falls inside a step moves to the nearest step boundary (an edge exactly halfway
//! counts as passed). Edges on the resolution grid stay exact.

use std::f64::consts::TAU;

use super::Trace;
use crate::time::{SimDuration, SimTime};
use crate::trace::Pattern;

/// Resolution used when a resolution of 0 is asked for \[ms\].
pub const DEFAULT_RESOLUTION_MS: SimDuration = 60_000;

/// Most steps [`super::load`] lets a pattern have (a year at a third of a second); beyond it
/// asks for a coarser resolution instead of exhausting memory.
pub const MAX_PATTERN_STEPS: u64 = 100_000_000;

/// The resolution actually used \[ms\]: `resolution_ms`, or [`DEFAULT_RESOLUTION_MS`] for 0.
pub(crate) fn effective_resolution(resolution_ms: SimDuration) -> SimDuration {
    if resolution_ms == 0 {
        DEFAULT_RESOLUTION_MS
    } else {
        resolution_ms
    }
}

/// Samples `pattern` into a trace of evenly spaced steps of `resolution_ms` starting at t = 0
/// and covering `duration_ms` (at least one step; the last rate holds on after), each step
/// holding the pattern's value at its midpoint. A rate that comes out negative or not finite
/// (from parameters validation should have refused) becomes 0. The caller keeps
/// `duration_ms / resolution_ms` within [`MAX_PATTERN_STEPS`]; [`super::load`] checks it.
pub fn from_pattern(
    pattern: &Pattern,
    resolution_ms: SimDuration,
    duration_ms: SimDuration,
) -> Trace {
    let resolution = effective_resolution(resolution_ms);
    let steps = duration_ms.div_ceil(resolution).max(1);
    let half = resolution as f64 / 2.0;
    let rates: Vec<f64> = (0..steps)
        .map(|i| {
            let mid = (i * resolution) as f64 + half;
            let rate = pattern_rate(pattern, mid);
            if rate.is_finite() && rate >= 0.0 {
                rate + 0.0
            } else {
                0.0
            }
        })
        .collect();
    Trace::even(0, resolution, rates)
}

/// The exact value of `pattern` at `t_ms` \[req/s\], before sampling.
pub fn pattern_rate(pattern: &Pattern, t_ms: f64) -> f64 {
    match *pattern {
        Pattern::Constant { rate_rps } => rate_rps,
        Pattern::Step {
            base_rps,
            peak_rps,
            at_ms,
            until_ms,
        } => {
            let until = until_ms.map_or(f64::INFINITY, as_f64);
            if t_ms >= as_f64(at_ms) && t_ms < until {
                peak_rps
            } else {
                base_rps
            }
        }
        Pattern::Ramp {
            base_rps,
            peak_rps,
            start_ms,
            end_ms,
        } => ramp(base_rps, peak_rps, as_f64(start_ms), as_f64(end_ms), t_ms),
        Pattern::Sine {
            base_rps,
            peak_rps,
            period_ms,
            peak_at_ms,
        } => {
            if period_ms == 0 {
                return peak_rps;
            }
            let phase = TAU * (t_ms - as_f64(peak_at_ms)) / as_f64(period_ms);
            base_rps + (peak_rps - base_rps) * (1.0 + phase.cos()) / 2.0
        }
        Pattern::Spike {
            base_rps,
            peak_rps,
            at_ms,
            duration_ms,
        } => {
            let start = as_f64(at_ms);
            if t_ms >= start && t_ms < start + as_f64(duration_ms) {
                peak_rps
            } else {
                base_rps
            }
        }
    }
}

/// Base up to `start`, peak from `end`, linear in between (a jump at `start` if end ≤ start).
fn ramp(base: f64, peak: f64, start: f64, end: f64, t: f64) -> f64 {
    if t < start {
        base
    } else if t >= end {
        peak
    } else {
        base + (peak - base) * (t - start) / (end - start)
    }
}

fn as_f64(t: SimTime) -> f64 {
    t as f64
}
