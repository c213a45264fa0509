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
pub use parse::DEFAULT_START_TIME;

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
    let found = diag.into_problems();
    if !found.is_empty() {
        // Only a scenario with problems needs the key-to-line index: a valid one (every run
        // of a sweep) skips a second parse of the file.
        let locator = Locator::new(text, overridden);
        problems.extend(found.into_iter().map(|(path, message)| Problem {
            location: locator.locate(&path),
            message,
        }));
    }
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
    match std::fs::read_to_string(path) {
        Ok(text) => parse_scenario(&text, path, overrides),
        Err(e) => Err(ScenarioError {
            file: path.display().to_string(),
            problems: vec![Problem {
                location: "(file)".to_string(),
                message: format!("cannot read the scenario file: {e}"),
            }],
        }),
    }
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
    let message = error.message().trim().replace('\n', "; ");
    Problem {
        location,
        message: format!("TOML syntax error: {message}"),
    }
}
