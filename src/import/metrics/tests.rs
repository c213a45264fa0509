//! `asgsim import metrics` on the AWS CLI's own output (tests/fixtures/aws, made by the real
//! CLI against moto) and on pages built here.

use std::path::PathBuf;

use super::*;
use crate::trace::read_csv;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/aws")
        .join(name)
}

fn import(files: &[PathBuf]) -> Result<MetricsTrace, ImportError> {
    import_metrics(&MetricsOptions {
        files: files.to_vec(),
        ..MetricsOptions::default()
    })
}

#[test]
fn get_metric_data_as_the_cli_prints_it() {
    let t = import(&[fixture("get-metric-data.json")]).unwrap();
    assert_eq!(
        t.csv,
        "timestamp,time_s,requests_per_s,cpu\n\
         2024-05-10T00:00:00Z,0,20,40.5\n\
         2024-05-10T00:01:00Z,60,21,41.5\n\
         2024-05-10T00:02:00Z,120,22,42.5\n\
         2024-05-10T00:03:00Z,180,0,43.5\n\
         2024-05-10T00:04:00Z,240,24,44.5\n\
         2024-05-10T00:05:00Z,300,25,45.5\n"
    );
    assert_eq!(t.period_ms, 60_000);
    assert_eq!(t.requests, "requests (RequestCount Sum) (1m)");
    assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
    assert!(
        t.warnings[0].contains("1 period(s) without a datapoint in 1 gap(s): 2024-05-10T00:03:00Z"),
        "{}",
        t.warnings[0]
    );
    // Version 1 of the CLI prints epoch seconds: the same trace.
    let epoch = import(&[fixture("get-metric-data-epoch.json")]).unwrap();
    assert_eq!(epoch.csv, t.csv);
    // The trace reads back, with its start.
    let trace = read_csv(t.csv.as_bytes(), "t.csv").unwrap();
    assert_eq!(
        trace.start_timestamp().unwrap().to_string(),
        "2024-05-10T00:00:00Z"
    );
}

#[test]
fn get_metric_statistics_as_the_cli_prints_it() {
    let t = import(&[fixture("get-metric-statistics.json")]).unwrap();
    assert!(
        t.csv
            .starts_with("timestamp,time_s,requests_per_s\n2024-05-10T00:00:00Z,0,20\n"),
        "{}",
        t.csv
    );
    assert_eq!(t.rows, 6);
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn page(id: &str, points: &[(&str, f64)]) -> String {
    let times: Vec<String> = points.iter().map(|(t, _)| format!("\"{t}\"")).collect();
    let values: Vec<String> = points.iter().map(|(_, v)| format!("{v}")).collect();
    format!(
        "{{\"MetricDataResults\": [{{\"Id\": \"{id}\", \"Label\": \"{id}\", \"Timestamps\": [{}], \"Values\": [{}], \"StatusCode\": \"Complete\"}}], \"Messages\": []}}",
        times.join(", "),
        values.join(", ")
    )
}

#[test]
fn bad_input_names_the_file_and_what_would_fix_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let err = |files: &[PathBuf]| import(files).unwrap_err().to_string();
    let cpu = write(
        d,
        "cpu.json",
        &page(
            "cpu",
            &[("2024-05-10T00:00:00Z", 1.0), ("2024-05-10T00:01:00Z", 2.0)],
        ),
    );
    let e = err(std::slice::from_ref(&cpu));
    assert!(
        e.contains("no request series") && e.contains("--requests ID") && e.contains("cpu"),
        "{e}"
    );
    let five = write(
        d,
        "five.json",
        &page(
            "RequestCount",
            &[("2024-05-10T00:00:00Z", 1.0), ("2024-05-10T00:05:00Z", 2.0)],
        ),
    );
    let e = err(&[five.clone(), cpu.clone()]);
    assert!(e.contains("mixed periods"), "{e}");
    let dup = write(
        d,
        "dup.json",
        &page(
            "RequestCount",
            &[("2024-05-10T00:00:00Z", 1.0), ("2024-05-10T00:00:00Z", 2.0)],
        ),
    );
    let e = err(&[dup]);
    assert!(
        e.contains("two values at 2024-05-10T00:00:00Z (1 and 2)"),
        "{e}"
    );
    let e = import_metrics(&MetricsOptions {
        files: vec![five.clone()],
        from: Some("2024-06-01".into()),
        ..MetricsOptions::default()
    })
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("holds no datapoint")
            && e.contains("from 2024-05-10T00:00:00Z to 2024-05-10T00:05:00Z"),
        "{e}"
    );
    let e = err(&[write(d, "asg.json", "{\"AutoScalingGroups\": []}")]);
    assert!(
        e.contains("asg.json: (top level): not CloudWatch metrics JSON")
            && e.contains("[AutoScalingGroups]"),
        "{e}"
    );
    let e = err(&[write(
        d,
        "cut.json",
        "{\"MetricDataResults\": [{\"Id\": \"r\"",
    )]);
    assert!(
        e.contains("cut.json: line 1") && e.contains("truncated"),
        "{e}"
    );
    let e = err(&[write(
        d,
        "ts.json",
        &page("RequestCount", &[("yesterday", 1.0)]),
    )]);
    assert!(
        e.contains("MetricDataResults[0].Timestamps[0]") && e.contains("not an ISO-8601 time"),
        "{e}"
    );
    let two = write(
        d,
        "two.json",
        &format!(
            "{}\n{}",
            page("RequestCount", &[("2024-05-10T00:00:00Z", 1.0)]),
            page("requests", &[("2024-05-10T00:01:00Z", 1.0)])
        ),
    );
    let e = err(&[two]);
    assert!(e.contains("several series look like request counts"), "{e}");
}

#[test]
fn a_window_keeps_its_datapoints() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "r.json",
        &page(
            "RequestCount",
            &[
                ("2024-05-10T00:00:00Z", 60.0),
                ("2024-05-10T00:01:00Z", 120.0),
                ("2024-05-10T00:02:00Z", 180.0),
            ],
        ),
    );
    let t = import_metrics(&MetricsOptions {
        files: vec![p],
        from: Some("2024-05-10T00:01:00Z".into()),
        to: Some("2024-05-10T00:02:00Z".into()),
        ..MetricsOptions::default()
    })
    .unwrap();
    assert_eq!(
        t.csv,
        "timestamp,time_s,requests_per_s\n2024-05-10T00:01:00Z,0,2\n"
    );
}

/// The fuzzer's out-of-memory input (fuzz target `metrics`): one datapoint stamped in the year
/// 4048 among minutes of 2024 asked for a grid of a billion rows (17 GB). Now refused, naming
/// the span, with --from/--to as the way out; a window around the real data still imports.
#[test]
fn regression_fuzz_metrics_far_timestamp_out_of_memory() {
    let dir = tempfile::tempdir().unwrap();
    let points = [
        ("4048-05-13T11:59:00+00:00", 1100.0),
        ("2024-05-13T11:58:00+00:00", 993.0),
        ("2024-05-13T11:57:00+00:00", 1090.0),
    ];
    let file = write(dir.path(), "far.json", &page("requests", &points));
    let e = import(std::slice::from_ref(&file)).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!(
            "{}: the datapoints run from 2024-05-13T11:57:00Z to 4048-05-13T11:59:00Z: ",
            file.display()
        )) && e.contains("periods of 1m, more than the 40000000 a trace may have")
            && e.contains("--from and --to"),
        "{e}"
    );
    let windowed = import_metrics(&MetricsOptions {
        files: vec![file],
        to: Some("2025-01-01".to_string()),
        ..MetricsOptions::default()
    })
    .unwrap();
    assert_eq!(windowed.rows, 2);
}
