//! `SimpleScaling` and `StepScaling`: the two policy types an alarm invokes, which share
//! `adjustment_type` and `min_adjustment_magnitude`.

use toml::Value;

use super::super::fields::Reader;
use super::super::model::{AdjustmentType, SimplePolicy, Statistic, StepAdjustment, StepPolicy};
use crate::policy::validate_steps;

const ADJUSTMENT_TYPES: [(&str, AdjustmentType); 3] = [
    ("ChangeInCapacity", AdjustmentType::ChangeInCapacity),
    ("ExactCapacity", AdjustmentType::ExactCapacity),
    (
        "PercentChangeInCapacity",
        AdjustmentType::PercentChangeInCapacity,
    ),
];

/// `MetricAggregationType` values of a step policy.
const AGGREGATIONS: [(&str, Statistic); 3] = [
    ("Average", Statistic::Average),
    ("Minimum", Statistic::Minimum),
    ("Maximum", Statistic::Maximum),
];

const STEP_EXAMPLE: &str = "[{ metric_interval_lower_bound = 0, metric_interval_upper_bound = 10, scaling_adjustment = 1 }, { metric_interval_lower_bound = 10, scaling_adjustment = 2 }]";

/// `SimpleScaling`: `adjustment_type`, `scaling_adjustment`, `cooldown`,
/// `min_adjustment_magnitude` (alias `min_adjustment_step`).
pub(super) fn read_simple(e: &mut Reader<'_>) -> Option<SimplePolicy> {
    let adjustment_type = e.choice("adjustment_type", &ADJUSTMENT_TYPES).required();
    let scaling_adjustment = e.integer("scaling_adjustment").required();
    let cooldown_ms = e.duration("cooldown").optional();
    let min_adjustment_magnitude = read_magnitude(e, adjustment_type);
    if let (Some(AdjustmentType::ExactCapacity), Some(adj)) = (adjustment_type, scaling_adjustment)
        && adj < 0
    {
        e.report("scaling_adjustment", exact_negative(adj));
        return None;
    }
    Some(SimplePolicy {
        adjustment_type: adjustment_type?,
        scaling_adjustment: scaling_adjustment?,
        cooldown_ms: cooldown_ms?,
        min_adjustment_magnitude: min_adjustment_magnitude?,
    })
}

/// `StepScaling`: `adjustment_type`, `step_adjustments`, `min_adjustment_magnitude` (alias
/// `min_adjustment_step`), `metric_aggregation_type`, `estimated_instance_warmup`. `who`
/// names the policy in messages.
pub(super) fn read_step(e: &mut Reader<'_>, who: &str) -> Option<StepPolicy> {
    let adjustment_type = e.choice("adjustment_type", &ADJUSTMENT_TYPES).required();
    let step_adjustments = read_step_adjustments(e, who, adjustment_type);
    let min_adjustment_magnitude = read_magnitude(e, adjustment_type);
    let metric_aggregation_type = e
        .choice("metric_aggregation_type", &AGGREGATIONS)
        .or(Statistic::Average);
    let estimated_instance_warmup_ms = e.duration("estimated_instance_warmup").optional();
    Some(StepPolicy {
        adjustment_type: adjustment_type?,
        step_adjustments: step_adjustments?,
        min_adjustment_magnitude: min_adjustment_magnitude?,
        metric_aggregation_type: metric_aggregation_type?,
        estimated_instance_warmup_ms: estimated_instance_warmup_ms?,
    })
}

/// `step_adjustments`: each step read, then the set checked as AWS does (no gap, no
/// overlap, ...); every problem of the set is reported at `step_adjustments`, naming the
/// policy. Returns the steps sorted by lower bound.
fn read_step_adjustments(
    e: &mut Reader<'_>,
    who: &str,
    adjustment_type: Option<AdjustmentType>,
) -> Option<Vec<StepAdjustment>> {
    let key = "step_adjustments";
    let item_count = match e.peek(key) {
        None => {
            e.raw(key);
            e.report(
                key,
                format!("step policy {who} needs step_adjustments, such as {STEP_EXAMPLE}"),
            );
            return None;
        }
        Some(Value::Array(items)) => Some(items.len()),
        Some(_) => None,
    };
    let what = format!("an array of inline tables, such as {STEP_EXAMPLE}");
    let entries = e.entries_described(key, &what);
    if item_count != Some(entries.len()) {
        return None;
    }
    let steps: Vec<Option<StepAdjustment>> = entries
        .into_iter()
        .map(|s| read_one_step(s, adjustment_type))
        .collect();
    let steps: Vec<StepAdjustment> = steps.into_iter().collect::<Option<_>>()?;
    match validate_steps(&steps) {
        Ok(sorted) => Some(sorted),
        Err(problems) => {
            for problem in problems {
                e.report(key, format!("step policy {who}: {problem}"));
            }
            None
        }
    }
}

/// One `{ metric_interval_lower_bound, metric_interval_upper_bound, scaling_adjustment }`.
fn read_one_step(
    mut s: Reader<'_>,
    adjustment_type: Option<AdjustmentType>,
) -> Option<StepAdjustment> {
    let lower_bound = s.number("metric_interval_lower_bound").optional();
    let upper_bound = s.number("metric_interval_upper_bound").optional();
    let exact = adjustment_type == Some(AdjustmentType::ExactCapacity);
    let scaling_adjustment = s
        .integer("scaling_adjustment")
        .check(|adj| !exact || *adj >= 0, |adj| exact_negative(*adj))
        .required();
    s.finish();
    Some(StepAdjustment {
        lower_bound: lower_bound?,
        upper_bound: upper_bound?,
        scaling_adjustment: scaling_adjustment?,
    })
}

fn exact_negative(adj: i64) -> String {
    format!("must be ≥ 0 with ExactCapacity (it is the new capacity), found {adj}")
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
