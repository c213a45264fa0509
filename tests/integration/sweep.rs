//! `asgsim sweep`, `merge` and `compare` end to end, on the bundled sweep of the seed workflow
//! (3 thresholds × 3 cooldowns × 5 seeds), shortened to 8 simulated hours with `--set` to keep
//! the tests fast.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{asgsim, repo_root, scenario_path, texts};

/// The sweep's runs are shortened to this.
const SHORT: &str = "duration=8h";

fn sweep_file() -> PathBuf {
    scenario_path("sweep-seed-workflow.toml")
}

/// Runs `asgsim sweep` on the bundled sweep into `out` with `extra` arguments.
fn sweep(out: &Path, extra: &[&str]) -> Output {
    let file = sweep_file();
    let mut args = vec![
        "sweep",
        file.to_str().unwrap(),
        "--set",
        SHORT,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    asgsim(&repo_root(), &args)
}

fn ok(out: Output) -> String {
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "failed: {stderr}\n{stdout}");
    stdout
}

fn results(dir: &Path) -> Vec<u8> {
    fs::read(dir.join("results.csv")).expect("results.csv")
}

#[test]
fn forty_five_rows_the_same_bytes_for_one_and_two_jobs_and_for_merged_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    let two = tmp.path().join("two");
    let stdout = ok(sweep(&one, &["--jobs", "1"]));
    assert!(stdout.contains("45 runs"), "{stdout}");
    assert!(
        stdout.contains("best for min:cost_usd where slo_violation_pct <= 1: point "),
        "{stdout}"
    );
    ok(sweep(&two, &["--jobs", "2"]));
    let single = results(&one);
    assert_eq!(single, results(&two), "--jobs 1 and --jobs 2 differ");
    let text = String::from_utf8(single.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 46, "a header and 45 rows");
    assert!(lines[0].starts_with(
        "run,parameter_alarms.HighCPU.threshold,parameter_scaling_policies.scale-out.cooldown,seed,duration_s,cost_usd,"
    ));
    assert!(lines[0].ends_with(",elastic_speedup_fixed,elastic_speedup_oracle"));
    assert!(lines[1].starts_with("1,70,60s,1,28800,"), "{}", lines[1]);
    assert!(
        lines[45].starts_with("45,80,900s,5,28800,"),
        "{}",
        lines[45]
    );
    // The swept keys matter: another threshold or cooldown, other figures for some seed.
    let figures = |row: &str| row.splitn(5, ',').nth(4).unwrap().to_string();
    let differs =
        |a: usize, b: usize| (0..5).any(|s| figures(lines[a + s]) != figures(lines[b + s]));
    assert!(differs(1, 11), "cooldown 60s and 900s give the same runs");
    assert!(differs(1, 31), "threshold 70 and 80 give the same runs");
    for name in [
        "points.csv",
        "best.json",
        "heatmap.png",
        "heatmap.svg",
        "pareto.png",
        "pareto.svg",
    ] {
        assert!(one.join(name).is_file(), "{name} missing");
    }
    let points = fs::read_to_string(one.join("points.csv")).unwrap();
    assert_eq!(points.lines().count(), 10, "a header and 9 points");
    assert_eq!(points, fs::read_to_string(two.join("points.csv")).unwrap());

    let mut shards = Vec::new();
    for i in 1..=3 {
        let dir = tmp.path().join(format!("shard-{i}"));
        let stdout = ok(sweep(&dir, &["--shard", &format!("{i}/3")]));
        assert!(
            stdout.contains(&format!("shard {i}/3 (from --shard): 15 of 45 runs")),
            "{stdout}"
        );
        assert!(
            !dir.join("points.csv").exists(),
            "a shard alone writes no points"
        );
        shards.push(dir);
    }
    let merged = tmp.path().join("merged");
    let mut args = vec!["merge"];
    let names: Vec<String> = shards
        .iter()
        .rev()
        .map(|d| d.display().to_string())
        .collect();
    args.extend(names.iter().map(String::as_str));
    args.extend(["--out", merged.to_str().unwrap()]);
    let stdout = ok(asgsim(&repo_root(), &args));
    assert!(stdout.contains("merged 3 shards: 45 runs"), "{stdout}");
    assert_eq!(
        results(&merged),
        single,
        "merged shards differ from the unsharded sweep"
    );
    assert_eq!(
        fs::read_to_string(merged.join("points.csv")).unwrap(),
        points
    );
    assert_eq!(
        fs::read(merged.join("best.json")).unwrap(),
        fs::read(one.join("best.json")).unwrap()
    );
}

#[test]
fn a_resumed_sweep_equals_an_uninterrupted_one() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    ok(sweep(&whole, &["--jobs", "2"]));
    let journal = fs::read_to_string(whole.join("journal.csv")).unwrap();
    let lines: Vec<&str> = journal.lines().collect();
    assert_eq!(lines.len(), 46);
    // Kill it half-way: the header, half the rows (in the order they finished), and a torn
    // line of the next row.
    let half = 1 + 45 / 2;
    let mut cut = lines[..half].join("\n");
    cut.push('\n');
    cut.push_str(&lines[half][..lines[half].len() / 2]);
    let resumed = tmp.path().join("resumed");
    fs::create_dir_all(&resumed).unwrap();
    fs::write(resumed.join("journal.csv"), cut).unwrap();
    fs::copy(whole.join("sweep.json"), resumed.join("sweep.json")).unwrap();
    let stdout = ok(sweep(&resumed, &["--resume", "--jobs", "2"]));
    assert!(
        stdout.contains("ran 23 runs (22 already in the journal)"),
        "{stdout}"
    );
    assert_eq!(results(&resumed), results(&whole));
    // Resuming a finished sweep runs nothing and writes the same file again.
    let stdout = ok(sweep(&resumed, &["--resume"]));
    assert!(
        stdout.contains("ran 0 runs (45 already in the journal)"),
        "{stdout}"
    );
    assert_eq!(results(&resumed), results(&whole));
    // Another sweep's folder is refused.
    let out = sweep(&resumed, &["--resume", "--set", "group.max_size=7"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        texts(&out).1.contains("holds another sweep"),
        "{}",
        texts(&out).1
    );
}

/// A real kill: the sweep process is killed (SIGKILL) after a few runs finished, then
/// resumed with another thread count; its results.csv equals an uninterrupted sweep's.
#[test]
fn a_killed_sweep_resumes_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (killed, whole) = (tmp.path().join("killed"), tmp.path().join("whole"));
    let file = sweep_file();
    // 30-day runs: long enough that the kill lands mid-sweep.
    let args = |out: &Path| {
        let out = out.to_str().unwrap().to_string();
        let file = file.to_str().unwrap().to_string();
        let set = "duration=30d".to_string();
        ["sweep", &file, "--set", &set, "--no-plots", "--out", &out].map(String::from)
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_asgsim"))
        .args(args(&killed))
        .args(["--jobs", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let journal = killed.join("journal.csv");
    let rows = || fs::read_to_string(&journal).map_or(0, |t| t.lines().count().saturating_sub(1));
    let started = std::time::Instant::now();
    while rows() < 5 && started.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed before it finished");
    let done = rows();
    assert!(
        (5..45).contains(&done),
        "{done} rows in the journal at the kill"
    );
    let args_killed = args(&killed);
    let mut resume: Vec<&str> = args_killed.iter().map(String::as_str).collect();
    resume.extend(["--resume", "--jobs", "2"]);
    let stdout = ok(asgsim(&repo_root(), &resume));
    assert!(stdout.contains("already in the journal"), "{stdout}");
    let args_whole = args(&whole);
    let mut uninterrupted: Vec<&str> = args_whole.iter().map(String::as_str).collect();
    uninterrupted.extend(["--jobs", "2"]);
    ok(asgsim(&repo_root(), &uninterrupted));
    assert_eq!(results(&killed), results(&whole));
}

/// A sweep file in a temporary folder, its scenario the bundled seed workflow.
fn sweep_text(dir: &Path, parameters: &str) -> PathBuf {
    let scenario = scenario_path("seed-workflow.toml");
    let text = format!(
        "scenario = {:?}\nseeds = 2\n[set]\nduration = \"2h\"\n[parameters]\n{parameters}\n",
        scenario.display().to_string()
    );
    let path = dir.join("bad-sweep.toml");
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn bad_sweeps_exit_2_naming_the_file_and_the_key_before_running_anything() {
    let cases = [
        (
            r#""group.max_size" = { from = 10, to = 4, step = 2 }"#,
            "bad-sweep.toml:6:1: error: parameters.\"group.max_size\": the range is empty",
        ),
        (
            r#""group.max_size" = { from = 4, to = 10, step = 0 }"#,
            "the step must be greater than 0",
        ),
        (
            r#""group.max_size" = { from = 4, to = 10, step = -2 }"#,
            "the step must be greater than 0",
        ),
        (r#""group.max_sise" = [4, 5]"#, "group.max_sise"),
        (
            r#""alarms.HighCPU.threshold" = [70, "high"]"#,
            "point 2 of 2 (alarms.HighCPU.threshold = high)",
        ),
        (r#""alarms.HighCPU.threshold" = []"#, "the list is empty"),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (parameters, expected) in cases {
        let file = sweep_text(tmp.path(), parameters);
        let out_dir = tmp.path().join("out");
        let out = asgsim(
            &repo_root(),
            &[
                "sweep",
                file.to_str().unwrap(),
                "--out",
                out_dir.to_str().unwrap(),
            ],
        );
        let (_, stderr) = texts(&out);
        assert_eq!(out.status.code(), Some(2), "{parameters}: {stderr}");
        assert!(stderr.contains("bad-sweep.toml"), "{parameters}: {stderr}");
        assert!(stderr.contains(expected), "{parameters}: {stderr}");
        assert!(!out_dir.exists(), "{parameters}: something ran");
    }
}

#[test]
fn the_shard_comes_from_the_array_job_environment() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file();
    let run = |env: &[(&str, &str)], out: &Path| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_asgsim"));
        cmd.current_dir(repo_root()).args([
            "sweep",
            file.to_str().unwrap(),
            "--set",
            "duration=1h",
            "--out",
            out.to_str().unwrap(),
        ]);
        for var in [
            "JOB_COMPLETION_INDEX",
            "AWS_BATCH_JOB_ARRAY_INDEX",
            "SLURM_ARRAY_TASK_ID",
            "ASGSIM_SHARDS",
        ] {
            cmd.env_remove(var);
        }
        cmd.envs(env.iter().copied());
        cmd.output().unwrap()
    };
    let slurm = [
        ("SLURM_ARRAY_TASK_ID", "2"),
        ("SLURM_ARRAY_TASK_COUNT", "3"),
        ("SLURM_ARRAY_TASK_MIN", "0"),
    ];
    let stdout = ok(run(&slurm, &tmp.path().join("slurm")));
    assert!(stdout.contains("shard 3/3 (from Slurm"), "{stdout}");
    let rows = fs::read_to_string(tmp.path().join("slurm/results.csv")).unwrap();
    let runs: Vec<&str> = rows
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(runs.len(), 15);
    assert_eq!(&runs[..3], ["3", "6", "9"]);
    let k8s = [("JOB_COMPLETION_INDEX", "0")];
    let out = run(&k8s, &tmp.path().join("k8s"));
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("--shards N"), "{}", texts(&out).1);
}

#[test]
fn compare_sets_scenarios_side_by_side() {
    let tmp = tempfile::tempdir().unwrap();
    let a = scenario_path("seed-workflow.toml");
    let b = scenario_path("target-tracking.toml");
    let out = asgsim(
        &repo_root(),
        &[
            "compare",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--set",
            "duration=3h",
            "--out",
            tmp.path().to_str().unwrap(),
        ],
    );
    let stdout = ok(out);
    let header = stdout.lines().next().unwrap();
    assert!(
        header.contains("seed-workflow") && header.contains("target-tracking"),
        "{stdout}"
    );
    for label in [
        "cost [USD]",
        "instance-hours [h]",
        "SLO violation [s]",
        "dropped requests",
        "scale-out activities",
        "scale-in activities",
        "accuracy under θU [%]",
        "jitter [1/h]",
        "fixed group cost [USD]",
        "oracle cost [USD]",
        "elastic speedup vs fixed",
        "elastic speedup vs oracle",
    ] {
        assert!(
            stdout.lines().any(|l| l.starts_with(label)),
            "{label} missing:\n{stdout}"
        );
    }
    let csv = fs::read_to_string(tmp.path().join("compare.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.starts_with("scenario,file,seed,duration_s,cost_usd,"));
    for name in ["compare.png", "compare.svg"] {
        assert!(
            fs::metadata(tmp.path().join(name)).unwrap().len() > 1000,
            "{name}"
        );
    }
    let bad = asgsim(&repo_root(), &["compare", "no-such.toml"]);
    assert_eq!(bad.status.code(), Some(2));
}
