//! The group: capacity bounds, instances and their lifecycle, AZ choice, termination policies.

mod config;
mod group;
mod instance;
mod lifecycle_config;
mod termination;

pub use config::{
    BootTime, FailureConfig, FailureMode, GroupConfig, HealthCheckType, LaunchTemplate,
    MaintenancePolicy, ScalingProcess, TerminationPolicy, TerminationReason,
};
pub use group::Group;
pub use instance::{Instance, Lifecycle, instance_id};
pub use lifecycle_config::{
    HookResult, InstanceRefreshConfig, LifecycleHookConfig, LifecycleTransition, PoolState,
    WarmPoolConfig,
};
pub use termination::{TerminationChoice, choose_among, choose_for_scale_in};
