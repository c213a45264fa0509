//! The `asgsim` binary end to end: the seed workflow, determinism, and bad input (exit 2).

use std::fs;
use std::path::Path;

use crate::common::{asgsim, explain_lines, repo_root, run_file, scenario_path, texts};

const OUTPUTS: [&str; 6] = [
    "timeline.csv",
    "activities.csv",
    "instances.csv",
    "summary.json",
    "capacity.png",
    "capacity.svg",
];

fn run_seed_workflow(out: &Path, extra: &[&str]) -> (String, String) {
    let scenario = scenario_path("seed-workflow.toml");
    let mut args = vec![
        "run",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let result = asgsim(&repo_root(), &args);
    let (stdout, stderr) = texts(&result);
    assert!(result.status.success(), "run failed: {stderr}");
    (stdout, stderr)
}

/// The rows of a CSV output file, each as (column name → value).
fn csv_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("a CSV file");
    let header = reader.headers().expect("a header").clone();
    let rows = reader.records().map(|r| {
        let row = r.expect("a CSV row");
        let cells = header.iter().zip(row.iter());
        cells.map(|(k, v)| (k.to_string(), v.to_string())).collect()
    });
    rows.collect()
}

#[test]
fn seed_workflow_writes_six_outputs_and_explains_both_directions() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, _) = run_seed_workflow(dir.path(), &["--explain"]);
    for name in OUTPUTS {
        let len = fs::metadata(dir.path().join(name))
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(len > 0, "{name} missing or empty");
    }
    // `--explain` prints every sentence of the run as `hh:mm:ss text`, before the summary:
    // exactly the run's explanation records (their wording is snapshot-tested:
    // `seed-workflow` in explain_snapshots.rs).
    let expected = explain_lines(&run_file("scenarios/seed-workflow.toml", &[]));
    assert!(expected.len() >= 10, "{expected:#?}");
    let printed: Vec<&str> = stdout.lines().take(expected.len()).collect();
    assert_eq!(printed, expected, "{stdout}");
    // The README's example sentence is the real one.
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    let example = readme.lines().find(|l| l.starts_with("07:08:00 HighCPU"));
    let example = example.expect("the README shows an --explain line");
    assert!(stdout.lines().any(|l| l == example), "README: {example}");
    // Both directions, from the files: HighCPU and LowCPU go into ALARM, the scale-out policy
    // adds 2 (3 → 5, with launches) and the scale-in policy removes 1 (with a termination).
    let timeline = csv_rows(&dir.path().join("timeline.csv"));
    for alarm in ["alarm_HighCPU", "alarm_LowCPU"] {
        assert!(timeline.iter().any(|r| r[alarm] == "ALARM"), "{alarm}");
    }
    let activities = csv_rows(&dir.path().join("activities.csv"));
    let sizes = |r: &std::collections::HashMap<String, String>| -> (u32, u32) {
        let before = r["desired_before"].parse().unwrap();
        (before, r["desired_after"].parse().unwrap())
    };
    let launches = activities.iter().filter(|r| r["kind"] == "launch");
    assert!(launches.map(sizes).any(|s| s == (3, 5)), "{activities:#?}");
    let terminations = activities.iter().filter(|r| r["kind"] == "terminate");
    let scale_in = terminations.map(sizes).any(|(b, a)| a + 1 == b);
    assert!(scale_in, "{activities:#?}");
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    run_seed_workflow(a.path(), &[]);
    run_seed_workflow(b.path(), &[]);
    run_seed_workflow(c.path(), &["--seed", "8"]);
    for name in OUTPUTS {
        let first = fs::read(a.path().join(name)).unwrap();
        assert_eq!(
            first,
            fs::read(b.path().join(name)).unwrap(),
            "{name} differs between runs"
        );
    }
    let timeline = |d: &Path| fs::read(d.join("timeline.csv")).unwrap();
    assert_ne!(
        timeline(a.path()),
        timeline(c.path()),
        "--seed 8 changed nothing"
    );
    // Golden figures for seed 7: a change to any random stream or rule shows up here.
    let summary = fs::read_to_string(a.path().join("summary.json")).unwrap();
    for figure in [
        "\"seed\": 7,",
        "\"cost_usd\": 11.192,",
        "\"instance_hours\": 116.5833,",
        "\"scale_out_activities\": 2,",
        "\"scale_in_activities\": 2,",
        "\"replaced_unhealthy\": 1,",
        "\"requests_dropped\": 2127.2082,",
        "\"slo_violation_s\": 60.0,",
        "\"instances_launched\": 7,",
    ] {
        assert!(summary.contains(figure), "{figure} not in {summary}");
    }
}

#[test]
fn validate_accepts_every_bundled_scenario() {
    for entry in fs::read_dir(repo_root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        // Sweep files (`sweep-*.toml`) are not scenarios; tests/integration/sweep.rs runs them.
        let sweep = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("sweep-"));
        if path.extension().is_some_and(|e| e == "toml") && !sweep {
            let out = asgsim(&repo_root(), &["validate", path.to_str().unwrap()]);
            assert!(
                out.status.success(),
                "{}: {}",
                path.display(),
                texts(&out).1
            );
        }
    }
}

/// Runs `asgsim run` on the seed workflow with `--set` overrides; expects exit 2 and `needles`.
fn rejects(sets: &[&str], needles: &[&str]) {
    let scenario = scenario_path("seed-workflow.toml");
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "run",
        scenario.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ];
    for s in sets {
        args.extend_from_slice(&["--set", s]);
    }
    let out = asgsim(&repo_root(), &args);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{sets:?}: {stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{sets:?}: `{needle}` not in: {stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn min_size_above_max_size_exits_2() {
    rejects(&["group.min_size=7"], &["group.min_size", "max_size"]);
}

#[test]
fn bad_duration_exits_2() {
    rejects(&["duration=5 parsecs"], &["duration", "not a duration"]);
}

#[test]
fn alarm_action_naming_no_policy_exits_2() {
    rejects(
        &["alarms.HighCPU.alarm_actions=[\"nope\"]"],
        &["alarm_actions", "nope"],
    );
}

#[test]
fn unknown_key_exits_2_and_suggests() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(scenario_path("seed-workflow.toml")).unwrap();
    let bad = text.replace("min_size = 2", "min_sise = 2");
    let path = dir.path().join("typo.toml");
    fs::write(&path, bad).unwrap();
    let out = asgsim(dir.path(), &["validate", path.to_str().unwrap()]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("group.min_sise") && stderr.contains("min_size"),
        "{stderr}"
    );
}

#[test]
fn non_numeric_trace_value_exits_2_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("bad.csv"),
        "time_s,requests_per_s\n0,10\n60,12\n120,lots\n",
    )
    .unwrap();
    let text = fs::read_to_string(scenario_path("seed-workflow.toml")).unwrap();
    let pattern_line = text.lines().find(|l| l.starts_with("pattern =")).unwrap();
    let scenario = text.replace(pattern_line, "trace = \"bad.csv\"");
    let path = dir.path().join("s.toml");
    fs::write(&path, scenario).unwrap();
    let out = asgsim(dir.path(), &["run", path.to_str().unwrap(), "--out", "o"]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("bad.csv:4:1: error: requests_per_s \"lots\" is not a number\n"),
        "{stderr}"
    );
    assert!(
        !dir.path().join("o").exists(),
        "nothing is written for bad input"
    );
}

/// Runs `asgsim validate` on a file under `tests/scenarios/` with `--set` overrides and
/// expects exit 2 with every needle in the message.
fn rejects_fixture(file: &str, sets: &[&str], needles: &[&str]) {
    let path = repo_root().join("tests/scenarios").join(file);
    let mut args = vec!["validate", path.to_str().unwrap()];
    for s in sets {
        args.extend_from_slice(&["--set", s]);
    }
    let out = asgsim(&repo_root(), &args);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{sets:?}: {stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "`{needle}` not in: {stderr}");
    }
}

#[test]
fn step_policy_with_a_gap_or_an_overlap_exits_2() {
    let gap = "scaling_policies.step-out.step_adjustments=[{ metric_interval_lower_bound = 0, metric_interval_upper_bound = 10, scaling_adjustment = 0 }, { metric_interval_lower_bound = 15, scaling_adjustment = 30 }]";
    rejects_fixture("aws-12-2-step-warming.toml", &[gap], &["step-out", "gap"]);
    let overlap = "scaling_policies.step-out.step_adjustments=[{ metric_interval_lower_bound = 0, metric_interval_upper_bound = 10, scaling_adjustment = 0 }, { metric_interval_lower_bound = 5, scaling_adjustment = 30 }]";
    rejects_fixture(
        "aws-12-2-step-warming.toml",
        &[overlap],
        &["step-out", "overlap"],
    );
}

#[test]
fn target_tracking_without_a_target_exits_2() {
    let no_target = "scaling_policies.cpu50.target_tracking_configuration={ predefined_metric_type = \"ASGAverageCPUUtilization\" }";
    rejects_fixture(
        "aws-12-6-target-tracking.toml",
        &[no_target],
        &["cpu50", "target_value"],
    );
}

#[test]
fn cron_that_does_not_parse_exits_2() {
    let bad = "scheduled_actions=[{ name = \"evening\", recurrence = \"0 25 * * MON-FRI\", desired_capacity = 2 }]";
    rejects_fixture(
        "aws-12-6-target-tracking.toml",
        &[bad],
        &["scheduled_actions.evening.recurrence", "hour"],
    );
}

/// A scenario tracking the `queue_depth` column of `q.csv`, written with that trace in `dir`.
fn write_custom_metric_scenario(dir: &Path, trace: &str) -> std::path::PathBuf {
    fs::write(dir.join("q.csv"), trace).unwrap();
    let scenario = r#"
duration = "1h"

[group]
min_size = 1
max_size = 4

[launch_template]
capacity_rps = 50

[load]
trace = "q.csv"

[[scaling_policies]]
name = "queue"
policy_type = "TargetTrackingScaling"
target_tracking_configuration = { customized_metric = { metric_name = "QueueDepth", column = "queue_depth" }, target_value = 10 }
"#;
    let path = dir.join("s.toml");
    fs::write(&path, scenario).unwrap();
    path
}

#[test]
fn customized_metric_column_is_read_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let good = "time_s,requests_per_s,queue_depth\n0,10,3\n60,12,4\n";
    let path = write_custom_metric_scenario(dir.path(), good);
    let out = asgsim(dir.path(), &["validate", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", texts(&out).1);
    let bad = "time_s,requests_per_s,queue_depth\n0,10,3\n60,12,deep\n";
    let path = write_custom_metric_scenario(dir.path(), bad);
    let out = asgsim(dir.path(), &["validate", path.to_str().unwrap()]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("q.csv:3:1: error: queue_depth \"deep\" is not a number"),
        "{stderr}"
    );
    let missing = "time_s,requests_per_s,queue\n0,10,3\n";
    let path = write_custom_metric_scenario(dir.path(), missing);
    let out = asgsim(dir.path(), &["validate", path.to_str().unwrap()]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no column named \"queue_depth\"")
            && stderr.contains("\"time_s\", \"requests_per_s\", \"queue\""),
        "{stderr}"
    );
}

#[test]
fn doubtful_settings_are_warned_about_and_still_run() {
    let scenario = scenario_path("seed-workflow.toml");
    let args = [
        "validate",
        scenario.to_str().unwrap(),
        "--set",
        "monitoring.detailed=false",
    ];
    let out = asgsim(&repo_root(), &args);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("valid"), "{stdout}");
    assert!(
        stderr.contains("warning: ")
            && stderr.contains("alarms.HighCPU: a 1m period on CPUUtilization"),
        "{stderr}"
    );
}

#[test]
fn a_sweep_file_given_to_run_says_what_it_is() {
    let sweep = scenario_path("sweep-seed-workflow.toml");
    let out = asgsim(&repo_root(), &["validate", sweep.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let (_, stderr) = texts(&out);
    assert!(stderr.contains("this is a sweep file"), "{stderr}");
    assert!(stderr.contains("asgsim sweep"), "{stderr}");
}
