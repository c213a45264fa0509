//! An extra column kept for a customized metric: read beside the rate, walked by the cursor,
//! untouched by scale and noise, and absent (at no cost) when not asked for.

use super::load::{config, temp_csv};
use super::{ORIGIN, read_ok};
use crate::time::MS_PER_HOUR;
use crate::trace::LoadSource;
use crate::trace::{Trace, load, load_with_column, read_csv_with_column};

const QUEUE: &str = "time_s,requests_per_s,queue_depth\n0,10,5\n60,20,7.5\n120,30,0\n";

fn read_column(text: &str, column: &str) -> Trace {
    read_csv_with_column(text.as_bytes(), ORIGIN, Some(column))
        .unwrap_or_else(|e| panic!("should parse: {e}\n{text}"))
}

#[test]
fn a_third_column_is_kept_beside_the_rate() {
    let trace = read_column(QUEUE, "queue_depth");
    assert_eq!(trace.column_name(), Some("queue_depth"));
    assert_eq!(trace.column_values(), Some(&[5.0, 7.5, 0.0][..]));
    assert_eq!(trace.rates_rps(), &[10.0, 20.0, 30.0]);
    assert_eq!(trace.step_ms(), Some(60_000));
    assert_eq!(trace.column_at(0), 5.0);
    assert_eq!(trace.column_at(119_999), 7.5);
    assert_eq!(trace.column_at(u64::MAX), 0.0);
}

#[test]
fn without_a_column_the_trace_is_as_before() {
    let plain = read_ok(QUEUE);
    assert_eq!(plain.column_name(), None);
    assert_eq!(plain.column_values(), None);
    assert_eq!(plain.column_at(60_000), 0.0);
    let none = read_csv_with_column(QUEUE.as_bytes(), ORIGIN, None).unwrap();
    assert_eq!(none, plain);
    let with = read_column(QUEUE, "queue_depth");
    assert_eq!(with.rates_rps(), plain.rates_rps());
    assert_eq!(with.span_ms(), plain.span_ms());
    assert_ne!(with, plain, "the column is part of the trace");
}

#[test]
fn the_column_is_found_by_its_trimmed_name_anywhere_in_the_header() {
    let text = "\u{FEFF}time_s,requests_per_s, region ,\" queue_depth \",x\r\n\
                0,1,eu,3,a\r\n\
                \r\n\
                0.5,2,eu,\"4.25\",b,extra\r\n\
                1, 3 ,us, +6 ,c\r\n";
    let trace = read_column(text, "queue_depth");
    assert_eq!(trace.column_values(), Some(&[3.0, 4.25, 6.0][..]));
    assert_eq!(trace.rates_rps(), &[1.0, 2.0, 3.0]);
    // Negative zero reads as zero, as for rates.
    let trace = read_column("time_s,requests_per_s,q\n0,1,-0\n", "q");
    assert_eq!(
        trace.column_values().unwrap()[0].to_bits(),
        0.0f64.to_bits()
    );
}

#[test]
fn the_rate_column_itself_may_be_asked_for() {
    let trace = read_column(QUEUE, "requests_per_s");
    assert_eq!(trace.column_values(), Some(trace.rates_rps()));
}

#[test]
fn uneven_rows_keep_their_column_values() {
    let text = "time_s,requests_per_s,q\n0,1,10\n60,2,20\n90,3,30\n300.5,4,40\n";
    let trace = read_column(text, "q");
    assert_eq!(trace.step_ms(), None);
    assert_eq!(trace.column_at(89_999), 20.0);
    assert_eq!(trace.column_at(90_000), 30.0);
    assert_eq!(trace.column_at(300_500), 40.0);
}

/// Walks every millisecond forward, checking both cursor entry points against `rate_at`,
/// `column_at` and `segment_at` of a fresh cursor.
fn check_walk(trace: &Trace) {
    let (mut both, mut column, mut rate) = (trace.cursor(), trace.cursor(), trace.cursor());
    for t in 0..trace.span_ms() + 2_000 {
        let (r, c, end) = both.segment_with_column(t);
        assert_eq!((r, end), rate.segment_at(t), "t = {t}");
        assert_eq!(r, trace.rate_at(t), "t = {t}");
        assert_eq!(c, trace.column_at(t), "t = {t}");
        assert_eq!(column.column_at(t), c, "t = {t}");
        if end != u64::MAX {
            assert_eq!(trace.column_at(end - 1), c, "the value holds until the end");
        }
    }
}

fn with_values(times: Vec<u64>, values: Vec<f64>) -> Trace {
    let rates = (0..times.len()).map(|i| i as f64).collect();
    Trace::from_points(times, rates)
        .unwrap()
        .with_column("q", values)
        .unwrap()
}

#[test]
fn cursor_gives_the_column_across_boundaries() {
    let even = with_values(vec![1_000, 2_000, 3_000], vec![7.0, 8.0, 9.0]);
    let uneven = with_values(vec![1_000, 2_000, 5_000, 5_001], vec![1.0, 2.0, 3.0, 4.0]);
    check_walk(&even);
    check_walk(&uneven);
    check_walk(&with_values(vec![0], vec![2.5]));
    check_walk(&read_column(QUEUE, "queue_depth"));
    let mut c = even.cursor();
    assert_eq!(
        c.segment_with_column(0),
        (0.0, 7.0, 2_000),
        "first row from t = 0"
    );
    assert_eq!(c.segment_with_column(1_999), (0.0, 7.0, 2_000));
    assert_eq!(c.segment_with_column(2_000), (1.0, 8.0, 3_000));
    assert_eq!(c.segment_with_column(3_000), (2.0, 9.0, u64::MAX));
    assert_eq!(c.column_at(u64::MAX), 9.0, "the last value holds forever");
    let mut c = uneven.cursor();
    assert_eq!(c.segment_with_column(5_000), (2.0, 3.0, 5_001));
    assert_eq!(c.segment_with_column(5_001), (3.0, 4.0, u64::MAX));
    // Backwards is answered correctly too.
    assert_eq!(c.column_at(1_500), 1.0);
}

#[test]
fn cursor_without_a_column_gives_zero() {
    let trace = Trace::from_points(vec![0, 60_000], vec![3.0, 4.0]).unwrap();
    let mut c = trace.cursor();
    assert_eq!(c.segment_with_column(0), (3.0, 0.0, 60_000));
    assert_eq!(c.column_at(60_000), 0.0);
    check_walk(&trace);
}

#[test]
fn cursor_jumps_far_with_the_column() {
    let times: Vec<u64> = (0..10_000u64).map(|i| i * i + i).collect();
    let values: Vec<f64> = (0..10_000).map(|i| f64::from(i) * 0.5).collect();
    let trace = with_values(times.clone(), values);
    let mut c = trace.cursor();
    assert_eq!(
        c.segment_with_column(times[9_000]),
        (9_000.0, 4_500.0, times[9_001])
    );
    let mut t = 0;
    for jump in 1..3_000u64 {
        t += jump * 7;
        assert_eq!(c.column_at(t), trace.column_at(t), "t = {t}");
    }
}

#[test]
fn with_column_checks_its_values() {
    let trace = || Trace::from_points(vec![0, 1], vec![1.0, 2.0]).unwrap();
    let invalid = |values: Vec<f64>, word: &str| {
        let e = trace().with_column("q", values).unwrap_err().to_string();
        assert!(e.contains(word), "{word}: {e}");
    };
    invalid(vec![1.0], "1 values of column q for 2 rows");
    invalid(vec![1.0, -1.0], "value -1 of column q at index 1");
    invalid(vec![f64::NAN, 1.0], "not finite");
    invalid(vec![1.0, f64::INFINITY], "not finite");
    let t = trace().with_column("a", vec![1.0, 2.0]).unwrap();
    let t = t.with_column("b", vec![3.0, 4.0]).unwrap();
    assert_eq!(t.column_name(), Some("b"), "a new column replaces the old");
}

#[test]
fn load_scales_and_noises_the_rate_only() {
    let (_dir, path) = temp_csv(QUEUE);
    let cfg = config(LoadSource::Trace { path }, 2.0, 0.3);
    let trace = load_with_column(&cfg, MS_PER_HOUR, 4, Some("queue_depth")).unwrap();
    assert_eq!(trace.column_values(), Some(&[5.0, 7.5, 0.0][..]));
    let plain = load(&cfg, MS_PER_HOUR, 4).unwrap();
    assert_eq!(plain.column_name(), None);
    assert_eq!(
        trace.rates_rps(),
        plain.rates_rps(),
        "the same scale and noise"
    );
    assert_ne!(trace.rates_rps(), &[20.0, 40.0, 60.0], "noise applied");
    let none = load_with_column(&cfg, MS_PER_HOUR, 4, None).unwrap();
    assert_eq!(none, plain, "load is load_with_column without a column");
}
