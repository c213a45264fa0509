//! What holds instances in the lifecycle: lifecycle hooks, the warm pool and instance refresh
//! (API `PutLifecycleHook`, `PutWarmPool`, `StartInstanceRefresh`).

use crate::asg::BootTime;
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

/// `\[warm_pool\]` (UG: ec2-auto-scaling-warm-pools).
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

/// An `instance_refresh` event (UG: asg-instance-refresh).
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
