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
mod tests_aws;
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

use std::path::{Path, PathBuf};

use fields::Diag;
use locate::{Locator, line_col};

/// One problem found in a scenario: where, and what is wrong and what would be right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What the problem is about: a key path (`alarms.HighCPU.threshold`), `--set KEY` for a
    /// value given on the command line, or empty for the file as a whole.
    pub key: String,
    /// Where it is written in the file: 1-based line and column (in characters) of the key,
    /// or of the nearest enclosing table for a missing key; `None` when it is not in the file
    /// (a `--set` value, a file that cannot be read).
    pub position: Option<(usize, usize)>,
    /// What is wrong and what would be right: the first line says what is wrong; further
    /// lines (or parts after `; `) say what to do, "did you mean" among them.
    pub message: String,
}

impl Problem {
    /// A problem about the file as a whole, with no position.
    fn whole_file(message: String) -> Self {
        Problem {
            key: String::new(),
            position: None,
            message,
        }
    }

    /// The location in words: `line 12, alarms.HighCPU.threshold`, `line 3, column 7` (a
    /// syntax error), `--set group.max_size`.
    pub fn location(&self) -> String {
        match (self.position, self.key.is_empty()) {
            (Some((line, _)), false) => format!("line {line}, {}", self.key),
            (Some((line, column)), true) => format!("line {line}, column {column}"),
            (None, false) => self.key.clone(),
            (None, true) => "(file)".to_string(),
        }
    }

    /// The problem as printed, first line in the editors' form when it has a position:
    /// `FILE:LINE:COL: KEY: what is wrong`, then the fixes indented below.
    pub fn render(&self, file: &str) -> String {
        let message = if self.key.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.key, self.message)
        };
        match self.position {
            Some(position) => crate::diagnostic::at(file, position, &message),
            None => crate::diagnostic::indent(&format!("{file}: "), &message),
        }
    }
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

impl ScenarioError {
    /// The file could not be read.
    pub fn unreadable(file: &Path, error: &std::io::Error) -> Self {
        ScenarioError {
            file: file.display().to_string(),
            problems: vec![Problem::whole_file(format!(
                "cannot read the scenario file: {error}"
            ))],
        }
    }
}

fn render_problems(file: &str, problems: &[Problem]) -> String {
    let lines: Vec<String> = problems.iter().map(|p| p.render(file)).collect();
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
            key: String::new(),
            position: Some((1, 1)),
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
        problems.extend(found.into_iter().map(|(path, message)| {
            let (key, position) = locator.locate(&path);
            Problem {
                key,
                position,
                message,
            }
        }));
    }
    match scenario {
        Some(scenario) if problems.is_empty() => Ok(scenario),
        _ if !problems.is_empty() => Err(fail(problems)),
        _ => Err(fail(vec![Problem::whole_file(
            "the scenario could not be read, but no problem was recorded (a bug in asgsim)"
                .to_string(),
        )])),
    }
}

/// The On-Demand price of `instance_type` in asgsim's built-in table \[USD per hour\], if
/// it has one (the instance types a scenario may leave `price_per_hour` out for).
pub fn built_in_price(instance_type: &str) -> Option<f64> {
    template::PRICES
        .iter()
        .find(|(t, _)| *t == instance_type)
        .map(|(_, p)| *p)
}

/// The 1-based line and column of the key at `path` (`alarms.HighCPU.period`, or of its
/// nearest enclosing table) in scenario `text`, as problems are located; `None` when the
/// value comes from one of the `--set` `overrides`.
pub fn key_position(text: &str, overrides: &[String], path: &str) -> Option<(usize, usize)> {
    let mut table: toml::Table = text.parse().ok()?;
    let (overridden, _) = overrides::apply_all(&mut table, overrides);
    Locator::new(text, overridden).locate(path).1
}

/// Reads the scenario file at `path` and parses it (see [`parse_scenario`]).
///
/// # Errors
///
/// A [`ScenarioError`]: the file cannot be read, or its problems.
pub fn load_scenario_file(path: &Path, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let (origin, text) = read_scenario_text(path)?;
    parse_scenario(&text, &origin, overrides)
}

/// The text of the scenario file at `path`, with the path to parse it as: the path itself,
/// or `<stdin>` for `-`, standard input (its relative paths then resolve against the
/// current folder).
///
/// # Errors
///
/// A [`ScenarioError`] when the file (or standard input) cannot be read, or at the line and
/// column of the first byte that is not UTF-8.
pub fn read_scenario_text(path: &Path) -> Result<(PathBuf, String), ScenarioError> {
    let stdin = crate::stdin::is_stdin(path);
    let origin = if stdin {
        PathBuf::from(crate::stdin::STDIN_NAME)
    } else {
        path.to_path_buf()
    };
    let bytes = if stdin {
        crate::stdin::read("the scenario").map(<[u8]>::to_vec)
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read the scenario file: {e}"))
    };
    let unreadable = |position, message: String| ScenarioError {
        file: origin.display().to_string(),
        problems: vec![Problem {
            key: String::new(),
            position,
            message,
        }],
    };
    let bytes = bytes.map_err(|message| unreadable(None, message))?;
    let text =
        utf8_text(bytes).map_err(|(position, message)| unreadable(Some(position), message))?;
    Ok((origin, text))
}

/// Reads a text file; on failure, where (`None` for the file as a whole, or the line and
/// column of the first byte that is not UTF-8) and what is wrong.
///
/// # Errors
///
/// (position, message) as above.
pub(crate) fn read_utf8(path: &Path) -> Result<String, (Option<(usize, usize)>, String)> {
    let bytes = std::fs::read(path).map_err(|e| (None, e.to_string()))?;
    utf8_text(bytes).map_err(|(position, message)| (Some(position), message))
}

/// `bytes` as text; else the line and column of the first byte that is not UTF-8, and why.
fn utf8_text(bytes: Vec<u8>) -> Result<String, ((usize, usize), String)> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        // The valid prefix is text: the position is counted in it, in characters.
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        (
            line_col(prefix, valid),
            format!(
                "the file is not UTF-8 text (byte 0x{:02x} here); save it as UTF-8",
                bytes[valid]
            ),
        )
    })
}

/// A TOML syntax error as one problem at its line and column.
fn syntax_problem(text: &str, error: &toml::de::Error) -> Problem {
    let position = error.span().map(|span| line_col(text, span.start));
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
        key: String::new(),
        position,
        message: format!("TOML syntax error: {message}"),
    }
}
