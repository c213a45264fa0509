//! Real traces: those copied into the repository, those in `/work/shared/traces`, and a
//! one-year, one-second file (the last two ignored by default: they read files outside the
//! repository or take seconds).
//!
//! Run with `cargo test --release --lib trace::tests::real -- --ignored --nocapture`.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use crate::trace::read_csv;

fn shared_traces() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/traces")
}

/// (file, rows, step \[ms\], mean \[req/s\], max \[req/s\]) from the traces' README.
const REAL: [(&str, usize, u64, f64, f64); 5] = [
    ("nasa_ksc_1995_07.csv", 39_692, 60_000, 0.794, 6.75),
    ("nasa_ksc_1995_08.csv", 44_640, 60_000, 0.586, 3.25),
    (
        "worldcup98_1998-06-09_07-13.csv",
        50_400,
        60_000,
        389.2,
        3823.8,
    ),
    ("wikipedia_en_2016_01.csv", 744, 3_600_000, 2067.1, 2930.2),
    ("azure_llm_code_2024_05.csv", 10_080, 60_000, 27.78, 97.43),
];

#[test]
#[ignore = "reads /work/shared/traces, outside the repository"]
fn real_traces_load_with_their_documented_figures() {
    let dir = shared_traces();
    if !dir.exists() {
        println!("skipped: {} does not exist", dir.display());
        return;
    }
    for (name, rows, step_ms, mean, max) in REAL {
        let path = dir.join(name);
        let file = std::fs::File::open(&path).unwrap();
        let trace = read_csv(file, &path.display().to_string()).unwrap();
        assert_eq!(trace.len(), rows, "{name}");
        assert_eq!(
            trace.step_ms(),
            Some(step_ms),
            "{name}: evenly spaced, no time vector"
        );
        assert_eq!(trace.time_ms(0), 0, "{name}");
        assert_eq!(trace.span_ms(), rows as u64 * step_ms, "{name}");
        assert!(
            (trace.mean_rps() - mean).abs() < 0.01 * mean,
            "{name}: {}",
            trace.mean_rps()
        );
        // The README rounds the maximum to one decimal.
        assert!(
            (trace.max_rps() - max).abs() < 0.05,
            "{name}: {}",
            trace.max_rps()
        );
    }
}

/// The trace copied into the repository (`scenarios/traces/`) loads, when it is there.
#[test]
fn repository_traces_load() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/traces");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: no {}", dir.display());
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "csv") {
            let file = std::fs::File::open(&path).unwrap();
            let trace = read_csv(file, &path.display().to_string()).unwrap();
            assert!(
                trace.len() > 1 && trace.step_ms().is_some(),
                "{}",
                path.display()
            );
        }
    }
}

/// Peak resident memory of this process \[kB\], from `/proc/self/status` (Linux only).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
#[ignore = "writes a 450 MB file and reads 31.5 million rows; run in release"]
fn one_year_at_one_second_loads_in_seconds() {
    const ROWS: u64 = 365 * 24 * 3600;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("year.csv");
    let started = Instant::now();
    {
        let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&path).unwrap());
        writeln!(out, "time_s,requests_per_s").unwrap();
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for t in 0..ROWS {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let rate = 1000.0 + (state % 90_000_000) as f64 / 10_000.0;
            writeln!(out, "{t},{rate:.4}").unwrap();
        }
        out.flush().unwrap();
    }
    let bytes = std::fs::metadata(&path).unwrap().len();
    println!(
        "wrote {ROWS} rows, {} MB, in {:.2?}",
        bytes / 1_000_000,
        started.elapsed()
    );
    let rss_before = peak_rss_kb();
    let started = Instant::now();
    let trace = read_csv(std::fs::File::open(&path).unwrap(), "year.csv").unwrap();
    let elapsed = started.elapsed();
    println!(
        "read {} rows in {elapsed:.2?} ({:.0} MB/s); peak RSS before {rss_before:?} kB, after {:?} kB",
        trace.len(),
        bytes as f64 / 1e6 / elapsed.as_secs_f64(),
        peak_rss_kb()
    );
    assert_eq!(trace.len() as u64, ROWS);
    assert_eq!(trace.step_ms(), Some(1_000));
    assert_eq!(trace.span_ms(), ROWS * 1_000);
    let started = Instant::now();
    let mut cursor = trace.cursor();
    let mut sum = 0.0;
    for t in (0..ROWS * 1_000).step_by(250) {
        sum += cursor.segment_at(t).0;
    }
    println!(
        "{} cursor calls in {:.2?} (sum {sum:.0})",
        ROWS * 4,
        started.elapsed()
    );
}
