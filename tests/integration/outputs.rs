//! What `asgsim run` writes at scale: streamed outputs in flat memory, a clear error before a
//! run that would write more than asked, and sentences that stop quietly when the reader does.

use std::fs::{self, File};
use std::io::{BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{asgsim, repo_root, scenario_path, texts};

/// The outputs compared byte for byte between two runs.
const OUTPUTS: [&str; 6] = [
    "timeline.csv",
    "activities.csv",
    "instances.csv",
    "summary.json",
    "capacity.png",
    "capacity.svg",
];

#[test]
fn a_timeline_longer_than_the_limit_is_refused_before_the_run_with_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = scenario_path("seed-workflow.toml");
    let args = |limit: &'static str| {
        vec![
            "run".to_string(),
            scenario.display().to_string(),
            "--out".to_string(),
            out.display().to_string(),
            "--set".to_string(),
            "sample_interval=10s".to_string(),
            "--max-timeline-rows".to_string(),
            limit.to_string(),
        ]
    };
    let refused = Command::new(env!("CARGO_BIN_EXE_asgsim"))
        .args(args("5000"))
        .output()
        .unwrap();
    let (_, stderr) = texts(&refused);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    // 24 h at 10 s: 8,640 intervals and the row at t = 0.
    for part in [
        "seed-workflow.toml",
        "timeline.csv would have 8641 rows (1d at sample_interval = 10s)",
        "at most 5000 rows",
        "--set sample_interval=1m gives 1441 rows",
        "--max-timeline-rows 8641",
    ] {
        assert!(stderr.contains(part), "{part:?} not in {stderr}");
    }
    assert!(!out.exists(), "nothing is written before the run");
    let allowed = Command::new(env!("CARGO_BIN_EXE_asgsim"))
        .args(args("8641"))
        .output()
        .unwrap();
    assert!(allowed.status.success(), "{}", texts(&allowed).1);
    let timeline = fs::read_to_string(out.join("timeline.csv")).unwrap();
    assert_eq!(timeline.lines().count(), 1 + 8641);
}

#[test]
fn explanations_end_quietly_when_the_reader_closes_and_the_files_are_still_written() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = scenario_path("seed-workflow.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_asgsim"))
        .args(["run", scenario.to_str().unwrap(), "--explain", "--out"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then close the pipe as `| head -c 1` would.
    let mut first = [0u8; 1];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", texts(&out).1);
    for name in OUTPUTS {
        assert!(dir.path().join(name).exists(), "{name} missing");
    }
}

/// Whether two files hold the same bytes, read in chunks (they may be gigabytes).
fn same_bytes(a: &Path, b: &Path) -> bool {
    let (mut a, mut b) = (
        BufReader::new(File::open(a).unwrap()),
        BufReader::new(File::open(b).unwrap()),
    );
    let (mut x, mut y) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    loop {
        let n = read_full(&mut a, &mut x);
        if n != read_full(&mut b, &mut y) || x[..n] != y[..n] {
            return false;
        }
        if n == 0 {
            return true;
        }
    }
}

fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> usize {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]).unwrap() {
            0 => break,
            n => filled += n,
        }
    }
    filled
}

/// Runs the SimPy comparison's year at one row a second (31,536,001 timeline rows, 2.5 GB)
/// with the address space limited to 256 MiB, twice: both runs finish and write the same
/// bytes.
#[test]
#[ignore = "a simulated year at 1 s writes 2.5 GB twice (about a minute in release): run by .ci/run"]
fn a_year_at_one_second_runs_in_256_mib_and_twice_gives_the_same_bytes() {
    let scenario = repo_root().join("benches/scenarios/peer-year.toml");
    let dir = tempfile::tempdir().unwrap();
    for run in ["first", "second"] {
        let out = dir.path().join(run);
        let limited = Command::new("sh")
            .arg("-c")
            // 262,144 KiB of virtual memory, then the binary itself (exec keeps the limit).
            .arg(r#"ulimit -v 262144 && exec "$0" "$@""#)
            .arg(env!("CARGO_BIN_EXE_asgsim"))
            .args(["run", scenario.to_str().unwrap(), "--out"])
            .arg(&out)
            .args(["--set", "sample_interval=1s"])
            .args(["--max-timeline-rows", "40000000"])
            .output()
            .unwrap();
        let (stdout, stderr) = texts(&limited);
        assert!(limited.status.success(), "{run}: {stderr}");
        assert!(stdout.contains("wrote 8 files"), "{stdout}");
    }
    let timeline = dir.path().join("first/timeline.csv");
    let (mut reader, mut chunk, mut rows) = (File::open(&timeline).unwrap(), vec![0u8; 1 << 20], 0);
    loop {
        let n = read_full(&mut reader, &mut chunk);
        if n == 0 {
            break;
        }
        rows += chunk[..n].iter().filter(|&&b| b == b'\n').count();
    }
    assert_eq!(rows, 1 + 31_536_001);
    for name in OUTPUTS {
        let (a, b) = (
            dir.path().join("first").join(name),
            dir.path().join("second").join(name),
        );
        assert!(same_bytes(&a, &b), "{name} differs between the two runs");
    }
}

#[test]
fn a_run_in_a_folder_it_cannot_write_fails_with_exit_2_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("blocker");
    fs::write(&blocker, "a file, not a folder").unwrap();
    let scenario = scenario_path("seed-workflow.toml");
    let out = asgsim(
        &repo_root(),
        &[
            "run",
            scenario.to_str().unwrap(),
            "--out",
            blocker.join("out").to_str().unwrap(),
        ],
    );
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("blocker"), "{stderr}");
}
