//! Bringing a real group in: what the AWS CLI, Terraform and CloudWatch already hold, turned
//! into a scenario and a trace.
//!
//! - [`aws`] reads the JSON of the AWS CLI's `describe-*` calls and writes a scenario.
//! - [`terraform`] reads `.tf` files (and `*.tfvars`) and writes a scenario.
//! - [`metrics`] reads `get-metric-data` / `get-metric-statistics` JSON and writes a trace CSV;
//!   its series reader also serves `calibrate` and `backtest`.
//!
//! Both scenario importers fill one `ImportedGroup` (`model`), which `render` writes as the TOML with a comment per
//! section naming where it came from, and is checked by parsing it back as a scenario. Every
//! field that could not be mapped becomes a warning with its JSON path (or file and line);
//! nothing is dropped silently.

pub mod aws;
pub(crate) mod json;
pub mod metrics;
pub(crate) mod model;
pub(crate) mod notes;
pub(crate) mod render;
pub mod terraform;

use std::fmt;

/// Why an import failed: which file, where in it (a JSON path, a line), what is wrong and what
/// would fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The file, as given.
    pub file: String,
    /// Where in it: a JSON path (`AutoScalingGroups[0].MinSize`), `line 3, column 7`, or
    /// empty when the problem is the file (or the files) as a whole.
    pub location: String,
    /// What is wrong and what would be right.
    pub message: String,
}

impl ImportError {
    /// A problem at `location` of `file`.
    pub fn at(
        file: impl Into<String>,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ImportError {
            file: file.into(),
            location: location.into(),
            message: message.into(),
        }
    }

    /// A problem with `file` as a whole.
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self::at(file, "", message)
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.file.is_empty(), self.location.is_empty()) {
            (true, _) => write!(f, "{}", self.message),
            (false, true) => write!(f, "{}: {}", self.file, self.message),
            (false, false) => write!(f, "{}: {}: {}", self.file, self.location, self.message),
        }
    }
}

impl std::error::Error for ImportError {}

/// Reads a file's text for an importer.
pub(crate) fn read_text(path: &std::path::Path) -> Result<String, ImportError> {
    std::fs::read_to_string(path)
        .map_err(|e| ImportError::file(path.display().to_string(), format!("cannot read: {e}")))
}
