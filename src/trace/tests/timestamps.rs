//! Traces with an ISO-8601 `timestamp` column, as `asgsim import metrics` writes them or a
//! user's own export has them: beside `time_s` or instead of it.

use super::{ORIGIN, assert_message, read, read_err, read_ok};
use crate::trace::read_start_timestamp;

const IMPORTED: &str = "timestamp,time_s,requests_per_s,cpu\n\
    2024-05-10T00:00:00Z,0,12.5,31.0\n\
    2024-05-10T00:01:00Z,60,14,33.5\n\
    2024-05-10T00:02:00Z,120,13,32.0\n";

#[test]
fn timestamp_beside_time_s_keeps_time_s_and_records_the_start() {
    let trace = read_ok(IMPORTED);
    assert_eq!(trace.len(), 3);
    assert_eq!(trace.step_ms(), Some(60_000));
    assert_eq!(trace.rate_at(60_000), 14.0);
    let start = trace.start_timestamp().unwrap();
    assert_eq!(start.to_string(), "2024-05-10T00:00:00Z");
}

#[test]
fn timestamp_alone_gives_times_from_the_first_row() {
    let trace = read_ok(
        "timestamp,requests_per_s\n\
         2024-05-10T02:00:00+02:00,1\n\
         2024-05-10 00:05:00,2\n\
         2024-05-10T00:07:30.500Z,3\n",
    );
    assert_eq!(trace.time_ms(0), 0);
    assert_eq!(trace.time_ms(1), 300_000);
    assert_eq!(trace.time_ms(2), 450_500);
    let start = trace.start_timestamp().unwrap();
    assert_eq!(start.to_string(), "2024-05-10T00:00:00Z");
}

#[test]
fn a_trace_without_timestamps_has_no_start() {
    assert_eq!(
        read_ok("time_s,requests_per_s\n0,1\n").start_timestamp(),
        None
    );
}

#[test]
fn a_later_time_s_start_moves_the_start_back() {
    let trace = read_ok("timestamp,time_s,requests_per_s\n2024-05-10T00:10:00Z,600,1\n");
    let start = trace.start_timestamp().unwrap();
    assert_eq!(start.to_string(), "2024-05-10T00:00:00Z");
}

#[test]
fn bad_timestamps_name_the_line_and_the_fix() {
    let e = read_err("timestamp,requests_per_s\n2024-05-10T00:00:00Z,1\nyesterday,2\n");
    assert_message(
        &e,
        3,
        &[
            "timestamp \"yesterday\"",
            "ISO-8601",
            "2024-05-10T00:00:00Z",
        ],
    );
    let e = read_err(
        "timestamp,time_s,requests_per_s\n2024-05-10T00:00:00Z,0,1\n2024-05-10T00:02:00Z,60,2\n",
    );
    assert_message(
        &e,
        3,
        &["2m after the first row's timestamp", "time_s says 60 s"],
    );
    let e = read_err("timestamp,requests_per_s\n2024-05-10T00:05:00Z,1\n2024-05-10T00:00:00Z,2\n");
    assert_message(
        &e,
        3,
        &["comes before the first row's timestamp", "oldest first"],
    );
    let e = read_err("timestamp,requests_per_s\n2024-05-10T00:05:00Z,1\n2024-05-10T00:05:00Z,2\n");
    assert_message(&e, 3, &["repeats"]);
    let e = read_err("timestamp,rps\n2024-05-10T00:05:00Z,1\n");
    assert_message(&e, 1, &["timestamp,requests_per_s"]);
}

#[test]
fn the_start_is_read_from_the_first_row_alone() {
    let start = read_start_timestamp(IMPORTED.as_bytes(), ORIGIN)
        .unwrap()
        .unwrap();
    assert_eq!(start.to_string(), "2024-05-10T00:00:00Z");
    let plain = read_start_timestamp("time_s,requests_per_s\n0,1\n".as_bytes(), ORIGIN);
    assert_eq!(plain.unwrap(), None);
    // Later rows are not read: a bad one does not matter here.
    let text = "timestamp,requests_per_s\n2024-05-10T00:00:00Z,1\nnonsense\n";
    assert!(
        read_start_timestamp(text.as_bytes(), ORIGIN)
            .unwrap()
            .is_some()
    );
    assert!(read(text).is_err());
}
