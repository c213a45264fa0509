//! The clap definitions of the command line.

use std::path::PathBuf;

use super::import_args::{BacktestArgs, CalibrateArgs, ImportCommand};
use clap::{Args, Parser, Subcommand, ValueEnum};

use super::help;
use crate::sweep::shard::Shard;

/// asgsim: replay a load trace against a modelled EC2 Auto Scaling group.
#[derive(Debug, Parser)]
#[command(
    name = "asgsim",
    version = crate::VERSION,
    about,
    long_about = None,
    after_long_help = help::TOP
)]
pub struct Cli {
    /// Options of every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print only what is asked for (--json, --explain), warnings and errors: no progress
    /// bar, summaries or notes.
    #[arg(short, long, global = true, display_order = 900)]
    pub quiet: bool,
    /// When to colour `error:` and `warning:`: auto (on a terminal, unless NO_COLOR is set),
    /// always, never.
    #[arg(
        long,
        value_name = "WHEN",
        global = true,
        default_value = "auto",
        hide_possible_values = true,
        display_order = 901
    )]
    pub color: ColorWhen,
}

/// When to colour messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario and write timeline, activities, instances, summary and plots.
    #[command(after_long_help = help::RUN)]
    Run(RunArgs),
    /// Check a scenario and its trace without running it.
    #[command(after_long_help = help::VALIDATE)]
    Validate(ScenarioArgs),
    /// Run several scenarios and set their figures side by side (table, compare.csv, plot).
    #[command(after_long_help = help::COMPARE)]
    Compare(CompareArgs),
    /// Run a grid of variants of one scenario, each with several seeds, in parallel.
    #[command(after_long_help = help::SWEEP)]
    Sweep(SweepArgs),
    /// Join the output folders of the shards of one sweep.
    #[command(after_long_help = help::MERGE)]
    Merge(MergeArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_long_help = help::COMPLETIONS)]
    Completions(CompletionsArgs),
    /// Print the man page of asgsim or of one of its commands (roff).
    #[command(after_long_help = help::MAN)]
    Man(ManArgs),
    /// Bring a real group in: a scenario from the AWS CLI's JSON or Terraform, a trace from
    /// CloudWatch metrics.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Fit capacity_rps and idle_cpu_percent from the group's CloudWatch metrics.
    Calibrate(CalibrateArgs),
    /// Run a scenario and compare it with what the real group did (CloudWatch metrics and
    /// scaling activities).
    Backtest(BacktestArgs),
}

/// Arguments of `asgsim completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Arguments of `asgsim man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (default: asgsim's own, which lists the commands).
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// Arguments of `asgsim compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The scenario files (TOML; - reads standard input), each optionally with its own
    /// overrides: `A.toml@alarms.HighCPU.threshold=70@group.max_size=8`.
    #[arg(required = true, num_args = 1.., value_name = "SCENARIO[@KEY=VALUE...]")]
    pub scenarios: Vec<String>,
    /// Override any key in every scenario: `--set duration=2h`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
    /// One seed for every scenario (default: each scenario's `seed`).
    #[arg(long, value_name = "N", value_parser = seed_parser())]
    pub seed: Option<u64>,
    /// Folder for compare.csv and the plot (default: output/compare).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the table as JSON on stdout (one object per scenario, the columns of
    /// compare.csv); messages go to stderr.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `asgsim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The sweep file (TOML): the base scenario, the keys to vary, the seeds.
    #[arg(value_name = "SWEEP")]
    pub sweep: PathBuf,
    /// Worker threads (default: ASGSIM_JOBS, else RAYON_NUM_THREADS, else every core).
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
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
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Which point is best: `min:cost_usd where slo_violation_pct <= 1`.
    #[arg(long, value_name = "TEXT")]
    pub objective: Option<String>,
    /// Override any key in every run, after the sweep file's `[set]` table.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
    /// Write no plots (points.csv and best.json are still written).
    #[arg(long)]
    pub no_plots: bool,
    /// Print the rows of results.csv as JSON on stdout (one object per run); messages go to
    /// stderr.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `asgsim merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The output folders of the shards.
    #[arg(required = true, num_args = 1.., value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Folder for the merged results.csv, points.csv, best.json and plots.
    #[arg(short, long, required = true, value_name = "DIR")]
    pub out: PathBuf,
    /// Which point is best (default: the sweep's objective).
    #[arg(long, value_name = "TEXT")]
    pub objective: Option<String>,
    /// Write no plots.
    #[arg(long)]
    pub no_plots: bool,
}

/// Seeds `--seed` takes: those a scenario file can hold too (TOML integers are 64-bit signed).
pub(super) fn seed_parser() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(..=i64::MAX as u64)
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    text.parse()
}

/// A scenario file with its overrides.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// The scenario file (TOML); - reads it from standard input.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Override any key: `--set group.max_size=10`, `--set alarms.HighCPU.threshold=80`;
    /// `--set load.trace=-` reads the trace from standard input.
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
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed of every random stream (default: the scenario's `seed`).
    #[arg(long, value_name = "N", value_parser = seed_parser())]
    pub seed: Option<u64>,
    /// Print one plain sentence per decision (on stderr with --json).
    #[arg(long)]
    pub explain: bool,
    /// Print summary.json on stdout; messages go to stderr.
    #[arg(long)]
    pub json: bool,
    /// Also write cloudwatch.json (get-metric-data shape) and activities.json
    /// (describe-scaling-activities shape), so that the run can be backtested against.
    #[arg(long)]
    pub cloudwatch_json: bool,
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
