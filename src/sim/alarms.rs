//! The alarms a run evaluates: the scenario's own, plus the two that AWS manages for each
//! target-tracking policy (asg-semantics.md §3.4).

use crate::cloudwatch::{
    AlarmConfig, ComparisonOperator, MetricName, Monitoring, Statistic, TreatMissingData,
};

use crate::policy::{PolicyKind, TargetTrackingPolicy, TrackedMetric};

use crate::sim::Scenario;
use crate::time::{MS_PER_MIN, SimDuration};

/// Who an alarm belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AlarmOwner {
    /// A `[\[alarms\]]` entry; its actions name policies.
    User,
    /// The high alarm of target-tracking policy `.0`.
    TargetTrackingHigh(usize),
    /// The low alarm of target-tracking policy `.0`.
    TargetTrackingLow(usize),
}

/// An alarm as the run evaluates it.
#[derive(Debug, Clone)]
pub(crate) struct SimAlarm {
    pub(crate) config: AlarmConfig,
    pub(crate) owner: AlarmOwner,
    /// EC2 metrics of step and target-tracking policies leave warming instances out.
    pub(crate) exclude_warming: bool,
}

/// Datapoints of the managed high alarm: 3 of 3 periods above the target.
const HIGH_DATAPOINTS: u32 = 3;
/// Datapoints of the managed low alarm: 15 of 15 periods below ratio × target.
const LOW_DATAPOINTS: u32 = 15;

/// The names of every alarm of a run, in timeline column order.
pub fn alarm_names(scenario: &Scenario) -> Vec<String> {
    build_alarms(scenario)
        .into_iter()
        .map(|a| a.config.name)
        .collect()
}

/// The metric and statistic a target-tracking policy's alarms watch; a customized metric is
/// the load trace's extra column.
pub(crate) fn tracked_metric(metric: &TrackedMetric) -> Option<(MetricName, Statistic)> {
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

fn target_tracking_alarms(
    p: usize,
    name: &str,
    tt: &TargetTrackingPolicy,
    monitoring: &Monitoring,
) -> Vec<SimAlarm> {
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
        SimAlarm {
            config: high,
            owner: AlarmOwner::TargetTrackingHigh(p),
            exclude_warming,
        },
        SimAlarm {
            config: low,
            owner: AlarmOwner::TargetTrackingLow(p),
            exclude_warming,
        },
    ]
}

/// The scenario's alarms, then two managed alarms per target-tracking policy.
pub(crate) fn build_alarms(scenario: &Scenario) -> Vec<SimAlarm> {
    let policies = &scenario.scaling_policies;
    let mut alarms: Vec<SimAlarm> = scenario
        .alarms
        .iter()
        .map(|config| SimAlarm {
            exclude_warming: config.metric_name.is_ec2()
                && config
                    .alarm_actions
                    .iter()
                    .any(|p| matches!(policies[*p].kind, PolicyKind::Step(_))),
            config: config.clone(),
            owner: AlarmOwner::User,
        })
        .collect();
    for (p, policy) in policies.iter().enumerate() {
        if let PolicyKind::TargetTracking(tt) = &policy.kind {
            let monitoring = &scenario.monitoring;
            alarms.extend(target_tracking_alarms(p, &policy.name, tt, monitoring));
        }
    }
    alarms
}

/// Warm-up of a step or target-tracking policy: EstimatedInstanceWarmup, else the group's
/// DefaultInstanceWarmup, else DefaultCooldown \[ms\].
pub(crate) fn policy_warmup_ms(scenario: &Scenario, kind: &PolicyKind) -> Option<SimDuration> {
    let own = match kind {
        PolicyKind::Step(s) => s.estimated_instance_warmup_ms,
        PolicyKind::TargetTracking(t) => t.estimated_instance_warmup_ms,
        PolicyKind::Simple(_) | PolicyKind::Predictive(_) => return None,
    };
    let g = &scenario.group;
    Some(
        own.or(g.default_instance_warmup_ms)
            .unwrap_or(g.default_cooldown_ms),
    )
}

/// How long a new InService instance stays out of aggregated EC2 metrics: the group's
/// DefaultInstanceWarmup, else the shortest warm-up of its step and target-tracking policies,
/// else none \[model\].
pub(crate) fn metric_warmup_ms(scenario: &Scenario) -> SimDuration {
    if let Some(w) = scenario.group.default_instance_warmup_ms {
        return w;
    }
    scenario
        .scaling_policies
        .iter()
        .filter_map(|p| policy_warmup_ms(scenario, &p.kind))
        .min()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Managed alarms take the period of the metric's datapoints: 5 minutes only for an EC2
    /// metric under basic monitoring.
    #[test]
    fn managed_periods_follow_the_metric() {
        let tt = |metric: &str, detailed: bool| {
            let text = format!(
                "name = \"t\"\nduration = \"1h\"\n[group]\nmin_size = 1\nmax_size = 4\n\
                 [launch_template]\ncapacity_rps = 100\n[load]\npattern = {{ kind = \"constant\", rate = 100 }}\n\
                 [monitoring]\ndetailed = {detailed}\n[[scaling_policies]]\nname = \"p\"\n\
                 policy_type = \"TargetTrackingScaling\"\n\
                 target_tracking_configuration = {{ predefined_metric_type = \"{metric}\", target_value = 50 }}\n"
            );
            let origin = std::path::Path::new("scenarios/t.toml");
            let scenario = crate::scenario::parse_scenario(&text, origin, &[]).unwrap();
            let alarms = build_alarms(&scenario);
            let periods: Vec<_> = alarms.iter().map(|a| a.config.period_ms).collect();
            let points: Vec<_> = alarms.iter().map(|a| a.config.evaluation_periods).collect();
            assert_eq!(points, [HIGH_DATAPOINTS, LOW_DATAPOINTS]);
            periods
        };
        assert_eq!(tt("ASGAverageCPUUtilization", false), [300_000; 2]);
        assert_eq!(tt("ASGAverageNetworkOut", false), [300_000; 2]);
        assert_eq!(tt("ASGAverageCPUUtilization", true), [60_000; 2]);
        assert_eq!(tt("ALBRequestCountPerTarget", false), [60_000; 2]);
    }
}
