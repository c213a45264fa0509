//! The one way to run a scenario: load its trace, simulate it, keep what a front end needs.
//! `run`, `compare`, `sweep`, the benches and the tests all come through here; no front end
//! calls another.

use std::sync::{Arc, Mutex};

use crate::policy::PolicyKind;
use crate::records::{
    Activity, Decision, DecisionSource, Episode, Explanation, InstanceRecord, Recorder, Summary,
    TimelineRow,
};
use crate::sim::{self, Scenario};
use crate::time::SimDuration;
use crate::trace::{self, Trace, TraceError};

/// Loads the load of `scenario` for a run with `seed`: its CSV trace or pattern, scaled, with
/// the seed's noise, and the extra column a customized metric reads.
///
/// # Errors
///
/// A [`TraceError`] naming the trace file and line, or the pattern's key.
pub fn load_trace(scenario: &Scenario, seed: u64) -> Result<Trace, TraceError> {
    let column = scenario.custom_metric_column();
    trace::load_with_column(&scenario.load, scenario.duration_ms, seed, column)
}

/// Runs `scenario` over `trace` with `seed`, keeping every record: what `asgsim run` writes.
pub fn simulate(scenario: &Scenario, trace: &Trace, seed: u64) -> RunOutput {
    let mut records = FullRecorder::default();
    let summary = sim::run(scenario, trace, seed, &mut records);
    records
        .instances
        .sort_by(|a, b| a.instance_id.cmp(&b.instance_id));
    RunOutput {
        alarm_names: sim::alarm_names(scenario),
        az_names: scenario.group.availability_zones.clone(),
        start_time: given_start_time(scenario),
        records,
        summary,
    }
}

/// Runs `scenario` over `trace` with `seed`, handing every record to `recorder` as it is
/// produced: what `asgsim run` does with a recorder that writes its files as it goes.
pub fn simulate_with<R: Recorder>(
    scenario: &Scenario,
    trace: &Trace,
    seed: u64,
    recorder: &mut R,
) -> Summary {
    sim::run(scenario, trace, seed, recorder)
}

/// Runs `scenario` over `trace` with `seed`, keeping only the figures: what a sweep does.
pub fn summarize(scenario: &Scenario, trace: &Trace, seed: u64) -> Summary {
    sim::run(scenario, trace, seed, &mut crate::records::SummaryRecorder)
}

/// What the writers of one run need to know before its first record: the columns and the
/// span of its outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct RunInfo {
    /// The scenario's name.
    pub name: String,
    /// Alarm names in scenario order (timeline columns `alarm_<name>`).
    pub alarm_names: Vec<String>,
    /// AZ names in scenario order (timeline columns `instances_<az>`).
    pub az_names: Vec<String>,
    /// Simulated span \[ms\].
    pub duration_ms: SimDuration,
    /// Spacing of timeline rows \[ms\].
    pub sample_interval_ms: SimDuration,
    /// Whether a predictive policy may forecast (the timeline may get `forecast_capacity`).
    pub forecast_possible: bool,
    /// Whether the group has a warm pool (the timeline gets `warm_pool`).
    pub warm_pool: bool,
    /// Wall clock of t = 0 when the scenario sets `start_time` (see [`given_start_time`]).
    pub start_time: Option<jiff::Timestamp>,
    /// The scaling policies by name, with their kind (the report marks each kind apart).
    pub policies: Vec<(String, DecisionSource)>,
    /// The scenario as written, for the report to show; none when not at hand.
    pub source: Option<ScenarioText>,
}

/// A scenario file as its user wrote it: the report shows it so that a handout is complete.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioText {
    /// The file as given on the command line.
    pub file: String,
    /// Its text.
    pub text: String,
    /// The `--set` overrides the run applied to it.
    pub overrides: Vec<String>,
}

impl RunInfo {
    /// The outputs' shape of a run of `scenario`.
    pub fn of(scenario: &Scenario) -> Self {
        Self {
            name: scenario.name.clone(),
            alarm_names: sim::alarm_names(scenario),
            az_names: scenario.group.availability_zones.clone(),
            duration_ms: scenario.duration_ms,
            sample_interval_ms: scenario.sample_interval_ms,
            forecast_possible: scenario
                .scaling_policies
                .iter()
                .any(|p| matches!(p.kind, PolicyKind::Predictive(_))),
            warm_pool: scenario.warm_pool.is_some(),
            start_time: given_start_time(scenario),
            policies: policy_sources(scenario),
            source: None,
        }
    }

    /// How many rows `timeline.csv` will have: one at t = 0 and one at the end of each whole
    /// sample interval.
    pub fn timeline_rows(&self) -> u64 {
        if self.sample_interval_ms == 0 {
            return 1;
        }
        1 + self.duration_ms / self.sample_interval_ms
    }
}

/// The kind of each scaling policy of `scenario`, by name.
fn policy_sources(scenario: &Scenario) -> Vec<(String, DecisionSource)> {
    scenario
        .scaling_policies
        .iter()
        .map(|p| {
            let source = match p.kind {
                PolicyKind::Simple(_) => DecisionSource::SimpleScaling,
                PolicyKind::Step(_) => DecisionSource::StepScaling,
                PolicyKind::TargetTracking(_) => DecisionSource::TargetTracking,
                PolicyKind::Predictive(_) => DecisionSource::Predictive,
            };
            (p.name.clone(), source)
        })
        .collect()
}

/// The scenario's `start_time` if it differs from the default one: plots and the report then
/// show dates beside the run's clock. (A scenario that writes the default time exactly gets no
/// dates: the validated scenario does not keep whether the key was written.)
pub fn given_start_time(scenario: &Scenario) -> Option<jiff::Timestamp> {
    let default: jiff::Timestamp = crate::scenario::DEFAULT_START_TIME.parse().ok()?;
    (scenario.start_time != default).then_some(scenario.start_time)
}

/// Keeps every record, for one run's output files and plots.
#[derive(Debug, Default, Clone)]
pub struct FullRecorder {
    /// Timeline rows in time order.
    pub timeline: Vec<TimelineRow>,
    /// Activities in time order.
    pub activities: Vec<Activity>,
    /// Instances, sorted by id when the run ends.
    pub instances: Vec<InstanceRecord>,
    /// Explanations in time order.
    pub explanations: Vec<Explanation>,
    /// Scaling policies' decisions in time order.
    pub decisions: Vec<Decision>,
    /// Scripted episodes, in the order their ends became known.
    pub episodes: Vec<Episode>,
}

impl Recorder for FullRecorder {
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
        self.timeline.push(row);
    }
    fn activity(&mut self, activity: Activity) {
        self.activities.push(activity);
    }
    fn explain(&mut self, explanation: Explanation) {
        self.explanations.push(explanation);
    }
    fn decision(&mut self, decision: Decision) {
        self.decisions.push(decision);
    }
    fn instance(&mut self, record: InstanceRecord) {
        self.instances.push(record);
    }
    fn episode(&mut self, episode: Episode) {
        self.episodes.push(episode);
    }
}

/// Hands every record to two recorders: `asgsim run --cloudwatch-json` writes its files as
/// it goes and keeps the tables the AWS JSON files read.
#[derive(Debug)]
pub struct Both<'a, A, B>(pub &'a mut A, pub &'a mut B);

impl<A: Recorder, B: Recorder> Recorder for Both<'_, A, B> {
    fn wants_timeline(&self) -> bool {
        self.0.wants_timeline() || self.1.wants_timeline()
    }
    fn wants_explanations(&self) -> bool {
        self.0.wants_explanations() || self.1.wants_explanations()
    }
    fn wants_records(&self) -> bool {
        self.0.wants_records() || self.1.wants_records()
    }
    fn sample(&mut self, row: TimelineRow) {
        self.0.sample(row.clone());
        self.1.sample(row);
    }
    fn activity(&mut self, activity: Activity) {
        self.0.activity(activity.clone());
        self.1.activity(activity);
    }
    fn explain(&mut self, explanation: Explanation) {
        self.0.explain(explanation.clone());
        self.1.explain(explanation);
    }
    fn decision(&mut self, decision: Decision) {
        self.0.decision(decision.clone());
        self.1.decision(decision);
    }
    fn instance(&mut self, record: InstanceRecord) {
        self.0.instance(record.clone());
        self.1.instance(record);
    }
    fn episode(&mut self, episode: Episode) {
        self.0.episode(episode.clone());
        self.1.episode(episode);
    }
}

/// Everything one run produced, for writers and plots.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// Alarm names in scenario order (timeline columns `alarm_<name>`).
    pub alarm_names: Vec<String>,
    /// AZ names in scenario order (timeline columns `instances_<az>`).
    pub az_names: Vec<String>,
    /// Wall clock of t = 0 when the scenario sets `start_time` (see [`given_start_time`]).
    pub start_time: Option<jiff::Timestamp>,
    /// The kept records.
    pub records: FullRecorder,
    /// The figures.
    pub summary: Summary,
}

/// Loads each distinct load once and shares it read-only between runs: a sweep's points and
/// seeds read and parse a trace file (or build a pattern) once, then apply their own `scale`
/// and noise, copying the rates only when those change them.
///
/// A load is keyed by its source (file and extra column, or pattern, resolution and
/// duration). At most [`TraceCache::CAPACITY`] loads are kept; more are loaded per run.
#[derive(Debug, Default)]
pub struct TraceCache {
    slots: Mutex<Vec<(TraceKey, Slot)>>,
}

/// One cached load, filled by the first run that needs it.
type Slot = Arc<Mutex<Option<Arc<Trace>>>>;

/// What makes two unscaled loads the same.
#[derive(Debug, Clone, PartialEq)]
struct TraceKey {
    source: trace::LoadSource,
    column: Option<String>,
    /// Only for patterns, whose steps depend on them \[ms\].
    resolution_ms: Option<SimDuration>,
    duration_ms: Option<SimDuration>,
}

impl TraceCache {
    /// Most distinct loads kept.
    pub const CAPACITY: usize = 16;

    /// The load of `scenario` for a run with `seed`, as [`load_trace`] gives it.
    ///
    /// # Errors
    ///
    /// As [`load_trace`].
    pub fn load(&self, scenario: &Scenario, seed: u64) -> Result<Arc<Trace>, TraceError> {
        let config = &scenario.load;
        let column = scenario.custom_metric_column();
        let pattern = matches!(config.source, trace::LoadSource::Pattern(_));
        let key = TraceKey {
            source: config.source.clone(),
            column: column.map(str::to_string),
            resolution_ms: pattern.then_some(config.resolution_ms),
            duration_ms: pattern.then_some(scenario.duration_ms),
        };
        let Some(slot) = self.slot(key) else {
            return load_trace(scenario, seed).map(Arc::new);
        };
        // One loader per key; others wanting the same load wait for it.
        let mut shared = slot.lock().unwrap_or_else(|e| e.into_inner());
        let base = match &*shared {
            Some(base) => Arc::clone(base),
            None => {
                let base = Arc::new(trace::load_unscaled(config, scenario.duration_ms, column)?);
                *shared = Some(Arc::clone(&base));
                base
            }
        };
        drop(shared);
        if trace::is_unscaled(config) {
            return Ok(base);
        }
        let mut own = Trace::clone(&base);
        trace::scale_and_noise(&mut own, config, seed)?;
        Ok(Arc::new(own))
    }

    /// The slot of `key`, made if there is room.
    fn slot(&self, key: TraceKey) -> Option<Slot> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, slot)) = slots.iter().find(|(k, _)| *k == key) {
            return Some(Arc::clone(slot));
        }
        if slots.len() >= Self::CAPACITY {
            return None;
        }
        let slot = Arc::default();
        slots.push((key, Arc::clone(&slot)));
        Some(slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn scenario(overrides: &[&str]) -> Scenario {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/llm-inference-week.toml");
        let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        crate::scenario::load_scenario_file(&path, &overrides).unwrap()
    }

    #[test]
    fn a_cached_load_is_the_load_of_each_run() {
        let cache = TraceCache::default();
        for overrides in [&[][..], &["load.scale=2.5"], &["load.noise=0.1"]] {
            let s = scenario(overrides);
            for seed in [1, 2] {
                let cached = cache.load(&s, seed).unwrap();
                assert_eq!(*cached, load_trace(&s, seed).unwrap(), "{overrides:?}");
            }
        }
        assert_eq!(cache.slots.lock().unwrap().len(), 1, "one file, one load");
    }

    #[test]
    fn an_unscaled_load_is_shared_not_copied() {
        let cache = TraceCache::default();
        let s = scenario(&[]);
        let (a, b) = (cache.load(&s, 1).unwrap(), cache.load(&s, 2).unwrap());
        assert!(Arc::ptr_eq(&a, &b));
        let short = scenario(&["duration=2d"]);
        assert!(
            Arc::ptr_eq(&a, &cache.load(&short, 1).unwrap()),
            "a file's rows do not depend on the duration"
        );
    }

    #[test]
    fn the_timeline_has_a_row_at_zero_and_one_per_interval() {
        let mut info = RunInfo::of(&scenario(&[]));
        info.duration_ms = 3_600_000;
        info.sample_interval_ms = 60_000;
        assert_eq!(info.timeline_rows(), 61);
        info.sample_interval_ms = 7 * 60_000;
        assert_eq!(
            info.timeline_rows(),
            9,
            "no row for the last partial interval"
        );
    }
}
