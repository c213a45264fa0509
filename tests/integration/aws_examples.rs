//! UG: as-scaling-simple-step and as-scale-based-on-demand (the unweighted cases): adjustment
//! types, MinAdjustmentMagnitude and clamping, each driven through a scenario file and the
//! simulator.

use asgsim::policy::AdjustmentType;
use asgsim::policy::{adjusted_capacity, clamp_capacity};

use crate::common::SimpleCase;

fn scale_out(sizes: (u32, u32, u32), adjustment_type: &str, adjustment: i64) -> SimpleCase<'_> {
    SimpleCase {
        sizes,
        // 95 req/s per instance: CPU about 95%, far above the 75% threshold.
        load_rps: 95.0 * f64::from(sizes.2),
        operator: "GreaterThanThreshold",
        threshold: 75.0,
        adjustment_type,
        adjustment,
        extra_policy: "",
    }
}

#[test]
fn change_in_capacity_3_plus_5_is_8() {
    let case = scale_out((1, 10, 3), "ChangeInCapacity", 5);
    assert_eq!(case.first_decision(), (3, 8));
}

#[test]
fn exact_capacity_3_to_5() {
    let case = scale_out((1, 10, 3), "ExactCapacity", 5);
    assert_eq!(case.first_decision(), (3, 5));
}

#[test]
fn percent_10_plus_10_percent_is_11() {
    let case = scale_out((1, 20, 10), "PercentChangeInCapacity", 10);
    assert_eq!(case.first_decision(), (10, 11));
}

#[test]
fn percent_4_plus_25_percent_with_min_magnitude_2_is_6() {
    let mut case = scale_out((1, 20, 4), "PercentChangeInCapacity", 25);
    case.extra_policy = "min_adjustment_magnitude = 2";
    assert_eq!(case.first_decision(), (4, 6));
}

#[test]
fn max_3_current_2_plus_3_clamps_to_3() {
    let case = scale_out((1, 3, 2), "ChangeInCapacity", 3);
    assert_eq!(case.first_decision(), (2, 3));
}

#[test]
fn min_2_current_3_minus_2_clamps_to_2() {
    let case = SimpleCase {
        sizes: (2, 10, 3),
        load_rps: 30.0,
        operator: "LessThanThreshold",
        threshold: 30.0,
        adjustment_type: "ChangeInCapacity",
        adjustment: -2,
        extra_policy: "",
    };
    assert_eq!(case.first_decision(), (3, 2));
}

/// The same cases through the arithmetic alone, so a failure says which layer broke.
#[test]
fn arithmetic_of_12_4() {
    use AdjustmentType::*;
    assert_eq!(adjusted_capacity(3, ChangeInCapacity, 5, None), 8);
    assert_eq!(adjusted_capacity(3, ExactCapacity, 5, None), 5);
    assert_eq!(adjusted_capacity(10, PercentChangeInCapacity, 10, None), 11);
    assert_eq!(
        adjusted_capacity(4, PercentChangeInCapacity, 25, Some(2)),
        6
    );
    assert_eq!(
        clamp_capacity(adjusted_capacity(2, ChangeInCapacity, 3, None), 1, 3),
        3
    );
    assert_eq!(
        clamp_capacity(adjusted_capacity(3, ChangeInCapacity, -2, None), 2, 10),
        2
    );
}
