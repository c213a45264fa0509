//! The validated scenario: everything one run reads, in the domain's own types. The file
//! format (`crate::scenario`) parses TOML into it; the simulation never sees text.

use crate::asg::{
    FailureConfig, FailureMode, GroupConfig, InstanceRefreshConfig, LaunchTemplate,
    LifecycleHookConfig, MixedInstancesPolicy, ScalingProcess, SpotConfig, WarmPoolConfig,
};
use crate::cloudwatch::{AlarmConfig, Monitoring};
use crate::policy::{PolicyConfig, ScheduledActionConfig};
use crate::time::SimDuration;
use crate::trace::LoadConfig;
use crate::workload::{LoadBalancer, Slo};

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
    /// Wall clock of t = 0, for schedules and plots.
    pub start_time: jiff::Timestamp,
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
    /// The mixed instances policy (`\[mixed_instances_policy\]`), if any: several types,
    /// On-Demand and Spot.
    pub mixed_instances_policy: Option<MixedInstancesPolicy>,
    /// The Spot market (`\[spot\]`): interruption rates, notices, per-pool settings.
    pub spot: SpotConfig,
}

/// One `[\[events\]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptedEvent {
    /// When it happens \[ms\].
    pub at_ms: SimDuration,
    /// What happens.
    pub action: EventAction,
}

/// What a scripted event does.
#[derive(Debug, Clone, PartialEq)]
pub enum EventAction {
    /// `set_desired_capacity` with `value`, as the SetDesiredCapacity API (ignores cooldown).
    SetDesiredCapacity {
        /// The new desired capacity \[instances\]; must lie within \[min, max\].
        value: u32,
    },
    /// `az_outage`: the AZ's instances fail (impaired), launches into it fail, for `duration`.
    AzOutage {
        /// The Availability Zone.
        az: String,
        /// How long \[ms\].
        duration_ms: SimDuration,
    },
    /// `launch_failures`: launches (into `az`, or anywhere) fail with `probability` for
    /// `duration` (an AZ short of capacity: probability 1).
    LaunchFailures {
        /// Only this Availability Zone, if set.
        az: Option<String>,
        /// How long \[ms\].
        duration_ms: SimDuration,
        /// Chance each launch attempt fails \[0–1\].
        probability: f64,
    },
    /// `suspend_processes`: the named processes stop.
    SuspendProcesses {
        /// Which.
        processes: Vec<ScalingProcess>,
    },
    /// `resume_processes`: the named processes start again.
    ResumeProcesses {
        /// Which.
        processes: Vec<ScalingProcess>,
    },
    /// `instance_refresh`: replace every instance with one of a new launch template.
    InstanceRefresh(InstanceRefreshConfig),
    /// `spot_interruption`: `count` Spot instances (of `instance_type`, in `az`, if given) get
    /// their two-minute interruption notice now; their rebalance recommendation came
    /// `rebalance_notice` before.
    SpotInterruption {
        /// How many \[instances\].
        count: u32,
        /// Only of this instance type, if set.
        instance_type: Option<String>,
        /// Only in this Availability Zone, if set.
        az: Option<String>,
    },
    /// `fail_instances`: `count` InService instances fail (in `az` if given).
    FailInstances {
        /// How many \[instances\].
        count: u32,
        /// Only in this Availability Zone, if set.
        az: Option<String>,
        /// How they fail.
        mode: FailureMode,
    },
}
