//! Every way a trace file can be wrong: the line, and words that say what and how to fix.

use super::{ORIGIN, assert_message, read, read_err};
use crate::trace::{Column, TraceError, ValueProblem};

#[test]
fn empty_file_says_what_the_header_must_be() {
    for text in ["", "\n\n", "  \n\t\n"] {
        let message = read_err(text);
        assert!(message.starts_with(ORIGIN), "{message}");
        assert!(message.contains("empty"), "{message}");
        assert!(message.contains("time_s,requests_per_s"), "{message}");
    }
}

#[test]
fn wrong_header_says_what_it_found_and_must_be() {
    let message = read_err("time,rps\n0,1\n");
    assert_message(
        &message,
        1,
        &["\"time,rps\"", "must start with time_s,requests_per_s"],
    );
    // A file without a header: its first row is taken as one.
    let message = read_err("0,0.7\n60,1.0\n");
    assert_message(&message, 1, &["\"0,0.7\"", "time_s,requests_per_s"]);
    // Columns in the wrong order, or only one of them.
    assert_message(&read_err("requests_per_s,time_s\n"), 1, &["header"]);
    assert_message(&read_err("time_s\n0\n"), 1, &["header"]);
    // Case matters.
    assert_message(&read_err("Time_s,Requests_per_s\n0,1\n"), 1, &["header"]);
}

#[test]
fn header_without_rows() {
    for text in [
        "time_s,requests_per_s",
        "time_s,requests_per_s\n",
        "time_s,requests_per_s\n\n",
    ] {
        let message = read_err(text);
        assert!(message.starts_with(ORIGIN), "{message}");
        assert!(
            message.contains("not followed by any data rows"),
            "{message}"
        );
    }
}

#[test]
fn non_numeric_rate_names_line_column_and_fix() {
    let mut text = String::from("time_s,requests_per_s\n");
    for i in 0..15 {
        text.push_str(&format!("{},1.5\n", i * 60));
    }
    text.push_str("900,abc\n");
    let message = read_err(&text);
    assert_eq!(
        message,
        "traces/x.csv:17:1: requests_per_s \"abc\" is not a number; \
         write a non-negative decimal such as 12.5"
    );
}

#[test]
fn non_numeric_time() {
    let message = read_err("time_s,requests_per_s\n0,1\nsoon,2\n");
    assert_message(
        &message,
        3,
        &["time_s \"soon\"", "is not a number", "seconds"],
    );
    let message = read_err("time_s,requests_per_s\n,1\n");
    assert_message(&message, 2, &["time_s \"\"", "is not a number"]);
    let message = read_err("time_s,requests_per_s\n1:00,1\n");
    assert_message(&message, 2, &["time_s \"1:00\"", "is not a number"]);
}

#[test]
fn negative_values() {
    let message = read_err("time_s,requests_per_s\n0,1\n60,-2.5\n");
    assert_message(
        &message,
        3,
        &["requests_per_s \"-2.5\"", "is negative", "non-negative"],
    );
    let message = read_err("time_s,requests_per_s\n-60,1\n");
    assert_message(&message, 2, &["time_s \"-60\"", "is negative"]);
}

#[test]
fn nan_and_infinity() {
    for (bad, column) in [
        ("0,NaN", "requests_per_s"),
        ("0,inf", "requests_per_s"),
        ("0,-inf", "requests_per_s"),
        ("0,1e400", "requests_per_s"),
        ("nan,1", "time_s"),
        ("infinity,1", "time_s"),
    ] {
        let message = read_err(&format!("time_s,requests_per_s\n{bad}\n"));
        assert_message(&message, 2, &[column, "is not a finite number"]);
    }
}

#[test]
fn time_finer_than_a_millisecond() {
    let message = read_err("time_s,requests_per_s\n0.0005,1\n");
    assert_message(
        &message,
        2,
        &["\"0.0005\"", "whole number of milliseconds", "3 decimals"],
    );
    let message = read_err("time_s,requests_per_s\n1.5e-4,1\n");
    assert_message(&message, 2, &["whole number of milliseconds"]);
}

#[test]
fn time_too_large() {
    let message = read_err("time_s,requests_per_s\n99999999999999999999999,1\n");
    assert_message(&message, 2, &["time_s", "too large"]);
    let message = read_err("time_s,requests_per_s\n1e13,1\n");
    assert_message(&message, 2, &["time_s", "too large"]);
}

#[test]
fn rate_too_large() {
    let message = read_err("time_s,requests_per_s\n0,1\n60,1e308\n");
    assert_message(&message, 3, &["requests_per_s", "too large", "10^12"]);
}

#[test]
fn unsorted_times() {
    let message = read_err("time_s,requests_per_s\n0,1\n120,2\n60,3\n");
    assert_message(
        &message,
        4,
        &["\"60\"", "comes before", "120", "(line 3)", "sort the rows"],
    );
}

#[test]
fn duplicate_times() {
    let message = read_err("time_s,requests_per_s\n0,1\n60,2\n60.000,3\n");
    assert_message(
        &message,
        4,
        &["\"60.000\"", "repeats", "60", "(line 3)", "each time once"],
    );
}

#[test]
fn missing_column() {
    let message = read_err("time_s,requests_per_s\n0,1\n60\n");
    assert_message(
        &message,
        3,
        &["no requests_per_s value", "time_s,requests_per_s"],
    );
}

#[test]
fn line_numbers_are_the_files_own() {
    // Blank lines and a quoted field spanning two lines still count.
    let text = "time_s,requests_per_s,note\n\n0,1,\"two\nlines\"\n\n60,x,\n";
    let message = read_err(text);
    assert_message(&message, 6, &["requests_per_s \"x\""]);
    // CRLF endings.
    let message = read_err("time_s,requests_per_s\r\n0,1\r\n60,y\r\n");
    assert_message(&message, 3, &["\"y\""]);
}

#[test]
fn invalid_utf8_never_panics_and_is_shown_replaced() {
    let bytes = b"time_s,requests_per_s\n0,1\n60,\xFF\xFE\n";
    let message = crate::trace::read_csv(&bytes[..], ORIGIN)
        .unwrap_err()
        .to_string();
    assert_message(
        &message,
        3,
        &["requests_per_s \"\u{FFFD}\u{FFFD}\"", "not a number"],
    );
    let bytes = b"\xFF\xFF,requests_per_s\n0,1\n";
    let message = crate::trace::read_csv(&bytes[..], ORIGIN)
        .unwrap_err()
        .to_string();
    assert_message(&message, 1, &["header"]);
}

#[test]
fn long_values_are_shortened_in_messages() {
    let long = "x".repeat(10_000);
    let message = read_err(&format!("time_s,requests_per_s\n0,{long}\n"));
    assert!(message.len() < 300, "{message}");
    assert!(message.contains('…'), "{message}");
}

#[test]
fn errors_are_typed() {
    match read("time_s,requests_per_s\n0,1\n60,-1\n") {
        Err(TraceError::Value {
            line: 3,
            column: Column::RequestsPerS,
            problem: ValueProblem::Negative,
            ..
        }) => {}
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn read_errors_name_the_file() {
    struct Failing;
    impl std::io::Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk on fire"))
        }
    }
    let message = crate::trace::read_csv(Failing, ORIGIN)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("traces/x.csv:1:1: cannot read"),
        "{message}"
    );
    assert!(message.contains("disk on fire"), "{message}");
}

#[test]
fn blank_lines_and_crlf_keep_line_numbers_exact() {
    let cases = [
        ("time_s,requests_per_s\n0,1\n\n\n60,bad\n", 5),
        ("\n\ntime_s,requests_per_s\n0,bad\n", 4),
        ("time_s,requests_per_s\r\n\r\n0,1\r\n\r\n\r\n60,bad\r\n", 6),
        ("time_s,requests_per_s\n0,1\n60,bad", 3),
        ("time_s,requests_per_s\n0,1\n   \n60,bad\n", 4),
    ];
    for (text, line) in cases {
        assert_message(&read_err(text), line, &["\"bad\""]);
    }
}

#[test]
fn absurdly_long_rows_are_refused() {
    let text = format!("time_s,requests_per_s\n0,1\n60,{}\n", "9".repeat(3 << 20));
    assert_message(&read_err(&text), 3, &["longer than", "is this a CSV trace"]);
    let text = format!("time_s,requests_per_s\n{}\n", ",".repeat(100_000));
    assert_message(&read_err(&text), 2, &["fields"]);
}
