//! Batch runs: sweeps over a grid of scenario variants and seeds, in parallel, with
//! sharding, resume, merged results, points with confidence intervals, an objective and plots.
//!
//! A sweep goes sweep file → [`SweepSpec`] (the grid, checked) → every point's overrides
//! validated → runs in parallel on a local thread pool, each a summary-only simulation plus
//! its \[baselines\] → one CSV row per run appended to a journal as it finishes → `results.csv`
//! in run order → `points.csv`, `best.json` and plots computed from that file.

pub mod baselines;
pub mod figures;
mod inputs;
pub mod journal;
pub mod manifest;
pub mod merge;
pub mod objective;
pub mod outputs;
pub(crate) mod plots;
pub mod points;
pub mod progress;
mod range;
pub mod results;
pub mod runner;
pub mod shard;
pub mod source;
pub mod spec;
pub mod stats;

pub use objective::{Best, Objective};
pub use runner::{SweepOptions, SweepOutcome, run_sweep};
pub use shard::Shard;
pub use source::ScenarioSource;
pub use spec::{ParamValue, Parameter, RunSpec, SweepSpec};

/// Most runs one sweep may have (points × seeds).
pub const MAX_RUNS: u64 = 100_000;

/// Why a sweep, a merge or a comparison failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SweepError {
    /// Bad input: the sweep file, a scenario, an option, or shard outputs that do not fit
    /// together. The message names the file and the key or line.
    #[error("{0}")]
    Input(String),
    /// Anything else (writing files, a thread pool that cannot start).
    #[error("{0}")]
    Failed(String),
}

/// Creates, checks and locks an output folder for a sweep, a merge or a comparison: a folder
/// that cannot be written is bad input (a bad `--out`), one another process holds is not.
pub(crate) fn hold_output_dir(
    dir: &std::path::Path,
) -> Result<crate::report::OutputDir, SweepError> {
    crate::report::OutputDir::prepare(dir).map_err(|e| match e {
        crate::report::OutputDirError::Busy { .. } => SweepError::Failed(e.to_string()),
        _ => SweepError::Input(e.to_string()),
    })
}

impl SweepError {
    /// A failed file operation on `path`.
    pub(crate) fn io(what: &str, path: &std::path::Path, e: std::io::Error) -> Self {
        Self::Failed(format!("{what} `{}`: {e}", path.display()))
    }
}
