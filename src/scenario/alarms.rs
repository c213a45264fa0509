//! `[\[alarms\]]`: CloudWatch metric alarms, with CloudWatch's rules on periods and
//! datapoints, and actions resolved to scaling policies.

use std::collections::HashMap;

use super::fields::{Reader, unique_names};
use super::group::first_duplicate;
use super::model::{AlarmConfig, ComparisonOperator, MetricName, Statistic, TreatMissingData};
use super::policies::{PolicyRef, read_dimensions};
use crate::time::{MS_PER_DAY, MS_PER_MIN, SimDuration, format_duration};

const METRICS: [(&str, MetricName); 5] = [
    ("CPUUtilization", MetricName::CpuUtilization),
    ("NetworkIn", MetricName::NetworkIn),
    ("NetworkOut", MetricName::NetworkOut),
    ("RequestCountPerTarget", MetricName::RequestCountPerTarget),
    ("Latency", MetricName::Latency),
];

const STATISTICS: [(&str, Statistic); 5] = [
    ("Average", Statistic::Average),
    ("Sum", Statistic::Sum),
    ("Minimum", Statistic::Minimum),
    ("Maximum", Statistic::Maximum),
    ("SampleCount", Statistic::SampleCount),
];

const OPERATORS: [(&str, ComparisonOperator); 4] = [
    (
        "GreaterThanOrEqualToThreshold",
        ComparisonOperator::GreaterThanOrEqualToThreshold,
    ),
    (
        "GreaterThanThreshold",
        ComparisonOperator::GreaterThanThreshold,
    ),
    ("LessThanThreshold", ComparisonOperator::LessThanThreshold),
    (
        "LessThanOrEqualToThreshold",
        ComparisonOperator::LessThanOrEqualToThreshold,
    ),
];

const MISSING_DATA: [(&str, TreatMissingData); 4] = [
    ("missing", TreatMissingData::Missing),
    ("ignore", TreatMissingData::Ignore),
    ("breaching", TreatMissingData::Breaching),
    ("notBreaching", TreatMissingData::NotBreaching),
];

/// Reads every alarm; `policies` are the scaling policies' entries in file order.
pub(super) fn read_alarms(r: &mut Reader<'_>, policies: &[PolicyRef]) -> Option<Vec<AlarmConfig>> {
    let entries = r.entries("alarms");
    unique_names(&entries, "alarm");
    let policies = Policies::new(policies);
    let alarms: Vec<Option<AlarmConfig>> = entries
        .into_iter()
        .map(|e| read_alarm(e, &policies))
        .collect();
    alarms.into_iter().collect()
}

/// The scaling policies with a name index, built once for all alarms (thousands of alarms
/// naming thousands of policies stay linear).
struct Policies<'p> {
    list: &'p [PolicyRef],
    /// The first policy of each name.
    by_name: HashMap<&'p str, usize>,
}

impl<'p> Policies<'p> {
    fn new(list: &'p [PolicyRef]) -> Self {
        let mut by_name = HashMap::with_capacity(list.len());
        for (i, policy) in list.iter().enumerate() {
            by_name.entry(policy.name.as_str()).or_insert(i);
        }
        Self { list, by_name }
    }
}

fn read_alarm(mut e: Reader<'_>, policies: &Policies<'_>) -> Option<AlarmConfig> {
    let name = read_name(&mut e);
    let metric_name = e.choice("metric_name", &METRICS).required();
    let namespace = read_namespace(&mut e, metric_name);
    let dimensions = read_dimensions(&mut e, "dimensions");
    let statistic = e.choice("statistic", &STATISTICS).or(Statistic::Average);
    let period_ms = read_period(&mut e);
    let (evaluation_periods, datapoints_to_alarm) = read_datapoints(&mut e, period_ms);
    let threshold = e.number("threshold").required();
    let comparison_operator = e.choice("comparison_operator", &OPERATORS).required();
    let treat_missing_data = e
        .choice("treat_missing_data", &MISSING_DATA)
        .or(TreatMissingData::Missing);
    let alarm_actions = read_actions(&mut e, policies);
    e.finish();
    namespace?;
    dimensions?;
    Some(AlarmConfig {
        name: name?,
        metric_name: metric_name?,
        statistic: statistic?,
        period_ms: period_ms?,
        evaluation_periods: evaluation_periods?,
        datapoints_to_alarm: datapoints_to_alarm?,
        threshold: threshold?,
        comparison_operator: comparison_operator?,
        treat_missing_data: treat_missing_data?,
        alarm_actions: alarm_actions?,
        metric_label: None,
    })
}

/// `name`, or `alarm_name` as AWS prints it (both only when they agree).
fn read_name(e: &mut Reader<'_>) -> Option<String> {
    let aws = e.name("alarm_name").optional();
    let ours = e.name("name");
    let aws = aws?;
    match (ours.is_present(), aws) {
        (false, Some(aws)) => Some(aws),
        (true, Some(aws)) => {
            let ours = ours.required()?;
            if ours != aws {
                e.report(
                    "alarm_name",
                    format!("alarm_name {aws:?} differs from name {ours:?}; give one of them (alarm_name is AWS's spelling of name)"),
                );
                return None;
            }
            Some(ours)
        }
        (_, None) => ours.required(),
    }
}

/// The CloudWatch namespace each metric an alarm can watch is published in.
fn namespace_of(metric: MetricName) -> &'static str {
    match metric {
        MetricName::RequestCountPerTarget => "AWS/ApplicationELB",
        MetricName::Latency => "AWS/ELB",
        _ => "AWS/EC2",
    }
}

/// `namespace`, as AWS prints it: optional, and when given, the one the metric is published in.
fn read_namespace(e: &mut Reader<'_>, metric: Option<MetricName>) -> Option<()> {
    let expected = metric.map(namespace_of);
    e.name("namespace")
        .check(
            |ns| expected.is_none_or(|x| x == ns),
            |ns| {
                let metric = metric.map_or("", MetricName::aws_name);
                format!(
                    "{metric} of the group is published in {}, not {ns}; asgsim models the group's own metrics (and the load balancer's)",
                    expected.unwrap_or_default()
                )
            },
        )
        .optional()
        .map(|_| ())
}

/// `period`: a positive multiple of 60 s (high-resolution periods are not modelled).
fn read_period(e: &mut Reader<'_>) -> Option<SimDuration> {
    e.duration("period")
        .check(
            |ms| *ms > 0 && ms % MS_PER_MIN == 0,
            |ms| {
                if [10_000, 20_000, 30_000].contains(ms) {
                    "high-resolution alarms (periods of 10, 20 or 30 s) are not modelled; use a multiple of 60s".to_string()
                } else {
                    format!("{} is not a multiple of 60s; CloudWatch alarm periods are 60s, 120s, 5m, ...", format_duration(*ms))
                }
            },
        )
        .or(MS_PER_MIN)
}

/// `evaluation_periods` (N ≥ 1) and `datapoints_to_alarm` (1 ≤ M ≤ N, default N), with
/// N × period ≤ 1 day.
fn read_datapoints(
    e: &mut Reader<'_>,
    period_ms: Option<SimDuration>,
) -> (Option<u32>, Option<u32>) {
    let at_least_one = |m: &u32| *m >= 1;
    let must_be_one = |m: &u32| format!("must be ≥ 1, found {m}");
    let n = e
        .count("evaluation_periods")
        .check(at_least_one, must_be_one)
        .required();
    let m = e
        .count("datapoints_to_alarm")
        .check(at_least_one, must_be_one)
        .optional();
    let Some(n) = n else {
        return (None, m.flatten());
    };
    if let Some(period) = period_ms {
        let window = u64::from(n).saturating_mul(period);
        if window > MS_PER_DAY {
            e.report(
                "evaluation_periods",
                format!(
                    "evaluation_periods {n} × period {} = {} exceeds 1 day, the longest window CloudWatch evaluates",
                    format_duration(period),
                    format_duration(window)
                ),
            );
            return (None, None);
        }
    }
    match m {
        Some(Some(m)) if m > n => {
            e.report(
                "datapoints_to_alarm",
                format!("datapoints_to_alarm {m} must not exceed evaluation_periods {n}, as AWS requires"),
            );
            (Some(n), None)
        }
        Some(m) => (Some(n), Some(m.unwrap_or(n))),
        None => (Some(n), None),
    }
}

/// `alarm_actions`: names of scaling policies, stored as their indices. Target-tracking and
/// predictive policies cannot be named: AWS creates and manages their alarms.
fn read_actions(e: &mut Reader<'_>, policies: &Policies<'_>) -> Option<Vec<usize>> {
    let names = e.string_list("alarm_actions").or_else(Vec::new)?;
    let mut indices = Vec::new();
    for name in &names {
        match policies.by_name.get(name.as_str()).copied() {
            Some(i) => match policies.list[i].policy_type {
                Some(t) if t.has_managed_alarms() => {
                    e.report(
                        "alarm_actions",
                        format!("{name} is a {} policy; AWS creates and manages the alarms of target-tracking and predictive policies, so no alarm may name it in alarm_actions", t.aws_name()),
                    );
                }
                _ => indices.push(i),
            },
            None => e.report("alarm_actions", unknown_policy(name, policies.list)),
        }
    }
    if let Some(dup) = first_duplicate(&names) {
        e.report("alarm_actions", format!("{dup} is listed twice"));
        return None;
    }
    (indices.len() == names.len()).then_some(indices)
}

fn unknown_policy(name: &str, policies: &[PolicyRef]) -> String {
    let known: Vec<&str> = policies
        .iter()
        .map(|p| p.name.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    if known.is_empty() {
        return format!(
            "no scaling policy is named {name}; the scenario has no [[scaling_policies]] with a name"
        );
    }
    let hint = crate::suggest::did_you_mean(name, &known)
        .map(|d| format!("\n{d}"))
        .unwrap_or_default();
    format!(
        "no scaling policy is named {name}{hint}\nthe policies are: {}",
        known.join(", ")
    )
}
