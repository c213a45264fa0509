//! Scaling policies in plain words: adjustments, step intervals, and the activity cause AWS
//! writes when an alarm triggers a policy.

use crate::cloudwatch::AlarmConfig;
use crate::cloudwatch::describe::{metric_value, signed, threshold_text};
use crate::time::{Clock, SimTime};

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
        format!("−{}", -adj)
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

/// The activity cause AWS would write, in its words.
pub fn alarm_cause(
    now_ms: SimTime,
    config: &AlarmConfig,
    value: Option<f64>,
    policy_name: &str,
    before: u32,
    after: u32,
) -> String {
    let seen = value.map_or(String::new(), |v| {
        format!(
            " ({} {} {})",
            metric_value(config, v),
            config.comparison_operator.symbol(),
            threshold_text(config.metric_name, config.threshold)
        )
    });
    format!(
        "At {} alarm {} in state ALARM{seen} triggered policy {policy_name} changing the desired capacity from {before} to {after}.",
        Clock(now_ms),
        config.name
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
