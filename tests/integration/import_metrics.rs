//! `asgsim import metrics` end to end: a `get-metric-data` export of a real trace, newest
//! first and split across two files, gives back the trace it was built from; the trace it
//! writes runs, gives the scenario its start time, and can replace a pattern.

use std::path::Path;

use asgsim::trace::{Trace, read_csv};

use crate::common::{asgsim, repo_root, texts};

/// The first `rows` rows of the bundled Azure LLM trace (CC BY 4.0, scenarios/traces/README.md).
fn azure(rows: usize) -> Trace {
    let path = repo_root().join("scenarios/traces/azure_llm_code_2024_05.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let head: Vec<&str> = text.lines().take(rows + 1).collect();
    read_csv(head.join("\n").as_bytes(), "azure").unwrap()
}

/// A `get-metric-data` page as the AWS CLI prints it: newest first, counts per minute.
fn page(trace: &Trace, rows: std::ops::Range<usize>, next_token: bool) -> String {
    let start = jiff::Timestamp::from_second(1_715_299_200).unwrap(); // 2024-05-10T00:00:00Z
    let mut times = Vec::new();
    let mut values = Vec::new();
    for i in rows.rev() {
        let t = start + jiff::SignedDuration::from_millis(trace.time_ms(i) as i64);
        times.push(format!("\"{}\"", t.strftime("%Y-%m-%dT%H:%M:%S+00:00")));
        values.push(format!("{}", trace.rates_rps()[i] * 60.0));
    }
    let token = if next_token {
        ",\n    \"NextToken\": \"eyJhbGciOi\""
    } else {
        ""
    };
    format!(
        "{{\n    \"MetricDataResults\": [\n        {{\n            \"Id\": \"requests\",\n            \"Label\": \"RequestCount\",\n            \"Timestamps\": [{}],\n            \"Values\": [{}],\n            \"StatusCode\": \"{}\"\n        }}\n    ],\n    \"Messages\": []{token}\n}}\n",
        times.join(", "),
        values.join(", "),
        if next_token {
            "PartialData"
        } else {
            "Complete"
        }
    )
}

#[test]
fn an_export_split_across_two_files_newest_first_gives_back_its_trace() {
    let original = azure(1440);
    let dir = tempfile::tempdir().unwrap();
    // The newest page first, as `aws cloudwatch get-metric-data` returns it.
    std::fs::write(
        dir.path().join("page1.json"),
        page(&original, 700..1440, true),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("page2.json"),
        page(&original, 0..700, false),
    )
    .unwrap();
    let out = asgsim(
        dir.path(),
        &[
            "import",
            "metrics",
            "page1.json",
            "page2.json",
            "--out",
            "trace.csv",
        ],
    );
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "no gap, no warning: {stderr}");
    assert!(
        stdout.starts_with("wrote 1440 rows from 2024-05-10T00:00:00Z to 2024-05-10T23:59:00Z, requests_per_s from requests (RequestCount) (1m) to trace.csv"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(dir.path().join("trace.csv")).unwrap();
    let imported = read_csv(text.as_bytes(), "trace.csv").unwrap();
    assert_eq!(imported.len(), original.len());
    for i in 0..original.len() {
        assert_eq!(imported.time_ms(i), original.time_ms(i));
        let (a, b) = (imported.rates_rps()[i], original.rates_rps()[i]);
        assert!((a - b).abs() <= 1e-9 * b.max(1.0), "row {i}: {a} vs {b}");
    }
    assert_eq!(
        imported.start_timestamp().unwrap().to_string(),
        "2024-05-10T00:00:00Z"
    );
}

fn scenario(dir: &Path, load: &str) {
    let text = format!(
        "name = \"imported-load\"\nduration = \"3h\"\n[group]\nmin_size = 1\nmax_size = 4\n[launch_template]\ncapacity_rps = 20\n[load]\n{load}\n[[scheduled_actions]]\nname = \"noon\"\nrecurrence = \"0 12 * * *\"\nmin_size = 2\n"
    );
    std::fs::write(dir.join("s.toml"), text).unwrap();
}

#[test]
fn an_imported_trace_runs_gives_its_start_and_replaces_a_pattern() {
    let original = azure(240);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.json"), page(&original, 0..240, false)).unwrap();
    let out = asgsim(dir.path(), &["import", "metrics", "p.json"]);
    let (csv, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        csv.starts_with("timestamp,time_s,requests_per_s\n2024-05-10T00:00:00Z,0,"),
        "{csv}"
    );
    std::fs::write(dir.path().join("week.csv"), &csv).unwrap();
    scenario(dir.path(), "pattern = { kind = \"constant\", rate = 10 }");
    let out = asgsim(
        dir.path(),
        &[
            "run",
            "s.toml",
            "--set",
            "load.trace=week.csv",
            "--out",
            "out",
        ],
    );
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // The trace covers 4 h of the 3 h run: no warning.
    assert!(!stderr.contains("warning"), "{stderr}");
    let timeline = std::fs::read_to_string(dir.path().join("out/timeline.csv")).unwrap();
    let second: Vec<&str> = timeline.lines().nth(1).unwrap().split(',').collect();
    let first_rate: f64 = second[1].parse().unwrap();
    assert!(
        (first_rate - original.rates_rps()[0]).abs() < 1e-6,
        "{first_rate}"
    );
    // A run longer than the trace is warned about.
    let out = asgsim(
        dir.path(),
        &[
            "validate",
            "s.toml",
            "--set",
            "load.trace=week.csv",
            "--set",
            "duration=6h",
        ],
    );
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("week.csv covers 4h but the scenario runs for 6h: the last rate is held"),
        "{stderr}"
    );
}

#[test]
fn bad_metrics_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.json"), "{\"MetricDataResults\": [").unwrap();
    let out = asgsim(dir.path(), &["import", "metrics", "bad.json"]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: bad.json: line 1, column 23:"),
        "{stderr}"
    );
    let out = asgsim(dir.path(), &["import", "metrics", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
}
