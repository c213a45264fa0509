//! Series reduced for display as their points arrive, so that a plot of any number of timeline
//! rows holds a bounded number of points.
//!
//! A [`SeriesBuilder`] keeps every point while there are at most its budget; past that it
//! switches to one bucket per display column (an equal share of the run's span) holding the
//! lowest and the highest point, in time order. Spikes survive, memory stays flat whatever the
//! sample interval or duration, and a row is looked at once.

use crate::time::SimTime;

use super::plot_data::{Point, TimeUnit};

/// The lowest and highest point of one display column, each with its time \[ms\].
#[derive(Debug, Clone, Copy)]
struct Bucket {
    low: (SimTime, f64),
    high: (SimTime, f64),
}

/// A series of (time \[ms\], value) points in time order, reduced as it is built.
#[derive(Debug, Clone)]
pub(crate) struct SeriesBuilder {
    /// Draw as steps that hold each value until the next point (when few enough).
    step: bool,
    /// The time the columns share out \[ms\].
    span_ms: SimTime,
    /// Points kept as they are, while there are at most `budget`.
    raw: Vec<(SimTime, f64)>,
    /// One per display column once there were more than `budget` points.
    buckets: Vec<Option<Bucket>>,
    /// Most points kept as they are; then `budget / 2` columns.
    budget: usize,
    /// Points pushed.
    count: usize,
    /// The column the last point fell in and the times it covers, `[start, end)` \[ms\]: times
    /// only grow, so most points need no division.
    column: (usize, std::ops::Range<SimTime>),
}

impl SeriesBuilder {
    /// An empty series over `[0, span_ms]` that keeps at most `budget` points.
    pub(crate) fn new(span_ms: SimTime, budget: usize, step: bool) -> Self {
        Self {
            step,
            span_ms,
            raw: Vec::new(),
            buckets: Vec::new(),
            budget: budget.max(2),
            count: 0,
            column: (0, 0..0),
        }
    }

    /// Points pushed so far.
    pub(crate) fn len(&self) -> usize {
        self.count
    }

    /// Adds the point (`t_ms`, `value`); times must not decrease.
    pub(crate) fn push(&mut self, t_ms: SimTime, value: f64) {
        self.count += 1;
        if self.buckets.is_empty() {
            self.raw.push((t_ms, value));
            if self.raw.len() > self.budget {
                self.switch_to_buckets();
            }
            return;
        }
        self.add_to_bucket(t_ms, value);
    }

    /// Switches from raw points to columns, replaying the raw points.
    fn switch_to_buckets(&mut self) {
        self.buckets = vec![None; self.budget / 2];
        for (t_ms, value) in std::mem::take(&mut self.raw) {
            self.add_to_bucket(t_ms, value);
        }
    }

    fn add_to_bucket(&mut self, t_ms: SimTime, value: f64) {
        let columns = self.buckets.len();
        if !self.column.1.contains(&t_ms) {
            self.column = self.column_of(t_ms, columns);
        }
        let index = self.column.0;
        match &mut self.buckets[index] {
            None => {
                self.buckets[index] = Some(Bucket {
                    low: (t_ms, value),
                    high: (t_ms, value),
                });
            }
            // Strict comparisons keep the first of equal values.
            Some(bucket) => {
                if value < bucket.low.1 {
                    bucket.low = (t_ms, value);
                }
                if value > bucket.high.1 {
                    bucket.high = (t_ms, value);
                }
            }
        }
    }

    /// The column of `t_ms` among `columns` over the span, and the times it covers.
    fn column_of(&self, t_ms: SimTime, columns: usize) -> (usize, std::ops::Range<SimTime>) {
        let (span, columns) = (u128::from(self.span_ms), columns as u128);
        if span == 0 {
            return (0, 0..SimTime::MAX);
        }
        let index = (u128::from(t_ms) * columns / span).min(columns - 1);
        // Column k holds the times t with k ≤ t·columns/span < k + 1.
        let start = (index * span).div_ceil(columns);
        let end = if index + 1 == columns {
            u128::from(SimTime::MAX)
        } else {
            ((index + 1) * span).div_ceil(columns)
        };
        let clamp = |t: u128| t.min(u128::from(SimTime::MAX)) as SimTime;
        let start = if index == 0 { 0 } else { clamp(start) };
        (index as usize, start..clamp(end))
    }

    /// The points to draw, with times in `unit`: steps for a short step series (each value
    /// held until the next point), the points themselves up to the budget, else each column's
    /// lowest and highest point in time order.
    pub(crate) fn finish(&self, unit: TimeUnit) -> Vec<Point> {
        let point = |&(t_ms, value): &(SimTime, f64)| (unit.of(t_ms), value);
        if self.buckets.is_empty() {
            if self.step && self.raw.len() * 2 <= self.budget {
                let mut points = Vec::with_capacity(self.raw.len() * 2);
                for (i, here) in self.raw.iter().enumerate() {
                    if i > 0 {
                        points.push((unit.of(here.0), self.raw[i - 1].1));
                    }
                    points.push(point(here));
                }
                return points;
            }
            return self.raw.iter().map(point).collect();
        }
        let mut points = Vec::with_capacity(self.buckets.len() * 2);
        for bucket in self.buckets.iter().flatten() {
            let (first, second) = if bucket.low.0 <= bucket.high.0 {
                (bucket.low, bucket.high)
            } else {
                (bucket.high, bucket.low)
            };
            points.push(point(&first));
            if second.0 != first.0 {
                points.push(point(&second));
            }
        }
        points
    }
}

/// The stretches where a condition held, from the first time it held to the next time it did
/// not, merged when closer than `merge_gap_ms` (so a flapping alarm is one band, and the
/// count stays bounded by the span over the gap).
#[derive(Debug, Clone, Default)]
pub(crate) struct SpanBuilder {
    merge_gap_ms: SimTime,
    open: Option<SimTime>,
    last_ms: SimTime,
    spans: Vec<(SimTime, SimTime)>,
}

impl SpanBuilder {
    /// No spans yet; spans closer than `merge_gap_ms` will be merged.
    pub(crate) fn new(merge_gap_ms: SimTime) -> Self {
        Self {
            merge_gap_ms,
            ..Self::default()
        }
    }

    /// Whether the condition holds at `t_ms` (times must not decrease).
    pub(crate) fn push(&mut self, t_ms: SimTime, holds: bool) {
        self.last_ms = t_ms;
        match (holds, self.open) {
            (true, None) => self.open = Some(t_ms),
            (false, Some(start)) => {
                self.close((start, t_ms));
                self.open = None;
            }
            _ => {}
        }
    }

    fn close(&mut self, span: (SimTime, SimTime)) {
        match self.spans.last_mut() {
            Some(last) if span.0.saturating_sub(last.1) <= self.merge_gap_ms => last.1 = span.1,
            _ => self.spans.push(span),
        }
    }

    /// The spans \[ms\]; one still open ends at the last time pushed.
    pub(crate) fn finish(mut self) -> Vec<(SimTime, SimTime)> {
        if let Some(start) = self.open.take() {
            let end = self.last_ms;
            self.close((start, end));
        }
        self.spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: SimTime = 3_600_000;

    #[test]
    fn short_step_series_hold_each_value_until_the_next_point() {
        let mut s = SeriesBuilder::new(2 * HOUR, 3_000, true);
        for (t, v) in [(0, 2.0), (HOUR, 4.0), (2 * HOUR, 4.0)] {
            s.push(t, v);
        }
        assert_eq!(
            s.finish(TimeUnit::Hours),
            [(0.0, 2.0), (1.0, 2.0), (1.0, 4.0), (2.0, 4.0), (2.0, 4.0)]
        );
    }

    #[test]
    fn long_series_keep_each_columns_extremes_in_time_order() {
        let minutes = 525_600u64;
        let span = minutes * 60_000;
        let mut s = SeriesBuilder::new(span, 3_000, true);
        for i in 0..=minutes {
            let value = match i {
                300_001 => 99.0,
                300_002 => -5.0,
                _ => 3.0,
            };
            s.push(i * 60_000, value);
        }
        let points = s.finish(TimeUnit::Days);
        assert!(points.len() <= 3_000, "{}", points.len());
        let spike = points.iter().position(|p| p.1 == 99.0).unwrap();
        assert_eq!(points[spike + 1].1, -5.0, "the dip follows the spike");
        assert!(points.windows(2).all(|w| w[0].0 <= w[1].0));
        assert_eq!(s.len(), 525_601);
    }

    #[test]
    fn spans_close_at_the_next_row_and_merge_across_small_gaps() {
        let mut spans = SpanBuilder::new(10);
        for (t, holds) in [
            (0, false),
            (100, true),
            (200, true),
            (300, false),
            (305, true),
            (310, false),
            (400, true),
        ] {
            spans.push(t, holds);
        }
        assert_eq!(spans.finish(), [(100, 310), (400, 400)]);
        assert!(SpanBuilder::new(0).finish().is_empty());
    }

    proptest::proptest! {
        /// The cached column range always agrees with the division it saves.
        #[test]
        fn columns_match_the_division(span in 1u64..10_000_000, times in proptest::collection::vec(0u64..12_000_000, 1..200)) {
            let mut times = times;
            times.sort_unstable();
            let mut s = SeriesBuilder::new(span, 14, false);
            s.switch_to_buckets();
            let columns = s.buckets.len() as u128;
            for t in times {
                if !s.column.1.contains(&t) {
                    s.column = s.column_of(t, columns as usize);
                }
                let expected = (u128::from(t) * columns / u128::from(span)).min(columns - 1);
                proptest::prop_assert_eq!(s.column.0 as u128, expected);
            }
        }
    }
}
