//! The command line: argument parsing and the `run`, `validate`, `compare`, `sweep` and `merge`
//! commands. The batch commands' logic is in [`crate::sweep`] and [`crate::compare`]; this
//! module parses, calls them and prints.
//!
//! - `args`: the clap definitions;
//! - `commands`: each command's body;
//! - `output`: what is printed, and how.

mod args;
mod commands;
mod docs;
mod env;
mod help;
mod import_args;
mod import_commands;
mod output;
mod run;

pub use args::*;
pub use env::colour_choice;
pub use import_args::*;

use std::io::IsTerminal;

use output::Ui;

use crate::sweep::SweepError;

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

    /// The error as printed on stderr: each problem's first line in the editors' form,
    /// `FILE:LINE:COL: error: what is wrong` (or `error: what is wrong` when it has no
    /// position), the fixes indented below it; `error:` in red when `colour`.
    pub fn render(&self, colour: bool) -> String {
        // The chain of causes, each once: an error whose message already holds its cause's
        // (`cannot open the trace file: No such file`) is not followed by it again.
        let mut text = String::new();
        for cause in self.error.chain() {
            let message = cause.to_string();
            if text.contains(&message) {
                continue;
            }
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&message);
        }
        output::severity_lines(&text, "error", colour)
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

/// Whether messages on stderr are coloured, by `--color`, `NO_COLOR` and the terminal.
pub fn stderr_colour(global: &GlobalArgs) -> bool {
    env::colour(
        global.color,
        std::env::var("NO_COLOR").ok(),
        std::io::stderr().is_terminal(),
    )
}

/// Runs a parsed command line.
pub fn execute(cli: Cli) -> Result<(), CliError> {
    let ui = |json: bool| Ui {
        quiet: cli.global.quiet,
        colour: stderr_colour(&cli.global),
        json,
    };
    match &cli.command {
        Command::Run(args) => run::run(args, ui(args.json)),
        Command::Validate(args) => commands::validate(args, ui(false)),
        Command::Compare(args) => commands::compare_command(args, ui(args.json)),
        Command::Sweep(args) => commands::sweep_command(args, ui(args.json)),
        Command::Merge(args) => commands::merge_command(args, ui(false)),
        Command::Completions(args) => docs::completions(args),
        Command::Man(args) => docs::man(args),
        Command::Calibrate(args) => import_commands::calibrate_command(args, ui(false)),
        Command::Backtest(args) => import_commands::backtest_command(args, ui(false)),
        Command::Import(ImportCommand::Aws(args)) => {
            import_commands::import_aws_command(args, ui(false))
        }
        Command::Import(ImportCommand::Terraform(args)) => {
            import_commands::import_terraform_command(args, ui(false))
        }
        Command::Import(ImportCommand::Metrics(args)) => {
            import_commands::import_metrics_command(args, ui(false))
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_cause_already_said_is_not_repeated() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let error = crate::trace::TraceError::Open {
            path: "t.csv".into(),
            cause: io,
        };
        let e = CliError::input(anyhow::Error::from(error).context("loading"));
        assert_eq!(
            e.render(false),
            "error: loading: t.csv: cannot open the trace file: no such file"
        );
    }
}
