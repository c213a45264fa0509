//! The clap definitions of the command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::sweep::shard::Shard;

/// asgsim: replay a load trace against a modelled EC2 Auto Scaling group.
#[derive(Debug, Parser)]
#[command(name = "asgsim", version = crate::VERSION, about, long_about = None)]
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
}
