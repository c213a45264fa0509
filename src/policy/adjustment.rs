//! The adjustment arithmetic of simple and step policies (UG: as-scaling-simple-step).

use crate::policy::AdjustmentType;

/// The change a `PercentChangeInCapacity` adjustment makes to `current` \[instances\]:
/// raw = current × percent / 100, then raw > 1 → floor, 0 < raw < 1 → 1, −1 < raw < 0 → −1,
/// raw < −1 → toward zero; `min_adjustment_magnitude` then floors |change|.
pub fn percent_change(current: u32, percent: i64, min_adjustment_magnitude: Option<u32>) -> i64 {
    let raw = f64::from(current) * percent as f64 / 100.0;
    let mut change = if raw >= 1.0 {
        raw.floor() as i64
    } else if raw > 0.0 {
        1
    } else if raw <= -1.0 {
        raw.ceil() as i64
    } else if raw < 0.0 {
        -1
    } else {
        0
    };
    if let Some(magnitude) = min_adjustment_magnitude {
        let magnitude = i64::from(magnitude);
        if change.unsigned_abs() < magnitude.unsigned_abs() && percent != 0 {
            change = percent.signum() * magnitude;
        }
    }
    change
}

/// The capacity an adjustment asks for, before clamping \[instances, may be negative\].
///
/// Saturating: validation keeps adjustments within AWS's 32-bit range, but a sum that
/// wrapped would turn a scale-out into a scale-in, so no sum here may wrap whatever the input.
pub fn adjusted_capacity(
    current: u32,
    adjustment_type: AdjustmentType,
    adjustment: i64,
    min_adjustment_magnitude: Option<u32>,
) -> i64 {
    let current_i = i64::from(current);
    match adjustment_type {
        AdjustmentType::ChangeInCapacity => current_i.saturating_add(adjustment),
        AdjustmentType::ExactCapacity => adjustment,
        AdjustmentType::PercentChangeInCapacity => current_i.saturating_add(percent_change(
            current,
            adjustment,
            min_adjustment_magnitude,
        )),
    }
}

/// Clamps a policy's result to \[min, max\]: policies clamp silently (AWS rejects only explicit
/// out-of-range requests).
pub fn clamp_capacity(capacity: i64, min_size: u32, max_size: u32) -> u32 {
    capacity.clamp(i64::from(min_size), i64::from(max_size)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounding_rules() {
        // UG: as-scaling-simple-step: 12.7 → 12, 0.67 → 1, −0.58 → −1, −6.67 → −6.
        assert_eq!(percent_change(127, 10, None), 12);
        assert_eq!(percent_change(67, 1, None), 1);
        assert_eq!(percent_change(58, -1, None), -1);
        assert_eq!(percent_change(667, -1, None), -6);
        assert_eq!(percent_change(10, 0, Some(3)), 0);
    }

    #[test]
    fn regression_scaling_adjustment_overflow() {
        // A huge scale-out must raise capacity (to max after clamping), never wrap into a
        // scale-in; a huge scale-in must lower it to min.
        let change = AdjustmentType::ChangeInCapacity;
        assert_eq!(adjusted_capacity(3, change, i64::MAX, None), i64::MAX);
        assert_eq!(
            clamp_capacity(adjusted_capacity(3, change, i64::MAX, None), 1, 6),
            6
        );
        assert_eq!(adjusted_capacity(3, change, i64::MIN, None), i64::MIN + 3);
        assert_eq!(
            clamp_capacity(adjusted_capacity(3, change, i64::MIN, None), 1, 6),
            1
        );
        let percent = AdjustmentType::PercentChangeInCapacity;
        let up = adjusted_capacity(u32::MAX, percent, i64::MAX, Some(u32::MAX));
        assert!(up > i64::from(u32::MAX), "{up}");
        let down = adjusted_capacity(u32::MAX, percent, i64::MIN, Some(u32::MAX));
        assert_eq!(clamp_capacity(down, 2, 10), 2);
    }
}
