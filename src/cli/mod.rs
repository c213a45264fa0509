//! The command line: argument parsing and the `run`, `validate`, `compare`, `sweep` and `merge`
//! commands. The batch commands' logic is in [`crate::sweep`] and [`crate::compare`]; this
//! module parses, calls them and prints.
//!
//! - `args`: the clap definitions;
//! - `commands`: each command's body;
//! - `output`: what is printed, and how.

mod args;
mod commands;
mod output;

pub use args::*;

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
    /// position), the fixes indented below it.
    pub fn render(&self) -> String {
        output::severity_lines(&format!("{:#}", self.error), "error")
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
        Command::Run(args) => commands::run(&args),
        Command::Validate(args) => commands::validate(&args),
        Command::Compare(args) => commands::compare_command(&args),
        Command::Sweep(args) => commands::sweep_command(&args),
        Command::Merge(args) => commands::merge_command(&args),
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
}
