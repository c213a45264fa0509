//! Step scaling (UG: as-scaling-simple-step): which step a breach falls in, and the rules a set of
//! steps must obey.

use crate::policy::StepAdjustment;

/// Checks a policy's steps as AWS does: no gap, no overlap, at most one unbounded lower end
/// (required when a lower bound is negative), at most one unbounded upper end (required when an
/// upper bound is positive), never both ends unbounded. Returns the steps sorted by lower
/// bound, or every problem found.
pub fn validate_steps(steps: &[StepAdjustment]) -> Result<Vec<StepAdjustment>, Vec<String>> {
    let mut problems = Vec::new();
    if steps.is_empty() {
        problems.push("a step policy needs at least one step adjustment".to_string());
    }
    let bound = |b: Option<f64>| b.map_or("unbounded".to_string(), |v| v.to_string());
    for (i, s) in steps.iter().enumerate() {
        match (s.lower_bound, s.upper_bound) {
            (None, None) => problems.push(format!(
                "step {}: metric_interval_lower_bound and metric_interval_upper_bound cannot both be left out",
                i + 1
            )),
            (Some(lo), Some(hi)) if lo >= hi => problems.push(format!(
                "step {}: lower bound {lo} must be below upper bound {hi}",
                i + 1
            )),
            _ => {}
        }
    }
    let unbounded_lower = steps.iter().filter(|s| s.lower_bound.is_none()).count();
    let unbounded_upper = steps.iter().filter(|s| s.upper_bound.is_none()).count();
    if unbounded_lower > 1 {
        problems.push("only one step may leave out metric_interval_lower_bound".to_string());
    }
    if unbounded_upper > 1 {
        problems.push("only one step may leave out metric_interval_upper_bound".to_string());
    }
    if unbounded_lower == 0 && steps.iter().any(|s| s.lower_bound.is_some_and(|v| v < 0.0)) {
        problems.push(
            "a step with a negative lower bound needs a step without metric_interval_lower_bound below it".to_string(),
        );
    }
    if unbounded_upper == 0 && steps.iter().any(|s| s.upper_bound.is_some_and(|v| v > 0.0)) {
        problems.push(
            "a step with a positive upper bound needs a step without metric_interval_upper_bound above it".to_string(),
        );
    }
    let mut sorted = steps.to_vec();
    sorted.sort_by(|a, b| {
        let key = |s: &StepAdjustment| s.lower_bound.unwrap_or(f64::NEG_INFINITY);
        key(a).total_cmp(&key(b))
    });
    for pair in sorted.windows(2) {
        let (upper, next_lower) = (pair[0].upper_bound, pair[1].lower_bound);
        match (upper, next_lower) {
            (Some(u), Some(l)) if u < l => problems.push(format!(
                "the steps leave a gap between {u} and {l}: make one step's upper bound the next one's lower bound"
            )),
            (Some(u), Some(l)) if u > l => problems.push(format!(
                "the steps overlap between {l} and {u}: make one step's upper bound the next one's lower bound"
            )),
            (u, l) if u.is_none() || l.is_none() => problems.push(format!(
                "the steps overlap: an interval ending at {} is followed by one starting at {}",
                bound(u),
                bound(l)
            )),
            _ => {}
        }
    }
    if problems.is_empty() {
        Ok(sorted)
    } else {
        Err(problems)
    }
}

/// The step that `value − threshold = diff` falls in. Above the threshold intervals are
/// \[lower, upper); below it (lower, upper\]; `breach_is_above` says which side a breach of the
/// alarm is on, so that a value exactly at the threshold takes the alarm's side.
pub fn matching_step(
    steps: &[StepAdjustment],
    diff: f64,
    breach_is_above: bool,
) -> Option<&StepAdjustment> {
    let above = diff > 0.0 || (diff == 0.0 && breach_is_above);
    steps.iter().find(|s| {
        let lo = s.lower_bound.unwrap_or(f64::NEG_INFINITY);
        let hi = s.upper_bound.unwrap_or(f64::INFINITY);
        if above {
            lo <= diff && diff < hi
        } else {
            lo < diff && diff <= hi
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(lo: Option<f64>, hi: Option<f64>, adj: i64) -> StepAdjustment {
        StepAdjustment {
            lower_bound: lo,
            upper_bound: hi,
            scaling_adjustment: adj,
        }
    }

    /// UG: as-scaling-simple-step, its example: threshold 50, out-steps [0,10) 0, [10,20) +10, [20,∞) +30.
    fn out_steps() -> Vec<StepAdjustment> {
        vec![
            step(Some(0.0), Some(10.0), 0),
            step(Some(10.0), Some(20.0), 10),
            step(Some(20.0), None, 30),
        ]
    }

    /// In-steps (−10,0] 0, (−20,−10] −10, (−∞,−20] −30.
    fn in_steps() -> Vec<StepAdjustment> {
        vec![
            step(Some(-10.0), Some(0.0), 0),
            step(Some(-20.0), Some(-10.0), -10),
            step(None, Some(-20.0), -30),
        ]
    }

    #[test]
    fn inclusive_and_exclusive_ends() {
        let out = validate_steps(&out_steps()).unwrap();
        let adj = |m: f64| matching_step(&out, m - 50.0, true).map(|s| s.scaling_adjustment);
        assert_eq!(adj(50.0), Some(0));
        assert_eq!(adj(59.99), Some(0));
        assert_eq!(adj(60.0), Some(10));
        assert_eq!(adj(70.0), Some(30));
        let inn = validate_steps(&in_steps()).unwrap();
        let adj = |m: f64| matching_step(&inn, m - 50.0, false).map(|s| s.scaling_adjustment);
        assert_eq!(adj(50.0), Some(0));
        assert_eq!(adj(40.0), Some(-10), "(−20,−10] holds 40");
        assert_eq!(adj(40.01), Some(0));
        assert_eq!(adj(30.0), Some(-30), "(−∞,−20] holds 30");
    }

    #[test]
    fn gaps_overlaps_and_null_rules_are_rejected() {
        let gap = [step(Some(0.0), Some(10.0), 1), step(Some(15.0), None, 2)];
        assert!(validate_steps(&gap).unwrap_err()[0].contains("gap"));
        let overlap = [step(Some(0.0), Some(10.0), 1), step(Some(5.0), None, 2)];
        assert!(validate_steps(&overlap).unwrap_err()[0].contains("overlap"));
        let both = [step(None, None, 1)];
        assert!(validate_steps(&both).unwrap_err()[0].contains("both"));
        let no_top = [step(Some(0.0), Some(10.0), 1)];
        assert!(validate_steps(&no_top).unwrap_err()[0].contains("positive upper bound"));
        let two_tops = [step(Some(0.0), None, 1), step(Some(10.0), None, 2)];
        assert!(validate_steps(&two_tops).is_err());
    }
}
