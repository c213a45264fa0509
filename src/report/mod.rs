//! Writers and plots of one run's output.
//!
//! A run's [`RunOutput`](crate::run::RunOutput) becomes six files (see `DESIGN.md`,
//! "Outputs of one run"):
//!
//! | file | made by |
//! |---|---|
//! | `timeline.csv` | [`timeline_csv`] |
//! | `activities.csv` | [`activities_csv`] |
//! | `instances.csv` | [`instances_csv`] |
//! | `summary.json` | [`summary_json`] |
//! | `capacity.svg` | [`capacity_svg`] |
//! | `capacity.png` | [`capacity_png`] |
//!
//! [`write_run`] writes all six into a folder. The table functions return bytes and never fail;
//! the plot is drawn by [`draw_capacity`], generic over the plotters backend, so it can be
//! tested on an in-memory SVG. Every file is written with [`write_atomic`]: a reader never sees
//! a half-written file.

use std::io;
use std::path::PathBuf;

mod csv_rows;
mod files;
pub(crate) mod format;
mod plot;
pub(crate) mod plot_data;
pub(crate) mod plot_font;
pub(crate) mod plot_legend;
pub(crate) mod plot_marks;
mod plot_prepare;
pub(crate) mod plot_spans;
mod plot_title;
mod tables;

#[cfg(test)]
mod tests;

pub(crate) use files::with_temp_file;
pub use files::{write_atomic, write_run};
pub use plot::{CAPACITY_PLOT_SIZE, PlotError, capacity_png, capacity_svg, draw_capacity};
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
    /// A plot could not be drawn or encoded.
    #[error("cannot draw `{}`: {message}", path.display())]
    Plot {
        /// The plot file.
        path: PathBuf,
        /// What plotters said.
        message: String,
    },
}
