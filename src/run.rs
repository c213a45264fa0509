//! The one way to run a scenario: load its trace, simulate it, keep what a front end needs.
//! `run`, `compare`, `sweep`, the benches and the tests all come through here; no front end
//! calls another.

use crate::policy::PolicyKind;
use crate::records::{
    Activity, Episode, Explanation, InstanceRecord, Recorder, Summary, TimelineRow,
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
        }
    }

    /// How many rows `timeline.csv` will have: one at t = 0 and one at the end of each
    /// sample interval, the last at the end of the run.
    pub fn timeline_rows(&self) -> u64 {
        if self.sample_interval_ms == 0 {
            return 1;
        }
        1 + self.duration_ms.div_ceil(self.sample_interval_ms)
    }
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
    fn instance(&mut self, record: InstanceRecord) {
        self.instances.push(record);
    }
    fn episode(&mut self, episode: Episode) {
        self.episodes.push(episode);
    }
}

/// Everything one run produced, for writers and plots.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// Alarm names in scenario order (timeline columns `alarm_<name>`).
    pub alarm_names: Vec<String>,
    /// AZ names in scenario order (timeline columns `instances_<az>`).
    pub az_names: Vec<String>,
    /// The kept records.
    pub records: FullRecorder,
    /// The figures.
    pub summary: Summary,
}
