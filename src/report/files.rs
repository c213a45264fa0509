//! Writing one run's files: atomic writes and the output folder.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::run::RunOutput;

use super::html::{REPORT_FILE, report_html};
use super::plot::{capacity_png, capacity_svg};
use super::tables::{activities_csv, instances_csv, summary_json, timeline_csv};
use super::{
    ACTIVITIES_FILE, CAPACITY_PNG_FILE, CAPACITY_SVG_FILE, INSTANCES_FILE, ReportError,
    SUMMARY_FILE, TIMELINE_FILE,
};

/// Turns a run's output into the bytes of one file.
type Serializer = fn(&RunOutput) -> Vec<u8>;

/// Attempts at finding a free temporary name before giving up.
const TEMP_NAME_ATTEMPTS: u32 = 64;

/// Writes the seven files of one run into `out_dir`, creating it (and its parents) if needed.
///
/// Writes `timeline.csv`, `activities.csv`, `instances.csv`, `summary.json`, `capacity.svg`,
/// `capacity.png` and `report.html`, each atomically (see [`write_atomic`]), and returns their
/// paths in that order. An existing file of the same name is replaced; other files in `out_dir` are left alone.
pub fn write_run(out_dir: &Path, output: &RunOutput) -> Result<Vec<PathBuf>, ReportError> {
    fs::create_dir_all(out_dir).map_err(|cause| ReportError::CreateDir {
        path: out_dir.to_path_buf(),
        cause,
    })?;
    let mut written = Vec::with_capacity(7);
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
    Ok(written)
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
/// The bytes go to a new hidden file in the same folder (`.NAME.PID.N.tmp.EXT`), are flushed to
/// disk, and the file is then renamed over `path`, which replaces an existing file in one step.
/// On failure the temporary file is removed and `path` is left as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    with_temp_file(path, |temp| {
        let mut file = File::create_new(temp)?;
        file.write_all(bytes)?;
        file.sync_all()
    })
}

/// Runs `produce` on a fresh temporary path beside `path`, then renames the result to `path`.
///
/// `produce` must create the file itself (the temporary path does not exist yet). The temporary
/// name keeps `path`'s extension last, for writers that pick a format from it.
pub(crate) fn with_temp_file(
    path: &Path,
    produce: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let temp = free_temp_path(path)?;
    let result = produce(&temp).and_then(|()| fs::rename(&temp, path));
    if result.is_err() {
        // Best effort: the temporary file may not exist if `produce` failed early.
        let _ = fs::remove_file(&temp);
    }
    result
}

/// A temporary path beside `path` that no file has yet.
pub(super) fn free_temp_path(path: &Path) -> io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`{}` does not name a file", path.display()),
        )
    })?;
    for _ in 0..TEMP_NAME_ATTEMPTS {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut temp_name = OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{}.{n}.tmp", std::process::id()));
        if let Some(extension) = path.extension() {
            temp_name.push(".");
            temp_name.push(extension);
        }
        let temp = path.with_file_name(temp_name);
        if !temp.try_exists()? {
            return Ok(temp);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("no free temporary name beside `{}`", path.display()),
    ))
}
