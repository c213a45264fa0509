//! What a scaling policy is: simple, step, target tracking and predictive settings, and
//! scheduled actions (API `PutScalingPolicy`, `PutScheduledUpdateGroupAction`).

use crate::cloudwatch::Statistic;
use crate::schedule::Schedule;
use crate::time::SimDuration;

/// One `[\[scaling_policies\]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyConfig {
    /// Unique name; alarms refer to it.
    pub name: String,
    /// Whether the policy acts (AWS `Enabled`, default true).
    pub enabled: bool,
    /// The policy type and its settings.
    pub kind: PolicyKind,
}

/// The policy types.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyKind {
    /// `SimpleScaling`.
    Simple(SimplePolicy),
    /// `StepScaling`.
    Step(StepPolicy),
    /// `TargetTrackingScaling`.
    TargetTracking(TargetTrackingPolicy),
    /// `PredictiveScaling`.
    Predictive(PredictivePolicy),
}

/// One step of a step policy; bounds are relative to the alarm threshold (value − threshold).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepAdjustment {
    /// `metric_interval_lower_bound`; `None` is −∞.
    pub lower_bound: Option<f64>,
    /// `metric_interval_upper_bound`; `None` is +∞.
    pub upper_bound: Option<f64>,
    /// Instances, percent or exact capacity, per the policy's adjustment type.
    pub scaling_adjustment: i64,
}

/// Settings of a `StepScaling` policy.
#[derive(Debug, Clone, PartialEq)]
pub struct StepPolicy {
    /// How each step's adjustment is read.
    pub adjustment_type: AdjustmentType,
    /// The steps, sorted by lower bound, without gap or overlap.
    pub step_adjustments: Vec<StepAdjustment>,
    /// Smallest change for PercentChangeInCapacity \[instances\].
    pub min_adjustment_magnitude: Option<u32>,
    /// How the alarm's metric is aggregated for step matching (Average, Minimum, Maximum).
    pub metric_aggregation_type: Statistic,
    /// EstimatedInstanceWarmup \[ms\]; `None` falls back to the group's settings.
    pub estimated_instance_warmup_ms: Option<SimDuration>,
}

/// The metric a target-tracking policy tracks.
#[derive(Debug, Clone, PartialEq)]
pub enum TrackedMetric {
    /// `ASGAverageCPUUtilization` \[%\].
    AsgAverageCpuUtilization,
    /// `ASGAverageNetworkIn` \[bytes per instance per minute\].
    AsgAverageNetworkIn,
    /// `ASGAverageNetworkOut` \[bytes per instance per minute\].
    AsgAverageNetworkOut,
    /// `ALBRequestCountPerTarget` \[requests per target per minute\].
    AlbRequestCountPerTarget,
    /// A customized metric: a column of the load trace, divided over the InService instances
    /// when `per_instance` (a queue depth per instance, say).
    Custom {
        /// Metric name shown in explanations.
        metric_name: String,
        /// Name of the trace column.
        column: String,
        /// Whether the value is divided by the InService count (`ASG average` style).
        per_instance: bool,
    },
}

/// Settings of a `TargetTrackingScaling` policy.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetTrackingPolicy {
    /// The tracked metric.
    pub metric: TrackedMetric,
    /// The target, in the metric's unit.
    pub target_value: f64,
    /// Whether the policy never scales in.
    pub disable_scale_in: bool,
    /// EstimatedInstanceWarmup \[ms\]; `None` falls back to the group's settings.
    pub estimated_instance_warmup_ms: Option<SimDuration>,
    /// Low alarm threshold as a fraction of the target (0.7 observed on EC2) \[dimensionless\].
    pub scale_in_ratio: f64,
}

/// The load metric a predictive policy forecasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PredictiveMetric {
    /// `ASGCPUUtilization`: total CPU, target is average CPU \[%\].
    AsgCpuUtilization,
    /// `ASGNetworkIn`: total bytes in, target per instance.
    AsgNetworkIn,
    /// `ASGNetworkOut`: total bytes out, target per instance.
    AsgNetworkOut,
    /// `ALBRequestCount`: total requests, target per instance.
    AlbRequestCount,
}

/// `Mode` of a predictive policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PredictiveMode {
    /// Forecasts are recorded, nothing scales.
    ForecastOnly,
    /// Desired capacity is raised to the forecast before each hour.
    ForecastAndScale,
}

/// Settings of a `PredictiveScaling` policy (a simplified model of UG: ec2-auto-scaling-predictive-scaling).
#[derive(Debug, Clone, PartialEq)]
pub struct PredictivePolicy {
    /// The metric pair.
    pub metric: PredictiveMetric,
    /// Target per instance, in the metric's unit.
    pub target_value: f64,
    /// ForecastOnly or ForecastAndScale.
    pub mode: PredictiveMode,
    /// How long before each hour capacity is raised \[ms\].
    pub scheduling_buffer_time_ms: SimDuration,
    /// Whether the forecast may raise max_size (`IncreaseMaxCapacity`).
    pub increase_max_capacity: bool,
    /// MaxCapacityBuffer \[%\], with IncreaseMaxCapacity.
    pub max_capacity_buffer_percent: f64,
}

/// One `[\[scheduled_actions\]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduledActionConfig {
    /// Unique name.
    pub name: String,
    /// When it runs: its cron recurrence in its time zone, start and end times, parsed.
    pub schedule: Schedule,
    /// New min size, if set \[instances\].
    pub min_size: Option<u32>,
    /// New max size, if set \[instances\].
    pub max_size: Option<u32>,
    /// New desired capacity, if set \[instances\].
    pub desired_capacity: Option<u32>,
}

/// How `scaling_adjustment` is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjustmentType {
    /// Add the adjustment to the current capacity.
    ChangeInCapacity,
    /// Set the capacity to the adjustment.
    ExactCapacity,
    /// Add the adjustment, in percent of the current capacity.
    PercentChangeInCapacity,
}

/// Settings of a `SimpleScaling` policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimplePolicy {
    /// How the adjustment is read.
    pub adjustment_type: AdjustmentType,
    /// Instances, or percent, or the exact capacity.
    pub scaling_adjustment: i64,
    /// Own cooldown \[ms\]; `None` means the group's default cooldown.
    pub cooldown_ms: Option<SimDuration>,
    /// Smallest change for PercentChangeInCapacity \[instances\].
    pub min_adjustment_magnitude: Option<u32>,
}
