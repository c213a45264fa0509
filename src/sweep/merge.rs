//! `asgsim merge DIR... --out DIR`: joins the output folders of the shards of one sweep into
//! exactly the `results.csv` an unsharded sweep writes (rows in run order, the same bytes),
//! then writes `points.csv`, `best.json` and the plots from it as the sweep does.
//!
//! Each folder's `sweep.json` says which shard it holds; the folders must be every shard of
//! the same sweep (same sweep file, scenario and overrides), each once. Rows are streamed: run
//! r comes from shard (r − 1) mod N + 1, so nothing but one line is held in memory.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::SweepError;
use super::manifest::Manifest;
use super::objective::{Best, Objective};
use super::outputs::{self, RESULTS_FILE};
use super::results::run_of;
use super::runner::parse_objective;

/// What to merge.
#[derive(Debug, Clone, Default)]
pub struct MergeOptions {
    /// The shard output folders.
    pub dirs: Vec<PathBuf>,
    /// Where the merged files go.
    pub out_dir: PathBuf,
    /// The objective (default: the one the shards were run with).
    pub objective: Option<String>,
    /// Leave out the plots.
    pub no_plots: bool,
}

/// What a merge did.
#[derive(Debug, Clone)]
pub struct MergeOutcome {
    /// Runs of the sweep.
    pub total_runs: u64,
    /// Shards joined.
    pub shards: u64,
    /// Files written, `results.csv` first.
    pub files: Vec<PathBuf>,
    /// The objective and its best point, when there is an objective.
    pub best: Option<(Objective, Option<Best>)>,
}

/// Merges the shard folders of `options`.
///
/// # Errors
///
/// [`SweepError::Input`] when the folders are not every shard of one sweep, or a results file
/// does not hold the runs its manifest says; [`SweepError::Failed`] when files cannot be
/// read or written.
pub fn merge(options: &MergeOptions) -> Result<MergeOutcome, SweepError> {
    let manifests = read_manifests(&options.dirs)?;
    let mut manifest = manifests[0].1.clone();
    if options.objective.is_some() {
        manifest.objective = options.objective.clone();
    }
    let objective = parse_objective(manifest.objective.as_deref())?;
    let mut readers = open_results(&manifests)?;
    let _held = super::hold_output_dir(&options.out_dir)?;
    let results = options.out_dir.join(RESULTS_FILE);
    join_rows(&mut readers, manifest.total_runs, &results)?;
    let shards = manifest.shard_count;
    manifest.shard_index = 1;
    manifest.shard_count = 1;
    manifest.write(&options.out_dir)?;
    let plots = !options.no_plots;
    let written = outputs::write(&options.out_dir, &manifest, objective.as_ref(), plots)?;
    let mut files = vec![results];
    files.extend(written.files);
    Ok(MergeOutcome {
        total_runs: manifest.total_runs,
        shards,
        files,
        best: objective.map(|o| (o, written.best)),
    })
}

/// Each shard's `results.csv`, in shard order.
fn open_results(
    manifests: &[(PathBuf, Manifest)],
) -> Result<Vec<(PathBuf, BufReader<File>)>, SweepError> {
    let mut readers: Vec<Option<(PathBuf, BufReader<File>)>> =
        manifests.iter().map(|_| None).collect();
    for (dir, m) in manifests {
        let path = dir.join(RESULTS_FILE);
        let file = File::open(&path).map_err(|e| SweepError::io("cannot read", &path, e))?;
        readers[(m.shard_index - 1) as usize] = Some((path, BufReader::new(file)));
    }
    Ok(readers.into_iter().flatten().collect())
}

/// The manifest of each folder, checked to be every shard of one sweep once.
fn read_manifests(dirs: &[PathBuf]) -> Result<Vec<(PathBuf, Manifest)>, SweepError> {
    if dirs.is_empty() {
        return Err(SweepError::Input(
            "name the shard folders to merge".to_string(),
        ));
    }
    let mut all = Vec::new();
    for dir in dirs {
        let m = Manifest::read(dir)?.ok_or_else(|| {
            SweepError::Input(format!(
                "{}: no sweep.json; name the output folders of `asgsim sweep --shard I/N`",
                dir.display()
            ))
        })?;
        all.push((dir.clone(), m));
    }
    let (first_dir, first) = &all[0];
    for (dir, m) in &all[1..] {
        let (a, b) = (first_dir.display().to_string(), dir.display().to_string());
        let why = first.differences(m, &a, &b);
        if !why.is_empty() {
            return Err(SweepError::Input(format!(
                "{a} and {b} hold different sweeps: {}; merge the shards of one sweep, computed on the same inputs by the same asgsim",
                why.join("; ")
            )));
        }
    }
    for index in 1..=first.shard_count {
        let holders: Vec<&PathBuf> = all
            .iter()
            .filter(|(_, m)| m.shard_index == index)
            .map(|(d, _)| d)
            .collect();
        match holders.len() {
            1 => {}
            0 => {
                return Err(SweepError::Input(format!(
                    "shard {index}/{} is missing; name the output folder of every shard",
                    first.shard_count
                )));
            }
            _ => {
                return Err(SweepError::Input(format!(
                    "shard {index}/{} is given twice: {} and {}",
                    first.shard_count,
                    holders[0].display(),
                    holders[1].display()
                )));
            }
        }
    }
    Ok(all)
}

/// Reads the header line of every shard's file; they must all be the same.
fn common_header(readers: &mut [(PathBuf, BufReader<File>)]) -> Result<Vec<u8>, SweepError> {
    let mut header: Option<Vec<u8>> = None;
    for (path, reader) in readers.iter_mut() {
        let mut line = Vec::new();
        reader
            .read_until(b'\n', &mut line)
            .map_err(|e| SweepError::io("cannot read", path, e))?;
        match &header {
            None => header = Some(line),
            Some(h) if *h == line => {}
            Some(_) => {
                return Err(SweepError::Input(format!(
                    "{}: its columns differ from the other shards'",
                    path.display()
                )));
            }
        }
    }
    Ok(header.unwrap_or_default())
}

/// Writes the header and then run 1, 2, … from the shard that holds each, atomically.
fn join_rows(
    readers: &mut [(PathBuf, BufReader<File>)],
    total: u64,
    out: &Path,
) -> Result<(), SweepError> {
    let header = common_header(readers)?;
    let count = readers.len() as u64;
    let mut problem: Option<SweepError> = None;
    crate::report::with_temp_file(out, |temp| {
        let mut w = BufWriter::new(temp);
        w.write_all(&header)?;
        let mut line = Vec::new();
        for run in 1..=total {
            let (path, reader) = &mut readers[((run - 1) % count) as usize];
            line.clear();
            reader.read_until(b'\n', &mut line)?;
            if run_of(&line) != Some(run) || !line.ends_with(b"\n") {
                let found = String::from_utf8_lossy(&line)
                    .chars()
                    .take(40)
                    .collect::<String>();
                problem = Some(SweepError::Input(format!(
                    "{}: expected the row of run {run}, found {found:?}; was the shard finished?",
                    path.display()
                )));
                return Err(std::io::Error::other("bad shard"));
            }
            w.write_all(&line)?;
        }
        for (path, reader) in readers.iter_mut() {
            line.clear();
            if reader.read_until(b'\n', &mut line)? > 0 {
                problem = Some(SweepError::Input(format!(
                    "{}: holds more rows than its shard has runs",
                    path.display()
                )));
                return Err(std::io::Error::other("bad shard"));
            }
        }
        w.flush()
    })
    .map_err(|e| {
        problem
            .take()
            .unwrap_or_else(|| SweepError::io("cannot write", out, e))
    })
}
