//! Every way an extra column can be wrong: the file, the line, the column's name and the fix.

use super::load::{config, temp_csv};
use super::{ORIGIN, assert_message};
use crate::time::MS_PER_HOUR;
use crate::trace::{LoadSource, Pattern};
use crate::trace::{TraceError, ValueProblem, load_with_column, read_csv_with_column};

fn read_err(text: &str, column: &str) -> TraceError {
    match read_csv_with_column(text.as_bytes(), ORIGIN, Some(column)) {
        Ok(trace) => panic!("should fail but gave {trace:?}\n{text}"),
        Err(e) => e,
    }
}

fn message(text: &str, column: &str) -> String {
    read_err(text, column).to_string()
}

#[test]
fn missing_column_lists_the_columns_there_are() {
    let m = message("time_s,requests_per_s,queue\n0,1,2\n", "queue_depth");
    assert_eq!(
        m,
        "traces/x.csv:1:1: the header has no column named \"queue_depth\", which the \
         customized metric reads; its columns are \"time_s\", \"requests_per_s\", \"queue\"; \
         add a queue_depth column to the trace or name one of these in the policy's \
         customized_metric"
    );
    // On the header's own line, names trimmed and the byte-order mark left out.
    let m = message("\n\n\u{FEFF}time_s , requests_per_s\n0,1\n", "queue_depth");
    assert_message(
        &m,
        3,
        &["\"queue_depth\"", "are \"time_s\", \"requests_per_s\";"],
    );
    // Names are matched exactly: case and inner spaces count.
    assert_message(
        &message(
            "time_s,requests_per_s,Queue_Depth,queue depth\n0,1,2,3\n",
            "queue_depth",
        ),
        1,
        &["\"Queue_Depth\", \"queue depth\""],
    );
}

#[test]
fn a_wide_header_is_listed_shortened() {
    let names: Vec<String> = (0..100).map(|i| format!("c{i}")).collect();
    let m = message(
        &format!("time_s,requests_per_s,{}\n0,1\n", names.join(",")),
        "q",
    );
    assert_message(&m, 1, &["\"c17\" and 82 more; "]);
    assert!(!m.contains("\"c18\""), "{m}");
}

#[test]
fn a_column_named_twice_is_ambiguous() {
    let m = message("time_s,requests_per_s,q,x, q\n0,1,2,3,4\n", "q");
    assert_message(&m, 1, &["\"q\" more than once", "columns 3 and 5"]);
}

#[test]
fn non_numeric_value_names_line_column_and_fix() {
    let mut text = String::from("time_s,requests_per_s,queue_depth\n");
    for i in 0..7 {
        text.push_str(&format!("{},1.5,{i}\n", i * 60));
    }
    text.push_str("420,1.5,x\n");
    assert_eq!(
        message(&text, "queue_depth"),
        "traces/x.csv:9:1: queue_depth \"x\" is not a number; \
         write a non-negative decimal such as 12.5"
    );
    let text = "time_s,requests_per_s,q\n0,1,\n";
    assert_message(&message(text, "q"), 2, &["q \"\"", "is not a number"]);
}

#[test]
fn negative_nan_and_infinite_values() {
    for (value, problem, words) in [
        ("-2.5", ValueProblem::Negative, "is negative"),
        ("NaN", ValueProblem::NotFinite, "is not a finite number"),
        ("inf", ValueProblem::NotFinite, "is not a finite number"),
        ("1e400", ValueProblem::NotFinite, "is not a finite number"),
    ] {
        let text = format!("time_s,requests_per_s,q\n0,1,1\n\n60,2,{value}\n");
        let e = read_err(&text, "q");
        match &e {
            TraceError::ColumnValue {
                line: 4,
                column,
                problem: p,
                ..
            } if column == "q" && *p == problem => {}
            other => panic!("{value}: unexpected {other:?}"),
        }
        let quoted = format!("q \"{value}\"");
        assert_message(&e.to_string(), 4, &[&quoted, words, "non-negative"]);
    }
}

#[test]
fn a_short_row_has_no_value() {
    let text = "time_s,requests_per_s,x,q\r\n0,1,a,2\r\n60,2,b\r\n";
    let e = read_err(text, "q");
    assert!(
        matches!(
            &e,
            TraceError::MissingColumnValue {
                line: 3,
                position: 4,
                ..
            }
        ),
        "{e:?}"
    );
    assert_message(&e.to_string(), 3, &["no q value", "column 4"]);
}

#[test]
fn rate_and_time_errors_come_first_on_their_row() {
    let text = "time_s,requests_per_s,q\n0,bad,worse\n";
    assert_message(&message(text, "q"), 2, &["requests_per_s \"bad\""]);
    let text = "time_s,requests_per_s,q\n60,1,1\n0,1,1\n";
    assert_message(&message(text, "q"), 3, &["comes before"]);
}

#[test]
fn header_errors_come_before_the_column_check() {
    assert!(matches!(read_err("", "q"), TraceError::Empty { .. }));
    assert!(matches!(
        read_err("time,rps,q\n", "q"),
        TraceError::Header { .. }
    ));
    assert!(matches!(
        read_err("time_s,requests_per_s,q\n", "q"),
        TraceError::NoRows { .. }
    ));
}

#[test]
fn a_pattern_has_no_column() {
    let pattern = Pattern::Constant { rate_rps: 10.0 };
    let cfg = config(LoadSource::Pattern(pattern), 1.0, 0.0);
    let e = load_with_column(&cfg, MS_PER_HOUR, 1, Some("queue_depth")).unwrap_err();
    assert!(matches!(e, TraceError::PatternColumn { .. }), "{e:?}");
    let m = e.to_string();
    for word in [
        "[load]",
        "\"queue_depth\"",
        "synthetic pattern",
        "needs a CSV trace",
    ] {
        assert!(m.contains(word), "{word:?} in {m}");
    }
    assert!(load_with_column(&cfg, MS_PER_HOUR, 1, None).is_ok());
}

#[test]
fn load_names_the_file_and_line() {
    let (_dir, path) = temp_csv("time_s,requests_per_s,q\n0,1,1\n60,2,-1\n");
    let cfg = config(LoadSource::Trace { path: path.clone() }, 1.0, 0.0);
    let m = load_with_column(&cfg, MS_PER_HOUR, 1, Some("q"))
        .unwrap_err()
        .to_string();
    assert!(
        m.starts_with(&format!("{}:3:1: q \"-1\" is negative", path.display())),
        "{m}"
    );
    let m = load_with_column(&cfg, MS_PER_HOUR, 1, Some("depth"))
        .unwrap_err()
        .to_string();
    assert!(
        m.starts_with(&format!("{}:1:1: the header has no column", path.display())),
        "{m}"
    );
}
