//! Tests of alarm evaluation: the CloudWatch user guide's evaluation tables and the fast
//! tallies against the plain loop.

use super::*;
use AlarmState::{Alarm, InsufficientData, Ok as Good};

fn parse(row: &str) -> Vec<Option<bool>> {
    row.split_whitespace()
        .map(|c| match c {
            "0" => Some(false),
            "X" => Some(true),
            _ => None,
        })
        .collect()
}

/// The O(1) counted tally and the plain loop agree on every evaluation, missing data and
/// all (a bucket with no instance has no CPU datapoint).
#[test]
fn counted_tally_matches_the_loop() {
    use crate::cloudwatch::{ComparisonOperator, MetricName, Statistic};
    use crate::workload::InstanceModel;
    use rand::Rng;
    let model = InstanceModel {
        capacity_rps: 100.0,
        idle_cpu_percent: 0.0,
    };
    let units = MetricUnits {
        network_in_bytes_per_request: 1.0,
        network_out_bytes_per_request: 1.0,
    };
    let mut rng = crate::rng::stream(5, crate::rng::Stream::LoadNoise);
    for (n, m, treat) in [
        (3, 3, TreatMissingData::Missing),
        (15, 15, TreatMissingData::Missing),
        (5, 2, TreatMissingData::Breaching),
        (4, 3, TreatMissingData::Ignore),
    ] {
        let config = AlarmConfig {
            name: "a".into(),
            metric_name: MetricName::CpuUtilization,
            statistic: Statistic::Average,
            period_ms: 60_000,
            evaluation_periods: n,
            datapoints_to_alarm: m,
            threshold: 50.0,
            comparison_operator: ComparisonOperator::GreaterThanThreshold,
            treat_missing_data: treat,
            alarm_actions: vec![],
            metric_label: None,
        };
        let mut log = BucketLog::new(60_000, 120_000, 64);
        let (mut fast, mut slow) = (AlarmRuntime::new(), AlarmRuntime::new());
        slow.counted_tally = false;
        for minute in 1..400u64 {
            let serving = if rng.random_range(0..10) == 0 { 0 } else { 4 };
            let load = rng.random_range(0.0..400.0);
            let mut b = super::super::metrics::Bucket::default();
            b.add(60_000, serving, serving, load, &model.spread(load, serving));
            log.push(b);
            let now = minute * 60_000;
            let a = fast.evaluate(&config, false, &log, &units, now, 120_000);
            let b = slow.evaluate(&config, false, &log, &units, now, 120_000);
            assert_eq!(a, b, "minute {minute}, N={n} M={m} {treat:?}");
        }
    }
}

#[test]
fn evaluation_range_matches_cloudwatch_for_n3() {
    assert_eq!(evaluation_range_len(3, 60_000, 0), 5);
    assert_eq!(evaluation_range_len(3, 60_000, 120_000), 5);
    assert_eq!(evaluation_range_len(3, 60_000, 240_000), 7);
}

#[test]
fn premature_alarm_guard() {
    let e = |row| evaluate_points(&parse(row), 3, 3, TreatMissingData::Missing, Good);
    assert_eq!(e("- - - - X"), Good);
    assert_eq!(e("- - - X -"), Good);
    assert_eq!(e("- - X - -"), Alarm);
}

#[test]
fn all_real_points_use_the_newest_n() {
    let s = evaluate_points(
        &parse("X X 0 0 0"),
        3,
        1,
        TreatMissingData::Breaching,
        Alarm,
    );
    assert_eq!(s, Good);
    let _ = InsufficientData;
}
