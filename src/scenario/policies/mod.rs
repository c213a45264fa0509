//! `[\[scaling_policies\]]`: one reader per policy type (`simple_step`, `target_tracking`,
//! `predictive`), the keys each type refuses, and the rules that span several policies.

mod predictive;
mod simple_step;
mod target_tracking;

pub(super) use target_tracking::read_dimensions;

use super::fields::{Reader, unique_names};
use super::model::{
    LoadConfig, LoadSource, PolicyConfig, PolicyKind, PredictiveMode, TrackedMetric,
};

/// AWS `PolicyType` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PolicyType {
    Simple,
    Step,
    TargetTracking,
    Predictive,
}

const POLICY_TYPES: [(&str, PolicyType); 4] = [
    ("SimpleScaling", PolicyType::Simple),
    ("StepScaling", PolicyType::Step),
    ("TargetTrackingScaling", PolicyType::TargetTracking),
    ("PredictiveScaling", PolicyType::Predictive),
];

impl PolicyType {
    /// The AWS spelling.
    pub(super) fn aws_name(self) -> &'static str {
        POLICY_TYPES
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("", |(n, _)| *n)
    }

    /// Whether AWS creates and manages this type's alarms (no alarm may name it).
    pub(super) fn has_managed_alarms(self) -> bool {
        matches!(self, Self::TargetTracking | Self::Predictive)
    }

    /// What a policy of this type takes, for messages about keys it refuses.
    fn takes(self) -> &'static str {
        match self {
            Self::Simple => {
                "a SimpleScaling policy takes adjustment_type, scaling_adjustment, cooldown and min_adjustment_magnitude"
            }
            Self::Step => {
                "a StepScaling policy takes adjustment_type, step_adjustments, min_adjustment_magnitude, metric_aggregation_type and estimated_instance_warmup"
            }
            Self::TargetTracking => {
                "a TargetTrackingScaling policy takes target_tracking_configuration and estimated_instance_warmup; it computes the capacity from the target value"
            }
            Self::Predictive => {
                "a PredictiveScaling policy takes predictive_scaling_configuration; it computes the capacity from the forecast"
            }
        }
    }
}

/// Keys that belong to some policy types only, and the types that take them.
const TYPED_KEYS: [(&str, &[PolicyType]); 10] = [
    ("adjustment_type", &[PolicyType::Simple, PolicyType::Step]),
    ("scaling_adjustment", &[PolicyType::Simple]),
    ("cooldown", &[PolicyType::Simple]),
    (
        "min_adjustment_magnitude",
        &[PolicyType::Simple, PolicyType::Step],
    ),
    (
        "min_adjustment_step",
        &[PolicyType::Simple, PolicyType::Step],
    ),
    ("step_adjustments", &[PolicyType::Step]),
    ("metric_aggregation_type", &[PolicyType::Step]),
    (
        "estimated_instance_warmup",
        &[PolicyType::Step, PolicyType::TargetTracking],
    ),
    (
        "target_tracking_configuration",
        &[PolicyType::TargetTracking],
    ),
    (
        "predictive_scaling_configuration",
        &[PolicyType::Predictive],
    ),
];

/// A policy entry as alarms see it: its `name` as written (empty when missing) and its
/// type, when that was valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PolicyRef {
    /// The `name` as written, empty when missing or not a string.
    pub(super) name: String,
    /// The `policy_type`, `None` when it was not valid.
    pub(super) policy_type: Option<PolicyType>,
}

/// Reads every policy. Returns them (`None` if any is wrong) and a [`PolicyRef`] per entry,
/// in file order, so that alarm actions can be resolved to indices. `load` (when valid) is
/// checked against customized target-tracking metrics, which read a column of the trace.
pub(super) fn read_policies(
    r: &mut Reader<'_>,
    load: Option<&LoadConfig>,
) -> (Option<Vec<PolicyConfig>>, Vec<PolicyRef>) {
    let entries = r.entries("scaling_policies");
    let names = unique_names(&entries, "scaling policy");
    let mut refs = Vec::new();
    let mut read = Vec::new();
    for (entry, name) in entries.into_iter().zip(names) {
        let label = entry.path().to_string();
        let (policy, policy_type) = read_policy(entry);
        refs.push(PolicyRef { name, policy_type });
        read.push((label, policy));
    }
    let valid: Vec<(&str, &PolicyConfig)> = read
        .iter()
        .filter_map(|(label, p)| p.as_ref().map(|p| (label.as_str(), p)))
        .collect();
    check_one_forecast_and_scale(r, &valid);
    check_custom_columns(r, &valid, load);
    let policies = read.into_iter().map(|(_, p)| p).collect();
    (policies, refs)
}

fn read_policy(mut e: Reader<'_>) -> (Option<PolicyConfig>, Option<PolicyType>) {
    let name = e.name("name").required();
    let who = name.clone().unwrap_or_else(|| e.path().to_string());
    let enabled = e.boolean("enabled").or(true);
    let type_written = e.peek("policy_type").is_some();
    let policy_type = e
        .choice("policy_type", &POLICY_TYPES)
        .or(PolicyType::Simple);
    let kind = match policy_type {
        Some(t) => {
            refuse_foreign_keys(&mut e, t, type_written);
            read_kind(&mut e, t, &who)
        }
        None => {
            e.allow_all();
            None
        }
    };
    e.finish();
    let policy = match (name, enabled, kind) {
        (Some(name), Some(enabled), Some(kind)) => Some(PolicyConfig {
            name,
            enabled,
            kind,
        }),
        _ => None,
    };
    (policy, policy_type)
}

/// The settings of one policy of type `t`; `who` names it in messages.
fn read_kind(e: &mut Reader<'_>, t: PolicyType, who: &str) -> Option<PolicyKind> {
    match t {
        PolicyType::Simple => simple_step::read_simple(e).map(PolicyKind::Simple),
        PolicyType::Step => simple_step::read_step(e, who).map(PolicyKind::Step),
        PolicyType::TargetTracking => {
            target_tracking::read_target_tracking(e, who).map(PolicyKind::TargetTracking)
        }
        PolicyType::Predictive => predictive::read_predictive(e, who).map(PolicyKind::Predictive),
    }
}

/// Reports each key written on a policy of type `t` that only other types take (the key
/// then counts as known, so it is not also reported as unknown).
fn refuse_foreign_keys(e: &mut Reader<'_>, t: PolicyType, type_written: bool) {
    for (key, owners) in TYPED_KEYS {
        if owners.contains(&t) || e.raw(key).is_none() {
            continue;
        }
        let names: Vec<&str> = owners.iter().map(|o| o.aws_name()).collect();
        let mut message = match (key, t) {
            ("cooldown", PolicyType::Step) => {
                "cooldown applies only to SimpleScaling; step policies use estimated_instance_warmup"
                    .to_string()
            }
            ("cooldown", PolicyType::TargetTracking) => {
                "cooldown applies only to SimpleScaling; target-tracking policies use estimated_instance_warmup"
                    .to_string()
            }
            _ => format!(
                "{key} does not apply to {} policies, only to {}; {}",
                t.aws_name(),
                names.join(" and "),
                t.takes()
            ),
        };
        if let (false, [owner]) = (type_written, owners) {
            message.push_str(&format!(
                " (policy_type is not given, so it is SimpleScaling: did you mean policy_type = \"{}\"?)",
                owner.aws_name()
            ));
        }
        e.report(key, message);
    }
}

/// AWS lets only one predictive policy of a group scale (mode ForecastAndScale).
fn check_one_forecast_and_scale(r: &Reader<'_>, policies: &[(&str, &PolicyConfig)]) {
    let scaling = policies.iter().filter(|(_, p)| {
        matches!(&p.kind, PolicyKind::Predictive(pp) if pp.mode == PredictiveMode::ForecastAndScale)
    });
    let mut first: Option<&str> = None;
    for (label, policy) in scaling {
        match first {
            None => first = Some(&policy.name),
            Some(first) => r.report(
                &format!("{label}.predictive_scaling_configuration.mode"),
                format!(
                    "only one predictive policy per group may scale (mode ForecastAndScale), as AWS allows, and {first} already does; set mode = \"ForecastOnly\" on {}",
                    policy.name
                ),
            ),
        }
    }
}

/// A customized target-tracking metric reads one column of the load trace CSV: the load must
/// be a trace, and all such policies must read the same column.
fn check_custom_columns(
    r: &Reader<'_>,
    policies: &[(&str, &PolicyConfig)],
    load: Option<&LoadConfig>,
) {
    let mut first: Option<(&str, &str)> = None;
    for (label, policy) in policies {
        let PolicyKind::TargetTracking(tt) = &policy.kind else {
            continue;
        };
        let TrackedMetric::Custom { column, .. } = &tt.metric else {
            continue;
        };
        let path = format!("{label}.target_tracking_configuration.customized_metric.column");
        if let Some(LoadConfig {
            source: LoadSource::Pattern(_),
            ..
        }) = load
        {
            r.report(
                &path,
                format!("the customized metric reads column {column} of the load trace CSV, but [load] uses a pattern, which has no columns; use load.trace with a CSV that has a {column} column, or a predefined_metric_type"),
            );
        }
        match first {
            None => first = Some((&policy.name, column)),
            Some((other, other_column)) if other_column != column => r.report(
                &path,
                format!("column {column} differs from column {other_column} of policy {other}; a scenario may track at most one customized-metric column"),
            ),
            Some(_) => {}
        }
    }
}
