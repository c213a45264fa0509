//! The body of each command: load, call the library, print.

use std::path::Path;

use anyhow::Context;

use super::CliError;
use super::args::{CompareArgs, MergeArgs, ScenarioArgs, SweepArgs};
use super::output::{Ui, best_lines, wrote_line};
use crate::compare::{CompareInput, CompareOptions, compare, compare_csv, table_lines};
use crate::report::json;
use crate::run::load_trace;
use crate::scenario::{key_position, parse_scenario, read_scenario_text};
use crate::sim::Scenario;
use crate::sweep::merge::{MergeOptions, merge};
use crate::sweep::shard::{self, Shard, ShardSource};
use crate::sweep::{SweepOptions, SweepOutcome, run_sweep};
use crate::trace;

pub(super) fn compare_command(args: &CompareArgs, ui: Ui) -> Result<(), CliError> {
    let outcome = compare(&CompareOptions {
        scenarios: args
            .scenarios
            .iter()
            .map(|s| CompareInput::parse(s))
            .collect(),
        overrides: args.overrides.clone(),
        seed: args.seed,
        out_dir: args.out.clone(),
    })?;
    for warning in &outcome.warnings {
        ui.warn(warning);
    }
    if ui.json {
        let table = json::table(&compare_csv(&outcome.scenarios))
            .context("turning the comparison into JSON")?;
        ui.json_out(&table)?;
    }
    ui.results(table_lines(&outcome.scenarios))?;
    ui.notes(vec![wrote_line(&outcome.files, &outcome.out_dir)])
}

pub(super) fn sweep_command(args: &SweepArgs, ui: Ui) -> Result<(), CliError> {
    let var = |k: &str| std::env::var(k).ok();
    let shard = shard::resolve(args.shard, args.shards, var)
        .map_err(|e| CliError::input(anyhow::anyhow!(e)))?;
    let jobs = super::env::jobs(args.jobs, var).map_err(|e| CliError::input(anyhow::anyhow!(e)))?;
    // A shard from the environment is said at once, on the first line: the log of an array
    // job shows which share this task took before any run starts.
    if let Some((s, source)) = shard.filter(|(_, source)| *source != ShardSource::Flag) {
        let line = format!(
            "{}: shard {s} (from {})",
            args.sweep.display(),
            source.name()
        );
        ui.notes(vec![line])?;
    }
    let outcome = run_sweep(&SweepOptions {
        sweep_file: args.sweep.clone(),
        overrides: args.overrides.clone(),
        jobs: Some(jobs),
        shard: shard.map(|(s, _)| s),
        resume: args.resume,
        out_dir: args.out.clone(),
        objective: args.objective.clone(),
        progress: !ui.quiet,
        no_plots: args.no_plots,
    })?;
    if ui.json {
        let results = &outcome.files[0];
        let bytes =
            std::fs::read(results).with_context(|| format!("reading {}", results.display()))?;
        ui.json_out(&json::table(&bytes).context("turning results.csv into JSON")?)?;
    }
    // Said when the threads asked for (-j or ASGSIM_JOBS) were more than the sweep can use.
    let asked = args.jobs.is_some() || var("ASGSIM_JOBS").is_some();
    if let Some(why) = outcome
        .threads_capped
        .as_ref()
        .filter(|_| asked && !ui.quiet)
    {
        eprintln!("note: {why}");
    }
    ui.notes(sweep_lines(args, shard, &outcome))?;
    ui.results(best_lines(outcome.best.as_ref()))
}

/// What a sweep did: the runs of the sweep (or shard), how they ran, the files.
fn sweep_lines(
    args: &SweepArgs,
    shard: Option<(Shard, ShardSource)>,
    outcome: &SweepOutcome,
) -> Vec<String> {
    let secs = outcome.elapsed.as_secs_f64();
    let threads = outcome.threads;
    let mut lines = vec![match shard {
        Some((s, source)) => format!(
            "{}: shard {s} (from {}): {} of {} runs",
            args.sweep.display(),
            source.name(),
            outcome.shard_runs,
            outcome.total_runs
        ),
        None => format!("{}: {} runs", args.sweep.display(), outcome.total_runs),
    }];
    lines.push(format!(
        "ran {} runs ({} already in the journal) on {threads} thread{} in {secs:.2} s ({:.0} runs/s)",
        outcome.ran,
        outcome.resumed,
        if threads == 1 { "" } else { "s" },
        outcome.ran as f64 / secs.max(1e-9)
    ));
    lines.push(wrote_line(&outcome.files, &outcome.out_dir));
    if shard.is_some() {
        lines.push("join the shards with `asgsim merge DIR... --out DIR` for points.csv, best.json and the plots".to_string());
    }
    lines
}

pub(super) fn merge_command(args: &MergeArgs, ui: Ui) -> Result<(), CliError> {
    let outcome = merge(&MergeOptions {
        dirs: args.dirs.clone(),
        out_dir: args.out.clone(),
        objective: args.objective.clone(),
        no_plots: args.no_plots,
    })?;
    ui.notes(vec![
        format!(
            "merged {} shards: {} runs",
            outcome.shards, outcome.total_runs
        ),
        wrote_line(&outcome.files, &args.out),
    ])?;
    ui.results(best_lines(outcome.best.as_ref()))
}

/// A scenario and its trace, checked; the warnings about doubtful settings said on stderr.
fn load_inputs(
    args: &ScenarioArgs,
    seed: Option<u64>,
    ui: Ui,
) -> Result<(Scenario, trace::Trace), CliError> {
    load_inputs_with_text(args, seed, ui).map(|(scenario, trace, _)| (scenario, trace))
}

/// [`load_inputs`], with the scenario's text as read (the report shows it).
pub(super) fn load_inputs_with_text(
    args: &ScenarioArgs,
    seed: Option<u64>,
    ui: Ui,
) -> Result<(Scenario, trace::Trace, String), CliError> {
    let (origin, text) = read_scenario_text(&args.scenario).map_err(CliError::input)?;
    let scenario = parse_scenario(&text, &origin, &args.overrides).map_err(CliError::input)?;
    // Valid but doubtful settings: said on stderr, the run goes on.
    for warning in scenario.warnings() {
        ui.warn(&warning_text(&origin, &text, &args.overrides, &warning));
    }
    let seed = seed.unwrap_or(scenario.seed);
    let trace = load_trace(&scenario, seed).map_err(|e| match e {
        // Errors of [load] settings name no file of their own: name the scenario.
        trace::TraceError::Config { .. } | trace::TraceError::PatternColumn { .. } => {
            CliError::input(anyhow::anyhow!("{}: {e}", origin.display()))
        }
        _ => CliError::input(e),
    })?;
    for warning in scenario.trace_warnings(&trace) {
        ui.warn(&format!("{}: {warning}", origin.display()));
    }
    Ok((scenario, trace, text))
}

/// A warning about a scenario setting, at the key's position in the file when it names one
/// (`FILE:LINE:COL: alarms.X: …`).
fn warning_text(file: &Path, text: &str, overrides: &[String], warning: &str) -> String {
    let file = file.display().to_string();
    let key = warning
        .split_once(": ")
        .map(|(key, _)| key)
        .filter(|key| !key.is_empty() && !key.contains(' '));
    match key.and_then(|key| key_position(text, overrides, key)) {
        Some(position) => crate::diagnostic::at(&file, position, warning),
        None => format!("{file}: {warning}"),
    }
}

pub(super) fn validate(args: &ScenarioArgs, ui: Ui) -> Result<(), CliError> {
    let (scenario, trace) = load_inputs(args, None, ui)?;
    ui.results(vec![format!(
        "{}: valid ({} alarms, {} scaling policies, load of {} points)",
        args.scenario.display(),
        scenario.alarms.len(),
        scenario.scaling_policies.len(),
        trace.len()
    )])
}
