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

/// Exactly one of `predefined_metric_type` or `customized_metric`.
fn read_metric(c: &mut Reader<'_>) -> Option<TrackedMetric> {
    let predefined_written = c.peek("predefined_metric_type").is_some();
    let custom_written = c.peek("customized_metric").is_some();
    let predefined = c.choice("predefined_metric_type", &PREDEFINED).optional();
    c.raw("customized_metric");
    match (predefined_written, custom_written) {
        (true, true) => {
            c.report_here(
                "give exactly one of predefined_metric_type or customized_metric, not both",
            );
            None
        }
        (false, false) => {
            c.report_here("give one of predefined_metric_type (ASGAverageCPUUtilization, ASGAverageNetworkIn, ASGAverageNetworkOut or ALBRequestCountPerTarget) or customized_metric (such as { metric_name = \"QueueDepth\", column = \"queue_depth\" })");
            None
        }
        (true, false) => predefined.flatten().map(Predefined::metric),
        (false, true) => {
            let mut m = c.child("customized_metric")?;
            let metric = read_custom(&mut m);
            m.finish();
            metric
        }
    }
}

/// `customized_metric = { metric_name, column, per_instance }`: a column of the load trace.
fn read_custom(m: &mut Reader<'_>) -> Option<TrackedMetric> {
    let metric_name = m.name("metric_name").required();
    let column = m
        .name("column")
        .check(
            |c| c != "time_s",
            |_| "time_s is the trace's time column, not a metric; name another column of the load trace CSV".to_string(),
        )
        .required();
    let per_instance = m.boolean("per_instance").or(true);
    Some(TrackedMetric::Custom {
        metric_name: metric_name?,
        column: column?,
        per_instance: per_instance?,
    })
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
