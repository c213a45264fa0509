//! Properties of the scenario parser: whatever the text and the `--set` strings, it never
//! panics, every error carries located problems, and every scenario it accepts keeps the
//! invariants the simulation relies on. The scenario edited covers every policy type,
//! scheduled actions, lifecycle hooks, suspended processes and every kind of event.

use std::path::Path;

use asgsim::scenario::{
    BootTime, EventAction, PolicyKind, PredictiveMode, Scenario, ScenarioError, parse_scenario,
};
use proptest::prelude::*;
use toml::{Table, Value};

/// A valid scenario using most keys.
const VALID: &str = r#"
name = "props"
duration = "6h"
seed = 7
scheduled_action_max_delay = "90s"
[group]
min_size = 2
max_size = 6
desired_capacity = 3
availability_zones = ["us-east-1a", "us-east-1b"]
default_instance_warmup = "300s"
health_check_type = "ELB"
termination_policies = ["OldestInstance", "Default"]
max_instance_lifetime = "7d"
suspended_processes = ["AZRebalance"]
[launch_template]
instance_type = "c5.xlarge"
capacity_rps = 100
boot_time = { distribution = "uniform", min = "60s", max = "120s" }
[load]
pattern = { kind = "step", base = 100, peak = 400, at = "1h", until = "2h" }
noise = 0.1
[monitoring]
detailed = false
[load_balancer]
deregistration_delay = "30s"
[slo]
latency_ms = 150
[failures]
instance_mtbf = "30d"
launch_failure_probability = 0.1
[[lifecycle_hooks]]
name = "wait"
lifecycle_transition = "autoscaling:EC2_INSTANCE_LAUNCHING"
heartbeat_timeout = "5m"
default_result = "CONTINUE"
work_time = { distribution = "lognormal", median = "1m", p95 = "4m" }
work_result = "ABANDON"
heartbeat_interval = "2m"
[[lifecycle_hooks]]
name = "drain"
lifecycle_transition = "terminating"
work_time = "30s"
[[alarms]]
name = "HighCPU"
metric_name = "CPUUtilization"
evaluation_periods = 3
datapoints_to_alarm = 2
threshold = 70
comparison_operator = "GreaterThanThreshold"
alarm_actions = ["out"]
[[alarms]]
name = "LowCPU"
metric_name = "CPUUtilization"
period = "5m"
evaluation_periods = 2
threshold = 20
comparison_operator = "LessThanThreshold"
treat_missing_data = "notBreaching"
alarm_actions = ["in"]
[[alarms]]
name = "Latency"
metric_name = "Latency"
evaluation_periods = 1
threshold = 0.5
comparison_operator = "GreaterThanThreshold"
alarm_actions = ["step"]
[[scaling_policies]]
name = "out"
adjustment_type = "PercentChangeInCapacity"
scaling_adjustment = 50
min_adjustment_magnitude = 2
[[scaling_policies]]
name = "in"
adjustment_type = "ChangeInCapacity"
scaling_adjustment = -1
cooldown = "10m"
[[scaling_policies]]
name = "step"
policy_type = "StepScaling"
adjustment_type = "ChangeInCapacity"
metric_aggregation_type = "Maximum"
estimated_instance_warmup = "2m"
step_adjustments = [
    { metric_interval_lower_bound = 0, metric_interval_upper_bound = 0.5, scaling_adjustment = 1 },
    { metric_interval_lower_bound = 0.5, scaling_adjustment = 3 },
]
[[scaling_policies]]
name = "tt"
policy_type = "TargetTrackingScaling"
estimated_instance_warmup = "3m"
target_tracking_configuration = { predefined_metric_type = "ALBRequestCountPerTarget", target_value = 600, disable_scale_in = false, scale_in_ratio = 0.8, resource_label = "app/x/1/targetgroup/y/2" }
[[scaling_policies]]
name = "forecast"
policy_type = "PredictiveScaling"
[scaling_policies.predictive_scaling_configuration]
mode = "ForecastAndScale"
scheduling_buffer_time = "5m"
max_capacity_breach_behavior = "IncreaseMaxCapacity"
max_capacity_buffer = 20
metric_specification = { target_value = 50, predefined_metric_pair_specification = { predefined_metric_type = "ASGCPUUtilization" } }
[[scheduled_actions]]
name = "evening"
recurrence = "0 18 * * MON-FRI"
time_zone = "America/New_York"
min_size = 2
max_size = 6
desired_capacity = 2
[[scheduled_actions]]
name = "once"
start_time = "2025-01-06T03:00:00Z"
end_time = "2025-01-07T00:00:00Z"
max_size = 8
[[events]]
at = "4h"
action = "set_desired_capacity"
value = 5
[[events]]
at = "30m"
action = "set_desired_capacity"
value = 2
[[events]]
at = "1h"
action = "az_outage"
az = "us-east-1b"
duration = "20m"
[[events]]
at = "2h"
action = "launch_failures"
az = "us-east-1a"
duration = "10m"
probability = 0.5
[[events]]
at = "3h"
action = "suspend_processes"
processes = ["Launch", "AlarmNotification"]
[[events]]
at = "210m"
action = "resume_processes"
processes = ["Launch"]
[[events]]
at = "5h"
action = "fail_instances"
count = 2
az = "us-east-1a"
mode = "application"
"#;

fn parse(text: &str, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    parse_scenario(text, Path::new("dir/props.toml"), overrides)
}

/// The checks every outcome must pass.
fn check_outcome(outcome: Result<Scenario, ScenarioError>) -> Result<(), TestCaseError> {
    match outcome {
        Ok(s) => check_invariants(&s),
        Err(e) => {
            prop_assert!(!e.problems.is_empty(), "an error with no problem");
            for p in &e.problems {
                prop_assert!(!p.location.trim().is_empty(), "empty location: {p:?}");
                prop_assert!(!p.message.trim().is_empty(), "empty message: {p:?}");
            }
            prop_assert!(!e.to_string().is_empty());
            Ok(())
        }
    }
}

/// What the simulation may assume of an accepted scenario.
fn check_invariants(s: &Scenario) -> Result<(), TestCaseError> {
    let g = &s.group;
    prop_assert!(g.min_size <= g.desired_capacity && g.desired_capacity <= g.max_size);
    prop_assert!(!g.availability_zones.is_empty());
    prop_assert!(s.duration_ms > 0 && s.sample_interval_ms >= 1000);
    prop_assert!(s.launch_template.capacity_rps > 0.0);
    prop_assert!(s.launch_template.price_per_hour_usd >= 0.0);
    for a in &s.alarms {
        prop_assert!(a.period_ms > 0 && a.period_ms % 60_000 == 0);
        prop_assert!(1 <= a.datapoints_to_alarm && a.datapoints_to_alarm <= a.evaluation_periods);
        prop_assert!(
            a.alarm_actions
                .iter()
                .all(|i| *i < s.scaling_policies.len())
        );
    }
    prop_assert!(s.events.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
    prop_assert!(s.events.iter().all(|e| e.at_ms <= s.duration_ms));
    for p in &s.scaling_policies {
        check_policy(&p.kind)?;
    }
    check_disruptions(s)?;
    let managed = |i: &usize| {
        matches!(
            s.scaling_policies[*i].kind,
            PolicyKind::TargetTracking(_) | PolicyKind::Predictive(_)
        )
    };
    prop_assert!(
        s.alarms
            .iter()
            .all(|a| !a.alarm_actions.iter().any(managed))
    );
    let scaling = s.scaling_policies.iter().filter(|p| {
        matches!(&p.kind, PolicyKind::Predictive(pp) if pp.mode == PredictiveMode::ForecastAndScale)
    });
    prop_assert!(scaling.count() <= 1);
    for a in &s.scheduled_actions {
        prop_assert!(a.min_size.is_some() || a.max_size.is_some() || a.desired_capacity.is_some());
        prop_assert!(a.recurrence.is_some() || a.start_time.is_some());
        if let (Some(lo), Some(hi)) = (a.min_size, a.max_size) {
            prop_assert!(lo <= hi);
        }
        prop_assert!(a.desired_capacity.is_none_or(
            |d| a.min_size.is_none_or(|lo| lo <= d) && a.max_size.is_none_or(|hi| d <= hi)
        ));
        if let (Some(from), Some(to)) = (&a.start_time, &a.end_time) {
            prop_assert!(from < to);
        }
    }
    Ok(())
}

/// What the simulation may assume of each policy's settings.
fn check_policy(kind: &PolicyKind) -> Result<(), TestCaseError> {
    match kind {
        PolicyKind::Simple(_) => {}
        PolicyKind::Step(st) => {
            let steps = &st.step_adjustments;
            prop_assert!(!steps.is_empty());
            prop_assert!(
                steps
                    .windows(2)
                    .all(|w| w[0].upper_bound.is_some() && w[0].upper_bound == w[1].lower_bound)
            );
            prop_assert!(
                steps
                    .iter()
                    .all(|s| s.lower_bound.is_some() || s.upper_bound.is_some())
            );
        }
        PolicyKind::TargetTracking(tt) => {
            prop_assert!(tt.target_value > 0.0);
            prop_assert!(tt.scale_in_ratio > 0.0 && tt.scale_in_ratio < 1.0);
        }
        PolicyKind::Predictive(pp) => {
            prop_assert!(pp.target_value > 0.0);
            prop_assert!(pp.scheduling_buffer_time_ms < 3_600_000);
            prop_assert!((0.0..=100.0).contains(&pp.max_capacity_buffer_percent));
            prop_assert!(pp.increase_max_capacity || pp.max_capacity_buffer_percent == 0.0);
        }
    }
    Ok(())
}

/// What the simulation may assume of hooks, processes, launch failures and events.
fn check_disruptions(s: &Scenario) -> Result<(), TestCaseError> {
    let unique = |names: &[&str]| (1..names.len()).all(|i| !names[..i].contains(&names[i]));
    let processes: Vec<&str> = s
        .group
        .suspended_processes
        .iter()
        .map(|p| p.aws_name())
        .collect();
    prop_assert!(unique(&processes));
    prop_assert!((0.0..=1.0).contains(&s.failures.launch_failure_probability));
    check_time(&s.launch_template.boot_time)?;
    prop_assert!(s.lifecycle_hooks.len() <= 50);
    let names: Vec<&str> = s.lifecycle_hooks.iter().map(|h| h.name.as_str()).collect();
    prop_assert!(unique(&names) && names.iter().all(|n| !n.trim().is_empty()));
    for h in &s.lifecycle_hooks {
        prop_assert!((30_000..=7_200_000).contains(&h.heartbeat_timeout_ms));
        prop_assert!(h.heartbeat_timeout_ms % 1000 == 0);
        prop_assert!(
            h.heartbeat_interval_ms
                .is_none_or(|i| i > 0 && i < h.heartbeat_timeout_ms)
        );
        if let Some(t) = &h.work_time {
            check_time(t)?;
        }
    }
    let zones = &s.group.availability_zones;
    let known = |az: &String| zones.contains(az);
    for e in &s.events {
        match &e.action {
            EventAction::SetDesiredCapacity { value } => {
                prop_assert!(s.group.min_size <= *value && *value <= s.group.max_size);
            }
            EventAction::FailInstances { count, az, .. } => {
                prop_assert!(*count >= 1 && az.as_ref().is_none_or(known));
            }
            EventAction::AzOutage { az, duration_ms } => {
                prop_assert!(known(az) && *duration_ms > 0);
            }
            EventAction::LaunchFailures {
                az,
                duration_ms,
                probability,
            } => {
                prop_assert!(az.as_ref().is_none_or(known) && *duration_ms > 0);
                prop_assert!(*probability > 0.0 && *probability <= 1.0);
            }
            EventAction::InstanceRefresh(r) => {
                prop_assert!(r.min_healthy_percentage <= 100);
            }
            EventAction::SuspendProcesses { processes }
            | EventAction::ResumeProcesses { processes } => {
                let names: Vec<&str> = processes.iter().map(|p| p.aws_name()).collect();
                prop_assert!(!names.is_empty() && unique(&names));
            }
        }
    }
    Ok(())
}

/// What the simulation may assume of a boot or work time distribution.
fn check_time(time: &BootTime) -> Result<(), TestCaseError> {
    match *time {
        BootTime::Constant { .. } => {}
        BootTime::Uniform { min_ms, max_ms } => prop_assert!(min_ms <= max_ms),
        BootTime::LogNormal { median_ms, p95_ms } => {
            prop_assert!(median_ms > 0 && p95_ms > median_ms);
        }
    }
    Ok(())
}

/// Every key path of a table, entries of arrays by index.
fn leaf_paths(table: &Table, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    for (key, value) in table {
        prefix.push(key.clone());
        out.push(prefix.clone());
        match value {
            Value::Table(t) => leaf_paths(t, prefix, out),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Value::Table(t) = item {
                        prefix.push(i.to_string());
                        leaf_paths(t, prefix, out);
                        prefix.pop();
                    }
                }
            }
            _ => {}
        }
        prefix.pop();
    }
}

/// The table holding the last segment of `path` (array entries by index).
fn parent_of<'t>(table: &'t mut Table, path: &[String]) -> Option<&'t mut Table> {
    let mut current = table;
    let mut segments = path[..path.len() - 1].iter();
    while let Some(segment) = segments.next() {
        current = match current.get_mut(segment)? {
            Value::Table(t) => t,
            Value::Array(items) => {
                let i: usize = segments.next()?.parse().ok()?;
                items.get_mut(i)?.as_table_mut()?
            }
            _ => return None,
        };
    }
    Some(current)
}

#[derive(Debug, Clone)]
enum Edit {
    Delete,
    Rename(String),
    Replace(Value),
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::Integer),
        (-1000i64..10_000).prop_map(Value::Integer),
        (0i64..12).prop_map(Value::Integer),
        any::<f64>().prop_map(Value::Float),
        any::<bool>().prop_map(Value::Boolean),
        "\\PC{0,12}".prop_map(Value::String),
        "[0-9]{1,4}(ms|s|m|h|d|x)?".prop_map(Value::String),
        prop::sample::select(vec![
            "Default",
            "EC2",
            "missing",
            "constant",
            "SimpleScaling",
            "StepScaling",
            "TargetTrackingScaling",
            "PredictiveScaling",
            "ForecastAndScale",
            "IncreaseMaxCapacity",
            "HonorMaxCapacity",
            "ASGAverageCPUUtilization",
            "ASGCPUUtilization",
            "PercentChangeInCapacity",
            "0 18 * * MON-FRI",
            "0 8 * *",
            "UTC",
            "set_desired_capacity",
            "az_outage",
            "launch_failures",
            "suspend_processes",
            "us-east-1a",
            "AZRebalance",
            "Launch",
            "RemoveFromLoadBalancerLowPriority",
            "launching",
            "autoscaling:EC2_INSTANCE_TERMINATING",
            "CONTINUE",
            "ABANDON",
            "2025-01-06T00:00:00Z",
            "2025-01-07T00:00:00Z"
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Table(m.into_iter().collect())),
        ]
    })
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        Just(Edit::Delete),
        "[a-z_]{1,3}".prop_map(Edit::Rename),
        value().prop_map(Edit::Replace),
    ]
}

/// VALID with each edit applied to the key picked by its index.
fn edited(edits: &[(prop::sample::Index, Edit)]) -> String {
    let mut table: Table = VALID.parse().unwrap();
    for (pick, edit) in edits {
        let mut paths = Vec::new();
        leaf_paths(&table, &mut Vec::new(), &mut paths);
        if paths.is_empty() {
            break;
        }
        let path = pick.get(&paths).clone();
        let Some(parent) = parent_of(&mut table, &path) else {
            continue;
        };
        let key = path.last().unwrap();
        match edit {
            Edit::Delete => {
                parent.remove(key);
            }
            Edit::Rename(suffix) => {
                if let Some(v) = parent.remove(key) {
                    parent.insert(format!("{key}{suffix}"), v);
                }
            }
            Edit::Replace(v) => {
                parent.insert(key.clone(), v.clone());
            }
        }
    }
    toml::to_string(&table).unwrap()
}

/// `--set` strings: known keys with random values, and random text.
fn override_string() -> impl Strategy<Value = String> {
    let keys = prop::sample::select(vec![
        "group.max_size",
        "group.min_size",
        "group.desired_capacity",
        "alarms.HighCPU.threshold",
        "alarms.LowCPU.period",
        "alarms[1].evaluation_periods",
        "scaling_policies.out.cooldown",
        "scaling_policies.in.adjustment_type",
        "load.pattern",
        "load.pattern.peak",
        "load.trace",
        "events[0].value",
        "scaling_policies.step.step_adjustments",
        "scaling_policies.step.step_adjustments[1].metric_interval_lower_bound",
        "scaling_policies.step.step_adjustments[0].scaling_adjustment",
        "scaling_policies.step.cooldown",
        "scaling_policies.tt.target_tracking_configuration",
        "scaling_policies.tt.target_tracking_configuration.target_value",
        "scaling_policies.tt.target_tracking_configuration.customized_metric",
        "scaling_policies.tt.policy_type",
        "scaling_policies.forecast.predictive_scaling_configuration.mode",
        "scaling_policies.forecast.predictive_scaling_configuration.max_capacity_buffer",
        "scaling_policies.forecast.predictive_scaling_configuration.metric_specification",
        "scheduled_actions.evening.recurrence",
        "scheduled_actions.evening.min_size",
        "scheduled_actions.once.start_time",
        "scheduled_actions.once.end_time",
        "scheduled_actions[1].desired_capacity",
        "scheduled_action_max_delay",
        "alarms.Latency.alarm_actions",
        "events[3].at",
        "alarms.Nope.x",
        "group.suspended_processes",
        "failures.launch_failure_probability",
        "lifecycle_hooks",
        "lifecycle_hooks.wait.heartbeat_timeout",
        "lifecycle_hooks.wait.heartbeat_interval",
        "lifecycle_hooks.wait.work_time",
        "lifecycle_hooks.drain.default_result",
        "lifecycle_hooks[1].lifecycle_transition",
        "events[2].az",
        "events[3].probability",
        "events[4].processes",
        "events[5].action",
        "duration",
        "seed",
        "start_time",
        "group",
        "alarms",
        "launch_template.boot_time",
        "a..b",
        "",
        "alarms[x]",
    ]);
    prop_oneof![
        (keys.clone(), value()).prop_map(|(k, v)| format!("{k}={v}")),
        (keys, 0i64..12).prop_map(|(k, v)| format!("{k}={v}")),
        (
            prop::sample::select(vec!["group.max_size", "alarms.HighCPU.period", "duration"]),
            "\\PC{0,10}"
        )
            .prop_map(|(k, v)| format!("{k}={v}")),
        "\\PC{0,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        check_outcome(parse(&text, &[]))?;
    }

    #[test]
    fn random_toml_like_text_never_panics(text in "([a-z_\\[\\]]{1,12}( = |=)(\"[^\"\n]{0,8}\"|[0-9.-]{1,5}|true|\\[[0-9, ]{0,6}\\]|\\{ [a-z]{1,4} = [0-9]{1,2} \\})?\n){0,12}") {
        check_outcome(parse(&text, &[]))?;
    }

    #[test]
    fn edited_scenarios_never_panic(edits in prop::collection::vec((any::<prop::sample::Index>(), edit()), 1..5)) {
        check_outcome(parse(&edited(&edits), &[]))?;
    }

    #[test]
    fn random_overrides_never_panic(overrides in prop::collection::vec(override_string(), 0..5)) {
        check_outcome(parse(VALID, &overrides))?;
    }
}

#[test]
fn the_valid_scenario_is_valid() {
    let s = parse(VALID, &[]).unwrap();
    assert_eq!(s.alarms[0].alarm_actions, [0]);
    assert_eq!(s.alarms[2].alarm_actions, [2]);
    assert_eq!(s.scaling_policies.len(), 5);
    assert_eq!(s.scheduled_actions.len(), 2);
    assert_eq!(s.scheduled_action_max_delay_ms, 90_000);
    let counts = (s.lifecycle_hooks.len(), s.group.suspended_processes.len());
    assert_eq!((counts, s.events.len()), ((2, 1), 7));
    assert_eq!(s.failures.launch_failure_probability, 0.1);
    check_invariants(&s).unwrap();
    assert_eq!(s.events[0].at_ms, 30 * 60_000);
    assert_eq!(
        s.load.source,
        asgsim::scenario::LoadSource::Pattern(asgsim::scenario::Pattern::Step {
            base_rps: 100.0,
            peak_rps: 400.0,
            at_ms: 3_600_000,
            until_ms: Some(7_200_000),
        })
    );
    assert_eq!(
        edited(&[]),
        toml::to_string(&VALID.parse::<Table>().unwrap()).unwrap()
    );
}
