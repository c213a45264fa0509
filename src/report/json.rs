//! JSON files and printouts with numbers as people write them: by the rule of the CSV
//! tables (costs \[USD\] to 6 decimals, every other figure to at most 4), so that
//! `summary.json` says `0.8631`, never `0.8630999999999995`.

use serde_json::Value;

use super::format::{push_cost, push_quantity};
use crate::records::{Elasticity, Summary};

/// `summary.json`'s bytes: the summary with its figures rounded, keys in field order.
pub(crate) fn summary(summary: &Summary) -> Vec<u8> {
    let q = |x: f64| round_f64(x, false);
    let e = &summary.elasticity;
    let rounded = Summary {
        scenario: summary.scenario.clone(),
        duration_s: q(summary.duration_s),
        cost_usd: round_f64(summary.cost_usd, true),
        instance_hours: q(summary.instance_hours),
        mean_in_service: q(summary.mean_in_service),
        requests_total: q(summary.requests_total),
        requests_dropped: q(summary.requests_dropped),
        slo_violation_s: q(summary.slo_violation_s),
        elasticity: Elasticity {
            accuracy_under: q(e.accuracy_under),
            accuracy_over: q(e.accuracy_over),
            timeshare_under: q(e.timeshare_under),
            timeshare_over: q(e.timeshare_over),
            instability: q(e.instability),
            jitter: q(e.jitter),
        },
        ..*summary
    };
    // A Value would sort the keys; the struct keeps summary.json's order.
    let mut bytes = serde_json::to_vec_pretty(&rounded)
        .expect("a Summary has only string keys and always serializes");
    bytes.push(b'\n');
    bytes
}

/// `value` as pretty JSON with a final line break, its numbers rounded (see the module docs).
pub(crate) fn pretty(mut value: Value) -> Vec<u8> {
    round(&mut value, false);
    let mut bytes = serde_json::to_vec_pretty(&value).expect("a JSON value always serializes");
    bytes.push(b'\n');
    bytes
}

/// A CSV table (`compare.csv`, `results.csv`) as pretty JSON: an array with one object per
/// row, keyed by the header. A cell in JSON's number syntax is a number (the tables have
/// already rounded it), an empty cell is null, and anything else a string, except the
/// `scenario` and `file` columns, which are always strings.
pub(crate) fn table(csv: &[u8]) -> Result<Vec<u8>, csv::Error> {
    let mut reader = csv::Reader::from_reader(csv);
    let header = reader.headers()?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        let row = header
            .iter()
            .zip(record.iter())
            .map(|(key, cell)| (key.to_string(), cell_value(key, cell)))
            .collect();
        rows.push(OrderedRow(row));
    }
    let mut bytes = serde_json::to_vec_pretty(&rows).expect("a JSON value always serializes");
    bytes.push(b'\n');
    Ok(bytes)
}

/// An object whose keys keep the table's column order (a `serde_json::Map` sorts them).
struct OrderedRow(Vec<(String, Value)>);

impl serde::Serialize for OrderedRow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

fn cell_value(key: &str, cell: &str) -> Value {
    if key == "scenario" || key == "file" {
        return Value::String(cell.to_string());
    }
    if cell.is_empty() {
        return Value::Null;
    }
    match serde_json::from_str::<serde_json::Number>(cell) {
        Ok(n) => Value::Number(n),
        Err(_) => Value::String(cell.to_string()),
    }
}

/// Rounds every float in `value`: as a cost under a key ending in `_usd` (or in an object
/// whose `figure` is one), else as a quantity. Integers stay as they are.
pub(crate) fn round(value: &mut Value, cost: bool) {
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(x) = n.as_f64() {
                *value = rounded(x, cost);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| round(v, cost)),
        Value::Object(map) => {
            let figure_is_cost = map
                .get("figure")
                .and_then(Value::as_str)
                .is_some_and(|f| f.ends_with("_usd"));
            for (key, child) in map.iter_mut() {
                round(child, cost || figure_is_cost || key.ends_with("_usd"));
            }
        }
        _ => {}
    }
}

/// `x` rounded as the CSV tables write it, as a JSON number (non-finite values, which JSON
/// cannot hold, become null as serde_json writes them).
fn rounded(x: f64, cost: bool) -> Value {
    serde_json::Number::from_f64(round_f64(x, cost)).map_or(Value::Null, Value::Number)
}

/// `x` rounded as the CSV tables write it: the nearest double to the written decimals.
fn round_f64(x: f64, cost: bool) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let mut text = Vec::with_capacity(24);
    if cost {
        push_cost(&mut text, x);
    } else {
        push_quantity(&mut text, x);
    }
    std::str::from_utf8(&text)
        .ok()
        .and_then(|t| t.parse::<f64>().ok())
        .unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_are_rounded_as_the_tables_write_them() {
        let doc = json!({
            "mean_in_service": 0.8630999999999995,
            "cost_usd": 1.23456789,
            "runs": 5,
            "a_estimate": {"figure": "fixed_cost_usd", "mean": 0.1234567, "ci95": [0.11111111, 0.2]},
            "other": {"figure": "slo_violation_pct", "mean": 0.123456},
            "duration_s": 86400.0,
        });
        let text = String::from_utf8(pretty(doc)).unwrap();
        for expected in [
            "\"mean_in_service\": 0.8631",
            "\"cost_usd\": 1.234568",
            "\"runs\": 5",
            "\"mean\": 0.123457",
            "0.111111",
            "\"mean\": 0.1235\n",
            "\"duration_s\": 86400.0",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn tables_become_arrays_of_objects() {
        let csv = b"scenario,file,seed,parameter_x,cost_usd,ci\n7,a.toml,3,120s,0.096000,\n";
        let bytes = table(csv).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            text.find("\"seed\"") < text.find("\"cost_usd\""),
            "column order: {text}"
        );
        let json: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            json,
            json!([{"scenario": "7", "file": "a.toml", "seed": 3, "parameter_x": "120s",
                     "cost_usd": 0.096, "ci": null}])
        );
    }

    /// Every float of summary.json is rounded, whatever field it is in.
    #[test]
    fn summary_json_has_no_long_decimals() {
        let ugly = 0.8630999999999995;
        let e = Elasticity {
            accuracy_under: ugly,
            accuracy_over: ugly,
            timeshare_under: ugly,
            timeshare_over: ugly,
            instability: ugly,
            jitter: ugly,
        };
        let s = Summary {
            scenario: "s".into(),
            seed: 1,
            duration_s: ugly,
            cost_usd: 0.1 + 0.2,
            instance_hours: ugly,
            mean_in_service: ugly,
            max_in_service: 3,
            scale_out_activities: 1,
            scale_in_activities: 1,
            replaced_unhealthy: 0,
            requests_total: ugly,
            requests_dropped: ugly,
            slo_violation_s: ugly,
            instances_launched: 3,
            cpu_over: Default::default(),
            elasticity: e,
        };
        let text = String::from_utf8(summary(&s)).unwrap();
        assert!(!text.contains("0.8630999"), "{text}");
        assert!(text.contains("\"cost_usd\": 0.3,"), "{text}");
        for token in text.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
            if let Some((_, decimals)) = token.split_once('.') {
                assert!(decimals.len() <= 6, "{token} in {text}");
            }
        }
        // Keys keep the field order.
        assert!(text.find("\"scenario\"") < text.find("\"cost_usd\""));
    }
}
