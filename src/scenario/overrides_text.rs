//! `--set key=value` overrides written into the scenario's own text: the file a person would
//! have written by hand, comments, order and layout kept, so that the playground can show and
//! hand out "this scenario, at 60%" as a file that `asgsim run` reads to the same run.
//!
//! The keys are those of `--set` (dotted paths, entries of arrays of tables by their `name`
//! or by index); this module only edits text, so an override is first checked by
//! [`super::parse_scenario`] and then written here.

use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

/// One segment of a key: `alarms`, `HighCPU` or `step_adjustments[0]`.
type Segment<'k> = (&'k str, Option<usize>);

/// The scenario `text` with every override of `overrides` written in (in order, a later one
/// winning), each value replacing the old one in place with its trailing comment kept, a
/// missing key added to its table.
///
/// # Errors
///
/// The override and what is wrong, when the text is not TOML or an override names no place
/// in it (a key path through a value that is not a table, an entry that does not exist).
pub fn apply_overrides_to_text(text: &str, overrides: &[String]) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("the scenario is not TOML: {e}"))?;
    for text in overrides {
        let Some((key, value)) = text.split_once('=') else {
            return Err(format!("--set {text}: expected KEY=VALUE"));
        };
        let key = key.trim();
        let parts = segments(key).map_err(|e| format!("--set {key}: {e}"))?;
        set_in(doc.as_table_mut(), &parts, parse_value(value))
            .map_err(|e| format!("--set {key}: {e}"))?;
        replace_load_source(doc.as_table_mut(), key);
    }
    Ok(doc.to_string())
}

/// The value as `--set` reads it: TOML if it parses as a value, else the text as a string.
fn parse_value(text: &str) -> Value {
    let text = text.trim();
    text.parse::<Value>()
        .unwrap_or_else(|_| Value::from(text.to_string()))
}

/// `[load]` takes one of `trace` or `pattern`, as `--set` swaps them.
fn replace_load_source(root: &mut Table, key: &str) {
    let other = if key == "load.trace" {
        "pattern"
    } else if key == "load.pattern" || key.starts_with("load.pattern.") {
        "trace"
    } else {
        return;
    };
    if let Some(load) = root.get_mut("load").and_then(Item::as_table_like_mut) {
        load.remove(other);
    }
}

fn segments(key: &str) -> Result<Vec<Segment<'_>>, String> {
    key.split('.')
        .map(
            |part| match part.strip_suffix(']').and_then(|p| p.split_once('[')) {
                Some((name, index)) => index
                    .trim()
                    .parse()
                    .map(|i| (name.trim(), Some(i)))
                    .map_err(|_| format!("[{index}] is not an index")),
                None if part.trim().is_empty() => Err("a part of the key is empty".to_string()),
                None => Ok((part.trim(), None)),
            },
        )
        .collect()
}

/// Sets the value at the key `parts` under `table`, creating missing tables as `--set` does.
fn set_in(table: &mut dyn TableLike, parts: &[Segment<'_>], value: Value) -> Result<(), String> {
    let Some((&(name, index), rest)) = parts.split_first() else {
        return Err("the key is empty".to_string());
    };
    if rest.is_empty() && index.is_none() {
        set_value(table, name, value);
        return Ok(());
    }
    if table.get(name).is_none() {
        table.insert(name, Item::Table(Table::new()));
    }
    let item = table
        .get_mut(name)
        .ok_or_else(|| format!("{name} cannot be reached"))?;
    if let Some(i) = index {
        if rest.is_empty() {
            let slot = item
                .as_array_mut()
                .and_then(|a| a.get_mut(i))
                .ok_or_else(|| format!("{name}[{i}] is not an entry of an array of values"))?;
            replace_keeping_decor(slot, value);
            return Ok(());
        }
        return set_in(element(item, i)?, rest, value);
    }
    if item.is_array_of_tables() || item.is_array() {
        // The next segment names an entry, as `alarms.HighCPU` does.
        let (&(entry, entry_index), after) = rest.split_first().expect("rest is not empty");
        if entry_index.is_some() || after.is_empty() {
            return Err(format!("{name}.{entry} names an entry, not a key in it"));
        }
        let position =
            named_entry(item, entry).ok_or_else(|| format!("{name} has no entry named {entry}"))?;
        return set_in(element(item, position)?, after, value);
    }
    let inner = item
        .as_table_like_mut()
        .ok_or_else(|| format!("{name} is a value, not a table"))?;
    set_in(inner, rest, value)
}

/// Sets `name` in `table`, replacing an old value in place (its spacing and trailing comment
/// kept) or adding the key at the table's end.
fn set_value(table: &mut dyn TableLike, name: &str, value: Value) {
    match table.get_mut(name).and_then(Item::as_value_mut) {
        Some(old) => replace_keeping_decor(old, value),
        None => {
            table.insert(name, Item::Value(value));
        }
    }
}

fn replace_keeping_decor(old: &mut Value, value: Value) {
    let decor = old.decor().clone();
    *old = value;
    *old.decor_mut() = decor;
}

/// Entry `i` of an array of tables (`[[alarms]]`) or of an array of inline tables.
fn element(item: &mut Item, i: usize) -> Result<&mut dyn TableLike, String> {
    let found: Option<&mut dyn TableLike> = match item {
        Item::ArrayOfTables(entries) => entries.get_mut(i).map(|t| t as &mut dyn TableLike),
        Item::Value(Value::Array(entries)) => entries
            .get_mut(i)
            .and_then(Value::as_inline_table_mut)
            .map(|t| t as &mut dyn TableLike),
        _ => {
            return Err(
                "an index or an entry name is given for a value that is not an array".into(),
            );
        }
    };
    found.ok_or_else(|| format!("entry [{i}] is out of range or not a table"))
}

/// The position of the entry named `name` in an array of tables or of inline tables.
fn named_entry(item: &Item, name: &str) -> Option<usize> {
    let is_named = |n: Option<&str>| n == Some(name);
    match item {
        Item::ArrayOfTables(entries) => entries
            .iter()
            .position(|t| is_named(t.get("name").and_then(Item::as_str))),
        Item::Value(Value::Array(entries)) => entries.iter().position(|v| {
            is_named(
                v.as_inline_table()
                    .and_then(|t| t.get("name"))
                    .and_then(Value::as_str),
            )
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, overrides: &[&str]) -> String {
        let owned: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        apply_overrides_to_text(text, &owned).unwrap()
    }

    #[test]
    fn values_change_in_place_with_their_comments() {
        let text = "# top\n[group]\nmax_size = 6   # at most\nmin_size = 2\n\n[[alarms]]\nname = \"High\"\nthreshold = 75\n[[alarms]]\nname = \"Low\"\nthreshold = 30\n";
        let out = apply(
            text,
            &[
                "group.max_size=8",
                "alarms.Low.threshold=25",
                "alarms[0].period=120s",
            ],
        );
        assert_eq!(
            out,
            "# top\n[group]\nmax_size = 8   # at most\nmin_size = 2\n\n[[alarms]]\nname = \"High\"\nthreshold = 75\nperiod = \"120s\"\n[[alarms]]\nname = \"Low\"\nthreshold = 25\n"
        );
    }

    #[test]
    fn inline_tables_and_arrays_of_them_are_edited_inline() {
        let text = "[launch_template]\nboot_time = { distribution = \"lognormal\", median = \"90s\", p95 = \"150s\" }\n[[scaling_policies]]\nname = \"s\"\nstep_adjustments = [{ metric_interval_lower_bound = 0, scaling_adjustment = 1 }]\n";
        let out = apply(
            text,
            &[
                "launch_template.boot_time.median=60s",
                "scaling_policies.s.step_adjustments[0].scaling_adjustment=3",
            ],
        );
        assert!(out.contains("median = \"60s\", p95"), "{out}");
        assert!(out.contains("scaling_adjustment = 3 }]"), "{out}");
    }

    #[test]
    fn missing_tables_are_created_and_a_trace_replaces_a_pattern() {
        let out = apply(
            "seed = 7\n[load]\npattern = { kind = \"constant\", rate = 5 }\n",
            &["seed=8", "group.max_size=3", "load.trace=t.csv"],
        );
        let table: toml::Table = out.parse().unwrap();
        assert_eq!(table["seed"].as_integer(), Some(8));
        assert_eq!(table["group"]["max_size"].as_integer(), Some(3));
        assert_eq!(table["load"].get("pattern"), None);
        assert_eq!(table["load"]["trace"].as_str(), Some("t.csv"));
    }

    #[test]
    fn names_that_reach_nothing_are_errors() {
        let fail = |o: &str| {
            apply_overrides_to_text("[[alarms]]\nname = \"A\"\nx = 1\n", &[o.to_string()])
        };
        assert!(
            fail("alarms.B.x=1")
                .unwrap_err()
                .contains("no entry named B")
        );
        assert!(fail("alarms[4].x=1").unwrap_err().contains("out of range"));
        assert!(fail("alarms.A.x.y=1").unwrap_err().contains("not a table"));
    }
}
