//! The bodies of the commands that bring a real group in: import, calibrate, backtest.

use std::path::Path;

use anyhow::Context;

use super::CliError;
use super::import_args::{
    BacktestArgs, CalibrateArgs, ImportAwsArgs, ImportMetricsArgs, ImportTerraformArgs,
};
use super::output::{Ui, print_lines, wrote_line};
use crate::report;

pub(super) fn backtest_command(args: &BacktestArgs, ui: Ui) -> Result<(), CliError> {
    let window_ms = crate::time::parse_duration(&args.window)
        .map_err(|e| CliError::input(anyhow::anyhow!("--window {}: {e}", args.window)))?;
    let outcome = crate::backtest::backtest(&crate::backtest::BacktestOptions {
        scenario: args.scenario.scenario.clone(),
        overrides: args.scenario.overrides.clone(),
        seed: args.seed,
        actual: args.actual.clone(),
        activities: args.activities.clone(),
        out_dir: args.out.clone(),
        window_s: window_ms / 1000,
        group: args.group.clone(),
    })
    .map_err(CliError::input)?;
    for warning in &outcome.warnings {
        ui.warn(warning);
    }
    ui.results(crate::backtest::verdict(&outcome.report))?;
    ui.notes(vec![wrote_line(&outcome.files, &outcome.out_dir)])
}

pub(super) fn calibrate_command(args: &CalibrateArgs, ui: Ui) -> Result<(), CliError> {
    let outcome = crate::calibrate::calibrate(&args.scenario, &args.metrics, args.write)
        .map_err(CliError::input)?;
    for warning in &outcome.warnings {
        ui.warn(warning);
    }
    ui.results(outcome.lines)
}

pub(super) fn import_aws_command(args: &ImportAwsArgs, ui: Ui) -> Result<(), CliError> {
    let imported =
        crate::import::aws::import_aws(&args.files, args.group.as_deref(), args.out.as_deref())
            .map_err(CliError::input)?;
    hand_out(&imported, args.out.as_deref(), ui)
}

pub(super) fn import_terraform_command(args: &ImportTerraformArgs, ui: Ui) -> Result<(), CliError> {
    let imported = crate::import::terraform::import_terraform(
        &args.paths,
        args.group.as_deref(),
        &args.vars,
        args.out.as_deref(),
    )
    .map_err(CliError::input)?;
    hand_out(&imported, args.out.as_deref(), ui)
}

pub(super) fn import_metrics_command(args: &ImportMetricsArgs, ui: Ui) -> Result<(), CliError> {
    let trace = crate::import::metrics::import_metrics(&crate::import::metrics::MetricsOptions {
        files: args.files.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        requests: args.requests.clone(),
    })
    .map_err(CliError::input)?;
    for warning in &trace.warnings {
        ui.warn(warning);
    }
    let summary = format!(
        "{} rows from {} to {}, requests_per_s from {}{}",
        trace.rows,
        trace.first,
        trace.last,
        trace.requests,
        match trace.columns.is_empty() {
            true => String::new(),
            false => format!(", columns {}", trace.columns.join(", ")),
        }
    );
    write_or_print(args.out.as_deref(), &trace.csv, &summary, ui)
}

/// Writes `text` to `out` atomically and says so, or prints it to stdout (then `summary` goes
/// to stderr, so that stdout holds the file alone).
/// An imported scenario's warnings, then the scenario itself, to `out` or stdout.
fn hand_out(
    imported: &crate::import::aws::Imported,
    out: Option<&Path>,
    ui: Ui,
) -> Result<(), CliError> {
    for warning in &imported.warnings {
        ui.warn(warning);
    }
    write_or_print(out, &imported.scenario, &imported.summary, ui)
}

fn write_or_print(out: Option<&Path>, text: &str, summary: &str, ui: Ui) -> Result<(), CliError> {
    match out {
        Some(path) => {
            report::write_atomic(path, text.as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            ui.notes(vec![format!("wrote {summary} to {}", path.display())])
        }
        None => {
            if !ui.quiet {
                eprintln!("{summary}");
            }
            print_lines(std::iter::once(text.trim_end_matches('\n').to_string()))
        }
    }
}
