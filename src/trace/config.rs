//! What the load is: a CSV trace or a synthetic pattern, scaled and with noise.

use std::path::PathBuf;

use crate::time::SimDuration;

/// `\[load\]`: the request rate over time.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadConfig {
    /// A CSV trace or a synthetic pattern.
    pub source: LoadSource,
    /// Multiplies every rate \[dimensionless\].
    pub scale: f64,
    /// Relative standard deviation of seeded Gaussian noise per step, 0 for none \[dimensionless\].
    pub noise: f64,
    /// Step of synthetic patterns and of noise \[ms\].
    pub resolution_ms: SimDuration,
}

/// Where the load comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadSource {
    /// A CSV file `time_s,requests_per_s` (resolved against the scenario's folder).
    Trace {
        /// Path to the CSV file.
        path: PathBuf,
    },
    /// A synthetic pattern.
    Pattern(Pattern),
}

/// Synthetic load shapes \[req/s over ms\]. TOML keys: `kind`, `rate`, `base`, `peak`, `at`,
/// `until`, `start`, `end`, `period`, `peak_at`, `duration`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pattern {
    /// `kind = "constant", rate = 300`.
    Constant {
        /// The rate \[req/s\].
        rate_rps: f64,
    },
    /// `kind = "step", base, peak, at, until?`: base, then peak from `at` (until `until`).
    Step {
        /// Rate before `at` and after `until` \[req/s\].
        base_rps: f64,
        /// Rate in between \[req/s\].
        peak_rps: f64,
        /// When the step up happens \[ms\].
        at_ms: SimDuration,
        /// When it steps back down, if ever \[ms\].
        until_ms: Option<SimDuration>,
    },
    /// `kind = "ramp", base, peak, start, end`: linear from base at `start` to peak at `end`.
    Ramp {
        /// Rate up to `start` \[req/s\].
        base_rps: f64,
        /// Rate from `end` on \[req/s\].
        peak_rps: f64,
        /// Ramp start \[ms\].
        start_ms: SimDuration,
        /// Ramp end \[ms\].
        end_ms: SimDuration,
    },
    /// `kind = "sine"` or `"diurnal"`, base, peak, period (24h), peak_at (14h): a smooth cycle.
    Sine {
        /// Lowest rate \[req/s\].
        base_rps: f64,
        /// Highest rate \[req/s\].
        peak_rps: f64,
        /// Cycle length \[ms\].
        period_ms: SimDuration,
        /// Offset of the first peak from t = 0 \[ms\].
        peak_at_ms: SimDuration,
    },
    /// `kind = "spike", base, peak, at, duration`: a flash crowd.
    Spike {
        /// Rate outside the spike \[req/s\].
        base_rps: f64,
        /// Rate during the spike \[req/s\].
        peak_rps: f64,
        /// Spike start \[ms\].
        at_ms: SimDuration,
        /// Spike length \[ms\].
        duration_ms: SimDuration,
    },
}
