//! One playground run: a scenario chosen by name, the page's overrides checked and applied,
//! the simulation run, and what the page draws. Everything a request names is checked here
//! or in `paths` before it is used; a bad value comes back as the validation messages of
//! `asgsim run --set`, and nothing is ever written.

use std::fs;
use std::path::Path;

use serde::Serialize;

use super::paths::{Refused, ScenarioRoot};
use crate::records::Summary;
use crate::report::html::{render_report_html, report_data_json};
use crate::run::{RunInfo, RunOutput, ScenarioText, load_trace, simulate};
use crate::scenario::{apply_overrides_to_text, parse_scenario};
use crate::sim::Scenario;
use crate::time::{MS_PER_DAY, format_duration};
use crate::trace::LoadSource;

/// What one request may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest simulated span \[ms\] (a month by default).
    pub max_duration_ms: u64,
    /// Most timeline rows (duration over sample interval) one run keeps.
    pub max_rows: u64,
    /// Most overrides in one request.
    pub max_overrides: usize,
    /// Longest override \[bytes\].
    pub max_override_len: usize,
    /// Largest scenario file read \[bytes\].
    pub max_file_len: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_duration_ms: 31 * MS_PER_DAY,
            max_rows: 200_000,
            max_overrides: 64,
            max_override_len: 512,
            max_file_len: 1 << 20,
        }
    }
}

/// Keys naming files. Only `load.trace` may be set, to a file under the folder served (a
/// week of real traffic in place of an imported scenario's placeholder pattern); a table set
/// over one of them (`load={…}`) is refused, as is any other.
const FILE_KEYS: [&str; 2] = ["load.trace", "spot.price_trace"];
/// The file key that may be set.
const TRACE_KEY: &str = "load.trace";

/// Why a run could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PlayError {
    /// The name was refused (no such scenario, or a path out of the folder).
    Refused(String),
    /// The scenario with these overrides is not valid: its problems, as `--set` reports them.
    Invalid(Vec<String>),
}

impl From<Refused> for PlayError {
    fn from(r: Refused) -> Self {
        PlayError::Refused(r.0)
    }
}

/// A scenario as the playground reads it: its name, text and validated base.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// Name relative to the folder served.
    pub(crate) name: String,
    /// The file's text.
    pub(crate) text: String,
    /// The TOML table of the text (for the knobs).
    pub(crate) table: toml::Table,
    /// The canonical path (relative trace paths resolve against it).
    path: std::path::PathBuf,
    /// The canonical folder served.
    root: std::path::PathBuf,
}

/// One finished run, ready for the page.
#[derive(Debug, Clone)]
pub(crate) struct Played {
    /// The overrides applied.
    pub(crate) overrides: Vec<String>,
    /// The scenario text with the overrides written in.
    pub(crate) toml: String,
    /// The report view's data (JSON), or its whole page when asked for (see [`View`]).
    pub(crate) view: String,
    /// The figures.
    pub(crate) summary: Summary,
    /// The capacity over time as change points, for the comparison overlay.
    pub(crate) capacity: Capacity,
}

/// Desired and in-service capacity as change points `[time_s, value]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Capacity {
    /// Length of the run \[s\].
    pub(crate) duration_s: f64,
    /// Desired capacity \[instances\].
    pub(crate) desired: Vec<(f64, u32)>,
    /// InService instances \[instances\].
    pub(crate) in_service: Vec<(f64, u32)>,
}

/// Reads the scenario `name` under `root`.
pub(crate) fn source(
    root: &ScenarioRoot,
    name: &str,
    limits: &Limits,
) -> Result<Source, PlayError> {
    let path = root.resolve(name)?;
    let too_big = fs::metadata(&path).map_or(true, |m| m.len() > limits.max_file_len);
    if too_big {
        return Err(PlayError::Refused(format!(
            "{name:?} is larger than the {} KiB a playground scenario may be",
            limits.max_file_len / 1024
        )));
    }
    let text = fs::read_to_string(&path)
        .map_err(|e| PlayError::Refused(format!("{name:?} cannot be read: {e}")))?;
    let table = text
        .parse::<toml::Table>()
        .map_err(|e| PlayError::Invalid(vec![format!("{name}: not TOML: {e}")]))?;
    Ok(Source {
        name: name.to_string(),
        text,
        table,
        path,
        root: root.path().to_path_buf(),
    })
}

/// `source` with `overrides`, checked: the overrides themselves, the scenario they make
/// (every problem, as `asgsim run --set` reports it), and the run's size.
pub(crate) fn check(
    source: &Source,
    overrides: &[String],
    limits: &Limits,
) -> Result<Scenario, PlayError> {
    check_overrides(overrides, limits).map_err(|p| PlayError::Invalid(vec![p]))?;
    for o in overrides {
        if let Some((key, value)) = o.split_once('=')
            && key.trim() == TRACE_KEY
        {
            check_trace_override(value, source).map_err(|p| PlayError::Invalid(vec![p]))?;
        }
    }
    let scenario = parse_scenario(&source.text, &source.path, overrides).map_err(|e| {
        PlayError::Invalid(e.problems.iter().map(|p| p.render(&source.name)).collect())
    })?;
    check_scenario(&scenario, limits).map_err(|p| PlayError::Invalid(vec![p]))?;
    Ok(scenario)
}

/// What of the report view a run is wanted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    /// The data the page redraws from (`report_data_json`).
    Data,
    /// The whole page (`render_report_html`), the data inline.
    Page,
}

/// Runs `source` with `overrides`, for the report `view`.
pub(crate) fn play(
    source: &Source,
    overrides: &[String],
    limits: &Limits,
    view: View,
) -> Result<Played, PlayError> {
    let scenario = check(source, overrides, limits)?;
    let trace = load_trace(&scenario, scenario.seed)
        .map_err(|e| PlayError::Invalid(vec![format!("{}: {e}", source.name)]))?;
    let output = simulate(&scenario, &trace, scenario.seed);
    let toml = apply_overrides_to_text(&source.text, overrides)
        .map_err(|e| PlayError::Invalid(vec![e]))?;
    Ok(Played {
        overrides: overrides.to_vec(),
        view: report_view(&scenario, source, overrides, &output, view),
        capacity: capacity(&output, scenario.duration_ms),
        summary: output.summary,
        toml,
    })
}

/// The checks on the overrides themselves: how many, how long, and no file names.
fn check_overrides(overrides: &[String], limits: &Limits) -> Result<(), String> {
    if overrides.len() > limits.max_overrides {
        return Err(format!(
            "{} overrides; the playground takes at most {}",
            overrides.len(),
            limits.max_overrides
        ));
    }
    for o in overrides {
        if o.len() > limits.max_override_len {
            return Err(format!(
                "an override of {} bytes; the playground takes at most {} per override",
                o.len(),
                limits.max_override_len
            ));
        }
        let key = o.split_once('=').map_or(o.as_str(), |(k, _)| k).trim();
        let names_a_file = key != TRACE_KEY
            && FILE_KEYS.iter().any(|f| {
                *f == key || f.starts_with(&format!("{key}.")) || key.starts_with(&format!("{f}."))
            });
        if names_a_file || key.is_empty() {
            return Err(format!(
                "--set {key}: the playground does not change which files a scenario reads; \
                 run `asgsim run --set {key}=…` for that"
            ));
        }
    }
    Ok(())
}

/// A trace set by an override must be a file under the folder served, checked before the
/// scenario is parsed (parsing opens the trace to read its first timestamp).
fn check_trace_override(value: &str, source: &Source) -> Result<(), String> {
    let text = value.trim();
    // The value as `--set` reads it: a TOML string, else the text itself.
    let name = match format!("v = {text}").parse::<toml::Table>() {
        Ok(t) => match t.get("v") {
            Some(toml::Value::String(s)) => s.clone(),
            _ => text.to_string(),
        },
        Err(_) => text.to_string(),
    };
    let refused = || {
        format!(
            "--set {TRACE_KEY}: the playground reads only traces under the folder it serves, named relative to the scenario; {name:?} is not one"
        )
    };
    let relative = Path::new(&name);
    if name == "-" || relative.is_absolute() {
        return Err(refused());
    }
    let folder = source.path.parent().unwrap_or(&source.root);
    let canonical = fs::canonicalize(folder.join(relative)).map_err(|_| refused())?;
    if canonical.starts_with(&source.root) && canonical.is_file() {
        Ok(())
    } else {
        Err(refused())
    }
}

/// The checks on the run's size, and that its load comes from a file (never standard input).
fn check_scenario(scenario: &Scenario, limits: &Limits) -> Result<(), String> {
    if scenario.duration_ms > limits.max_duration_ms {
        return Err(format!(
            "duration: {} is longer than the {} the playground simulates per change; run it with `asgsim run`",
            format_duration(scenario.duration_ms),
            format_duration(limits.max_duration_ms)
        ));
    }
    let rows = scenario.duration_ms / scenario.sample_interval_ms.max(1);
    if rows > limits.max_rows {
        return Err(format!(
            "sample_interval: {} rows of timeline; the playground keeps at most {} (a sample_interval of {} or more)",
            rows,
            limits.max_rows,
            format_duration(scenario.duration_ms.div_ceil(limits.max_rows))
        ));
    }
    if let LoadSource::Trace { path } = &scenario.load.source
        && crate::stdin::is_stdin(path)
    {
        return Err("load.trace: \"-\" reads standard input, which a server has not".to_string());
    }
    Ok(())
}

/// The report view of `output`, a run of `scenario` (`source` with `overrides`): it shows the
/// scenario's text and the overrides as `asgsim run` would have been given them.
fn report_view(
    scenario: &Scenario,
    source: &Source,
    overrides: &[String],
    output: &RunOutput,
    view: View,
) -> String {
    let info = RunInfo {
        source: Some(ScenarioText {
            file: source.name.clone(),
            text: source.text.clone(),
            overrides: overrides.to_vec(),
        }),
        ..RunInfo::of(scenario)
    };
    match view {
        View::Data => report_data_json(output, &info),
        View::Page => render_report_html(output, &info),
    }
}

/// Change points of desired and in-service capacity.
fn capacity(output: &RunOutput, duration_ms: u64) -> Capacity {
    let mut out = Capacity {
        duration_s: duration_ms as f64 / 1000.0,
        ..Capacity::default()
    };
    for row in &output.records.timeline {
        let t = row.time_ms as f64 / 1000.0;
        for (series, v) in [
            (&mut out.desired, row.desired_capacity),
            (&mut out.in_service, row.in_service),
        ] {
            if series.last().is_none_or(|&(_, last)| last != v) {
                series.push((t, v));
            }
        }
    }
    out
}
