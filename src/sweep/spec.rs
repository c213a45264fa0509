//! The sweep file: the base scenario, the swept keys with their values, the seeds, fixed
//! overrides and an objective; and the grid of runs it describes.
//!
//! ```toml
//! scenario = "seed-workflow.toml"        # relative to the sweep file
//! seeds = 5                              # 1..=5, or a list such as \[3, 9, 27\]
//! objective = "min:cost_usd where slo_violation_pct <= 1"   # optional
//! \[set\]                                  # optional: overrides every run gets
//! duration = "7d"
//! \[parameters\]                           # keys as for --set; every combination is run
//! "alarms.HighCPU.threshold" = \[70, 75, 80\]
//! "group.max_size" = { from = 4, to = 10, step = 2 }
//! ```
//!
//! Runs are numbered from 1 in grid order: the first key varies slowest, the seeds fastest,
//! so run r has point ⌊(r − 1) / seeds⌋ and seed index (r − 1) mod seeds.

use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::range::{RangeEnds, expand, position_of, raw_text};
use super::{MAX_RUNS, SweepError};

/// Keys a sweep file may have at its top level.
const TOP_KEYS: [&str; 6] = [
    "scenario",
    "seeds",
    "parameters",
    "set",
    "objective",
    "description",
];

/// One value of a swept key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamValue {
    /// The value as written in the sweep file (a string without its quotes): the cell of its
    /// `parameter_<key>` column.
    pub written: String,
    /// The value as a TOML literal, for the override `key=literal`.
    pub literal: String,
}

impl ParamValue {
    /// A value whose literal is its text (numbers, booleans, arrays, inline tables).
    pub(super) fn plain(text: String) -> Self {
        Self {
            literal: text.clone(),
            written: text,
        }
    }

    /// A string value.
    pub(super) fn string(text: String) -> Self {
        Self {
            literal: toml::Value::String(text.clone()).to_string(),
            written: text,
        }
    }
}

/// A swept key and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The key as written in the sweep file (`alarms.HighCPU.threshold`).
    pub key: String,
    /// Its values, in order.
    pub values: Vec<ParamValue>,
}

/// One run of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunSpec {
    /// Its number, from 1.
    pub run: u64,
    /// Its parameter point, from 0.
    pub point: u64,
    /// Its seed.
    pub seed: u64,
}

/// A parsed, checked sweep file.
#[derive(Debug, Clone)]
pub struct SweepSpec {
    /// The sweep file.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// The base scenario, resolved against the sweep file's folder.
    pub scenario: PathBuf,
    /// The seeds of every point.
    pub seeds: Vec<u64>,
    /// The swept keys in the order of the file.
    pub parameters: Vec<Parameter>,
    /// Overrides every run gets (`\[set\]`, then the command line's `--set`).
    pub fixed: Vec<String>,
    /// The objective written in the file, if any.
    pub objective: Option<String>,
    /// The scenario's `\[slo\] cpu_percent`, which names the `cpu_over_<X>_s` column (90
    /// until the scenario is read; the runner sets it, and it is the same at every point).
    pub cpu_percent: f64,
}

impl SweepSpec {
    /// Reads and checks the sweep file at `path`; `cli_overrides` (`key=value`) are added to
    /// its `\[set\]`.
    ///
    /// # Errors
    ///
    /// [`SweepError::Input`] naming the file, the line and the key of the first problem.
    pub fn load(path: &Path, cli_overrides: &[String]) -> Result<Self, SweepError> {
        let text = crate::scenario::read_utf8(path).map_err(|(position, message)| {
            let file = path.display().to_string();
            let message = format!("cannot read the sweep file: {message}");
            SweepError::Input(match position {
                Some(position) => crate::diagnostic::at(&file, position, &message),
                None => crate::diagnostic::indent(&format!("{file}: "), &message),
            })
        })?;
        Self::parse(&text, path, cli_overrides)
    }

    /// Parses sweep file text as if read from `path` (see [`SweepSpec::load`]).
    ///
    /// # Errors
    ///
    /// As [`SweepSpec::load`].
    pub fn parse(text: &str, path: &Path, cli_overrides: &[String]) -> Result<Self, SweepError> {
        let fail = |position: Option<(usize, usize)>, key: &str, message: String| {
            let file = path.display().to_string();
            let message = format!("{key}: {message}");
            SweepError::Input(match position {
                Some(position) => crate::diagnostic::at(&file, position, &message),
                None => crate::diagnostic::indent(&format!("{file}: "), &message),
            })
        };
        let doc = DeTable::parse(text).map_err(|e| {
            let line = e.span().map(|s| position_of(text, s.start));
            fail(
                line,
                "(syntax)",
                format!("TOML syntax error: {}", e.message().trim()),
            )
        })?;
        let doc = doc.get_ref();
        for (key, _) in doc.iter() {
            if !TOP_KEYS.contains(&key.get_ref().as_ref()) {
                let line = Some(position_of(text, key.span().start));
                let message = format!("unknown key; a sweep file has {}", TOP_KEYS.join(", "));
                return Err(fail(line, key.get_ref(), message));
            }
        }
        let reader = Reader {
            text,
            doc,
            fail: &fail,
        };
        let scenario = reader.scenario(path)?;
        let seeds = reader.seeds()?;
        let parameters = reader.parameters()?;
        let mut fixed = reader.fixed()?;
        fixed.extend(cli_overrides.iter().cloned());
        reject_fixed_and_swept(&fixed, &parameters, &fail)?;
        let objective = reader.objective()?;
        let spec = SweepSpec {
            path: path.to_path_buf(),
            text: text.to_string(),
            scenario,
            seeds,
            parameters,
            fixed,
            objective,
            cpu_percent: 90.0,
        };
        spec.check_size()?;
        Ok(spec)
    }

    /// Number of parameter points (1 when nothing is swept).
    pub fn points(&self) -> u64 {
        self.parameters
            .iter()
            .map(|p| p.values.len() as u64)
            .product()
    }

    /// Number of runs: points × seeds.
    pub fn total_runs(&self) -> u64 {
        self.points() * self.seeds.len() as u64
    }

    /// Run `run` (from 1; at most [`SweepSpec::total_runs`]).
    pub fn run(&self, run: u64) -> RunSpec {
        let per_point = self.seeds.len() as u64;
        let index = run - 1;
        RunSpec {
            run,
            point: index / per_point,
            seed: self.seeds[(index % per_point) as usize],
        }
    }

    /// The value of each swept key at `point`, in key order.
    pub fn point_values(&self, point: u64) -> Vec<&ParamValue> {
        let mut rest = point;
        let mut values: Vec<&ParamValue> = self
            .parameters
            .iter()
            .rev()
            .map(|p| {
                let n = p.values.len() as u64;
                let value = &p.values[(rest % n) as usize];
                rest /= n;
                value
            })
            .collect();
        values.reverse();
        values
    }

    /// The overrides of `point`: the fixed ones, then `key=literal` for each swept key.
    pub fn overrides(&self, point: u64) -> Vec<String> {
        let mut all = self.fixed.clone();
        for (p, value) in self.parameters.iter().zip(self.point_values(point)) {
            all.push(format!("{}={}", p.key, value.literal));
        }
        all
    }

    /// `key = value, key = value` of `point`, for messages.
    pub fn describe_point(&self, point: u64) -> String {
        let parts: Vec<String> = self
            .parameters
            .iter()
            .zip(self.point_values(point))
            .map(|(p, v)| format!("{} = {}", p.key, v.written))
            .collect();
        if parts.is_empty() {
            "(no swept keys)".to_string()
        } else {
            parts.join(", ")
        }
    }

    fn check_size(&self) -> Result<(), SweepError> {
        let mut total: u128 = self.seeds.len() as u128;
        for p in &self.parameters {
            total *= p.values.len() as u128;
        }
        if total > u128::from(MAX_RUNS) {
            let sizes: Vec<String> = self
                .parameters
                .iter()
                .map(|p| p.values.len().to_string())
                .chain(std::iter::once(format!("{} seeds", self.seeds.len())))
                .collect();
            return Err(SweepError::Input(format!(
                "{}: the sweep has {} = {total} runs, more than the {MAX_RUNS} allowed; sweep fewer values or seeds, or split it into several sweep files",
                self.path.display(),
                sizes.join(" × ")
            )));
        }
        Ok(())
    }
}

type Fail<'f> = &'f dyn Fn(Option<(usize, usize)>, &str, String) -> SweepError;

/// Reads the sections of a parsed sweep file.
struct Reader<'a, 'i> {
    text: &'a str,
    doc: &'a DeTable<'i>,
    fail: Fail<'a>,
}

impl<'a, 'i> Reader<'a, 'i> {
    fn get(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.doc.get(key)
    }

    fn position(&self, value: &Spanned<DeValue<'_>>) -> Option<(usize, usize)> {
        Some(position_of(self.text, value.span().start))
    }

    fn string(&self, key: &str) -> Result<Option<String>, SweepError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.get_ref().as_str() {
                Some(s) => Ok(Some(s.to_string())),
                None => Err((self.fail)(
                    self.position(v),
                    key,
                    format!("expected a string, found {}", v.get_ref().type_str()),
                )),
            },
        }
    }

    /// `objective`, checked here so that a mistake is reported with the file and line.
    fn objective(&self) -> Result<Option<String>, SweepError> {
        let text = self.string("objective")?;
        if let (Some(t), Some(v)) = (&text, self.get("objective"))
            && let Err(e) = super::objective::Objective::parse(t)
        {
            return Err((self.fail)(self.position(v), "objective", e));
        }
        Ok(text)
    }

    fn scenario(&self, sweep: &Path) -> Result<PathBuf, SweepError> {
        let Some(name) = self.string("scenario")? else {
            let message = "missing; name the base scenario, such as scenario = \"seed-workflow.toml\" (relative to the sweep file)";
            return Err((self.fail)(None, "scenario", message.to_string()));
        };
        let folder = sweep.parent().unwrap_or(Path::new(""));
        Ok(folder.join(name))
    }

    fn seeds(&self) -> Result<Vec<u64>, SweepError> {
        let Some(value) = self.get("seeds") else {
            return Ok(vec![1]);
        };
        let fail = |message: String| (self.fail)(self.position(value), "seeds", message);
        let seed = |v: &Spanned<DeValue<'_>>| -> Result<u64, SweepError> {
            let raw = raw_text(self.text, v.span()).replace('_', "");
            match v.get_ref() {
                DeValue::Integer(_) => raw
                    .parse::<u64>()
                    .map_err(|_| fail(format!("{raw} is not a seed; seeds are whole numbers ≥ 0"))),
                other => Err(fail(format!(
                    "expected a whole number, found {}",
                    other.type_str()
                ))),
            }
        };
        match value.get_ref() {
            DeValue::Integer(_) => {
                let n = seed(value)?;
                if n == 0 || n > MAX_RUNS {
                    return Err(fail(format!(
                        "seeds = {n} asks for seeds 1..={n}; write a count from 1 to {MAX_RUNS}, or a list such as [3, 9, 27]"
                    )));
                }
                Ok((1..=n).collect())
            }
            DeValue::Array(items) => {
                let seeds = items.iter().map(seed).collect::<Result<Vec<_>, _>>()?;
                if seeds.is_empty() {
                    return Err(fail("the list is empty; give at least one seed".into()));
                }
                for (i, s) in seeds.iter().enumerate() {
                    if seeds[..i].contains(s) {
                        return Err(fail(format!("seed {s} is listed twice")));
                    }
                }
                Ok(seeds)
            }
            other => Err(fail(format!(
                "expected a count such as 5 or a list such as [3, 9, 27], found {}",
                other.type_str()
            ))),
        }
    }

    fn section(&self, name: &str) -> Result<Vec<Entry<'a, 'i>>, SweepError> {
        let Some(value) = self.get(name) else {
            return Ok(Vec::new());
        };
        let Some(table) = value.get_ref().as_table() else {
            let message = format!(
                "expected a table [{name}], found {}",
                value.get_ref().type_str()
            );
            return Err((self.fail)(self.position(value), name, message));
        };
        let mut entries = Vec::new();
        flatten(table, "", &mut entries);
        entries.sort_by_key(|e| e.key_offset);
        for (i, e) in entries.iter().enumerate() {
            if entries[..i].iter().any(|other| other.key == e.key) {
                let line = Some(position_of(self.text, e.key_offset));
                let message = "is given twice (once quoted, once as dotted keys?)".to_string();
                return Err((self.fail)(line, &format!("{name}.{}", e.key), message));
            }
        }
        Ok(entries)
    }

    fn parameters(&self) -> Result<Vec<Parameter>, SweepError> {
        self.section("parameters")?
            .into_iter()
            .map(|entry| {
                let line = Some(position_of(self.text, entry.key_offset));
                let label = format!("parameters.\"{}\"", entry.key);
                let values =
                    values_of(entry.value, self.text).map_err(|m| (self.fail)(line, &label, m))?;
                Ok(Parameter {
                    key: entry.key,
                    values,
                })
            })
            .collect()
    }

    fn fixed(&self) -> Result<Vec<String>, SweepError> {
        self.section("set")?
            .into_iter()
            .map(|entry| {
                let raw = raw_text(self.text, entry.value.span());
                if raw.contains(['\n', '\r']) {
                    let line = Some(position_of(self.text, entry.key_offset));
                    let message = "write the value on one line".to_string();
                    return Err((self.fail)(
                        line,
                        &format!("set.\"{}\"", entry.key),
                        message,
                    ));
                }
                Ok(format!("{}={raw}", entry.key))
            })
            .collect()
    }
}

/// A key of `\[parameters\]` or `\[set\]` with its dotted path flattened.
struct Entry<'a, 'i> {
    key: String,
    key_offset: usize,
    value: &'a Spanned<DeValue<'i>>,
}

/// Flattens nested tables (dotted keys written unquoted) into dotted keys; a table with
/// `from`, `to` or `step` is a range, not a nesting.
fn flatten<'a, 'i>(table: &'a DeTable<'i>, prefix: &str, out: &mut Vec<Entry<'a, 'i>>) {
    for (key, value) in table.iter() {
        let name = if prefix.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{prefix}.{}", key.get_ref())
        };
        match value.get_ref().as_table() {
            Some(inner) if !is_range(inner) => flatten(inner, &name, out),
            _ => out.push(Entry {
                key: name,
                key_offset: key.span().start,
                value,
            }),
        }
    }
}

fn is_range(table: &DeTable<'_>) -> bool {
    ["from", "to", "step"]
        .iter()
        .any(|k| table.get(*k).is_some())
}

/// The values of one swept key: a list, or a range table.
fn values_of(value: &Spanned<DeValue<'_>>, text: &str) -> Result<Vec<ParamValue>, String> {
    let values = match value.get_ref() {
        DeValue::Array(items) => items
            .iter()
            .map(|item| list_value(item, text))
            .collect::<Result<Vec<_>, _>>()?,
        DeValue::Table(table) => {
            let end = |k: &str| {
                table.get(k).ok_or_else(|| {
                    format!("a range needs from, to and step, such as {{ from = 4, to = 10, step = 2 }}; {k} is missing")
                })
            };
            if let Some((k, _)) = table
                .iter()
                .find(|(k, _)| !["from", "to", "step"].contains(&k.get_ref().as_ref()))
            {
                return Err(format!(
                    "a range has only from, to and step, not {}",
                    k.get_ref()
                ));
            }
            let ends = RangeEnds {
                from: end("from")?,
                to: end("to")?,
                step: end("step")?,
            };
            expand(&ends, text)?
        }
        other => {
            return Err(format!(
                "expected a list such as [70, 75, 80] or a range such as {{ from = 4, to = 10, step = 2 }}, found {} (fixed values go in [set])",
                other.type_str()
            ));
        }
    };
    if values.is_empty() {
        return Err("the list is empty; give at least one value".to_string());
    }
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            return Err(format!("the value {} is listed twice", v.written));
        }
    }
    Ok(values)
}

/// One element of a list, as written.
fn list_value(item: &Spanned<DeValue<'_>>, text: &str) -> Result<ParamValue, String> {
    let raw = raw_text(text, item.span());
    if raw.contains(['\n', '\r']) {
        return Err(format!("write each value on one line: {raw}"));
    }
    Ok(match item.get_ref() {
        DeValue::String(s) if !s.contains(['\n', '\r']) => ParamValue {
            written: s.to_string(),
            literal: raw.to_string(),
        },
        DeValue::String(_) => return Err("a value must not hold a line break".to_string()),
        _ => ParamValue::plain(raw.to_string()),
    })
}

/// A key both swept and fixed is ambiguous.
fn reject_fixed_and_swept(
    fixed: &[String],
    parameters: &[Parameter],
    fail: Fail<'_>,
) -> Result<(), SweepError> {
    for text in fixed {
        let key = text
            .split_once('=')
            .map_or(text.as_str(), |(k, _)| k)
            .trim();
        if parameters.iter().any(|p| p.key == key) {
            let message =
                "is both swept in [parameters] and fixed by [set] or --set; keep one".to_string();
            return Err(fail(None, &format!("parameters.\"{key}\""), message));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "spec_tests.rs"]
mod tests;
