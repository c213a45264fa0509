//! Scaling policies in plain words: adjustments, step intervals, and the activity cause AWS
//! writes when an alarm triggers a policy.

use crate::cloudwatch::describe::signed;

use super::AdjustmentType;

/// `+2`, `−1`, `exactly 4`, `+10% (at least 2)`.
pub fn adjustment_text(
    adjustment_type: AdjustmentType,
    adj: i64,
    min_adjustment_magnitude: Option<u32>,
) -> String {
    let signed = if adj >= 0 {
        format!("+{adj}")
    } else {
        format!("−{}", adj.unsigned_abs())
    };
    match adjustment_type {
        AdjustmentType::ChangeInCapacity => signed,
        AdjustmentType::ExactCapacity => format!("exactly {adj}"),
        AdjustmentType::PercentChangeInCapacity => match min_adjustment_magnitude {
            Some(m) => format!("{signed}% (at least {m})"),
            None => format!("{signed}%"),
        },
    }
}

/// The decision sentence AWS writes in an activity's cause when an alarm triggers a policy
/// (UG: as-verify-scaling-activity): "At 2025-01-06T07:08:00Z a monitor alarm HighCPU in state
/// ALARM triggered policy scale-out changing the desired capacity from 3 to 5."
pub fn alarm_cause(
    at: impl std::fmt::Display,
    alarm_name: &str,
    policy_name: &str,
    before: u32,
    after: u32,
) -> String {
    format!(
        "At {at} a monitor alarm {alarm_name} in state ALARM triggered policy {policy_name} changing the desired capacity from {before} to {after}."
    )
}

/// A step interval as AWS bounds it: `[lo, hi)` above the threshold, `(lo, hi]` below it
/// (API StepAdjustment).
pub fn bounds_text(lo: Option<f64>, hi: Option<f64>, above: bool) -> String {
    let lo = lo.map_or("−∞".to_string(), signed);
    let hi = hi.map_or("+∞".to_string(), signed);
    if above {
        format!("[{lo}, {hi})")
    } else {
        format!("({lo}, {hi}]")
    }
}
