//! Terraform's `aws_autoscaling_policy`, `aws_cloudwatch_metric_alarm`,
//! `aws_autoscaling_schedule` and `aws_autoscaling_lifecycle_hook` (and the group's
//! `initial_lifecycle_hook` blocks), as AWS's fields.

use super::Resource;
use super::args::Args;
use super::eval::{Scope, Val};
use crate::import::ImportError;
use crate::import::model::{
    ImportedAlarm, ImportedGroup, ImportedHook, ImportedPolicy, ImportedPolicyKind,
    ImportedSchedule, ImportedStep, TrackedSpec, alarm_metric,
};
use crate::import::notes::Notes;

/// An `aws_autoscaling_policy`, as AWS's fields; its `arn` is made up from the resource's
/// address so that alarms' `alarm_actions` references resolve to it.
pub(super) fn read_policy(
    r: &Resource<'_>,
    scope: &Scope<'_>,
    notes: &mut Notes,
) -> Result<ImportedPolicy, ImportError> {
    let (name_value, a) = Args::named(r, scope, ("name", "scaling_policies"), notes)?;
    a.value("autoscaling_group_name", None, false, notes)?;
    let policy_type = a
        .string("policy_type", "policy_type", notes)?
        .unwrap_or_else(|| "SimpleScaling".to_string());
    let kind = match policy_type.as_str() {
        "StepScaling" => step_scaling(&a, r, notes)?,
        "TargetTrackingScaling" => target_tracking(&a, r, notes)?,
        "PredictiveScaling" => {
            return Err(ImportError::file(
                r.source.at(r.block),
                format!(
                    "{}: predictive scaling policies are imported from the AWS CLI's JSON (asgsim import aws); from Terraform, write its predictive_scaling_configuration in the scenario",
                    r.address()
                ),
            ));
        }
        _ => simple_scaling(&a, r, notes)?,
    };
    let policy = ImportedPolicy {
        name: name_value,
        arn: Some(format!("arn:terraform:{}", r.address())),
        source: format!("{} ({})", r.address(), r.source.at(r.block)),
        enabled: a.bool("enabled", "enabled", notes)?,
        kind,
    };
    a.leftovers(notes);
    Ok(policy)
}

/// The policy's `adjustment_type`, `ChangeInCapacity` when unset as in the provider.
fn adjustment_type(a: &Args<'_, '_>, notes: &mut Notes) -> Result<String, ImportError> {
    Ok(a.string("adjustment_type", "adjustment_type", notes)?
        .unwrap_or_else(|| "ChangeInCapacity".to_string()))
}

/// The policy's `min_adjustment_magnitude`; 0 means none, as in AWS.
fn min_adjustment_magnitude(
    a: &Args<'_, '_>,
    notes: &mut Notes,
) -> Result<Option<u64>, ImportError> {
    Ok(a.u64(
        "min_adjustment_magnitude",
        "min_adjustment_magnitude",
        notes,
    )?
    .filter(|m| *m > 0))
}

/// A `SimpleScaling` policy (the provider's default `policy_type`).
fn simple_scaling(
    a: &Args<'_, '_>,
    r: &Resource<'_>,
    notes: &mut Notes,
) -> Result<ImportedPolicyKind, ImportError> {
    Ok(ImportedPolicyKind::Simple {
        adjustment_type: adjustment_type(a, notes)?,
        scaling_adjustment: a
            .i64("scaling_adjustment", "scaling_adjustment", notes)?
            .ok_or_else(|| {
                ImportError::file(
                    r.source.at(r.block),
                    format!("{} has no scaling_adjustment", r.address()),
                )
            })?,
        cooldown_s: a.u64("cooldown", "cooldown", notes)?,
        min_adjustment_magnitude: min_adjustment_magnitude(a, notes)?,
    })
}

/// A `StepScaling` policy with its `step_adjustment` blocks.
fn step_scaling(
    a: &Args<'_, '_>,
    r: &Resource<'_>,
    notes: &mut Notes,
) -> Result<ImportedPolicyKind, ImportError> {
    let adjustment_type = adjustment_type(a, notes)?;
    let steps = step_adjustments(a, r, notes)?;
    Ok(ImportedPolicyKind::Step {
        adjustment_type,
        steps,
        min_adjustment_magnitude: min_adjustment_magnitude(a, notes)?,
        metric_aggregation_type: a.string(
            "metric_aggregation_type",
            "metric_aggregation_type",
            notes,
        )?,
        estimated_instance_warmup_s: a.u64(
            "estimated_instance_warmup",
            "estimated_instance_warmup",
            notes,
        )?,
    })
}

/// Each `step_adjustment` block as (lower bound, upper bound, adjustment); a step without a
/// `scaling_adjustment` is an error, since it would scale by nothing.
fn step_adjustments(
    a: &Args<'_, '_>,
    r: &Resource<'_>,
    notes: &mut Notes,
) -> Result<Vec<ImportedStep>, ImportError> {
    let mut steps = Vec::new();
    for s in a.blocks("step_adjustment") {
        let adj = s
            .i64("scaling_adjustment", "step_adjustments", notes)?
            .ok_or_else(|| {
                ImportError::file(
                    &r.source.path,
                    format!("{}: a step_adjustment has no scaling_adjustment", s.label),
                )
            })?;
        steps.push((
            s.f64("metric_interval_lower_bound", "step_adjustments", notes)?,
            s.f64("metric_interval_upper_bound", "step_adjustments", notes)?,
            adj,
        ));
        s.leftovers(notes);
    }
    Ok(steps)
}

/// A `TargetTrackingScaling` policy from its `target_tracking_configuration` block.
fn target_tracking(
    a: &Args<'_, '_>,
    r: &Resource<'_>,
    notes: &mut Notes,
) -> Result<ImportedPolicyKind, ImportError> {
    let c = a.block("target_tracking_configuration").ok_or_else(|| {
        ImportError::file(
            r.source.at(r.block),
            format!(
                "{} is TargetTrackingScaling but has no target_tracking_configuration",
                r.address()
            ),
        )
    })?;
    let metric = tracked_metric(&c, r, notes)?;
    let target_value = c
        .f64(
            "target_value",
            "target_tracking_configuration.target_value",
            notes,
        )?
        .ok_or_else(|| {
            ImportError::file(
                r.source.at(r.block),
                format!(
                    "{}: target_tracking_configuration has no target_value",
                    r.address()
                ),
            )
        })?;
    let kind = ImportedPolicyKind::TargetTracking {
        metric,
        target_value,
        disable_scale_in: c.bool(
            "disable_scale_in",
            "target_tracking_configuration.disable_scale_in",
            notes,
        )?,
        estimated_instance_warmup_s: a.u64(
            "estimated_instance_warmup",
            "estimated_instance_warmup",
            notes,
        )?,
        scale_in_ratio: None,
    };
    c.leftovers(notes);
    Ok(kind)
}

/// The metric a target-tracking configuration `c` tracks: its predefined or customized
/// metric specification (one is required, as in AWS).
fn tracked_metric(
    c: &Args<'_, '_>,
    r: &Resource<'_>,
    notes: &mut Notes,
) -> Result<TrackedSpec, ImportError> {
    match (
        c.block("predefined_metric_specification"),
        c.block("customized_metric_specification"),
    ) {
        (Some(p), _) => {
            let metric_type = p
                .string(
                    "predefined_metric_type",
                    "target_tracking_configuration",
                    notes,
                )?
                .unwrap_or_default();
            let label = p.string("resource_label", "target_tracking_configuration", notes)?;
            p.leftovers(notes);
            Ok(TrackedSpec::Predefined {
                metric_type,
                resource_label: label,
            })
        }
        (None, Some(m)) => customized_metric(&m, notes),
        (None, None) => Err(ImportError::file(
            r.source.at(r.block),
            format!(
                "{}: target_tracking_configuration has no predefined_metric_specification or customized_metric_specification",
                r.address()
            ),
        )),
    }
}

/// A `customized_metric_specification` block `m`, with its `metric_dimension` blocks.
fn customized_metric(m: &Args<'_, '_>, notes: &mut Notes) -> Result<TrackedSpec, ImportError> {
    let mut dimensions = Vec::new();
    for d in m.blocks("metric_dimension") {
        if let (Some(n), Some(v)) = (
            d.string("name", "target_tracking_configuration", notes)?,
            d.string("value", "target_tracking_configuration", notes)?,
        ) {
            dimensions.push((n, v));
        }
        d.leftovers(notes);
    }
    let spec = TrackedSpec::Customized {
        metric_name: m
            .string("metric_name", "target_tracking_configuration", notes)?
            .unwrap_or_default(),
        namespace: m.string("namespace", "target_tracking_configuration", notes)?,
        dimensions,
        statistic: m.string("statistic", "target_tracking_configuration", notes)?,
        unit: m.string("unit", "target_tracking_configuration", notes)?,
    };
    m.leftovers(notes);
    Ok(spec)
}

/// An `aws_cloudwatch_metric_alarm` that invokes a policy of `group`; `None` (with a warning
/// unless it belongs to another group's policies) for one that does not or that asgsim
/// cannot evaluate.
pub(super) fn read_alarm(
    r: &Resource<'_>,
    scope: &Scope<'_>,
    group: &ImportedGroup,
    notes: &mut Notes,
) -> Result<Option<ImportedAlarm>, ImportError> {
    let (name, a) = Args::named(r, scope, ("alarm_name", "alarms"), notes)?;
    let Some(invoked) = invoked_policies(&a, r, group, notes)? else {
        return Ok(None);
    };
    let namespace = a.string("namespace", "namespace", notes)?;
    let metric = a
        .string("metric_name", "metric_name", notes)?
        .unwrap_or_default();
    let metric_name = match modelled_metric(&a, namespace.as_deref(), &metric, notes)? {
        Ok(metric_name) => metric_name,
        Err(why) => return Ok(skip_alarm(r, &why, notes)),
    };
    let dimensions = match a.value("dimensions", Some("dimensions"), false, notes)? {
        Some(Val::Map(m)) => m
            .into_iter()
            .filter_map(|(k, v)| v.as_string().map(|v| (k, v)))
            .collect(),
        _ => Vec::new(),
    };
    let alarm = ImportedAlarm {
        name,
        source: format!("{} ({})", r.address(), r.source.at(r.block)),
        namespace,
        metric_name: metric_name.to_string(),
        dimensions,
        statistic: a.string("statistic", "statistic", notes)?,
        period_s: a.u64("period", "period", notes)?,
        evaluation_periods: a
            .u64("evaluation_periods", "evaluation_periods", notes)?
            .unwrap_or(1),
        datapoints_to_alarm: a.u64("datapoints_to_alarm", "datapoints_to_alarm", notes)?,
        threshold: a.f64("threshold", "threshold", notes)?.unwrap_or(0.0),
        comparison_operator: a
            .string("comparison_operator", "comparison_operator", notes)?
            .unwrap_or_default(),
        treat_missing_data: a.string("treat_missing_data", "treat_missing_data", notes)?,
        actions: invoked,
    };
    a.value("unit", None, false, notes)?;
    if a.bool("actions_enabled", "alarm_actions", notes)? == Some(false) {
        return Ok(skip_alarm(
            r,
            "its actions are disabled (actions_enabled = false)",
            notes,
        ));
    }
    a.leftovers(notes);
    Ok(Some(alarm))
}

/// The names of the group's policies the alarm's `alarm_actions` invoke, or `None` when it
/// invokes none. An alarm that invokes another group's policy is silently someone else's;
/// one that invokes no policy at all gets a warning, since it would scale nothing.
fn invoked_policies(
    a: &Args<'_, '_>,
    r: &Resource<'_>,
    group: &ImportedGroup,
    notes: &mut Notes,
) -> Result<Option<Vec<String>>, ImportError> {
    let actions = a.strings("alarm_actions", "alarm_actions", notes)?;
    let mut invoked = Vec::new();
    let mut other_groups = false;
    for action in &actions {
        match group
            .policies
            .iter()
            .find(|p| p.arn.as_deref() == Some(action.as_str()))
        {
            Some(p) => invoked.push(p.name.clone()),
            None if action.starts_with("arn:terraform:aws_autoscaling_policy.") => {
                other_groups = true
            }
            None => {}
        }
    }
    if !invoked.is_empty() {
        return Ok(Some(invoked));
    }
    if !other_groups {
        notes.warn_plain(format!(
            "{} ({}) invokes no scaling policy of {}; not imported",
            r.address(),
            r.source.at(r.block),
            group.name
        ));
    }
    Ok(None)
}

/// asgsim's name of the alarm's metric, or (as `Err`) why the alarm cannot be evaluated:
/// metric math, a percentile statistic or a metric asgsim does not model.
fn modelled_metric(
    a: &Args<'_, '_>,
    namespace: Option<&str>,
    metric: &str,
    notes: &mut Notes,
) -> Result<Result<&'static str, String>, ImportError> {
    if !a.blocks("metric_query").is_empty() {
        return Ok(Err("metric math (metric_query) is not modelled".to_string()));
    }
    if a.string("extended_statistic", "statistic", notes)?
        .is_some()
    {
        return Ok(Err("percentile statistics are not modelled".to_string()));
    }
    Ok(alarm_metric(namespace, metric).ok_or_else(|| {
        format!(
            "{} {metric} is not a metric asgsim models",
            namespace.unwrap_or("")
        )
    }))
}

/// Warns that the alarm is not imported and why; always `None`, the alarm not imported.
fn skip_alarm(r: &Resource<'_>, why: &str, notes: &mut Notes) -> Option<ImportedAlarm> {
    notes.warn(
        &r.source.at(r.block),
        &r.address(),
        format!("{why}; not imported"),
    );
    None
}

pub(super) fn read_schedule(
    r: &Resource<'_>,
    scope: &Scope<'_>,
    notes: &mut Notes,
) -> Result<ImportedSchedule, ImportError> {
    let (name, a) = Args::named(
        r,
        scope,
        ("scheduled_action_name", "scheduled_actions"),
        notes,
    )?;
    a.value("autoscaling_group_name", None, false, notes)?;
    // -1 leaves a size as it is, as the provider documents.
    let size = |key: &str, notes: &mut Notes| -> Result<Option<u64>, ImportError> {
        Ok(a.i64(key, key, notes)?.and_then(|n| u64::try_from(n).ok()))
    };
    let schedule = ImportedSchedule {
        source: format!("{} ({})", r.address(), r.source.at(r.block)),
        recurrence: a.string("recurrence", "recurrence", notes)?,
        time_zone: a.string("time_zone", "time_zone", notes)?,
        start_time: a.string("start_time", "start_time", notes)?,
        end_time: a.string("end_time", "end_time", notes)?,
        min_size: size("min_size", notes)?,
        max_size: size("max_size", notes)?,
        desired_capacity: size("desired_capacity", notes)?,
        name,
    };
    let schedule = ImportedSchedule {
        start_time: schedule
            .start_time
            .clone()
            .filter(|_| schedule.recurrence.is_none()),
        ..schedule
    };
    a.leftovers(notes);
    Ok(schedule)
}

pub(super) fn read_hook(
    r: &Resource<'_>,
    scope: &Scope<'_>,
    notes: &mut Notes,
) -> Result<ImportedHook, ImportError> {
    let a = Args::of(r, scope, "lifecycle_hooks");
    a.value("autoscaling_group_name", None, false, notes)?;
    let mut hook = hook_from(&a, notes)?;
    if hook.name.is_empty() {
        hook.name = r.name.to_string();
    }
    hook.source = format!("{} ({})", r.address(), r.source.at(r.block));
    Ok(hook)
}

/// The arguments of a lifecycle hook, as a resource or an `initial_lifecycle_hook` block.
pub(super) fn hook_from(a: &Args<'_, '_>, notes: &mut Notes) -> Result<ImportedHook, ImportError> {
    let hook = ImportedHook {
        name: a.string("name", "name", notes)?.unwrap_or_default(),
        source: format!("{} ({})", a.label, a.source.path),
        transition: a
            .string("lifecycle_transition", "lifecycle_transition", notes)?
            .unwrap_or_default(),
        heartbeat_timeout_s: a.u64("heartbeat_timeout", "heartbeat_timeout", notes)?,
        default_result: a.string("default_result", "default_result", notes)?,
    };
    for key in [
        "notification_target_arn",
        "role_arn",
        "notification_metadata",
    ] {
        if a.value(key, None, false, notes)?.is_some() {
            notes.warn(&a.source.path, &format!("{}.{key}", a.label), "who is told of the hook is not modelled (asgsim models the hook's work by work_time); left out");
        }
    }
    a.leftovers(notes);
    Ok(hook)
}
