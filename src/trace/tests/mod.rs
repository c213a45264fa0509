//! Tests of the trace module.

mod column_errors;
mod columns;
mod csv_errors;
mod csv_ok;
mod load;
mod patterns;
mod real;
mod segments;
mod timestamps;

use super::{Trace, TraceError, read_csv};

/// The file name the tests' messages carry.
const ORIGIN: &str = "traces/x.csv";

fn read(text: &str) -> Result<Trace, TraceError> {
    read_csv(text.as_bytes(), ORIGIN)
}

fn read_ok(text: &str) -> Trace {
    read(text).unwrap_or_else(|e| panic!("should parse: {e}\n{text}"))
}

/// The error message of a text that must not parse.
fn read_err(text: &str) -> String {
    match read(text) {
        Ok(trace) => panic!("should fail but gave {trace:?}\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// Asserts `message` starts with the origin and `line N:` and contains every key word.
fn assert_message(message: &str, line: u64, words: &[&str]) {
    let prefix = format!("{ORIGIN}:{line}:1: ");
    assert!(
        message.starts_with(&prefix),
        "expected {prefix:?} in: {message}"
    );
    for word in words {
        assert!(message.contains(word), "expected {word:?} in: {message}");
    }
}
