//! `[[scaling_policies]]`: one reader per policy type, so that new types slot in beside
//! `SimpleScaling`.

use super::fields::{Reader, unique_names};
use super::model::{AdjustmentType, PolicyConfig, PolicyKind, SimplePolicy};

/// AWS `PolicyType` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PolicyType {
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

const ADJUSTMENT_TYPES: [(&str, AdjustmentType); 3] = [
    ("ChangeInCapacity", AdjustmentType::ChangeInCapacity),
    ("ExactCapacity", AdjustmentType::ExactCapacity),
    (
        "PercentChangeInCapacity",
        AdjustmentType::PercentChangeInCapacity,
    ),
];

/// Reads every policy. Returns them (`None` if any is wrong) and the `name` of each entry
/// as written, in file order, so that alarm actions can be resolved to indices.
pub(super) fn read_policies(r: &mut Reader<'_>) -> (Option<Vec<PolicyConfig>>, Vec<String>) {
    let entries = r.entries("scaling_policies");
    let names = unique_names(&entries, "scaling policy");
    let policies: Vec<Option<PolicyConfig>> = entries.into_iter().map(read_policy).collect();
    (policies.into_iter().collect(), names)
}

fn read_policy(mut e: Reader<'_>) -> Option<PolicyConfig> {
    let name = e.name("name").required();
    let enabled = e.boolean("enabled").or(true);
    let policy_type = e
        .choice("policy_type", &POLICY_TYPES)
        .or(PolicyType::Simple);
    let kind = match policy_type {
        Some(PolicyType::Simple) => read_simple(&mut e).map(PolicyKind::Simple),
        Some(t) => not_supported_yet(&mut e, t),
        None => {
            e.allow_all();
            None
        }
    };
    e.finish();
    Some(PolicyConfig {
        name: name?,
        enabled: enabled?,
        kind: kind?,
    })
}

/// A valid AWS policy type that this version does not model: one problem, and its own
/// keys are not reported as unknown.
fn not_supported_yet(e: &mut Reader<'_>, policy_type: PolicyType) -> Option<PolicyKind> {
    let aws_name = POLICY_TYPES
        .iter()
        .find(|(_, t)| *t == policy_type)
        .map_or("", |(n, _)| *n);
    e.report(
        "policy_type",
        format!("policy_type {aws_name} is not supported yet; use SimpleScaling"),
    );
    e.allow_all();
    None
}

/// `SimpleScaling`: `adjustment_type`, `scaling_adjustment`, `cooldown`,
/// `min_adjustment_magnitude` (alias `min_adjustment_step`).
fn read_simple(e: &mut Reader<'_>) -> Option<SimplePolicy> {
    let adjustment_type = e.choice("adjustment_type", &ADJUSTMENT_TYPES).required();
    let scaling_adjustment = e.integer("scaling_adjustment").required();
    let cooldown_ms = e.duration("cooldown").optional();
    let min_adjustment_magnitude = read_magnitude(e, adjustment_type);
    if let (Some(AdjustmentType::ExactCapacity), Some(adj)) = (adjustment_type, scaling_adjustment)
        && adj < 0
    {
        e.report(
            "scaling_adjustment",
            format!("must be ≥ 0 with ExactCapacity (it is the new capacity), found {adj}"),
        );
        return None;
    }
    Some(SimplePolicy {
        adjustment_type: adjustment_type?,
        scaling_adjustment: scaling_adjustment?,
        cooldown_ms: cooldown_ms?,
        min_adjustment_magnitude: min_adjustment_magnitude?,
    })
}

/// `min_adjustment_magnitude` (or its deprecated alias): ≥ 1, PercentChangeInCapacity only.
fn read_magnitude(
    e: &mut Reader<'_>,
    adjustment_type: Option<AdjustmentType>,
) -> Option<Option<u32>> {
    let mut at_least_one = |key: &str| {
        let field = e
            .count(key)
            .check(|m| *m >= 1, |m| format!("must be ≥ 1, found {m}"));
        (field.is_present(), field.optional())
    };
    let (written, magnitude) = at_least_one("min_adjustment_magnitude");
    let (alias_written, alias) = at_least_one("min_adjustment_step");
    if written && alias_written {
        e.report(
            "min_adjustment_step",
            "min_adjustment_step is the deprecated alias of min_adjustment_magnitude; give only one",
        );
        return None;
    }
    let key = if written {
        "min_adjustment_magnitude"
    } else {
        "min_adjustment_step"
    };
    let value = if written { magnitude? } else { alias? };
    match (value, adjustment_type) {
        (Some(_), Some(t)) if t != AdjustmentType::PercentChangeInCapacity => {
            e.report(
                key,
                format!("{key} applies only to adjustment_type PercentChangeInCapacity, as AWS requires; remove it or change the adjustment type"),
            );
            None
        }
        _ => Some(value),
    }
}
