//! `--resume` reading a journal left by a killed sweep: any bytes after (or instead of) the
//! header must be taken row by row, a torn end dropped, or refused with the line, never a
//! panic; what was kept is then sorted into results as a sweep does.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use asgsim::sweep::journal::{Journal, write_sorted};
use libfuzzer_sys::fuzz_target;

const HEADER: &[u8] = b"run,seed,cost_usd\n";

/// One folder for every input (a file per input would cost more than the parse).
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("asgsim-fuzz-journal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let path = dir().join("journal.csv");
    let mut bytes = HEADER.to_vec();
    bytes.extend_from_slice(data);
    std::fs::write(&path, &bytes).unwrap();
    let check = |run: u64, _line: &[u8]| {
        if (1..=50).contains(&run) {
            Ok(())
        } else {
            Err(format!("run {run} is not a run of this sweep"))
        }
    };
    let Ok((journal, done)) = Journal::resume(&path, HEADER, check) else {
        return;
    };
    drop(journal);
    let mut runs: Vec<u64> = done.into_iter().collect();
    runs.sort_unstable();
    let results = dir().join("results.csv");
    write_sorted(&path, HEADER, runs.into_iter(), &results).expect("every kept run sorts");
});
