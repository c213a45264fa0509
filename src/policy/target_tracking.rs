//! Target tracking arithmetic (asg-semantics.md §3.4, \[model\] consistent with AWS's rounding):
//! R = C × metric / target with C the capacity that is not warming up; the new desired capacity
//! is ⌈R⌉, which adds ⌈needed⌉ and removes ⌊surplus⌋.

/// ⌈C × metric / target⌉ \[instances\]; `None` for a non-positive target or a bad metric.
pub fn target_capacity(non_warming_capacity: u32, metric: f64, target: f64) -> Option<i64> {
    if target <= 0.0 || !metric.is_finite() || metric < 0.0 {
        return None;
    }
    let r = f64::from(non_warming_capacity) * metric / target;
    // Guard against 6.000000001 becoming 7 from float noise.
    Some((r - 1e-9).ceil().max(0.0) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_examples_of_12_6() {
        assert_eq!(target_capacity(4, 75.0, 50.0), Some(6));
        assert_eq!(target_capacity(10, 20.0, 50.0), Some(4));
        // Need 1.5 more ⇒ add 2; surplus 1.5 ⇒ remove 1.
        assert_eq!(target_capacity(3, 75.0, 50.0), Some(5));
        assert_eq!(target_capacity(4, 31.25, 50.0), Some(3));
        assert_eq!(target_capacity(4, 50.0, 0.0), None);
    }
}
