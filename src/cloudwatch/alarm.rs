//! Alarm evaluation: M of N datapoints, the evaluation range and TreatMissingData, exactly as
//! the CloudWatch user guide describes them (CloudWatch UG: AlarmThatSendsEmail, its evaluation tables included).

use std::collections::VecDeque;

use crate::cloudwatch::AlarmState;
use crate::cloudwatch::{AlarmConfig, TreatMissingData};
use crate::time::{SimDuration, SimTime};

use super::bits::{BitWindow, MAX_RANGE};
use super::metrics::{BucketLog, MetricQuery, MetricUnits};

/// What an evaluation range holds, tallied newest first in one pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Real (non-missing) points.
    pub real: usize,
    /// Breaching real points.
    pub breaching: usize,
    /// Breaching points among the newest N real points.
    pub breaching_newest_n: usize,
    /// Age of the oldest breaching point in periods (the newest point is 1 period old).
    pub oldest_breach_age: usize,
}

impl Tally {
    /// Adds the point `age` periods old (1 = newest); call newest first.
    #[inline]
    pub fn add(&mut self, point: Option<bool>, age: usize, evaluation_periods: usize) {
        let Some(breaching) = point else {
            return;
        };
        self.real += 1;
        if breaching {
            self.breaching += 1;
            self.oldest_breach_age = age;
            if self.real <= evaluation_periods {
                self.breaching_newest_n += 1;
            }
        }
    }
}

/// Decides an alarm's state from the datapoints of its evaluation range.
///
/// `points` runs oldest to newest: `Some(true)` breaching, `Some(false)` not, `None` missing.
/// - With at least N real points, the newest N real points decide and missing data is ignored.
/// - Otherwise missing points are filled per `treat`, as few as possible: `breaching` and
///   `notBreaching` fill them; `missing` decides on the real points alone (ALARM when all of the
///   needed ones breach, but never before the oldest breaching point is M periods old: the
///   premature-alarm guard), `ignore` does the same but keeps the current state where `missing`
///   would say ALARM or INSUFFICIENT_DATA.
pub fn evaluate_points(
    points: &[Option<bool>],
    evaluation_periods: usize,
    datapoints_to_alarm: usize,
    treat: TreatMissingData,
    current: AlarmState,
) -> AlarmState {
    let mut tally = Tally::default();
    for (i, point) in points.iter().rev().enumerate() {
        tally.add(*point, i + 1, evaluation_periods);
    }
    decide(
        &tally,
        evaluation_periods,
        datapoints_to_alarm,
        treat,
        current,
    )
}

/// The state a [`Tally`] gives (the rules of [`evaluate_points`]).
pub fn decide(
    tally: &Tally,
    evaluation_periods: usize,
    datapoints_to_alarm: usize,
    treat: TreatMissingData,
    current: AlarmState,
) -> AlarmState {
    let (n, m) = (evaluation_periods, datapoints_to_alarm);
    let verdict = |breaching: usize| {
        if breaching >= m {
            AlarmState::Alarm
        } else {
            AlarmState::Ok
        }
    };
    if tally.real >= n {
        return verdict(tally.breaching_newest_n);
    }
    match treat {
        TreatMissingData::Breaching => verdict(tally.breaching + (n - tally.real)),
        TreatMissingData::NotBreaching => verdict(tally.breaching),
        TreatMissingData::Missing => missing_rule(tally, m, current),
        TreatMissingData::Ignore => match missing_rule(tally, m, current) {
            AlarmState::Ok => AlarmState::Ok,
            _ => current,
        },
    }
}

fn missing_rule(tally: &Tally, m: usize, current: AlarmState) -> AlarmState {
    if tally.real == 0 {
        return AlarmState::InsufficientData;
    }
    if tally.breaching < m.min(tally.real) {
        return AlarmState::Ok;
    }
    if tally.oldest_breach_age >= m {
        AlarmState::Alarm
    } else {
        current
    }
}

/// How many periods an alarm reads: N plus room for late datapoints (CloudWatch's evaluation
/// range is 5 for N = 3; here N + max(2, ⌈delay / period⌉), so a metric delay never starves it).
pub fn evaluation_range_len(
    evaluation_periods: u32,
    period_ms: SimDuration,
    delay_ms: SimDuration,
) -> usize {
    let late = delay_ms.div_ceil(period_ms.max(1)) as usize;
    evaluation_periods as usize + late.max(2)
}

/// What one evaluation saw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlarmEvaluation {
    /// State before the evaluation.
    pub previous: AlarmState,
    /// State after it.
    pub state: AlarmState,
    /// Newest real datapoint in the evaluation range, in the metric's unit.
    pub newest_value: Option<f64>,
    /// Breaching points among the newest N real points.
    pub breaching: usize,
    /// Real points among the newest N real points.
    pub considered: usize,
    /// The window `[start, end)` of the newest real datapoint \[ms\].
    pub newest_window: Option<(SimTime, SimTime)>,
}

/// An alarm's running state.
#[derive(Debug, Clone)]
pub struct AlarmRuntime {
    /// Current state.
    pub state: AlarmState,
    /// Values of windows whose datapoints are all published, by window end: they never
    /// change, so each is computed once (the alarm re-reads them every minute).
    /// Keyed by the window's bucket range.
    settled: VecDeque<(u64, u64, Option<f64>)>,
    /// The same for windows aligned with the buckets, indexed by stop bucket from
    /// `ring_first_stop` (NaN for a missing datapoint): O(1) per window, the common case.
    ring: VecDeque<f64>,
    ring_first_stop: u64,
    /// Per ring entry: breaching and missing entries pushed before it, and whether it breaches,
    /// while the ring only grew at the back (`ring_counts_valid`): counts over any stretch in
    /// O(1).
    ring_counts: VecDeque<(u64, u64, bool)>,
    ring_counts_valid: bool,
    /// Whether the O(1) counted tally may be used (tests compare it with the plain loop).
    counted_tally: bool,
    /// The evaluation range \[periods\] and the period in buckets, if whole; set on first use.
    geometry: Option<(u64, Option<u64>)>,
    /// The one-bucket datapoints as bits, for an alarm whose period is one bucket of
    /// one-minute data (the common case: O(1) a minute).
    bits: BitWindow,
}

impl AlarmRuntime {
    /// A new alarm, in INSUFFICIENT_DATA as CloudWatch creates them.
    pub fn new() -> Self {
        Self {
            state: AlarmState::InsufficientData,
            settled: VecDeque::new(),
            ring: VecDeque::new(),
            ring_first_stop: 0,
            ring_counts: VecDeque::new(),
            ring_counts_valid: true,
            counted_tally: true,
            geometry: None,
            bits: BitWindow::default(),
        }
    }

    /// The tally of a one-bucket period on one-minute data (see [`BitWindow`]): each bucket
    /// is read once, when published.
    fn tally_bits(
        &mut self,
        config: &AlarmConfig,
        query: MetricQuery,
        (now_index, range): (u64, u64),
        published_stop: u64,
        (log, units): (&BucketLog, &MetricUnits),
    ) -> (Tally, Option<(f64, u64)>) {
        if now_index == 0 {
            return (Tally::default(), None);
        }
        let settled_hi = now_index.min(published_stop);
        while self.bits.next() < settled_hi {
            let b = self.bits.next();
            let v = log.datapoint_of_buckets(query, b..b + 1, published_stop, units);
            let v = v.filter(|v| !v.is_nan());
            let breaching =
                v.is_some_and(|v| config.comparison_operator.breaches(v, config.threshold));
            self.bits.push(v, breaching);
        }
        let oldest_k = (range - 1).min(now_index - 1);
        let lo = now_index - oldest_k;
        let n = config.evaluation_periods as usize;
        self.bits.tally((lo, settled_hi), now_index, n)
    }

    /// Makes the ring hold the values of the settled aligned windows with stops in
    /// `\[lo, hi\]` (NaN for a missing datapoint), computing only those it lacks; buckets
    /// below `published_stop` are published (a coarse datapoint may end past its window).
    #[allow(clippy::too_many_arguments)]
    fn fill_ring(
        &mut self,
        config: &AlarmConfig,
        query: MetricQuery,
        pb: u64,
        (lo, hi): (u64, u64),
        published_stop: u64,
        log: &BucketLog,
        units: &MetricUnits,
    ) {
        let value = |stop: u64| {
            let window = stop.saturating_sub(pb)..stop;
            let v = log.datapoint_of_buckets(query, window, published_stop, units);
            v.unwrap_or(f64::NAN)
        };
        if self.ring.is_empty() || lo > self.ring_first_stop + self.ring.len() as u64 {
            self.ring.clear();
            self.ring_counts.clear();
            self.ring_counts_valid = true;
            self.ring_first_stop = lo;
        }
        while self.ring_first_stop > lo {
            self.ring_first_stop -= 1;
            self.ring.push_front(value(self.ring_first_stop));
            self.ring_counts.push_front((0, 0, false));
            self.ring_counts_valid = false;
        }
        while self.ring_first_stop < lo {
            self.ring.pop_front();
            self.ring_counts.pop_front();
            self.ring_first_stop += 1;
        }
        while self.ring_first_stop + (self.ring.len() as u64) <= hi {
            let stop = self.ring_first_stop + self.ring.len() as u64;
            let v = value(stop);
            let through = |(b, m, breach): (u64, u64, bool), value: f64| {
                (b + u64::from(breach), m + u64::from(value.is_nan()))
            };
            let (breaches, missing) = match (self.ring_counts.back(), self.ring.back()) {
                (Some(last), Some(last_value)) => through(*last, *last_value),
                _ => (0, 0),
            };
            let breach = !v.is_nan() && config.comparison_operator.breaches(v, config.threshold);
            self.ring_counts.push_back((breaches, missing, breach));
            self.ring.push_back(v);
        }
    }

    /// O(1) tally of one-bucket windows when every settled one in `\[lo, hi\]` holds data and
    /// there are at least N of them (the steady state); `None` otherwise.
    fn tally_counted(
        &mut self,
        n: usize,
        (lo, hi): (u64, u64),
        k_newest: u64,
    ) -> Option<(Tally, Option<(f64, u64)>)> {
        if !self.ring_counts_valid || hi < lo || ((hi - lo + 1) as usize) < n {
            return None;
        }
        let at = |stop: u64| (stop - self.ring_first_stop) as usize;
        // (breaching, missing) among the entries before `stop`, and up to it inclusive.
        let before = |stop: u64| {
            let (b, m, _) = self.ring_counts[at(stop)];
            (b, m)
        };
        let through = |stop: u64| {
            let (b, m, breach) = self.ring_counts[at(stop)];
            (
                b + u64::from(breach),
                m + u64::from(self.ring[at(stop)].is_nan()),
            )
        };
        let (last_breaches, last_missing) = through(hi);
        let (lo_breaches, lo_missing) = before(lo);
        if last_missing != lo_missing {
            return None;
        }
        let newest_n_from = hi + 1 - n as u64;
        let tally = Tally {
            real: (hi - lo + 1) as usize,
            breaching: (last_breaches - lo_breaches) as usize,
            breaching_newest_n: (last_breaches - before(newest_n_from).0) as usize,
            oldest_breach_age: 0,
        };
        Some((tally, Some((self.ring[at(hi)], k_newest))))
    }

    /// Tallies windows that align with the buckets: window k ends at bucket `now_index − k·pb`.
    #[allow(clippy::too_many_arguments)]
    fn tally_aligned(
        &mut self,
        config: &AlarmConfig,
        query: MetricQuery,
        (now_index, pb, range): (u64, u64, u64),
        published_stop: u64,
        log: &BucketLog,
        units: &MetricUnits,
    ) -> (Tally, Option<(f64, u64)>) {
        let n = config.evaluation_periods as usize;
        let mut tally = Tally::default();
        let mut newest = None;
        if now_index == 0 {
            return (tally, newest);
        }
        // The oldest window may start before t = 0: it holds the data from t = 0 (a coarse
        // datapoint stamped 0 lies in it, not in a later window).
        let oldest_k = (range - 1).min((now_index - 1) / pb);
        let settled_stop = log.settled_stop(query.metric, published_stop);
        let settled_hi = now_index.min(settled_stop);
        // A later window holds published data only if a whole datapoint starts in it before
        // `settled_stop` (any published bucket, for 1-minute data).
        let f = log.buckets_per_datapoint(query.metric);
        let lo = now_index - oldest_k * pb;
        if lo <= settled_hi {
            let bounds = (lo, settled_hi);
            self.fill_ring(config, query, pb, bounds, published_stop, log, units);
            if pb == 1 && self.counted_tally {
                let counted = self.tally_counted(n, (lo, settled_hi), now_index - settled_hi);
                if let Some(found) = counted {
                    return found;
                }
            }
        }
        let first = self.ring_first_stop;
        let ring = self.ring.make_contiguous();
        for k in 0..=oldest_k {
            let stop = now_index - k * pb;
            let v = if stop <= settled_hi {
                ring[(stop - first) as usize]
            } else if stop.saturating_sub(pb) + f <= settled_stop {
                let window = stop.saturating_sub(pb)..stop;
                let partial = log.datapoint_of_buckets(query, window, published_stop, units);
                partial.unwrap_or(f64::NAN)
            } else {
                continue;
            };
            if v.is_nan() {
                continue;
            }
            if newest.is_none() {
                newest = Some((v, k));
            }
            let breaching = config.comparison_operator.breaches(v, config.threshold);
            tally.add(Some(breaching), k as usize + 1, n);
        }
        (tally, newest)
    }

    /// Tallies windows that do not align with the buckets (a period shorter than basic
    /// monitoring's 5 minutes, say), with the general rule and a small cache.
    #[allow(clippy::too_many_arguments)]
    fn tally_general(
        &mut self,
        config: &AlarmConfig,
        query: MetricQuery,
        (now_ms, range): (SimTime, u64),
        published_stop: u64,
        log: &BucketLog,
        units: &MetricUnits,
    ) -> (Tally, Option<(f64, u64)>) {
        let (n, period, res) = (
            config.evaluation_periods as usize,
            config.period_ms,
            log.resolution_ms(),
        );
        let mut tally = Tally::default();
        let mut newest = None;
        let window = |k: u64| {
            let end = now_ms - k * period;
            end.saturating_sub(period).div_ceil(res)..end.div_ceil(res)
        };
        if now_ms == 0 {
            return (tally, newest);
        }
        let oldest_k = (range - 1).min((now_ms - 1) / period);
        let oldest_stop = window(oldest_k).end;
        let settled_stop = log.settled_stop(query.metric, published_stop);
        while self
            .settled
            .front()
            .is_some_and(|(_, stop, _)| *stop < oldest_stop)
        {
            self.settled.pop_front();
        }
        for k in 0..=oldest_k {
            let w = window(k);
            if w.start >= published_stop {
                continue;
            }
            let key = (w.start, w.end);
            let cached = self
                .settled
                .iter()
                .find(|(a, b, _)| (*a, *b) == key)
                .map(|c| c.2);
            let v = match cached {
                Some(v) => v,
                None => {
                    let v = log.datapoint_of_buckets(query, w, published_stop, units);
                    if key.1 <= settled_stop {
                        self.settled.push_back((key.0, key.1, v));
                    }
                    v
                }
            };
            let Some(v) = v else {
                continue;
            };
            if newest.is_none() {
                newest = Some((v, k));
            }
            let breaching = config.comparison_operator.breaches(v, config.threshold);
            tally.add(Some(breaching), k as usize + 1, n);
        }
        (tally, newest)
    }

    /// Evaluates the alarm at `now_ms` on the published datapoints of `log`.
    pub fn evaluate(
        &mut self,
        config: &AlarmConfig,
        exclude_warming: bool,
        log: &BucketLog,
        units: &MetricUnits,
        now_ms: SimTime,
        delay_ms: SimDuration,
    ) -> AlarmEvaluation {
        let period = config.period_ms;
        let query = MetricQuery {
            metric: config.metric_name,
            statistic: config.statistic,
            exclude_warming,
        };
        let (range, period_buckets) = *self.geometry.get_or_insert_with(|| {
            let range = evaluation_range_len(config.evaluation_periods, period, delay_ms) as u64;
            let res = log.resolution_ms();
            (range, period.is_multiple_of(res).then(|| period / res))
        });
        let res = log.resolution_ms();
        let published_stop = log.published_stop(now_ms);
        // Windows end at now − k·period: in bucket indices when they align with the buckets
        // (the usual case: no division per window), else by the general rule.
        let one_minute_data = log.buckets_per_datapoint(query.metric) == 1;
        let (tally, newest) = match period_buckets {
            Some(1)
                if one_minute_data
                    && range <= MAX_RANGE
                    && self.counted_tally
                    && now_ms.is_multiple_of(res) =>
            {
                let data = (log, units);
                self.tally_bits(config, query, (now_ms / res, range), published_stop, data)
            }
            Some(pb) if now_ms.is_multiple_of(res) => {
                let geometry = (now_ms / res, pb, range);
                self.tally_aligned(config, query, geometry, published_stop, log, units)
            }
            _ => self.tally_general(config, query, (now_ms, range), published_stop, log, units),
        };
        let n = config.evaluation_periods as usize;
        let newest_value = newest.map(|(v, _)| v);
        let newest_window = newest.map(|(_, k)| {
            let end = now_ms - k * period;
            (end.saturating_sub(period), end)
        });
        let previous = self.state;
        let m = config.datapoints_to_alarm as usize;
        self.state = decide(&tally, n, m, config.treat_missing_data, previous);
        AlarmEvaluation {
            previous,
            state: self.state,
            newest_value,
            breaching: tally.breaching_newest_n,
            considered: tally.real.min(n),
            newest_window,
        }
    }
}

impl Default for AlarmRuntime {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
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
}
