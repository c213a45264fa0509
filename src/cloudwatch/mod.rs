//! CloudWatch as the group sees it: per-period metric datapoints that arrive late, and alarms
//! that evaluate them every minute.

mod alarm;
mod bits;
mod config;
pub mod describe;
mod metrics;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests_basic;
mod watch;

pub use alarm::{
    AlarmEvaluation, AlarmRuntime, Tally, decide, evaluate_points, evaluation_range_len,
};
pub use config::{
    AlarmConfig, AlarmState, ComparisonOperator, MetricName, Monitoring, Statistic,
    TreatMissingData,
};
pub use metrics::{Bucket, BucketLog, MetricQuery, MetricUnits};
pub use watch::{CloudWatch, WatchedAlarm};
