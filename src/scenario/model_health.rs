//! Scenario types for failures, health and the group's machinery: failures, scripted events,
//! lifecycle hooks, suspended processes, warm pools and instance refresh.

use super::model::BootTime;
use crate::time::SimDuration;

/// `PoolState` of a warm pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolState {
    /// Stopped: only volumes are billed; the slowest start of the three.
    Stopped,
    /// Running: billed as running; the fastest start.
    Running,
    /// Hibernated: only volumes are billed; memory is restored on start.
    Hibernated,
}

/// `\[warm_pool\]` (asg-semantics.md §9).
#[derive(Debug, Clone, PartialEq)]
pub struct WarmPoolConfig {
    /// `MinSize` of the pool (default 0) \[instances\].
    pub min_size: u32,
    /// `MaxGroupPreparedCapacity`; `None` means max_size \[instances\].
    pub max_group_prepared_capacity: Option<u32>,
    /// `PoolState` (default Stopped).
    pub pool_state: PoolState,
    /// `InstanceReusePolicy.ReuseOnScaleIn` (default false).
    pub reuse_on_scale_in: bool,
    /// Time from leaving the pool to InService (default: 20 s running, 40 s hibernated,
    /// 60 s stopped \[model\]).
    pub warm_start_time: BootTime,
    /// Cost of a stopped or hibernated pool instance: its volumes \[USD per hour\]
    /// (default 0.01 \[model\]).
    pub stopped_price_per_hour_usd: f64,
}

/// The processes a group can suspend (AWS `ScalingProcesses`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalingProcess {
    /// Launching instances (scale-out, replacement, rebalancing).
    Launch,
    /// Terminating instances (scale-in, replacement, rebalancing).
    Terminate,
    /// Registering new instances with the load balancer.
    AddToLoadBalancer,
    /// Invoking policies from alarms.
    AlarmNotification,
    /// Rebalancing instances across Availability Zones.
    AzRebalance,
    /// Marking instances unhealthy from health checks.
    HealthCheck,
    /// Instance refreshes.
    InstanceRefresh,
    /// Replacing instances marked unhealthy.
    ReplaceUnhealthy,
    /// Running scheduled actions.
    ScheduledActions,
}

impl ScalingProcess {
    /// The AWS spelling.
    pub fn aws_name(self) -> &'static str {
        match self {
            Self::Launch => "Launch",
            Self::Terminate => "Terminate",
            Self::AddToLoadBalancer => "AddToLoadBalancer",
            Self::AlarmNotification => "AlarmNotification",
            Self::AzRebalance => "AZRebalance",
            Self::HealthCheck => "HealthCheck",
            Self::InstanceRefresh => "InstanceRefresh",
            Self::ReplaceUnhealthy => "ReplaceUnhealthy",
            Self::ScheduledActions => "ScheduledActions",
        }
    }
}

/// When a lifecycle hook pauses an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifecycleTransition {
    /// `autoscaling:EC2_INSTANCE_LAUNCHING`: Pending:Wait before InService.
    Launching,
    /// `autoscaling:EC2_INSTANCE_TERMINATING`: Terminating:Wait after draining.
    Terminating,
}

/// A lifecycle action's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookResult {
    /// Carry on (launch: go InService; terminate: terminate).
    Continue,
    /// Give up (launch: terminate and replace the instance; terminate: terminate).
    Abandon,
}

/// One `[\[lifecycle_hooks\]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LifecycleHookConfig {
    /// Unique name.
    pub name: String,
    /// Launching or terminating.
    pub transition: LifecycleTransition,
    /// `HeartbeatTimeout` \[ms\] (default 3600 s, 30–7200 s).
    pub heartbeat_timeout_ms: SimDuration,
    /// `DefaultResult` on timeout (default ABANDON).
    pub default_result: HookResult,
    /// How long the hook's work takes before it completes the action; `None` means it never
    /// does (the timeout decides).
    pub work_time: Option<BootTime>,
    /// The result the work completes with (default CONTINUE).
    pub work_result: HookResult,
    /// Heartbeats the work records, one per this long, each restarting the timeout \[ms\].
    pub heartbeat_interval_ms: Option<SimDuration>,
    /// Or: the heartbeats it records, this long after the wait began, then no more \[ms\]
    /// (`heartbeats = ["30m"]`: a 1 h timeout then ends the wait at 90 min).
    pub heartbeats_ms: Vec<SimDuration>,
}

/// `\[failures\]`: what goes wrong on its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FailureConfig {
    /// Mean time between failures of one instance, exponential \[ms\]; `None` for none.
    pub instance_mtbf_ms: Option<SimDuration>,
    /// How long an impaired instance passes EC2 status checks before they fail \[ms\]
    /// (AWS tolerates an impaired status "for a few minutes"; default 3 minutes \[model\]).
    pub status_check_delay_ms: SimDuration,
    /// Chance that a launch fails (insufficient capacity), per attempt \[0–1\].
    pub launch_failure_probability: f64,
}

/// How an instance fails (`fail_instances` `mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureMode {
    /// It stops serving; EC2 status checks find it after `status_check_delay`, ELB checks too.
    Impaired,
    /// The application dies but EC2 sees nothing: only ELB health checks find it.
    Application,
    /// The instance is terminated under the group: found at once, grace period or not.
    Terminated,
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

/// An `instance_refresh` event (asg-semantics.md §10).
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceRefreshConfig {
    /// The new instance type, if it changes.
    pub instance_type: Option<String>,
    /// Its price \[USD per hour\], if it changes (required for a type outside the price table).
    pub price_per_hour_usd: Option<f64>,
    /// `MinHealthyPercentage` (default 90) \[%\].
    pub min_healthy_percentage: u32,
    /// `InstanceWarmup`; `None` means DefaultInstanceWarmup, else the grace period \[ms\].
    pub instance_warmup_ms: Option<SimDuration>,
    /// `CheckpointPercentages`, increasing, the last 100 if any \[%\].
    pub checkpoint_percentages: Vec<u32>,
    /// `CheckpointDelay` (default 3600 s) \[ms\].
    pub checkpoint_delay_ms: SimDuration,
}
