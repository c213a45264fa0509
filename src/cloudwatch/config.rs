//! What an alarm is: the metrics it can watch, its statistic, comparison and missing-data
//! rule, its states, and the monitoring that publishes its datapoints (CloudWatch API
//! `PutMetricAlarm`; CloudWatch UG: AlarmThatSendsEmail).

use crate::time::SimDuration;

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
    /// Indices of the scaling policies (in scenario order) invoked while in ALARM.
    pub alarm_actions: Vec<usize>,
    /// The name a customized metric is shown by (`ApproximateNumberOfMessagesVisible`).
    pub metric_label: Option<String>,
}

/// State of a CloudWatch alarm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlarmState {
    /// Not breaching.
    Ok,
    /// Breaching in M of the last N datapoints.
    Alarm,
    /// Too little data to decide (the state of a new alarm).
    InsufficientData,
}

impl AlarmState {
    /// The CloudWatch spelling, as in `timeline.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::Alarm => "ALARM",
            Self::InsufficientData => "INSUFFICIENT_DATA",
        }
    }
}
