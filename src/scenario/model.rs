//! The validated, typed scenario: what the simulation core reads.
//!
//! Every quantity carries its unit in its name. Raw TOML becomes this through
//! [`crate::scenario::parse_scenario`], which collects every problem before giving up.

use std::path::PathBuf;

pub use super::model_health::*;
pub use super::model_policy::*;

use crate::time::SimDuration;

/// One validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Names the output folder.
    pub name: String,
    /// Free text shown in summaries.
    pub description: String,
    /// Simulated span \[ms\].
    pub duration_ms: SimDuration,
    /// Seed of every random stream (`--seed` overrides).
    pub seed: u64,
    /// Wall clock of t = 0, as written (RFC 3339, UTC), for schedules and plots.
    pub start_time: String,
    /// Spacing of timeline rows \[ms\].
    pub sample_interval_ms: SimDuration,
    /// Longest delay of a scheduled action after its due time \[ms\]: AWS runs scheduled
    /// actions "up to 2 minutes" late (`scheduled_action_max_delay`, default 120 s).
    pub scheduled_action_max_delay_ms: SimDuration,
    /// The Auto Scaling group.
    pub group: GroupConfig,
    /// What each instance is.
    pub launch_template: LaunchTemplate,
    /// Where the load comes from.
    pub load: LoadConfig,
    /// CloudWatch monitoring of the instances.
    pub monitoring: Monitoring,
    /// The load balancer in front of the group.
    pub load_balancer: LoadBalancer,
    /// The service-level objective the summary counts violations of.
    pub slo: Slo,
    /// CloudWatch alarms, in file order.
    pub alarms: Vec<AlarmConfig>,
    /// Scaling policies, in file order.
    pub scaling_policies: Vec<PolicyConfig>,
    /// Scheduled actions (`[\[scheduled_actions\]]`), in file order.
    pub scheduled_actions: Vec<ScheduledActionConfig>,
    /// Scripted events, sorted by time (stable for equal times).
    pub events: Vec<ScriptedEvent>,
    /// Random failures.
    pub failures: FailureConfig,
    /// Lifecycle hooks (`[\[lifecycle_hooks\]]`), in file order.
    pub lifecycle_hooks: Vec<LifecycleHookConfig>,
    /// The warm pool (`\[warm_pool\]`), if any.
    pub warm_pool: Option<WarmPoolConfig>,
}

/// `\[group\]`: capacity bounds and group-level settings, AWS names in snake_case.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupConfig {
    /// Lower bound of desired capacity \[instances\].
    pub min_size: u32,
    /// Upper bound of desired capacity \[instances\].
    pub max_size: u32,
    /// Desired capacity at t = 0 \[instances\]; its instances are InService at t = 0.
    pub desired_capacity: u32,
    /// Enabled Availability Zones, in the order written.
    pub availability_zones: Vec<String>,
    /// Cooldown of simple policies without their own \[ms\].
    pub default_cooldown_ms: SimDuration,
    /// DefaultInstanceWarmup \[ms\], if enabled.
    pub default_instance_warmup_ms: Option<SimDuration>,
    /// Which health checks mark instances unhealthy.
    pub health_check_type: HealthCheckType,
    /// Time after InService during which ELB results are ignored \[ms\].
    pub health_check_grace_period_ms: SimDuration,
    /// Termination policies in order; `Default` is always the last one applied.
    pub termination_policies: Vec<TerminationPolicy>,
    /// Whether new instances start protected from scale-in.
    pub new_instances_protected_from_scale_in: bool,
    /// MaxInstanceLifetime \[ms\], if set.
    pub max_instance_lifetime_ms: Option<SimDuration>,
    /// Processes suspended from the start (`suspended_processes`).
    pub suspended_processes: Vec<ScalingProcess>,
    /// `InstanceMaintenancePolicy`, if set.
    pub instance_maintenance_policy: Option<MaintenancePolicy>,
}

/// `InstanceMaintenancePolicy`: the healthy capacity kept while instances are replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaintenancePolicy {
    /// `MinHealthyPercentage` (0–100) \[%\].
    pub min_healthy_percentage: u32,
    /// `MaxHealthyPercentage` (100–200) \[%\].
    pub max_healthy_percentage: u32,
}

impl MaintenancePolicy {
    /// Whether replacements launch first and terminate after (Min 100 with Max above 100).
    pub fn launch_first(&self) -> bool {
        self.min_healthy_percentage == 100 && self.max_healthy_percentage > 100
    }
}

/// `health_check_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthCheckType {
    /// EC2 status checks only.
    Ec2,
    /// EC2 status checks and the load balancer's health checks.
    Elb,
}

/// AWS `TerminationPolicies` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TerminationPolicy {
    /// Oldest launch template, then closest to the next instance hour, then random.
    Default,
    /// Mixed-instances allocation strategy (a single-type group: no preference).
    AllocationStrategy,
    /// Instances of a non-current template first, then the oldest version.
    OldestLaunchTemplate,
    /// Instances of a launch configuration first (none in a template group).
    OldestLaunchConfiguration,
    /// The instance closest to its next billing hour.
    ClosestToNextInstanceHour,
    /// The most recently launched instance.
    NewestInstance,
    /// The least recently launched instance.
    OldestInstance,
}

impl TerminationPolicy {
    /// The AWS spelling.
    pub fn aws_name(self) -> &'static str {
        match self {
            Self::Default => "Default",
            Self::AllocationStrategy => "AllocationStrategy",
            Self::OldestLaunchTemplate => "OldestLaunchTemplate",
            Self::OldestLaunchConfiguration => "OldestLaunchConfiguration",
            Self::ClosestToNextInstanceHour => "ClosestToNextInstanceHour",
            Self::NewestInstance => "NewestInstance",
            Self::OldestInstance => "OldestInstance",
        }
    }
}

/// `\[launch_template\]`: the instances the group launches.
#[derive(Debug, Clone, PartialEq)]
pub struct LaunchTemplate {
    /// EC2 instance type, e.g. `m5.large`.
    pub instance_type: String,
    /// On-Demand price \[USD per hour\].
    pub price_per_hour_usd: f64,
    /// Requests one instance serves at 100% CPU \[req/s\].
    pub capacity_rps: f64,
    /// CPU of an instance with no load \[%\].
    pub idle_cpu_percent: f64,
    /// Time from launch to InService.
    pub boot_time: BootTime,
    /// Bytes received per request, for NetworkIn \[bytes\].
    pub network_in_bytes_per_request: f64,
    /// Bytes sent per request, for NetworkOut \[bytes\].
    pub network_out_bytes_per_request: f64,
    /// Time after InService until the application answers health checks (default 0): ELB
    /// health checks fail until then, which is how a grace period shorter than the start-up
    /// makes a replacement loop.
    pub application_start_time: BootTime,
}

/// Distribution of the Pending → InService time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BootTime {
    /// Always the same \[ms\].
    Constant {
        /// Boot time \[ms\].
        value_ms: SimDuration,
    },
    /// Uniform between two bounds \[ms\].
    Uniform {
        /// Shortest boot \[ms\].
        min_ms: SimDuration,
        /// Longest boot \[ms\].
        max_ms: SimDuration,
    },
    /// Lognormal given by its median and 95th percentile \[ms\].
    LogNormal {
        /// Median boot \[ms\].
        median_ms: SimDuration,
        /// 95th-percentile boot \[ms\]; greater than the median.
        p95_ms: SimDuration,
    },
}

/// `\[load\]`: the request rate over time.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadConfig {
    /// A CSV trace or a synthetic pattern.
    pub source: LoadSource,
    /// Multiplies every rate \[dimensionless\].
    pub scale: f64,
    /// Relative standard deviation of seeded Gaussian noise per step, 0 for none \[dimensionless\].
    pub noise: f64,
    /// Step of synthetic patterns and of noise \[ms\].
    pub resolution_ms: SimDuration,
}

/// Where the load comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadSource {
    /// A CSV file `time_s,requests_per_s` (resolved against the scenario's folder).
    Trace {
        /// Path to the CSV file.
        path: PathBuf,
    },
    /// A synthetic pattern.
    Pattern(Pattern),
}

/// Synthetic load shapes \[req/s over ms\]. TOML keys: `kind`, `rate`, `base`, `peak`, `at`,
/// `until`, `start`, `end`, `period`, `peak_at`, `duration`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pattern {
    /// `kind = "constant", rate = 300`.
    Constant {
        /// The rate \[req/s\].
        rate_rps: f64,
    },
    /// `kind = "step", base, peak, at, until?`: base, then peak from `at` (until `until`).
    Step {
        /// Rate before `at` and after `until` \[req/s\].
        base_rps: f64,
        /// Rate in between \[req/s\].
        peak_rps: f64,
        /// When the step up happens \[ms\].
        at_ms: SimDuration,
        /// When it steps back down, if ever \[ms\].
        until_ms: Option<SimDuration>,
    },
    /// `kind = "ramp", base, peak, start, end`: linear from base at `start` to peak at `end`.
    Ramp {
        /// Rate up to `start` \[req/s\].
        base_rps: f64,
        /// Rate from `end` on \[req/s\].
        peak_rps: f64,
        /// Ramp start \[ms\].
        start_ms: SimDuration,
        /// Ramp end \[ms\].
        end_ms: SimDuration,
    },
    /// `kind = "sine"` or `"diurnal"`, base, peak, period (24h), peak_at (14h): a smooth cycle.
    Sine {
        /// Lowest rate \[req/s\].
        base_rps: f64,
        /// Highest rate \[req/s\].
        peak_rps: f64,
        /// Cycle length \[ms\].
        period_ms: SimDuration,
        /// Offset of the first peak from t = 0 \[ms\].
        peak_at_ms: SimDuration,
    },
    /// `kind = "spike", base, peak, at, duration`: a flash crowd.
    Spike {
        /// Rate outside the spike \[req/s\].
        base_rps: f64,
        /// Rate during the spike \[req/s\].
        peak_rps: f64,
        /// Spike start \[ms\].
        at_ms: SimDuration,
        /// Spike length \[ms\].
        duration_ms: SimDuration,
    },
}

/// `\[monitoring\]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Monitoring {
    /// 1-minute (true) or 5-minute (false, basic) instance metrics.
    pub detailed: bool,
    /// Time from the end of a metric period until its datapoint is visible \[ms\].
    pub metric_delay_ms: SimDuration,
}

impl Monitoring {
    /// Length of one EC2-metric datapoint \[ms\]; load-balancer and customized metrics are
    /// 1-minute whatever the monitoring.
    pub fn resolution_ms(&self) -> SimDuration {
        if self.detailed { 60_000 } else { 300_000 }
    }
}

/// `\[load_balancer\]`: the target group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadBalancer {
    /// Deregistration delay: a terminating instance drains this long before it stops \[ms\].
    pub deregistration_delay_ms: SimDuration,
    /// `HealthCheckIntervalSeconds` \[ms\] (default 30 s).
    pub health_check_interval_ms: SimDuration,
    /// `HealthyThresholdCount` (default 5).
    pub healthy_threshold_count: u32,
    /// `UnhealthyThresholdCount`: failed checks in a row before a target is unhealthy
    /// (default 2).
    pub unhealthy_threshold_count: u32,
    /// Whether a saturated instance (its share of the load at or above its capacity) fails
    /// health checks, as a check times out behind the queue \[model\] (default false): the
    /// cause of ELB cascades under overload.
    pub overload_fails_health_checks: bool,
}

/// `\[slo\]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slo {
    /// Mean latency above this violates the SLO \[ms\].
    pub latency_ms: f64,
}

/// Metrics an alarm can watch (all group-level aggregates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetricName {
    /// Average CPU of the InService instances \[%\].
    CpuUtilization,
    /// Bytes received per instance per datapoint \[bytes\].
    NetworkIn,
    /// Bytes sent per instance per datapoint \[bytes\].
    NetworkOut,
    /// Requests per InService target per datapoint \[requests\].
    RequestCountPerTarget,
    /// Mean request latency at the load balancer \[s\], as the ELB `Latency` metric.
    Latency,
    /// A customized metric: the load trace's extra column, time-averaged (target tracking).
    CustomColumn,
    /// The trace's extra column divided by the InService count, time-averaged (a backlog per
    /// instance, say).
    CustomColumnPerInstance,
}

impl MetricName {
    /// The CloudWatch spelling.
    pub fn aws_name(self) -> &'static str {
        match self {
            Self::CpuUtilization => "CPUUtilization",
            Self::NetworkIn => "NetworkIn",
            Self::NetworkOut => "NetworkOut",
            Self::RequestCountPerTarget => "RequestCountPerTarget",
            Self::Latency => "Latency",
            Self::CustomColumn | Self::CustomColumnPerInstance => "CustomizedMetric",
        }
    }

    /// Whether EC2 publishes it (per instance, 5-minute under basic monitoring) rather than
    /// the load balancer or the customized metric's source (1-minute in any case).
    pub fn is_ec2(self) -> bool {
        matches!(
            self,
            Self::CpuUtilization | Self::NetworkIn | Self::NetworkOut
        )
    }
}

/// CloudWatch statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statistic {
    /// Mean of the samples.
    Average,
    /// Sum of the samples.
    Sum,
    /// Smallest sample.
    Minimum,
    /// Largest sample.
    Maximum,
    /// Number of samples.
    SampleCount,
}

/// CloudWatch comparison operators (the anomaly-band ones are not modelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComparisonOperator {
    /// value ≥ threshold breaches.
    GreaterThanOrEqualToThreshold,
    /// value > threshold breaches.
    GreaterThanThreshold,
    /// value < threshold breaches.
    LessThanThreshold,
    /// value ≤ threshold breaches.
    LessThanOrEqualToThreshold,
}

impl ComparisonOperator {
    /// Whether `value` breaches `threshold`.
    pub fn breaches(self, value: f64, threshold: f64) -> bool {
        match self {
            Self::GreaterThanOrEqualToThreshold => value >= threshold,
            Self::GreaterThanThreshold => value > threshold,
            Self::LessThanThreshold => value < threshold,
            Self::LessThanOrEqualToThreshold => value <= threshold,
        }
    }

    /// The mathematical symbol, for explanations.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::GreaterThanOrEqualToThreshold => "≥",
            Self::GreaterThanThreshold => ">",
            Self::LessThanThreshold => "<",
            Self::LessThanOrEqualToThreshold => "≤",
        }
    }
}

/// `TreatMissingData`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreatMissingData {
    /// Missing points neither breach nor not breach (the default).
    Missing,
    /// The alarm keeps its state when too few points are present.
    Ignore,
    /// Missing points breach.
    Breaching,
    /// Missing points are fine.
    NotBreaching,
}

/// One `[\[alarms\]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmConfig {
    /// Unique name; timeline column `alarm_<name>`.
    pub name: String,
    /// The watched metric.
    pub metric_name: MetricName,
    /// How datapoints are aggregated.
    pub statistic: Statistic,
    /// Length of one datapoint \[ms\]; a multiple of 60 s.
    pub period_ms: SimDuration,
    /// N: datapoints in the evaluation window.
    pub evaluation_periods: u32,
    /// M: breaching datapoints among the last N needed for ALARM.
    pub datapoints_to_alarm: u32,
    /// The threshold, in the metric's unit.
    pub threshold: f64,
    /// How the value is compared with the threshold.
    pub comparison_operator: ComparisonOperator,
    /// What missing datapoints mean.
    pub treat_missing_data: TreatMissingData,
    /// Indices into [`Scenario::scaling_policies`] invoked while in ALARM.
    pub alarm_actions: Vec<usize>,
    /// The name a customized metric is shown by (`ApproximateNumberOfMessagesVisible`).
    pub metric_label: Option<String>,
}
