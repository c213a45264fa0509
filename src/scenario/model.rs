//! The types a scenario file is parsed into. They belong to the domain modules (the group,
//! CloudWatch, policies, the load) and to the simulation (the assembled [`Scenario`]); the file
//! format only reads TOML into them, so they are re-exported here for its readers and tests.

pub use crate::asg::{
    BootTime, FailureConfig, FailureMode, GroupConfig, HealthCheckType, HookResult,
    InstanceOverride, InstanceRefreshConfig, InstancesDistribution, LaunchTemplate,
    LifecycleHookConfig, LifecycleTransition, MaintenancePolicy, MixedInstancesPolicy,
    OnDemandStrategy, PoolState, ScalingProcess, SpotConfig, SpotPoolConfig, SpotStrategy,
    TerminationPolicy, WarmPoolConfig,
};
pub use crate::cloudwatch::{
    AlarmConfig, ComparisonOperator, MetricName, Monitoring, Statistic, TreatMissingData,
};
pub use crate::policy::{
    AdjustmentType, PolicyConfig, PolicyKind, PredictiveMetric, PredictiveMode, PredictivePolicy,
    ScheduledActionConfig, SimplePolicy, StepAdjustment, StepPolicy, TargetTrackingPolicy,
    TrackedMetric,
};
pub use crate::sim::{EventAction, Scenario, ScriptedEvent};
pub use crate::trace::{LoadConfig, LoadSource, Pattern};
pub use crate::workload::{LoadBalancer, Routing, Slo};
