//! Alarm evaluation: M of N datapoints, the evaluation range and TreatMissingData, exactly as
//! the CloudWatch user guide describes them (asg-semantics.md §5 and the tables of §12.9).

use std::collections::VecDeque;

use crate::recorder::AlarmState;
use crate::scenario::{AlarmConfig, TreatMissingData};
use crate::time::{SimDuration, SimTime};

use super::metrics::{BucketLog, MetricQuery, MetricUnits};

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
    let (n, m) = (evaluation_periods, datapoints_to_alarm);
    let real = points.iter().flatten().count();
    let verdict = |breaching: usize| {
        if breaching >= m {
            AlarmState::Alarm
        } else {
            AlarmState::Ok
        }
    };
    if real >= n {
        let newest = points.iter().rev().flatten().take(n);
        return verdict(newest.filter(|b| **b).count());
    }
    let breaching_real = points.iter().flatten().filter(|b| **b).count();
    match treat {
        TreatMissingData::Breaching => verdict(breaching_real + (n - real)),
        TreatMissingData::NotBreaching => verdict(breaching_real),
        TreatMissingData::Missing => missing_rule(points, m, breaching_real, real, current),
        TreatMissingData::Ignore => match missing_rule(points, m, breaching_real, real, current) {
            AlarmState::Ok => AlarmState::Ok,
            _ => current,
        },
    }
}

fn missing_rule(
    points: &[Option<bool>],
    m: usize,
    breaching: usize,
    real: usize,
    current: AlarmState,
) -> AlarmState {
    if real == 0 {
        return AlarmState::InsufficientData;
    }
    if breaching < m.min(real) {
        return AlarmState::Ok;
    }
    let oldest_breach = points.iter().position(|p| *p == Some(true));
    let age = oldest_breach.map_or(0, |i| points.len() - i);
    if age >= m { AlarmState::Alarm } else { current }
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
    /// The window `[start, end)` of the newest real datapoint [ms].
    pub newest_window: Option<(SimTime, SimTime)>,
}

/// An alarm's running state.
#[derive(Debug, Clone)]
pub struct AlarmRuntime {
    /// Current state.
    pub state: AlarmState,
    points: Vec<Option<bool>>,
    values: Vec<Option<f64>>,
    /// Values of windows whose datapoints are all published, by window end: they never
    /// change, so each is computed once (the alarm re-reads them every minute).
    settled: VecDeque<(SimTime, Option<f64>)>,
    /// The evaluation range [periods] and the period in buckets, if whole; set on first use.
    geometry: Option<(u64, Option<u64>)>,
}

impl AlarmRuntime {
    /// A new alarm, in INSUFFICIENT_DATA as CloudWatch creates them.
    pub fn new() -> Self {
        Self {
            state: AlarmState::InsufficientData,
            points: Vec::new(),
            values: Vec::new(),
            settled: VecDeque::new(),
            geometry: None,
        }
    }

    /// The datapoint of the buckets in `range`, from the cache once they are all published.
    fn window_value(
        &mut self,
        query: MetricQuery,
        range: std::ops::Range<u64>,
        published_stop: u64,
        log: &BucketLog,
        units: &MetricUnits,
    ) -> Option<f64> {
        if let Some((_, v)) = self.settled.iter().find(|(e, _)| *e == range.end) {
            return *v;
        }
        let end = range.end;
        let value = log.datapoint_of_buckets(query, range, published_stop, units);
        if end <= published_stop {
            self.settled.push_back((end, value));
        }
        value
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
        let mut newest_window = None;
        let (range, period_buckets) = *self.geometry.get_or_insert_with(|| {
            let range = evaluation_range_len(config.evaluation_periods, period, delay_ms) as u64;
            let res = log.resolution_ms();
            (range, period.is_multiple_of(res).then(|| period / res))
        });
        let res = log.resolution_ms();
        let published_stop = log.published_stop(now_ms);
        // Windows end at now − k·period: in bucket indices when they align with the buckets
        // (the usual case: no division per window), else by the general rule.
        let now_index = match period_buckets {
            Some(_) if now_ms.is_multiple_of(res) => Some(now_ms / res),
            _ => None,
        };
        let bucket_range = |k: u64, end: SimTime| match (now_index, period_buckets) {
            (Some(now_index), Some(pb)) => {
                let stop = now_index - k * pb;
                stop - pb..stop
            }
            _ => (end - period).div_ceil(res)..end.div_ceil(res),
        };
        if now_ms >= period {
            let oldest = (range - 1).min(now_ms / period - 1);
            let oldest_end = bucket_range(oldest, now_ms - oldest * period).end;
            while self.settled.front().is_some_and(|(e, _)| *e < oldest_end) {
                self.settled.pop_front();
            }
        }
        self.points.clear();
        self.values.clear();
        for k in (0..range).rev() {
            let end = now_ms.checked_sub(k * period);
            let value = match end {
                Some(end) if end >= period => {
                    let window = bucket_range(k, end);
                    let v = self.window_value(query, window, published_stop, log, units);
                    if v.is_some() {
                        newest_window = Some((end - period, end));
                    }
                    v
                }
                _ => None,
            };
            self.values.push(value);
            self.points
                .push(value.map(|v| config.comparison_operator.breaches(v, config.threshold)));
        }
        let n = config.evaluation_periods as usize;
        let previous = self.state;
        self.state = evaluate_points(
            &self.points,
            n,
            config.datapoints_to_alarm as usize,
            config.treat_missing_data,
            previous,
        );
        let (mut breaching, mut considered) = (0, 0);
        for b in self.points.iter().rev().flatten().take(n) {
            considered += 1;
            breaching += usize::from(*b);
        }
        AlarmEvaluation {
            previous,
            state: self.state,
            newest_value: self.values.iter().rev().flatten().next().copied(),
            breaching,
            considered,
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
