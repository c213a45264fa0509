//! Helpers the metric and alarm tests share: units, queries and one-minute buckets.

use super::{Bucket, MetricQuery, MetricUnits};
use crate::cloudwatch::{MetricName, Statistic};
use crate::workload::InstanceModel;

/// 1,000 bytes in and 5,000 out per request.
pub(super) const UNITS: MetricUnits = MetricUnits {
    network_in_bytes_per_request: 1000.0,
    network_out_bytes_per_request: 5000.0,
};

/// A query of `metric` with `statistic`, warming instances included.
pub(super) fn q(metric: MetricName, statistic: Statistic) -> MetricQuery {
    MetricQuery {
        metric,
        statistic,
        exclude_warming: false,
    }
}

/// One minute of `load_rps` on `serving` instances of 100 req/s each, idle at 0% CPU.
pub(super) fn minute(load_rps: f64, serving: u32) -> Bucket {
    let model = InstanceModel {
        capacity_rps: 100.0,
        idle_cpu_percent: 0.0,
    };
    let mut b = Bucket::default();
    b.add(
        60_000,
        serving,
        serving,
        load_rps,
        &model.spread(load_rps, serving),
    );
    b
}
