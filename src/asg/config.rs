//! What the group is: capacity bounds and group-level settings, the launch template, the
//! processes that can be suspended, random failures, and why an instance ends (API
//! `CreateAutoScalingGroup`, `SuspendProcesses`; UG: ec2-auto-scaling-termination-policies).

use crate::time::SimDuration;

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
    /// `CapacityRebalance`: on a Spot rebalance recommendation, launch a replacement first
    /// (UG: ec2-auto-scaling-capacity-rebalancing).
    pub capacity_rebalance: bool,
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

/// Why an instance was terminated (`instances.csv` column `termination_reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminationReason {
    /// Scale-in by a policy, schedule or capacity change.
    ScaleIn,
    /// Found unhealthy and replaced.
    Unhealthy,
    /// Removed to rebalance AZs.
    AzRebalance,
    /// Reached MaxInstanceLifetime.
    MaxInstanceLifetime,
    /// Replaced by an instance refresh.
    InstanceRefresh,
    /// A launch lifecycle hook abandoned it.
    LifecycleAbandon,
    /// Spot capacity was reclaimed.
    SpotInterruption,
    /// Replaced early by Capacity Rebalancing, after a rebalance recommendation.
    CapacityRebalance,
}

impl TerminationReason {
    /// The spelling in `instances.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ScaleIn => "scale_in",
            Self::Unhealthy => "unhealthy",
            Self::AzRebalance => "az_rebalance",
            Self::MaxInstanceLifetime => "max_instance_lifetime",
            Self::InstanceRefresh => "instance_refresh",
            Self::LifecycleAbandon => "lifecycle_abandon",
            Self::SpotInterruption => "spot_interruption",
            Self::CapacityRebalance => "capacity_rebalance",
        }
    }
}
