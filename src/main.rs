//! The `asgsim` binary: parses the command line, calls the library, maps errors to exit codes.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use asgsim::cli::{Cli, colour_choice, execute, stderr_colour};

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().collect();
    // clap's own messages (usage errors, help) follow --color too; they exit with 2.
    let matches = Cli::command()
        .color(colour_choice(&args))
        .get_matches_from(args);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let colour = stderr_colour(&cli.global);
    match execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", e.render(colour));
            ExitCode::from(e.exit_code)
        }
    }
}
