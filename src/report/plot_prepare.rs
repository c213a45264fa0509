//! Everything the capacity plot draws, gathered from a [`RunOutput`] before any drawing.

use crate::records::TimelineRow;

use crate::run::RunOutput;

use super::plot_data::{
    MAX_POINTS, Point, TimeUnit, alarm_spans, positive_runs, series, series_by,
};
use super::plot_marks::{MarkKind, activity_marks};
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
    /// InService Spot instances (steps), in a mixed instances group.
    pub(super) spot: Option<Vec<Point>>,
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
    /// Gathers the plot of `output`.
    pub(super) fn new(output: &RunOutput) -> Self {
        let rows = &output.records.timeline;
        let last_ms = rows.last().map_or(0, |row| row.time_ms);
        let duration_ms = (output.summary.duration_s.max(0.0) * 1_000.0) as u64;
        let span_ms = last_ms.max(duration_ms);
        let unit = TimeUnit::for_span(span_ms);
        let x_end = if span_ms > 0 { unit.of(span_ms) } else { 1.0 };
        let count = |value: fn(&TimelineRow) -> u32| {
            series(rows, unit, true, move |row| f64::from(value(row)))
        };
        let forecast_rows: Vec<usize> = (0..rows.len())
            .filter(|&i| rows[i].forecast_capacity.is_some())
            .collect();
        let forecast = (!forecast_rows.is_empty()).then(|| {
            series_by(forecast_rows.len(), false, |k| {
                let row = &rows[forecast_rows[k]];
                (unit.of(row.time_ms), row.forecast_capacity.unwrap_or(0.0))
            })
        });
        let mut prepared = Self {
            unit,
            x_end,
            capacity_top: 1.0,
            load_top: 1.0,
            desired: count(|row| row.desired_capacity),
            in_service: count(|row| row.in_service),
            provisioned: count(|row| row.in_service + row.pending),
            min_size: count(|row| row.min_size),
            max_size: count(|row| row.max_size),
            pending_band: Vec::new(),
            unhealthy_band: Vec::new(),
            warm_pool: optional_series(rows, unit, |row| row.warm_pool),
            spot: optional_series(rows, unit, |row| row.in_service_spot),
            dense: rows.len() * 2 > MAX_POINTS,
            forecast,
            alarm_spans: (0..output.alarm_names.len())
                .map(|index| (index, alarm_spans(rows, index, unit)))
                .filter(|(_, spans)| !spans.is_empty())
                .collect(),
            marks: activity_marks(output, unit, x_end),
            spans: episode_spans(output, unit, x_end),
            load: series(rows, unit, false, |row| row.load_rps),
            served: series(rows, unit, false, |row| row.served_rps),
            dropped: positive_runs(&series(rows, unit, false, |row| row.dropped_rps)),
            cpu: series(rows, unit, false, |row| row.cpu_avg_percent),
            has_drops: rows.iter().any(|row| row.dropped_rps > 0.0),
        };
        if rows.iter().any(|row| row.pending > 0) {
            let lower = prepared.in_service.iter().rev();
            prepared.pending_band = prepared.provisioned.iter().chain(lower).copied().collect();
        }
        if rows.iter().any(|row| row.unhealthy > 0) {
            let serving = count(|row| row.in_service.saturating_sub(row.unhealthy));
            let upper = prepared.in_service.iter();
            prepared.unhealthy_band = upper.chain(serving.iter().rev()).copied().collect();
        }
        prepared.capacity_top = prepared.find_capacity_top();
        prepared.load_top = top_of(highest(&[&prepared.load, &prepared.served]));
        prepared
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

/// An optional count over time (steps: the warm pool size, the Spot instances), if any row
/// has it.
fn optional_series(
    rows: &[TimelineRow],
    unit: TimeUnit,
    value: impl Fn(&TimelineRow) -> Option<u32>,
) -> Option<Vec<Point>> {
    let pooled: Vec<usize> = (0..rows.len())
        .filter(|&i| value(&rows[i]).is_some())
        .collect();
    (!pooled.is_empty()).then(|| {
        let point = |k: usize| {
            let row = &rows[pooled[k]];
            (unit.of(row.time_ms), f64::from(value(row).unwrap_or(0)))
        };
        super::plot_data::series_by(pooled.len(), true, point)
    })
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
