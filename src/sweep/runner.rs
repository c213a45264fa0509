//! Running a sweep: every point's overrides validated first, then the runs of this shard in
//! parallel on a local thread pool, each row appended to the journal as its run finishes,
//! then `results.csv` in run order and, for a whole sweep, the summaries of [`super::outputs`].
//!
//! A run keeps only its [`Summary`](crate::records::Summary): the simulation uses the
//! summary-only recorder and the row goes to the journal at once, so memory does not grow
//! with the number of runs.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::SweepError;
use super::baselines::{Extras, FixedCache, oracle};
use super::inputs::{hash_inputs, trace_of};
use super::journal::{JOURNAL_FILE, Journal, write_sorted};
use super::manifest::Manifest;
use super::objective::{Best, Objective};
use super::outputs::{self, RESULTS_FILE};
use super::progress::Progress;
use super::results::{header, row, row_prefix};
use super::shard::Shard;
use super::source::ScenarioSource;
use super::spec::{RunSpec, SweepSpec};
use crate::run::TraceCache;
use crate::scenario::ScenarioError;
use crate::sim::Scenario;

/// What to run and where.
#[derive(Debug, Clone, Default)]
pub struct SweepOptions {
    /// The sweep file.
    pub sweep_file: PathBuf,
    /// `--set` overrides for every run, after the file's `\[set\]`.
    pub overrides: Vec<String>,
    /// Worker threads (default: the available parallelism); capped, see [`worker_threads`].
    pub jobs: Option<usize>,
    /// Run only this shard (default: every run).
    pub shard: Option<Shard>,
    /// Continue from the journal in the output folder.
    pub resume: bool,
    /// The output folder (default: `output/<sweep file stem>`, plus `shard-I-of-N` when
    /// sharded).
    pub out_dir: Option<PathBuf>,
    /// The objective (default: the sweep file's).
    pub objective: Option<String>,
    /// Show progress on stderr: a bar on a terminal, plain lines otherwise (see
    /// [`super::progress`]).
    pub progress: bool,
    /// Leave out the heat map and Pareto plots (`points.csv` and `best.json` are still
    /// written).
    pub no_plots: bool,
}

/// What a sweep did.
#[derive(Debug, Clone)]
pub struct SweepOutcome {
    /// Where the files are.
    pub out_dir: PathBuf,
    /// Runs of the whole sweep.
    pub total_runs: u64,
    /// Runs of this shard (all of them when not sharded).
    pub shard_runs: u64,
    /// Runs found finished in the journal and skipped.
    pub resumed: u64,
    /// Runs run now.
    pub ran: u64,
    /// The shard, when sharded.
    pub shard: Option<Shard>,
    /// Files written, `results.csv` first.
    pub files: Vec<PathBuf>,
    /// The objective and its best point, when an objective was given and the sweep is whole.
    pub best: Option<(Objective, Option<Best>)>,
    /// Worker threads the runs had.
    pub threads: usize,
    /// Why fewer threads than `--jobs` asked for, when so.
    pub threads_capped: Option<String>,
    /// Wall time.
    pub elapsed: Duration,
}

/// Runs the sweep of `options`.
///
/// # Errors
///
/// [`SweepError::Input`] for a bad sweep file, objective, scenario override or journal (before
/// any run starts, except a trace that only a later point fails to load);
/// [`SweepError::Failed`] when files cannot be written.
pub fn run_sweep(options: &SweepOptions) -> Result<SweepOutcome, SweepError> {
    let started = Instant::now();
    let mut spec = SweepSpec::load(&options.sweep_file, &options.overrides)?;
    let objective_text = options.objective.clone().or_else(|| spec.objective.clone());
    let objective = parse_objective(objective_text.as_deref())?;
    let source = ScenarioSource::read(&spec.scenario)
        .map_err(|e| SweepError::Input(format!("{}: scenario: {e}", spec.path.display())))?;
    let out_dir = options
        .out_dir
        .clone()
        .unwrap_or_else(|| default_out_dir(&spec.path, options.shard));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (checkers, _) = worker_threads(options.jobs, spec.points(), cores)?;
    let traces = TraceCache::default();
    let (cpu_percent, trace_files) =
        thread_pool(checkers)?.install(|| validate(&spec, &source, &traces))?;
    spec.cpu_percent = cpu_percent;
    check_cpu_figures(&spec, objective.as_ref())?;
    // Held (created, checked, locked) once the sweep is known good and before any run: a bad
    // --out is found at once, and two sweeps never write one journal.
    let _held = super::hold_output_dir(&out_dir)?;
    let shard = options.shard.unwrap_or(Shard { index: 1, count: 1 });
    let inputs = hash_inputs(&spec, &source, &trace_files)?;
    let manifest = Manifest::new(&spec, inputs, options.shard, objective_text.as_deref());
    let (journal, done) = open_journal(&spec, &manifest, &out_dir, options.resume)?;
    manifest.write(&out_dir)?;
    let total = spec.total_runs();
    let pending: Vec<u64> = shard.runs(total).filter(|r| !done.contains(r)).collect();
    let (threads, threads_capped) = worker_threads(options.jobs, pending.len() as u64, cores)?;
    let pool = thread_pool(threads)?;
    let progress = Progress::start(options.progress, pending.len() as u64, None);
    let shared = Shared {
        spec: &spec,
        source: &source,
        fixed: FixedCache::default(),
        traces,
    };
    let points = by_point(&spec, &pending);
    pool.install(|| {
        // A point is parsed once, then its seeds run (in parallel too).
        points.par_iter().try_for_each(|(point, runs)| {
            let scenario = source
                .parse(&spec.overrides(*point))
                .map_err(|e| point_error(&spec, *point, &e))?;
            runs.par_iter().try_for_each(|run| {
                let line = execute(&shared, &scenario, run)?;
                journal.append(&line)?;
                progress.inc();
                Ok::<(), SweepError>(())
            })
        })
    })?;
    progress.finish();
    let results = out_dir.join(RESULTS_FILE);
    write_sorted(journal.path(), &header(&spec), shard.runs(total), &results)?;
    let mut files = vec![results];
    let mut best = None;
    if shard.count == 1 {
        let plots = !options.no_plots;
        let written = outputs::write(&out_dir, &manifest, objective.as_ref(), plots)?;
        files.extend(written.files);
        best = objective.map(|o| (o, written.best));
    }
    Ok(SweepOutcome {
        out_dir,
        total_runs: total,
        shard_runs: shard.len(total),
        resumed: done.len() as u64,
        ran: pending.len() as u64,
        shard: options.shard,
        files,
        best,
        threads,
        threads_capped,
        elapsed: started.elapsed(),
    })
}

/// The objective of `text`, if any.
pub(crate) fn parse_objective(text: Option<&str>) -> Result<Option<Objective>, SweepError> {
    text.map(Objective::parse)
        .transpose()
        .map_err(|e| SweepError::Input(format!("--objective: {e}")))
}

/// The default output folder: `output/<sweep file stem>\[/shard-I-of-N\]`.
fn default_out_dir(sweep: &Path, shard: Option<Shard>) -> PathBuf {
    let stem = sweep
        .file_stem()
        .map_or_else(|| "sweep".into(), |s| s.to_string_lossy().into_owned());
    let dir = Path::new("output").join(stem);
    match shard {
        Some(s) => dir.join(format!("shard-{}-of-{}", s.index, s.count)),
        None => dir,
    }
}

/// Most worker threads per core: simulations are CPU-bound, so threads beyond the cores only
/// add switching and memory; a few per core still let `--jobs` oversubscribe a little.
pub const MAX_JOBS_PER_CORE: usize = 4;

/// The worker threads for `work` items (runs, or points to check) on `cores` cores: `jobs`
/// (default: `cores`), at most one per item and at most [`MAX_JOBS_PER_CORE`] × `cores`, and
/// why fewer than `jobs` when `jobs` was capped.
///
/// # Errors
///
/// [`SweepError::Input`] when `jobs` is 0.
pub fn worker_threads(
    jobs: Option<usize>,
    work: u64,
    cores: usize,
) -> Result<(usize, Option<String>), SweepError> {
    if jobs == Some(0) {
        return Err(SweepError::Input("--jobs must be at least 1".to_string()));
    }
    let cores = cores.max(1);
    let asked = jobs.unwrap_or(cores);
    let per_core = MAX_JOBS_PER_CORE.saturating_mul(cores);
    let items = usize::try_from(work).unwrap_or(usize::MAX).max(1);
    let threads = asked.min(per_core).min(items);
    let why = match jobs {
        Some(j) if threads < j && threads == items => Some(format!(
            "--jobs {j} capped to {threads}: only {work} runs to do, one thread each"
        )),
        Some(j) if threads < j => Some(format!(
            "--jobs {j} capped to {threads} ({MAX_JOBS_PER_CORE} per core, {cores} cores): more threads than that only slow a CPU-bound sweep"
        )),
        _ => None,
    };
    Ok((threads, why))
}

/// A local pool of `threads` threads.
fn thread_pool(threads: usize) -> Result<rayon::ThreadPool, SweepError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("asgsim-sweep-{i}"))
        .build()
        .map_err(|e| SweepError::Failed(format!("cannot start {threads} worker threads: {e}")))
}

/// Parses the scenario with every point's overrides, and loads the first point's trace (into
/// `traces`, so the runs find it there), before
/// anything runs; the first point (in grid order) with a problem is reported. Returns the
/// trace files the points load and the scenario's `\[slo\] cpu_percent`, which must be the
/// same at every point: it names a column of results.csv.
fn validate(
    spec: &SweepSpec,
    source: &ScenarioSource,
    traces: &TraceCache,
) -> Result<(f64, BTreeSet<PathBuf>), SweepError> {
    let first = source
        .parse(&spec.overrides(0))
        .map_err(|e| point_error(spec, 0, &e))?;
    let cpu_percent = first.slo.cpu_percent;
    let checked: Vec<Result<(Option<PathBuf>, f64), ScenarioError>> = (0..spec.points())
        .into_par_iter()
        .map(|point| {
            let s = source.parse(&spec.overrides(point))?;
            Ok((trace_of(&s), s.slo.cpu_percent))
        })
        .collect();
    let mut trace_files = BTreeSet::new();
    for (point, result) in (0..).zip(checked) {
        match result {
            Err(e) => return Err(point_error(spec, point, &e)),
            Ok((_, other)) if other != cpu_percent => {
                return Err(SweepError::Input(format!(
                    "{}: point {} of {} ({}): slo.cpu_percent is {other} here but {cpu_percent} at point 1; it names the results column cpu_over_<X>_s, so every run of a sweep needs the same: set it in [set], not in [parameters]",
                    spec.path.display(),
                    point + 1,
                    spec.points(),
                    spec.describe_point(point)
                )));
            }
            Ok((trace, _)) => trace_files.extend(trace),
        }
    }
    traces.load(&first, spec.seeds[0]).map_err(|e| {
        SweepError::Input(format!("{e}\n  (the load of {})", source.path().display()))
    })?;
    Ok((cpu_percent, trace_files))
}

/// An objective may name the CPU figure only by this sweep's threshold: `cpu_over_90_s`
/// when `\[slo\] cpu_percent` is 90.
fn check_cpu_figures(spec: &SweepSpec, objective: Option<&Objective>) -> Result<(), SweepError> {
    let Some(objective) = objective else {
        return Ok(());
    };
    let figures =
        std::iter::once(&objective.figure).chain(objective.conditions.iter().map(|c| &c.figure));
    for figure in figures {
        if let Some(percent) = super::figures::cpu_over_percent(figure)
            && percent != spec.cpu_percent
        {
            return Err(SweepError::Input(format!(
                "objective: this sweep counts CPU above {}% ([slo] cpu_percent), so its column is cpu_over_{}_s, not {figure}",
                spec.cpu_percent, spec.cpu_percent
            )));
        }
    }
    Ok(())
}

/// The pending runs grouped by point, in run order (runs are numbered point by point).
fn by_point(spec: &SweepSpec, pending: &[u64]) -> Vec<(u64, Vec<RunSpec>)> {
    let mut points: Vec<(u64, Vec<RunSpec>)> = Vec::new();
    for &run in pending {
        let run = spec.run(run);
        match points.last_mut() {
            Some((point, runs)) if *point == run.point => runs.push(run),
            _ => points.push((run.point, vec![run])),
        }
    }
    points
}

/// A scenario problem of `point`, naming the sweep file and the point's values.
fn point_error(spec: &SweepSpec, point: u64, e: &ScenarioError) -> SweepError {
    SweepError::Input(format!(
        "{}: point {} of {} ({}): the scenario does not validate with these values:\n{e}",
        spec.path.display(),
        point + 1,
        spec.points(),
        spec.describe_point(point)
    ))
}

/// The journal, new or resumed (with the runs it holds).
fn open_journal(
    spec: &SweepSpec,
    manifest: &Manifest,
    out_dir: &Path,
    resume: bool,
) -> Result<(Journal, HashSet<u64>), SweepError> {
    let path = out_dir.join(JOURNAL_FILE);
    let header = header(spec);
    if !resume {
        return Ok((Journal::create(&path, &header)?, HashSet::new()));
    }
    if let Some(old) = Manifest::read(out_dir)? {
        let mut why = old.differences(manifest, "the folder", "this sweep");
        if old.shard_index != manifest.shard_index {
            why.push(format!(
                "the folder holds shard {} but this is shard {}",
                old.shard(),
                manifest.shard()
            ));
        }
        if !why.is_empty() {
            return Err(SweepError::Input(format!(
                "{}: the folder holds another sweep or shard: {}; run without --resume to start over",
                out_dir.display(),
                why.join("; ")
            )));
        }
    }
    let shard = manifest.shard();
    Journal::resume(&path, &header, |run, line| {
        if run == 0 || run > spec.total_runs() || !shard.contains(run) {
            return Err(format!("run {run} is not a run of this sweep or shard"));
        }
        let prefix = row_prefix(spec, &spec.run(run));
        if !line.starts_with(&prefix) || !line.ends_with(b"\n") {
            return Err(format!(
                "run {run} has other parameter values or seed than the grid"
            ));
        }
        Ok(())
    })
}

/// What every run of a sweep reads and nothing changes: the sweep, the scenario's text, the
/// fixed baselines and the loads.
struct Shared<'a> {
    spec: &'a SweepSpec,
    source: &'a ScenarioSource,
    fixed: FixedCache,
    traces: TraceCache,
}

/// Runs one point (parsed as `scenario`) with one seed: the summary-only simulation, the
/// baselines, the row.
fn execute(shared: &Shared<'_>, scenario: &Scenario, run: &RunSpec) -> Result<Vec<u8>, SweepError> {
    let spec = shared.spec;
    let trace = shared.traces.load(scenario, run.seed).map_err(|e| {
        SweepError::Input(format!(
            "{}: run {} ({}, seed {}):\n{e}",
            spec.path.display(),
            run.run,
            spec.describe_point(run.point),
            run.seed
        ))
    })?;
    let summary = crate::run::summarize(scenario, &trace, run.seed);
    let oracle = oracle(scenario, &trace);
    let overrides = spec.overrides(run.point);
    let fixed = shared
        .fixed
        .get(
            shared.source,
            &overrides,
            oracle.peak_demand,
            &trace,
            run.seed,
        )
        .map_err(|e| point_error(spec, run.point, &e))?;
    let extras = Extras::new(&summary, &oracle, &fixed);
    Ok(row(spec, run, &summary, &extras))
}
