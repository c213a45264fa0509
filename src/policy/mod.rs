//! Scaling policies: each turns what the group sees into a new desired capacity. The
//! arithmetic of each type (adjustments, steps, target tracking, forecasts) is a pure function;
//! the [`Scaling`] component holds what a run needs between minutes (warm-up, cooldown gate,
//! scheduled actions, the predictive policy) and proposes the next desired capacity.

mod adjustment;
mod config;
pub mod describe;
pub mod predictive;
mod predictive_state;
mod scaling;
mod scheduled;
mod simple;
mod step;
mod target_tracking;
mod warmup;

pub use adjustment::{adjusted_capacity, clamp_capacity, percent_change};
pub use config::{
    AdjustmentType, PolicyConfig, PolicyKind, PredictiveMetric, PredictiveMode, PredictivePolicy,
    ScheduledActionConfig, SimplePolicy, StepAdjustment, StepPolicy, TargetTrackingPolicy,
    TrackedMetric,
};
pub use predictive_state::{Predictive, PredictiveEvent, buffered_max, whole_instances};
pub use scaling::{
    AlarmOwner, Note, Outcome, Proposal, Round, Scaling, Source, View, blocking_process, run_alarms,
};
pub use scheduled::{ScheduledRun, Schedules, action_label, named_changes, resulting_sizes};
pub use simple::{SimpleGate, SimpleOutcome};
pub use step::{matching_step, validate_steps};
pub use target_tracking::{managed_alarms, target_capacity, tracked_metric};
pub use warmup::{Warmup, WarmupDone, metric_warmup_ms, policy_warmup_ms};
