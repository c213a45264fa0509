//! `read_csv` never panics, whatever the bytes, and what it accepts is a valid trace.

use asgsim::trace::{Trace, read_csv};
use proptest::prelude::*;

/// What every accepted trace must satisfy.
fn check_trace(trace: &Trace) {
    assert!(!trace.is_empty());
    assert!(trace.rates_rps().iter().all(|r| r.is_finite() && *r >= 0.0));
    for i in 1..trace.len() {
        assert!(trace.time_ms(i) > trace.time_ms(i - 1));
    }
    assert!(trace.span_ms() > trace.time_ms(trace.len() - 1));
    let (mean, max) = (trace.mean_rps(), trace.max_rps());
    assert!(mean.is_finite() && mean >= 0.0 && max.is_finite());
    let mut cursor = trace.cursor();
    for i in 0..trace.len() {
        let t = trace.time_ms(i);
        let (rate, end) = cursor.segment_at(t);
        assert_eq!(rate, trace.rate_at(t));
        assert!(end > t);
    }
}

fn parse(bytes: &[u8]) {
    if let Ok(trace) = read_csv(bytes, "prop.csv") {
        check_trace(&trace);
    }
}

/// One field: a plausible number, garbage, or an edge case.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..100_000).prop_map(|n| n.to_string()),
        (0.0f64..1e6).prop_map(|x| format!("{x}")),
        (-1e3f64..1e3).prop_map(|x| format!("{x:.3}")),
        Just(String::new()),
        prop::sample::select(vec![
            "NaN",
            "inf",
            "-0",
            "+1",
            "1e308",
            "1e400",
            ".",
            "1.",
            ".5",
            "0.0001",
            "\"7\"",
            "\"",
            "\"\"",
            "1,5",
            " 3 ",
            "\u{feff}",
            "0x10",
            "١٢",
            "9999999999999999999999",
        ])
        .prop_map(String::from),
        "[ -~]{0,12}",
    ]
}

/// A row of one to four fields.
fn row() -> impl Strategy<Value = String> {
    prop::collection::vec(field(), 1..4).prop_map(|fields| fields.join(","))
}

fn header() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("time_s,requests_per_s".to_string()),
        1 => Just("time_s,requests_per_s,extra".to_string()),
        1 => Just("\u{feff}time_s,requests_per_s".to_string()),
        1 => row(),
    ]
}

fn line_end() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["\n", "\r\n", "\r", "\n\n"])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        parse(&bytes);
    }

    #[test]
    fn random_rows_never_panic(
        head in header(),
        rows in prop::collection::vec((row(), line_end()), 0..40),
    ) {
        let mut text = format!("{head}\n");
        for (row, end) in rows {
            text.push_str(&row);
            text.push_str(end);
        }
        parse(text.as_bytes());
    }

    #[test]
    fn shuffled_numbers_parse_exactly_when_sorted(
        mut rows in prop::collection::vec((0u64..1_000_000, 0.0f64..1e5), 1..60),
        seed in any::<u64>(),
    ) {
        // Sorted unique times with valid rates always parse, to the same values.
        rows.sort_by_key(|r| r.0);
        rows.dedup_by_key(|r| r.0);
        let mut text = String::from("time_s,requests_per_s\n");
        for (t_ms, rate) in &rows {
            text.push_str(&format!("{}.{:03},{rate}\n", t_ms / 1000, t_ms % 1000));
        }
        let trace = read_csv(text.as_bytes(), "prop.csv").unwrap();
        check_trace(&trace);
        prop_assert_eq!(trace.len(), rows.len());
        for (i, (t_ms, rate)) in rows.iter().enumerate() {
            prop_assert_eq!(trace.time_ms(i), *t_ms);
            prop_assert_eq!(trace.rates_rps()[i], *rate);
        }
        // Any other order of two or more rows is refused, at a line that exists.
        if rows.len() >= 2 {
            let mut order: Vec<usize> = (0..rows.len()).collect();
            let mut s = seed | 1;
            for i in (1..order.len()).rev() {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                order.swap(i, (s % (i as u64 + 1)) as usize);
            }
            if order.windows(2).any(|w| w[0] > w[1]) {
                let mut text = String::from("time_s,requests_per_s\n");
                for &i in &order {
                    let (t_ms, rate) = rows[i];
                    text.push_str(&format!("{}.{:03},{rate}\n", t_ms / 1000, t_ms % 1000));
                }
                let message = read_csv(text.as_bytes(), "prop.csv").unwrap_err().to_string();
                prop_assert!(message.contains("comes before"), "{}", message);
            }
        }
    }
}
