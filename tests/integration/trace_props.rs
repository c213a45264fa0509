//! `read_csv` and `read_csv_with_column` never panic, whatever the bytes, and what they accept
//! is a valid trace.

use asgsim::trace::{Trace, read_csv, read_csv_with_column};
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

/// What every trace read with a column must satisfy besides [`check_trace`].
fn check_column(trace: &Trace, column: &str) {
    check_trace(trace);
    assert_eq!(trace.column_name(), Some(column));
    let values = trace.column_values().expect("a column");
    assert_eq!(values.len(), trace.len());
    assert!(values.iter().all(|v| v.is_finite() && *v >= 0.0));
    let mut cursor = trace.cursor();
    for (i, &expected) in values.iter().enumerate() {
        let t = trace.time_ms(i);
        let (rate, value, end) = cursor.segment_with_column(t);
        assert_eq!((rate, end), trace.cursor().segment_at(t));
        assert_eq!(value, expected);
        assert_eq!(value, trace.column_at(t));
    }
}

/// Reads with a column; an error must name the file.
fn parse_with_column(bytes: &[u8], column: &str) {
    match read_csv_with_column(bytes, "prop.csv", Some(column)) {
        Ok(trace) => check_column(&trace, column),
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with("prop.csv:"), "{message}");
        }
    }
}

/// A column name to ask for: the usual, odd ones, and the rate column itself.
fn column_name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "queue_depth",
        "queue_depth",
        "requests_per_s",
        "",
        "q d",
    ])
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

/// A header with an extra column (or not, or twice, or garbage).
fn header_with_column() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("time_s,requests_per_s,queue_depth".to_string()),
        1 => Just("\u{feff}time_s,requests_per_s, queue_depth ,x".to_string()),
        1 => Just("time_s,requests_per_s,x,\"queue_depth\"".to_string()),
        1 => Just("time_s,requests_per_s,queue_depth,queue_depth".to_string()),
        1 => Just("time_s,requests_per_s,,q d".to_string()),
        1 => Just("time_s,requests_per_s".to_string()),
        1 => row(),
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
    fn random_bytes_with_a_column_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        column in column_name(),
    ) {
        let mut text = b"time_s,requests_per_s,queue_depth\n".to_vec();
        text.extend_from_slice(&bytes);
        parse_with_column(&text, column);
        parse_with_column(&bytes, column);
    }

    #[test]
    fn random_three_column_rows_never_panic(
        head in header_with_column(),
        column in column_name(),
        rows in prop::collection::vec(
            (prop::collection::vec(field(), 1..6), line_end()),
            0..40,
        ),
    ) {
        let mut text = format!("{head}\n");
        for (fields, end) in rows {
            text.push_str(&fields.join(","));
            text.push_str(end);
        }
        parse_with_column(text.as_bytes(), column);
    }

    #[test]
    fn valid_three_column_rows_keep_rates_and_values(
        mut rows in prop::collection::vec((0u64..1_000_000, 0.0f64..1e5, 0.0f64..1e4), 1..60),
    ) {
        rows.sort_by_key(|r| r.0);
        rows.dedup_by_key(|r| r.0);
        let mut text = String::from("time_s,requests_per_s,queue_depth\n");
        for (t_ms, rate, depth) in &rows {
            text.push_str(&format!("{}.{:03},{rate},{depth}\n", t_ms / 1000, t_ms % 1000));
        }
        let with = read_csv_with_column(text.as_bytes(), "prop.csv", Some("queue_depth")).unwrap();
        check_column(&with, "queue_depth");
        let plain = read_csv(text.as_bytes(), "prop.csv").unwrap();
        prop_assert_eq!(with.rates_rps(), plain.rates_rps());
        prop_assert_eq!(plain.column_name(), None);
        for (i, (_, _, depth)) in rows.iter().enumerate() {
            prop_assert_eq!(with.column_values().unwrap()[i], *depth);
        }
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
