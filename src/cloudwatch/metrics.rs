//! Per-period metric buckets and the datapoints CloudWatch computes from them.
//!
//! The simulator integrates the workload between events into the open bucket; at each period
//! end the bucket is closed into a [`BucketLog`]. A bucket closed at `end` is published at
//! `end + metric_delay`: before that, alarms see it as missing.
//!
//! Buckets are one minute long whatever the monitoring: load-balancer metrics and customized
//! metrics are 1-minute data in CloudWatch in any case. Under basic monitoring only the EC2
//! metrics (CPUUtilization, NetworkIn, NetworkOut) are coarser: they are published as 5-minute
//! datapoints aligned to t = 0, each the aggregate of five buckets, timestamped at its start
//! and published `metric_delay` after it ends (CloudWatch UG: AlarmThatSendsEmail).

use std::cell::Cell;
use std::collections::VecDeque;

use crate::cloudwatch::{MetricName, Statistic};
use crate::time::{SimDuration, SimTime};
use crate::workload::Spread;

/// Integrals of one metric period over the InService instances.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    /// ∫ InService count dt \[instance·ms\].
    pub instance_ms: f64,
    /// ∫ count · CPU dt \[instance·%·ms\].
    pub cpu_instance_ms: f64,
    /// ∫ count of InService instances past their warm-up dt \[instance·ms\].
    pub settled_instance_ms: f64,
    /// ∫ settled count · CPU dt \[instance·%·ms\].
    pub settled_cpu_instance_ms: f64,
    /// Lowest CPU seen \[%\].
    pub cpu_min: f64,
    /// Highest CPU seen \[%\].
    pub cpu_max: f64,
    /// Requests offered to the load balancer \[requests\].
    pub offered_requests: f64,
    /// Requests served \[requests\].
    pub served_requests: f64,
    /// ∫ latency · served rate dt \[ms·requests\].
    pub latency_requests_ms: f64,
    /// Lowest latency of served requests \[ms\].
    pub latency_min_ms: f64,
    /// Highest latency of served requests \[ms\].
    pub latency_max_ms: f64,
    /// ∫ dt over the period covered so far \[ms\].
    pub span_ms: f64,
    /// ∫ trace column dt \[column unit·ms\].
    pub column_ms: f64,
    /// ∫ dt while some instance serves \[ms\].
    pub serving_span_ms: f64,
    /// ∫ column / InService count dt, while some instance serves \[column unit·ms\].
    pub column_per_instance_ms: f64,
}

impl Default for Bucket {
    fn default() -> Self {
        Self {
            instance_ms: 0.0,
            cpu_instance_ms: 0.0,
            settled_instance_ms: 0.0,
            settled_cpu_instance_ms: 0.0,
            cpu_min: f64::INFINITY,
            cpu_max: f64::NEG_INFINITY,
            offered_requests: 0.0,
            served_requests: 0.0,
            latency_requests_ms: 0.0,
            latency_min_ms: f64::INFINITY,
            latency_max_ms: f64::NEG_INFINITY,
            span_ms: 0.0,
            column_ms: 0.0,
            serving_span_ms: 0.0,
            column_per_instance_ms: 0.0,
        }
    }
}

impl Bucket {
    /// Adds `dt_ms` during which `serving` instances (`settled` of them past their warm-up)
    /// carried `spread` out of `load_rps`.
    #[inline]
    pub fn add(
        &mut self,
        dt_ms: SimDuration,
        serving: u32,
        settled: u32,
        load_rps: f64,
        spread: &Spread,
    ) {
        let dt = dt_ms as f64;
        self.offered_requests += load_rps * dt / 1000.0;
        if serving == 0 {
            return;
        }
        let n = f64::from(serving);
        self.instance_ms += n * dt;
        self.cpu_instance_ms += n * spread.cpu_percent * dt;
        let settled = f64::from(settled);
        self.settled_instance_ms += settled * dt;
        self.settled_cpu_instance_ms += settled * spread.cpu_percent * dt;
        self.cpu_min = self.cpu_min.min(spread.cpu_percent);
        self.cpu_max = self.cpu_max.max(spread.cpu_percent);
        let served = spread.served_rps * dt / 1000.0;
        self.served_requests += served;
        if served > 0.0 {
            self.latency_requests_ms += spread.latency_ms * served;
            self.latency_min_ms = self.latency_min_ms.min(spread.latency_ms);
            self.latency_max_ms = self.latency_max_ms.max(spread.latency_ms);
        }
    }

    /// Adds `dt_ms` during which the trace's extra column read `value` and `serving`
    /// instances served.
    #[inline]
    pub fn add_column(&mut self, dt_ms: SimDuration, value: f64, serving: u32) {
        let dt = dt_ms as f64;
        self.span_ms += dt;
        self.column_ms += value * dt;
        if serving > 0 {
            self.serving_span_ms += dt;
            self.column_per_instance_ms += value / f64::from(serving) * dt;
        }
    }

    fn merge(&mut self, other: &Bucket) {
        self.instance_ms += other.instance_ms;
        self.cpu_instance_ms += other.cpu_instance_ms;
        self.settled_instance_ms += other.settled_instance_ms;
        self.settled_cpu_instance_ms += other.settled_cpu_instance_ms;
        self.cpu_min = self.cpu_min.min(other.cpu_min);
        self.cpu_max = self.cpu_max.max(other.cpu_max);
        self.offered_requests += other.offered_requests;
        self.served_requests += other.served_requests;
        self.latency_requests_ms += other.latency_requests_ms;
        self.latency_min_ms = self.latency_min_ms.min(other.latency_min_ms);
        self.latency_max_ms = self.latency_max_ms.max(other.latency_max_ms);
        self.span_ms += other.span_ms;
        self.column_ms += other.column_ms;
        self.serving_span_ms += other.serving_span_ms;
        self.column_per_instance_ms += other.column_per_instance_ms;
    }
}

/// Constants that turn bucket integrals into metric values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricUnits {
    /// Bytes received per request \[bytes\].
    pub network_in_bytes_per_request: f64,
    /// Bytes sent per request \[bytes\].
    pub network_out_bytes_per_request: f64,
}

/// A computed datapoint: the query, the buckets it merged (`first..stop`), the value.
type Memo = (MetricQuery, u64, u64, Option<f64>);

/// Closed buckets, oldest dropped once no alarm can need them.
#[derive(Debug, Clone)]
pub struct BucketLog {
    resolution_ms: SimDuration,
    delay_ms: SimDuration,
    /// Buckets per EC2-metric datapoint: 1, or 5 under basic monitoring.
    ec2_buckets: u64,
    first_index: u64,
    buckets: VecDeque<Bucket>,
    keep: usize,
    /// The last datapoint computed: the alarms of one metric (a target-tracking policy's
    /// high and low alarms) ask for the same one in the same minute.
    memo: Cell<Option<Memo>>,
}

impl BucketLog {
    /// A log of `resolution_ms` buckets published `delay_ms` after they close, keeping `keep`.
    pub fn new(resolution_ms: SimDuration, delay_ms: SimDuration, keep: usize) -> Self {
        Self {
            resolution_ms,
            delay_ms,
            ec2_buckets: 1,
            first_index: 0,
            buckets: VecDeque::with_capacity(keep + 1),
            keep: keep.max(1),
            memo: Cell::new(None),
        }
    }

    /// The same log with EC2 metrics published as `datapoint_ms` datapoints (5 minutes under
    /// basic monitoring), each aggregating the buckets it covers; `datapoint_ms` is a multiple
    /// of the bucket length.
    pub fn with_ec2_datapoint_ms(mut self, datapoint_ms: SimDuration) -> Self {
        debug_assert!(datapoint_ms.is_multiple_of(self.resolution_ms));
        self.ec2_buckets = (datapoint_ms / self.resolution_ms).max(1);
        self
    }

    /// Length of one bucket \[ms\].
    pub fn resolution_ms(&self) -> SimDuration {
        self.resolution_ms
    }

    /// Length of one published datapoint of `metric` \[ms\].
    pub fn datapoint_ms(&self, metric: MetricName) -> SimDuration {
        self.buckets_per_datapoint(metric) * self.resolution_ms
    }

    /// Buckets per published datapoint of `metric` \[buckets\].
    #[inline]
    pub fn buckets_per_datapoint(&self, metric: MetricName) -> u64 {
        if self.ec2_buckets > 1 && metric.is_ec2() {
            self.ec2_buckets
        } else {
            1
        }
    }

    /// Bucket index below which every window of `metric` holds all the data it ever will,
    /// given `published_stop`: a coarse datapoint counts only once all its buckets are
    /// published.
    pub fn settled_stop(&self, metric: MetricName, published_stop: u64) -> u64 {
        match self.buckets_per_datapoint(metric) {
            1 => published_stop,
            f => published_stop / f * f,
        }
    }

    /// End of the newest datapoint of `metric` published at `now_ms` \[ms\].
    pub fn published_through_ms(&self, metric: MetricName, now_ms: SimTime) -> SimTime {
        self.settled_stop(metric, self.published_stop(now_ms)) * self.resolution_ms
    }

    /// Appends the bucket covering the next period.
    pub fn push(&mut self, bucket: Bucket) {
        self.memo.set(None);
        self.buckets.push_back(bucket);
        if self.buckets.len() > self.keep {
            self.buckets.pop_front();
            self.first_index += 1;
        }
    }

    /// The datapoint for `[start_ms, end_ms)` as seen at `now_ms`: the published datapoints
    /// starting in the window, merged; `None` (missing) if there are none or they hold no data.
    /// With `query.exclude_warming`, EC2 metrics leave out instances still warming up.
    pub fn datapoint(
        &self,
        query: MetricQuery,
        start_ms: SimTime,
        end_ms: SimTime,
        now_ms: SimTime,
        units: &MetricUnits,
    ) -> Option<f64> {
        let res = self.resolution_ms;
        let published_stop = now_ms.saturating_sub(self.delay_ms) / res;
        let range = start_ms.div_ceil(res)..end_ms.div_ceil(res);
        self.datapoint_of_buckets(query, range, published_stop, units)
    }

    /// Index of the first bucket not yet published at `now_ms`.
    pub fn published_stop(&self, now_ms: SimTime) -> u64 {
        now_ms.saturating_sub(self.delay_ms) / self.resolution_ms
    }

    /// The datapoint of the window of buckets `range` (bucket i covers `[i·res, (i+1)·res)`):
    /// the published datapoints starting in it, merged, only buckets below `published_stop`
    /// counting. A coarse EC2 datapoint (basic monitoring) starts at a multiple of its length
    /// and counts whole, once all its buckets are published, as CloudWatch stamps a datapoint
    /// with its start: a window shorter than 5 minutes then sees one only if it holds a start.
    pub fn datapoint_of_buckets(
        &self,
        query: MetricQuery,
        range: std::ops::Range<u64>,
        published_stop: u64,
        units: &MetricUnits,
    ) -> Option<f64> {
        let f = self.buckets_per_datapoint(query.metric);
        // The datapoints starting in the window cover the buckets from the first start at or
        // after `range.start` to the end of the last one starting before `range.end`. (No
        // division for 1-minute data: this runs several times a simulated minute.)
        let (start, end, published) = if f == 1 {
            (range.start, range.end, published_stop)
        } else {
            let up = |i: u64| i.div_ceil(f) * f;
            (up(range.start), up(range.end), published_stop / f * f)
        };
        let first = start.max(self.first_index);
        let stop = end.min(published);
        if first >= stop {
            return None;
        }
        // The value depends only on the buckets merged, which never change once closed.
        if let Some((q, a, b, v)) = self.memo.get()
            && (q, a, b) == (query, first, stop)
        {
            return v;
        }
        let value = self.compute_datapoint(query, first..stop, units);
        self.memo.set(Some((query, first, stop, value)));
        value
    }

    fn compute_datapoint(
        &self,
        query: MetricQuery,
        range: std::ops::Range<u64>,
        units: &MetricUnits,
    ) -> Option<f64> {
        let res = self.resolution_ms;
        let (first, stop) = (range.start, range.end);
        let per_target = query.metric == MetricName::RequestCountPerTarget;
        let datapoint_ms = self.datapoint_ms(query.metric);
        if stop == first + 1 && !per_target {
            // One bucket (the common case, every minute): read it as it is; merging it into
            // an empty bucket would give the same numbers.
            let Some(b) = self.buckets.get((first - self.first_index) as usize) else {
                let empty = Bucket::default();
                return value_of(
                    query.metric,
                    query.statistic,
                    &empty,
                    &Samples::default(),
                    datapoint_ms,
                    units,
                );
            };
            let samples = Samples::default();
            if query.exclude_warming {
                let mut settled = *b;
                settled.instance_ms = b.settled_instance_ms;
                settled.cpu_instance_ms = b.settled_cpu_instance_ms;
                return value_of(
                    query.metric,
                    query.statistic,
                    &settled,
                    &samples,
                    datapoint_ms,
                    units,
                );
            }
            return value_of(
                query.metric,
                query.statistic,
                b,
                &samples,
                datapoint_ms,
                units,
            );
        }
        let mut merged = Bucket::default();
        let mut samples = Samples::default();
        for index in first..stop {
            let Some(b) = self.buckets.get((index - self.first_index) as usize) else {
                break;
            };
            merged.merge(b);
            if per_target && b.instance_ms > 0.0 {
                samples.add(b.offered_requests / (b.instance_ms / res as f64));
            }
        }
        if query.exclude_warming {
            merged.instance_ms = merged.settled_instance_ms;
            merged.cpu_instance_ms = merged.settled_cpu_instance_ms;
        }
        value_of(
            query.metric,
            query.statistic,
            &merged,
            &samples,
            datapoint_ms,
            units,
        )
    }
}

/// What an alarm asks of the metric log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricQuery {
    /// The metric.
    pub metric: MetricName,
    /// The statistic.
    pub statistic: Statistic,
    /// Whether instances in warm-up are left out (EC2 metrics of step and target-tracking
    /// policies).
    pub exclude_warming: bool,
}

/// One sample per bucket, for per-target counts.
#[derive(Debug, Default)]
struct Samples {
    count: f64,
    sum: f64,
    min: f64,
    max: f64,
}

impl Samples {
    fn add(&mut self, v: f64) {
        if self.count == 0.0 {
            (self.min, self.max) = (v, v);
        }
        self.count += 1.0;
        self.sum += v;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }
}

/// The value of `statistic` over the merged bucket `b`; a sample is one instance's datapoint of
/// `datapoint_ms` (EC2 metrics) or one minute (customized metrics).
fn value_of(
    metric: MetricName,
    statistic: Statistic,
    b: &Bucket,
    per_target: &Samples,
    datapoint_ms: SimDuration,
    units: &MetricUnits,
) -> Option<f64> {
    let instance_periods = b.instance_ms / datapoint_ms as f64;
    let pick = |avg: f64, sum: f64, min: f64, max: f64, count: f64| match statistic {
        Statistic::Average => avg,
        Statistic::Sum => sum,
        Statistic::Minimum => min,
        Statistic::Maximum => max,
        Statistic::SampleCount => count,
    };
    match metric {
        MetricName::CpuUtilization if b.instance_ms > 0.0 => {
            let avg = b.cpu_instance_ms / b.instance_ms;
            Some(pick(
                avg,
                avg * instance_periods,
                b.cpu_min,
                b.cpu_max,
                instance_periods,
            ))
        }
        MetricName::NetworkIn | MetricName::NetworkOut if b.instance_ms > 0.0 => {
            let per_request = if metric == MetricName::NetworkIn {
                units.network_in_bytes_per_request
            } else {
                units.network_out_bytes_per_request
            };
            let total = b.served_requests * per_request;
            let avg = total / instance_periods;
            Some(pick(avg, total, avg, avg, instance_periods))
        }
        MetricName::RequestCountPerTarget if per_target.count > 0.0 => {
            let s = per_target;
            Some(pick(s.sum / s.count, s.sum, s.min, s.max, s.count))
        }
        MetricName::Latency if b.served_requests > 0.0 => {
            let avg_s = b.latency_requests_ms / b.served_requests / 1000.0;
            let (min_s, max_s) = (b.latency_min_ms / 1000.0, b.latency_max_ms / 1000.0);
            Some(pick(
                avg_s,
                avg_s * b.served_requests,
                min_s,
                max_s,
                b.served_requests,
            ))
        }
        MetricName::CustomColumn if b.span_ms > 0.0 => {
            let avg = b.column_ms / b.span_ms;
            Some(pick(avg, avg, avg, avg, b.span_ms / datapoint_ms as f64))
        }
        MetricName::CustomColumnPerInstance if b.serving_span_ms > 0.0 => {
            let avg = b.column_per_instance_ms / b.serving_span_ms;
            Some(pick(
                avg,
                avg,
                avg,
                avg,
                b.serving_span_ms / datapoint_ms as f64,
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{UNITS, minute, q};
    use super::*;
    use crate::workload::InstanceModel;

    #[test]
    fn datapoints_appear_only_after_the_delay() {
        let mut log = BucketLog::new(60_000, 120_000, 10);
        log.push(minute(150.0, 2));
        let query = q(MetricName::CpuUtilization, Statistic::Average);
        let cpu = |now| log.datapoint(query, 0, 60_000, now, &UNITS);
        assert_eq!(cpu(120_000), None);
        assert_eq!(cpu(180_000), Some(75.0));
    }

    #[test]
    fn statistics_of_each_metric() {
        let mut log = BucketLog::new(60_000, 0, 10);
        log.push(minute(100.0, 2));
        log.push(minute(300.0, 4));
        let v = |m, s| log.datapoint(q(m, s), 0, 120_000, 120_000, &UNITS).unwrap();
        // CPU: 50% on 2 instances, then 75% on 4: time-weighted (2·50 + 4·75) / 6.
        let avg = v(MetricName::CpuUtilization, Statistic::Average);
        assert!((avg - 400.0 / 6.0).abs() < 1e-9);
        assert_eq!(v(MetricName::CpuUtilization, Statistic::Maximum), 75.0);
        assert_eq!(v(MetricName::CpuUtilization, Statistic::SampleCount), 6.0);
        // Requests per target per minute: 3000, then 4500.
        assert_eq!(v(MetricName::RequestCountPerTarget, Statistic::Sum), 7500.0);
        assert_eq!(
            v(MetricName::RequestCountPerTarget, Statistic::Maximum),
            4500.0
        );
        // NetworkIn per instance-minute: (6000 + 18000) requests · 1000 B / 6.
        assert_eq!(v(MetricName::NetworkIn, Statistic::Average), 4_000_000.0);
        // Latency 20 ms then 40 ms, request-weighted, in seconds.
        let lat = v(MetricName::Latency, Statistic::Average);
        assert!((lat - (6000.0 * 0.02 + 18000.0 * 0.04) / 24000.0).abs() < 1e-12);
    }

    #[test]
    fn no_instances_means_missing_cpu() {
        let mut log = BucketLog::new(60_000, 0, 10);
        log.push(minute(100.0, 0));
        let query = q(MetricName::CpuUtilization, Statistic::Average);
        assert_eq!(log.datapoint(query, 0, 60_000, 60_000, &UNITS), None);
    }

    #[test]
    fn warming_instances_can_be_left_out() {
        let model = InstanceModel {
            capacity_rps: 100.0,
            idle_cpu_percent: 0.0,
        };
        let mut log = BucketLog::new(60_000, 0, 10);
        let mut b = Bucket::default();
        // 4 serve, 1 of them past its warm-up.
        b.add(60_000, 4, 1, 200.0, &model.spread(200.0, 4));
        log.push(b);
        let mut query = q(MetricName::CpuUtilization, Statistic::SampleCount);
        assert_eq!(log.datapoint(query, 0, 60_000, 60_000, &UNITS), Some(4.0));
        query.exclude_warming = true;
        assert_eq!(log.datapoint(query, 0, 60_000, 60_000, &UNITS), Some(1.0));
        query.statistic = Statistic::Average;
        assert_eq!(log.datapoint(query, 0, 60_000, 60_000, &UNITS), Some(50.0));
        let mut none_settled = Bucket::default();
        none_settled.add(60_000, 4, 0, 200.0, &model.spread(200.0, 4));
        log.push(none_settled);
        assert_eq!(log.datapoint(query, 60_000, 120_000, 120_000, &UNITS), None);
    }
}
