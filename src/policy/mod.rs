//! Scaling policies: each turns what the group sees into a new desired capacity.

mod adjustment;
mod config;
pub mod predictive;
mod simple;
mod step;
mod target_tracking;

pub use adjustment::{adjusted_capacity, clamp_capacity, percent_change};
pub use config::{
    AdjustmentType, PolicyConfig, PolicyKind, PredictiveMetric, PredictiveMode, PredictivePolicy,
    ScheduledActionConfig, SimplePolicy, StepAdjustment, StepPolicy, TargetTrackingPolicy,
    TrackedMetric,
};
pub use simple::{SimpleGate, SimpleOutcome};
pub use step::{matching_step, validate_steps};
pub use target_tracking::target_capacity;
