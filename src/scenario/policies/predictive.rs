//! `PredictiveScaling`: `predictive_scaling_configuration` with one metric pair, the mode,
//! the scheduling buffer and the max-capacity breach behaviour (UG: ec2-auto-scaling-predictive-scaling).

use super::super::fields::Reader;
use super::super::model::{PredictiveMetric, PredictiveMode, PredictivePolicy};
use crate::time::{MS_PER_S, SimDuration};

const CONFIGURATION: &str = "predictive_scaling_configuration";
const SPECIFICATION: &str = "metric_specification";
const PAIR: &str = "predefined_metric_pair_specification";

const METRIC_PAIRS: [(&str, PredictiveMetric); 4] = [
    ("ASGCPUUtilization", PredictiveMetric::AsgCpuUtilization),
    ("ASGNetworkIn", PredictiveMetric::AsgNetworkIn),
    ("ASGNetworkOut", PredictiveMetric::AsgNetworkOut),
    ("ALBRequestCount", PredictiveMetric::AlbRequestCount),
];

const MODES: [(&str, PredictiveMode); 2] = [
    ("ForecastOnly", PredictiveMode::ForecastOnly),
    ("ForecastAndScale", PredictiveMode::ForecastAndScale),
];

/// `MaxCapacityBreachBehavior`: whether the forecast may raise max_size.
const BREACH_BEHAVIORS: [(&str, bool); 2] =
    [("HonorMaxCapacity", false), ("IncreaseMaxCapacity", true)];

/// AWS metric specifications that this version does not model.
const NOT_MODELLED: [&str; 5] = [
    "predefined_scaling_metric_specification",
    "predefined_load_metric_specification",
    "customized_scaling_metric_specification",
    "customized_load_metric_specification",
    "customized_capacity_metric_specification",
];

const EXAMPLE: &str = "{ metric_specification = { target_value = 50, predefined_metric_pair_specification = { predefined_metric_type = \"ASGCPUUtilization\" } } }";

/// Reads a predictive policy's settings; `who` names the policy in messages.
pub(super) fn read_predictive(e: &mut Reader<'_>, who: &str) -> Option<PredictivePolicy> {
    if e.peek(CONFIGURATION).is_none() {
        e.raw(CONFIGURATION);
        e.report(
            CONFIGURATION,
            format!("predictive policy {who} needs {CONFIGURATION}, such as {EXAMPLE}"),
        );
        return None;
    }
    let mut c = e.child(CONFIGURATION)?;
    let (metric, target_value) = read_specification(&mut c, who);
    let mode = c.choice("mode", &MODES).or(PredictiveMode::ForecastOnly);
    let scheduling_buffer_time_ms = read_buffer_time(&mut c);
    let increase_max_capacity = c
        .choice("max_capacity_breach_behavior", &BREACH_BEHAVIORS)
        .or(false);
    let max_capacity_buffer_percent = read_capacity_buffer(&mut c, increase_max_capacity);
    c.finish();
    Some(PredictivePolicy {
        metric: metric?,
        target_value: target_value?,
        mode: mode?,
        scheduling_buffer_time_ms: scheduling_buffer_time_ms?,
        increase_max_capacity: increase_max_capacity?,
        max_capacity_buffer_percent: max_capacity_buffer_percent?,
    })
}

/// `metric_specification = { target_value, predefined_metric_pair_specification }`.
fn read_specification(c: &mut Reader<'_>, who: &str) -> (Option<PredictiveMetric>, Option<f64>) {
    if c.peek(SPECIFICATION).is_none() {
        c.raw(SPECIFICATION);
        c.report(
            SPECIFICATION,
            format!("predictive policy {who} needs {SPECIFICATION}, such as {{ target_value = 50, {PAIR} = {{ predefined_metric_type = \"ASGCPUUtilization\" }} }}"),
        );
        return (None, None);
    }
    let Some(mut s) = c.child(SPECIFICATION) else {
        return (None, None);
    };
    let target_value = s
        .number("target_value")
        .check(|x| *x > 0.0, |x| format!("must be > 0, found {x}"))
        .optional()
        .and_then(|t| {
            if t.is_none() {
                s.report(
                    "target_value",
                    format!("predictive policy {who} has no target: add target_value, the metric value per instance to plan capacity for (such as 50 for 50% CPU)"),
                );
            }
            t
        });
    for key in NOT_MODELLED {
        if s.raw(key).is_some() {
            s.report(key, format!("{key} is not modelled; use {PAIR} = {{ predefined_metric_type = \"ASGCPUUtilization\" }} (or ASGNetworkIn, ASGNetworkOut, ALBRequestCount)"));
        }
    }
    let metric = read_pair(&mut s);
    s.finish();
    (metric, target_value)
}

/// `predefined_metric_pair_specification = { predefined_metric_type, resource_label? }`.
fn read_pair(s: &mut Reader<'_>) -> Option<PredictiveMetric> {
    let mut p = s.child(PAIR)?;
    let metric = p.choice("predefined_metric_type", &METRIC_PAIRS).required();
    // AWS requires a resource label for ALBRequestCount; the simulator has one load balancer.
    let resource_label = p.string("resource_label").optional();
    p.finish();
    resource_label.and(metric)
}

/// `scheduling_buffer_time`: whole seconds, under one hour (the forecast interval); 300 s.
fn read_buffer_time(c: &mut Reader<'_>) -> Option<SimDuration> {
    c.duration("scheduling_buffer_time")
        .check(
            |ms| ms % MS_PER_S == 0 && *ms < 3600 * MS_PER_S,
            |_| "must be a whole number of seconds below 3600s (the forecast's 1-hour interval), as AWS requires".to_string(),
        )
        .or(300 * MS_PER_S)
}

/// `max_capacity_buffer`: 0–100 \[%\], only with IncreaseMaxCapacity; default 0.
fn read_capacity_buffer(c: &mut Reader<'_>, increase: Option<bool>) -> Option<f64> {
    let field = c.number("max_capacity_buffer").check(
        |x| (0.0..=100.0).contains(x),
        |x| format!("must lie between 0 and 100 (percent above the forecast), found {x}"),
    );
    if field.is_present() && increase == Some(false) {
        c.report(
            "max_capacity_buffer",
            "max_capacity_buffer applies only with max_capacity_breach_behavior = \"IncreaseMaxCapacity\", as AWS requires; remove it or set that behaviour",
        );
        return None;
    }
    field.or(0.0)
}
