//! The command line: argument parsing and the `run` and `validate` commands.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::recorder::{FullRecorder, RunOutput, Summary};
use crate::scenario::{Scenario, load_scenario_file};
use crate::time::Clock;
use crate::{report, sim, trace};

/// asgsim: replay a load trace against a modelled EC2 Auto Scaling group.
#[derive(Debug, Parser)]
#[command(name = "asgsim", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario and write timeline, activities, instances, summary and plots.
    Run(RunArgs),
    /// Check a scenario and its trace without running it.
    Validate(ScenarioArgs),
}

/// A scenario file with its overrides.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Override any key: `--set group.max_size=10`, `--set alarms.HighCPU.threshold=80`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
}

/// Arguments of `asgsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario and its overrides.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// Folder for the outputs (default: output/<scenario name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed of every random stream (default: the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Print one plain sentence per decision.
    #[arg(long)]
    pub explain: bool,
}

/// An error with the exit code it deserves: 2 for bad input, 1 for anything else.
#[derive(Debug)]
pub struct CliError {
    /// 1 or 2.
    pub exit_code: u8,
    /// What went wrong, with context.
    pub error: anyhow::Error,
}

impl CliError {
    fn input(error: impl Into<anyhow::Error>) -> Self {
        Self {
            exit_code: 2,
            error: error.into(),
        }
    }
}

impl From<anyhow::Error> for CliError {
    fn from(error: anyhow::Error) -> Self {
        Self {
            exit_code: 1,
            error,
        }
    }
}

/// Runs a parsed command line.
pub fn execute(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Run(args) => run(&args),
        Command::Validate(args) => validate(&args),
    }
}

/// A scenario and its trace, checked.
fn load_inputs(
    args: &ScenarioArgs,
    seed: Option<u64>,
) -> Result<(Scenario, trace::Trace), CliError> {
    let scenario = load_scenario_file(&args.scenario, &args.overrides).map_err(CliError::input)?;
    let seed = seed.unwrap_or(scenario.seed);
    let column = scenario.custom_metric_column();
    let trace = trace::load_with_column(&scenario.load, scenario.duration_ms, seed, column)
        .map_err(CliError::input)?;
    Ok((scenario, trace))
}

fn validate(args: &ScenarioArgs) -> Result<(), CliError> {
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

/// Runs one scenario with a full recorder: what `asgsim run` does, without writing.
pub fn simulate(scenario: &Scenario, trace: &trace::Trace, seed: u64) -> RunOutput {
    let mut records = FullRecorder::default();
    let summary = sim::run(scenario, trace, seed, &mut records);
    records
        .instances
        .sort_by(|a, b| a.instance_id.cmp(&b.instance_id));
    RunOutput {
        alarm_names: sim::alarm_names(scenario),
        records,
        summary,
    }
}

fn run(args: &RunArgs) -> Result<(), CliError> {
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

/// Prints lines to stdout; a closed pipe (`| head`) ends printing quietly, as success.
fn print_lines(lines: impl Iterator<Item = String>) -> Result<(), CliError> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in lines {
        if let Err(e) = writeln!(out, "{line}") {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(());
            }
            return Err(anyhow::Error::from(e).context("writing to stdout").into());
        }
    }
    Ok(())
}

fn summary_lines(s: &Summary) -> Vec<String> {
    let first = format!(
        "{} (seed {}): {:.1} h simulated, cost ${:.2}, {:.1} instance-hours, in service mean {:.2} / max {}",
        s.scenario,
        s.seed,
        s.duration_s / 3600.0,
        s.cost_usd,
        s.instance_hours,
        s.mean_in_service,
        s.max_in_service
    );
    let dropped_pct = if s.requests_total > 0.0 {
        100.0 * s.requests_dropped / s.requests_total
    } else {
        0.0
    };
    let second = format!(
        "  scale-outs {}, scale-ins {}, requests {:.0} ({:.3}% dropped), SLO violated {:.0} s",
        s.scale_out_activities,
        s.scale_in_activities,
        s.requests_total,
        dropped_pct,
        s.slo_violation_s
    );
    vec![first, second]
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
