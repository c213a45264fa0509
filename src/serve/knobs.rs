//! The playground's controls: the main knobs of one scenario, each named by its `--set` key
//! (`alarms.HighCPU.threshold`), with its value in the file and a range a slider can span.
//! Built from the scenario's own TOML, so that only the keys it has (and the group's, which
//! always apply) are offered, and the page writes back exactly what `--set` reads.

use serde::Serialize;
use toml::{Table, Value};

use crate::time::parse_duration;

/// One control.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Knob {
    /// The `--set` key.
    pub(crate) key: String,
    /// The heading it is shown under: `Group`, `Alarm HighCPU`, `Policy scale-out`, ….
    pub(crate) section: String,
    /// Its label: the key's last part, in words.
    pub(crate) label: String,
    /// `int`, `number` or `duration` (a count of seconds, written back as `120s`).
    pub(crate) kind: &'static str,
    /// The value in the file (seconds for a duration).
    pub(crate) value: f64,
    /// The slider's range and step.
    pub(crate) min: f64,
    /// Upper end.
    pub(crate) max: f64,
    /// Step.
    pub(crate) step: f64,
}

/// The knobs of the scenario whose TOML is `table` (before any override).
pub(crate) fn knobs(table: &Table) -> Vec<Knob> {
    let mut out = Vec::new();
    group_knobs(table, &mut out);
    entry_knobs(table, "alarms", "Alarm", &mut out, alarm_knobs);
    entry_knobs(table, "scaling_policies", "Policy", &mut out, policy_knobs);
    let seed = table.get("seed").and_then(Value::as_integer).unwrap_or(0) as f64;
    out.push(knob(
        "seed",
        "Run",
        "int",
        seed,
        0.0,
        seed.max(100.0) * 2.0,
        1.0,
    ));
    out
}

fn knob(
    key: &str,
    section: &str,
    kind: &'static str,
    value: f64,
    min: f64,
    max: f64,
    step: f64,
) -> Knob {
    let label = key.rsplit('.').next().unwrap_or(key).replace('_', " ");
    Knob {
        key: key.to_string(),
        section: section.to_string(),
        label,
        kind,
        value,
        min: min.min(value),
        max: max.max(value),
        step,
    }
}

/// A duration knob spanning 0 to three times its value (at least 10 minutes).
fn duration_knob(key: &str, section: &str, seconds: f64) -> Knob {
    let step = if seconds >= 60.0 { 10.0 } else { 1.0 };
    knob(
        key,
        section,
        "duration",
        seconds,
        0.0,
        (seconds * 3.0).max(600.0),
        step,
    )
}

/// The value of `v` in seconds, if it is a duration.
fn seconds(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(n) => Some(*n as f64),
        Value::Float(f) => Some(*f),
        Value::String(s) => parse_duration(s).ok().map(|ms| ms as f64 / 1000.0),
        _ => None,
    }
}

fn number(v: &Value) -> Option<f64> {
    v.as_integer().map(|n| n as f64).or_else(|| v.as_float())
}

fn group_knobs(table: &Table, out: &mut Vec<Knob>) {
    let empty = Table::new();
    let group = table
        .get("group")
        .and_then(Value::as_table)
        .unwrap_or(&empty);
    let int = |k: &str| group.get(k).and_then(Value::as_integer);
    let max_size = int("max_size").unwrap_or(1) as f64;
    let top = (max_size * 2.0).max(10.0);
    for name in ["min_size", "max_size", "desired_capacity"] {
        if let Some(v) = int(name).or(if name == "desired_capacity" {
            int("min_size")
        } else {
            None
        }) {
            out.push(knob(
                &format!("group.{name}"),
                "Group",
                "int",
                v as f64,
                0.0,
                top,
                1.0,
            ));
        }
    }
    // The scenario format's defaults, which are CreateAutoScalingGroup's: a 300 s cooldown,
    // no grace period, no default warm-up (left out: setting one changes the warm-up rules).
    let defaults = [
        ("default_cooldown", Some(300.0)),
        ("health_check_grace_period", Some(0.0)),
        ("default_instance_warmup", None),
    ];
    for (name, default) in defaults {
        let value = group.get(name).and_then(seconds).or(default);
        if let Some(v) = value {
            out.push(duration_knob(&format!("group.{name}"), "Group", v));
        }
    }
    let template = table
        .get("launch_template")
        .and_then(Value::as_table)
        .unwrap_or(&empty);
    match template.get("boot_time") {
        Some(Value::Table(boot)) => {
            for part in ["value", "min", "max", "median", "p95"] {
                if let Some(v) = boot.get(part).and_then(seconds) {
                    let key = format!("launch_template.boot_time.{part}");
                    let mut k = duration_knob(&key, "Instances", v);
                    k.label = format!("boot time {part}");
                    out.push(k);
                }
            }
        }
        Some(v) => {
            if let Some(s) = seconds(v) {
                out.push(duration_knob("launch_template.boot_time", "Instances", s));
            }
        }
        None => {}
    }
}

/// Knobs of each named entry of the array of tables `array`.
fn entry_knobs(
    table: &Table,
    array: &str,
    section: &str,
    out: &mut Vec<Knob>,
    each: fn(&str, &str, &Table, &mut Vec<Knob>),
) {
    let Some(entries) = table.get(array).and_then(Value::as_array) else {
        return;
    };
    for (i, entry) in entries.iter().enumerate() {
        let Some(entry) = entry.as_table() else {
            continue;
        };
        let name = entry.get("name").and_then(Value::as_str);
        let prefix = match name {
            Some(n) if !n.contains(['.', '[', ']', '=']) => format!("{array}.{n}"),
            _ => format!("{array}[{i}]"),
        };
        let heading = format!("{section} {}", name.map_or(i.to_string(), str::to_string));
        each(&prefix, &heading, entry, out);
    }
}

fn alarm_knobs(prefix: &str, section: &str, alarm: &Table, out: &mut Vec<Knob>) {
    if let Some(t) = alarm.get("threshold").and_then(number) {
        let cpu = alarm
            .get("metric_name")
            .and_then(Value::as_str)
            .is_none_or(|m| m == "CPUUtilization");
        let top = if cpu && t <= 100.0 {
            100.0
        } else {
            (t * 2.0).max(1.0)
        };
        let step = if top <= 100.0 {
            1.0
        } else {
            (top / 100.0).round().max(1.0)
        };
        out.push(knob(
            &format!("{prefix}.threshold"),
            section,
            "number",
            t,
            0.0,
            top,
            step,
        ));
    }
    for name in ["evaluation_periods", "datapoints_to_alarm"] {
        if let Some(n) = alarm.get(name).and_then(Value::as_integer) {
            let top = (n as f64 * 2.0).max(10.0);
            out.push(knob(
                &format!("{prefix}.{name}"),
                section,
                "int",
                n as f64,
                1.0,
                top,
                1.0,
            ));
        }
    }
    if let Some(p) = alarm.get("period").and_then(seconds) {
        // CloudWatch periods: 10 s, 30 s or a multiple of 60 s.
        out.push(knob(
            &format!("{prefix}.period"),
            section,
            "duration",
            p,
            60.0,
            (p * 5.0).max(600.0),
            60.0,
        ));
    }
}

fn policy_knobs(prefix: &str, section: &str, policy: &Table, out: &mut Vec<Knob>) {
    if let Some(a) = policy.get("scaling_adjustment").and_then(Value::as_integer) {
        let span = (a.unsigned_abs() as f64 * 3.0).max(5.0);
        out.push(knob(
            &format!("{prefix}.scaling_adjustment"),
            section,
            "int",
            a as f64,
            -span,
            span,
            1.0,
        ));
    }
    for name in ["cooldown", "estimated_instance_warmup"] {
        if let Some(s) = policy.get(name).and_then(seconds) {
            out.push(duration_knob(&format!("{prefix}.{name}"), section, s));
        }
    }
    let target = policy
        .get("target_tracking_configuration")
        .and_then(|t| t.get("target_value"))
        .and_then(number);
    if let Some(t) = target {
        let top = if t <= 100.0 { 100.0 } else { t * 2.0 };
        let key = format!("{prefix}.target_tracking_configuration.target_value");
        out.push(knob(&key, section, "number", t, 1.0, top, 1.0));
    }
    let steps = policy.get("step_adjustments").and_then(Value::as_array);
    for (i, step) in steps.into_iter().flatten().enumerate() {
        if let Some(a) = step.get("scaling_adjustment").and_then(Value::as_integer) {
            let span = (a.unsigned_abs() as f64 * 3.0).max(5.0);
            let key = format!("{prefix}.step_adjustments[{i}].scaling_adjustment");
            let mut k = knob(&key, section, "int", a as f64, -span, span, 1.0);
            k.label = format!("step {} adjustment", i + 1);
            out.push(k);
        }
    }
}

/// The `--set` text of a knob at `value`: durations as `120s`, numbers as written.
#[cfg(test)]
pub(crate) fn override_text(knob: &Knob, value: f64) -> String {
    let v = match knob.kind {
        "duration" => format!("{}s", value),
        _ => format!("{value}"),
    };
    format!("{}={v}", knob.key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_workflow_offers_its_main_knobs() {
        let text = std::fs::read_to_string("scenarios/seed-workflow.toml").unwrap();
        let all = knobs(&text.parse().unwrap());
        let keys: Vec<&str> = all.iter().map(|k| k.key.as_str()).collect();
        for key in [
            "group.min_size",
            "group.max_size",
            "group.desired_capacity",
            "group.default_cooldown",
            "group.health_check_grace_period",
            "launch_template.boot_time.median",
            "launch_template.boot_time.p95",
            "alarms.HighCPU.threshold",
            "alarms.HighCPU.evaluation_periods",
            "alarms.LowCPU.datapoints_to_alarm",
            "scaling_policies.scale-out.scaling_adjustment",
            "scaling_policies.scale-in.cooldown",
            "seed",
        ] {
            assert!(keys.contains(&key), "{key} missing from {keys:?}");
        }
        let high = all
            .iter()
            .find(|k| k.key == "alarms.HighCPU.threshold")
            .unwrap();
        assert_eq!((high.value, high.min, high.max), (75.0, 0.0, 100.0));
        let boot = all.iter().find(|k| k.key.ends_with("median")).unwrap();
        assert_eq!(
            override_text(boot, 60.0),
            "launch_template.boot_time.median=60s"
        );
    }

    #[test]
    fn target_tracking_and_steps_have_knobs() {
        let text = "[[scaling_policies]]\nname = \"tt\"\ntarget_tracking_configuration = { target_value = 50 }\nestimated_instance_warmup = \"120s\"\n[[scaling_policies]]\nname = \"st\"\nstep_adjustments = [{ scaling_adjustment = 1 }, { scaling_adjustment = 3 }]\n";
        let keys: Vec<String> = knobs(&text.parse().unwrap())
            .into_iter()
            .map(|k| k.key)
            .collect();
        assert!(keys.contains(
            &"scaling_policies.tt.target_tracking_configuration.target_value".to_string()
        ));
        assert!(keys.contains(&"scaling_policies.tt.estimated_instance_warmup".to_string()));
        assert!(
            keys.contains(
                &"scaling_policies.st.step_adjustments[1].scaling_adjustment".to_string()
            )
        );
    }
}

#[cfg(test)]
mod round_trip {
    use super::*;
    use crate::scenario::{apply_overrides_to_text, parse_scenario};

    /// Every knob of every bundled scenario, moved: the TOML with the override written in
    /// reads as the same scenario as the file with `--set`.
    #[test]
    fn overrides_written_into_the_text_read_as_the_same_scenario() {
        let mut files: Vec<_> = ["scenarios", "scenarios/imported"]
            .iter()
            .flat_map(|d| std::fs::read_dir(d).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        let mut checked = 0;
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let table: Table = text.parse().unwrap();
            if table.contains_key("parameters") {
                continue;
            }
            for knob in knobs(&table) {
                let moved = (knob.value + knob.step).min(knob.max);
                let set = vec![override_text(&knob, moved)];
                let Ok(with_set) = parse_scenario(&text, &path, &set) else {
                    continue;
                };
                let written = apply_overrides_to_text(&text, &set).unwrap();
                let read = parse_scenario(&written, &path, &[])
                    .unwrap_or_else(|e| panic!("{}: {set:?}: {e}\n{written}", path.display()));
                assert_eq!(read, with_set, "{}: {set:?}", path.display());
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} knobs checked");
    }
}
