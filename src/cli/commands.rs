//! The body of each command: load, call the library, print.

use std::path::Path;

use anyhow::Context;

use super::CliError;
use super::args::{CompareArgs, MergeArgs, RunArgs, ScenarioArgs, SweepArgs};
use super::output::{best_lines, print_lines, severity_lines, summary_lines, wrote_line};
use crate::compare::{CompareOptions, compare, table_lines};
use crate::run::{load_trace, simulate};
use crate::scenario::{ScenarioError, key_position, parse_scenario};
use crate::sim::Scenario;
use crate::sweep::merge::{MergeOptions, merge};
use crate::sweep::shard;
use crate::sweep::{SweepOptions, run_sweep};
use crate::time::Clock;
use crate::{report, trace};

pub(super) fn compare_command(args: &CompareArgs) -> Result<(), CliError> {
    let outcome = compare(&CompareOptions {
        scenarios: args.scenarios.clone(),
        overrides: args.overrides.clone(),
        seed: args.seed,
        out_dir: args.out.clone(),
    })?;
    let mut lines = table_lines(&outcome.scenarios);
    lines.push(wrote_line(&outcome.files, &outcome.out_dir));
    print_lines(lines.into_iter())
}

pub(super) fn sweep_command(args: &SweepArgs) -> Result<(), CliError> {
    let shard = shard::resolve(args.shard, args.shards, |k| std::env::var(k).ok())
        .map_err(|e| CliError::input(anyhow::anyhow!(e)))?;
    let jobs = args.jobs.map(usize::from);
    let outcome = run_sweep(&SweepOptions {
        sweep_file: args.sweep.clone(),
        overrides: args.overrides.clone(),
        jobs,
        shard: shard.map(|(s, _)| s),
        resume: args.resume,
        out_dir: args.out.clone(),
        objective: args.objective.clone(),
        progress: true,
        no_plots: args.no_plots,
    })?;
    let threads =
        jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let secs = outcome.elapsed.as_secs_f64();
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
        "ran {} runs ({} already in the journal) on {threads} threads in {secs:.2} s ({:.0} runs/s)",
        outcome.ran,
        outcome.resumed,
        outcome.ran as f64 / secs.max(1e-9)
    ));
    lines.push(wrote_line(&outcome.files, &outcome.out_dir));
    if shard.is_some() {
        lines.push("join the shards with `asgsim merge DIR... --out DIR` for points.csv, best.json and the plots".to_string());
    }
    lines.extend(best_lines(outcome.best.as_ref()));
    print_lines(lines.into_iter())
}

pub(super) fn merge_command(args: &MergeArgs) -> Result<(), CliError> {
    let outcome = merge(&MergeOptions {
        dirs: args.dirs.clone(),
        out_dir: args.out.clone(),
        objective: args.objective.clone(),
        no_plots: args.no_plots,
    })?;
    let mut lines = vec![format!(
        "merged {} shards: {} runs",
        outcome.shards, outcome.total_runs
    )];
    lines.push(wrote_line(&outcome.files, &args.out));
    lines.extend(best_lines(outcome.best.as_ref()));
    print_lines(lines.into_iter())
}

/// A scenario and its trace, checked.
fn load_inputs(
    args: &ScenarioArgs,
    seed: Option<u64>,
) -> Result<(Scenario, trace::Trace), CliError> {
    let text = std::fs::read_to_string(&args.scenario)
        .map_err(|e| CliError::input(ScenarioError::unreadable(&args.scenario, &e)))?;
    let scenario =
        parse_scenario(&text, &args.scenario, &args.overrides).map_err(CliError::input)?;
    // Valid but doubtful settings: said on stderr, the run goes on.
    for warning in scenario.warnings() {
        eprintln!(
            "{}",
            warning_text(&args.scenario, &text, &args.overrides, &warning)
        );
    }
    let seed = seed.unwrap_or(scenario.seed);
    let trace = load_trace(&scenario, seed).map_err(CliError::input)?;
    Ok((scenario, trace))
}

/// A warning about a scenario setting, at the key's position in the file when it names one
/// (`FILE:LINE:COL: warning: alarms.X: …`).
fn warning_text(file: &Path, text: &str, overrides: &[String], warning: &str) -> String {
    let file = file.display().to_string();
    let key = warning
        .split_once(": ")
        .map(|(key, _)| key)
        .filter(|key| !key.is_empty() && !key.contains(' '));
    match key.and_then(|key| key_position(text, overrides, key)) {
        Some(position) => {
            severity_lines(&crate::diagnostic::at(&file, position, warning), "warning")
        }
        None => severity_lines(&format!("{file}: {warning}"), "warning"),
    }
}

pub(super) fn validate(args: &ScenarioArgs) -> Result<(), CliError> {
    let (scenario, trace) = load_inputs(args, None)?;
    let line = format!(
        "{}: valid ({} alarms, {} scaling policies, load of {} points)",
        args.scenario.display(),
        scenario.alarms.len(),
        scenario.scaling_policies.len(),
        trace.len()
    );
    print_lines(std::iter::once(line))
}

pub(super) fn run(args: &RunArgs) -> Result<(), CliError> {
    let (scenario, trace) = load_inputs(&args.scenario, args.seed)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let output = simulate(&scenario, &trace, seed);
    if args.explain {
        let lines = output.records.explanations.iter();
        print_lines(lines.map(|e| format!("{} {}", Clock(e.time_ms), e.text)))?;
    }
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&scenario.name));
    let written = report::write_run(&out_dir, &output)
        .with_context(|| format!("writing the outputs to {}", out_dir.display()))?;
    let mut lines = summary_lines(&output.summary);
    lines.push(format!(
        "wrote {} files to {}",
        written.len(),
        out_dir.display()
    ));
    print_lines(lines.into_iter())
}
