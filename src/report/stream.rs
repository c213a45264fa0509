//! The files of one run written as the run goes: a [`Recorder`] that never holds the timeline.
//!
//! Each row goes through a reused byte buffer into a buffered temporary file beside its final
//! name (`timeline.csv`, `activities.csv`); instances, which end in any order but are written
//! sorted by id, go to a spool file with a small in-memory index and are copied out in order at
//! the end. The plot gets a copy reduced on the fly (`super::plot_prepare::PlotBuilder`), so
//! memory stays flat whatever the sample interval, the duration or the number of instances.
//! [`RunWriter::finish`] writes `summary.json` and the plots and renames every temporary file
//! over its final name; a run that fails or is dropped before that leaves no file half-written
//! (its temporary files are removed).

use std::fs::{self, File};
use std::io::{self, BufRead as _, BufReader, BufWriter, Write};
use std::os::unix::fs::FileExt as _;
use std::path::{Path, PathBuf};

use crate::records::{
    Activity, Decision, Episode, Explanation, InstanceRecord, Recorder, Summary, TimelineRow,
};
use crate::run::RunInfo;
use crate::time::Clock;

use super::csv_rows::{
    TimelineLayout, push_activities_header, push_activity, push_instance, push_instances_header,
};
use super::files::{new_temp_file, write_file};
use super::html::{REPORT_FILE, ReportBuilder};
use super::plot::{capacity_png_of, capacity_svg_of};
use super::plot_prepare::PlotBuilder;
use super::tables::summary_json;
use super::{
    ACTIVITIES_FILE, CAPACITY_PNG_FILE, CAPACITY_SVG_FILE, INSTANCES_FILE, ReportError,
    SUMMARY_FILE, TIMELINE_FILE,
};

/// Size of each file's write buffer \[bytes\].
const WRITE_BUFFER: usize = 256 * 1024;

/// A file being written under a temporary name beside its final one.
#[derive(Debug)]
struct TempFile {
    path: PathBuf,
    temp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl TempFile {
    fn create(path: PathBuf) -> Result<Self, ReportError> {
        let write_error = |cause| ReportError::Write {
            path: path.clone(),
            cause,
        };
        let (file, temp) = new_temp_file(&path).map_err(write_error)?;
        Ok(Self {
            path,
            temp,
            writer: Some(BufWriter::with_capacity(WRITE_BUFFER, file)),
        })
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.writer {
            Some(writer) => writer.write_all(bytes),
            None => Err(io::Error::other("the file is already closed")),
        }
    }

    /// Flushes and closes the temporary file (it stays under its temporary name).
    fn close(&mut self) -> io::Result<()> {
        if let Some(writer) = self.writer.take() {
            let file = writer.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
        }
        Ok(())
    }

    /// Closes the file and renames it over its final name.
    fn commit(mut self) -> Result<PathBuf, ReportError> {
        let result = self
            .close()
            .and_then(|()| fs::rename(&self.temp, &self.path));
        result.map_err(|cause| ReportError::Write {
            path: self.path.clone(),
            cause,
        })?;
        // Renamed: nothing left to remove.
        self.temp = PathBuf::new();
        Ok(std::mem::take(&mut self.path))
    }

    fn error(&self, cause: io::Error) -> ReportError {
        ReportError::Write {
            path: self.path.clone(),
            cause,
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.temp.as_os_str().is_empty() {
            self.writer = None;
            // Best effort: a run that failed leaves no temporary file behind.
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Where one instance's row is in the spool.
#[derive(Debug, Clone, Copy)]
struct Spooled {
    /// Its id in `InstanceSpool::ids`.
    id: (u32, u32),
    /// Its row in the spool file.
    offset: u64,
    len: u32,
}

/// Instance rows in the order they end, to be written sorted by id.
#[derive(Debug)]
struct InstanceSpool {
    file: TempFile,
    ids: Vec<u8>,
    index: Vec<Spooled>,
    written: u64,
}

impl InstanceSpool {
    fn push(&mut self, instance: &InstanceRecord, row: &[u8]) -> io::Result<()> {
        let id = instance.instance_id.as_bytes();
        let start = self.ids.len() as u32;
        self.ids.extend_from_slice(id);
        self.index.push(Spooled {
            id: (start, id.len() as u32),
            offset: self.written,
            len: row.len() as u32,
        });
        self.written += row.len() as u64;
        self.file.write(row)
    }

    /// Copies the rows into `out` sorted by instance id (ids are unique).
    fn copy_sorted(mut self, out: &mut TempFile) -> Result<(), ReportError> {
        self.file.close().map_err(|e| self.file.error(e))?;
        let id = |s: &Spooled| &self.ids[s.id.0 as usize..(s.id.0 + s.id.1) as usize];
        let mut order = std::mem::take(&mut self.index);
        order.sort_unstable_by(|a, b| id(a).cmp(id(b)));
        let spool = File::open(&self.file.temp).map_err(|e| self.file.error(e))?;
        let mut row = Vec::new();
        for entry in &order {
            row.resize(entry.len as usize, 0);
            spool
                .read_exact_at(&mut row, entry.offset)
                .map_err(|e| self.file.error(e))?;
            out.write(&row).map_err(|e| out.error(e))?;
        }
        Ok(())
    }
}

/// Prints `--explain` sentences as they come, ending quietly when the reader goes away.
struct ExplainSink<'a> {
    out: Box<dyn Write + 'a>,
    line: Vec<u8>,
}

/// Writes the files of one run as its records arrive (see the module docs).
pub struct RunWriter<'a> {
    out_dir: PathBuf,
    layout: TimelineLayout,
    forecast_seen: bool,
    timeline: TempFile,
    activities: TempFile,
    instances: InstanceSpool,
    plot: PlotBuilder,
    report: ReportBuilder,
    explain: Option<ExplainSink<'a>>,
    row: Vec<u8>,
    /// The first error; later records are dropped and [`RunWriter::finish`] returns it.
    failure: Option<ReportError>,
}

impl std::fmt::Debug for RunWriter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunWriter")
            .field("out_dir", &self.out_dir)
            .field("failure", &self.failure)
            .finish_non_exhaustive()
    }
}

impl<'a> RunWriter<'a> {
    /// Creates `out_dir` (and its parents) and the temporary files of a run of `info`.
    /// `explain`, when given, receives each `--explain` sentence as a line as it is made.
    ///
    /// # Errors
    ///
    /// The folder or a temporary file cannot be created.
    pub fn create(
        out_dir: &Path,
        info: &RunInfo,
        explain: Option<Box<dyn Write + 'a>>,
    ) -> Result<Self, ReportError> {
        fs::create_dir_all(out_dir).map_err(|cause| ReportError::CreateDir {
            path: out_dir.to_path_buf(),
            cause,
        })?;
        let layout = TimelineLayout {
            forecast: info.forecast_possible,
            warm_pool: info.warm_pool,
            az_names: info.az_names.clone(),
            alarm_names: info.alarm_names.clone(),
        };
        let mut timeline = TempFile::create(out_dir.join(TIMELINE_FILE))?;
        let mut activities = TempFile::create(out_dir.join(ACTIVITIES_FILE))?;
        let spool_name = format!("{INSTANCES_FILE}.spool");
        let mut row = Vec::with_capacity(1024);
        layout.push_header(&mut row);
        timeline.write(&row).map_err(|e| timeline.error(e))?;
        row.clear();
        push_activities_header(&mut row);
        activities.write(&row).map_err(|e| activities.error(e))?;
        row.clear();
        Ok(Self {
            out_dir: out_dir.to_path_buf(),
            forecast_seen: false,
            timeline,
            activities,
            instances: InstanceSpool {
                file: TempFile::create(out_dir.join(spool_name))?,
                ids: Vec::new(),
                index: Vec::new(),
                written: 0,
            },
            plot: PlotBuilder::new(info.duration_ms, info.alarm_names.len())
                .with_start(info.start_time),
            report: ReportBuilder::new(info),
            explain: explain.map(|out| ExplainSink {
                out,
                line: Vec::new(),
            }),
            layout,
            row,
            failure: None,
        })
    }

    /// Finishes the files with the run's `summary`: the rest of the tables, `summary.json`, the
    /// plots, then every file renamed to its final name. Returns the paths written, in the
    /// order of [`super::write_run`].
    ///
    /// # Errors
    ///
    /// The first error met while writing (then no file of this run replaces an existing one).
    pub fn finish(mut self, summary: &Summary) -> Result<Vec<PathBuf>, ReportError> {
        if let Some(failure) = self.failure.take() {
            return Err(failure);
        }
        if let Some(mut sink) = self.explain.take()
            && let Err(cause) = sink.out.flush()
            && cause.kind() != io::ErrorKind::BrokenPipe
        {
            return Err(ReportError::Print { cause });
        }
        let mut timeline = self.timeline;
        if self.layout.forecast && !self.forecast_seen {
            timeline = drop_forecast_column(timeline)?;
        }
        let mut instances = TempFile::create(self.out_dir.join(INSTANCES_FILE))?;
        self.row.clear();
        push_instances_header(&mut self.row);
        instances.write(&self.row).map_err(|e| instances.error(e))?;
        self.instances.copy_sorted(&mut instances)?;
        let prepared = self.plot.finish();
        let svg_path = self.out_dir.join(CAPACITY_SVG_FILE);
        let svg = capacity_svg_of(&prepared, summary, &self.layout.alarm_names).map_err(|e| {
            ReportError::Plot {
                path: svg_path.clone(),
                message: e.message,
            }
        })?;
        let mut written = vec![
            timeline.commit()?,
            self.activities.commit()?,
            instances.commit()?,
        ];
        let summary_bytes = summary_json(summary);
        written.push(write_file(
            &self.out_dir.join(SUMMARY_FILE),
            &summary_bytes,
        )?);
        written.push(write_file(&svg_path, svg.as_bytes())?);
        let png_path = self.out_dir.join(CAPACITY_PNG_FILE);
        capacity_png_of(&prepared, summary, &self.layout.alarm_names, &png_path)?;
        written.push(png_path);
        let page = self.report.finish(summary, &summary_bytes);
        written.push(write_file(&self.out_dir.join(REPORT_FILE), &page)?);
        Ok(written)
    }

    /// Remembers the first error of a file.
    fn fail(&mut self, error: ReportError) {
        if self.failure.is_none() {
            self.failure = Some(error);
        }
    }
}

/// Rewrites a finished timeline without its `forecast_capacity` column: a scenario with a
/// predictive policy gets the column up front, and loses it again when no row had a forecast
/// (a run shorter than the history the forecast needs), as the in-memory table would.
///
/// The column is the 15th field of every line; the 14 before it are fixed names and numbers,
/// never quoted, so the field is found by counting commas.
fn drop_forecast_column(mut timeline: TempFile) -> Result<TempFile, ReportError> {
    const FORECAST_FIELD: usize = super::TIMELINE_COLUMNS.len();
    timeline.close().map_err(|e| timeline.error(e))?;
    let mut rewritten = TempFile::create(timeline.path.clone())?;
    let input = File::open(&timeline.temp).map_err(|e| timeline.error(e))?;
    let mut reader = BufReader::with_capacity(WRITE_BUFFER, input);
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| timeline.error(e))?;
        if read == 0 {
            break;
        }
        let commas: Vec<usize> = line
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b',')
            .map(|(i, _)| i)
            .take(FORECAST_FIELD + 1)
            .collect();
        let kept = match (commas.get(FORECAST_FIELD - 1), commas.get(FORECAST_FIELD)) {
            (Some(&start), Some(&end)) => [&line[..start], &line[end..]].concat(),
            (Some(&start), None) => [&line[..start], b"\n".as_slice()].concat(),
            _ => line.clone(),
        };
        rewritten.write(&kept).map_err(|e| rewritten.error(e))?;
    }
    Ok(rewritten)
}

impl Recorder for RunWriter<'_> {
    fn wants_timeline(&self) -> bool {
        true
    }
    fn wants_explanations(&self) -> bool {
        true
    }
    fn wants_records(&self) -> bool {
        true
    }

    fn sample(&mut self, row: TimelineRow) {
        self.plot.push_row(&row);
        self.report.push_row(&row);
        self.forecast_seen |= row.forecast_capacity.is_some();
        if self.failure.is_some() {
            return;
        }
        self.row.clear();
        self.layout.push_row(&mut self.row, &row);
        if let Err(e) = self.timeline.write(&self.row) {
            let error = self.timeline.error(e);
            self.fail(error);
        }
    }

    fn activity(&mut self, activity: Activity) {
        self.plot.push_activity(&activity);
        self.report.push_activity(&activity);
        if self.failure.is_some() {
            return;
        }
        self.row.clear();
        push_activity(&mut self.row, &activity);
        if let Err(e) = self.activities.write(&self.row) {
            let error = self.activities.error(e);
            self.fail(error);
        }
    }

    fn instance(&mut self, record: InstanceRecord) {
        self.report.push_instance(&record);
        if self.failure.is_some() {
            return;
        }
        self.row.clear();
        push_instance(&mut self.row, &record);
        if let Err(e) = self.instances.push(&record, &self.row) {
            let error = self.instances.file.error(e);
            self.fail(error);
        }
    }

    fn explain(&mut self, explanation: Explanation) {
        self.print(&explanation);
        self.report.push_explanation(explanation);
    }

    fn decision(&mut self, decision: Decision) {
        self.report.push_decision(&decision);
    }

    fn episode(&mut self, episode: Episode) {
        self.plot.push_episode(episode.clone());
        self.report.push_episode(episode);
    }
}

impl RunWriter<'_> {
    /// Prints an `--explain` sentence, when asked to.
    fn print(&mut self, explanation: &Explanation) {
        let Some(sink) = &mut self.explain else {
            return;
        };
        sink.line.clear();
        let _ = writeln!(
            sink.line,
            "{} {}",
            Clock(explanation.time_ms),
            explanation.text
        );
        if let Err(cause) = sink.out.write_all(&sink.line) {
            // `| head`: the reader has what it wanted; the run and its files go on.
            self.explain = None;
            if cause.kind() != io::ErrorKind::BrokenPipe {
                self.fail(ReportError::Print { cause });
            }
        }
    }
}
