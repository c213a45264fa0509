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

/// `N` series sampled at the same times, reduced together as they are built: the column of a
/// time is found once for all of them.
#[derive(Debug, Clone)]
pub(crate) struct SeriesSet<const N: usize> {
    /// The time the columns share out \[ms\].
    span_ms: SimTime,
    /// Points kept as they are, while there are at most `budget`.
    raw: Vec<(SimTime, [f64; N])>,
    /// One per display column once there were more than `budget` points.
    buckets: Vec<Option<[Bucket; N]>>,
    /// Most points kept as they are; then `budget / 2` columns.
    budget: usize,
    /// Points pushed.
    count: usize,
    /// The column the last point fell in and the times it covers, `[start, end)` \[ms\]: times
    /// only grow, so most points need no division.
    column: (usize, std::ops::Range<SimTime>),
}

impl<const N: usize> SeriesSet<N> {
    /// Empty series over `[0, span_ms]` that keep at most `budget` points each.
    pub(crate) fn new(span_ms: SimTime, budget: usize) -> Self {
        Self {
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

    /// Adds the value of each series at `t_ms`; times must not decrease.
    pub(crate) fn push(&mut self, t_ms: SimTime, values: [f64; N]) {
        self.count += 1;
        if self.buckets.is_empty() {
            self.raw.push((t_ms, values));
            if self.raw.len() > self.budget {
                self.switch_to_buckets();
            }
            return;
        }
        self.add_to_bucket(t_ms, values);
    }

    /// Switches from raw points to columns, replaying the raw points.
    fn switch_to_buckets(&mut self) {
        self.buckets = vec![None; self.budget / 2];
        for (t_ms, values) in std::mem::take(&mut self.raw) {
            self.add_to_bucket(t_ms, values);
        }
    }

    fn add_to_bucket(&mut self, t_ms: SimTime, values: [f64; N]) {
        if !self.column.1.contains(&t_ms) {
            self.column = self.column_of(t_ms, self.buckets.len());
        }
        match &mut self.buckets[self.column.0] {
            slot @ None => {
                *slot = Some(values.map(|v| Bucket {
                    low: (t_ms, v),
                    high: (t_ms, v),
                }));
            }
            // Strict comparisons keep the first of equal values; a missing value (NaN) is
            // replaced by the first present one and never replaces one.
            Some(buckets) => {
                for (bucket, &v) in buckets.iter_mut().zip(&values) {
                    if v < bucket.low.1 || (bucket.low.1.is_nan() && !v.is_nan()) {
                        bucket.low = (t_ms, v);
                    }
                    if v > bucket.high.1 || (bucket.high.1.is_nan() && !v.is_nan()) {
                        bucket.high = (t_ms, v);
                    }
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

    /// The points as pushed, while there were at most the budget.
    pub(crate) fn exact(&self) -> Option<&[(SimTime, [f64; N])]> {
        self.buckets.is_empty().then_some(self.raw.as_slice())
    }

    /// Once there were more points than the budget: the number of columns over the span, and
    /// each column's lowest and highest value of series `series` (none for an empty column).
    pub(crate) fn columns(&self, series: usize) -> (usize, Vec<Option<(f64, f64)>>) {
        let extremes = self
            .buckets
            .iter()
            .map(|b| b.map(|b| (b[series].low.1, b[series].high.1)))
            .collect();
        (self.buckets.len(), extremes)
    }

    /// The points to draw of series `series`, with times in `unit`: with `step`, a short
    /// series as steps (each value held until the next point); the points themselves up to the
    /// budget; else each column's lowest and highest point in time order.
    pub(crate) fn finish(&self, series: usize, step: bool, unit: TimeUnit) -> Vec<Point> {
        let point = |t_ms: SimTime, value: f64| (unit.of(t_ms), value);
        if self.buckets.is_empty() {
            let raw = self.raw.iter().map(|(t, values)| (*t, values[series]));
            if step && self.raw.len() * 2 <= self.budget {
                let mut points = Vec::with_capacity(self.raw.len() * 2);
                let mut previous = None;
                for (t_ms, value) in raw {
                    if let Some(held) = previous {
                        points.push(point(t_ms, held));
                    }
                    points.push(point(t_ms, value));
                    previous = Some(value);
                }
                return points;
            }
            return raw.map(|(t, v)| point(t, v)).collect();
        }
        let mut points = Vec::with_capacity(self.buckets.len() * 2);
        for buckets in self.buckets.iter().flatten() {
            let bucket = buckets[series];
            let (first, second) = if bucket.low.0 <= bucket.high.0 {
                (bucket.low, bucket.high)
            } else {
                (bucket.high, bucket.low)
            };
            points.push(point(first.0, first.1));
            if second.0 != first.0 {
                points.push(point(second.0, second.1));
            }
        }
        points
    }
}

/// One series reduced as it is built (see [`SeriesSet`]).
#[derive(Debug, Clone)]
pub(crate) struct SeriesBuilder {
    set: SeriesSet<1>,
    /// Draw as steps when few enough.
    step: bool,
}

impl SeriesBuilder {
    /// An empty series over `[0, span_ms]` that keeps at most `budget` points.
    pub(crate) fn new(span_ms: SimTime, budget: usize, step: bool) -> Self {
        Self {
            set: SeriesSet::new(span_ms, budget),
            step,
        }
    }

    /// Points pushed so far.
    pub(crate) fn len(&self) -> usize {
        self.set.len()
    }

    /// Adds the point (`t_ms`, `value`); times must not decrease.
    pub(crate) fn push(&mut self, t_ms: SimTime, value: f64) {
        self.set.push(t_ms, [value]);
    }

    /// The underlying set (for its exact points or columns).
    pub(crate) fn set(&self) -> &SeriesSet<1> {
        &self.set
    }

    /// The points to draw (see [`SeriesSet::finish`]).
    pub(crate) fn finish(&self, unit: TimeUnit) -> Vec<Point> {
        self.set.finish(0, self.step, unit)
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
            let mut s = SeriesSet::<1>::new(span, 14);
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

    #[test]
    fn series_of_a_set_are_reduced_each_on_its_own() {
        let mut set = SeriesSet::<2>::new(1_000, 4);
        for t in 0..=1_000u64 {
            set.push(t, [t as f64, -(t as f64)]);
        }
        let up = set.finish(0, false, TimeUnit::Hours);
        let down = set.finish(1, false, TimeUnit::Hours);
        assert_eq!(up.len(), 4);
        assert_eq!((up[0].1, up[3].1), (0.0, 1_000.0));
        assert_eq!((down[0].1, down[3].1), (0.0, -1_000.0));
    }
}
