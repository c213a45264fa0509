//! Geometry of the capacity plot without any drawing: the time axis and its ticks, value
//! ticks, and the shaping of lines and filled runs (series are reduced in `decimate`, marks
//! are in `plot_marks`, episodes in `plot_spans`).

use crate::time::{MS_PER_DAY, MS_PER_HOUR};

/// Cosine of the turn beyond which a wide line is split (about 100°).
const SHARP_TURN_COS: f64 = -0.17;
/// Most points drawn per series.
pub(crate) const MAX_POINTS: usize = 3_000;
/// Alarm spans closer than this share of the time axis are merged.
pub(crate) const SPAN_MERGE_SHARE: f64 = 1.0 / 1_500.0;
/// Runs up to this span get an hours axis, longer ones a days axis \[ms\].
const HOURS_AXIS_MAX_MS: u64 = 72 * MS_PER_HOUR;
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

    /// A time in this unit as \[ms\].
    pub(crate) fn to_ms(self, value: f64) -> f64 {
        value * self.ms()
    }

    /// A time \[ms\] in this unit.
    pub(crate) fn of(self, ms: u64) -> f64 {
        ms as f64 / self.ms()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_unit_is_hours_up_to_three_days() {
        assert_eq!(TimeUnit::for_span(72 * MS_PER_HOUR), TimeUnit::Hours);
        assert_eq!(TimeUnit::for_span(72 * MS_PER_HOUR + 1), TimeUnit::Days);
        assert_eq!(TimeUnit::Days.of(MS_PER_DAY / 2), 0.5);
    }

    #[test]
    fn value_ticks_use_natural_steps() {
        assert_eq!(value_ticks(7.0, true), [0., 1., 2., 3., 4., 5., 6., 7.]);
        assert_eq!(value_ticks(2.0, true), [0., 1., 2.]);
        assert_eq!(value_ticks(1000.0, false)[1], 200.0);
        assert_eq!(ticks(1.0, f64::NAN), [0.0]);
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
}
