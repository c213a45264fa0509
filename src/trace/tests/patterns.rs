//! Synthetic patterns: exact values and their midpoint samples.

use crate::time::{MS_PER_HOUR, MS_PER_MIN};
use crate::trace::Pattern;
use crate::trace::{from_pattern, pattern_rate};

const MIN: u64 = MS_PER_MIN;
const HOUR: u64 = MS_PER_HOUR;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * (1.0 + b.abs())
}

#[test]
fn constant() {
    let p = Pattern::Constant { rate_rps: 300.0 };
    let trace = from_pattern(&p, MIN, 6 * HOUR);
    assert_eq!(trace.len(), 360);
    assert_eq!(trace.step_ms(), Some(MIN));
    assert_eq!(trace.span_ms(), 6 * HOUR);
    assert!(trace.rates_rps().iter().all(|&r| r == 300.0));
    assert_eq!(trace.rate_at(u64::MAX), 300.0);
}

#[test]
fn step_up_and_back_down() {
    let p = Pattern::Step {
        base_rps: 100.0,
        peak_rps: 400.0,
        at_ms: HOUR,
        until_ms: Some(2 * HOUR),
    };
    assert_eq!(pattern_rate(&p, (HOUR - 1) as f64), 100.0);
    assert_eq!(pattern_rate(&p, HOUR as f64), 400.0);
    assert_eq!(pattern_rate(&p, (2 * HOUR) as f64), 100.0);
    let trace = from_pattern(&p, MIN, 3 * HOUR);
    assert_eq!(trace.rate_at(HOUR - 1), 100.0);
    assert_eq!(trace.rate_at(HOUR), 400.0);
    assert_eq!(trace.rate_at(2 * HOUR - 1), 400.0);
    assert_eq!(trace.rate_at(2 * HOUR), 100.0);
    let forever = Pattern::Step {
        base_rps: 100.0,
        peak_rps: 400.0,
        at_ms: HOUR,
        until_ms: None,
    };
    assert_eq!(
        from_pattern(&forever, MIN, 3 * HOUR).rate_at(u64::MAX),
        400.0
    );
}

#[test]
fn off_grid_edges_move_to_the_nearest_step_boundary() {
    // The step at 40 s with 60 s resolution: the first step's midpoint (30 s) is before it,
    // so the step up shows from 60 s; at 20 s it would show from 0.
    let at = |at_ms| Pattern::Step {
        base_rps: 1.0,
        peak_rps: 2.0,
        at_ms,
        until_ms: None,
    };
    assert_eq!(
        from_pattern(&at(40_000), MIN, 5 * MIN).rates_rps()[..2],
        [1.0, 2.0]
    );
    assert_eq!(
        from_pattern(&at(20_000), MIN, 5 * MIN).rates_rps()[..2],
        [2.0, 2.0]
    );
    assert_eq!(
        from_pattern(&at(30_000), MIN, 5 * MIN).rates_rps()[0],
        2.0,
        "halfway counts"
    );
}

#[test]
fn ramp_is_linear_and_samples_step_means() {
    let p = Pattern::Ramp {
        base_rps: 100.0,
        peak_rps: 700.0,
        start_ms: HOUR,
        end_ms: 2 * HOUR,
    };
    assert_eq!(pattern_rate(&p, 0.0), 100.0);
    assert_eq!(pattern_rate(&p, HOUR as f64), 100.0);
    assert!(close(pattern_rate(&p, (HOUR + 30 * MIN) as f64), 400.0));
    assert_eq!(pattern_rate(&p, (2 * HOUR) as f64), 700.0);
    let trace = from_pattern(&p, MIN, 3 * HOUR);
    // First ramp step [60 min, 61 min): its midpoint is 30 s in, 5 req/s above base.
    assert!(close(trace.rate_at(HOUR), 105.0));
    assert!(close(trace.rate_at(HOUR + 30 * MIN), 405.0));
    assert!(close(trace.rate_at(2 * HOUR - 1), 695.0));
    assert_eq!(trace.rate_at(2 * HOUR), 700.0);
    // Ramp mean over the whole run: 1 h at 100, 1 h averaging 400, 1 h at 700.
    assert!(close(trace.mean_rps(), 400.0));
    // A zero-length ramp is a step.
    let jump = Pattern::Ramp {
        base_rps: 1.0,
        peak_rps: 2.0,
        start_ms: HOUR,
        end_ms: HOUR,
    };
    assert_eq!(pattern_rate(&jump, (HOUR - 1) as f64), 1.0);
    assert_eq!(pattern_rate(&jump, HOUR as f64), 2.0);
}

#[test]
fn sine_peaks_at_peak_at_and_bottoms_half_a_period_later() {
    let p = Pattern::Sine {
        base_rps: 200.0,
        peak_rps: 800.0,
        period_ms: 24 * HOUR,
        peak_at_ms: 14 * HOUR,
    };
    assert!(close(pattern_rate(&p, (14 * HOUR) as f64), 800.0));
    assert!(close(pattern_rate(&p, (2 * HOUR) as f64), 200.0));
    assert!(close(pattern_rate(&p, (26 * HOUR) as f64), 200.0));
    assert!(close(pattern_rate(&p, (8 * HOUR) as f64), 500.0));
    assert!(close(pattern_rate(&p, (38 * HOUR) as f64), 800.0));
    let trace = from_pattern(&p, MIN, 48 * HOUR);
    assert_eq!(trace.len(), 48 * 60);
    // The step holding 14:00 is sampled at 14:00:30.
    let expected = pattern_rate(&p, (14 * HOUR + 30_000) as f64);
    assert_eq!(trace.rate_at(14 * HOUR), expected);
    assert!(expected > 799.99);
    assert!((trace.mean_rps() - 500.0).abs() < 1e-6);
    assert!(trace.max_rps() <= 800.0);
}

#[test]
fn sine_with_zero_period_is_flat_at_peak() {
    let p = Pattern::Sine {
        base_rps: 1.0,
        peak_rps: 5.0,
        period_ms: 0,
        peak_at_ms: 0,
    };
    assert!(
        from_pattern(&p, MIN, HOUR)
            .rates_rps()
            .iter()
            .all(|&r| r == 5.0)
    );
}

#[test]
fn spike() {
    let p = Pattern::Spike {
        base_rps: 50.0,
        peak_rps: 1_000.0,
        at_ms: 2 * HOUR,
        duration_ms: 10 * MIN,
    };
    let trace = from_pattern(&p, MIN, 4 * HOUR);
    assert_eq!(trace.rate_at(2 * HOUR - 1), 50.0);
    assert_eq!(trace.rate_at(2 * HOUR), 1_000.0);
    assert_eq!(trace.rate_at(2 * HOUR + 10 * MIN - 1), 1_000.0);
    assert_eq!(trace.rate_at(2 * HOUR + 10 * MIN), 50.0);
    assert_eq!(
        trace.rates_rps().iter().filter(|&&r| r == 1_000.0).count(),
        10
    );
}

#[test]
fn step_counts_partial_and_degenerate_cases() {
    let p = Pattern::Constant { rate_rps: 1.0 };
    assert_eq!(
        from_pattern(&p, MIN, 90_000).len(),
        2,
        "a partial last step counts"
    );
    assert_eq!(from_pattern(&p, MIN, 0).len(), 1, "at least one step");
    let zero_res = from_pattern(&p, 0, HOUR);
    assert_eq!(
        zero_res.step_ms(),
        Some(MIN),
        "resolution 0 means the default"
    );
    let odd = from_pattern(&p, 7, 20);
    assert_eq!((odd.len(), odd.span_ms()), (3, 21));
}

#[test]
fn bad_parameters_give_zero_not_nan() {
    let p = Pattern::Ramp {
        base_rps: -5.0,
        peak_rps: f64::NAN,
        start_ms: 0,
        end_ms: MIN,
    };
    let trace = from_pattern(&p, 1_000, 2 * MIN);
    assert!(trace.rates_rps().iter().all(|&r| r == 0.0));
}
