//! Target tracking arithmetic (UG: as-scaling-target-tracking; \[model\] consistent with AWS's rounding):
//! R = C × metric / target with C the capacity that is not warming up; the new desired capacity
//! is ⌈R⌉, which adds ⌈needed⌉ and removes ⌊surplus⌋; and the two alarms AWS manages for each
//! target-tracking policy.

use crate::cloudwatch::{
    AlarmConfig, ComparisonOperator, MetricName, Monitoring, Statistic, TreatMissingData,
    WatchedAlarm,
};
use crate::time::{MS_PER_MIN, SimDuration};

use super::{TargetTrackingPolicy, TrackedMetric};

/// Datapoints of the managed high alarm: 3 of 3 periods above the target.
const HIGH_DATAPOINTS: u32 = 3;
/// Datapoints of the managed low alarm: 15 of 15 periods below ratio × target.
const LOW_DATAPOINTS: u32 = 15;

/// The metric and statistic a target-tracking policy's alarms watch; a customized metric is
/// the load trace's extra column.
pub fn tracked_metric(metric: &TrackedMetric) -> Option<(MetricName, Statistic)> {
    match metric {
        TrackedMetric::AsgAverageCpuUtilization => {
            Some((MetricName::CpuUtilization, Statistic::Average))
        }
        TrackedMetric::AsgAverageNetworkIn => Some((MetricName::NetworkIn, Statistic::Average)),
        TrackedMetric::AsgAverageNetworkOut => Some((MetricName::NetworkOut, Statistic::Average)),
        TrackedMetric::AlbRequestCountPerTarget => {
            Some((MetricName::RequestCountPerTarget, Statistic::Sum))
        }
        TrackedMetric::Custom { per_instance, .. } => Some((
            if *per_instance {
                MetricName::CustomColumnPerInstance
            } else {
                MetricName::CustomColumn
            },
            Statistic::Average,
        )),
    }
}

/// The period of a managed alarm on `metric` \[ms\]: the metric's own, so that each period
/// holds one datapoint. EC2 metrics under basic monitoring are 5-minute data, and target
/// tracking then responds more slowly (UG as-scaling-target-tracking); load-balancer and
/// customized metrics are 1-minute.
fn managed_period_ms(metric: MetricName, monitoring: &Monitoring) -> SimDuration {
    if metric.is_ec2() {
        monitoring.resolution_ms()
    } else {
        MS_PER_MIN
    }
}

fn managed(
    name: String,
    tt: &TargetTrackingPolicy,
    monitoring: &Monitoring,
    (threshold, above): (f64, bool),
    datapoints: u32,
) -> Option<AlarmConfig> {
    let metric = tracked_metric(&tt.metric)?;
    let metric_label = match &tt.metric {
        TrackedMetric::Custom { metric_name, .. } => Some(metric_name.clone()),
        _ => None,
    };
    Some(AlarmConfig {
        name,
        metric_name: metric.0,
        statistic: metric.1,
        period_ms: managed_period_ms(metric.0, monitoring),
        evaluation_periods: datapoints,
        datapoints_to_alarm: datapoints,
        threshold,
        comparison_operator: if above {
            ComparisonOperator::GreaterThanThreshold
        } else {
            ComparisonOperator::LessThanThreshold
        },
        treat_missing_data: TreatMissingData::Missing,
        alarm_actions: Vec::new(),
        metric_label,
    })
}

/// The two alarms AWS creates for target-tracking policy `name` (UG: as-scaling-target-tracking:
/// "TargetTracking-…-AlarmHigh-…" and "…-AlarmLow-…"): above the target for 3 of 3 periods,
/// below `scale_in_ratio` × target for 15 of 15 \[observed\]; EC2 metrics leave warming
/// instances out. Empty when the metric cannot be tracked.
pub fn managed_alarms(
    name: &str,
    tt: &TargetTrackingPolicy,
    monitoring: &Monitoring,
) -> Vec<WatchedAlarm> {
    let Some(metric) = tracked_metric(&tt.metric) else {
        return Vec::new();
    };
    let exclude_warming = metric.0.is_ec2();
    let high = format!("TargetTracking-{name}-AlarmHigh");
    let above = (tt.target_value, true);
    let Some(high) = managed(high, tt, monitoring, above, HIGH_DATAPOINTS) else {
        return Vec::new();
    };
    let low = format!("TargetTracking-{name}-AlarmLow");
    let below = (tt.target_value * tt.scale_in_ratio, false);
    let Some(low) = managed(low, tt, monitoring, below, LOW_DATAPOINTS) else {
        return Vec::new();
    };
    vec![
        WatchedAlarm {
            config: high,
            exclude_warming,
        },
        WatchedAlarm {
            config: low,
            exclude_warming,
        },
    ]
}

/// ⌈C × metric / target⌉ \[instances\]; `None` for a non-positive target or a bad metric.
pub fn target_capacity(non_warming_capacity: u32, metric: f64, target: f64) -> Option<i64> {
    if target <= 0.0 || !metric.is_finite() || metric < 0.0 {
        return None;
    }
    let r = f64::from(non_warming_capacity) * metric / target;
    // Guard against 6.000000001 becoming 7 from float noise.
    Some((r - 1e-9).ceil().max(0.0) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_examples_of_12_6() {
        assert_eq!(target_capacity(4, 75.0, 50.0), Some(6));
        assert_eq!(target_capacity(10, 20.0, 50.0), Some(4));
        // Need 1.5 more ⇒ add 2; surplus 1.5 ⇒ remove 1.
        assert_eq!(target_capacity(3, 75.0, 50.0), Some(5));
        assert_eq!(target_capacity(4, 31.25, 50.0), Some(3));
        assert_eq!(target_capacity(4, 50.0, 0.0), None);
    }

    /// Managed alarms take the period of the metric's datapoints: 5 minutes only for an EC2
    /// metric under basic monitoring (UG: as-scaling-target-tracking, "basic monitoring").
    #[test]
    fn managed_periods_follow_the_metric() {
        let periods = |metric: TrackedMetric, detailed: bool| {
            let tt = TargetTrackingPolicy {
                metric,
                target_value: 50.0,
                disable_scale_in: false,
                estimated_instance_warmup_ms: None,
                scale_in_ratio: 0.7,
            };
            let monitoring = Monitoring {
                detailed,
                metric_delay_ms: 120_000,
            };
            let alarms = managed_alarms("p", &tt, &monitoring);
            let points: Vec<_> = alarms.iter().map(|a| a.config.evaluation_periods).collect();
            assert_eq!(points, [HIGH_DATAPOINTS, LOW_DATAPOINTS]);
            assert_eq!(alarms[0].config.name, "TargetTracking-p-AlarmHigh");
            assert_eq!(alarms[1].config.threshold, 35.0, "0.7 × 50");
            alarms
                .iter()
                .map(|a| a.config.period_ms)
                .collect::<Vec<_>>()
        };
        use TrackedMetric::*;
        assert_eq!(periods(AsgAverageCpuUtilization, false), [300_000; 2]);
        assert_eq!(periods(AsgAverageNetworkOut, false), [300_000; 2]);
        assert_eq!(periods(AsgAverageCpuUtilization, true), [60_000; 2]);
        assert_eq!(periods(AlbRequestCountPerTarget, false), [60_000; 2]);
    }
}
