//! The command line: argument parsing and the `run`, `validate`, `compare`, `sweep` and `merge`
//! commands. The batch commands' logic is in [`crate::sweep`] and [`crate::compare`]; this
//! module parses, calls them and prints.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::compare::{CompareOptions, compare, table_lines};
use crate::records::Summary;
use crate::run::{RunInfo, load_trace, simulate_with};
use crate::scenario::load_scenario_file;
use crate::sim::Scenario;
use crate::sweep::merge::{MergeOptions, merge};
use crate::sweep::shard::{self, Shard};
use crate::sweep::{Best, Objective, SweepError, SweepOptions, run_sweep};
use crate::time::format_duration;
use crate::{report, trace};

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
    /// Run several scenarios and set their figures side by side (table, compare.csv, plot).
    Compare(CompareArgs),
    /// Run a grid of variants of one scenario, each with several seeds, in parallel.
    Sweep(SweepArgs),
    /// Join the output folders of the shards of one sweep.
    Merge(MergeArgs),
}

/// Arguments of `asgsim compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The scenario files (TOML).
    #[arg(required = true, num_args = 1..)]
    pub scenarios: Vec<PathBuf>,
    /// Override any key in every scenario: `--set duration=2h`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
    /// One seed for every scenario (default: each scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Folder for compare.csv and the plot (default: output/compare).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Arguments of `asgsim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The sweep file (TOML): the base scenario, the keys to vary, the seeds.
    pub sweep: PathBuf,
    /// Worker threads (default: every available core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Run only share I of N of the runs: those with (run − 1) mod N = I − 1.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// The number of shards when the index comes from the environment without a count
    /// (Kubernetes JOB_COMPLETION_INDEX); also read from ASGSIM_SHARDS.
    #[arg(long, value_name = "N")]
    pub shards: Option<u64>,
    /// Continue an interrupted sweep from the journal in the output folder.
    #[arg(long)]
    pub resume: bool,
    /// Folder for the outputs (default: `output/<sweep file stem>`, with `/shard-I-of-N` when
    /// sharded).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Which point is best: `min:cost_usd where slo_violation_pct <= 1`.
    #[arg(long)]
    pub objective: Option<String>,
    /// Override any key in every run, after the sweep file's `\[set\]`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
    /// Write no plots (points.csv and best.json are still written).
    #[arg(long)]
    pub no_plots: bool,
}

/// Arguments of `asgsim merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The output folders of the shards.
    #[arg(required = true, num_args = 1..)]
    pub dirs: Vec<PathBuf>,
    /// Folder for the merged results.csv, points.csv, best.json and plots.
    #[arg(long, required = true)]
    pub out: PathBuf,
    /// Which point is best (default: the sweep's objective).
    #[arg(long)]
    pub objective: Option<String>,
    /// Write no plots.
    #[arg(long)]
    pub no_plots: bool,
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    text.parse()
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
    /// Folder for the outputs (default: `output/<scenario name>`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed of every random stream (default: the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Print one plain sentence per decision.
    #[arg(long)]
    pub explain: bool,
    /// Open report.html in the default browser once it is written.
    #[arg(long)]
    pub open: bool,
    /// Most rows `timeline.csv` may have; a run that would write more stops before it starts.
    #[arg(long, value_name = "ROWS", default_value_t = DEFAULT_MAX_TIMELINE_ROWS)]
    pub max_timeline_rows: u64,
}

/// Rows of `timeline.csv` written without asking (about 19 years at one row a minute, or
/// 115 days at one a second; roughly 0.8 GB of CSV).
pub const DEFAULT_MAX_TIMELINE_ROWS: u64 = 10_000_000;

/// Bytes of a `timeline.csv` row: the fixed columns, then each AZ count and alarm state (a
/// rough mean, for the message of [`check_timeline_size`]).
fn timeline_row_bytes(info: &RunInfo) -> u64 {
    56 + 3 * info.az_names.len() as u64 + 10 * info.alarm_names.len() as u64
}

/// Refuses, before anything runs, a timeline of more than `max_rows` rows, with the numbers,
/// a sample interval that fits and the flag that allows it.
fn check_timeline_size(info: &RunInfo, max_rows: u64) -> Result<(), String> {
    let rows = info.timeline_rows();
    if rows <= max_rows {
        return Ok(());
    }
    let gib = (rows * timeline_row_bytes(info)) as f64 / (1u64 << 30) as f64;
    let fitting_s = (info.duration_ms / max_rows.max(1)).div_ceil(1_000).max(1);
    let fitting = [60, 300, 900, 3_600, 86_400]
        .into_iter()
        .find(|&s| s >= fitting_s)
        .unwrap_or(fitting_s);
    let fitting_rows = 1 + info.duration_ms / (fitting * 1_000);
    Err(format!(
        "timeline.csv would have {rows} rows ({} at sample_interval = {}), about {gib:.1} GiB; \
         runs write at most {max_rows} rows unless asked: set a longer sample interval \
         (--set sample_interval={} gives {fitting_rows} rows) or allow it with \
         --max-timeline-rows {rows}",
        format_duration(info.duration_ms),
        format_duration(info.sample_interval_ms),
        format_duration(fitting * 1_000),
    ))
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
        Command::Compare(args) => compare_command(&args),
        Command::Sweep(args) => sweep_command(&args),
        Command::Merge(args) => merge_command(&args),
    }
}

impl From<SweepError> for CliError {
    fn from(error: SweepError) -> Self {
        match error {
            SweepError::Input(_) => CliError::input(error),
            _ => anyhow::Error::from(error).into(),
        }
    }
}

fn compare_command(args: &CompareArgs) -> Result<(), CliError> {
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

fn sweep_command(args: &SweepArgs) -> Result<(), CliError> {
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

fn merge_command(args: &MergeArgs) -> Result<(), CliError> {
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

/// `wrote a.csv, b.csv to DIR`.
fn wrote_line(files: &[PathBuf], dir: &Path) -> String {
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            f.file_name().map_or_else(
                || f.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    format!("wrote {} to {}", names.join(", "), dir.display())
}

/// The best point of an objective, in words.
fn best_lines(best: Option<&(Objective, Option<Best>)>) -> Vec<String> {
    let Some((objective, best)) = best else {
        return Vec::new();
    };
    let Some(b) = best else {
        return vec![format!(
            "objective {objective}: no point meets its conditions"
        )];
    };
    let params: Vec<String> = b
        .parameters
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    let estimate = |name: &str, e: &crate::sweep::stats::Estimate| match e.interval {
        Some((lo, hi)) => format!("{name} {:.4} (95% CI {lo:.4} to {hi:.4})", e.mean),
        None => format!("{name} {:.4}", e.mean),
    };
    let mut parts = vec![estimate(&objective.figure, &b.estimate)];
    for (name, e) in &b.conditions {
        if let Some(e) = e {
            parts.push(estimate(name, e));
        }
    }
    vec![
        format!(
            "best for {objective}: point {} ({})",
            b.point,
            params.join(", ")
        ),
        format!("  {} over {} seeds", parts.join(", "), b.runs),
    ]
}

/// A scenario and its trace, checked.
fn load_inputs(
    args: &ScenarioArgs,
    seed: Option<u64>,
) -> Result<(Scenario, trace::Trace), CliError> {
    let scenario = load_scenario_file(&args.scenario, &args.overrides).map_err(CliError::input)?;
    // Valid but doubtful settings: said on stderr, the run goes on.
    for warning in scenario.warnings() {
        eprintln!("warning: {}: {warning}", args.scenario.display());
    }
    let seed = seed.unwrap_or(scenario.seed);
    let trace = load_trace(&scenario, seed).map_err(CliError::input)?;
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

fn run(args: &RunArgs) -> Result<(), CliError> {
    let (scenario, trace) = load_inputs(&args.scenario, args.seed)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&scenario.name));
    let context = || format!("writing the outputs to {}", out_dir.display());
    let info = RunInfo {
        source: scenario_text(&args.scenario),
        ..RunInfo::of(&scenario)
    };
    check_timeline_size(&info, args.max_timeline_rows).map_err(|e| {
        CliError::input(anyhow::anyhow!("{}: {e}", args.scenario.scenario.display()))
    })?;
    // Sentences are printed as the run makes them, through one buffer.
    let explain: Option<Box<dyn std::io::Write>> = args.explain.then(|| {
        let out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
        Box::new(out) as Box<dyn std::io::Write>
    });
    let mut writer = report::RunWriter::create(&out_dir, &info, explain).with_context(context)?;
    let summary = simulate_with(&scenario, &trace, seed, &mut writer);
    let written = writer.finish(&summary).with_context(context)?;
    let mut lines = summary_lines(&summary);
    lines.push(format!(
        "wrote {} files to {}",
        written.len(),
        out_dir.display()
    ));
    let report = out_dir.join(report::REPORT_FILE);
    let url = file_url(&report);
    lines.push(format!("report: {url}"));
    if args.open
        && let Err(e) = open_in_browser(&url)
    {
        lines.push(format!(
            "(could not open a browser: {e}; open the address above)"
        ));
    }
    print_lines(lines.into_iter())
}

/// The scenario file's text for the report (none if it cannot be read again: the run goes
/// on, the report says so).
fn scenario_text(args: &ScenarioArgs) -> Option<crate::run::ScenarioText> {
    let text = std::fs::read_to_string(&args.scenario).ok()?;
    Some(crate::run::ScenarioText {
        file: args.scenario.display().to_string(),
        text,
        overrides: args.overrides.clone(),
    })
}

/// A `file://` address of `path`, absolute, with the characters a URL cannot hold escaped.
fn file_url(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut url = String::from("file://");
    for byte in absolute.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(char::from(byte));
            }
            _ => url.push_str(&format!("%{byte:02X}")),
        }
    }
    url
}

/// Hands `url` to the desktop's opener (`xdg-open`, `open`, or `start` on Windows) without
/// waiting for the browser.
fn open_in_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
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
