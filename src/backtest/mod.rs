//! `asgsim backtest`: runs a scenario over its trace and sets the model beside what the real
//! group did: its capacity from CloudWatch (`GroupDesiredCapacity`, `GroupInServiceInstances`)
//! minute by minute, and its decisions from `describe-scaling-activities` one by one.
//! Writes `backtest.json`, `backtest.csv` and `backtest.png`/`.svg`.

pub mod actual;
pub mod compare;
mod plot;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::aws_json::cause::parse_cause;
use crate::import::metrics::{Series, read_series_files};
use crate::import::{ImportError, read_text};
use crate::records::ActivityOrigin;
use crate::report::{OutputDir, write_atomic};
use crate::run::{RunOutput, load_trace, simulate};
use crate::scenario::load_scenario_file;
use crate::trace::format_iso_ms;
use actual::{Decision, is_series, read_decisions};
use compare::{CapacityFit, DecisionFit, Row, capacity_fit, first_divergence, match_decisions};

/// What `asgsim backtest` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct BacktestOptions {
    /// The scenario file.
    pub scenario: PathBuf,
    /// `--set` overrides.
    pub overrides: Vec<String>,
    /// Seed (default: the scenario's).
    pub seed: Option<u64>,
    /// CloudWatch JSON with `GroupDesiredCapacity` and/or `GroupInServiceInstances`.
    pub actual: Vec<PathBuf>,
    /// `describe-scaling-activities` JSON.
    pub activities: Option<PathBuf>,
    /// Folder for the outputs (default: `output/<scenario>/backtest`).
    pub out_dir: Option<PathBuf>,
    /// How far apart two decisions may be and still match \[s\].
    pub window_s: u64,
    /// The group the activities must be of (default: the scenario's name).
    pub group: Option<String>,
}

/// `backtest.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestReport {
    /// The scenario's name.
    pub scenario: String,
    /// The seed of the run.
    pub seed: u64,
    /// t = 0 of the run (UTC).
    pub start_time: String,
    /// Length of one compared period \[s\].
    pub period_s: f64,
    /// The capacity figures.
    #[serde(flatten)]
    pub capacity: CapacityFit,
    /// The group's decisions (changes of desired capacity).
    pub decisions_actual: usize,
    /// The model's.
    pub decisions_simulated: usize,
    /// Pairs within the window.
    pub decisions_matched: usize,
    /// Match window \[s\].
    pub match_window_s: u64,
    /// The first period where desired capacity differs \[s since t = 0\], if any.
    pub first_divergence_s: Option<f64>,
    /// What happened there, in words.
    pub first_divergence: Option<String>,
    /// InService instance-hours × price, the group's \[USD\].
    pub cost_actual_usd: Option<f64>,
    /// The same for the model, over the same periods \[USD\].
    pub cost_simulated_usd: f64,
    /// The decisions, matched, missed and added.
    pub decisions: DecisionFit,
}

/// What a backtest produced.
#[derive(Debug, Clone)]
pub struct BacktestOutcome {
    /// The figures.
    pub report: BacktestReport,
    /// The files written.
    pub files: Vec<PathBuf>,
    /// Where.
    pub out_dir: PathBuf,
    /// Things to say on stderr.
    pub warnings: Vec<String>,
}

/// Runs the backtest.
///
/// # Errors
///
/// An [`ImportError`] for bad input: the scenario or its trace, unreadable or malformed JSON,
/// no capacity series, other periods than the scenario's, no overlap in time, empty activities,
/// activities of another group; and files that cannot be written.
pub fn backtest(options: &BacktestOptions) -> Result<BacktestOutcome, ImportError> {
    let scenario = load_scenario_file(&options.scenario, &options.overrides)
        .map_err(|e| ImportError::file("", e.to_string()))?;
    let seed = options.seed.unwrap_or(scenario.seed);
    let trace = load_trace(&scenario, seed).map_err(|e| ImportError::file("", e.to_string()))?;
    let out_dir = out_dir(options, &scenario.name);
    // Held (created, checked writable, locked) before the simulation, as for `run`.
    let _held = OutputDir::prepare(&out_dir).map_err(|e| ImportError::file("", e.to_string()))?;
    let output = simulate(&scenario, &trace, seed);
    let start_ms = scenario.start_time.as_millisecond();
    let interval_ms = scenario.sample_interval_ms;
    let mut warnings = Vec::new();
    let (series, files) = read_series_files(&options.actual, &mut warnings)?;
    let (desired, in_service) = capacity_series(&series, &files, interval_ms)?;
    for s in [desired, in_service].into_iter().flatten() {
        check_series(s, &files, start_ms, interval_ms, &output)?;
    }
    let rows = rows(&output, start_ms, interval_ms, desired, in_service);
    let capacity = capacity_fit(&rows);
    let simulated = simulated_decisions(&output);
    let group = options
        .group
        .clone()
        .unwrap_or_else(|| scenario.name.clone());
    let (actual, decisions) = actual_decisions(options, start_ms, &group, &simulated)?;
    let divergence = first_divergence(&rows, &decisions);
    let price_per_hour_usd = scenario.launch_template.price_per_hour_usd;
    let (cost_actual, cost_simulated) =
        costs_usd(&rows, in_service.is_some(), interval_ms, price_per_hour_usd);
    let report = BacktestReport {
        scenario: scenario.name.clone(),
        seed,
        start_time: format_iso_ms(start_ms),
        period_s: interval_ms as f64 / 1000.0,
        capacity,
        decisions_actual: actual.len(),
        decisions_simulated: simulated.len(),
        decisions_matched: decisions.matched.len(),
        match_window_s: options.window_s,
        first_divergence_s: divergence.as_ref().map(|d| d.0),
        first_divergence: divergence.map(|d| d.1),
        cost_actual_usd: cost_actual,
        cost_simulated_usd: cost_simulated,
        decisions,
    };
    let files = write_outputs(&out_dir, &report, &rows, (&actual, &simulated)).map_err(|e| {
        ImportError::file(
            out_dir.display().to_string(),
            format!("cannot write the outputs: {e}"),
        )
    })?;
    Ok(BacktestOutcome {
        report,
        files,
        out_dir,
        warnings,
    })
}

/// The folder for the outputs: `--out`, else `output/<scenario>/backtest`.
fn out_dir(options: &BacktestOptions, scenario_name: &str) -> PathBuf {
    options
        .out_dir
        .clone()
        .unwrap_or_else(|| Path::new("output").join(scenario_name).join("backtest"))
}

/// The `GroupDesiredCapacity` and `GroupInServiceInstances` series among `series`; an error
/// (saying how to export them) when neither is there, since there is nothing to compare.
fn capacity_series<'s>(
    series: &'s [Series],
    files: &str,
    interval_ms: u64,
) -> Result<(Option<&'s Series>, Option<&'s Series>), ImportError> {
    let desired = series
        .iter()
        .find(|s| is_series(s, &["desired"], "GroupDesiredCapacity"));
    let in_service = series
        .iter()
        .find(|s| is_series(s, &["in_service"], "GroupInServiceInstances"));
    if desired.is_none() && in_service.is_none() {
        let names: Vec<String> = series.iter().map(Series::display_name).collect();
        return Err(ImportError::file(
            files,
            format!(
                "no GroupDesiredCapacity or GroupInServiceInstances series (the series are: {}); export them with get-metric-data (namespace AWS/AutoScaling, dimension AutoScalingGroupName, period {} s)",
                names.join(", "),
                interval_ms / 1000
            ),
        ));
    }
    Ok((desired, in_service))
}

/// The group's decisions from `--activities` (none without it) and how they match the
/// model's `simulated` ones within the window.
fn actual_decisions(
    options: &BacktestOptions,
    start_ms: i64,
    group: &str,
    simulated: &[Decision],
) -> Result<(Vec<Decision>, DecisionFit), ImportError> {
    let Some(path) = &options.activities else {
        let none = DecisionFit {
            matched: Vec::new(),
            missed: Vec::new(),
            added: Vec::new(),
        };
        return Ok((Vec::new(), none));
    };
    let actual = read_decisions(
        &path.display().to_string(),
        &read_text(path)?,
        start_ms,
        group,
    )?;
    let window_ms = options.window_s as i64 * 1000;
    let decisions = match_decisions(&actual, simulated, window_ms);
    Ok((actual, decisions))
}

/// InService instance-hours × price of the group (when its in-service series is given) and
/// of the model [USD], rounded to cents. The model's cost counts only the periods the
/// group's series covers, so that the two compare like for like.
fn costs_usd(
    rows: &[Row],
    has_in_service: bool,
    interval_ms: u64,
    price_per_hour_usd: f64,
) -> (Option<f64>, f64) {
    let hours = interval_ms as f64 / 3_600_000.0;
    let cost_actual = has_in_service.then(|| {
        round2(
            rows.iter().filter_map(|r| r.in_service_actual).sum::<f64>()
                * hours
                * price_per_hour_usd,
        )
    });
    let cost_simulated = round2(
        rows.iter()
            .filter(|r| !has_in_service || r.in_service_actual.is_some())
            .map(|r| f64::from(r.in_service_simulated))
            .sum::<f64>()
            * hours
            * price_per_hour_usd,
    );
    (cost_actual, cost_simulated)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A capacity series must have the scenario's period and overlap the run.
fn check_series(
    s: &Series,
    files: &str,
    start_ms: i64,
    interval_ms: u64,
    output: &RunOutput,
) -> Result<(), ImportError> {
    let period = s.points.windows(2).map(|w| w[1].0 - w[0].0).min();
    if let Some(p) = period
        && p != interval_ms as i64
    {
        return Err(ImportError::file(
            files,
            format!(
                "series {} has datapoints every {} s, but the scenario samples every {} s (sample_interval); export with --period {} or set sample_interval = \"{}s\"",
                s.display_name(),
                p / 1000,
                interval_ms / 1000,
                interval_ms / 1000,
                p / 1000
            ),
        ));
    }
    let run_end = start_ms + output.summary.duration_s as i64 * 1000;
    let (Some(first), Some(last)) = (s.points.first(), s.points.last()) else {
        return Err(ImportError::file(
            files,
            format!("series {} has no datapoints", s.display_name()),
        ));
    };
    if last.0 < start_ms || first.0 >= run_end {
        return Err(ImportError::file(
            files,
            format!(
                "no overlap in time: series {} runs from {} to {}, the simulation from {} to {}; give the scenario the trace of the same days (its timestamps set start_time), or export the metrics of the simulated days",
                s.display_name(),
                format_iso_ms(first.0),
                format_iso_ms(last.0),
                format_iso_ms(start_ms),
                format_iso_ms(run_end)
            ),
        ));
    }
    Ok(())
}

/// One row per timeline period: the model's values and the group's, when it has them.
fn rows(
    output: &RunOutput,
    start_ms: i64,
    interval_ms: u64,
    desired: Option<&Series>,
    in_service: Option<&Series>,
) -> Vec<Row> {
    let lookup = |s: Option<&Series>, epoch: i64| -> Option<f64> {
        let s = s?;
        s.points
            .binary_search_by_key(&epoch, |p| p.0)
            .ok()
            .map(|i| s.points[i].1)
    };
    // The row at t = 0 is the state the run starts from, not a period.
    output
        .records
        .timeline
        .iter()
        .filter(|r| r.time_ms >= interval_ms)
        .map(|r| {
            // CloudWatch stamps a period with its start; the capacities are those at its end.
            let epoch = start_ms + (r.time_ms - interval_ms) as i64;
            Row {
                time_ms: r.time_ms,
                desired_actual: lookup(desired, epoch),
                desired_simulated: r.desired_capacity,
                in_service_actual: lookup(in_service, epoch),
                in_service_simulated: r.in_service,
            }
        })
        .collect()
}

/// The model's decisions: scaling activities that changed desired capacity, once each.
fn simulated_decisions(output: &RunOutput) -> Vec<Decision> {
    let mut out: Vec<Decision> = Vec::new();
    for a in output
        .records
        .activities
        .iter()
        .filter(|a| a.origin == ActivityOrigin::Scaling && a.desired_before != a.desired_after)
    {
        let decision = Decision {
            time_ms: a.time_ms as i64,
            before: a.desired_before,
            after: a.desired_after,
            trigger: parse_cause(&a.cause)
                .map_or(crate::aws_json::cause::Trigger::Other, |c| c.trigger),
        };
        if !out.iter().any(|d| {
            d.time_ms == decision.time_ms
                && d.before == decision.before
                && d.after == decision.after
        }) {
            out.push(decision);
        }
    }
    out
}

/// Writes backtest.json, backtest.csv and the plots.
fn write_outputs(
    dir: &Path,
    report: &BacktestReport,
    rows: &[Row],
    decisions: (&[Decision], &[Decision]),
) -> std::io::Result<Vec<PathBuf>> {
    let mut json = serde_json::to_vec_pretty(report).map_err(std::io::Error::other)?;
    json.push(b'\n');
    let mut csv = String::from(
        "time_s,desired_actual,desired_simulated,in_service_actual,in_service_simulated\n",
    );
    let opt = |v: Option<f64>| v.map_or(String::new(), |x| format!("{x}"));
    for r in rows {
        let _ = writeln!(
            csv,
            "{},{},{},{},{}",
            r.time_ms / 1000,
            opt(r.desired_actual),
            r.desired_simulated,
            opt(r.in_service_actual),
            r.in_service_simulated
        );
    }
    let mut files = Vec::new();
    for (name, bytes) in [("backtest.json", json), ("backtest.csv", csv.into_bytes())] {
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        files.push(path);
    }
    let svg_path = dir.join("backtest.svg");
    let svg =
        plot::backtest_svg(&report.scenario, rows, decisions).map_err(std::io::Error::other)?;
    write_atomic(&svg_path, svg.as_bytes())?;
    files.push(svg_path);
    let png_path = dir.join("backtest.png");
    plot::backtest_png(&report.scenario, rows, decisions, &png_path)?;
    files.push(png_path);
    Ok(files)
}

/// The verdict: a few lines on how well the model matched, and which decisions it missed or
/// added.
pub fn verdict(report: &BacktestReport) -> Vec<String> {
    let c = &report.capacity;
    let mut lines = vec![format!(
        "capacity: desired matches in {:.1}% of {} periods, mean absolute error {:.2} instances (in service: {:.1}%, {:.2})",
        c.capacity_match_pct,
        c.periods_compared,
        c.capacity_mae,
        c.in_service_match_pct,
        c.in_service_mae
    )];
    let d = &report.decisions;
    if report.decisions_actual > 0 || !d.added.is_empty() {
        let mean_lag = if d.matched.is_empty() {
            0.0
        } else {
            d.matched.iter().map(|m| m.lag_s).sum::<f64>() / d.matched.len() as f64
        };
        lines.push(format!(
            "decisions: {} by the group, {} by the model, {} matched within {} s (mean lag {:+.0} s)",
            report.decisions_actual, report.decisions_simulated, report.decisions_matched, report.match_window_s, mean_lag
        ));
        for (what, list) in [
            ("missed (the group did, the model did not)", &d.missed),
            ("added (the model did, the group did not)", &d.added),
        ] {
            if list.is_empty() {
                continue;
            }
            let shown: Vec<String> = list.iter().take(5).map(|e| e.sentence()).collect();
            let more = if list.len() > 5 {
                format!(", and {} more", list.len() - 5)
            } else {
                String::new()
            };
            lines.push(format!("  {what}: {}{more}", shown.join("; ")));
        }
    }
    match &report.first_divergence {
        Some(text) => lines.push(format!("first divergence: {text}")),
        None => lines.push(
            "no divergence: desired capacity is the same in every period compared".to_string(),
        ),
    }
    if let Some(actual) = report.cost_actual_usd {
        let diff = if actual > 0.0 {
            100.0 * (report.cost_simulated_usd - actual) / actual
        } else {
            0.0
        };
        lines.push(format!(
            "cost (InService instance-hours × price): actual ${actual:.2}, simulated ${:.2} ({diff:+.1}%)",
            report.cost_simulated_usd
        ));
    }
    lines
}
