//! Basic monitoring: EC2 metrics as 5-minute aggregates of 1-minute buckets, load-balancer
//! metrics still per minute (CloudWatch UG: AlarmThatSendsEmail).

use super::test_support::{UNITS, minute, q};
use super::{AlarmRuntime, BucketLog, Tally, decide, evaluation_range_len};
use crate::cloudwatch::AlarmState;
use crate::cloudwatch::{AlarmConfig, ComparisonOperator, MetricName, Statistic, TreatMissingData};

const MIN: u64 = 60_000;

/// 1-minute buckets, EC2 datapoints of 5 minutes, a 2-minute delay: minutes 0–4 carry
/// 100 req/s on 2 instances (50% CPU), minutes 5–9 300 req/s on 4 (75%).
fn basic_log() -> BucketLog {
    let mut log = BucketLog::new(MIN, 2 * MIN, 32).with_ec2_datapoint_ms(5 * MIN);
    for m in 0..10 {
        log.push(if m < 5 {
            minute(100.0, 2)
        } else {
            minute(300.0, 4)
        });
    }
    log
}

#[test]
fn ec2_datapoints_are_five_minute_aggregates_published_after_the_delay() {
    let log = basic_log();
    let cpu = |stat, start, end, now| {
        log.datapoint(q(MetricName::CpuUtilization, stat), start, end, now, &UNITS)
    };
    let avg = Statistic::Average;
    // The datapoint stamped 0 covers minutes 0–4: published at 5 + 2 minutes, not before.
    assert_eq!(cpu(avg, 0, 5 * MIN, 6 * MIN), None);
    assert_eq!(cpu(avg, 0, 5 * MIN, 7 * MIN), Some(50.0));
    // One sample per instance per 5 minutes.
    assert_eq!(cpu(Statistic::SampleCount, 0, 5 * MIN, 7 * MIN), Some(2.0));
    // A sliding 5-minute window holds the one datapoint stamped in it, whole.
    assert_eq!(cpu(avg, 2 * MIN, 7 * MIN, 12 * MIN), Some(75.0));
    assert_eq!(cpu(avg, 2 * MIN, 7 * MIN, 11 * MIN), None);
    // A 1-minute window sees a datapoint only if one is stamped in it.
    assert_eq!(cpu(avg, 0, MIN, 7 * MIN), Some(50.0));
    assert_eq!(cpu(avg, MIN, 2 * MIN, 7 * MIN), None);
    // A 10-minute window averages both, weighted by instance time: (2·50 + 4·75) / 6.
    let both = cpu(avg, 0, 10 * MIN, 12 * MIN).unwrap();
    assert!((both - 400.0 / 6.0).abs() < 1e-9);
    // NetworkIn: bytes per instance per 5-minute datapoint, 30,000 requests · 1000 B / 2.
    let net = log.datapoint(q(MetricName::NetworkIn, avg), 0, 5 * MIN, 7 * MIN, &UNITS);
    assert_eq!(net, Some(15_000_000.0));
}

#[test]
fn load_balancer_metrics_stay_one_minute_under_basic_monitoring() {
    let log = basic_log();
    let rcpt = |stat, start, end, now| {
        log.datapoint(
            q(MetricName::RequestCountPerTarget, stat),
            start,
            end,
            now,
            &UNITS,
        )
    };
    // 100 req/s over 2 targets: 3000 requests per target per minute, published 2 minutes
    // after the minute ends, not after the 5-minute EC2 datapoint.
    assert_eq!(rcpt(Statistic::Sum, 0, MIN, 3 * MIN), Some(3000.0));
    assert_eq!(rcpt(Statistic::Sum, 0, MIN, 2 * MIN), None);
    // Over 5 minutes Sum sums the per-minute datapoints, Average averages them.
    assert_eq!(rcpt(Statistic::Sum, 0, 5 * MIN, 7 * MIN), Some(15_000.0));
    assert_eq!(rcpt(Statistic::Average, 0, 5 * MIN, 7 * MIN), Some(3000.0));
    assert_eq!(rcpt(Statistic::SampleCount, 0, 5 * MIN, 7 * MIN), Some(5.0));
    // 300 req/s over 4 targets: 4500 per minute.
    assert_eq!(
        rcpt(Statistic::Maximum, 0, 10 * MIN, 12 * MIN),
        Some(4500.0)
    );
    let latency = q(MetricName::Latency, Statistic::Average);
    assert!(
        log.datapoint(latency, MIN, 2 * MIN, 4 * MIN, &UNITS)
            .is_some()
    );
}

#[test]
fn published_through_follows_each_metric_grid() {
    let log = basic_log();
    // At 9 minutes buckets 0–6 are published; the EC2 grid ends at 5 minutes.
    assert_eq!(log.published_stop(9 * MIN), 7);
    assert_eq!(log.settled_stop(MetricName::CpuUtilization, 7), 5);
    assert_eq!(log.settled_stop(MetricName::RequestCountPerTarget, 7), 7);
    assert_eq!(
        log.published_through_ms(MetricName::NetworkOut, 9 * MIN),
        5 * MIN
    );
    assert_eq!(
        log.published_through_ms(MetricName::Latency, 9 * MIN),
        7 * MIN
    );
    assert_eq!(log.datapoint_ms(MetricName::CpuUtilization), 5 * MIN);
    assert_eq!(log.datapoint_ms(MetricName::CustomColumn), MIN);
    let detailed = BucketLog::new(MIN, 2 * MIN, 32);
    assert_eq!(
        detailed.published_through_ms(MetricName::CpuUtilization, 9 * MIN),
        7 * MIN
    );
}

fn cpu_alarm(period_ms: u64, n: u32, m: u32) -> AlarmConfig {
    AlarmConfig {
        name: "a".into(),
        metric_name: MetricName::CpuUtilization,
        statistic: Statistic::Average,
        period_ms,
        evaluation_periods: n,
        datapoints_to_alarm: m,
        threshold: 50.0,
        comparison_operator: ComparisonOperator::GreaterThanThreshold,
        treat_missing_data: TreatMissingData::Missing,
        alarm_actions: vec![],
        metric_label: None,
    }
}

/// A 5-minute alarm on 5-minute data sees each datapoint once it is published, in the window
/// it is stamped in: the third (stamped 10m) at 17m.
#[test]
fn five_minute_alarm_waits_for_three_published_datapoints() {
    let mut log = BucketLog::new(MIN, 2 * MIN, 64).with_ec2_datapoint_ms(5 * MIN);
    let config = cpu_alarm(5 * MIN, 3, 3);
    let mut alarm = AlarmRuntime::new();
    let mut alarm_at = None;
    for m in 1..=20u64 {
        log.push(minute(300.0, 4));
        let eval = alarm.evaluate(&config, false, &log, &UNITS, m * MIN, 2 * MIN);
        if m == 7 {
            assert_eq!(eval.newest_value, Some(75.0));
            assert_eq!(eval.considered, 1);
        }
        if eval.considered == 3 && alarm_at.is_none() {
            alarm_at = Some(m);
        }
    }
    assert_eq!(alarm_at, Some(17));
    // A 1-minute alarm on the same data sees a datapoint only in the window it is stamped in:
    // at 22m its 7 windows [15m, 22m) hold the one stamped 15m (20m is not yet published).
    let one_minute = cpu_alarm(MIN, 5, 5);
    let eval = AlarmRuntime::new().evaluate(&one_minute, false, &log, &UNITS, 22 * MIN, 2 * MIN);
    assert_eq!(
        (eval.considered, eval.newest_window),
        (1, Some((15 * MIN, 16 * MIN)))
    );
}

/// The alarm's state, newest value and count of real points, window by window from the log's
/// own datapoints: the plain definition the cached evaluation must match.
fn brute_force(
    config: &AlarmConfig,
    log: &BucketLog,
    now: u64,
    current: AlarmState,
) -> (AlarmState, Option<f64>, usize) {
    let query = q(config.metric_name, config.statistic);
    let n = config.evaluation_periods as usize;
    let range = evaluation_range_len(config.evaluation_periods, config.period_ms, 2 * MIN) as u64;
    let mut tally = Tally::default();
    let mut newest = None;
    for k in 0..range {
        let end = now.saturating_sub(k * config.period_ms);
        if end == 0 {
            break;
        }
        let start = end.saturating_sub(config.period_ms);
        let Some(v) = log.datapoint(query, start, end, now, &UNITS) else {
            continue;
        };
        newest = newest.or(Some(v));
        let breaching = config.comparison_operator.breaches(v, config.threshold);
        tally.add(Some(breaching), k as usize + 1, n);
    }
    let m = config.datapoints_to_alarm as usize;
    let state = decide(&tally, n, m, config.treat_missing_data, current);
    (state, newest, tally.real.min(n))
}

/// Cached (settled) windows on coarse data agree with windows computed afresh every minute
/// and with the plain definition: no window is cached before its 5-minute datapoint is
/// published, and no published datapoint is skipped.
#[test]
fn cached_windows_match_fresh_evaluations_on_coarse_data() {
    use rand::Rng;
    let mut rng = crate::rng::stream(11, crate::rng::Stream::LoadNoise);
    for (period_ms, n, m) in [
        (MIN, 3, 3),
        (5 * MIN, 3, 3),
        (5 * MIN, 15, 15),
        (10 * MIN, 2, 1),
    ] {
        let config = cpu_alarm(period_ms, n, m);
        let mut log = BucketLog::new(MIN, 2 * MIN, 256).with_ec2_datapoint_ms(5 * MIN);
        let mut kept = AlarmRuntime::new();
        for minute_index in 1..300u64 {
            let serving = if rng.random_range(0..12) == 0 { 0 } else { 4 };
            log.push(minute(rng.random_range(0.0..400.0), serving));
            let now = minute_index * MIN;
            let mut fresh = AlarmRuntime::new();
            fresh.state = kept.state;
            let a = kept.evaluate(&config, false, &log, &UNITS, now, 2 * MIN);
            let b = fresh.evaluate(&config, false, &log, &UNITS, now, 2 * MIN);
            let at = format!("minute {minute_index}, period {period_ms} N={n} M={m}");
            assert_eq!(a, b, "{at}");
            let plain = brute_force(&config, &log, now, a.previous);
            assert_eq!((a.state, a.newest_value, a.considered), plain, "{at}");
        }
    }
}
