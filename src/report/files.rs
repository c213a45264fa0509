//! Writing one run's files: atomic writes, and the run's files as a set.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::run::RunOutput;

use super::html::{REPORT_FILE, report_html};
use super::output_dir::OutputDir;
use super::plot::{capacity_png, capacity_svg};
use super::run_manifest::{RUN_MANIFEST_FILE, RunManifest};
use super::tables::{activities_csv, instances_csv, summary_json, timeline_csv};
use super::{
    ACTIVITIES_FILE, CAPACITY_PNG_FILE, CAPACITY_SVG_FILE, INSTANCES_FILE, ReportError,
    SUMMARY_FILE, TIMELINE_FILE,
};

/// Turns a run's output into the bytes of one file.
type Serializer = fn(&RunOutput) -> Vec<u8>;

/// Writes the files of one run into `out_dir`, creating it (and its parents) if needed: see
/// [`write_run_in`], after [`OutputDir::prepare`].
pub fn write_run(out_dir: &Path, output: &RunOutput) -> Result<Vec<PathBuf>, ReportError> {
    let dir = OutputDir::prepare(out_dir)?;
    write_run_in(&dir, output)
}

/// Writes the files of one run into a held output folder, as a set.
///
/// Removes the folder's `run.json` first, then writes `timeline.csv`, `activities.csv`,
/// `instances.csv`, `summary.json`, `capacity.svg`, `capacity.png` and `report.html`, each
/// atomically (see [`write_atomic`]), and `run.json` last, naming the run and each file's size and SHA-256 (see
/// [`RunManifest`]); returns their paths in that order. A folder without `run.json` holds an
/// interrupted run. An existing file of the same name is replaced; other files in the folder
/// are left alone.
pub fn write_run_in(dir: &OutputDir, output: &RunOutput) -> Result<Vec<PathBuf>, ReportError> {
    write_run_with(dir, output, |_| Ok(Vec::new()))
}

/// As [`write_run_in`], with more files of the run (written by `extra` into the folder it is
/// given, after the seven) named in `run.json` too.
pub fn write_run_with(
    dir: &OutputDir,
    output: &RunOutput,
    extra: impl FnOnce(&Path) -> Result<Vec<PathBuf>, ReportError>,
) -> Result<Vec<PathBuf>, ReportError> {
    let out_dir = dir.path();
    begin_run_set(out_dir)?;
    let mut written = Vec::with_capacity(8);
    // One table at a time, so a long run holds at most one serialized table in memory.
    let tables: [(&str, Serializer); 4] = [
        (TIMELINE_FILE, timeline_csv),
        (ACTIVITIES_FILE, activities_csv),
        (INSTANCES_FILE, instances_csv),
        (SUMMARY_FILE, |output| summary_json(&output.summary)),
    ];
    for (name, serialize) in tables {
        written.push(write_file(&out_dir.join(name), &serialize(output))?);
    }
    let svg_path = out_dir.join(CAPACITY_SVG_FILE);
    let svg = capacity_svg(output).map_err(|e| ReportError::Plot {
        path: svg_path.clone(),
        message: e.message,
    })?;
    written.push(write_file(&svg_path, svg.as_bytes())?);
    let png_path = out_dir.join(CAPACITY_PNG_FILE);
    capacity_png(output, &png_path)?;
    written.push(png_path);
    let page = report_html(output);
    written.push(write_file(&out_dir.join(REPORT_FILE), &page)?);
    written.extend(extra(out_dir)?);
    end_run_set(out_dir, &output.summary, &mut written)?;
    Ok(written)
}

/// Starts writing a run's set of files into `out_dir`: removes its `run.json`, so that until
/// [`end_run_set`] the folder says it holds an interrupted run.
pub fn begin_run_set(out_dir: &Path) -> Result<(), ReportError> {
    let manifest_path = out_dir.join(RUN_MANIFEST_FILE);
    match fs::remove_file(&manifest_path) {
        Err(cause) if cause.kind() != io::ErrorKind::NotFound => Err(ReportError::Write {
            path: manifest_path,
            cause,
        }),
        _ => Ok(()),
    }
}

/// Ends a run's set of files: writes `run.json` naming `written` (their sizes and SHA-256) and
/// appends its path.
pub fn end_run_set(
    out_dir: &Path,
    summary: &crate::records::Summary,
    written: &mut Vec<PathBuf>,
) -> Result<(), ReportError> {
    let manifest = RunManifest::of_files(&summary.scenario, summary.seed, written)
        .and_then(|m| m.write(out_dir))
        .map_err(|cause| ReportError::Write {
            path: out_dir.join(RUN_MANIFEST_FILE),
            cause,
        })?;
    written.push(manifest);
    Ok(())
}

/// [`write_atomic`], with the path in the error.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<PathBuf, ReportError> {
    write_atomic(path, bytes).map_err(|cause| ReportError::Write {
        path: path.to_path_buf(),
        cause,
    })?;
    Ok(path.to_path_buf())
}

/// Writes `bytes` to `path` so that `path` never holds a half-written file.
///
/// The bytes go to a new hidden file in the same folder (`.NAME.XXXXXX.asgsim-tmp`, a random
/// name, created exclusively: never through an existing file or link), are flushed to disk,
/// and the file is then renamed over `path`, which replaces an existing file (or a link: the
/// link, not its target) in one step. On failure the temporary file is removed and `path` is
/// left as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    with_temp_file(path, |file| file.write_all(bytes))
}

/// Suffix of every temporary file asgsim writes: a file with it in an output folder that
/// asgsim holds is left over from a killed process (see [`super::OutputDir`]).
pub(crate) const TEMP_SUFFIX: &str = ".asgsim-tmp";

/// Runs `produce` on a new temporary file beside `path`, flushes it to disk, then renames it to
/// `path`. On failure the temporary file is removed and `path` is left as it was.
pub(crate) fn with_temp_file(
    path: &Path,
    produce: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    replace_with_new_file(path, produce).map(drop)
}

/// A new temporary file beside `path`, for a writer that fills it over time and renames it
/// over `path` itself: named and created as [`write_atomic`]'s (a random name, exclusively, so
/// never through a link); the caller removes it if it gives up.
pub(super) fn new_temp_file(path: &Path) -> io::Result<(File, PathBuf)> {
    let (dir, prefix) = temp_dir_and_prefix(path)?;
    let temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(TEMP_SUFFIX)
        .make_in(dir, |p| File::create_new(p))?;
    temp.keep().map_err(|e| e.error)
}

/// The folder of `path` and the prefix of its temporary files: `.NAME.`.
fn temp_dir_and_prefix(path: &Path) -> io::Result<(&Path, OsString)> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`{}` does not name a file", path.display()),
        )
    })?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut prefix = OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    Ok((dir, prefix))
}

/// As [`with_temp_file`], returning the file (open for writing, at its end) once it is at
/// `path`: for a file that goes on growing, such as a sweep's journal.
pub(crate) fn replace_with_new_file(
    path: &Path,
    produce: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<File> {
    let (dir, prefix) = temp_dir_and_prefix(path)?;
    // Created exclusively (O_EXCL: a link in the way is an error, never followed), under a
    // random name retried until free, with the permissions File::create would give.
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(TEMP_SUFFIX)
        .make_in(dir, |p| File::create_new(p))?;
    produce(temp.as_file_mut())?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)
}
