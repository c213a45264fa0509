//! The clap definitions of the commands that bring a real group in: `import aws`, `import
//! terraform`, `import metrics`, `calibrate` and `backtest`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::ScenarioArgs;

/// Arguments of `asgsim calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// The scenario file whose instance model to fit.
    pub scenario: PathBuf,
    /// CloudWatch JSON (get-metric-data or get-metric-statistics) with CPUUtilization
    /// (Average), RequestCount (Sum) and GroupInServiceInstances.
    #[arg(long, required = true, num_args = 1..)]
    pub metrics: Vec<PathBuf>,
    /// Write the fitted values into the scenario file (atomically, keeping its comments).
    #[arg(long)]
    pub write: bool,
}

/// Arguments of `asgsim backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// The scenario and its overrides.
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// CloudWatch JSON (get-metric-data) with GroupDesiredCapacity and GroupInServiceInstances.
    #[arg(long, required = true, num_args = 1..)]
    pub actual: Vec<PathBuf>,
    /// describe-scaling-activities JSON: the group's decisions.
    #[arg(long)]
    pub activities: Option<PathBuf>,
    /// Folder for backtest.json, backtest.csv and the plot (default: `output/<name>/backtest`).
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Seed of every random stream (default: the scenario's `seed`).
    #[arg(long, value_parser = super::args::seed_parser())]
    pub seed: Option<u64>,
    /// How far apart a real and a simulated decision may be and still match.
    #[arg(long, default_value = "10m", value_name = "DURATION")]
    pub window: String,
    /// The group the activities are of (default: the scenario's name).
    #[arg(long)]
    pub group: Option<String>,
}

/// The subcommands of `asgsim import`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A scenario from the JSON of the AWS CLI (describe-auto-scaling-groups, describe-policies,
    /// cloudwatch describe-alarms, ...), in any order.
    Aws(ImportAwsArgs),
    /// A scenario from Terraform `.tf` files or folders (and their `*.tfvars`).
    Terraform(ImportTerraformArgs),
    /// A trace CSV from CloudWatch `get-metric-data` or `get-metric-statistics` JSON.
    Metrics(ImportMetricsArgs),
}

/// Arguments of `asgsim import aws`.
#[derive(Debug, Args)]
pub struct ImportAwsArgs {
    /// The JSON files, as the AWS CLI printed them (`--output json`).
    #[arg(required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// The group to import when the files hold several.
    #[arg(long)]
    pub group: Option<String>,
    /// The scenario file to write (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Arguments of `asgsim import terraform`.
#[derive(Debug, Args)]
pub struct ImportTerraformArgs {
    /// `.tf` files, or folders of them (their `*.tfvars` and `*.auto.tfvars` are read too).
    #[arg(required = true, num_args = 1..)]
    pub paths: Vec<PathBuf>,
    /// The `aws_autoscaling_group` to import (its resource name or its `name`) when there
    /// are several.
    #[arg(long)]
    pub group: Option<String>,
    /// A variable's value, as `-var` gives it to Terraform: `--var env=prod`.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// The scenario file to write (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Arguments of `asgsim import metrics`.
#[derive(Debug, Args)]
pub struct ImportMetricsArgs {
    /// The JSON files: pages of one export, in any order.
    #[arg(required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// Keep datapoints from this time on (ISO-8601, or a date).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Keep datapoints before this time (ISO-8601, or a date).
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// The Id (or Label) of the request-count series, when it is not named RequestCount.
    #[arg(long, value_name = "ID")]
    pub requests: Option<String>,
    /// The trace CSV to write (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}
