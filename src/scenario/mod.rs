//! The scenario file format (TOML, AWS names in snake_case), defaults and validation.
//!
//! Parsing has two stages. The text becomes a `toml::Table` (a syntax error is one problem
//! at `line L, column C`), `--set` overrides are applied to that table, and then a typed
//! reader walks it, building [`Scenario`] and collecting *every* problem with its key path
//! (`group.min_size`, `alarms.HighCPU.threshold`; entries of arrays of tables are named by
//! their `name`, else by index: `alarms\[2\]`), prefixed with the line it is written on.
//! Unknown keys are errors, with a suggestion from the known ones.

mod alarms;
mod events;
mod fields;
mod group;
mod hooks;
mod load;
mod locate;
mod model;
mod overrides;
mod parse;
mod policies;
mod processes;
mod queries;
mod refresh;
mod schedules;
mod template;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_hooks;
#[cfg(test)]
mod tests_policies;
#[cfg(test)]
mod tests_rules;
#[cfg(test)]
mod tests_schedules;
#[cfg(test)]
mod tests_warm;
mod warm_pool;
mod warnings;

pub use model::*;

use std::path::Path;

use fields::Diag;
use locate::{Locator, line_col};

/// One problem found in a scenario: where, and what is wrong and what would be right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: `line 12, alarms.HighCPU.threshold` (the key path, after the line it is written
    /// on when the file has it), `--set group.max_size` for a value given on the command
    /// line, or `line 3, column 7` for a TOML syntax error.
    pub location: String,
    /// What is wrong and what would be right.
    pub message: String,
}

/// Every problem found in one scenario file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render_problems(file, problems))]
pub struct ScenarioError {
    /// The scenario file as given.
    pub file: String,
    /// The problems, in the order found.
    pub problems: Vec<Problem>,
}

fn render_problems(file: &str, problems: &[Problem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("{file}: {}: {}", p.location, p.message))
        .collect();
    lines.join("\n")
}

/// Parses and validates scenario text. `origin` is the file it came from (for messages and
/// to resolve relative paths); `overrides` are `--set key=value` strings, applied before
/// validation.
///
/// # Errors
///
/// A [`ScenarioError`] listing every problem found, each with its location.
pub fn parse_scenario(
    text: &str,
    origin: &Path,
    overrides: &[String],
) -> Result<Scenario, ScenarioError> {
    let fail = |problems: Vec<Problem>| ScenarioError {
        file: origin.display().to_string(),
        problems,
    };
    let mut table: toml::Table = text
        .parse()
        .map_err(|e| fail(vec![syntax_problem(text, &e)]))?;
    if table.contains_key("parameters") && table.contains_key("scenario") {
        // A sweep file given where a scenario is expected: one clear problem, not twenty.
        return Err(fail(vec![Problem {
            location: "(file)".to_string(),
            message: "this is a sweep file (it has scenario and [parameters]), not a scenario; run it with `asgsim sweep`".to_string(),
        }]));
    }
    let (overridden, mut problems) = overrides::apply_all(&mut table, overrides);
    let diag = Diag::default();
    let scenario = parse::read_scenario(&table, origin, &diag);
    let locator = Locator::new(text, overridden);
    problems.extend(
        diag.into_problems()
            .into_iter()
            .map(|(path, message)| Problem {
                location: locator.locate(&path),
                message,
            }),
    );
    match scenario {
        Some(scenario) if problems.is_empty() => Ok(scenario),
        _ if !problems.is_empty() => Err(fail(problems)),
        _ => Err(fail(vec![Problem {
            location: "(scenario)".to_string(),
            message:
                "the scenario could not be read, but no problem was recorded (a bug in asgsim)"
                    .to_string(),
        }])),
    }
}

/// Reads the scenario file at `path` and parses it (see [`parse_scenario`]).
///
/// # Errors
///
/// A [`ScenarioError`]: the file cannot be read, or its problems.
pub fn load_scenario_file(path: &Path, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let text = read_scenario_text(path)?;
    parse_scenario(&text, path, overrides)
}

/// Reads the scenario file at `path` as text.
///
/// # Errors
///
/// A [`ScenarioError`] located `(file)` when the file cannot be read, or at the line and
/// column of the first byte that is not UTF-8.
pub(crate) fn read_scenario_text(path: &Path) -> Result<String, ScenarioError> {
    read_utf8(path).map_err(|(location, message)| ScenarioError {
        file: path.display().to_string(),
        problems: vec![Problem {
            location,
            message: format!("cannot read the scenario file: {message}"),
        }],
    })
}

/// Reads a text file; on failure, where (`(file)`, or `line L, column C` of the first byte
/// that is not UTF-8) and what is wrong.
///
/// # Errors
///
/// (location, message) as above.
pub(crate) fn read_utf8(path: &Path) -> Result<String, (String, String)> {
    let bytes = std::fs::read(path).map_err(|e| ("(file)".to_string(), e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // The valid prefix is text: the position is counted in it, in characters.
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, column) = line_col(prefix, valid);
        (
            format!("line {line}, column {column}"),
            format!(
                "the file is not UTF-8 text (byte 0x{:02x} here); save it as UTF-8",
                bytes[valid]
            ),
        )
    })
}

/// A TOML syntax error as one problem at `line L, column C`.
fn syntax_problem(text: &str, error: &toml::de::Error) -> Problem {
    let location = match error.span() {
        Some(span) => {
            let (line, column) = line_col(text, span.start);
            format!("line {line}, column {column}")
        }
        None => "(syntax)".to_string(),
    };
    let mut message = error.message().trim().replace('\n', "; ");
    if message.contains("too large") || message.contains("too small") {
        // toml says "u64 value was too large" of an integer past i64's range.
        message.push_str(&format!(
            " (TOML integers lie between {} and {})",
            i64::MIN,
            i64::MAX
        ));
    }
    Problem {
        location,
        message: format!("TOML syntax error: {message}"),
    }
}
