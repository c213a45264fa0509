//! The inputs of the scenario-parser properties: a valid scenario using most keys, and the
//! strategies that edit it, override it and make up values.

use proptest::prelude::*;
use toml::{Table, Value};

/// A valid scenario using most keys.
pub(super) const VALID: &str = r#"
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
application_start_time = { distribution = "lognormal", median = "20s", p95 = "60s" }
[load]
pattern = { kind = "step", base = 100, peak = 400, at = "1h", until = "2h" }
noise = 0.1
[monitoring]
detailed = false
[load_balancer]
deregistration_delay = "30s"
overload_fails_health_checks = true
[warm_pool]
min_size = 1
max_group_prepared_capacity = 8
pool_state = "Hibernated"
instance_reuse_policy = { reuse_on_scale_in = true }
warm_start_time = { distribution = "uniform", min = "30s", max = "50s" }
stopped_price_per_hour = 0.02
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
[[events]]
at = "150m"
action = "instance_refresh"
instance_type = "m5.large"
min_healthy_percentage = 80
instance_warmup = "3m"
checkpoint_percentages = [50, 100]
checkpoint_delay = "15m"
"#;

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

/// One edit of a key of [`VALID`].
#[derive(Debug, Clone)]
pub(super) enum Edit {
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
            "2025-01-07T00:00:00Z",
            "instance_refresh",
            "Stopped",
            "Running",
            "Hibernated",
            "x9.huge",
            "m5.large"
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(2, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(prop_oneof![Just(100i64), 0i64..=101], 0..4)
                .prop_map(|v| Value::Array(v.into_iter().map(Value::Integer).collect())),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Table(m.into_iter().collect())),
        ]
    })
}

pub(super) fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        Just(Edit::Delete),
        "[a-z_]{1,3}".prop_map(Edit::Rename),
        value().prop_map(Edit::Replace),
    ]
}

/// VALID with each edit applied to the key picked by its index.
pub(super) fn edited(edits: &[(prop::sample::Index, Edit)]) -> String {
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
pub(super) fn override_string() -> impl Strategy<Value = String> {
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
        "launch_template.application_start_time",
        "load_balancer.overload_fails_health_checks",
        "warm_pool",
        "warm_pool.pool_state",
        "warm_pool.max_group_prepared_capacity",
        "warm_pool.reuse_on_scale_in",
        "warm_pool.instance_reuse_policy",
        "warm_pool.instance_reuse_policy.reuse_on_scale_in",
        "warm_pool.warm_start_time",
        "warm_pool.stopped_price_per_hour",
        "events[7].instance_type",
        "events[7].price_per_hour",
        "events[7].capacity_rps",
        "events[7].min_healthy_percentage",
        "events[7].max_healthy_percentage",
        "events[7].checkpoint_percentages",
        "events[7].checkpoint_delay",
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
