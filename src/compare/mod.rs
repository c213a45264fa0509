//! `asgsim compare A.toml B.toml …`: runs several scenarios and sets their figures side by
//! side: a printed table, `compare.csv` (one row per scenario: `scenario`, `file`, `seed`,
//! then the figure columns of `results.csv`), and `compare.png` / `compare.svg`, the capacity
//! of each over time with the load.
//!
//! Each scenario runs with its own seed (or `--seed`) and the same `--set` overrides, with the
//! fixed-group and oracle baselines of [`crate::sweep::baselines`].

mod plot;
mod warnings;

use std::path::{Path, PathBuf};

use crate::records::{Recorder, Summary, TimelineRow};
use crate::report::decimate::SeriesBuilder;
use crate::report::plot_data::{MAX_POINTS, Point, TimeUnit};
use crate::sim::Scenario;
use crate::sweep::SweepError;
use crate::sweep::baselines::{Extras, fixed_baseline, oracle};
use crate::sweep::figures::{self, value_string};
use crate::sweep::source::ScenarioSource;

pub use plot::COMPARE_PLOT_SIZE;

/// Name of the comparison table file.
pub const COMPARE_FILE: &str = "compare.csv";
/// Stem of the overlay plot files (`.png`, `.svg`).
pub const COMPARE_STEM: &str = "compare";

/// One scenario to compare: its file and its own overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompareInput {
    /// The scenario file (`-`: standard input).
    pub path: PathBuf,
    /// `key=value` overrides of this scenario alone, applied after the common ones.
    pub overrides: Vec<String>,
}

impl CompareInput {
    /// Parses `A.toml` or `A.toml@key=value@key=value`: a scenario with its own overrides,
    /// so that "the same scenario at 50% and 70%" needs no copied file. An argument naming
    /// an existing file is that file, `@` or not.
    pub fn parse(text: &str) -> Self {
        let whole = Self {
            path: PathBuf::from(text),
            overrides: Vec::new(),
        };
        if whole.path.exists() {
            return whole;
        }
        let mut parts = text.split('@');
        let path = parts.next().unwrap_or_default();
        let overrides: Vec<String> = parts.map(str::to_string).collect();
        if overrides.is_empty() || overrides.iter().any(|o| !o.contains('=')) {
            return whole;
        }
        Self {
            path: PathBuf::from(path),
            overrides,
        }
    }
}

impl From<PathBuf> for CompareInput {
    fn from(path: PathBuf) -> Self {
        Self {
            path,
            overrides: Vec::new(),
        }
    }
}

/// What to compare.
#[derive(Debug, Clone, Default)]
pub struct CompareOptions {
    /// The scenarios, each with its own overrides.
    pub scenarios: Vec<CompareInput>,
    /// `--set` overrides for every scenario (before each scenario's own).
    pub overrides: Vec<String>,
    /// One seed for all (default: each scenario's own).
    pub seed: Option<u64>,
    /// The output folder (default: `output/compare`).
    pub out_dir: Option<PathBuf>,
}

/// One compared scenario.
#[derive(Debug, Clone)]
pub struct Compared {
    /// The label: the scenario's name (with the file when names repeat).
    pub label: String,
    /// The scenario file.
    pub file: PathBuf,
    /// The seed it ran with.
    pub seed: u64,
    /// Its figures.
    pub summary: Summary,
    /// Its baselines and speedups.
    pub extras: Extras,
    /// InService instances over time, reduced for drawing.
    pub in_service: Vec<Point>,
    /// Offered load over time, reduced for drawing.
    pub load: Vec<Point>,
}

/// What a comparison produced.
#[derive(Debug, Clone)]
pub struct CompareOutcome {
    /// The scenarios, in the order given.
    pub scenarios: Vec<Compared>,
    /// Where the files are.
    pub out_dir: PathBuf,
    /// Files written.
    pub files: Vec<PathBuf>,
    /// What makes the figures hard to compare: different durations or loads.
    pub warnings: Vec<String>,
}

/// Runs and compares the scenarios of `options`.
///
/// # Errors
///
/// [`SweepError::Input`] when a scenario or trace is bad (every scenario is checked before
/// any runs); [`SweepError::Failed`] when files cannot be written.
pub fn compare(options: &CompareOptions) -> Result<CompareOutcome, SweepError> {
    if options.scenarios.is_empty() {
        return Err(SweepError::Input(
            "name at least one scenario to compare".to_string(),
        ));
    }
    let input = |e: &dyn std::fmt::Display| SweepError::Input(e.to_string());
    let mut loaded = Vec::new();
    for item in &options.scenarios {
        let source = ScenarioSource::read(&item.path).map_err(|e| input(&e))?;
        let overrides = [options.overrides.as_slice(), item.overrides.as_slice()].concat();
        let scenario = source.parse(&overrides).map_err(|e| input(&e))?;
        loaded.push((source, overrides, scenario));
    }
    let out_dir = options
        .out_dir
        .clone()
        .unwrap_or_else(|| Path::new("output").join("compare"));
    // Held before anything runs: a bad --out is found at once.
    let _held = crate::sweep::hold_output_dir(&out_dir)?;
    let span = loaded
        .iter()
        .map(|(_, _, s)| s.duration_ms)
        .max()
        .unwrap_or(0);
    let unit = TimeUnit::for_span(span);
    let named: Vec<(&Path, &str, &[String])> = loaded
        .iter()
        .zip(&options.scenarios)
        .map(|((s, _, sc), item)| (s.path(), sc.name.as_str(), item.overrides.as_slice()))
        .collect();
    let labels = labels(&named);
    let warnings = warnings::differences(
        &loaded
            .iter()
            .zip(&labels)
            .map(|((_, _, scenario), label)| (label.as_str(), scenario))
            .collect::<Vec<_>>(),
    );
    let mut scenarios = Vec::new();
    for ((source, overrides, scenario), label) in loaded.iter().zip(labels) {
        let seed = options.seed.unwrap_or(scenario.seed);
        scenarios.push(run_one(source, scenario, overrides, seed, label, unit)?);
    }
    let csv_path = out_dir.join(COMPARE_FILE);
    crate::report::write_atomic(&csv_path, &compare_csv(&scenarios))
        .map_err(|e| SweepError::io("cannot write", &csv_path, e))?;
    let mut files = vec![csv_path];
    let overlay = plot::Overlay::new(&scenarios, unit, span);
    files.extend(crate::sweep::plots::save(
        &overlay,
        &out_dir,
        COMPARE_STEM,
        COMPARE_PLOT_SIZE,
    )?);
    Ok(CompareOutcome {
        scenarios,
        out_dir,
        files,
        warnings,
    })
}

/// Runs one scenario with a full recorder (for the plot) and its baselines.
fn run_one(
    source: &ScenarioSource,
    scenario: &Scenario,
    overrides: &[String],
    seed: u64,
    label: String,
    unit: TimeUnit,
) -> Result<Compared, SweepError> {
    let trace = crate::run::load_trace(scenario, seed).map_err(|e| {
        SweepError::Input(format!("{e}\n  (the load of {})", source.path().display()))
    })?;
    let mut series = SeriesRecorder {
        in_service: SeriesBuilder::new(scenario.duration_ms, MAX_POINTS, true),
        load: SeriesBuilder::new(scenario.duration_ms, MAX_POINTS, false),
    };
    let summary = crate::run::simulate_with(scenario, &trace, seed, &mut series);
    let oracle = oracle(scenario, &trace);
    let fixed = fixed_baseline(source, overrides, oracle.peak_demand, &trace, seed)
        .map_err(|e| SweepError::Input(e.to_string()))?;
    let extras = Extras::new(&summary, &oracle, &fixed);
    Ok(Compared {
        label,
        file: source.path().to_path_buf(),
        seed,
        in_service: series.in_service.finish(unit),
        load: series.load.finish(unit),
        summary,
        extras,
    })
}

/// Keeps the two series the overlay draws, reduced as the rows arrive: a comparison of long
/// runs holds a few thousand points per scenario, not their timelines.
struct SeriesRecorder {
    in_service: SeriesBuilder,
    load: SeriesBuilder,
}

impl Recorder for SeriesRecorder {
    fn wants_timeline(&self) -> bool {
        true
    }
    fn sample(&mut self, row: TimelineRow) {
        self.in_service.push(row.time_ms, f64::from(row.in_service));
        self.load.push(row.time_ms, row.load_rps);
    }
}

/// Each scenario's name; where two share a name, with its own overrides when they tell
/// them apart, else with its file.
fn labels(named: &[(&Path, &str, &[String])]) -> Vec<String> {
    named
        .iter()
        .map(|(path, name, overrides)| {
            let same_name = named.iter().filter(|(_, n, _)| n == name).count();
            let same_file_too = named
                .iter()
                .filter(|(p, n, o)| n == name && p == path && o == overrides)
                .count();
            if same_name == 1 {
                name.to_string()
            } else if !overrides.is_empty() && same_file_too == 1 {
                format!("{name} ({})", overrides.join(", "))
            } else {
                format!("{name} ({})", path.display())
            }
        })
        .collect()
}

/// The figure columns of the compared scenarios: (name, label, one cell per scenario). The
/// `cpu_over_<X>_s` column is one per threshold the scenarios use, each scenario's cell
/// empty under the others' thresholds.
fn figure_cells(scenarios: &[Compared]) -> Vec<(String, String, Vec<String>)> {
    let values: Vec<Vec<f64>> = scenarios
        .iter()
        .map(|c| figures::values(&c.summary, &c.extras))
        .collect();
    let mut thresholds: Vec<f64> = Vec::new();
    for c in scenarios {
        if !thresholds.contains(&c.summary.cpu_over.percent) {
            thresholds.push(c.summary.cpu_over.percent);
        }
    }
    let mut out = Vec::new();
    for (i, column) in figures::columns().enumerate() {
        let cell = |v: &[f64]| value_string(column.format, v[i]);
        if column.name != figures::CPU_OVER_COLUMN {
            let cells = values.iter().map(|v| cell(v)).collect();
            out.push((column.name.to_string(), column.label.to_string(), cells));
            continue;
        }
        for &percent in &thresholds {
            let cells = scenarios
                .iter()
                .zip(&values)
                .map(|(c, v)| {
                    if c.summary.cpu_over.percent == percent {
                        cell(v)
                    } else {
                        String::new()
                    }
                })
                .collect();
            out.push((
                figures::name_for(column, percent),
                figures::label_for(column, percent),
                cells,
            ));
        }
    }
    out
}

/// `compare.csv`: `scenario, file, seed`, then the figure columns of `results.csv`.
pub fn compare_csv(scenarios: &[Compared]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let columns = figure_cells(scenarios);
    let mut header = vec![
        "scenario".to_string(),
        "file".to_string(),
        "seed".to_string(),
    ];
    header.extend(columns.iter().map(|(name, _, _)| name.clone()));
    let _ = w.write_record(&header);
    for (row, c) in scenarios.iter().enumerate() {
        let mut record = vec![
            c.label.clone(),
            c.file.display().to_string(),
            c.seed.to_string(),
        ];
        record.extend(columns.iter().map(|(_, _, cells)| cells[row].clone()));
        let _ = w.write_record(&record);
    }
    w.into_inner().unwrap_or_default()
}

/// The printed table: one line per figure (after the seed), one column per scenario.
pub fn table_lines(scenarios: &[Compared]) -> Vec<String> {
    let mut rows: Vec<(String, Vec<String>)> = vec![(
        "seed".to_string(),
        scenarios.iter().map(|s| s.seed.to_string()).collect(),
    )];
    rows.extend(
        figure_cells(scenarios)
            .into_iter()
            .map(|(_, label, cells)| (label, cells)),
    );
    let labels: Vec<&str> = scenarios.iter().map(|s| s.label.as_str()).collect();
    render_table(&labels, &rows)
}

/// Right-aligned columns under `labels`, a row label on the left.
fn render_table(labels: &[&str], rows: &[(String, Vec<String>)]) -> Vec<String> {
    let width = |s: &str| s.chars().count();
    let label_width = rows.iter().map(|(l, _)| width(l)).max().unwrap_or(0);
    let widths: Vec<usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            rows.iter()
                .map(|(_, cells)| width(&cells[i]))
                .chain(std::iter::once(width(l)))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |label: &str, cells: &mut dyn Iterator<Item = &str>| {
        let mut text = format!("{label}{}", " ".repeat(label_width - width(label)));
        for (cell, w) in cells.zip(&widths) {
            text.push_str(&" ".repeat(2 + w - width(cell)));
            text.push_str(cell);
        }
        text
    };
    let mut lines = vec![line("", &mut labels.iter().copied())];
    for (label, cells) in rows {
        lines.push(line(label, &mut cells.iter().map(String::as_str)));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_names_get_their_overrides_or_their_file() {
        let a = Path::new("a.toml");
        let b = Path::new("b.toml");
        let none: &[String] = &[];
        assert_eq!(labels(&[(a, "x", none), (b, "y", none)]), ["x", "y"]);
        assert_eq!(
            labels(&[(a, "x", none), (b, "x", none)]),
            ["x (a.toml)", "x (b.toml)"]
        );
        let t50 = ["alarms.HighCPU.threshold=50".to_string()];
        let t70 = ["alarms.HighCPU.threshold=70".to_string()];
        assert_eq!(
            labels(&[(a, "x", &t50), (a, "x", &t70)]),
            [
                "x (alarms.HighCPU.threshold=50)",
                "x (alarms.HighCPU.threshold=70)"
            ]
        );
    }

    #[test]
    fn an_argument_carries_its_own_overrides() {
        let i = CompareInput::parse("a.toml@alarms.HighCPU.threshold=70@group.max_size=8");
        assert_eq!(i.path, Path::new("a.toml"));
        assert_eq!(
            i.overrides,
            ["alarms.HighCPU.threshold=70", "group.max_size=8"]
        );
        assert_eq!(
            CompareInput::parse("a.toml").overrides,
            Vec::<String>::new()
        );
        // No `=`: part of the file name.
        assert_eq!(CompareInput::parse("a@b.toml").path, Path::new("a@b.toml"));
    }

    #[test]
    fn tables_align_right() {
        let rows = vec![
            ("seed".to_string(), vec!["7".to_string(), "12".to_string()]),
            (
                "cost [USD]".to_string(),
                vec!["1.5".to_string(), "0.25".to_string()],
            ),
        ];
        let lines = render_table(&["a", "long-name"], &rows);
        assert_eq!(
            lines,
            [
                "              a  long-name",
                "seed          7         12",
                "cost [USD]  1.5       0.25",
            ]
        );
    }
}
