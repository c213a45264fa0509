//! What an importer found, in AWS's terms, before it is written as a scenario: the group,
//! its launch template, policies, alarms, schedules, hooks and warm pool, each with the place
//! it came from. The AWS and Terraform importers both fill an [`ImportedGroup`]; one renderer
//! writes it (see [`super::render`]).

/// A group as an importer found it. Durations are whole seconds, as AWS gives them.
#[derive(Debug, Clone, Default)]
pub(crate) struct ImportedGroup {
    /// The group's name (`AutoScalingGroupName`, Terraform's `name`).
    pub(crate) name: String,
    /// Where the group came from, for the `[group]` comment.
    pub(crate) source: String,
    /// What the files were, for the scenario's first comment (`the AWS CLI's JSON (...)`).
    pub(crate) origin: String,
    /// `MinSize`.
    pub(crate) min_size: u64,
    /// `MaxSize`.
    pub(crate) max_size: u64,
    /// `DesiredCapacity`.
    pub(crate) desired_capacity: Option<u64>,
    /// `DefaultCooldown` \[s\].
    pub(crate) default_cooldown_s: Option<u64>,
    /// `DefaultInstanceWarmup` \[s\].
    pub(crate) default_instance_warmup_s: Option<u64>,
    /// `HealthCheckType`.
    pub(crate) health_check_type: Option<String>,
    /// `HealthCheckGracePeriod` \[s\].
    pub(crate) health_check_grace_period_s: Option<u64>,
    /// `TerminationPolicies`.
    pub(crate) termination_policies: Vec<String>,
    /// `NewInstancesProtectedFromScaleIn`.
    pub(crate) protected_from_scale_in: Option<bool>,
    /// `MaxInstanceLifetime` \[s\].
    pub(crate) max_instance_lifetime_s: Option<u64>,
    /// `InstanceMaintenancePolicy` (min, max healthy percentage), when set.
    pub(crate) instance_maintenance_policy: Option<(i64, i64)>,
    /// `SuspendedProcesses[].ProcessName`.
    pub(crate) suspended_processes: Vec<String>,
    /// Availability Zones, and how they were found.
    pub(crate) availability_zones: Vec<String>,
    /// Where the zones came from (`AvailabilityZones`, or the subnets).
    pub(crate) zones_source: String,
    /// The launch template, when found.
    pub(crate) template: Option<ImportedTemplate>,
    /// Scaling policies, in the order found.
    pub(crate) policies: Vec<ImportedPolicy>,
    /// Alarms that invoke the policies.
    pub(crate) alarms: Vec<ImportedAlarm>,
    /// Scheduled actions.
    pub(crate) schedules: Vec<ImportedSchedule>,
    /// Lifecycle hooks.
    pub(crate) hooks: Vec<ImportedHook>,
    /// The warm pool.
    pub(crate) warm_pool: Option<ImportedWarmPool>,
}

/// The launch template version the group uses.
#[derive(Debug, Clone, Default)]
pub(crate) struct ImportedTemplate {
    /// Where it came from.
    pub(crate) source: String,
    /// `InstanceType`.
    pub(crate) instance_type: Option<String>,
    /// `Monitoring.Enabled` (detailed monitoring); `None` when the template does not say.
    pub(crate) detailed_monitoring: Option<bool>,
}

/// One scaling policy.
#[derive(Debug, Clone)]
pub(crate) struct ImportedPolicy {
    /// `PolicyName`.
    pub(crate) name: String,
    /// `PolicyARN`, when known (alarms name policies by it).
    pub(crate) arn: Option<String>,
    /// Where it came from.
    pub(crate) source: String,
    /// `Enabled`.
    pub(crate) enabled: Option<bool>,
    /// The type and its settings.
    pub(crate) kind: ImportedPolicyKind,
}

/// A step adjustment: (`MetricIntervalLowerBound`, `MetricIntervalUpperBound`,
/// `ScalingAdjustment`); an unset bound is open.
pub(crate) type ImportedStep = (Option<f64>, Option<f64>, i64);

/// A policy's type and settings.
#[derive(Debug, Clone)]
pub(crate) enum ImportedPolicyKind {
    /// `SimpleScaling`.
    Simple {
        /// `AdjustmentType`.
        adjustment_type: String,
        /// `ScalingAdjustment`.
        scaling_adjustment: i64,
        /// `Cooldown` \[s\].
        cooldown_s: Option<u64>,
        /// `MinAdjustmentMagnitude`.
        min_adjustment_magnitude: Option<u64>,
    },
    /// `StepScaling`.
    Step {
        /// `AdjustmentType`.
        adjustment_type: String,
        /// The steps.
        steps: Vec<ImportedStep>,
        /// `MinAdjustmentMagnitude`.
        min_adjustment_magnitude: Option<u64>,
        /// `MetricAggregationType`.
        metric_aggregation_type: Option<String>,
        /// `EstimatedInstanceWarmup` \[s\].
        estimated_instance_warmup_s: Option<u64>,
    },
    /// `TargetTrackingScaling`.
    TargetTracking {
        /// The tracked metric.
        metric: TrackedSpec,
        /// `TargetValue`.
        target_value: f64,
        /// `DisableScaleIn`.
        disable_scale_in: Option<bool>,
        /// `EstimatedInstanceWarmup` \[s\].
        estimated_instance_warmup_s: Option<u64>,
        /// The managed low alarm's threshold over the target, when its alarm was seen.
        scale_in_ratio: Option<f64>,
    },
    /// `PredictiveScaling`.
    Predictive {
        /// The metric pair (`ASGCPUUtilization`, `ALBRequestCount`, ...).
        metric_pair: String,
        /// `TargetValue`.
        target_value: f64,
        /// `Mode`.
        mode: Option<String>,
        /// `SchedulingBufferTime` \[s\].
        scheduling_buffer_time_s: Option<u64>,
        /// `MaxCapacityBreachBehavior`.
        max_capacity_breach_behavior: Option<String>,
        /// `MaxCapacityBuffer` \[%\].
        max_capacity_buffer: Option<u64>,
    },
}

/// A target-tracking metric.
#[derive(Debug, Clone)]
pub(crate) enum TrackedSpec {
    /// `PredefinedMetricSpecification`.
    Predefined {
        /// `PredefinedMetricType`.
        metric_type: String,
        /// `ResourceLabel`.
        resource_label: Option<String>,
    },
    /// `CustomizedMetricSpecification` (one metric, no math).
    Customized {
        /// `MetricName`.
        metric_name: String,
        /// `Namespace`.
        namespace: Option<String>,
        /// `Dimensions` (name, value).
        dimensions: Vec<(String, String)>,
        /// `Statistic`.
        statistic: Option<String>,
        /// `Unit`.
        unit: Option<String>,
    },
}

/// An alarm that invokes scaling policies.
#[derive(Debug, Clone)]
pub(crate) struct ImportedAlarm {
    /// `AlarmName`.
    pub(crate) name: String,
    /// Where it came from.
    pub(crate) source: String,
    /// `Namespace`.
    pub(crate) namespace: Option<String>,
    /// The metric as asgsim names it (`CPUUtilization`, `Latency`, ...).
    pub(crate) metric_name: String,
    /// `Dimensions` (name, value).
    pub(crate) dimensions: Vec<(String, String)>,
    /// `Statistic`.
    pub(crate) statistic: Option<String>,
    /// `Period` \[s\].
    pub(crate) period_s: Option<u64>,
    /// `EvaluationPeriods`.
    pub(crate) evaluation_periods: u64,
    /// `DatapointsToAlarm`.
    pub(crate) datapoints_to_alarm: Option<u64>,
    /// `Threshold`.
    pub(crate) threshold: f64,
    /// `ComparisonOperator`.
    pub(crate) comparison_operator: String,
    /// `TreatMissingData`.
    pub(crate) treat_missing_data: Option<String>,
    /// The names of the policies it invokes.
    pub(crate) actions: Vec<String>,
}

/// A scheduled action.
#[derive(Debug, Clone, Default)]
pub(crate) struct ImportedSchedule {
    /// `ScheduledActionName`.
    pub(crate) name: String,
    /// Where it came from.
    pub(crate) source: String,
    /// `Recurrence`.
    pub(crate) recurrence: Option<String>,
    /// `TimeZone`.
    pub(crate) time_zone: Option<String>,
    /// `StartTime` (UTC, `YYYY-MM-DDTHH:MM:SSZ`), for one-off actions.
    pub(crate) start_time: Option<String>,
    /// `EndTime`.
    pub(crate) end_time: Option<String>,
    /// `MinSize`.
    pub(crate) min_size: Option<u64>,
    /// `MaxSize`.
    pub(crate) max_size: Option<u64>,
    /// `DesiredCapacity`.
    pub(crate) desired_capacity: Option<u64>,
}

/// A lifecycle hook.
#[derive(Debug, Clone, Default)]
pub(crate) struct ImportedHook {
    /// `LifecycleHookName`.
    pub(crate) name: String,
    /// Where it came from.
    pub(crate) source: String,
    /// `LifecycleTransition`.
    pub(crate) transition: String,
    /// `HeartbeatTimeout` \[s\].
    pub(crate) heartbeat_timeout_s: Option<u64>,
    /// `DefaultResult`.
    pub(crate) default_result: Option<String>,
}

/// A warm pool.
#[derive(Debug, Clone, Default)]
pub(crate) struct ImportedWarmPool {
    /// Where it came from.
    pub(crate) source: String,
    /// `MinSize`.
    pub(crate) min_size: Option<u64>,
    /// `MaxGroupPreparedCapacity` (-1 for unset).
    pub(crate) max_group_prepared_capacity: Option<i64>,
    /// `PoolState`.
    pub(crate) pool_state: Option<String>,
    /// `InstanceReusePolicy.ReuseOnScaleIn`.
    pub(crate) reuse_on_scale_in: Option<bool>,
}

/// The metrics an alarm can watch, by CloudWatch namespace and name, as asgsim names them;
/// `None` for a metric asgsim does not model.
pub(crate) fn alarm_metric(namespace: Option<&str>, metric: &str) -> Option<&'static str> {
    match (namespace.unwrap_or("AWS/EC2"), metric) {
        ("AWS/EC2", "CPUUtilization") => Some("CPUUtilization"),
        ("AWS/EC2", "NetworkIn") => Some("NetworkIn"),
        ("AWS/EC2", "NetworkOut") => Some("NetworkOut"),
        ("AWS/ApplicationELB", "RequestCountPerTarget") => Some("RequestCountPerTarget"),
        ("AWS/ELB", "Latency") => Some("Latency"),
        _ => None,
    }
}
