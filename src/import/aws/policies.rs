//! `describe-policies`: every policy type with its nested configuration.

use crate::import::ImportError;
use crate::import::json::Node;
use crate::import::model::{ImportedGroup, ImportedPolicy, ImportedPolicyKind, TrackedSpec};
use crate::import::notes::Notes;

/// Fields of a policy that are not settings.
const NOT_SETTINGS: [&str; 3] = ["PolicyARN", "Alarms", "AutoScalingGroupName"];

/// Reads the policies of the imported group (entries of other groups are skipped).
pub(super) fn read_policies(
    group: &mut ImportedGroup,
    policies: &[Node<'_>],
    notes: &mut Notes,
) -> Result<(), ImportError> {
    for p in policies {
        let owner = p.str("AutoScalingGroupName")?;
        if owner.is_some_and(|o| o != group.name) {
            continue;
        }
        let name = p.req_str("PolicyName")?.to_string();
        let policy_type = p.str("PolicyType")?.unwrap_or("SimpleScaling");
        let kind = match policy_type {
            "SimpleScaling" => simple(p)?,
            "StepScaling" => step(p)?,
            "TargetTrackingScaling" => target_tracking(p, notes)?,
            "PredictiveScaling" => predictive(p, notes)?,
            other => {
                return Err(p.error_at(
                    "PolicyType",
                    format!("{other:?} is not a policy type; AWS has SimpleScaling, StepScaling, TargetTrackingScaling and PredictiveScaling"),
                ));
            }
        };
        // Some tools print empty configurations of the other types (no settings); a
        // configuration of another type that does set something is a warning.
        let own = match policy_type {
            "StepScaling" => "StepAdjustments",
            "TargetTrackingScaling" => "TargetTrackingConfiguration",
            _ => "PredictiveScalingConfiguration",
        };
        for key in [
            "StepAdjustments",
            "TargetTrackingConfiguration",
            "PredictiveScalingConfiguration",
        ] {
            if key != own
                && let Some(node) = p.get(key)
                && !crate::import::json::is_unset(node.value())
            {
                notes.warn(
                    p.file(),
                    node.path(),
                    format!("a {policy_type} policy does not use {key}; left out"),
                );
            }
        }
        let policy = ImportedPolicy {
            name,
            arn: p.str("PolicyARN")?.map(String::from),
            source: format!("describe-policies ({}: {})", p.file(), p.path()),
            enabled: p.bool("Enabled")?,
            kind,
        };
        notes.leftovers(p, &NOT_SETTINGS);
        group.policies.push(policy);
    }
    Ok(())
}

fn simple(p: &Node<'_>) -> Result<ImportedPolicyKind, ImportError> {
    Ok(ImportedPolicyKind::Simple {
        adjustment_type: adjustment_type(p)?,
        scaling_adjustment: p.i64("ScalingAdjustment")?.ok_or_else(|| {
            p.error_at(
                "ScalingAdjustment",
                "is missing; a SimpleScaling policy has one",
            )
        })?,
        cooldown_s: p.u64("Cooldown")?,
        min_adjustment_magnitude: magnitude(p)?,
    })
}

fn adjustment_type(p: &Node<'_>) -> Result<String, ImportError> {
    Ok(p.str("AdjustmentType")?
        .unwrap_or("ChangeInCapacity")
        .to_string())
}

/// `MinAdjustmentMagnitude`, or the deprecated `MinAdjustmentStep`.
fn magnitude(p: &Node<'_>) -> Result<Option<u64>, ImportError> {
    let magnitude = p.u64("MinAdjustmentMagnitude")?;
    let step = p.u64("MinAdjustmentStep")?;
    Ok(magnitude.or(step).filter(|m| *m > 0))
}

fn step(p: &Node<'_>) -> Result<ImportedPolicyKind, ImportError> {
    let mut steps = Vec::new();
    for s in p.array("StepAdjustments")? {
        let adjustment = s
            .i64("ScalingAdjustment")?
            .ok_or_else(|| s.error_at("ScalingAdjustment", "is missing; every step has one"))?;
        steps.push((
            s.f64("MetricIntervalLowerBound")?,
            s.f64("MetricIntervalUpperBound")?,
            adjustment,
        ));
    }
    if steps.is_empty() {
        return Err(p.error_at(
            "StepAdjustments",
            "a StepScaling policy needs its step adjustments, and this one has none",
        ));
    }
    Ok(ImportedPolicyKind::Step {
        adjustment_type: adjustment_type(p)?,
        steps,
        min_adjustment_magnitude: magnitude(p)?,
        metric_aggregation_type: p.str("MetricAggregationType")?.map(String::from),
        estimated_instance_warmup_s: p.u64("EstimatedInstanceWarmup")?,
    })
}

fn target_tracking(p: &Node<'_>, notes: &mut Notes) -> Result<ImportedPolicyKind, ImportError> {
    let c = p.get("TargetTrackingConfiguration").ok_or_else(|| {
        p.error_at(
            "TargetTrackingConfiguration",
            "is missing; a TargetTrackingScaling policy has one",
        )
    })?;
    let metric = match (
        c.get("PredefinedMetricSpecification"),
        c.get("CustomizedMetricSpecification"),
    ) {
        (Some(m), _) => TrackedSpec::Predefined {
            metric_type: m.req_str("PredefinedMetricType")?.to_string(),
            resource_label: m.str("ResourceLabel")?.map(String::from),
        },
        (None, Some(m)) => customized(&m, notes)?,
        (None, None) => {
            return Err(c.error(
                "has neither PredefinedMetricSpecification nor CustomizedMetricSpecification",
            ));
        }
    };
    let target_value = c.f64("TargetValue")?.ok_or_else(|| {
        c.error_at(
            "TargetValue",
            "is missing; a target-tracking policy has one",
        )
    })?;
    let kind = ImportedPolicyKind::TargetTracking {
        metric,
        target_value,
        disable_scale_in: c.bool("DisableScaleIn")?,
        estimated_instance_warmup_s: p.u64("EstimatedInstanceWarmup")?,
        scale_in_ratio: None,
    };
    notes.leftovers(&c, &[]);
    Ok(kind)
}

/// `CustomizedMetricSpecification` of one metric; metric math (`Metrics`) is read when it is
/// one metric (a query that returns its data), and otherwise refused with a word.
fn customized(m: &Node<'_>, notes: &mut Notes) -> Result<TrackedSpec, ImportError> {
    let (source, metrics_used) = match (m.get("MetricName"), m.array("Metrics")?) {
        (Some(_), _) => (None, false),
        (None, queries) => {
            let returned: Vec<&Node<'_>> = queries
                .iter()
                .filter(|q| q.value().get("ReturnData").and_then(|b| b.as_bool()) != Some(false))
                .collect();
            match returned[..] {
                [q] if q.get("MetricStat").is_some() => (q.get("MetricStat"), true),
                _ => {
                    return Err(m.error_at(
                        "Metrics",
                        "metric math (an expression over several metrics) is not modelled; export the expression's result with get-metric-data and track that column with customized_metric = { metric_name, column } in the scenario",
                    ));
                }
            }
        }
    };
    let inner;
    let (metric_node, statistic) = match &source {
        Some(stat) => {
            inner = stat
                .get("Metric")
                .ok_or_else(|| stat.error_at("Metric", "is missing"))?;
            (&inner, stat.str("Stat")?)
        }
        None => (m, m.str("Statistic")?),
    };
    let mut dimensions = Vec::new();
    for d in metric_node.array("Dimensions")? {
        dimensions.push((
            d.req_str("Name")?.to_string(),
            d.req_str("Value")?.to_string(),
        ));
    }
    let spec = TrackedSpec::Customized {
        metric_name: metric_node.req_str("MetricName")?.to_string(),
        namespace: metric_node.str("Namespace")?.map(String::from),
        dimensions,
        statistic: statistic.map(String::from),
        unit: match &source {
            Some(stat) => stat.str("Unit")?.map(String::from),
            None => m.str("Unit")?.map(String::from),
        },
    };
    if !metrics_used {
        notes.leftovers(m, &[]);
    }
    Ok(spec)
}

fn predictive(p: &Node<'_>, notes: &mut Notes) -> Result<ImportedPolicyKind, ImportError> {
    let c = p.get("PredictiveScalingConfiguration").ok_or_else(|| {
        p.error_at(
            "PredictiveScalingConfiguration",
            "is missing; a PredictiveScaling policy has one",
        )
    })?;
    let specs = c.array("MetricSpecifications")?;
    let Some(spec) = specs.first() else {
        return Err(c.error_at(
            "MetricSpecifications",
            "is empty; a predictive policy has one",
        ));
    };
    if specs.len() > 1 {
        notes.warn(
            c.file(),
            &c.path_of("MetricSpecifications"),
            "asgsim models one metric specification; the first is imported",
        );
    }
    let pair = spec.get("PredefinedMetricPairSpecification").ok_or_else(|| {
        spec.error("asgsim models predictive scaling on a predefined metric pair (PredefinedMetricPairSpecification); this one uses separate or customized metrics")
    })?;
    let kind = ImportedPolicyKind::Predictive {
        metric_pair: pair.req_str("PredefinedMetricType")?.to_string(),
        target_value: spec
            .f64("TargetValue")?
            .ok_or_else(|| spec.error_at("TargetValue", "is missing"))?,
        mode: c.str("Mode")?.map(String::from),
        scheduling_buffer_time_s: c.u64("SchedulingBufferTime")?,
        max_capacity_breach_behavior: c.str("MaxCapacityBreachBehavior")?.map(String::from),
        max_capacity_buffer: c.u64("MaxCapacityBuffer")?,
    };
    pair.mark("ResourceLabel");
    notes.leftovers(&pair, &[]);
    notes.leftovers(spec, &[]);
    notes.leftovers(&c, &[]);
    Ok(kind)
}
