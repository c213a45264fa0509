//! Scripting with asgsim (issue 17): `--json` on run, compare and sweep, `-` for standard
//! input, `-q`, thread counts from the environment, colour; and the `cpu_over_<X>_s` figure
//! engineers ask for.

use std::process::Command;

use crate::common::{asgsim, repo_root, texts};

fn json_of(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

/// `run --json` prints summary.json, byte for byte, and nothing else on stdout.
#[test]
fn run_json_is_summary_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = asgsim(
        &repo_root(),
        &[
            "run",
            "scenarios/seed-workflow.toml",
            "--set",
            "duration=3h",
            "--json",
            "-o",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", texts(&out).1);
    let written = std::fs::read(dir.path().join("summary.json")).unwrap();
    assert_eq!(out.stdout, written);
    let summary = json_of(&out.stdout);
    assert_eq!(summary["scenario"], "seed-workflow");
    assert!(
        texts(&out).1.contains("wrote 8 files"),
        "notes go to stderr"
    );
}

/// `compare --json` is the table: one object per scenario with compare.csv's columns, whose
/// figures are those of summary.json; per-scenario overrides (`A.toml@key=value`) need no
/// copied files; different durations are warned about.
#[test]
fn compare_json_and_per_scenario_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let run_dir = dir.path().join("run");
    let run = asgsim(
        &repo_root(),
        &[
            "run",
            "scenarios/seed-workflow.toml",
            "--set",
            "duration=3h",
            "--set",
            "alarms.HighCPU.threshold=50",
            "-q",
            "-o",
            run_dir.to_str().unwrap(),
        ],
    );
    assert!(run.status.success(), "{}", texts(&run).1);
    assert!(run.stdout.is_empty(), "-q prints nothing");
    let summary = json_of(&std::fs::read(run_dir.join("summary.json")).unwrap());
    let out = asgsim(
        &repo_root(),
        &[
            "compare",
            "scenarios/seed-workflow.toml@alarms.HighCPU.threshold=50",
            "scenarios/seed-workflow.toml@alarms.HighCPU.threshold=90",
            "--set",
            "duration=3h",
            "--json",
            "-o",
            dir.path().join("cmp").to_str().unwrap(),
        ],
    );
    let (_, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    let table = json_of(&out.stdout);
    let rows = table.as_array().expect("an array of scenarios");
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0]["scenario"],
        "seed-workflow (alarms.HighCPU.threshold=50)"
    );
    assert_eq!(
        rows[1]["scenario"],
        "seed-workflow (alarms.HighCPU.threshold=90)"
    );
    for key in [
        "cost_usd",
        "instance_hours",
        "slo_violation_s",
        "scale_out_activities",
    ] {
        assert_eq!(rows[0][key].as_f64(), summary[key].as_f64(), "{key}");
    }
    assert_eq!(
        rows[0]["elasticity_jitter"].as_f64(),
        summary["elasticity"]["jitter"].as_f64()
    );
    assert_ne!(rows[0]["cost_usd"], rows[1]["cost_usd"]);
    assert!(
        !stderr.contains("warning"),
        "same duration and load: {stderr}"
    );

    // Different durations: a warning, and the comparison still runs.
    let out = asgsim(
        &repo_root(),
        &[
            "compare",
            "scenarios/seed-workflow.toml@duration=2h",
            "scenarios/seed-workflow.toml@duration=3h",
            "-o",
            dir.path().join("cmp2").to_str().unwrap(),
        ],
    );
    let (_, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: the scenarios run for different durations"),
        "{stderr}"
    );
}

/// `sweep --json` prints the rows of results.csv; each run's figures are those `run` writes
/// to summary.json for the same values and seed. `ASGSIM_JOBS=1` runs on one thread.
#[test]
fn sweep_json_matches_run_and_jobs_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo_root().join("scenarios/seed-workflow.toml");
    let sweep = dir.path().join("s.toml");
    std::fs::write(
        &sweep,
        format!(
            "scenario = {:?}\nseeds = [3]\n[set]\nduration = \"2h\"\n[parameters]\n\"alarms.HighCPU.threshold\" = [70, 80]\n",
            scenario.to_str().unwrap()
        ),
    )
    .unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_asgsim"));
    cmd.current_dir(dir.path())
        .args(["sweep", "s.toml", "--json", "-o", "out"])
        .env("ASGSIM_JOBS", "1");
    let out = cmd.output().unwrap();
    let (_, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(" on 1 thread "), "{stderr}");
    let rows = json_of(&out.stdout);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["parameter_alarms.HighCPU.threshold"], 80);
    let run = asgsim(
        dir.path(),
        &[
            "run",
            scenario.to_str().unwrap(),
            "--seed",
            "3",
            "--set",
            "duration=2h",
            "--set",
            "alarms.HighCPU.threshold=80",
            "--json",
            "-o",
            "run",
        ],
    );
    let summary = json_of(&run.stdout);
    for key in [
        "cost_usd",
        "mean_in_service",
        "requests_dropped",
        "slo_violation_s",
    ] {
        assert_eq!(rows[1][key].as_f64(), summary[key].as_f64(), "{key}");
    }

    // RAYON_NUM_THREADS is honoured too; a bad ASGSIM_JOBS is bad input.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_asgsim"));
    cmd.current_dir(dir.path())
        .args(["sweep", "s.toml", "-o", "out2"])
        .env_remove("ASGSIM_JOBS")
        .env("RAYON_NUM_THREADS", "1");
    let (stdout, _) = texts(&cmd.output().unwrap());
    assert!(stdout.contains(" on 1 thread "), "{stdout}");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_asgsim"));
    cmd.current_dir(dir.path())
        .args(["sweep", "s.toml", "-o", "out3"])
        .env("ASGSIM_JOBS", "many");
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("ASGSIM_JOBS"));
    // -q: no notes, no results in words.
    let out = asgsim(dir.path(), &["-q", "sweep", "s.toml", "-o", "out4"]);
    assert!(out.status.success());
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "{:?}",
        texts(&out)
    );
}

/// Runs the binary with `stdin` as its standard input.
fn with_stdin(dir: &std::path::Path, args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_asgsim"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// `-` reads a scenario, or a trace, from standard input: the same run as from the file.
#[test]
fn dash_reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let root = repo_root();
    let scenario = std::fs::read(root.join("scenarios/seed-workflow.toml")).unwrap();
    let from_file = asgsim(
        &root,
        &[
            "run",
            "scenarios/seed-workflow.toml",
            "--set",
            "duration=2h",
            "--json",
            "-o",
            dir.path().join("a").to_str().unwrap(),
        ],
    );
    let from_stdin = with_stdin(
        &root,
        &[
            "run",
            "-",
            "--set",
            "duration=2h",
            "--json",
            "-o",
            dir.path().join("b").to_str().unwrap(),
        ],
        &scenario,
    );
    assert!(from_stdin.status.success(), "{}", texts(&from_stdin).1);
    assert_eq!(from_file.stdout, from_stdin.stdout);

    // A trace on standard input, named `-` by --set (or in the scenario).
    let trace = std::fs::read(root.join("scenarios/traces/daily-office.csv")).unwrap();
    let args = |load: &str, out: &str| -> Vec<String> {
        [
            "run",
            "scenarios/llm-inference-week.toml",
            "--set",
            "duration=1d",
            "--set",
            load,
            "--json",
            "-o",
            dir.path().join(out).to_str().unwrap(),
        ]
        .map(String::from)
        .to_vec()
    };
    let file_args = args("load.trace=traces/daily-office.csv", "c");
    let stdin_args = args("load.trace=-", "d");
    let file_args: Vec<&str> = file_args.iter().map(String::as_str).collect();
    let stdin_args: Vec<&str> = stdin_args.iter().map(String::as_str).collect();
    let from_file = asgsim(&root, &file_args);
    assert!(from_file.status.success(), "{}", texts(&from_file).1);
    let from_stdin = with_stdin(&root, &stdin_args, &trace);
    assert!(from_stdin.status.success(), "{}", texts(&from_stdin).1);
    assert_eq!(from_file.stdout, from_stdin.stdout);

    // Only one input can come from standard input.
    let out = with_stdin(
        &root,
        &["validate", "-", "--set", "load.trace=-"],
        &std::fs::read(root.join("scenarios/llm-inference-week.toml")).unwrap(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        texts(&out)
            .1
            .contains("standard input (-) is already the scenario"),
        "{}",
        texts(&out).1
    );
}

/// `--color always` colours `error:`, `never` does not; NO_COLOR turns colour off on a
/// terminal (auto), and never overrides an explicit `always`.
#[test]
fn colour_follows_the_flag_and_no_color() {
    let args = |colour: &'static str| ["--color", colour, "validate", "nothere.toml"];
    let run = |colour: &'static str, no_color: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_asgsim"));
        cmd.current_dir(repo_root()).args(args(colour));
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        texts(&cmd.output().unwrap()).1
    };
    assert!(run("always", false).starts_with("\u{1b}[1;31merror:\u{1b}[0m "));
    assert!(run("always", true).starts_with("\u{1b}[1;31merror:"));
    assert!(run("never", false).starts_with("error: "));
    // Not a terminal: auto never colours.
    assert!(run("auto", false).starts_with("error: "));
}

/// A steady group of 2 (100 req/s each, idle 2%) under a step load: 170 req/s is 85.3% CPU,
/// 190 req/s is 95.1%.
fn cpu_case(extra: &str) -> asgsim::sim::Scenario {
    crate::common::scenario_from(&format!(
        r#"
name = "cpu"
duration = "30m"
[group]
min_size = 2
max_size = 2
availability_zones = ["us-east-1a"]
[launch_template]
capacity_rps = 100
idle_cpu_percent = 2
boot_time = "60s"
[load]
pattern = {{ kind = "step", base = 170, peak = 190, at = "10m", until = "20m" }}
{extra}
"#
    ))
}

/// `cpu_over_<X>_s`: the time the group's average CPU was above X% (default 90), integrated
/// between events, in summary.json.
#[test]
fn time_above_the_cpu_threshold_is_counted() {
    let out = crate::common::simulate(&cpu_case(""), 1);
    assert_eq!(out.summary.cpu_over.percent, 90.0);
    assert_eq!(out.summary.cpu_over.seconds, 600.0);
    let json = String::from_utf8(asgsim::report::summary_json(&out.summary)).unwrap();
    assert!(json.contains("\"cpu_over_90_s\": 600.0,"), "{json}");
}

/// `[slo] cpu_percent` sets the threshold, and the name of the figure with it.
#[test]
fn the_cpu_threshold_comes_from_the_slo() {
    let out = crate::common::simulate(&cpu_case("[slo]\ncpu_percent = 80"), 1);
    assert_eq!(
        out.summary.cpu_over.seconds, 1800.0,
        "85.3% and 95.1% are both above 80%"
    );
    let json = String::from_utf8(asgsim::report::summary_json(&out.summary)).unwrap();
    assert!(json.contains("\"cpu_over_80_s\": 1800.0,"), "{json}");
    let out = crate::common::simulate(&cpu_case("[slo]\ncpu_percent = 99.5"), 1);
    assert_eq!(out.summary.cpu_over.seconds, 0.0);
    assert_eq!(out.summary.cpu_over.name(), "cpu_over_99.5_s");
}

/// results.csv names the CPU column by the sweep's threshold; a sweep cannot vary it.
#[test]
fn sweeps_name_the_cpu_column_by_their_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo_root().join("scenarios/seed-workflow.toml");
    let write = |body: &str| {
        std::fs::write(
            dir.path().join("s.toml"),
            format!("scenario = {:?}\n{body}", scenario.to_str().unwrap()),
        )
        .unwrap();
    };
    write(
        "[set]\nduration = \"1h\"\n\"slo.cpu_percent\" = 80\n[parameters]\n\"group.max_size\" = [6, 8]\n",
    );
    let out = asgsim(dir.path(), &["-q", "sweep", "s.toml", "-o", "a"]);
    assert!(out.status.success(), "{}", texts(&out).1);
    let results = std::fs::read_to_string(dir.path().join("a/results.csv")).unwrap();
    let header = results.lines().next().unwrap();
    assert!(
        header.contains(",instances_launched,cpu_over_80_s,"),
        "{header}"
    );

    write("[set]\nduration = \"1h\"\n[parameters]\n\"slo.cpu_percent\" = [80, 90]\n");
    let out = asgsim(dir.path(), &["sweep", "s.toml", "-o", "b"]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("slo.cpu_percent is 90 here but 80"),
        "{stderr}"
    );
}
