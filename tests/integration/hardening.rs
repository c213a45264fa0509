//! Regression tests of issue 14: defects found by a reliability campaign (bad inputs, kills,
//! fuzzing), each named after its defect.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{asgsim, scenario_path, texts};

/// Writes `text` as `name` in `dir` and returns its path.
fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

/// The seed workflow with `from` replaced by `to`, written into `dir` as `name`.
fn seed_workflow_with(dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let text = fs::read_to_string(scenario_path("seed-workflow.toml")).unwrap();
    assert!(text.contains(from), "{from} is not in the seed workflow");
    write(dir, name, &text.replacen(from, to, 1))
}

/// Runs `asgsim` in `dir`; expects exit code `code` and every needle on stderr, no panic.
fn expect_exit(dir: &Path, args: &[&str], code: i32, needles: &[&str]) -> String {
    let out = asgsim(dir, args);
    let (stdout, stderr) = texts(&out);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: {stderr}\n{stdout}"
    );
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{args:?}: `{needle}` not in: {stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// `summary.json` of a run, as JSON.
fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join("summary.json")).unwrap()).unwrap()
}

/// Defect 1: `scaling_adjustment = 9223372036854775807` validated, then wrapped a scale-out
/// into a scale-in (release) or panicked (debug). AWS's ScalingAdjustment is a 32-bit integer
/// (API PutScalingPolicy: "Type: Integer"): out of that range is an error naming the key; the
/// largest valid adjustment scales out to max_size.
#[test]
fn regression_scaling_adjustment_overflow() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let huge = seed_workflow_with(
        dir,
        "huge.toml",
        "scaling_adjustment = 2\n",
        "scaling_adjustment = 9223372036854775807\n",
    );
    let stderr = expect_exit(
        dir,
        &["validate", huge.to_str().unwrap()],
        2,
        &[
            "huge.toml",
            "scaling_policies.scale-out.scaling_adjustment",
            "2147483647",
        ],
    );
    assert!(stderr.contains("32-bit"), "{stderr}");
    for set in [
        "group.max_size=2147483648",
        "alarms.HighCPU.evaluation_periods=4294967296",
        "scaling_policies.scale-in.scaling_adjustment=-2147483649",
    ] {
        let key = set.split('=').next().unwrap();
        let scenario = scenario_path("seed-workflow.toml");
        let args = ["validate", scenario.to_str().unwrap(), "--set", set];
        expect_exit(dir, &args, 2, &[key, "32-bit"]);
    }
    // The largest adjustment AWS takes: the first scale-out goes from 3 to max_size.
    let largest = seed_workflow_with(
        dir,
        "largest.toml",
        "scaling_adjustment = 2\n",
        "scaling_adjustment = 2147483647\n",
    );
    let out_dir = dir.join("out");
    let args = [
        "run",
        largest.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--set",
        "duration=16h",
    ];
    let out = asgsim(dir, &args);
    assert!(out.status.success(), "{}", texts(&out).1);
    let activities = fs::read_to_string(out_dir.join("activities.csv")).unwrap();
    let first_out = activities
        .lines()
        .find(|l| l.contains("scale-out"))
        .expect("a scale-out");
    assert!(first_out.contains(",3,6,"), "3 → max 6: {first_out}");
    assert!(summary(&out_dir)["max_in_service"].as_u64().unwrap() <= 6);
}
