//! `asgsim backtest` and `asgsim calibrate` end to end, with `asgsim run --cloudwatch-json`
//! as the "actual" side: a run backtested against itself matches exactly; a changed threshold
//! is found, with its first diverging decision; calibration recovers the instance model from
//! metrics asgsim wrote, and refuses flat data; bad input exits 2.

use std::path::Path;

use crate::common::{asgsim, repo_root, texts};

/// Runs `scenario` (a path relative to the crate) with `--cloudwatch-json` into `dir/name`.
fn actual(dir: &Path, scenario: &str, sets: &[&str], name: &str) -> std::path::PathBuf {
    let out = dir.join(name);
    let scenario = repo_root().join(scenario).display().to_string();
    let out_text = out.display().to_string();
    let mut args = vec![
        "run",
        scenario.as_str(),
        "--cloudwatch-json",
        "--out",
        out_text.as_str(),
    ];
    for s in sets {
        args.extend(["--set", s]);
    }
    let run = asgsim(dir, &args);
    assert_eq!(run.status.code(), Some(0), "{}", texts(&run).1);
    out
}

fn backtest(
    dir: &Path,
    scenario: &str,
    actual: &Path,
    extra: &[&str],
) -> (Option<i32>, String, String) {
    let scenario = repo_root().join(scenario).display().to_string();
    let metrics = actual.join("cloudwatch.json").display().to_string();
    let activities = actual.join("activities.json").display().to_string();
    let out = dir.join("bt").display().to_string();
    let mut args = vec![
        "backtest",
        scenario.as_str(),
        "--actual",
        metrics.as_str(),
        "--activities",
        activities.as_str(),
        "--out",
        out.as_str(),
    ];
    args.extend(extra);
    let run = asgsim(dir, &args);
    let (stdout, stderr) = texts(&run);
    (run.status.code(), stdout, stderr)
}

fn report(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("bt/backtest.json")).unwrap()).unwrap()
}

#[test]
fn a_run_backtested_against_itself_matches_exactly() {
    for scenario in [
        "scenarios/seed-workflow.toml",
        "scenarios/step-scaling.toml",
        "scenarios/target-tracking.toml",
        "scenarios/scheduled-scaling.toml",
        "scenarios/predictive-scaling.toml",
        "scenarios/warm-pool.toml",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let actual = actual(dir.path(), scenario, &[], "actual");
        let (code, stdout, stderr) = backtest(dir.path(), scenario, &actual, &[]);
        assert_eq!(code, Some(0), "{scenario}: {stderr}");
        assert!(stderr.is_empty(), "{scenario}: {stderr}");
        let r = report(dir.path());
        assert_eq!(r["capacity_mae"], 0.0, "{scenario}");
        assert_eq!(r["capacity_match_pct"], 100.0, "{scenario}");
        assert_eq!(r["in_service_mae"], 0.0, "{scenario}");
        let n = r["decisions_actual"].as_u64().unwrap();
        assert!(n > 0, "{scenario}: the run decided something");
        assert_eq!(r["decisions_simulated"].as_u64(), Some(n), "{scenario}");
        assert_eq!(
            r["decisions_matched"].as_u64(),
            Some(n),
            "{scenario}: {stdout}"
        );
        assert!(r["first_divergence_s"].is_null(), "{scenario}");
        assert!(stdout.contains("no divergence"), "{stdout}");
        let csv = std::fs::read_to_string(dir.path().join("bt/backtest.csv")).unwrap();
        assert!(csv.starts_with("time_s,desired_actual,desired_simulated,in_service_actual,in_service_simulated\n60,"), "{csv}");
        for plot in ["backtest.png", "backtest.svg"] {
            assert!(dir.path().join("bt").join(plot).metadata().unwrap().len() > 1000);
        }
    }
}

#[test]
fn a_changed_threshold_is_found_with_its_first_diverging_decision() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = "scenarios/seed-workflow.toml";
    let actual = actual(dir.path(), scenario, &[], "actual");
    let (code, stdout, stderr) = backtest(
        dir.path(),
        scenario,
        &actual,
        &["--set", "alarms.HighCPU.threshold=70"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let r = report(dir.path());
    assert!(r["capacity_mae"].as_f64().unwrap() > 0.0, "{r}");
    assert!(r["capacity_match_pct"].as_f64().unwrap() < 100.0);
    let first = r["first_divergence_s"].as_f64().unwrap();
    assert_eq!(first, 23_280.0, "06:28, when the model scales out at 70%");
    let text = r["first_divergence"].as_str().unwrap();
    assert!(text.contains("the model scaled 3 → 5 at 06:28:00 (alarm HighCPU → policy scale-out), which the group did not"), "{text}");
    assert!(stdout.contains("added (the model did, the group did not): 06:28:00 3 → 5 by alarm HighCPU → policy scale-out"), "{stdout}");
    assert!(
        stdout.contains("missed (the group did, the model did not): 07:08:00 3 → 5"),
        "{stdout}"
    );
}

/// A diurnal day with noisy load on a group of known instances: capacity 80 req/s, idle 5%.
const KNOWN: &str = r#"
name = "known"
duration = "2d"
[group]
min_size = 2
max_size = 12
desired_capacity = 3
[launch_template]
capacity_rps = 80
idle_cpu_percent = 5
boot_time = "60s"
[load]
pattern = { kind = "diurnal", base = 60, peak = 500, period = "24h" }
noise = 0.15
[[scaling_policies]]
name = "cpu"
policy_type = "TargetTrackingScaling"
target_tracking_configuration = { predefined_metric_type = "ASGAverageCPUUtilization", target_value = 55 }
"#;

#[test]
fn calibration_recovers_the_instance_model_within_2_percent_and_refuses_flat_data() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("known.toml"), KNOWN).unwrap();
    let run = asgsim(
        dir.path(),
        &["run", "known.toml", "--cloudwatch-json", "--out", "out"],
    );
    assert_eq!(run.status.code(), Some(0), "{}", texts(&run).1);
    // Measurement noise on top of the load's: each minute's CPU off by up to ±2 points.
    let path = dir.path().join("out/cloudwatch.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for series in doc["MetricDataResults"].as_array_mut().unwrap() {
        if series["Id"] != "cpu" {
            continue;
        }
        for v in series["Values"].as_array_mut().unwrap() {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            *v = serde_json::Value::from(v.as_f64().unwrap() + 4.0 * (u - 0.5));
        }
    }
    std::fs::write(&path, doc.to_string()).unwrap();
    // The scenario to calibrate starts from the import's defaults.
    let guess = KNOWN
        .replace(
            "capacity_rps = 80",
            "capacity_rps = 100  # asgsim default, not from AWS",
        )
        .replace("idle_cpu_percent = 5", "idle_cpu_percent = 2.0");
    std::fs::write(dir.path().join("guess.toml"), &guess).unwrap();
    let run = asgsim(
        dir.path(),
        &[
            "calibrate",
            "guess.toml",
            "--metrics",
            "out/cloudwatch.json",
        ],
    );
    let (stdout, stderr) = texts(&run);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let set_line = stdout.lines().find(|l| l.starts_with("--set")).unwrap();
    let value = |key: &str| -> f64 {
        let part = set_line.split(' ').find(|p| p.starts_with(key)).unwrap();
        part.split('=').nth(1).unwrap().parse().unwrap()
    };
    let (capacity, idle) = (
        value("launch_template.capacity_rps"),
        value("launch_template.idle_cpu_percent"),
    );
    assert!((capacity - 80.0).abs() <= 0.02 * 80.0, "{stdout}");
    assert!((idle - 5.0).abs() <= 0.02 * 5.0, "{stdout}");
    let r2: f64 = stdout
        .split("R² ")
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(r2 > 0.95 && r2 < 1.0, "{stdout}");
    // --write sets them in place, keeping the file's other lines and comments.
    let run = asgsim(
        dir.path(),
        &[
            "calibrate",
            "guess.toml",
            "--metrics",
            "out/cloudwatch.json",
            "--write",
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", texts(&run).1);
    let written = std::fs::read_to_string(dir.path().join("guess.toml")).unwrap();
    assert!(
        written.contains(&format!(
            "capacity_rps = {capacity}  # fitted by asgsim calibrate"
        )),
        "{written}"
    );
    assert!(written.contains("[[scaling_policies]]") && written.contains("noise = 0.15"));
    // Flat data: a fixed group under a constant load.
    let flat = "name = \"flat\"\nduration = \"3h\"\n[group]\nmin_size = 3\nmax_size = 3\n[launch_template]\ncapacity_rps = 80\n[load]\npattern = { kind = \"constant\", rate = 120 }\n";
    std::fs::write(dir.path().join("flat.toml"), flat).unwrap();
    let run = asgsim(
        dir.path(),
        &["run", "flat.toml", "--cloudwatch-json", "--out", "flat"],
    );
    assert_eq!(run.status.code(), Some(0));
    let run = asgsim(
        dir.path(),
        &[
            "calibrate",
            "flat.toml",
            "--metrics",
            "flat/cloudwatch.json",
        ],
    );
    let (_, stderr) = texts(&run);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot calibrate: the load per instance does not vary"),
        "{stderr}"
    );
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = "scenarios/seed-workflow.toml";
    let actual = actual(dir.path(), scenario, &[], "actual");
    // Activities of another group.
    let other = dir.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::copy(
        actual.join("cloudwatch.json"),
        other.join("cloudwatch.json"),
    )
    .unwrap();
    let text = std::fs::read_to_string(actual.join("activities.json"))
        .unwrap()
        .replace("\"seed-workflow\"", "\"checkout\"");
    std::fs::write(other.join("activities.json"), text).unwrap();
    let (code, _, stderr) = backtest(dir.path(), scenario, &other, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("an activity of group checkout, but the scenario is group seed-workflow"),
        "{stderr}"
    );
    // Empty activities.
    std::fs::write(other.join("activities.json"), "{\"Activities\": []}").unwrap();
    let (code, _, stderr) = backtest(dir.path(), scenario, &other, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("holds no activities"), "{stderr}");
    // Other periods.
    let (code, _, stderr) = backtest(
        dir.path(),
        scenario,
        &actual,
        &["--set", "sample_interval=120s"],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("datapoints every 60 s, but the scenario samples every 120 s"),
        "{stderr}"
    );
    // No overlap in time.
    let (code, _, stderr) = backtest(
        dir.path(),
        scenario,
        &actual,
        &["--set", "start_time=2026-01-01T00:00:00Z"],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("no overlap in time"), "{stderr}");
    // Not CloudWatch JSON.
    std::fs::write(other.join("cloudwatch.json"), "{\"Activities\": []}").unwrap();
    let (code, _, stderr) = backtest(dir.path(), scenario, &other, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("not CloudWatch metrics JSON"), "{stderr}");
}
