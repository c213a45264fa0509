//! The Auto Scaling group: its settings, its instances and their lifecycle, the AZs it
//! launches into, the termination policies, health checks and replacement, lifecycle hooks,
//! the warm pool and instance refresh. Each concern is a component that owns its state and
//! its rules; the run (`crate::sim`) moves instances between them.

mod config;
mod group;
mod health;
mod instance;
mod lifecycle;
mod termination;
mod zones;

pub use config::{
    BootTime, FailureConfig, FailureMode, GroupConfig, HealthCheckType, LaunchTemplate,
    MaintenancePolicy, ScalingProcess, TerminationPolicy, TerminationReason,
};
pub use group::Group;
pub use health::{Finding, Health, HealthEvent, replacement_batch};
pub use instance::{Instance, LifecycleState, instance_id};
pub use lifecycle::{
    HookResult, InstanceRefreshConfig, Lifecycle, LifecycleEvent, LifecycleHookConfig,
    LifecycleTransition, PoolState, REFRESH_NEEDS, Refresh, RefreshWait, WarmPoolConfig, Warmed,
    draw_ms, hook_cap_ms, hook_deadline_ms, hook_outcome, pool_az, pool_cost, pool_target,
    ready_instance, reuses, warm_pool_size,
};
pub use termination::{TerminationChoice, choose_among, choose_for_scale_in};
pub use zones::{ZoneEvent, Zones, rebalance_allowance};
