//! A scenario file read once and parsed again for every set of overrides.

use std::path::{Path, PathBuf};

use crate::scenario::{ScenarioError, parse_scenario};

use crate::sim::Scenario;

/// The text of a scenario file, kept so that each sweep point (and each baseline) parses it
/// with its own overrides without reading the file again.
#[derive(Debug, Clone)]
pub struct ScenarioSource {
    path: PathBuf,
    text: String,
}

impl ScenarioSource {
    /// Reads the scenario file at `path`.
    ///
    /// # Errors
    ///
    /// A [`ScenarioError`] when the file cannot be read (`-` reads standard input).
    pub fn read(path: &Path) -> Result<Self, ScenarioError> {
        let (path, text) = crate::scenario::read_scenario_text(path)?;
        Ok(Self { path, text })
    }

    /// A source from text, as if read from `path` (relative paths in it resolve against
    /// `path`'s folder).
    pub fn new(path: &Path, text: String) -> Self {
        Self {
            path: path.to_path_buf(),
            text,
        }
    }

    /// The file it was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Parses and validates the scenario with `overrides` (`key=value`, as `--set` takes them).
    ///
    /// # Errors
    ///
    /// Every problem of the scenario with those overrides.
    pub fn parse(&self, overrides: &[String]) -> Result<Scenario, ScenarioError> {
        parse_scenario(&self.text, &self.path, overrides)
    }
}
