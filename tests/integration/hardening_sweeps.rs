//! Regression tests of issue 14 on sharded sweeps: shards from the environment, threads, progress
//! in logs, and shards that cannot be mixed up.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{asgsim, repo_root, scenario_path, texts};
use crate::hardening::write;

/// The bundled sweep of the seed workflow (45 runs).
pub(super) fn sweep_file() -> PathBuf {
    scenario_path("sweep-seed-workflow.toml")
}

/// `asgsim sweep` on the bundled sweep, shortened to `duration`, into `out`, with `extra`
/// arguments and `env` (the array-job variables of the test's own environment removed).
pub(super) fn sweep_command(
    out: &Path,
    duration: &str,
    extra: &[&str],
    env: &[(&str, &str)],
) -> Command {
    let file = sweep_file();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_asgsim"));
    cmd.current_dir(repo_root()).args([
        "sweep",
        file.to_str().unwrap(),
        "--set",
        &format!("duration={duration}"),
        "--out",
        out.to_str().unwrap(),
    ]);
    cmd.args(extra);
    for var in [
        "JOB_COMPLETION_INDEX",
        "AWS_BATCH_JOB_ARRAY_INDEX",
        "AWS_BATCH_JOB_ARRAY_SIZE",
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_COUNT",
        "SLURM_ARRAY_TASK_MIN",
        "SLURM_ARRAY_TASK_MAX",
        "SLURM_ARRAY_TASK_STEP",
        "ASGSIM_SHARDS",
        "ASGSIM_PROGRESS_INTERVAL",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    cmd
}

/// A scenario on a CSV trace and a sweep of it (2 points × 2 seeds), in `dir`.
pub(super) fn trace_sweep(dir: &Path, trace: &str) -> PathBuf {
    write(dir, "load.csv", trace);
    write(
        dir,
        "traced.toml",
        r#"name = "traced"
duration = "2h"
[group]
min_size = 1
max_size = 6
availability_zones = ["us-east-1a"]
[launch_template]
instance_type = "m5.large"
capacity_rps = 100
boot_time = "60s"
[load]
trace = "load.csv"
[[alarms]]
name = "High"
metric_name = "CPUUtilization"
evaluation_periods = 2
threshold = 70
comparison_operator = "GreaterThanThreshold"
alarm_actions = ["out"]
[[scaling_policies]]
name = "out"
adjustment_type = "ChangeInCapacity"
scaling_adjustment = 1
"#,
    );
    write(
        dir,
        "traced-sweep.toml",
        "scenario = \"traced.toml\"\nseeds = 2\n[parameters]\n\"alarms.High.threshold\" = [60, 80]\n",
    )
}

/// Defect 2: `AWS_BATCH_JOB_ARRAY_INDEX=18446744073709551615` panicked (debug) or named the
/// wrong shard (release): the fuzzer's only crash. Now exit 2 naming the variable and range;
/// and a shard from the environment is said on the first line of output.
#[test]
fn regression_shard_index_overflow() {
    let tmp = tempfile::tempdir().unwrap();
    let max = u64::MAX.to_string();
    let env = [
        ("AWS_BATCH_JOB_ARRAY_INDEX", max.as_str()),
        ("AWS_BATCH_JOB_ARRAY_SIZE", "3"),
    ];
    let out = sweep_command(&tmp.path().join("o"), "1h", &[], &env)
        .output()
        .unwrap();
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("AWS_BATCH_JOB_ARRAY_INDEX"), "{stderr}");
    assert!(stderr.contains("numbered 0 to 2"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // A stepped Slurm array (--array=0-8:4): task 4 is shard 2 of 3, said first.
    let slurm = [
        ("SLURM_ARRAY_TASK_ID", "4"),
        ("SLURM_ARRAY_TASK_COUNT", "3"),
        ("SLURM_ARRAY_TASK_MIN", "0"),
        ("SLURM_ARRAY_TASK_MAX", "8"),
        ("SLURM_ARRAY_TASK_STEP", "4"),
    ];
    let dir = tmp.path().join("slurm");
    let out = sweep_command(&dir, "1h", &[], &slurm).output().unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    let first = stdout.lines().next().unwrap();
    assert!(
        first.ends_with("shard 2/3 (from Slurm (SLURM_ARRAY_TASK_ID))"),
        "{stdout}"
    );
    let rows = fs::read_to_string(dir.join("results.csv")).unwrap();
    let runs: Vec<&str> = rows
        .lines()
        .skip(1)
        .map(|l| &l[..l.find(',').unwrap()])
        .collect();
    assert_eq!(&runs[..3], ["2", "5", "8"]);
}

/// Defect 4: `--jobs 65535` was taken as asked (a 4-run sweep spent over a minute starting
/// threads). Threads are capped at the runs to do and at a few per core, and the note says so.
#[test]
fn regression_jobs_capped() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let sweep = write(
        dir,
        "four.toml",
        &format!(
            "scenario = {:?}\nseeds = 2\n[parameters]\n\"group.max_size\" = [6, 8]\n",
            scenario_path("seed-workflow.toml").display()
        ),
    );
    let out = asgsim(
        dir,
        &[
            "sweep",
            sweep.to_str().unwrap(),
            "--jobs",
            "65535",
            "--set",
            "duration=1h",
            "--out",
            dir.join("out").to_str().unwrap(),
        ],
    );
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("note: --jobs 65535 capped to 4: only 4 runs to do, one thread each"),
        "{stderr}"
    );
    assert!(
        stdout.contains("ran 4 runs (0 already in the journal) on 4 threads"),
        "{stdout}"
    );
    // Without a cap by the runs, the cores cap: 45 runs, --jobs 65535.
    let out = sweep_command(
        &dir.join("big"),
        "1h",
        &["--jobs", "65535", "--no-plots"],
        &[],
    )
    .output()
    .unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("per core"), "{stderr}");
    let threads: usize = stdout
        .split(" threads")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no thread count in {stdout}"));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(threads, (4 * cores).min(45), "{stdout}");
}

/// A sweep whose stderr is not a terminal writes plain progress lines at a steady pace
/// (here every 50 ms, as ASGSIM_PROGRESS_INTERVAL says), so logs show it is alive.
#[test]
fn progress_is_plain_lines_when_stderr_is_not_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let env = [("ASGSIM_PROGRESS_INTERVAL", "50ms")];
    let extra = ["--jobs", "1", "--no-plots"];
    let out = sweep_command(&tmp.path().join("o"), "2d", &extra, &env)
        .output()
        .unwrap();
    let (_, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("progress: "))
        .collect();
    assert!(!lines.is_empty(), "no progress line: {stderr}");
    for line in &lines {
        assert!(line.contains(" of 45 runs ("), "{line}");
        assert!(!line.contains('\r') && !line.contains('\u{1b}'), "{line:?}");
    }
    let quiet = sweep_command(
        &tmp.path().join("q"),
        "1h",
        &extra,
        &[("ASGSIM_PROGRESS_INTERVAL", "0")],
    )
    .output()
    .unwrap();
    assert!(
        !texts(&quiet).1.contains("progress:"),
        "0 turns the lines off"
    );
}

/// Shards or journals computed on another trace or by another asgsim are refused by `merge`
/// and `--resume`, naming what differs (they merged silently: the same point cost $32.26 in
/// one shard and $41.56 in the other).
#[test]
fn shards_of_another_trace_or_version_are_refused_naming_the_difference() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let sweep = trace_sweep(dir, "time_s,requests_per_s\n0,150\n3600,400\n");
    let shard = |i: u32, extra: &[&str]| {
        let mut args = vec![
            "sweep".to_string(),
            sweep.display().to_string(),
            "--shard".to_string(),
            format!("{i}/2"),
            "--out".to_string(),
            dir.join(format!("s{i}")).display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        asgsim(dir, &args)
    };
    assert!(shard(1, &[]).status.success());
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("s1/sweep.json")).unwrap()).unwrap();
    assert_eq!(manifest["asgsim_version"], asgsim::VERSION);
    let roles: Vec<&str> = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["sweep", "scenario", "trace"]);
    // The trace changes between the shards.
    write(dir, "load.csv", "time_s,requests_per_s\n0,150\n3600,600\n");
    assert!(shard(2, &[]).status.success());
    let merge = |out: &str| {
        let (s1, s2) = (dir.join("s1"), dir.join("s2"));
        asgsim(
            dir,
            &[
                "merge",
                s1.to_str().unwrap(),
                s2.to_str().unwrap(),
                "--out",
                out,
            ],
        )
    };
    let out = merge("merged");
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("hold different sweeps"), "{stderr}");
    assert!(
        stderr.contains("the trace file `load.csv` differs (SHA-256 "),
        "{stderr}"
    );
    assert!(!dir.join("merged/results.csv").exists());

    // --resume of shard 1 on the new trace: refused too, naming the trace.
    let out = shard(1, &["--resume"]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the trace file `load.csv` differs (SHA-256 ")
            && stderr.contains(" in the folder, "),
        "{stderr}"
    );

    // Shard 1 again on the new trace: the merge goes through.
    assert!(shard(1, &[]).status.success());
    let out = merge("merged");
    assert!(out.status.success(), "{}", texts(&out).1);

    // A journal computed by another asgsim version: --resume refuses, naming both versions.
    let path = dir.join("s2/sweep.json");
    let text = fs::read_to_string(&path).unwrap();
    let version = format!("\"asgsim_version\": \"{}\"", asgsim::VERSION);
    assert!(text.contains(&version), "{text}");
    fs::write(
        &path,
        text.replace(&version, "\"asgsim_version\": \"0.0.9\""),
    )
    .unwrap();
    let out = shard(2, &["--resume"]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "computed by asgsim 0.0.9 in the folder but by asgsim {} in this sweep",
            asgsim::VERSION
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("run without --resume to start over"),
        "{stderr}"
    );
    let out = merge("merged-again");
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("asgsim 0.0.9"), "{stderr}");
}
