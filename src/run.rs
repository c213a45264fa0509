//! The one way to run a scenario: load its trace, simulate it, keep what a front end needs.
//! `run`, `compare`, `sweep`, the benches and the tests all come through here; no front end
//! calls another.

use crate::records::{
    Activity, Decision, Episode, Explanation, InstanceRecord, Recorder, Summary, TimelineRow,
};
use crate::sim::{self, Scenario};
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

/// Runs `scenario` over `trace` with `seed`, keeping only the figures: what a sweep does.
pub fn summarize(scenario: &Scenario, trace: &Trace, seed: u64) -> Summary {
    sim::run(scenario, trace, seed, &mut crate::records::SummaryRecorder)
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
