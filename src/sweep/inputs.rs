//! The input files of a sweep, hashed for its fingerprint (see [`super::manifest`]): the
//! sweep file, the scenario, and every trace a point loads (a swept `load.trace` may name
//! several).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::SweepError;
use super::manifest::InputFile;
use super::source::ScenarioSource;
use super::spec::SweepSpec;
use crate::sim::Scenario;
use crate::trace::LoadSource;

/// The trace file `scenario` loads, if it loads one.
pub(crate) fn trace_of(scenario: &Scenario) -> Option<PathBuf> {
    match &scenario.load.source {
        LoadSource::Trace { path } => Some(path.clone()),
        LoadSource::Pattern(_) => None,
    }
}

/// The sweep file, the scenario and `traces`, each with the SHA-256 of its contents.
///
/// # Errors
///
/// [`SweepError::Input`] when a trace cannot be read (naming it).
pub(crate) fn hash_inputs(
    spec: &SweepSpec,
    source: &ScenarioSource,
    traces: &BTreeSet<PathBuf>,
) -> Result<Vec<InputFile>, SweepError> {
    let mut inputs = vec![
        InputFile::new("sweep", &file_name(&spec.path), spec.text.as_bytes()),
        InputFile::new(
            "scenario",
            &file_name(source.path()),
            source.text().as_bytes(),
        ),
    ];
    let scenario_dir = source.path().parent().unwrap_or(Path::new(""));
    for trace in traces {
        let bytes = std::fs::read(trace).map_err(|e| {
            SweepError::Input(format!(
                "{}: cannot read the trace file: {e}",
                trace.display()
            ))
        })?;
        let name = trace.strip_prefix(scenario_dir).unwrap_or(trace);
        inputs.push(InputFile::new("trace", &name.display().to_string(), &bytes));
    }
    Ok(inputs)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
