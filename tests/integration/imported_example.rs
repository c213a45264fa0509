//! The worked example `scenarios/imported/` runs from the README's commands, and its
//! committed scenario and trace are exactly what the importers write from its AWS CLI and
//! CloudWatch JSON (so that the example, the importers and the README stay in step).

use crate::common::{asgsim, repo_root, texts};

const CALLS: [&str; 8] = [
    "aws/describe-alarms.json",
    "aws/describe-auto-scaling-groups.json",
    "aws/describe-launch-template-versions.json",
    "aws/describe-lifecycle-hooks.json",
    "aws/describe-policies.json",
    "aws/describe-scheduled-actions.json",
    "aws/describe-subnets.json",
    "aws/describe-warm-pool.json",
];

#[test]
fn the_readme_commands_give_the_committed_files_and_the_readme_figures() {
    let example = repo_root().join("scenarios/imported");
    let out = tempfile::tempdir().unwrap();
    let scenario = out.path().join("code-api.toml");
    let mut args = vec!["import", "aws"];
    args.extend(CALLS);
    let scenario_arg = scenario.display().to_string();
    args.extend(["--out", &scenario_arg]);
    let run = asgsim(&example, &args);
    assert_eq!(run.status.code(), Some(0), "{}", texts(&run).1);
    let written = std::fs::read_to_string(&scenario).unwrap();
    let committed = std::fs::read_to_string(example.join("code-api.toml")).unwrap();
    assert_eq!(
        written, committed,
        "re-run `asgsim import aws aws/*.json --out code-api.toml` in scenarios/imported"
    );

    let trace = out.path().join("requests.csv");
    let trace_arg = trace.display().to_string();
    let run = asgsim(
        &example,
        &[
            "import",
            "metrics",
            "metrics/requests-page1.json",
            "metrics/requests-page2.json",
            "--out",
            &trace_arg,
        ],
    );
    let (stdout, stderr) = texts(&run);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.starts_with("wrote 10080 rows from 2024-05-10T00:00:00Z to 2024-05-16T23:59:00Z"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(&trace).unwrap(),
        std::fs::read_to_string(example.join("requests.csv")).unwrap(),
        "re-run `asgsim import metrics metrics/*.json --out requests.csv` in scenarios/imported"
    );

    let out_dir = out.path().join("run").display().to_string();
    let run = asgsim(
        &example,
        &[
            "run",
            "code-api.toml",
            "--set",
            "load.trace=requests.csv",
            "--set",
            "duration=7d",
            "--set",
            "launch_template.capacity_rps=8",
            "--set",
            "slo.latency_ms=1000",
            "--out",
            &out_dir,
        ],
    );
    let (stdout, stderr) = texts(&run);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    for line in stdout.lines().take(2) {
        assert!(
            readme.contains(line),
            "README's figures differ from the run's: {line}"
        );
    }
    assert!(stdout.contains("cost $227.78"), "{stdout}");
}

/// The calibrate → backtest → sweep workflow of the README's "Does the model match my
/// group?" prints what the README says.
#[test]
fn the_readme_calibrate_backtest_sweep_figures_are_what_the_commands_print() {
    let example = repo_root().join("scenarios/imported");
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let check = |args: &[&str], lines: usize| {
        let run = asgsim(&example, args);
        let (stdout, stderr) = texts(&run);
        assert_eq!(run.status.code(), Some(0), "{args:?}: {stderr}");
        for line in stdout.lines().take(lines) {
            let shown = line.split("; ").next().unwrap();
            assert!(readme.contains(shown), "README lacks {shown:?}");
        }
        stdout
    };
    check(
        &[
            "calibrate",
            "code-api.toml",
            "--metrics",
            "actual/cloudwatch.json",
        ],
        4,
    );
    let bt = out.path().join("bt").display().to_string();
    let base = [
        "backtest",
        "code-api.toml",
        "--set",
        "load.trace=requests.csv",
        "--set",
        "duration=7d",
        "--set",
        "slo.latency_ms=1000",
        "--set",
        "launch_template.capacity_rps=8",
        "--set",
        "launch_template.idle_cpu_percent=4",
        "--actual",
        "actual/cloudwatch.json",
        "--activities",
        "actual/activities.json",
        "--out",
        &bt,
    ];
    let first = check(&base, 6);
    assert!(first.contains("mean lag -58 s"), "{first}");
    let mut tuned = base.to_vec();
    tuned.extend([
        "--set",
        "monitoring.metric_delay=3m",
        "--set",
        "warm_pool.warm_start_time=2m",
    ]);
    let second = check(&tuned, 3);
    assert!(second.contains("127 matched"), "{second}");
    let sweep_out = out.path().join("sweep").display().to_string();
    check(
        &[
            "sweep",
            "sweep-target.toml",
            "--out",
            &sweep_out,
            "--no-plots",
        ],
        0,
    );
    let results = std::fs::read_to_string(out.path().join("sweep/results.csv")).unwrap();
    assert!(
        results.contains("\n2,300,1,") && results.contains("\n3,360,1,"),
        "{results}"
    );
    assert!(readme.contains(
        "point 3 (scaling_policies.alb-requests.target_tracking_configuration.target_value = 360)"
    ));
}
