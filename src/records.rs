//! What the simulation core reports: timeline rows, activities, instances, episodes,
//! sentences and the summary, and the [`Recorder`] that receives them.
//!
//! The core hands plain records to a recorder; `crate::run::FullRecorder` keeps everything for
//! one run's files and plots, [`SummaryRecorder`] keeps nothing (sweeps), so a sweep's memory
//! does not grow with the simulated span. Writers live in `crate::report`.

use serde::Serialize;

use crate::asg::TerminationReason;
use crate::cloudwatch::AlarmState;
pub use crate::elasticity::Elasticity;
pub use crate::policy::Outcome;
use crate::time::SimTime;

/// One `timeline.csv` row: the state at `time_ms` and averages over the interval before it.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    /// End of the sampled interval \[ms\].
    pub time_ms: SimTime,
    /// Mean offered load over the interval \[req/s\].
    pub load_rps: f64,
    /// Mean served load \[req/s\].
    pub served_rps: f64,
    /// Mean dropped load \[req/s\].
    pub dropped_rps: f64,
    /// Desired capacity at `time_ms` \[instances\].
    pub desired_capacity: u32,
    /// Min size at `time_ms` \[instances\].
    pub min_size: u32,
    /// Max size at `time_ms` \[instances\].
    pub max_size: u32,
    /// Pending instances \[instances\].
    pub pending: u32,
    /// InService instances \[instances\].
    pub in_service: u32,
    /// The most instances InService at any moment of the interval: what may have served it
    /// (not a `timeline.csv` column) \[instances\].
    pub in_service_max: u32,
    /// Terminating (draining) instances \[instances\].
    pub terminating: u32,
    /// Instances failed or marked unhealthy and not yet terminated \[instances\].
    pub unhealthy: u32,
    /// Time-mean CPU of the InService instances \[%\]; none when no instance served
    /// during the interval (an empty cell, not an idle 0).
    pub cpu_avg_percent: Option<f64>,
    /// Highest CPU of any InService instance during the interval \[%\]; none when no
    /// instance served.
    pub cpu_max_percent: Option<f64>,
    /// Request-weighted mean latency \[ms\]; none when no request was served.
    pub latency_ms: Option<f64>,
    /// Predicted capacity of a predictive policy, if any \[instances\].
    pub forecast_capacity: Option<f64>,
    /// Instances in the warm pool, if the group has one \[instances\].
    pub warm_pool: Option<u32>,
    /// Pending and InService instances per AZ, in scenario order: the counts AZ balance
    /// works on \[instances\].
    pub instances_by_az: Vec<u32>,
    /// State of each alarm at `time_ms`, in scenario order.
    pub alarm_states: Vec<AlarmState>,
}

/// Kind of an `activities.csv` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityKind {
    /// An instance was launched.
    Launch,
    /// An instance began terminating.
    Terminate,
    /// Min, max or desired changed and no instance started or stopped with it.
    Capacity,
}

impl ActivityKind {
    /// The spelling in `activities.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Launch => "launch",
            Self::Terminate => "terminate",
            Self::Capacity => "capacity",
        }
    }
}

/// What set an activity going: a scaling decision, or one of the group's own replacements.
///
/// Not an `activities.csv` column (the cause sentence says it in words); the plot uses it to
/// mark replacements apart from scaling decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivityOrigin {
    /// A policy, schedule, forecast or user request changed min, max or desired capacity.
    Scaling,
    /// Launched or terminated to bring the group back to desired capacity while desired
    /// stays: a launch retried after failures, processes resumed, a launch lifecycle action
    /// abandoned.
    CapacityRestore,
    /// An instance found unhealthy taken out of service, or its replacement.
    HealthReplacement,
    /// An instance that reached `max_instance_lifetime` taken out of service, or its
    /// replacement.
    MaxInstanceLifetime,
    /// An instance replaced by an instance refresh.
    InstanceRefresh,
    /// An instance launched or terminated to rebalance Availability Zones.
    AzRebalance,
}

/// One `activities.csv` row, like `describe-scaling-activities`.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    /// When the activity started \[ms\].
    pub time_ms: SimTime,
    /// Launch, terminate or a capacity change.
    pub kind: ActivityKind,
    /// What set it going (not written to `activities.csv`).
    pub origin: ActivityOrigin,
    /// What caused it: the alarm, policy, event or health check, with its numbers.
    pub cause: String,
    /// Desired capacity before the decision \[instances\].
    pub desired_before: u32,
    /// Desired capacity after it \[instances\].
    pub desired_after: u32,
    /// The instance launched or terminated, if any.
    pub instance_id: Option<String>,
    /// Its Availability Zone.
    pub az: Option<String>,
    /// A plain sentence.
    pub description: String,
}

/// Kind of an [`Episode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EpisodeKind {
    /// An Availability Zone is down (scripted `az_outage`).
    AzOutage,
    /// Launches fail with some probability (scripted `launch_failures`).
    LaunchFailures,
    /// An instance refresh runs, from its start to its completion.
    InstanceRefresh,
    /// An instance refresh pauses at a checkpoint.
    RefreshCheckpoint,
    /// A scaling cooldown holds: from the end of the activity that started it to when
    /// policies may act again. Drawn by the report (`report.html`), not by the PNG.
    Cooldown,
    /// An instance warms up: from InService until its metrics count in the group's
    /// aggregates. Drawn by the report, not by the PNG.
    InstanceWarmup,
}

impl EpisodeKind {
    /// The name the report's data uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AzOutage => "az_outage",
            Self::LaunchFailures => "launch_failures",
            Self::InstanceRefresh => "instance_refresh",
            Self::RefreshCheckpoint => "refresh_checkpoint",
            Self::Cooldown => "cooldown",
            Self::InstanceWarmup => "instance_warmup",
        }
    }
}

/// What decided a change of desired capacity: the kind of policy (or schedule, or request)
/// behind a decision, so that a plot can draw each with its own mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecisionSource {
    /// A simple scaling policy, through its alarm.
    SimpleScaling,
    /// A step scaling policy, through its alarm.
    StepScaling,
    /// A target-tracking policy, through its managed alarms.
    TargetTracking,
    /// A predictive scaling policy's forecast.
    Predictive,
    /// A scheduled action.
    Scheduled,
    /// Anything else: a scripted `set_desired_capacity`, a user request.
    Other,
}

impl DecisionSource {
    /// The name the report's data uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SimpleScaling => "simple",
            Self::StepScaling => "step",
            Self::TargetTracking => "target_tracking",
            Self::Predictive => "predictive",
            Self::Scheduled => "scheduled",
            Self::Other => "other",
        }
    }
}

/// A stretch of time something scripted lasted, for the plot to shade.
#[derive(Debug, Clone, PartialEq)]
pub struct Episode {
    /// What it is.
    pub kind: EpisodeKind,
    /// When it began \[ms\].
    pub start_ms: SimTime,
    /// When it ended, or the end of the run if it was still going \[ms\]; may lie beyond the
    /// run for an episode whose end was fixed when it began (an outage).
    pub end_ms: SimTime,
    /// A short label, such as `us-east-1a down`.
    pub label: String,
}

/// One `instances.csv` row.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceRecord {
    /// `i-00000001`, numbered in launch order.
    pub instance_id: String,
    /// Availability Zone.
    pub az: String,
    /// Instance type.
    pub instance_type: String,
    /// Launch (billing start) \[ms\].
    pub launch_time_ms: SimTime,
    /// When it became InService \[ms\], if it did.
    pub in_service_time_ms: Option<SimTime>,
    /// When it reached Terminated (billing end) \[ms\], if it did before the end of the run.
    pub termination_time_ms: Option<SimTime>,
    /// Why it was terminated.
    pub termination_reason: Option<TerminationReason>,
    /// What it cost up to its termination or the end of the run \[USD\].
    pub cost_usd: f64,
}

/// `summary.json`: the figures of one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Seed of the run.
    pub seed: u64,
    /// Simulated span \[s\].
    pub duration_s: f64,
    /// Cost of every instance \[USD\].
    pub cost_usd: f64,
    /// Billed instance time \[h\].
    pub instance_hours: f64,
    /// Time-mean InService count \[instances\].
    pub mean_in_service: f64,
    /// Highest InService count \[instances\].
    pub max_in_service: u32,
    /// Decisions that raised desired capacity.
    pub scale_out_activities: u32,
    /// Decisions that lowered desired capacity.
    pub scale_in_activities: u32,
    /// Instances terminated as unhealthy and replaced.
    pub replaced_unhealthy: u32,
    /// Requests offered \[requests\].
    pub requests_total: f64,
    /// Requests dropped \[requests\].
    pub requests_dropped: f64,
    /// Time with drops or latency above the SLO \[s\].
    pub slo_violation_s: f64,
    /// Instances launched over the run \[instances\].
    pub instances_launched: u32,
    /// Time with the group's average CPU above a threshold; written `cpu_over_<X>_s`.
    #[serde(flatten)]
    pub cpu_over: CpuOver,
    /// Elasticity against the exact demand.
    pub elasticity: Elasticity,
}

/// What one scaling policy made of one minute's invocation: what it proposed and what became
/// of it. The `--explain` sentence says the same in words; tools and tests read this.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// When \[ms\].
    pub time_ms: SimTime,
    /// The policy.
    pub policy: String,
    /// The alarm that invoked it (a target-tracking policy's managed alarm for its own).
    pub alarm: String,
    /// Desired capacity before this minute's decision \[instances\].
    pub desired_before: u32,
    /// The capacity its rule gave, clamped, if it computed one \[instances\].
    pub proposed: Option<u32>,
    /// The capacity its rule started from: desired for a simple policy, the instances past
    /// their warm-up for a step scale-out or target tracking, every running instance for a
    /// step scale-in \[instances\].
    pub base_capacity: Option<u32>,
    /// The metric value its rule read (a step's aggregated datapoint, the tracked metric).
    pub metric_value: Option<f64>,
    /// What became of it.
    pub outcome: Outcome,
}

/// Time with the group's average CPU above `percent` (the `\[slo\] cpu_percent`), as
/// engineers ask: "how long were we above 90%?". Written in `summary.json` as one figure
/// named by its threshold, `cpu_over_90_s`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CpuOver {
    /// The threshold \[%\].
    pub percent: f64,
    /// Time the InService instances' average CPU was above it \[s\]; time with no instance
    /// serving counts nothing.
    pub seconds: f64,
}

impl CpuOver {
    /// The figure's name: `cpu_over_90_s`, `cpu_over_87.5_s`.
    pub fn name(&self) -> String {
        format!("cpu_over_{}_s", self.percent)
    }
}

impl Serialize for CpuOver {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(&self.name(), &self.seconds)?;
        map.end()
    }
}

/// One `--explain` sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// When \[ms\].
    pub time_ms: SimTime,
    /// The sentence, without the time prefix.
    pub text: String,
}

/// Receives what the simulation core reports. Methods default to ignoring.
pub trait Recorder {
    /// Whether timeline rows are wanted (building them costs a little per sample).
    fn wants_timeline(&self) -> bool {
        false
    }
    /// Whether `--explain` sentences are wanted.
    fn wants_explanations(&self) -> bool {
        false
    }
    /// Whether activity and instance rows are wanted (a scale-in of hundreds of instances
    /// builds hundreds of rows).
    fn wants_records(&self) -> bool {
        false
    }
    /// One timeline row.
    fn sample(&mut self, _row: TimelineRow) {}
    /// One scaling activity.
    fn activity(&mut self, _activity: Activity) {}
    /// One decision in a plain sentence.
    fn explain(&mut self, _explanation: Explanation) {}
    /// One scaling policy's decision, structured. Sent only to recorders that want records.
    fn decision(&mut self, _decision: Decision) {}
    /// One instance, once it is terminated or when the run ends.
    fn instance(&mut self, _record: InstanceRecord) {}
    /// One scripted episode, once its end is known. Sent only to recorders that want records.
    fn episode(&mut self, _episode: Episode) {}
}

/// Keeps nothing: sweeps read only the [`Summary`] that the run returns.
#[derive(Debug, Default, Clone, Copy)]
pub struct SummaryRecorder;

impl Recorder for SummaryRecorder {}
