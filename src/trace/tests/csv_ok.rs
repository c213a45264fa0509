//! Files that must read, and what they give.

use super::{read, read_ok};
use crate::trace::csv::{parse_rate_rps, parse_time_ms};

#[test]
fn reads_evenly_spaced_rows_without_keeping_times() {
    let trace = read_ok("time_s,requests_per_s\n0,0.7\n60,1.0167\n120,2\n");
    assert_eq!(trace.len(), 3);
    assert_eq!(trace.step_ms(), Some(60_000));
    assert_eq!(trace.rates_rps(), &[0.7, 1.0167, 2.0]);
    assert_eq!(trace.time_ms(2), 120_000);
    assert_eq!(trace.span_ms(), 180_000);
}

#[test]
fn keeps_times_when_uneven() {
    let trace = read_ok("time_s,requests_per_s\n0,1\n60,2\n90,3\n300.5,4\n");
    assert_eq!(trace.step_ms(), None);
    assert_eq!(
        (0..4).map(|i| trace.time_ms(i)).collect::<Vec<_>>(),
        vec![0, 60_000, 90_000, 300_500]
    );
    assert_eq!(trace.span_ms(), 300_500 + 210_500);
    assert_eq!(trace.rate_at(89_999), 2.0);
    assert_eq!(trace.rate_at(90_000), 3.0);
}

#[test]
fn accepts_decimals_extra_columns_spaces_bom_crlf_quotes() {
    let text = "\u{FEFF}time_s , requests_per_s,source\r\n\
                0.000, 5 ,a\r\n\
                \r\n\
                \"0.5\",\"6.25\",b\r\n\
                1.0,+7,c,d,e\r\n";
    let trace = read_ok(text);
    assert_eq!(trace.rates_rps(), &[5.0, 6.25, 7.0]);
    assert_eq!(trace.step_ms(), Some(500));
}

#[test]
fn single_row_lasts_a_minute_in_span() {
    let trace = read_ok("time_s,requests_per_s\n30,4\n");
    assert_eq!(trace.len(), 1);
    assert_eq!(trace.span_ms(), 90_000);
    assert_eq!(trace.rate_at(0), 4.0);
    assert_eq!(trace.rate_at(u64::MAX), 4.0);
}

#[test]
fn zero_and_negative_zero_rates() {
    let trace = read_ok("time_s,requests_per_s\n0,0\n60,-0\n120,0.0\n");
    for &r in trace.rates_rps() {
        assert_eq!(r.to_bits(), 0.0f64.to_bits());
    }
}

#[test]
fn times_convert_to_exact_milliseconds() {
    for (text, ms) in [
        ("0", 0),
        ("60", 60_000),
        ("0.001", 1),
        ("0.25", 250),
        ("1.5000", 1_500),
        ("+2", 2_000),
        (".5", 500),
        ("5.", 5_000),
        ("1e3", 1_000_000),
        ("2e-3", 2),
    ] {
        assert_eq!(parse_time_ms(text.as_bytes()), Ok(ms), "{text}");
    }
    assert_eq!(parse_time_ms(b"31536000"), Ok(31_536_000_000));
    assert_eq!(
        parse_time_ms(b"2.5e-3"),
        Err(crate::trace::ValueProblem::NotWholeMs)
    );
}

#[test]
fn rate_fast_path_matches_std_parse() {
    let samples = [
        "0",
        "0.7",
        "1.0167",
        "3823.8",
        "0.1",
        "0.3",
        "12345678901.2345",
        "1234567.89012345",
        "9.999999999999999",
        "0.000000000000001",
        "2930.2",
        "5.",
        ".5",
        "007.50",
    ];
    for s in samples {
        let expected: f64 = s.parse().unwrap();
        assert_eq!(
            parse_rate_rps(s.as_bytes()).unwrap().to_bits(),
            expected.to_bits(),
            "{s}"
        );
    }
    // Every 4-decimal value up to 100, as the real traces write them.
    for i in 0..1_000_000u32 {
        let s = format!("{}.{:04}", i / 10_000, i % 10_000);
        let expected: f64 = s.parse().unwrap();
        assert_eq!(parse_rate_rps(s.as_bytes()).unwrap(), expected, "{s}");
    }
}

#[test]
fn rates_in_other_notations() {
    assert_eq!(parse_rate_rps(b"1e2"), Ok(100.0));
    assert_eq!(parse_rate_rps(b"1.25E1"), Ok(12.5));
    assert_eq!(parse_rate_rps(b"1e12"), Ok(1e12));
    assert_eq!(parse_rate_rps(b"999999999999"), Ok(999999999999.0));
    // Above 10^12 req/s: no workload is that large, and rate × time sums would overflow.
    for text in ["1000000000001", "12345678901234567890", "1e308"] {
        assert_eq!(
            parse_rate_rps(text.as_bytes()),
            Err(crate::trace::ValueProblem::TooLarge),
            "{text}"
        );
    }
    assert!(read("time_s,requests_per_s\n0,1e2\n").is_ok());
}
