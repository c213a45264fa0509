//! Whole scenarios: a full one, defaults, overrides, several problems at once.

use std::path::{Path, PathBuf};

use super::*;

/// The example scenario of the format's design, without the parts this version does not model.
pub(super) const FULL: &str = r#"
name = "seed-workflow"
description = "The seed workflow"
duration = "6h"
seed = 7
start_time = "2025-01-06T00:00:00Z"
sample_interval = "60s"

[group]
min_size = 2
max_size = 6
desired_capacity = 3
availability_zones = ["us-east-1a", "us-east-1b"]
default_cooldown = "300s"
default_instance_warmup = "300s"
health_check_type = "EC2"
health_check_grace_period = "300s"
termination_policies = ["OldestInstance", "Default"]
new_instances_protected_from_scale_in = false
max_instance_lifetime = "7d"

[launch_template]
instance_type = "m5.large"
price_per_hour = 0.096
capacity_rps = 100
idle_cpu_percent = 2.0
boot_time = { distribution = "lognormal", median = "90s", p95 = "150s" }

[load]
trace = "traces/example.csv"
scale = 1.0

[monitoring]
detailed = true
metric_delay = "120s"

[slo]
latency_ms = 200

[[alarms]]
name = "HighCPU"
metric_name = "CPUUtilization"
statistic = "Average"
period = "60s"
evaluation_periods = 2
datapoints_to_alarm = 2
threshold = 75
comparison_operator = "GreaterThanThreshold"
treat_missing_data = "missing"
alarm_actions = ["scale-out"]

[[alarms]]
name = "LowCPU"
metric_name = "CPUUtilization"
period = "5m"
evaluation_periods = 3
threshold = 20.5
comparison_operator = "LessThanThreshold"
alarm_actions = ["scale-in"]

[[scaling_policies]]
name = "scale-in"
adjustment_type = "PercentChangeInCapacity"
scaling_adjustment = -25
min_adjustment_magnitude = 1

[[scaling_policies]]
name = "scale-out"
policy_type = "SimpleScaling"
adjustment_type = "ChangeInCapacity"
scaling_adjustment = 2
cooldown = "300s"

[[scheduled_actions]]
name = "evening"
recurrence = "0 18 * * MON-FRI"
time_zone = "UTC"
desired_capacity = 2

[[events]]
at = "3h"
action = "set_desired_capacity"
value = 5

[[events]]
at = "1h"
action = "set_desired_capacity"
value = 4
"#;

/// The smallest valid scenario.
pub(super) const MINIMAL: &str = r#"
duration = "1h"

[group]
min_size = 1
max_size = 4

[launch_template]
capacity_rps = 50

[load]
pattern = { kind = "constant", rate = 10 }
"#;

pub(super) fn origin() -> PathBuf {
    PathBuf::from("scenarios/demo.toml")
}

pub(super) fn parse(text: &str, overrides: &[&str]) -> Result<Scenario, ScenarioError> {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    parse_scenario(text, &origin(), &overrides)
}

pub(super) fn problems(text: &str, overrides: &[&str]) -> Vec<Problem> {
    match parse(text, overrides) {
        Ok(s) => panic!("expected problems, parsed {s:#?}"),
        Err(e) => e.problems,
    }
}

#[test]
fn full_scenario_parses_to_the_values_written() {
    let s = parse(FULL, &[]).unwrap();
    assert_eq!(s.name, "seed-workflow");
    assert_eq!(s.description, "The seed workflow");
    assert_eq!(s.duration_ms, 6 * 3_600_000);
    assert_eq!(s.seed, 7);
    assert_eq!(s.start_time.to_string(), "2025-01-06T00:00:00Z");
    assert_eq!(s.sample_interval_ms, 60_000);
    let g = &s.group;
    assert_eq!((g.min_size, g.max_size, g.desired_capacity), (2, 6, 3));
    assert_eq!(g.availability_zones, ["us-east-1a", "us-east-1b"]);
    assert_eq!(g.default_cooldown_ms, 300_000);
    assert_eq!(g.default_instance_warmup_ms, Some(300_000));
    assert_eq!(g.health_check_type, HealthCheckType::Ec2);
    assert_eq!(g.health_check_grace_period_ms, 300_000);
    assert_eq!(
        g.termination_policies,
        [
            TerminationPolicy::OldestInstance,
            TerminationPolicy::Default
        ]
    );
    assert!(!g.new_instances_protected_from_scale_in);
    assert_eq!(g.max_instance_lifetime_ms, Some(7 * 86_400_000));
    let lt = &s.launch_template;
    assert_eq!(lt.instance_type, "m5.large");
    assert_eq!(lt.price_per_hour_usd, 0.096);
    assert_eq!(lt.capacity_rps, 100.0);
    assert_eq!(lt.idle_cpu_percent, 2.0);
    assert_eq!(
        lt.boot_time,
        BootTime::LogNormal {
            median_ms: 90_000,
            p95_ms: 150_000
        }
    );
    assert_eq!(
        s.load.source,
        LoadSource::Trace {
            path: Path::new("scenarios").join("traces/example.csv")
        }
    );
    assert_eq!(s.monitoring.metric_delay_ms, 120_000);
    assert!(s.monitoring.detailed);
    assert_eq!(s.slo.latency_ms, 200.0);
}

#[test]
fn full_scenario_alarms() {
    let s = parse(FULL, &[]).unwrap();
    let high = &s.alarms[0];
    assert_eq!(high.name, "HighCPU");
    assert_eq!(high.metric_name, MetricName::CpuUtilization);
    assert_eq!(high.statistic, Statistic::Average);
    assert_eq!(
        (
            high.period_ms,
            high.evaluation_periods,
            high.datapoints_to_alarm
        ),
        (60_000, 2, 2)
    );
    assert_eq!(high.threshold, 75.0);
    assert_eq!(
        high.comparison_operator,
        ComparisonOperator::GreaterThanThreshold
    );
    assert_eq!(high.treat_missing_data, TreatMissingData::Missing);
    assert_eq!(high.alarm_actions, [1], "scale-out is the second policy");
    let low = &s.alarms[1];
    assert_eq!(
        (
            low.period_ms,
            low.evaluation_periods,
            low.datapoints_to_alarm
        ),
        (300_000, 3, 3)
    );
    assert_eq!(low.threshold, 20.5);
    assert_eq!(low.alarm_actions, [0]);
}

#[test]
fn full_scenario_policies_and_events() {
    let s = parse(FULL, &[]).unwrap();
    assert_eq!(s.scaling_policies[0].name, "scale-in");
    assert_eq!(
        s.scaling_policies[0].kind,
        PolicyKind::Simple(SimplePolicy {
            adjustment_type: AdjustmentType::PercentChangeInCapacity,
            scaling_adjustment: -25,
            cooldown_ms: None,
            min_adjustment_magnitude: Some(1),
        })
    );
    assert_eq!(
        s.scaling_policies[1],
        PolicyConfig {
            name: "scale-out".into(),
            enabled: true,
            kind: PolicyKind::Simple(SimplePolicy {
                adjustment_type: AdjustmentType::ChangeInCapacity,
                scaling_adjustment: 2,
                cooldown_ms: Some(300_000),
                min_adjustment_magnitude: None,
            }),
        }
    );
    let at: Vec<u64> = s.events.iter().map(|e| e.at_ms).collect();
    assert_eq!(at, [3_600_000, 10_800_000], "events are sorted by time");
    assert_eq!(
        s.events[0].action,
        EventAction::SetDesiredCapacity { value: 4 }
    );
}

#[test]
fn defaults_apply_to_a_minimal_scenario() {
    let s = parse(MINIMAL, &[]).unwrap();
    assert_eq!(s.name, "demo", "the file stem");
    assert_eq!(s.description, "");
    assert_eq!(s.seed, 1);
    assert_eq!(s.start_time.to_string(), "2025-01-06T00:00:00Z");
    assert_eq!(s.sample_interval_ms, 60_000);
    let g = &s.group;
    assert_eq!(g.desired_capacity, 1, "min_size");
    assert_eq!(g.availability_zones, ["us-east-1a"]);
    assert_eq!(g.default_cooldown_ms, 300_000);
    assert_eq!(g.default_instance_warmup_ms, None);
    assert_eq!(g.health_check_type, HealthCheckType::Ec2);
    assert_eq!(g.health_check_grace_period_ms, 0);
    assert_eq!(g.termination_policies, [TerminationPolicy::Default]);
    assert!(!g.new_instances_protected_from_scale_in);
    assert_eq!(g.max_instance_lifetime_ms, None);
    let lt = &s.launch_template;
    assert_eq!(lt.instance_type, "m5.large");
    assert_eq!(lt.price_per_hour_usd, 0.096, "from the built-in table");
    assert_eq!(lt.idle_cpu_percent, 2.0);
    assert_eq!(lt.boot_time, BootTime::Constant { value_ms: 90_000 });
    assert_eq!(lt.network_in_bytes_per_request, 2000.0);
    assert_eq!(lt.network_out_bytes_per_request, 20000.0);
    assert_eq!(
        s.load.source,
        LoadSource::Pattern(Pattern::Constant { rate_rps: 10.0 })
    );
    assert_eq!(
        (s.load.scale, s.load.noise, s.load.resolution_ms),
        (1.0, 0.0, 60_000)
    );
    assert_eq!(
        s.monitoring,
        Monitoring {
            detailed: true,
            metric_delay_ms: 120_000
        }
    );
    assert_eq!(s.load_balancer.deregistration_delay_ms, 300_000);
    assert_eq!(s.slo.latency_ms, 200.0);
    assert!(s.alarms.is_empty() && s.scaling_policies.is_empty() && s.events.is_empty());
    assert!(s.scheduled_actions.is_empty());
    assert_eq!(
        s.scheduled_action_max_delay_ms, 120_000,
        "AWS: up to 2 min late"
    );
}

#[test]
fn alarm_and_policy_defaults() {
    let text = format!(
        "{MINIMAL}\n[[alarms]]\nname = \"A\"\nmetric_name = \"Latency\"\nevaluation_periods = 4\nthreshold = 1\ncomparison_operator = \"GreaterThanOrEqualToThreshold\"\n\n[[scaling_policies]]\nname = \"p\"\nadjustment_type = \"ExactCapacity\"\nscaling_adjustment = 3\n"
    );
    let s = parse(&text, &[]).unwrap();
    let a = &s.alarms[0];
    assert_eq!(
        (a.statistic, a.period_ms, a.datapoints_to_alarm),
        (Statistic::Average, 60_000, 4)
    );
    assert_eq!(a.treat_missing_data, TreatMissingData::Missing);
    assert!(a.alarm_actions.is_empty());
    let p = &s.scaling_policies[0];
    assert!(p.enabled);
    let PolicyKind::Simple(simple) = &p.kind else {
        panic!("a simple policy")
    };
    assert_eq!(simple.cooldown_ms, None);
    assert_eq!(simple.min_adjustment_magnitude, None);
}

#[test]
fn patterns_take_their_own_keys_and_defaults() {
    let cases = [
        (
            "{ kind = \"step\", base = 1, peak = 2, at = \"10m\" }",
            Pattern::Step {
                base_rps: 1.0,
                peak_rps: 2.0,
                at_ms: 600_000,
                until_ms: None,
            },
        ),
        (
            "{ kind = \"ramp\", base = 1, peak = 2, start = 60, end = 120 }",
            Pattern::Ramp {
                base_rps: 1.0,
                peak_rps: 2.0,
                start_ms: 60_000,
                end_ms: 120_000,
            },
        ),
        (
            "{ kind = \"diurnal\", base = 1, peak = 2 }",
            Pattern::Sine {
                base_rps: 1.0,
                peak_rps: 2.0,
                period_ms: 86_400_000,
                peak_at_ms: 14 * 3_600_000,
            },
        ),
        (
            "{ kind = \"sine\", base = 1, peak = 2, period = \"4h\" }",
            Pattern::Sine {
                base_rps: 1.0,
                peak_rps: 2.0,
                period_ms: 4 * 3_600_000,
                peak_at_ms: 3_600_000,
            },
        ),
        (
            "{ kind = \"spike\", base = 1, peak = 9, at = \"5m\", duration = \"1m\" }",
            Pattern::Spike {
                base_rps: 1.0,
                peak_rps: 9.0,
                at_ms: 300_000,
                duration_ms: 60_000,
            },
        ),
    ];
    for (pattern, expected) in cases {
        let over = format!("load.pattern={pattern}");
        let s = parse(MINIMAL, &[&over]).unwrap();
        assert_eq!(s.load.source, LoadSource::Pattern(expected), "{pattern}");
    }
}

#[test]
fn boot_time_forms() {
    let cases = [
        ("\"60s\"", BootTime::Constant { value_ms: 60_000 }),
        ("45", BootTime::Constant { value_ms: 45_000 }),
        (
            "{ distribution = \"constant\", value = \"2m\" }",
            BootTime::Constant { value_ms: 120_000 },
        ),
        (
            "{ distribution = \"uniform\", min = \"60s\", max = \"120s\" }",
            BootTime::Uniform {
                min_ms: 60_000,
                max_ms: 120_000,
            },
        ),
    ];
    for (value, expected) in cases {
        let over = format!("launch_template.boot_time={value}");
        let s = parse(MINIMAL, &[&over]).unwrap();
        assert_eq!(s.launch_template.boot_time, expected, "{value}");
    }
}

#[test]
fn overrides_by_name_change_the_values() {
    let s = parse(
        FULL,
        &[
            "alarms.HighCPU.threshold=80",
            "scaling_policies.scale-out.cooldown=120s",
            "group.max_size=10",
            "seed=42",
            "launch_template.instance_type=c5.xlarge",
            "launch_template.price_per_hour=0.17",
        ],
    )
    .unwrap();
    assert_eq!(s.alarms[0].threshold, 80.0);
    let PolicyKind::Simple(p) = &s.scaling_policies[1].kind else {
        panic!("a simple policy")
    };
    assert_eq!(p.cooldown_ms, Some(120_000));
    assert_eq!(s.group.max_size, 10);
    assert_eq!(s.seed, 42);
    assert_eq!(s.launch_template.instance_type, "c5.xlarge");
}

#[test]
fn overrides_create_missing_tables() {
    let s = parse(
        MINIMAL,
        &["monitoring.detailed=false", "load.pattern.rate=900"],
    )
    .unwrap();
    assert!(!s.monitoring.detailed);
    assert_eq!(
        s.load.source,
        LoadSource::Pattern(Pattern::Constant { rate_rps: 900.0 })
    );
}

#[test]
fn bad_overrides_are_located_at_the_set() {
    let p = problems(
        FULL,
        &["alarms.HighCPUU.threshold=80", "group.max_size", "=3"],
    );
    let locations: Vec<String> = p.iter().map(|p| p.location()).collect();
    assert_eq!(
        locations,
        [
            "--set alarms.HighCPUU.threshold",
            "--set group.max_size",
            "--set =3"
        ]
    );
    assert!(p[0].message.contains("HighCPU, LowCPU"), "{}", p[0].message);
}

#[test]
fn bad_values_from_overrides_name_the_set() {
    let p = problems(
        FULL,
        &[
            "group.min_size=two",
            "load.pattern={ kind = \"constant\", rate = -1 }",
        ],
    );
    assert!(
        p.iter().any(|p| p.location() == "--set group.min_size"
            && p.message == "expected a whole number ≥ 0, found the string \"two\""),
        "{p:#?}"
    );
    // The pattern replaces the file's trace: its bad rate is the problem, named by the --set.
    assert!(
        p.iter()
            .any(|p| p.location() == "load.pattern.rate (from --set load.pattern)"),
        "{p:#?}"
    );
    // Written in the file, both sources are one too many.
    let both = FULL.replace(
        "[load]\n",
        "[load]\npattern = { kind = \"constant\", rate = 1 }\n",
    );
    assert_ne!(both, FULL);
    let p = problems(&both, &[]);
    assert!(
        p.iter().any(|p| p.location().ends_with(", load")
            && p.message.contains("exactly one of trace or pattern")),
        "{p:#?}"
    );
    let p = problems(
        MINIMAL,
        &["load.pattern={ kind = \"constant\", rate = -1 }"],
    );
    assert_eq!(
        p[0].location(),
        "load.pattern.rate (from --set load.pattern)"
    );
}

#[test]
fn unknown_keys_get_a_suggestion() {
    let text = MINIMAL.replace("min_size = 1", "min_sise = 1");
    let p = problems(&text, &[]);
    let unknown = p
        .iter()
        .find(|p| p.location().ends_with("group.min_sise"))
        .unwrap();
    assert!(
        unknown.location().starts_with("line 5, "),
        "{}",
        unknown.location()
    );
    assert!(
        unknown
            .message
            .starts_with("unknown key\ndid you mean min_size?\nknown keys: "),
        "{}",
        unknown.message
    );
    assert!(
        p.iter()
            .any(|p| p.location().ends_with("group.min_size") && p.message.contains("missing"))
    );
}

#[test]
fn several_problems_are_all_reported() {
    let text = r#"
duration = "soon"
seed = -1
[group]
min_size = "two"
max_size = 6
colour = "red"
[launch_template]
capacity_rps = 0
[load]
pattern = { kind = "constant", rate = 10 }
"#;
    let p = problems(text, &[]);
    let paths: Vec<String> = p.iter().map(|p| p.location()).collect();
    assert_eq!(
        paths,
        [
            "line 2, duration",
            "line 3, seed",
            "line 5, group.min_size",
            "line 7, group.colour",
            "line 9, launch_template.capacity_rps",
        ]
    );
    assert!(
        p[0].message.contains("`soon` is not a duration"),
        "{}",
        p[0].message
    );
}

#[test]
fn syntax_errors_have_a_line_and_column() {
    let p = problems("duration = \"1h\"\n[group\nmin_size = 1\n", &[]);
    assert_eq!(p.len(), 1);
    assert!(
        p[0].location().starts_with("line 2, column "),
        "{}",
        p[0].location()
    );
    assert!(
        p[0].message.starts_with("TOML syntax error"),
        "{}",
        p[0].message
    );
}

#[test]
fn errors_render_with_the_file_name() {
    let e = parse("duration = 0\n[group]\nmin_size = 1\nmax_sise = 2\n", &[]).unwrap_err();
    let text = e.to_string();
    // Each problem's first line is in the editors' form, FILE:LINE:COL: KEY: what is wrong;
    // the fixes follow, indented.
    assert!(
        text.starts_with("scenarios/demo.toml:1:1: duration: must be longer than 0\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "\nscenarios/demo.toml:4:1: group.max_sise: unknown key\n  did you mean max_size?\n  known keys: "
        ),
        "{text}"
    );
    assert!(
        text.contains("\nscenarios/demo.toml:2:2: group.max_size: required key is missing\n  expected a whole number ≥ 0\n"),
        "{text}"
    );
    for line in text.lines() {
        assert!(
            line.starts_with("scenarios/demo.toml:") || line.starts_with("  "),
            "{line}"
        );
    }
    let e = parse("name = \"x\"", &["group.min_size=-1"]).unwrap_err();
    assert!(
        e.to_string()
            .contains("\nscenarios/demo.toml: --set group.min_size: "),
        "{e}"
    );
}

#[test]
fn unreadable_files_are_a_problem() {
    let e = load_scenario_file(Path::new("/nonexistent/x.toml"), &[]).unwrap_err();
    assert_eq!(e.problems.len(), 1);
    assert!(e.problems[0].message.contains("cannot read"));
}

#[test]
fn reads_a_file_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("from-disk.toml");
    std::fs::write(&path, MINIMAL).unwrap();
    let s = load_scenario_file(&path, &["group.max_size=8".to_string()]).unwrap();
    assert_eq!((s.name.as_str(), s.group.max_size), ("from-disk", 8));
}

/// Thousands of entries: every duplicate name is found and located at its own line (the line
/// index and the name checks are linear, so a file this size validates at once).
#[test]
fn thousands_of_entries_are_checked_and_located() {
    let mut text = MINIMAL.to_string();
    let entries = 5_000;
    for i in 0..entries {
        // The last entry repeats the first one's name.
        let name = if i == entries - 1 { 0 } else { i };
        text.push_str(&format!(
            "\n[[alarms]]\nname = \"A{name}\"\nmetric_name = \"CPUUtilization\"\nthreshold = 50\ncomparison_operator = \"GreaterThanThreshold\"\nevaluation_periods = 2\n"
        ));
    }
    let first_entry_line = MINIMAL.lines().count() + 2;
    let last_name_line = first_entry_line + 1 + (entries - 1) * 7;
    let p = problems(&text, &[]);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(
        p[0].location(),
        format!("line {last_name_line}, alarms[{}].name", entries - 1)
    );
    assert!(
        p[0].message.contains("already named A0"),
        "{}",
        p[0].message
    );
}
