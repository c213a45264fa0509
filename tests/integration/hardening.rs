//! Regression tests of issue 14: defects found by a reliability campaign (bad inputs, kills,
//! fuzzing), each named after its defect.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{asgsim, repo_root, scenario_path, texts};
use crate::hardening_sweeps::{sweep_command, trace_sweep};

/// Writes `text` as `name` in `dir` and returns its path.
pub(super) fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

/// The seed workflow with `from` replaced by `to`, written into `dir` as `name`.
pub(super) fn seed_workflow_with(dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let text = fs::read_to_string(scenario_path("seed-workflow.toml")).unwrap();
    assert!(text.contains(from), "{from} is not in the seed workflow");
    write(dir, name, &text.replacen(from, to, 1))
}

/// Runs `asgsim` in `dir`; expects exit code `code` and every needle on stderr, no panic.
pub(super) fn expect_exit(dir: &Path, args: &[&str], code: i32, needles: &[&str]) -> String {
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

/// `asgsim run` of the seed workflow (shortened) into `out`.
fn run_seed_workflow(cwd: &Path, out: &Path) -> std::process::Output {
    let scenario = scenario_path("seed-workflow.toml");
    asgsim(
        cwd,
        &[
            "run",
            scenario.to_str().unwrap(),
            "--set",
            "duration=2h",
            "--out",
            out.to_str().unwrap(),
        ],
    )
}

/// Defect 3: a link named `journal.csv` (or like any output) in the output folder was
/// followed and its target overwritten. Outputs are new files renamed into place: the link is
/// replaced, its target untouched.
#[test]
fn regression_symlinks_in_the_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let victim = write(tmp.path(), "victim.txt", "precious");
    let sweep_dir = tmp.path().join("sweep");
    fs::create_dir(&sweep_dir).unwrap();
    for name in ["journal.csv", "results.csv", "sweep.json"] {
        std::os::unix::fs::symlink(&victim, sweep_dir.join(name)).unwrap();
    }
    let out = sweep_command(&sweep_dir, "1h", &["--shard", "1/9"], &[])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", texts(&out).1);
    // --resume reads the journal through a link, and still writes a new file.
    fs::remove_file(sweep_dir.join("journal.csv")).unwrap();
    let copy = write(tmp.path(), "journal-copy.csv", "");
    std::os::unix::fs::symlink(&copy, sweep_dir.join("journal.csv")).unwrap();
    let out = sweep_command(&sweep_dir, "1h", &["--shard", "1/9", "--resume"], &[])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", texts(&out).1);
    assert_eq!(fs::read_to_string(&copy).unwrap(), "");
    let run_dir = tmp.path().join("run");
    fs::create_dir(&run_dir).unwrap();
    for name in ["timeline.csv", "summary.json", "capacity.png", "run.json"] {
        std::os::unix::fs::symlink(&victim, run_dir.join(name)).unwrap();
    }
    let out = run_seed_workflow(tmp.path(), &run_dir);
    assert!(out.status.success(), "{}", texts(&out).1);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    for dir in [&sweep_dir, &run_dir] {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            assert!(kind.is_file(), "{:?} is not a plain file", entry.path());
        }
    }
}

/// Defect 5: a run's files were atomic one by one but not as a set: after a kill, a full disk
/// or two runs into one folder, files of two runs sat side by side with nothing to tell, and
/// temporary files were never cleaned. Now `run.json` is written last and names every file
/// with its size and SHA-256; it is removed first, so an interrupted run leaves none; stale
/// temporary files go; a second run into a held folder exits 1.
#[test]
fn regression_run_outputs_are_a_set() {
    use asgsim::report::RunManifest;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    let stale = write(&out, ".timeline.csv.Ab12Cd.asgsim-tmp", &"x".repeat(10_000));
    let done = run_seed_workflow(tmp.path(), &out);
    assert!(done.status.success(), "{}", texts(&done).1);
    assert!(!stale.exists(), "a dead process's temporary file stays");
    let manifest = RunManifest::read(&out).unwrap().expect("run.json");
    assert_eq!(
        (manifest.scenario.as_str(), manifest.seed),
        ("seed-workflow", 7)
    );
    assert_eq!(manifest.asgsim_version, asgsim::VERSION);
    let names: Vec<&str> = manifest.files.iter().map(|f| f.name.as_str()).collect();
    for name in [
        "timeline.csv",
        "activities.csv",
        "instances.csv",
        "summary.json",
    ] {
        assert!(names.contains(&name), "{name} not in {names:?}");
    }
    assert!(manifest.verify(&out).is_empty());
    let timeline = manifest
        .files
        .iter()
        .find(|f| f.name == "timeline.csv")
        .unwrap();
    let bytes = fs::read(out.join("timeline.csv")).unwrap();
    assert_eq!(timeline.bytes, bytes.len() as u64);
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(timeline.sha256, hex);

    // A run that fails part-way (here: capacity.png cannot be replaced) leaves no run.json,
    // so its new files cannot pass for a finished run.
    fs::remove_file(out.join("capacity.png")).unwrap();
    fs::create_dir(out.join("capacity.png")).unwrap();
    fs::write(out.join("capacity.png").join("x"), "").unwrap();
    let failed = run_seed_workflow(tmp.path(), &out);
    assert_eq!(failed.status.code(), Some(1), "{}", texts(&failed).1);
    assert!(
        !out.join("run.json").exists(),
        "an interrupted run left a manifest"
    );
    fs::remove_dir_all(out.join("capacity.png")).unwrap();

    // A folder held by another process: exit 1, saying so, nothing written.
    let holder = fs::File::open(&out).unwrap();
    holder.try_lock().unwrap();
    let busy = run_seed_workflow(tmp.path(), &out);
    let (_, stderr) = texts(&busy);
    assert_eq!(busy.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("another asgsim process is writing to"),
        "{stderr}"
    );
    assert!(!out.join("run.json").exists());
    // Unlocked, not only closed: a child another test forks in the meantime shares the open
    // file (until it execs), and with it the lock.
    holder.unlock().unwrap();
    drop(holder);
    let again = run_seed_workflow(tmp.path(), &out);
    assert!(again.status.success(), "{}", texts(&again).1);
    assert!(
        RunManifest::read(&out)
            .unwrap()
            .unwrap()
            .verify(&out)
            .is_empty()
    );
}

/// Defect 5, for the commands main added since: `run --cloudwatch-json` writes two more files
/// of the run, which `run.json` names too; `backtest` checks and holds its folder before it
/// simulates or reads the metrics, so a bad `--out` is found first.
#[test]
fn regression_run_outputs_are_a_set_with_cloudwatch_json_and_backtest() {
    use asgsim::report::RunManifest;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("aws");
    let scenario = scenario_path("seed-workflow.toml");
    let scenario = scenario.to_str().unwrap();
    let args = ["run", scenario, "--set", "duration=2h", "--cloudwatch-json"];
    let run = asgsim(
        tmp.path(),
        &[&args[..], &["--out", out.to_str().unwrap()]].concat(),
    );
    assert!(run.status.success(), "{}", texts(&run).1);
    let manifest = RunManifest::read(&out).unwrap().expect("run.json");
    let names: Vec<&str> = manifest.files.iter().map(|f| f.name.as_str()).collect();
    assert!(names.contains(&"cloudwatch.json"), "{names:?}");
    assert!(names.contains(&"activities.json"), "{names:?}");
    assert_eq!(names.len(), 9, "{names:?}");
    assert!(manifest.verify(&out).is_empty());

    // backtest: the folder is checked before anything else, even a metrics file that is not
    // there.
    let file = write(tmp.path(), "not-a-folder", "");
    let bad_out = file.join("bt");
    let missing = tmp.path().join("missing.json");
    expect_exit(
        tmp.path(),
        &[
            "backtest",
            scenario,
            "--actual",
            missing.to_str().unwrap(),
            "--out",
            bad_out.to_str().unwrap(),
        ],
        2,
        &["not-a-folder", "cannot create the output folder"],
    );
}

/// Defect 6: messages that misled (each exits 2 and now names the file, the key or line, what
/// is wrong and what would be right).
#[test]
fn regression_misleading_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let seed_workflow = scenario_path("seed-workflow.toml");
    let base = seed_workflow.to_str().unwrap();
    let validate = |args: &[&str], needles: &[&str]| {
        let mut all = vec!["validate", base];
        all.extend_from_slice(args);
        expect_exit(dir, &all, 2, needles)
    };
    // `duration = "100000d"` named neither file nor key.
    let long = seed_workflow_with(
        dir,
        "long.toml",
        "duration = \"24h\"",
        "duration = \"100000d\"",
    );
    expect_exit(
        dir,
        &["validate", long.to_str().unwrap()],
        2,
        &[
            "long.toml:11:1: error: duration: 100000d is longer than",
            "3660d",
        ],
    );
    // An unknown dotted --set key was blamed on the file's line of [group].
    let stderr = validate(
        &["--set", "group.foo.bar=1"],
        &["group.foo (from --set group.foo.bar)"],
    );
    assert!(
        !stderr.contains(":15:"),
        "not at the line of [group]: {stderr}"
    );
    // "-5s" and "1e30s" were called a wrong unit.
    validate(
        &["--set", "duration=-5s"],
        &["--set duration", "it is negative"],
    );
    validate(
        &["--set", "duration=1e30s"],
        &["--set duration", "it has an exponent"],
    );
    // Trace errors printed the operating system's cause twice.
    trace_sweep(dir, "time_s,requests_per_s\n0,100\n");
    let stderr = expect_exit(
        dir,
        &[
            "validate",
            "traced.toml",
            "--set",
            "load.trace=\"missing.csv\"",
        ],
        2,
        &["missing.csv: cannot open the trace file"],
    );
    assert_eq!(
        stderr.matches("No such file or directory").count(),
        1,
        "{stderr}"
    );
    // A seed --seed accepted was refused in the file: both now take 0 ..= 2^63 − 1.
    let args = ["run", base, "--seed", "18446744073709551615"];
    expect_exit(dir, &args, 2, &["--seed", "0..=9223372036854775807"]);
    let big = seed_workflow_with(dir, "seed.toml", "seed = 7", "seed = 18446744073709551615");
    let args = ["validate", big.to_str().unwrap()];
    expect_exit(dir, &args, 2, &["seed.toml:12:", "9223372036854775807"]);
    let largest = seed_workflow_with(dir, "seed2.toml", "seed = 7", "seed = 9223372036854775807");
    let out = asgsim(dir, &["validate", largest.to_str().unwrap()]);
    assert!(out.status.success(), "{}", texts(&out).1);
    // Invalid UTF-8 had no position.
    let mut bytes = fs::read(&seed_workflow).unwrap();
    let at = bytes.windows(7).position(|w| w == b"seed = ").unwrap();
    bytes.splice(at..at, [0xffu8]);
    fs::write(dir.join("latin.toml"), &bytes).unwrap();
    expect_exit(
        dir,
        &["validate", "latin.toml"],
        2,
        &["latin.toml:12:1: error: ", "not UTF-8", "0xff"],
    );
    // A year-9999 start_time was called "not RFC 3339".
    let stderr = validate(
        &["--set", "start_time=\"9999-12-31T00:00:00Z\""],
        &["start_time", "is later than 9999-12-30T22:00:00Z"],
    );
    assert!(!stderr.contains("RFC 3339"), "{stderr}");
    validate(
        &["--set", "start_time=\"9999-12-30T12:00:00Z\""],
        &[
            "start_time",
            "a run of 1d from 9999-12-30T12:00:00Z would end after",
        ],
    );
    // A cron that never fires passed without a warning.
    let never = seed_workflow_with(
        dir,
        "never.toml",
        "[[events]]",
        "[[scheduled_actions]]\nname = \"leap\"\nrecurrence = \"0 0 30 2 *\"\ndesired_capacity = 3\n\n[[events]]",
    );
    let out = asgsim(dir, &["validate", never.to_str().unwrap()]);
    let (_, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: ")
            && stderr.contains("scheduled_actions.leap: recurrence \"0 0 30 2 *\" never fires"),
        "{stderr}"
    );
    // An unwritable --out was found only after the whole simulation: now before it starts
    // (a year-long run would take seconds; the error comes at once, nothing simulated).
    let file = write(dir, "not-a-folder", "");
    let out_dir = file.join("out");
    let stderr = expect_exit(
        dir,
        &[
            "run",
            base,
            "--set",
            "duration=365d",
            "--out",
            out_dir.to_str().unwrap(),
        ],
        2,
        &["not-a-folder", "cannot create the output folder"],
    );
    assert!(!stderr.contains("simulated"), "{stderr}");
}

/// Defect 7: `sample_interval` changes instability and jitter (read on the sample grid, as the
/// SPEC report defines them over samples), not accuracy and timeshare (integrated exactly).
/// The README says so beside the metrics; this test holds both halves of that sentence.
#[test]
fn regression_elasticity_and_sample_interval() {
    use crate::common::run_file;
    let at = |interval: &str| {
        let set = format!("sample_interval={interval}");
        run_file("scenarios/seed-workflow.toml", &[&set])
            .summary
            .elasticity
    };
    let (fine, coarse) = (at("10s"), at("300s"));
    // The same integrals, summed over more or fewer spans: equal but for rounding.
    let same = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
    assert!(same(fine.accuracy_under, coarse.accuracy_under));
    assert!(
        same(fine.accuracy_over, coarse.accuracy_over),
        "{fine:?} {coarse:?}"
    );
    assert!(same(fine.timeshare_under, coarse.timeshare_under));
    assert!(
        same(fine.timeshare_over, coarse.timeshare_over),
        "{fine:?} {coarse:?}"
    );
    assert_ne!(
        (fine.instability, fine.jitter),
        (coarse.instability, coarse.jitter),
        "instability and jitter are read on the sample grid"
    );
    let readme = fs::read_to_string(repo_root().join("README.md")).unwrap();
    assert!(
        readme.contains(
            "**Instability and\n  jitter** are defined by the SPEC report over a series of samples"
        ),
        "the README documents the dependence on sample_interval"
    );
}
