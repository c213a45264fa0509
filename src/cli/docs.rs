//! `asgsim completions SHELL` and `asgsim man [COMMAND]`: generated from the clap
//! definitions, so they never fall behind the options.

use std::io::Write;

use clap::CommandFactory;

use super::CliError;
use super::args::{Cli, CompletionsArgs, ManArgs};

/// Prints the completion script of `args.shell` on stdout.
pub(super) fn completions(args: &CompletionsArgs) -> Result<(), CliError> {
    let mut bytes = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "asgsim", &mut bytes);
    write_stdout(&bytes)
}

/// Prints the man page of asgsim, or of one of its commands, on stdout.
pub(super) fn man(args: &ManArgs) -> Result<(), CliError> {
    let mut command = Cli::command();
    command.build();
    let page = match &args.command {
        None => command,
        Some(name) => {
            let names: Vec<String> = command
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let Some(sub) = command.find_subcommand(name) else {
                let known: Vec<&str> = names.iter().map(String::as_str).collect();
                let hint = crate::suggest::did_you_mean(name, &known)
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default();
                return Err(CliError::input(anyhow::anyhow!(
                    "asgsim has no command {name}{hint}; the commands are {}",
                    known.join(", ")
                )));
            };
            // Built, a command is displayed as `asgsim-sweep` (the page's name, as git's
            // pages are named) and used as `asgsim sweep`.
            sub.clone().version(crate::VERSION)
        }
    };
    // The examples, exit codes and environment of --help become sections of their own,
    // laid out as written.
    let extra = page
        .get_after_long_help()
        .map(|h| h.to_string())
        .unwrap_or_default();
    let page = page.after_long_help(None::<&str>);
    let man_has_subcommands = page.has_subcommands();
    let man = clap_mangen::Man::new(page);
    let mut bytes = Vec::new();
    let render = |bytes: &mut Vec<u8>| -> std::io::Result<()> {
        man.render_title(bytes)?;
        man.render_name_section(bytes)?;
        man.render_synopsis_section(bytes)?;
        man.render_description_section(bytes)?;
        man.render_options_section(bytes)?;
        if man_has_subcommands {
            man.render_subcommands_section(bytes)?;
        }
        bytes.extend_from_slice(roff_sections(&extra).as_bytes());
        man.render_version_section(bytes)
    };
    render(&mut bytes).map_err(|e| anyhow::Error::from(e).context("rendering the man page"))?;
    write_stdout(&bytes)
}

/// The blocks of a help text (`Examples:`, `Exit codes:`, `Environment:`, or a paragraph)
/// as man page sections, each block's lines kept as they are (`.nf`).
fn roff_sections(help: &str) -> String {
    let mut out = String::new();
    for block in help.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let (title, body) = match block.split_once('\n') {
            Some((first, rest)) if first.ends_with(':') => (first.trim_end_matches(':'), rest),
            _ => ("Notes", block),
        };
        let title = match title {
            "Exit codes" => "EXIT STATUS".to_string(),
            other => other.to_uppercase(),
        };
        out.push_str(&format!(".SH \"{title}\"\n.nf\n"));
        for line in body.lines() {
            out.push_str(&roff_escape(line));
            out.push('\n');
        }
        out.push_str(".fi\n");
    }
    out
}

/// A line of text as roff prints it: backslashes and minus signs escaped, and a line that
/// starts with `.` or `'` kept from being read as a request.
fn roff_escape(line: &str) -> String {
    let text = line.replace('\\', "\\e").replace('-', "\\-");
    if text.starts_with(['.', '\'']) {
        format!("\\&{text}")
    } else {
        text
    }
}

fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow::Error::from(e).context("writing to stdout").into())
        }
        _ => Ok(()),
    }
}
