//! What the capacity plot draws, computed from a run's rows without any drawing: time axis,
//! reduced series, alarm spans and tick positions (marks are in `plot_marks`, episodes in
//! `plot_spans`).
//!
//! Long timelines are reduced to at most [`MAX_POINTS`] points per series by keeping, for each
//! bucket of consecutive rows, the lowest and the highest value in time order, so that spikes
//! survive the reduction.

use crate::cloudwatch::AlarmState;

use crate::records::TimelineRow;
use crate::time::{MS_PER_DAY, MS_PER_HOUR};

/// Cosine of the turn beyond which a wide line is split (about 100°).
const SHARP_TURN_COS: f64 = -0.17;
/// Most points drawn per series.
pub(crate) const MAX_POINTS: usize = 3_000;
/// Alarm spans closer than this share of the time axis are merged.
const SPAN_MERGE_SHARE: f64 = 1.0 / 1_500.0;
/// Runs up to this span get an hours axis, longer ones a days axis \[ms\].
const HOURS_AXIS_MAX_MS: u64 = 72 * MS_PER_HOUR;
/// Most tick intervals wanted on an hours axis.
const MAX_HOUR_TICKS: f64 = 10.0;
/// Most tick intervals wanted on a days axis (so that a year gets months).
const MAX_DAY_TICKS: f64 = 13.0;

/// A point in plot coordinates: (time in the axis unit, value).
pub(crate) type Point = (f64, f64);

/// Unit of the time axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeUnit {
    /// Hours: runs up to 72 h.
    Hours,
    /// Days: longer runs.
    Days,
}

impl TimeUnit {
    /// The unit for a run of `span_ms`.
    pub(crate) fn for_span(span_ms: u64) -> Self {
        if span_ms <= HOURS_AXIS_MAX_MS {
            Self::Hours
        } else {
            Self::Days
        }
    }

    /// Milliseconds in one unit.
    fn ms(self) -> f64 {
        match self {
            Self::Hours => MS_PER_HOUR as f64,
            Self::Days => MS_PER_DAY as f64,
        }
    }

    /// A time \[ms\] in this unit.
    pub(crate) fn of(self, ms: u64) -> f64 {
        ms as f64 / self.ms()
    }

    /// The axis description.
    pub(crate) fn axis_label(self) -> &'static str {
        match self {
            Self::Hours => "time [h]",
            Self::Days => "time [days]",
        }
    }

    /// Most tick intervals on the axis.
    fn max_ticks(self) -> f64 {
        match self {
            Self::Hours => MAX_HOUR_TICKS,
            Self::Days => MAX_DAY_TICKS,
        }
    }

    /// Tick steps to choose from, smallest first.
    fn steps(self) -> &'static [f64] {
        match self {
            Self::Hours => &[0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 6.0, 12.0],
            Self::Days => &[1.0, 2.0, 7.0, 14.0, 30.0, 61.0, 91.0, 182.0, 365.0],
        }
    }
}

/// Tick positions `0, step, 2·step, … ≤ end` for a time axis, with a step from the unit's list.
pub(crate) fn time_ticks(unit: TimeUnit, end: f64) -> Vec<f64> {
    let steps = unit.steps();
    let step = steps
        .iter()
        .copied()
        .find(|step| end / step <= unit.max_ticks())
        .unwrap_or_else(|| {
            let largest = steps[steps.len() - 1];
            largest * (end / largest / unit.max_ticks()).ceil()
        });
    ticks(step, end)
}

/// Tick positions for a value axis from 0 to `end`: a 1, 2 or 5 × 10^k step, whole numbers
/// when `integer` (instance counts).
pub(crate) fn value_ticks(end: f64, integer: bool) -> Vec<f64> {
    let rough = (end / 8.0).max(f64::MIN_POSITIVE);
    let magnitude = 10f64.powf(rough.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= rough)
        .unwrap_or(10.0 * magnitude);
    if integer {
        step = step.max(1.0).round();
    }
    ticks(step, end)
}

/// `0, step, 2·step, …` up to `end` (with a little slack for rounding).
fn ticks(step: f64, end: f64) -> Vec<f64> {
    if !(step > 0.0 && end.is_finite() && end >= 0.0) {
        return vec![0.0];
    }
    let count = (end / step + 1e-9).floor() as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

/// A series of `value` over the rows, as points to draw (see [`series_by`]).
pub(crate) fn series(
    rows: &[TimelineRow],
    unit: TimeUnit,
    step: bool,
    value: impl Fn(&TimelineRow) -> f64,
) -> Vec<Point> {
    series_by(rows.len(), step, |i| {
        (unit.of(rows[i].time_ms), value(&rows[i]))
    })
}

/// The `n` points `point(0..n)` (in time order) as points to draw.
///
/// With `step`, a short series is drawn as a step function that holds each value until the
/// next point (a change shows where it was first seen); longer series are drawn as lines,
/// reduced to at most [`MAX_POINTS`] points.
pub(crate) fn series_by(n: usize, step: bool, point: impl Fn(usize) -> Point) -> Vec<Point> {
    if step && n * 2 <= MAX_POINTS {
        let mut points = Vec::with_capacity(n * 2);
        for i in 0..n {
            let here = point(i);
            if i > 0 {
                points.push((here.0, point(i - 1).1));
            }
            points.push(here);
        }
        return points;
    }
    if n <= MAX_POINTS {
        return (0..n).map(point).collect();
    }
    min_max_reduce(n, MAX_POINTS / 2, point)
}

/// Splits a path where it turns back by more than about 100°, measured in pixels (`scale` is
/// pixels per unit of x and y), dropping points less than half a pixel from the previous one.
///
/// plotters' bitmap backend fills a line wider than 1 px as one polygon around the whole
/// path; where the path turns back sharply that polygon crosses itself and the fill smears
/// across the plot. Runs without sharp turns fill correctly; right-angle steps stay joined.
pub(crate) fn split_at_sharp_turns(points: &[Point], scale: (f64, f64)) -> Vec<Vec<Point>> {
    let mut runs = Vec::new();
    let mut run: Vec<Point> = Vec::new();
    let mut heading: Option<(f64, f64)> = None;
    for &point in points {
        if let Some(&previous) = run.last() {
            let step = (
                (point.0 - previous.0) * scale.0,
                (point.1 - previous.1) * scale.1,
            );
            let length = step.0.hypot(step.1);
            if length.is_nan() || length < 0.5 {
                continue;
            }
            let direction = (step.0 / length, step.1 / length);
            if heading.is_some_and(|h| h.0 * direction.0 + h.1 * direction.1 < SHARP_TURN_COS) {
                runs.push(std::mem::replace(&mut run, vec![previous]));
            }
            heading = Some(direction);
        }
        run.push(point);
    }
    if run.len() > 1 {
        runs.push(run);
    }
    runs
}

/// The stretches of `points` above zero, each closed down to zero at both ends, so that a
/// filled area shows nothing (not even a line) where the value is zero.
pub(crate) fn positive_runs(points: &[Point]) -> Vec<Vec<Point>> {
    let mut runs = Vec::new();
    let mut run: Vec<Point> = Vec::new();
    for (i, &point) in points.iter().enumerate() {
        if point.1 > 0.0 {
            if run.is_empty() {
                let start = if i > 0 { points[i - 1].0 } else { point.0 };
                run.push((start, 0.0));
            }
            run.push(point);
        } else if !run.is_empty() {
            run.push((point.0, 0.0));
            runs.push(std::mem::take(&mut run));
        }
    }
    if let Some(&(last, _)) = run.last() {
        run.push((last, 0.0));
        runs.push(run);
    }
    runs
}

/// Reduces `n` points to at most `2 × buckets`: per bucket of consecutive points, the lowest
/// and the highest, in their own order.
fn min_max_reduce(n: usize, buckets: usize, point: impl Fn(usize) -> Point) -> Vec<Point> {
    let mut reduced = Vec::with_capacity(buckets * 2);
    for b in 0..buckets {
        let (start, end) = (b * n / buckets, (b + 1) * n / buckets);
        if start == end {
            continue;
        }
        let first = point(start);
        let (mut low, mut high) = ((start, first), (start, first));
        for i in start + 1..end {
            let p = point(i);
            if p.1 < low.1.1 {
                low = (i, p);
            }
            if p.1 > high.1.1 {
                high = (i, p);
            }
        }
        let (a, b) = if low.0 <= high.0 {
            (low, high)
        } else {
            (high, low)
        };
        reduced.push(a.1);
        if b.0 != a.0 {
            reduced.push(b.1);
        }
    }
    reduced
}

/// The time spans [start, end) where alarm `index` was in ALARM, merged when closer than a
/// small share of the axis. A span lasts from the first ALARM row to the next row that is not.
pub(crate) fn alarm_spans(rows: &[TimelineRow], index: usize, unit: TimeUnit) -> Vec<(f64, f64)> {
    let merge_gap = rows.last().map_or(0.0, |row| unit.of(row.time_ms)) * SPAN_MERGE_SHARE;
    let mut spans: Vec<(f64, f64)> = Vec::new();
    let mut start = None;
    for row in rows {
        let in_alarm = row.alarm_states.get(index) == Some(&AlarmState::Alarm);
        let t = unit.of(row.time_ms);
        match (in_alarm, start) {
            (true, None) => start = Some(t),
            (false, Some(s)) => {
                push_span(&mut spans, (s, t), merge_gap);
                start = None;
            }
            _ => {}
        }
    }
    if let (Some(s), Some(last)) = (start, rows.last()) {
        push_span(&mut spans, (s, unit.of(last.time_ms)), merge_gap);
    }
    spans
}

fn push_span(spans: &mut Vec<(f64, f64)>, span: (f64, f64), merge_gap: f64) {
    match spans.last_mut() {
        Some(last) if span.0 - last.1 <= merge_gap => last.1 = span.1,
        _ => spans.push(span),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(time_s: u64, value: u32, alarm: AlarmState) -> TimelineRow {
        TimelineRow {
            time_ms: time_s * 1_000,
            load_rps: f64::from(value),
            served_rps: 0.0,
            dropped_rps: 0.0,
            desired_capacity: value,
            min_size: 0,
            max_size: 0,
            pending: 0,
            in_service: 0,
            in_service_max: 0,
            terminating: 0,
            unhealthy: 0,
            cpu_avg_percent: 0.0,
            cpu_max_percent: 0.0,
            latency_ms: 0.0,
            forecast_capacity: None,
            warm_pool: None,
            instances_by_az: Vec::new(),
            alarm_states: vec![alarm],
        }
    }

    #[test]
    fn the_axis_unit_is_hours_up_to_three_days() {
        assert_eq!(TimeUnit::for_span(72 * MS_PER_HOUR), TimeUnit::Hours);
        assert_eq!(TimeUnit::for_span(72 * MS_PER_HOUR + 1), TimeUnit::Days);
        assert_eq!(TimeUnit::Days.of(MS_PER_DAY / 2), 0.5);
    }

    #[test]
    fn ticks_use_natural_steps() {
        assert_eq!(
            time_ticks(TimeUnit::Hours, 6.0),
            [0., 1., 2., 3., 4., 5., 6.]
        );
        assert_eq!(time_ticks(TimeUnit::Hours, 24.0).len(), 9);
        assert_eq!(time_ticks(TimeUnit::Hours, 72.0)[1], 12.0);
        assert_eq!(time_ticks(TimeUnit::Days, 365.0)[1], 30.0);
        assert_eq!(time_ticks(TimeUnit::Days, 3650.0)[1], 365.0);
        assert_eq!(value_ticks(7.0, true), [0., 1., 2., 3., 4., 5., 6., 7.]);
        assert_eq!(value_ticks(2.0, true), [0., 1., 2.]);
        assert_eq!(value_ticks(1000.0, false)[1], 200.0);
        assert_eq!(ticks(1.0, f64::NAN), [0.0]);
    }

    #[test]
    fn short_series_are_steps_that_hold_until_the_next_sample() {
        let rows = [
            row(0, 2, AlarmState::Ok),
            row(3600, 4, AlarmState::Ok),
            row(7200, 4, AlarmState::Ok),
        ];
        let points = series(&rows, TimeUnit::Hours, true, |r| {
            f64::from(r.desired_capacity)
        });
        assert_eq!(
            points,
            [(0.0, 2.0), (1.0, 2.0), (1.0, 4.0), (2.0, 4.0), (2.0, 4.0)]
        );
    }

    #[test]
    fn long_series_keep_spikes_within_the_point_budget() {
        let rows: Vec<_> = (0..525_600u64)
            .map(|i| row(i * 60, if i == 300_001 { 99 } else { 3 }, AlarmState::Ok))
            .collect();
        let points = series(&rows, TimeUnit::Days, true, |r| {
            f64::from(r.desired_capacity)
        });
        assert!(points.len() <= MAX_POINTS);
        assert!(points.iter().any(|p| p.1 == 99.0));
        assert!(points.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    #[test]
    fn wide_lines_split_where_they_turn_back_but_not_at_steps() {
        let steps = [
            (0.0, 1.0),
            (1.0, 1.0),
            (1.0, 2.0),
            (2.0, 2.0),
            (2.0, 1.0),
            (3.0, 1.0),
        ];
        assert_eq!(split_at_sharp_turns(&steps, (10.0, 10.0)), [steps.to_vec()]);
        let spike = [(0.0, 0.0), (1.0, 10.0), (2.0, 0.0), (3.0, 0.0)];
        assert_eq!(
            split_at_sharp_turns(&spike, (10.0, 10.0)),
            [
                vec![(0.0, 0.0), (1.0, 10.0)],
                vec![(1.0, 10.0), (2.0, 0.0), (3.0, 0.0)]
            ]
        );
        let crowded = [(0.0, 0.0), (0.01, 0.0), (1.0, 0.0)];
        assert_eq!(
            split_at_sharp_turns(&crowded, (10.0, 10.0)),
            [vec![(0.0, 0.0), (1.0, 0.0)]]
        );
        assert!(split_at_sharp_turns(&[(0.0, 0.0)], (1.0, 1.0)).is_empty());
    }

    #[test]
    fn positive_runs_close_at_zero() {
        let points = [
            (0.0, 0.0),
            (1.0, 2.0),
            (2.0, 3.0),
            (3.0, 0.0),
            (4.0, 0.0),
            (5.0, 1.0),
        ];
        assert_eq!(
            positive_runs(&points),
            [
                vec![(0.0, 0.0), (1.0, 2.0), (2.0, 3.0), (3.0, 0.0)],
                vec![(4.0, 0.0), (5.0, 1.0), (5.0, 0.0)],
            ]
        );
        assert!(positive_runs(&[(0.0, 0.0), (1.0, 0.0)]).is_empty());
    }

    #[test]
    fn alarm_spans_run_from_the_first_alarm_row_to_the_next_other_row() {
        let states = [
            AlarmState::InsufficientData,
            AlarmState::Alarm,
            AlarmState::Alarm,
            AlarmState::Ok,
            AlarmState::Alarm,
        ];
        let rows: Vec<_> = states
            .iter()
            .enumerate()
            .map(|(i, &s)| row(i as u64 * 3600, 1, s))
            .collect();
        let spans = alarm_spans(&rows, 0, TimeUnit::Hours);
        assert_eq!(spans, [(1.0, 3.0), (4.0, 4.0)]);
        assert!(alarm_spans(&rows, 1, TimeUnit::Hours).is_empty());
    }
}
