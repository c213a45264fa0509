//! `Trace` built from points, its figures, and the cursor across segment boundaries.

use crate::trace::{Trace, TraceError};

fn even() -> Trace {
    Trace::from_points(vec![1_000, 2_000, 3_000], vec![10.0, 20.0, 30.0]).unwrap()
}

fn uneven() -> Trace {
    Trace::from_points(
        vec![1_000, 2_000, 5_000, 5_001],
        vec![10.0, 20.0, 30.0, 40.0],
    )
    .unwrap()
}

#[test]
fn from_points_checks_its_input() {
    let invalid = |times: Vec<u64>, rates: Vec<f64>, word: &str| {
        let e = Trace::from_points(times, rates).unwrap_err();
        assert!(matches!(e, TraceError::Invalid { .. }), "{e:?}");
        assert!(e.to_string().contains(word), "{word}: {e}");
    };
    invalid(vec![], vec![], "no points");
    invalid(vec![0, 1], vec![1.0], "2 times but 1 rates");
    invalid(vec![0, 0], vec![1.0, 1.0], "not after");
    invalid(vec![5, 4], vec![1.0, 1.0], "not after");
    invalid(vec![0], vec![-1.0], "not between 0 and");
    invalid(vec![0], vec![f64::NAN], "not between 0 and");
    invalid(vec![0], vec![f64::INFINITY], "not between 0 and");
    invalid(vec![0], vec![2e12], "not between 0 and");
    invalid(vec![u64::MAX], vec![1.0], "exceeds");
}

#[test]
fn rate_at_before_within_and_after() {
    for trace in [even(), uneven()] {
        assert_eq!(
            trace.rate_at(0),
            10.0,
            "before the first row the first rate holds"
        );
        assert_eq!(trace.rate_at(1_000), 10.0);
        assert_eq!(trace.rate_at(1_999), 10.0);
        assert_eq!(trace.rate_at(2_000), 20.0);
        assert_eq!(trace.rate_at(u64::MAX), *trace.rates_rps().last().unwrap());
    }
    assert_eq!(uneven().rate_at(4_999), 20.0);
    assert_eq!(uneven().rate_at(5_000), 30.0);
    assert_eq!(uneven().rate_at(5_001), 40.0);
}

#[test]
fn span_max_and_time_weighted_mean() {
    let t = even();
    assert_eq!(t.step_ms(), Some(1_000));
    assert_eq!(t.span_ms(), 4_000);
    assert_eq!(t.max_rps(), 30.0);
    // [0, 2000) at 10, [2000, 3000) at 20, [3000, 4000) at 30.
    assert!((t.mean_rps() - (20_000.0 + 20_000.0 + 30_000.0) / 4_000.0).abs() < 1e-12);
    let u = uneven();
    assert_eq!(u.step_ms(), None);
    assert_eq!(u.span_ms(), 5_002);
    let single = Trace::from_points(vec![0], vec![3.0]).unwrap();
    assert_eq!(single.span_ms(), 60_000);
    assert_eq!(single.mean_rps(), 3.0);
    assert!(!single.is_empty());
}

/// Walks every millisecond forward and checks the cursor against `rate_at` and the row times.
fn check_walk(trace: &Trace) {
    let mut cursor = trace.cursor();
    for t in 0..trace.span_ms() + 2_000 {
        let (rate, end) = cursor.segment_at(t);
        assert_eq!(rate, trace.rate_at(t), "t = {t}");
        assert!(end > t, "t = {t}: end {end}");
        if end != u64::MAX {
            assert!(
                (0..trace.len()).any(|i| trace.time_ms(i) == end),
                "end {end} is a row time"
            );
            assert_eq!(trace.rate_at(end - 1), rate, "the rate holds until the end");
        }
    }
}

#[test]
fn cursor_matches_rate_at_everywhere() {
    check_walk(&even());
    check_walk(&uneven());
    check_walk(&Trace::from_points(vec![0], vec![1.0]).unwrap());
}

#[test]
fn cursor_segment_ends() {
    for trace in [even(), uneven()] {
        let mut c = trace.cursor();
        assert_eq!(
            c.segment_at(0),
            (10.0, 2_000),
            "first rate from t = 0 up to the second row"
        );
        assert_eq!(c.segment_at(1_999), (10.0, 2_000));
        assert_eq!(c.segment_at(2_000).0, 20.0);
    }
    let (e, u) = (even(), uneven());
    let mut c = e.cursor();
    assert_eq!(c.segment_at(2_500), (20.0, 3_000));
    assert_eq!(
        c.segment_at(3_000),
        (30.0, u64::MAX),
        "the last rate holds forever"
    );
    assert_eq!(c.segment_at(u64::MAX), (30.0, u64::MAX));
    let mut c = u.cursor();
    assert_eq!(c.segment_at(5_000), (30.0, 5_001));
    assert_eq!(c.segment_at(5_001), (40.0, u64::MAX));
}

#[test]
fn cursor_jumps_far_and_goes_back() {
    let times: Vec<u64> = (0..10_000u64).map(|i| i * i + i).collect();
    let rates: Vec<f64> = (0..10_000).map(f64::from).collect();
    let trace = Trace::from_points(times.clone(), rates).unwrap();
    assert_eq!(trace.step_ms(), None);
    let mut c = trace.cursor();
    assert_eq!(c.segment_at(times[9_000]), (9_000.0, times[9_001]));
    assert_eq!(c.segment_at(times[9_000] + 1), (9_000.0, times[9_001]));
    assert_eq!(c.segment_at(times[9_005]), (9_005.0, times[9_006]));
    // Backwards is not the intended use but must still be right.
    assert_eq!(c.segment_at(times[10]), (10.0, times[11]));
    assert_eq!(c.segment_at(0), (0.0, times[1]));
    // Jumps of every size from every row.
    let mut c = trace.cursor();
    let mut t = 0;
    for jump in 1..3_000u64 {
        t += jump * 7;
        assert_eq!(c.segment_at(t).0, trace.rate_at(t), "t = {t}");
    }
}

#[test]
fn even_trace_with_late_start() {
    let trace = Trace::from_points(vec![10_000, 20_000], vec![1.0, 2.0]).unwrap();
    let mut c = trace.cursor();
    assert_eq!(c.segment_at(0), (1.0, 20_000));
    assert_eq!(c.segment_at(19_999), (1.0, 20_000));
    assert_eq!(c.segment_at(20_000), (2.0, u64::MAX));
    assert_eq!(trace.span_ms(), 30_000);
    assert!((trace.mean_rps() - (20_000.0 + 20_000.0) / 30_000.0).abs() < 1e-12);
}
