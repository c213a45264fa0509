//! Everything the capacity plot draws, gathered before any drawing: from a whole [`RunOutput`]
//! or row by row as a run goes ([`PlotBuilder`]).

use crate::cloudwatch::AlarmState;
use crate::records::{Activity, Episode, TimelineRow};
use crate::run::RunOutput;
use crate::time::SimTime;

use super::decimate::{SeriesBuilder, SeriesSet, SpanBuilder};
use super::plot_data::{MAX_POINTS, Point, SPAN_MERGE_SHARE, TimeUnit, positive_runs};
use super::plot_marks::{MarkBuilder, MarkKind};
use super::plot_spans::{Span, episode_spans};

/// Head room above the highest capacity and load \[share\].
const HEAD_ROOM: f64 = 0.1;
/// Head room above the highest capacity when episode labels sit at the top \[share\].
const LABELLED_HEAD_ROOM: f64 = 0.2;

/// The series, spans, marks and axis ends of one plot.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    /// Unit of the time axis.
    pub(super) unit: TimeUnit,
    /// End of the time axis, in `unit`.
    pub(super) x_end: f64,
    /// The span of the time axis \[ms\].
    pub(super) span_ms: SimTime,
    /// Wall clock of t = 0 when the scenario sets `start_time` (dates on the axis).
    pub(super) start: Option<jiff::Timestamp>,
    /// Top of the capacity axis \[instances\].
    pub(super) capacity_top: f64,
    /// Top of the load axis \[req/s\].
    pub(super) load_top: f64,
    /// Desired capacity (steps).
    pub(super) desired: Vec<Point>,
    /// InService instances (steps).
    pub(super) in_service: Vec<Point>,
    /// InService plus Pending instances (steps).
    pub(super) provisioned: Vec<Point>,
    /// The polygon between `in_service` and `provisioned`: the Pending instances.
    pub(super) pending_band: Vec<Point>,
    /// The polygon between `in_service` and `in_service − unhealthy` (at least 0): the
    /// unhealthy instances as the top of the in-service area; empty if none ever was.
    pub(super) unhealthy_band: Vec<Point>,
    /// Instances in the warm pool (steps), if the timeline has the column.
    pub(super) warm_pool: Option<Vec<Point>>,
    /// Min size (steps).
    pub(super) min_size: Vec<Point>,
    /// Max size (steps).
    pub(super) max_size: Vec<Point>,
    /// Forecast capacity, if any row has one.
    pub(super) forecast: Option<Vec<Point>>,
    /// Whether the timeline has more rows than about one per pixel: the forecast is then drawn
    /// as a thin solid line rather than dotted (a dotted line is one element per dot, far too
    /// many along a wiggly year).
    pub(super) dense: bool,
    /// (alarm index, spans in ALARM) of the alarms that were ever in ALARM.
    pub(super) alarm_spans: Vec<(usize, Vec<(f64, f64)>)>,
    /// Marks of decisions and replacements, by kind in legend order (only kinds present).
    pub(super) marks: Vec<(MarkKind, Vec<Point>)>,
    /// Scripted episodes, by start.
    pub(super) spans: Vec<Span>,
    /// Offered load \[req/s\].
    pub(super) load: Vec<Point>,
    /// Served load \[req/s\].
    pub(super) served: Vec<Point>,
    /// Dropped load \[req/s\], as the stretches where some was dropped.
    pub(super) dropped: Vec<Vec<Point>>,
    /// Average CPU \[%\].
    pub(super) cpu: Vec<Point>,
    /// Whether any load was dropped.
    pub(super) has_drops: bool,
}

impl Prepared {
    /// Gathers the plot of a whole in-memory `output`.
    pub(super) fn new(output: &RunOutput) -> Self {
        let rows = &output.records.timeline;
        let last_ms = rows.last().map_or(0, |row| row.time_ms);
        let duration_ms = (output.summary.duration_s.max(0.0) * 1_000.0) as u64;
        let mut builder = PlotBuilder::new(last_ms.max(duration_ms), output.alarm_names.len())
            .with_start(output.start_time);
        for row in rows {
            builder.push_row(row);
        }
        for activity in &output.records.activities {
            builder.push_activity(activity);
        }
        for episode in &output.records.episodes {
            builder.push_episode(episode.clone());
        }
        builder.finish()
    }

    /// The top of the capacity axis: the highest capacity drawn plus head room, a whole number.
    fn find_capacity_top(&self) -> f64 {
        let mut series = vec![&self.desired, &self.provisioned, &self.max_size];
        series.extend(self.marks.iter().map(|(_, points)| points));
        series.extend(&self.forecast);
        series.extend(&self.warm_pool);
        let highest = highest(&series);
        let room = if self.spans.is_empty() {
            HEAD_ROOM
        } else {
            LABELLED_HEAD_ROOM
        };
        (highest * (1.0 + room)).max(highest + 1.0).ceil()
    }
}

/// Gathers a plot as the run goes: each row, activity and episode is looked at once and the
/// series are reduced on the fly (see `super::decimate`), so a plot of any run holds a few
/// thousand points per series.
#[derive(Debug, Clone)]
pub(crate) struct PlotBuilder {
    span_ms: SimTime,
    /// Wall clock of t = 0 when the scenario sets `start_time`.
    start: Option<jiff::Timestamp>,
    /// The series every row has, indexed by the `SERIES_*` constants.
    series: SeriesSet<SERIES>,
    warm_pool: SeriesBuilder,
    forecast: SeriesBuilder,
    any_pending: bool,
    any_unhealthy: bool,
    any_drops: bool,
    alarms: Vec<SpanBuilder>,
    marks: MarkBuilder,
    episodes: Vec<Episode>,
}

/// How many series every row has, and their indices in `PlotBuilder::series`.
const SERIES: usize = 10;
const DESIRED: usize = 0;
const IN_SERVICE: usize = 1;
const PROVISIONED: usize = 2;
const SERVING: usize = 3;
const MIN_SIZE: usize = 4;
const MAX_SIZE: usize = 5;
const LOAD: usize = 6;
const SERVED: usize = 7;
const DROPPED: usize = 8;
const CPU: usize = 9;

impl PlotBuilder {
    /// An empty plot of a run over `[0, span_ms]` with `alarms` alarms.
    pub(crate) fn new(span_ms: SimTime, alarms: usize) -> Self {
        let merge_gap_ms = (span_ms as f64 * SPAN_MERGE_SHARE) as SimTime;
        Self {
            span_ms,
            start: None,
            series: SeriesSet::new(span_ms, MAX_POINTS),
            warm_pool: SeriesBuilder::new(span_ms, MAX_POINTS, true),
            forecast: SeriesBuilder::new(span_ms, MAX_POINTS, false),
            any_pending: false,
            any_unhealthy: false,
            any_drops: false,
            alarms: vec![SpanBuilder::new(merge_gap_ms); alarms],
            marks: MarkBuilder::new(span_ms),
            episodes: Vec::new(),
        }
    }

    /// The same plot with dates on its time axis from `start` (the scenario's `start_time`).
    pub(crate) fn with_start(mut self, start: Option<jiff::Timestamp>) -> Self {
        self.start = start;
        self
    }

    /// One timeline row (in time order).
    pub(crate) fn push_row(&mut self, row: &TimelineRow) {
        let t = row.time_ms;
        let count = |n: u32| f64::from(n);
        let mut values = [0.0; SERIES];
        values[DESIRED] = count(row.desired_capacity);
        values[IN_SERVICE] = count(row.in_service);
        values[PROVISIONED] = count(row.in_service + row.pending);
        values[SERVING] = count(row.in_service.saturating_sub(row.unhealthy));
        values[MIN_SIZE] = count(row.min_size);
        values[MAX_SIZE] = count(row.max_size);
        values[LOAD] = row.load_rps;
        values[SERVED] = row.served_rps;
        values[DROPPED] = row.dropped_rps;
        // No CPU when nothing served: drawn at 0, where the load panel shows no load served.
        values[CPU] = row.cpu_avg_percent.unwrap_or(0.0);
        self.series.push(t, values);
        if let Some(size) = row.warm_pool {
            self.warm_pool.push(t, count(size));
        }
        if let Some(forecast) = row.forecast_capacity {
            self.forecast.push(t, forecast);
        }
        self.any_pending |= row.pending > 0;
        self.any_unhealthy |= row.unhealthy > 0;
        self.any_drops |= row.dropped_rps > 0.0;
        for (index, spans) in self.alarms.iter_mut().enumerate() {
            spans.push(t, row.alarm_states.get(index) == Some(&AlarmState::Alarm));
        }
    }

    /// One activity (in time order).
    pub(crate) fn push_activity(&mut self, activity: &Activity) {
        self.marks.push(activity);
    }

    /// One scripted episode (in any order).
    pub(crate) fn push_episode(&mut self, episode: Episode) {
        self.episodes.push(episode);
    }

    /// Everything the plot draws.
    pub(crate) fn finish(self) -> Prepared {
        let span_ms = self.span_ms;
        let unit = TimeUnit::for_span(span_ms);
        let x_end = if span_ms > 0 { unit.of(span_ms) } else { 1.0 };
        let series = |index: usize, step: bool| self.series.finish(index, step, unit);
        let in_service = series(IN_SERVICE, true);
        let provisioned = series(PROVISIONED, true);
        let pending_band = if self.any_pending {
            provisioned
                .iter()
                .chain(in_service.iter().rev())
                .copied()
                .collect()
        } else {
            Vec::new()
        };
        let unhealthy_band = if self.any_unhealthy {
            let serving = series(SERVING, true);
            in_service
                .iter()
                .chain(serving.iter().rev())
                .copied()
                .collect()
        } else {
            Vec::new()
        };
        let optional = |s: SeriesBuilder| (s.len() > 0).then(|| s.finish(unit));
        let alarm_spans = self
            .alarms
            .into_iter()
            .enumerate()
            .map(|(index, spans)| {
                let spans = spans.finish();
                (
                    index,
                    spans
                        .iter()
                        .map(|&(a, b)| (unit.of(a), unit.of(b)))
                        .collect(),
                )
            })
            .filter(|(_, spans): &(usize, Vec<(f64, f64)>)| !spans.is_empty())
            .collect();
        let mut prepared = Prepared {
            unit,
            x_end,
            span_ms,
            start: self.start,
            capacity_top: 1.0,
            load_top: 1.0,
            desired: series(DESIRED, true),
            in_service,
            provisioned,
            pending_band,
            unhealthy_band,
            warm_pool: optional(self.warm_pool),
            min_size: series(MIN_SIZE, true),
            max_size: series(MAX_SIZE, true),
            forecast: optional(self.forecast),
            dense: self.series.len() * 2 > MAX_POINTS,
            alarm_spans,
            marks: self.marks.finish(unit),
            spans: episode_spans(&self.episodes, unit, x_end),
            load: series(LOAD, false),
            served: series(SERVED, false),
            dropped: positive_runs(&series(DROPPED, false)),
            cpu: series(CPU, false),
            has_drops: self.any_drops,
        };
        prepared.capacity_top = prepared.find_capacity_top();
        prepared.load_top = top_of(highest(&[&prepared.load, &prepared.served]));
        prepared
    }
}

/// The highest finite value of the series, or 0.
fn highest(series: &[&Vec<Point>]) -> f64 {
    series
        .iter()
        .flat_map(|points| points.iter().map(|p| p.1))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
}

/// An axis top with head room above `highest`, at least 1.
fn top_of(highest: f64) -> f64 {
    if highest > 0.0 {
        highest * (1.0 + HEAD_ROOM)
    } else {
        1.0
    }
}
