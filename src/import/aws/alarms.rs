//! `cloudwatch describe-alarms`: the alarms that invoke the group's policies, tied to them
//! through the policy ARNs in `AlarmActions`. Target tracking's managed alarms are recognised
//! (their low alarm gives the policy's scale-in ratio) and not imported as alarms.

use crate::import::ImportError;
use crate::import::json::Node;
use crate::import::model::{ImportedAlarm, ImportedGroup, ImportedPolicyKind, alarm_metric};
use crate::import::notes::Notes;

/// Fields of an alarm that are not settings.
const NOT_SETTINGS: [&str; 10] = [
    "AlarmArn",
    "AlarmDescription",
    "AlarmConfigurationUpdatedTimestamp",
    "StateValue",
    "StateReason",
    "StateReasonData",
    "StateUpdatedTimestamp",
    "StateTransitionedTimestamp",
    "EvaluationState",
    "Unit",
];

/// The group and policy a scaling-policy ARN names:
/// `arn:aws:autoscaling:…:scalingPolicy:…:autoScalingGroupName/web:policyName/out`.
fn policy_of_arn(arn: &str) -> Option<(&str, &str)> {
    if !arn.contains(":scalingPolicy:") {
        return None;
    }
    let rest = arn.split("autoScalingGroupName/").nth(1)?;
    let (group, policy) = rest.split_once(":policyName/")?;
    Some((group, policy))
}

/// Reads the alarms that invoke a policy of the group.
pub(super) fn read_alarms(
    group: &mut ImportedGroup,
    alarms: &[Node<'_>],
    notes: &mut Notes,
) -> Result<(), ImportError> {
    let mut unrelated = Vec::new();
    for a in alarms {
        let name = a.req_str("AlarmName")?.to_string();
        let Some(invoked) = invoked_policies(group, a, &name)? else {
            unrelated.push(name);
            continue;
        };
        if managed_alarm(group, a, &invoked, notes)? {
            continue;
        }
        if let Some(alarm) = read_alarm(a, &name, &invoked, group, notes)? {
            group.alarms.push(alarm);
        }
    }
    if !unrelated.is_empty() {
        notes.warn_plain(format!(
            "alarms that invoke no scaling policy of {}, not imported: {}",
            group.name,
            unrelated.join(", ")
        ));
    }
    warn_policies_without_alarm(group, !alarms.is_empty(), notes);
    Ok(())
}

/// The indices in `group.policies` of the policies an alarm's `AlarmActions` invoke, or `None`
/// when it invokes no policy of this group (it belongs to another group or scales nothing).
/// An action naming a policy of the group that was not read is an error: the alarm would
/// otherwise be imported with an action that goes nowhere.
fn invoked_policies(
    group: &ImportedGroup,
    a: &Node<'_>,
    name: &str,
) -> Result<Option<Vec<usize>>, ImportError> {
    let actions = a.strings("AlarmActions")?;
    let ours: Vec<(usize, &str)> = actions
        .iter()
        .enumerate()
        .filter_map(|(i, arn)| {
            let (g, p) = policy_of_arn(arn)?;
            (g == group.name).then_some((i, p))
        })
        .collect();
    if ours.is_empty() {
        return Ok(None);
    }
    let mut invoked = Vec::new();
    for (i, policy_name) in &ours {
        let arn = actions[*i];
        let found = group.policies.iter().position(|p| {
            p.arn.as_deref() == Some(arn) || (p.arn.is_none() && p.name == *policy_name)
        });
        let Some(index) = found else {
            let known: Vec<&str> = group.policies.iter().map(|p| p.name.as_str()).collect();
            return Err(a.error_at(
                &format!("AlarmActions[{i}]"),
                format!(
                    "alarm {name} invokes policy {policy_name} of group {}, which no describe-policies output holds (the policies read are: {}); add `aws autoscaling describe-policies --auto-scaling-group-name {}`",
                    group.name,
                    if known.is_empty() { "none".to_string() } else { known.join(", ") },
                    group.name
                ),
            ));
        };
        invoked.push(index);
    }
    Ok(Some(invoked))
}

/// Warns about each simple or step policy that no imported alarm invokes: such a policy never
/// acts in the simulation, which would otherwise go unnoticed. `alarms_read` says whether any
/// describe-alarms output was given, to point at the warnings about its alarm.
fn warn_policies_without_alarm(group: &ImportedGroup, alarms_read: bool, notes: &mut Notes) {
    for policy in &group.policies {
        let needs_alarm = matches!(
            policy.kind,
            ImportedPolicyKind::Simple { .. } | ImportedPolicyKind::Step { .. }
        );
        let named = group
            .alarms
            .iter()
            .any(|a| a.actions.contains(&policy.name));
        if needs_alarm && !named {
            notes.warn_plain(format!(
                "policy {} ({}) is invoked by no imported alarm, so it never acts in the simulation; add its alarm's describe-alarms output{}",
                policy.name,
                policy.source,
                if alarms_read { " (or see the warnings about its alarm above)" } else { "" }
            ));
        }
    }
}

/// A target-tracking policy's own alarm: not imported; the low one gives the scale-in ratio.
fn managed_alarm(
    group: &mut ImportedGroup,
    a: &Node<'_>,
    invoked: &[usize],
    notes: &mut Notes,
) -> Result<bool, ImportError> {
    let [index] = invoked[..] else {
        return Ok(false);
    };
    let name = a
        .value()
        .get("AlarmName")
        .and_then(|v| v.as_str())
        .unwrap_or("");
    let threshold = a.f64("Threshold")?;
    let operator = a.str("ComparisonOperator")?.unwrap_or("");
    let ImportedPolicyKind::TargetTracking {
        target_value,
        scale_in_ratio,
        ..
    } = &mut group.policies[index].kind
    else {
        return Ok(false);
    };
    if operator.starts_with("Less")
        && let Some(t) = threshold
        && *target_value > 0.0
    {
        let ratio = t / *target_value;
        if ratio > 0.0 && ratio < 1.0 && (ratio - 0.7).abs() > 1e-9 {
            *scale_in_ratio = Some((ratio * 1e6).round() / 1e6);
        }
    }
    notes.ignore(
        a.file(),
        format!(
            "{} (the managed alarm {name} of target-tracking policy {})",
            a.path(),
            group.policies[index].name
        ),
    );
    Ok(true)
}

/// What an alarm asgsim can evaluate measures and how it compares, read by [`evaluable`].
struct Evaluable<'a> {
    namespace: Option<&'a str>,
    /// asgsim's name of the metric.
    metric_name: &'static str,
    period_s: Option<u64>,
    comparison_operator: &'a str,
}

/// The alarm's metric, period and operator when asgsim can evaluate it, or (as `Err`) why it
/// cannot: disabled actions, metric math, percentiles, an unmodelled metric, high resolution
/// or anomaly detection. The checks run in this order so the first reason given is the most
/// fundamental one.
fn evaluable<'a>(a: &Node<'a>) -> Result<Result<Evaluable<'a>, String>, ImportError> {
    if a.bool("ActionsEnabled")? == Some(false) {
        return Ok(Err(
            "its actions are disabled (ActionsEnabled false), so it scales nothing".to_string(),
        ));
    }
    if !a.array("Metrics")?.is_empty() {
        return Ok(Err("metric math (Metrics) is not modelled; an alarm on one of CPUUtilization, NetworkIn, NetworkOut, RequestCountPerTarget or Latency is".to_string()));
    }
    if let Some(p) = a.str("ExtendedStatistic")? {
        return Ok(Err(format!(
            "the percentile statistic {p} is not modelled (Average, Sum, Minimum, Maximum, SampleCount are)"
        )));
    }
    let namespace = a.str("Namespace")?;
    let metric = a.req_str("MetricName")?;
    let Some(metric_name) = alarm_metric(namespace, metric) else {
        return Ok(Err(format!(
            "{} {metric} is not a metric asgsim models (CPUUtilization, NetworkIn, NetworkOut of AWS/EC2; RequestCountPerTarget of AWS/ApplicationELB; Latency of AWS/ELB)",
            namespace.unwrap_or("")
        )));
    };
    let period_s = a.u64("Period")?;
    if period_s.is_some_and(|p| p < 60) {
        return Ok(Err(
            "high-resolution periods (under 60 s) are not modelled".to_string()
        ));
    }
    let comparison_operator = a.req_str("ComparisonOperator")?;
    if comparison_operator.contains("Band") || comparison_operator.contains("LowerOrGreater") {
        return Ok(Err(format!(
            "anomaly detection ({comparison_operator}) is not modelled"
        )));
    }
    Ok(Ok(Evaluable {
        namespace,
        metric_name,
        period_s,
        comparison_operator,
    }))
}

/// An alarm asgsim can evaluate; `None` (with a warning) for one it cannot.
fn read_alarm(
    a: &Node<'_>,
    name: &str,
    invoked: &[usize],
    group: &ImportedGroup,
    notes: &mut Notes,
) -> Result<Option<ImportedAlarm>, ImportError> {
    let e = match evaluable(a)? {
        Ok(e) => e,
        Err(why) => {
            notes.warn(
                a.file(),
                a.path(),
                format!("alarm {name}: {why}; not imported"),
            );
            return Ok(None);
        }
    };
    let mut dimensions = Vec::new();
    for d in a.array("Dimensions")? {
        dimensions.push((
            d.req_str("Name")?.to_string(),
            d.req_str("Value")?.to_string(),
        ));
    }
    let alarm = ImportedAlarm {
        name: name.to_string(),
        source: format!("cloudwatch describe-alarms ({}: {})", a.file(), a.path()),
        namespace: e.namespace.map(String::from),
        metric_name: e.metric_name.to_string(),
        dimensions,
        statistic: a.str("Statistic")?.map(String::from),
        period_s: e.period_s,
        evaluation_periods: a
            .u64("EvaluationPeriods")?
            .ok_or_else(|| a.error_at("EvaluationPeriods", "is missing"))?,
        datapoints_to_alarm: a.u64("DatapointsToAlarm")?,
        threshold: a
            .f64("Threshold")?
            .ok_or_else(|| a.error_at("Threshold", "is missing"))?,
        comparison_operator: e.comparison_operator.to_string(),
        treat_missing_data: a.str("TreatMissingData")?.map(String::from),
        actions: invoked
            .iter()
            .map(|i| group.policies[*i].name.clone())
            .collect(),
    };
    warn_other_actions(a, notes)?;
    notes.leftovers(a, &NOT_SETTINGS);
    Ok(Some(alarm))
}

/// Warns about the alarm's actions that are not scaling policies (SNS topics, EC2 actions) and
/// about its OK and INSUFFICIENT_DATA actions: asgsim acts only on a policy in ALARM, so these
/// are dropped, and the user should know.
fn warn_other_actions(a: &Node<'_>, notes: &mut Notes) -> Result<(), ImportError> {
    let others: Vec<&str> = a
        .strings("AlarmActions")?
        .into_iter()
        .filter(|arn| policy_of_arn(arn).is_none())
        .collect();
    if !others.is_empty() {
        notes.warn(
            a.file(),
            &a.path_of("AlarmActions"),
            format!(
                "actions other than scaling policies ({}) are not modelled; left out",
                others.join(", ")
            ),
        );
    }
    for key in ["OKActions", "InsufficientDataActions"] {
        let arns = a.strings(key)?;
        if !arns.is_empty() {
            notes.warn(
                a.file(),
                &a.path_of(key),
                format!(
                    "{} are not modelled (asgsim scales on ALARM only); left out",
                    arns.join(", ")
                ),
            );
        }
    }
    Ok(())
}
