//! `TargetTrackingScaling`: `target_tracking_configuration` (a predefined or customized
//! metric, the target, scale-in settings) and the policy-level `estimated_instance_warmup`.

use super::super::fields::Reader;
use super::super::model::{TargetTrackingPolicy, TrackedMetric};

const CONFIGURATION: &str = "target_tracking_configuration";

/// AWS `PredefinedMetricType` values of target tracking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Predefined {
    Cpu,
    NetworkIn,
    NetworkOut,
    AlbRequestCount,
}

const PREDEFINED: [(&str, Predefined); 4] = [
    ("ASGAverageCPUUtilization", Predefined::Cpu),
    ("ASGAverageNetworkIn", Predefined::NetworkIn),
    ("ASGAverageNetworkOut", Predefined::NetworkOut),
    ("ALBRequestCountPerTarget", Predefined::AlbRequestCount),
];

impl Predefined {
    fn metric(self) -> TrackedMetric {
        match self {
            Self::Cpu => TrackedMetric::AsgAverageCpuUtilization,
            Self::NetworkIn => TrackedMetric::AsgAverageNetworkIn,
            Self::NetworkOut => TrackedMetric::AsgAverageNetworkOut,
            Self::AlbRequestCount => TrackedMetric::AlbRequestCountPerTarget,
        }
    }
}

/// Reads a target-tracking policy's settings; `who` names the policy in messages.
pub(super) fn read_target_tracking(e: &mut Reader<'_>, who: &str) -> Option<TargetTrackingPolicy> {
    let estimated_instance_warmup_ms = e.duration("estimated_instance_warmup").optional();
    if e.peek(CONFIGURATION).is_none() {
        e.raw(CONFIGURATION);
        e.report(
            CONFIGURATION,
            format!("target-tracking policy {who} needs {CONFIGURATION}, such as {{ predefined_metric_type = \"ASGAverageCPUUtilization\", target_value = 50 }}"),
        );
        return None;
    }
    let mut c = e.child(CONFIGURATION)?;
    let metric = read_metric(&mut c);
    let target_value = read_target(&mut c, who);
    let disable_scale_in = c.boolean("disable_scale_in").or(false);
    let scale_in_ratio = c
        .number("scale_in_ratio")
        .check(
            |x| *x > 0.0 && *x < 1.0,
            |x| format!("must lie strictly between 0 and 1 (the low alarm's threshold as a fraction of the target; EC2 is observed to use 0.7), found {x}"),
        )
        .or(0.7);
    // AWS requires a resource label for ALBRequestCountPerTarget; the simulator has one load
    // balancer, so the label is accepted and ignored.
    let resource_label = c.string("resource_label").optional();
    c.finish();
    let _ignored_resource_label = resource_label?;
    Some(TargetTrackingPolicy {
        metric: metric?,
        target_value: target_value?,
        disable_scale_in: disable_scale_in?,
        estimated_instance_warmup_ms: estimated_instance_warmup_ms?,
        scale_in_ratio: scale_in_ratio?,
    })
}

/// The four ways to name the tracked metric: asgsim's flat `predefined_metric_type` and
/// `customized_metric`, and AWS's nested `predefined_metric_specification` and
/// `customized_metric_specification` (as the CLI, the API and Terraform write them).
const METRIC_KEYS: [&str; 4] = [
    "predefined_metric_type",
    "predefined_metric_specification",
    "customized_metric",
    "customized_metric_specification",
];

/// Exactly one of the [`METRIC_KEYS`].
fn read_metric(c: &mut Reader<'_>) -> Option<TrackedMetric> {
    let written: Vec<&str> = METRIC_KEYS
        .into_iter()
        .filter(|k| c.peek(k).is_some())
        .collect();
    for key in METRIC_KEYS {
        c.raw(key);
    }
    match written[..] {
        [] => {
            c.report_here("give one of predefined_metric_type (ASGAverageCPUUtilization, ASGAverageNetworkIn, ASGAverageNetworkOut or ALBRequestCountPerTarget), predefined_metric_specification (AWS's nesting: { predefined_metric_type = \"ALBRequestCountPerTarget\", resource_label = \"...\" }), customized_metric (such as { metric_name = \"QueueDepth\", column = \"queue_depth\" }) or customized_metric_specification");
            None
        }
        ["predefined_metric_type"] => c
            .choice("predefined_metric_type", &PREDEFINED)
            .required()
            .map(Predefined::metric),
        ["predefined_metric_specification"] => {
            let mut m = c.child("predefined_metric_specification")?;
            let metric = m.choice("predefined_metric_type", &PREDEFINED).required();
            // One load balancer is modelled: its label is accepted and not needed.
            let label = m.string("resource_label").optional();
            m.finish();
            label?;
            metric.map(Predefined::metric)
        }
        ["customized_metric"] => {
            let mut m = c.child("customized_metric")?;
            let metric = read_custom(&mut m, false);
            m.finish();
            metric
        }
        ["customized_metric_specification"] => {
            let mut m = c.child("customized_metric_specification")?;
            let metric = read_custom(&mut m, true);
            m.finish();
            metric
        }
        _ => {
            c.report_here(format!(
                "give exactly one of {}, not several",
                written.join(", ")
            ));
            None
        }
    }
}

/// Statistics a customized metric may name (AWS `MetricStatistic`).
const STATISTICS: [(&str, ()); 5] = [
    ("Average", ()),
    ("Sum", ()),
    ("Minimum", ()),
    ("Maximum", ()),
    ("SampleCount", ()),
];

/// A customized metric: `metric_name`, the trace `column` it reads and `per_instance`.
/// AWS's spelling (`aws` true) also takes `namespace`, `dimensions`, `statistic` and `unit`
/// as the API prints them; the trace column holds the values already aggregated, so these
/// say which metric the column is and change nothing. There the column defaults to the
/// metric's name and `per_instance` to false: AWS tracks the metric as published.
fn read_custom(m: &mut Reader<'_>, aws: bool) -> Option<TrackedMetric> {
    let metric_name = m.name("metric_name").required();
    let column = m.name("column").check(
        |c| c != "time_s" && c != "timestamp",
        |c| format!("{c} is the trace's time column, not a metric; name another column of the load trace CSV"),
    );
    let column = if aws {
        column
            .optional()
            .and_then(|c| c.or_else(|| metric_name.clone()))
    } else {
        column.required()
    };
    let per_instance = m.boolean("per_instance").or(!aws);
    if aws {
        let namespace = m.name("namespace").optional();
        let statistic = m.choice("statistic", &STATISTICS).optional();
        let unit = m.string("unit").optional();
        let dimensions = read_dimensions(m, "dimensions");
        namespace?;
        statistic?;
        unit?;
        dimensions?;
    }
    Some(TrackedMetric::Custom {
        metric_name: metric_name?,
        column: column?,
        per_instance: per_instance?,
    })
}

/// `dimensions` as AWS prints them, `[{ name = "QueueName", value = "jobs" }]`, or as
/// Terraform writes them, `{ QueueName = "jobs" }`: names and values are strings. The
/// simulator models one group, so dimensions identify the metric and change nothing.
pub(in crate::scenario) fn read_dimensions(r: &mut Reader<'_>, key: &str) -> Option<()> {
    let what = "dimensions as AWS prints them, [{ name = \"AutoScalingGroupName\", value = \"web\" }], or a table { AutoScalingGroupName = \"web\" }";
    r.get(key, what, |v| {
        use toml::Value;
        let bad = || super::super::fields::expected(what, v);
        match v {
            Value::Table(t) if t.values().all(Value::is_str) => Ok(()),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let Value::Table(t) = item else {
                        return Err(format!("item {i}: {}", bad()));
                    };
                    let ok = t.len() == 2
                        && t.get("name").is_some_and(Value::is_str)
                        && t.get("value").is_some_and(Value::is_str);
                    if !ok {
                        return Err(format!(
                            "item {i} must have exactly a string name and a string value, such as {{ name = \"AutoScalingGroupName\", value = \"web\" }}"
                        ));
                    }
                }
                Ok(())
            }
            _ => Err(bad()),
        }
    })
    .optional()
    .map(|_| ())
}

/// `target_value` > 0; a missing one is a problem that names the policy.
fn read_target(c: &mut Reader<'_>, who: &str) -> Option<f64> {
    let target = c
        .number("target_value")
        .check(|x| *x > 0.0, |x| format!("must be > 0, found {x}"))
        .optional()?;
    if target.is_none() {
        c.report(
            "target_value",
            format!("target-tracking policy {who} has no target: add target_value, the value to hold the metric at (such as 50 for 50% CPU)"),
        );
    }
    target
}
