//! The journal of a sweep: `journal.csv`, the header of `results.csv` and then one row per
//! finished run, in the order the runs finished, each written and flushed as it finishes.
//!
//! A killed sweep leaves a journal whose last line may be torn (no line break). `--resume`
//! keeps every complete row, drops the torn end, checks each row against the grid (the same
//! header, and each row's run, parameter values and seed where the grid has them) and skips
//! those runs. [`write_sorted`] turns the journal into `results.csv`, rows in run order,
//! holding only an index of 16 bytes per run in memory.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::SweepError;
use super::results::run_of;

/// Name of the journal in the output folder.
pub const JOURNAL_FILE: &str = "journal.csv";

/// An open journal, appended to by every worker thread.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
}

impl Journal {
    /// Starts a new journal at `path` (replacing any) with the `header` line.
    ///
    /// The journal is a new file renamed into place: a link named `journal.csv` is replaced,
    /// never written through.
    ///
    /// # Errors
    ///
    /// [`SweepError::Failed`] when the file cannot be written.
    pub fn create(path: &Path, header: &[u8]) -> Result<Self, SweepError> {
        Self::create_with(path, &[header])
    }

    /// A new journal at `path` holding `parts`, one after the other.
    fn create_with(path: &Path, parts: &[&[u8]]) -> Result<Self, SweepError> {
        let file = crate::report::replace_with_new_file(path, |file| {
            parts.iter().try_for_each(|part| file.write_all(part))
        })
        .map_err(|e| SweepError::io("cannot write the journal", path, e))?;
        Ok(Self {
            path: path.to_path_buf(),
            file: Mutex::new(file),
        })
    }

    /// Reopens the journal at `path` to continue it: checks its header against `header` and
    /// each complete row with `check(run, line)`, drops a torn last line, and returns the
    /// journal with the runs it already holds. A missing or empty journal starts anew.
    ///
    /// # Errors
    ///
    /// [`SweepError::Input`] when the journal belongs to another sweep or a row is
    /// malformed; [`SweepError::Failed`] when it cannot be read or written.
    pub fn resume(
        path: &Path,
        header: &[u8],
        check: impl Fn(u64, &[u8]) -> Result<(), String>,
    ) -> Result<(Self, HashSet<u64>), SweepError> {
        let io = |e| SweepError::io("cannot read the journal", path, e);
        let mut bytes = Vec::new();
        match File::open(path) {
            Ok(mut f) => f.read_to_end(&mut bytes).map_err(io)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
            Err(e) => return Err(io(e)),
        };
        if bytes.len() < header.len() || !bytes.starts_with(header) {
            if bytes.iter().all(|b| *b != b'\n') {
                return Ok((Self::create(path, header)?, HashSet::new()));
            }
            return Err(SweepError::Input(format!(
                "{}: the journal was written by a sweep with other columns; run without --resume to start over",
                path.display()
            )));
        }
        let complete = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let mut done = HashSet::new();
        for (number, line) in bytes[header.len()..complete]
            .split_inclusive(|b| *b == b'\n')
            .enumerate()
        {
            let bad = |why: String| {
                SweepError::Input(format!(
                    "{}:{}:1: {why}; run without --resume to start over",
                    path.display(),
                    number + 2
                ))
            };
            let run = run_of(line).ok_or_else(|| bad("not a row of results".to_string()))?;
            check(run, line).map_err(bad)?;
            done.insert(run);
        }
        // The kept rows go to a new journal renamed into place (never written through a link
        // at `path`), which also drops a torn last line.
        Ok((Self::create_with(path, &[&bytes[..complete]])?, done))
    }

    /// Appends one row (with its line break) and hands it to the operating system at once,
    /// so that a killed process loses no finished row.
    ///
    /// # Errors
    ///
    /// [`SweepError::Failed`] when the write fails.
    pub fn append(&self, line: &[u8]) -> Result<(), SweepError> {
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        file.write_all(line)
            .and_then(|()| file.flush())
            .map_err(|e| SweepError::io("cannot write the journal", &self.path, e))
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Writes `results` atomically: `header`, then the journal's rows for `runs` in that order.
///
/// # Errors
///
/// [`SweepError::Failed`] when a file cannot be read or written, or a run of `runs` is not in
/// the journal.
pub fn write_sorted(
    journal: &Path,
    header: &[u8],
    runs: impl Iterator<Item = u64>,
    results: &Path,
) -> Result<(), SweepError> {
    let read_err = |e| SweepError::io("cannot read the journal", journal, e);
    let mut index: Vec<(u64, u64, u32)> = Vec::new();
    let mut reader = BufReader::new(File::open(journal).map_err(read_err)?);
    let mut line = Vec::new();
    let mut offset = 0u64;
    let mut first = true;
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(read_err)?;
        if n == 0 || !line.ends_with(b"\n") {
            break;
        }
        if !first && let Some(run) = run_of(&line) {
            index.push((run, offset, n as u32));
        }
        first = false;
        offset += n as u64;
    }
    index.sort_by_key(|&(run, offset, _)| (run, offset));
    index.dedup_by_key(|entry| entry.0);
    let mut source = reader.into_inner();
    crate::report::with_temp_file(results, |temp| {
        let mut out = std::io::BufWriter::new(temp);
        out.write_all(header)?;
        let mut buf = Vec::new();
        for run in runs {
            let Ok(at) = index.binary_search_by_key(&run, |e| e.0) else {
                return Err(std::io::Error::other(format!(
                    "run {run} is missing from the journal"
                )));
            };
            let (_, offset, len) = index[at];
            buf.resize(len as usize, 0);
            source.seek(SeekFrom::Start(offset))?;
            source.read_exact(&mut buf)?;
            out.write_all(&buf)?;
        }
        out.flush()
    })
    .map_err(|e| SweepError::io("cannot write", results, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[u8] = b"run,seed,x\n";

    #[test]
    fn rows_come_out_in_run_order_and_a_torn_line_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(JOURNAL_FILE);
        let journal = Journal::create(&path, HEADER).unwrap();
        for line in ["3,1,c\n", "1,1,a\n"] {
            journal.append(line.as_bytes()).unwrap();
        }
        drop(journal);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"2,1,to").unwrap();
        drop(f);
        let (journal, done) = Journal::resume(&path, HEADER, |_, _| Ok(())).unwrap();
        assert_eq!(done, HashSet::from([1, 3]));
        journal.append(b"2,1,b\n").unwrap();
        drop(journal);
        let results = dir.path().join("results.csv");
        write_sorted(&path, HEADER, 1..=3, &results).unwrap();
        let text = std::fs::read_to_string(&results).unwrap();
        assert_eq!(text, "run,seed,x\n1,1,a\n2,1,b\n3,1,c\n");
        let e = write_sorted(&path, HEADER, 1..=4, &results).unwrap_err();
        assert!(e.to_string().contains("run 4 is missing"), "{e}");
    }

    #[test]
    fn a_journal_of_another_sweep_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(JOURNAL_FILE);
        std::fs::write(&path, "run,other\n1,2\n").unwrap();
        let e = Journal::resume(&path, HEADER, |_, _| Ok(())).unwrap_err();
        assert!(e.to_string().contains("other columns"), "{e}");
        std::fs::write(&path, "run,seed,x\n1,1,a\n").unwrap();
        let e = Journal::resume(&path, HEADER, |_, _| Err("wrong seed".into())).unwrap_err();
        assert!(e.to_string().contains("journal.csv:2:1: wrong seed"), "{e}");
        let (_, done) =
            Journal::resume(&dir.path().join("none.csv"), HEADER, |_, _| Ok(())).unwrap();
        assert!(done.is_empty());
    }
}
