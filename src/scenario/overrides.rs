//! `--set key=value` overrides, applied to the parsed TOML table before validation.
//!
//! Keys are dotted paths (`group.max_size`); entries of arrays of tables are addressed by
//! their `name` (`alarms.HighCPU.threshold`) or by index (`alarms\[0\].threshold`). Missing
//! intermediate tables are created. The value is read as a TOML value when it parses as one
//! (`80`, `true`, `"x"`, `\[1, 2\]`, `{ kind = "constant", rate = 5 }`), else as a string (so
//! `120s` is the string `"120s"`).

use toml::{Table, Value};

use super::Problem;
use super::fields::{describe, entry_labels, entry_name, join};
use crate::suggest::did_you_mean;

/// Top-level keys that hold arrays of tables: a missing one is not created as a table.
const ARRAYS_OF_TABLES: [&str; 5] = [
    "alarms",
    "scaling_policies",
    "events",
    "scheduled_actions",
    "lifecycle_hooks",
];

/// Applies every override in order. Returns the canonical key paths that were set (as the
/// validator names them) and a problem, located `--set <key>`, for each malformed override;
/// a malformed override changes nothing.
pub(super) fn apply_all(table: &mut Table, overrides: &[String]) -> (Vec<String>, Vec<Problem>) {
    let mut applied = Vec::new();
    let mut problems = Vec::new();
    for text in overrides {
        let Some((key, value)) = text.split_once('=') else {
            problems.push(Problem {
                key: format!("--set {text}"),
                position: None,
                message: "expected KEY=VALUE, such as group.max_size=10".to_string(),
            });
            continue;
        };
        let key = key.trim();
        let before = table.clone();
        match apply_one(table, key, parse_value(value)) {
            Ok(path) => {
                replace_load_source(table, &path);
                applied.push(path);
            }
            Err(message) => {
                *table = before;
                let shown = if key.is_empty() { text.as_str() } else { key };
                problems.push(Problem {
                    key: format!("--set {shown}"),
                    position: None,
                    message,
                });
            }
        }
    }
    (applied, problems)
}

/// `[load]` takes one of `trace` or `pattern`: setting one removes the other, so that
/// `--set load.trace=week.csv` swaps an imported scenario's placeholder pattern for real data.
fn replace_load_source(table: &mut Table, path: &str) {
    let other = if path == "load.trace" {
        "pattern"
    } else if path == "load.pattern" || path.starts_with("load.pattern.") {
        "trace"
    } else {
        return;
    };
    if let Some(Value::Table(load)) = table.get_mut("load") {
        load.remove(other);
    }
}

/// The value of an override: a TOML value if it parses as one, else the text as a string.
pub(super) fn parse_value(text: &str) -> Value {
    let text = text.trim();
    text.parse::<Value>()
        .unwrap_or_else(|_| Value::String(text.to_string()))
}

/// One segment of a key: `alarms` or `alarms\[2\]`.
#[derive(Debug)]
struct Segment<'k> {
    name: &'k str,
    index: Option<usize>,
}

fn parse_key(key: &str) -> Result<Vec<Segment<'_>>, String> {
    if key.is_empty() {
        return Err("the key is empty; expected KEY=VALUE, such as group.max_size=10".to_string());
    }
    key.split('.')
        .map(|part| {
            let (name, index) = match part.strip_suffix(']').and_then(|p| p.split_once('[')) {
                Some((name, idx)) => {
                    let i = idx.trim().parse::<usize>().map_err(|_| {
                        format!("[{idx}] is not an index; write a whole number such as [0]")
                    })?;
                    (name.trim(), Some(i))
                }
                None => (part.trim(), None),
            };
            if name.is_empty() {
                return Err(format!(
                    "the key {key:?} has an empty part; write dotted names such as group.max_size"
                ));
            }
            Ok(Segment { name, index })
        })
        .collect()
}

/// Sets `key` to `value`; returns the canonical path that was set.
fn apply_one(root: &mut Table, key: &str, value: Value) -> Result<String, String> {
    let segments = parse_key(key)?;
    let first = &segments[0];
    if !root.contains_key(first.name)
        && ARRAYS_OF_TABLES.contains(&first.name)
        && (segments.len() > 1 || first.index.is_some())
    {
        return Err(format!(
            "the scenario has no [[{}]] entries, so {key} names none",
            first.name
        ));
    }
    let mut path = first.name.to_string();
    let mut current = root
        .entry(first.name)
        .or_insert_with(|| Value::Table(Table::new()));
    current = index_into(current, first.index, &mut path)?;
    for segment in &segments[1..] {
        current = match current {
            Value::Table(t) => {
                path = join(&path, segment.name);
                t.entry(segment.name)
                    .or_insert_with(|| Value::Table(Table::new()))
            }
            Value::Array(items) => {
                let pos = find_entry(items, segment.name, &path)?;
                path = entry_label(items, pos, &path);
                &mut items[pos]
            }
            other => {
                return Err(format!(
                    "{path} is {}, not a table, so it has no key {}",
                    describe(other),
                    segment.name
                ));
            }
        };
        current = index_into(current, segment.index, &mut path)?;
    }
    *current = value;
    Ok(path)
}

/// `value\[index\]` when an index is given, extending `path`.
fn index_into<'t>(
    value: &'t mut Value,
    index: Option<usize>,
    path: &mut String,
) -> Result<&'t mut Value, String> {
    let Some(i) = index else {
        return Ok(value);
    };
    match value {
        Value::Array(items) => {
            if i >= items.len() {
                return Err(format!(
                    "{path} has {} entries; [{i}] is out of range",
                    items.len()
                ));
            }
            *path = entry_label(items, i, path);
            Ok(&mut items[i])
        }
        other => Err(format!("{path} is {}, not an array", describe(other))),
    }
}

fn entry_names(items: &[Value]) -> Vec<Option<&str>> {
    items.iter().map(entry_name).collect()
}

fn entry_label(items: &[Value], pos: usize, path: &str) -> String {
    entry_labels(path, &entry_names(items)).swap_remove(pos)
}

/// The position of the one entry of `items` named `name`.
fn find_entry(items: &[Value], name: &str, path: &str) -> Result<usize, String> {
    let names = entry_names(items);
    let matches: Vec<usize> = (0..items.len())
        .filter(|i| names[*i] == Some(name))
        .collect();
    match matches[..] {
        [pos] => Ok(pos),
        [] => {
            let known: Vec<&str> = names.iter().flatten().copied().collect();
            if known.is_empty() {
                return Err(format!(
                    "{path} has no entry named {name}; its entries have no names (address them by index, such as {path}[0])"
                ));
            }
            let hint = did_you_mean(name, &known)
                .map(|d| format!("\n{d}"))
                .unwrap_or_default();
            Err(format!(
                "{path} has no entry named {name}{hint}\nthe names are: {}",
                known.join(", ")
            ))
        }
        _ => Err(format!(
            "{} entries of {path} are named {name}; address one by index, such as {path}[{}]",
            matches.len(),
            matches[0]
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        text.parse().unwrap()
    }

    fn set(t: &mut Table, overrides: &[&str]) -> (Vec<String>, Vec<Problem>) {
        let owned: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        apply_all(t, &owned)
    }

    #[test]
    fn values_parse_as_toml_else_as_strings() {
        assert_eq!(parse_value("80"), Value::Integer(80));
        assert_eq!(parse_value("true"), Value::Boolean(true));
        assert_eq!(parse_value("\"x\""), Value::String("x".into()));
        assert_eq!(parse_value("120s"), Value::String("120s".into()));
        assert!(matches!(parse_value("[1, 2]"), Value::Array(a) if a.len() == 2));
        let t = parse_value("{ kind = \"constant\", rate = 5 }");
        assert_eq!(t.get("rate"), Some(&Value::Integer(5)));
    }

    #[test]
    fn a_load_source_replaces_the_other() {
        let mut t = table("[load]\npattern = { kind = \"constant\", rate = 5 }\nscale = 2\n");
        let (_, problems) = set(&mut t, &["load.trace=-"]);
        assert!(problems.is_empty());
        let load = t["load"].as_table().unwrap();
        assert_eq!(load.get("trace"), Some(&Value::String("-".into())));
        assert!(load.get("pattern").is_none());
        assert_eq!(load.get("scale"), Some(&Value::Integer(2)));
        set(&mut t, &["load.pattern={ kind = \"constant\", rate = 7 }"]);
        let load = t["load"].as_table().unwrap();
        assert!(load.get("trace").is_none() && load.get("pattern").is_some());
    }

    #[test]
    fn sets_by_path_and_by_entry_name() {
        let mut t = table(
            "[group]\nmax_size = 3\n[[alarms]]\nname = \"High\"\nthreshold = 1\n[[alarms]]\nname = \"Low\"\n",
        );
        let (paths, problems) = set(
            &mut t,
            &[
                "group.max_size=10",
                "alarms.High.threshold=80",
                "alarms[1].period=120s",
                "load.pattern.peak=900",
            ],
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            paths,
            [
                "group.max_size",
                "alarms.High.threshold",
                "alarms.Low.period",
                "load.pattern.peak"
            ]
        );
        assert_eq!(t["group"]["max_size"], Value::Integer(10));
        assert_eq!(t["alarms"][0]["threshold"], Value::Integer(80));
        assert_eq!(t["alarms"][1]["period"], Value::String("120s".into()));
        assert_eq!(t["load"]["pattern"]["peak"], Value::Integer(900));
    }

    #[test]
    fn a_trace_replaces_a_pattern_and_a_pattern_a_trace() {
        let mut t = table("[load]\npattern = { kind = \"constant\", rate = 5 }\nscale = 2\n");
        let (_, problems) = set(&mut t, &["load.trace=week.csv"]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(t["load"].get("pattern"), None);
        assert_eq!(t["load"]["trace"], Value::String("week.csv".into()));
        assert_eq!(t["load"]["scale"], Value::Integer(2), "other keys stay");
        set(&mut t, &["load.pattern={ kind = \"constant\", rate = 7 }"]);
        assert_eq!(t["load"].get("trace"), None);
        set(
            &mut t,
            &[
                "load.trace=a.csv",
                "load.pattern.kind=constant",
                "load.pattern.rate=3",
            ],
        );
        assert_eq!(t["load"].get("trace"), None);
        assert_eq!(t["load"]["pattern"]["rate"], Value::Integer(3));
    }

    #[test]
    fn malformed_overrides_are_problems_and_change_nothing() {
        let mut t = table("[group]\nmax_size = 3\n[[alarms]]\nname = \"High\"\n");
        let before = t.clone();
        let (paths, problems) = set(
            &mut t,
            &[
                "group.max_size",
                "=5",
                "alarms.Hihg.threshold=1",
                "group.max_size.x=1",
                "events.a.at=1",
                "a..b=1",
                "alarms[3].x=1",
            ],
        );
        assert!(paths.is_empty());
        assert_eq!(t, before);
        let locations: Vec<String> = problems.iter().map(|p| p.location()).collect();
        assert_eq!(
            locations,
            [
                "--set group.max_size",
                "--set =5",
                "--set alarms.Hihg.threshold",
                "--set group.max_size.x",
                "--set events.a.at",
                "--set a..b",
                "--set alarms[3].x"
            ]
        );
        assert!(
            problems[2].message.contains("did you mean High?"),
            "{}",
            problems[2].message
        );
        assert!(problems[2].message.contains("the names are: High"));
    }
}
