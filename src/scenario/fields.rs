//! A small typed reader over a `toml::Table` that records every problem with its key path
//! and remembers which keys it was asked for, so that unknown keys can be reported with a
//! suggestion.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use toml::{Table, Value};

use crate::suggest::did_you_mean;
use crate::time::{SimDuration, parse_duration};

/// The problems found so far, as (key path, message) pairs in the order found.
#[derive(Debug, Default)]
pub(super) struct Diag {
    problems: RefCell<Vec<(String, String)>>,
}

impl Diag {
    /// Records one problem at `path`.
    pub(super) fn report(&self, path: impl Into<String>, message: impl Into<String>) {
        self.problems
            .borrow_mut()
            .push((path.into(), message.into()));
    }

    /// The problems, in the order found.
    pub(super) fn into_problems(self) -> Vec<(String, String)> {
        self.problems.into_inner()
    }
}

/// `path.key`, or `key` at the top level.
pub(super) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Labels of the entries of an array of tables: `alarms.HighCPU` for an entry with a unique
/// string `name`, else `alarms\[2\]`. Shared by the reader, the line index and the overrides so
/// that all three name an entry the same way.
pub(super) fn entry_labels(array_path: &str, names: &[Option<&str>]) -> Vec<String> {
    // Counted once in a hash map, so that thousands of entries stay linear.
    let mut counts: HashMap<&str, usize> = HashMap::with_capacity(names.len());
    for name in names.iter().flatten() {
        *counts.entry(name).or_default() += 1;
    }
    names
        .iter()
        .enumerate()
        .map(|(i, name)| match name {
            Some(n) if !n.is_empty() && counts.get(n) == Some(&1) => join(array_path, n),
            _ => format!("{array_path}[{i}]"),
        })
        .collect()
}

/// The name an entry of an array of tables goes by: its `name`, or for an alarm written as
/// AWS prints it, its `alarm_name`.
pub(super) fn entry_name(value: &Value) -> Option<&str> {
    value
        .get("name")
        .or_else(|| value.get("alarm_name"))
        .and_then(Value::as_str)
}

/// How a value reads in a message: `the string "two"`, `the integer -3`, `a table`.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => {
            let shown: String = s.chars().take(60).collect();
            let more = if shown.len() < s.len() { "…" } else { "" };
            format!("the string {shown:?}{more}")
        }
        Value::Integer(i) => format!("the integer {i}"),
        Value::Float(f) => format!("the number {f}"),
        Value::Boolean(b) => format!("the boolean {b}"),
        Value::Datetime(d) => format!("the date-time {d}"),
        Value::Array(a) => format!("an array of {} item(s)", a.len()),
        Value::Table(_) => "a table".to_string(),
    }
}

/// `expected {what}, found {value}`.
pub(super) fn expected(what: &str, value: &Value) -> String {
    format!("expected {what}, found {}", describe(value))
}

const COUNT: &str = "a whole number ≥ 0";
const DURATION: &str = "a duration such as \"90s\", \"5m\", \"2h\", \"7d\" or \"250ms\", or an integer count of seconds";

/// The largest integer the Auto Scaling and CloudWatch APIs take: their integers
/// (`ScalingAdjustment`, `MinSize`, `EvaluationPeriods`, ...) are 32-bit ("Type: Integer" in
/// the API reference).
pub(super) const AWS_INTEGER_MAX: i64 = i32::MAX as i64;
/// The smallest integer the Auto Scaling API takes (see [`AWS_INTEGER_MAX`]).
pub(super) const AWS_INTEGER_MIN: i64 = i32::MIN as i64;

/// A whole number 0 ..= [`AWS_INTEGER_MAX`] \[instances, periods, ...\].
pub(super) fn as_count(value: &Value) -> Result<u32, String> {
    match value {
        Value::Integer(i) if *i > AWS_INTEGER_MAX => Err(too_large(*i)),
        Value::Integer(i) => u32::try_from(*i).map_err(|_| expected(COUNT, value)),
        _ => Err(not_whole(COUNT, value)),
    }
}

/// A whole number ≥ 0 that fits in a TOML integer (a seed: not an AWS value).
pub(super) fn as_whole(value: &Value) -> Result<u64, String> {
    match value {
        Value::Integer(i) => u64::try_from(*i).map_err(|_| expected(COUNT, value)),
        _ => Err(not_whole(COUNT, value)),
    }
}

/// A whole number in AWS's 32-bit range, [`AWS_INTEGER_MIN`] ..= [`AWS_INTEGER_MAX`].
pub(super) fn as_integer(value: &Value) -> Result<i64, String> {
    const WHAT: &str = "a whole number";
    match value {
        Value::Integer(i) if (AWS_INTEGER_MIN..=AWS_INTEGER_MAX).contains(i) => Ok(*i),
        Value::Integer(i) => Err(format!(
            "{i} is out of range: AWS takes a 32-bit integer here, {AWS_INTEGER_MIN} to {AWS_INTEGER_MAX}"
        )),
        _ => Err(not_whole(WHAT, value)),
    }
}

/// A whole number above AWS's 32-bit range.
fn too_large(i: i64) -> String {
    format!("{i} is too large: AWS takes a 32-bit integer here, at most {AWS_INTEGER_MAX}")
}

/// `expected {what}, found …`, saying so when the value is a string of digits too long for a
/// TOML integer (`--set seed=18446744073709551615` arrives as such a string).
fn not_whole(what: &str, value: &Value) -> String {
    match value {
        Value::String(s) if !s.is_empty() && s.trim().bytes().all(|b| b.is_ascii_digit()) => {
            format!(
                "{} is too large: a whole number here is at most {} (TOML integers are 64-bit)",
                s.trim(),
                i64::MAX
            )
        }
        _ => expected(what, value),
    }
}

/// A finite number, integer or float.
pub(super) fn as_number(value: &Value) -> Result<f64, String> {
    match value {
        Value::Integer(i) => Ok(*i as f64),
        Value::Float(f) if f.is_finite() => Ok(*f),
        _ => Err(expected("a finite number", value)),
    }
}

/// `true` or `false`.
pub(super) fn as_bool(value: &Value) -> Result<bool, String> {
    match value {
        Value::Boolean(b) => Ok(*b),
        _ => Err(expected("true or false", value)),
    }
}

/// A string.
pub(super) fn as_string(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        _ => Err(expected("a string", value)),
    }
}

/// A duration string, or an integer count of seconds \[ms\].
pub(super) fn as_duration(value: &Value) -> Result<SimDuration, String> {
    match value {
        Value::String(s) => parse_duration(s).map_err(|e| e.to_string()),
        Value::Integer(i) if *i >= 0 => (*i as u64)
            .checked_mul(1_000)
            .filter(|ms| *ms <= 1_000_000_000_000_000)
            .ok_or_else(|| format!("{i} seconds is too large a duration")),
        _ => Err(expected(DURATION, value)),
    }
}

/// A string, one of `choices` (AWS spelling).
pub(super) fn as_choice<T: Copy>(value: &Value, choices: &[(&str, T)]) -> Result<T, String> {
    let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
    let Value::String(s) = value else {
        return Err(expected(&format!("one of {}", names.join(", ")), value));
    };
    if let Some((_, t)) = choices.iter().find(|(n, _)| n == s) {
        return Ok(*t);
    }
    let hint = did_you_mean(s, &names)
        .map(|d| format!("\n{d}"))
        .unwrap_or_default();
    Err(format!(
        "{s:?} is not valid{hint}\nexpected one of {}",
        names.join(", ")
    ))
}

/// A list of strings.
pub(super) fn as_string_list(value: &Value) -> Result<Vec<String>, String> {
    let what = "an array of strings";
    let Value::Array(items) = value else {
        return Err(expected(what, value));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| as_string(item).map_err(|_| format!("item {i}: {}", expected(what, item))))
        .collect()
}

/// A list of durations \[ms\].
pub(super) fn as_duration_list(value: &Value) -> Result<Vec<SimDuration>, String> {
    let what = "an array of durations";
    let Value::Array(items) = value else {
        return Err(expected(what, value));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| as_duration(item).map_err(|e| format!("item {i}: {e}")))
        .collect()
}

/// The `name` of each entry (empty when missing or not a string), reporting every entry
/// whose name an earlier entry already has. `what` is the singular noun, `scaling policy`.
pub(super) fn unique_names(entries: &[Reader<'_>], what: &str) -> Vec<String> {
    let names: Vec<String> = entries
        .iter()
        .map(|e| {
            e.peek("name")
                .or_else(|| e.peek("alarm_name"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let mut seen: HashSet<&str> = HashSet::with_capacity(names.len());
    for (entry, name) in entries.iter().zip(&names) {
        if !name.is_empty() && !seen.insert(name) {
            entry.report(
                "name",
                format!("another {what} is already named {name}; names must be unique"),
            );
        }
    }
    names
}

/// One key read through a [`Reader`]: absent, present but wrong (already reported), or good.
#[derive(Debug)]
pub(super) struct Field<'d, T> {
    slot: Slot<T>,
    path: String,
    expected: std::borrow::Cow<'static, str>,
    diag: &'d Diag,
}

#[derive(Debug)]
enum Slot<T> {
    Absent,
    Bad,
    Good(T),
}

impl<T> Field<'_, T> {
    /// Reports a problem unless `ok` holds for a present value; the value then counts as bad.
    pub(super) fn check(mut self, ok: impl Fn(&T) -> bool, message: impl Fn(&T) -> String) -> Self {
        if let Slot::Good(v) = &self.slot
            && !ok(v)
        {
            self.diag.report(&self.path, message(v));
            self.slot = Slot::Bad;
        }
        self
    }

    /// The value; a missing key is reported. `None` when missing or bad.
    pub(super) fn required(self) -> Option<T> {
        match self.slot {
            Slot::Good(v) => Some(v),
            Slot::Bad => None,
            Slot::Absent => {
                let what = &self.expected;
                self.diag.report(
                    &self.path,
                    format!("required key is missing; expected {what}"),
                );
                None
            }
        }
    }

    /// The value, or `default` when absent; `None` when bad.
    pub(super) fn or(self, default: T) -> Option<T> {
        self.or_else(|| default)
    }

    /// The value, or `default()` when absent; `None` when bad.
    pub(super) fn or_else(self, default: impl FnOnce() -> T) -> Option<T> {
        match self.slot {
            Slot::Good(v) => Some(v),
            Slot::Bad => None,
            Slot::Absent => Some(default()),
        }
    }

    /// `Some(Some(v))` when good, `Some(None)` when absent, `None` when bad.
    pub(super) fn optional(self) -> Option<Option<T>> {
        match self.slot {
            Slot::Good(v) => Some(Some(v)),
            Slot::Bad => None,
            Slot::Absent => Some(None),
        }
    }

    /// Whether the key was written at all (good or bad).
    pub(super) fn is_present(&self) -> bool {
        !matches!(self.slot, Slot::Absent)
    }
}

static EMPTY: LazyLock<Table> = LazyLock::new(Table::new);

/// Reads the keys of one table, reporting problems at `path.key`.
#[derive(Debug)]
pub(super) struct Reader<'a> {
    table: &'a Table,
    path: String,
    diag: &'a Diag,
    known: BTreeSet<String>,
}

impl<'a> Reader<'a> {
    /// A reader over `table`, found at `path` (empty for the top level).
    pub(super) fn new(table: &'a Table, path: impl Into<String>, diag: &'a Diag) -> Self {
        Reader {
            table,
            path: path.into(),
            diag,
            known: BTreeSet::new(),
        }
    }

    /// The key path of this table (`scaling_policies.cpu-step`; empty at the top level).
    pub(super) fn path(&self) -> &str {
        &self.path
    }

    /// The key path of `key` in this table.
    pub(super) fn path_of(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// Records a problem at `key` of this table.
    pub(super) fn report(&self, key: &str, message: impl Into<String>) {
        self.diag.report(self.path_of(key), message);
    }

    /// Records a problem at this table itself.
    pub(super) fn report_here(&self, message: impl Into<String>) {
        self.diag.report(self.path.clone(), message);
    }

    /// The raw value of `key`, marking it as a known key.
    pub(super) fn raw(&mut self, key: &str) -> Option<&'a Value> {
        self.known.insert(key.to_string());
        self.table.get(key)
    }

    /// The raw value of `key`, without marking it as known.
    pub(super) fn peek(&self, key: &str) -> Option<&'a Value> {
        self.table.get(key)
    }

    /// Marks every key of this table as known (for sections reported as unsupported).
    pub(super) fn allow_all(&mut self) {
        self.known.extend(self.table.keys().cloned());
    }

    /// Reads `key` with a converter; a conversion error is reported.
    pub(super) fn get<T>(
        &mut self,
        key: &str,
        expected: &'static str,
        convert: impl FnOnce(&Value) -> Result<T, String>,
    ) -> Field<'a, T> {
        let path = self.path_of(key);
        let slot = match self.raw(key) {
            None => Slot::Absent,
            Some(v) => match convert(v) {
                Ok(t) => Slot::Good(t),
                Err(message) => {
                    self.diag.report(&path, message);
                    Slot::Bad
                }
            },
        };
        Field {
            slot,
            path,
            expected: expected.into(),
            diag: self.diag,
        }
    }

    /// A whole number 0 ..= 2147483647 (AWS's integers are 32-bit).
    pub(super) fn count(&mut self, key: &str) -> Field<'a, u32> {
        self.get(key, COUNT, as_count)
    }

    /// A whole number ≥ 0.
    pub(super) fn whole(&mut self, key: &str) -> Field<'a, u64> {
        self.get(key, COUNT, as_whole)
    }

    /// A whole number in AWS's 32-bit range.
    pub(super) fn integer(&mut self, key: &str) -> Field<'a, i64> {
        self.get(key, "a whole number", as_integer)
    }

    /// A finite number.
    pub(super) fn number(&mut self, key: &str) -> Field<'a, f64> {
        self.get(key, "a number", as_number)
    }

    /// A finite number ≥ 0.
    pub(super) fn non_negative(&mut self, key: &str) -> Field<'a, f64> {
        self.number(key)
            .check(|x| *x >= 0.0, |x| format!("must be ≥ 0, found {x}"))
    }

    /// `true` or `false`.
    pub(super) fn boolean(&mut self, key: &str) -> Field<'a, bool> {
        self.get(key, "true or false", as_bool)
    }

    /// A string.
    pub(super) fn string(&mut self, key: &str) -> Field<'a, String> {
        self.get(key, "a string", as_string)
    }

    /// A non-empty string.
    pub(super) fn name(&mut self, key: &str) -> Field<'a, String> {
        self.string(key).check(
            |s| !s.trim().is_empty(),
            |_| "must not be empty".to_string(),
        )
    }

    /// A duration \[ms\].
    pub(super) fn duration(&mut self, key: &str) -> Field<'a, SimDuration> {
        self.get(key, DURATION, as_duration)
    }

    /// A duration > 0 \[ms\].
    pub(super) fn positive_duration(&mut self, key: &str) -> Field<'a, SimDuration> {
        self.duration(key)
            .check(|ms| *ms > 0, |_| "must be longer than 0".to_string())
    }

    /// One of a fixed set of strings.
    pub(super) fn choice<T: Copy>(&mut self, key: &str, choices: &[(&str, T)]) -> Field<'a, T> {
        let mut field = self.get(key, "", |v| as_choice(v, choices));
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        field.expected = format!("one of {}", names.join(", ")).into();
        field
    }

    /// An array of strings.
    pub(super) fn string_list(&mut self, key: &str) -> Field<'a, Vec<String>> {
        self.get(key, "an array of strings", as_string_list)
    }

    /// An array of durations \[ms\].
    pub(super) fn duration_list(&mut self, key: &str) -> Field<'a, Vec<SimDuration>> {
        self.get(key, "an array of durations", as_duration_list)
    }

    /// A reader over the sub-table `key`; an absent table reads as empty, so that defaults
    /// apply and required keys are reported as `key.name`. `None` if `key` is not a table.
    pub(super) fn child(&mut self, key: &str) -> Option<Reader<'a>> {
        let path = self.path_of(key);
        match self.raw(key) {
            None => Some(Reader::new(&EMPTY, path, self.diag)),
            Some(Value::Table(t)) => Some(Reader::new(t, path, self.diag)),
            Some(other) => {
                self.diag.report(&path, expected("a table", other));
                None
            }
        }
    }

    /// Readers over the entries of the array of tables `key` (none when absent), each at
    /// its label (see [`entry_labels`]). Entries of the wrong type are reported and skipped.
    pub(super) fn entries(&mut self, key: &str) -> Vec<Reader<'a>> {
        let what = format!("an array of tables (write [[{key}]] sections)");
        self.entries_described(key, &what)
    }

    /// As [`Reader::entries`], for an array of inline tables; `what` describes the expected
    /// value when `key` is not an array.
    pub(super) fn entries_described(&mut self, key: &str, what: &str) -> Vec<Reader<'a>> {
        let path = self.path_of(key);
        let items = match self.raw(key) {
            None => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.diag.report(&path, expected(what, other));
                return Vec::new();
            }
        };
        let names: Vec<Option<&str>> = items.iter().map(entry_name).collect();
        let labels = entry_labels(&path, &names);
        let mut readers = Vec::new();
        for (item, label) in items.iter().zip(labels) {
            match item {
                Value::Table(t) => readers.push(Reader::new(t, label, self.diag)),
                other => self.diag.report(label, expected("a table", other)),
            }
        }
        readers
    }

    /// Reports every key of this table that was never asked for, with a suggestion.
    pub(super) fn finish(self) {
        let known: Vec<&str> = self.known.iter().map(String::as_str).collect();
        for key in self.table.keys().filter(|k| !self.known.contains(*k)) {
            let list = known.join(", ");
            let message = match did_you_mean(key, &known) {
                Some(hint) => format!("unknown key\n{hint}\nknown keys: {list}"),
                None if known.is_empty() => "unknown key; this table takes no keys".to_string(),
                None => format!("unknown key\nknown keys: {list}"),
            };
            self.diag.report(self.path_of(key), message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_use_unique_names_else_indices() {
        let labels = entry_labels("alarms", &[Some("A"), None, Some("B"), Some("B")]);
        assert_eq!(labels, ["alarms.A", "alarms[1]", "alarms[2]", "alarms[3]"]);
    }

    #[test]
    fn converters_describe_what_they_found() {
        let e = as_count(&Value::String("two".into())).unwrap_err();
        assert_eq!(e, "expected a whole number ≥ 0, found the string \"two\"");
        assert!(as_count(&Value::Integer(-1)).is_err());
        assert_eq!(as_duration(&Value::Integer(90)), Ok(90_000));
        assert!(
            as_duration(&Value::String("5x".into()))
                .unwrap_err()
                .contains("not a duration")
        );
        assert!(as_number(&Value::Float(f64::NAN)).is_err());
    }
}
