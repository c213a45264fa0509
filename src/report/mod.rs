//! Writers and plots of one run's output.
//!
//! A run's [`RunOutput`](crate::run::RunOutput) becomes seven files (see the README,
//! "Outputs"):
//!
//! | file | made by |
//! |---|---|
//! | `timeline.csv` | [`timeline_csv`] |
//! | `activities.csv` | [`activities_csv`] |
//! | `instances.csv` | [`instances_csv`] |
//! | `summary.json` | [`summary_json`] |
//! | `capacity.svg` | [`capacity_svg`] |
//! | `capacity.png` | [`capacity_png`] |
//! | `report.html` | [`report_html`] |
//!
//! `asgsim run` writes them with a [`RunWriter`]: a recorder that streams each row to its
//! file as the simulation produces it and keeps only a reduced copy for the plot, so its memory
//! stays flat whatever the run's length or sample interval. [`write_run`] writes the same seven
//! files from a whole in-memory [`RunOutput`](crate::run::RunOutput) (tests, the library); both
//! go through the same row functions and give the same bytes. Either way the folder is held
//! first ([`OutputDir`]) and `run.json` is written last, naming each file (see [`RunManifest`]).
//! The table functions return bytes and never fail; the plot is drawn by [`draw_capacity`],
//! generic over the plotters backend, so it can be tested on an in-memory SVG. Every file is
//! written under a temporary name and renamed (see [`write_atomic`]): a reader never sees a
//! half-written file.

use std::io;
use std::path::PathBuf;

pub(crate) mod clock;
mod csv_rows;
pub(crate) mod decimate;
mod files;
pub(crate) mod format;
pub mod html;
pub(crate) mod json;
mod output_dir;
pub(crate) mod plot;
pub(crate) mod plot_data;
pub(crate) mod plot_font;
pub(crate) mod plot_legend;
pub(crate) mod plot_marks;
mod plot_prepare;
pub(crate) mod plot_spans;
pub(crate) mod plot_text;
mod plot_title;
mod png;
mod run_manifest;
mod stream;
mod tables;

#[cfg(test)]
mod tests;

pub(crate) use files::{TEMP_SUFFIX, replace_with_new_file, with_temp_file};
pub use files::{
    begin_run_set, end_run_set, write_atomic, write_run, write_run_in, write_run_with,
};
pub use html::{REPORT_FILE, info_of, render_report_html, report_data_json, report_html};
pub use output_dir::{OutputDir, OutputDirError};
pub use plot::{CAPACITY_PLOT_SIZE, PlotError, capacity_png, capacity_svg, draw_capacity};
pub(crate) use png::render_png;
pub use run_manifest::{FileEntry, RUN_MANIFEST_FILE, RunManifest};
pub(crate) use run_manifest::{hex, sha256_hex};
pub use stream::RunWriter;
pub use tables::{
    ACTIVITIES_COLUMNS, ALARM_COLUMN_PREFIX, AZ_COLUMN_PREFIX, FORECAST_COLUMN, INSTANCES_COLUMNS,
    TIMELINE_COLUMNS, WARM_POOL_COLUMN, activities_csv, instances_csv, summary_json, timeline_csv,
};

/// Name of the timeline file.
pub const TIMELINE_FILE: &str = "timeline.csv";
/// Name of the scaling-activities file.
pub const ACTIVITIES_FILE: &str = "activities.csv";
/// Name of the per-instance file.
pub const INSTANCES_FILE: &str = "instances.csv";
/// Name of the summary file.
pub const SUMMARY_FILE: &str = "summary.json";
/// Name of the capacity plot as SVG.
pub const CAPACITY_SVG_FILE: &str = "capacity.svg";
/// Name of the capacity plot as PNG.
pub const CAPACITY_PNG_FILE: &str = "capacity.png";

/// Why a run's files could not be written. Each variant names the file and gives the cause in
/// its message (the cause is not repeated as [`std::error::Error::source`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The output folder could not be created.
    #[error("cannot create the output folder `{}`: {cause}", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// What the file system said.
        cause: io::Error,
    },
    /// A file could not be written.
    #[error("cannot write `{}`: {cause}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        cause: io::Error,
    },
    /// The output folder is held by another process, or cannot be written in.
    #[error(transparent)]
    OutputDir(OutputDirError),
    /// The `--explain` sentences could not be printed.
    #[error("cannot print the explanations: {cause}")]
    Print {
        /// What the output said.
        cause: io::Error,
    },
    /// A plot could not be drawn or encoded.
    #[error("cannot draw `{}`: {message}", path.display())]
    Plot {
        /// The plot file.
        path: PathBuf,
        /// What plotters said.
        message: String,
    },
}

impl From<OutputDirError> for ReportError {
    fn from(e: OutputDirError) -> Self {
        match e {
            OutputDirError::CreateDir { path, cause } => Self::CreateDir { path, cause },
            other => Self::OutputDir(other),
        }
    }
}
