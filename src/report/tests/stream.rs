//! The files a run streams as it goes are the bytes the in-memory tables give, and a run that
//! fails leaves nothing half-written.

use std::fs;
use std::path::{Path, PathBuf};

use crate::records::{InstanceRecord, Recorder, Summary};
use crate::report::{
    ACTIVITIES_FILE, INSTANCES_FILE, RunWriter, SUMMARY_FILE, TIMELINE_FILE, activities_csv,
    instances_csv, summary_json, timeline_csv,
};
use crate::run::{RunInfo, load_trace, simulate, simulate_with};
use crate::scenario::load_scenario_file;

fn bundled(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(file)
}

/// Runs `file` with `overrides` both ways and compares the four tables byte for byte; returns
/// the streamed timeline.
fn streamed_equals_in_memory(file: &str, overrides: &[&str]) -> String {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    let scenario = load_scenario_file(&bundled(file), &overrides).unwrap();
    let trace = load_trace(&scenario, scenario.seed).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut explained = Vec::new();
    let mut writer = RunWriter::create(
        dir.path(),
        &RunInfo::of(&scenario),
        Some(Box::new(&mut explained)),
    )
    .unwrap();
    let summary = simulate_with(&scenario, &trace, scenario.seed, &mut writer);
    let written = writer.finish(&summary).unwrap();
    assert_eq!(
        written.len(),
        7,
        "the six tables and plots, and report.html"
    );
    let output = simulate(&scenario, &trace, scenario.seed);
    assert_eq!(summary, output.summary);
    let read = |name: &str| fs::read(dir.path().join(name)).unwrap();
    assert_eq!(
        read(TIMELINE_FILE),
        timeline_csv(&output),
        "{file}: timeline"
    );
    assert_eq!(read(ACTIVITIES_FILE), activities_csv(&output), "{file}");
    assert_eq!(read(INSTANCES_FILE), instances_csv(&output), "{file}");
    assert_eq!(read(SUMMARY_FILE), summary_json(&output.summary), "{file}");
    let sentences: String = output
        .records
        .explanations
        .iter()
        .map(|e| format!("{} {}\n", crate::time::Clock(e.time_ms), e.text))
        .collect();
    assert_eq!(String::from_utf8(explained).unwrap(), sentences);
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    String::from_utf8(read(TIMELINE_FILE)).unwrap()
}

#[test]
fn streamed_tables_match_the_in_memory_ones() {
    let timeline = streamed_equals_in_memory("scenarios/seed-workflow.toml", &[]);
    assert!(!timeline.contains("forecast_capacity"));
    let pool = streamed_equals_in_memory("scenarios/warm-pool.toml", &[]);
    assert!(pool.lines().next().unwrap().contains(",warm_pool,"));
    streamed_equals_in_memory("scenarios/elb-cascade.toml", &[]);
}

#[test]
fn a_forecast_column_appears_only_once_a_forecast_was_made() {
    let forecast = streamed_equals_in_memory("scenarios/predictive-scaling.toml", &[]);
    assert!(
        forecast
            .lines()
            .next()
            .unwrap()
            .contains(",forecast_capacity,")
    );
    // A day is too short to forecast: the column written up front is taken out again.
    let short = streamed_equals_in_memory("scenarios/predictive-scaling.toml", &["duration=6h"]);
    assert!(
        !short.contains("forecast_capacity"),
        "{}",
        short.lines().next().unwrap()
    );
}

fn instance(number: u32) -> InstanceRecord {
    InstanceRecord {
        instance_id: format!("i-{number:08}"),
        az: "us-east-1a".into(),
        instance_type: "m5.large".into(),
        launch_time_ms: u64::from(number) * 1_000,
        in_service_time_ms: None,
        termination_time_ms: None,
        termination_reason: None,
        cost_usd: 0.5,
    }
}

fn info() -> RunInfo {
    RunInfo {
        name: "demo".into(),
        alarm_names: vec![],
        az_names: vec!["us-east-1a".into()],
        duration_ms: 3_600_000,
        sample_interval_ms: 60_000,
        forecast_possible: false,
        warm_pool: false,
        start_time: None,
        policies: vec![],
        source: None,
    }
}

fn summary() -> Summary {
    crate::report::tests::fixtures::empty().summary
}

#[test]
fn instances_are_written_sorted_by_id_whatever_order_they_end_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut writer = RunWriter::create(dir.path(), &info(), None).unwrap();
    for number in [7, 2, 30, 1, 12] {
        writer.instance(instance(number));
    }
    writer.finish(&summary()).unwrap();
    let csv = fs::read_to_string(dir.path().join(INSTANCES_FILE)).unwrap();
    let ids: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "i-00000001",
            "i-00000002",
            "i-00000007",
            "i-00000012",
            "i-00000030"
        ]
    );
}

#[test]
fn a_run_dropped_before_it_finishes_leaves_the_old_files_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(TIMELINE_FILE), "old").unwrap();
    {
        let mut writer = RunWriter::create(dir.path(), &info(), None).unwrap();
        writer.instance(instance(1));
    }
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [TIMELINE_FILE]);
    assert_eq!(
        fs::read_to_string(dir.path().join(TIMELINE_FILE)).unwrap(),
        "old"
    );
}

#[test]
fn a_folder_that_cannot_be_made_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, "x").unwrap();
    let e = RunWriter::create(&file.join("out"), &info(), None).unwrap_err();
    assert!(e.to_string().contains("a-file"), "{e}");
}
