//! `capacity.png` and `capacity.svg`: capacity over time with the load and the CPU.
//!
//! Layout, top to bottom: a title with a one-line summary; the capacity panel (about 60% of
//! the height: in service and pending as stacked areas, the unhealthy instances as a red band
//! at the top of the in-service area, desired capacity as a thick step line, min and max size
//! dashed, the warm pool as a line, a forecast dotted (thin and solid on timelines with more
//! rows than pixels), faint bands where an alarm was in ALARM, and marks: scale-out ▲ and
//! scale-in ▼ decisions, and the group's own replacements (health, max lifetime, instance
//! refresh, AZ rebalancing) in shapes of their own, see `plot_marks`); the load panel
//! (offered load, served and dropped load when anything was dropped, on the left axis;
//! average CPU on the right axis). Scripted episodes (an AZ outage, an instance refresh) are
//! shaded across both panels and labelled at the top of the capacity panel (`plot_spans`).
//! Each panel has its legend in a row above it, so no legend hides data, and a legend names
//! only what is drawn. Both panels share the time axis, in hours for runs up to 72 h and in
//! days beyond.
//!
//! Long timelines are reduced to at most 3,000 points per series (see `plot_data`). Lines
//! wider than 1 px go through [`line`], because plotters' bitmap backend smears a wide line
//! that turns back sharply across the whole image.

use std::io;
use std::path::Path;

use plotters::chart::{ChartContext, DualCoordChartContext};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::records::Summary;
use crate::run::RunOutput;

use super::ReportError;
use super::clock::{clock_axis_description, clock_label, clock_ticks};
use super::files::write_atomic;
use super::format::quantity_string;
use super::plot_data::{MAX_POINTS, Point, TimeUnit, split_at_sharp_turns, value_ticks};
use super::plot_font::{self, FAMILY};
use super::plot_legend::{LegendEntry, Swatch, draw_legend, legend_height};
use super::plot_marks::draw_marks;
use super::plot_prepare::Prepared;
use super::plot_spans::{draw_span_bands, draw_span_labels};
use super::plot_text::GlyphText;
use super::plot_title::draw_title;
use super::png::render_png;

/// Size of `capacity.png` and `capacity.svg` \[px\].
pub const CAPACITY_PLOT_SIZE: (u32, u32) = (1600, 1000);

/// Why plotters could not draw a plot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PlotError {
    /// What plotters said.
    pub message: String,
}

/// Height of the title block \[px\].
const TITLE_HEIGHT: u32 = 96;
/// Space left and right of the panels \[px\].
pub(super) const SIDE_MARGIN: u32 = 24;
/// Width of the y label areas, left and right \[px\].
const Y_LABEL_WIDTH: u32 = 96;
/// Height of the x label area of the bottom panel \[px\].
const X_LABEL_HEIGHT: u32 = 64;
/// Share of the height below the title given to the capacity panel.
const TOP_SHARE: f64 = 0.6;
/// Tick label size \[px\].
const LABEL_SIZE: u32 = 18;
/// Axis description size \[px\].
const AXIS_DESC_SIZE: u32 = 20;

pub(super) const TEXT: RGBColor = RGBColor(33, 37, 41);
pub(super) const MUTED: RGBColor = RGBColor(90, 96, 104);
const GRID: RGBColor = RGBColor(226, 229, 233);
const AXIS: RGBColor = RGBColor(120, 126, 134);
const DESIRED: RGBColor = RGBColor(33, 37, 41);
const IN_SERVICE: RGBColor = RGBColor(31, 119, 180);
const PENDING: RGBColor = RGBColor(255, 170, 60);
const BOUNDS: RGBColor = RGBColor(110, 110, 110);
const FORECAST: RGBColor = RGBColor(148, 103, 189);
const UNHEALTHY: RGBColor = RGBColor(214, 39, 40);
const WARM_POOL: RGBColor = RGBColor(23, 190, 207);
const LOAD: RGBColor = RGBColor(31, 119, 180);
const SERVED: RGBColor = RGBColor(44, 160, 44);
const DROPPED: RGBColor = RGBColor(214, 39, 40);
const CPU: RGBColor = RGBColor(255, 127, 14);
/// Band colours of the alarms, in scenario order (repeating).
const ALARM_COLOURS: [RGBColor; 6] = [
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(23, 190, 207),
    RGBColor(188, 189, 34),
    RGBColor(227, 119, 194),
];
/// A wide line split into more than one piece per this many points is drawn as offset copies.
const MAX_RUN_SHARE: usize = 20;
/// Opacity of the alarm bands.
const BAND_ALPHA: f64 = 0.13;
/// Opacity of the unhealthy band.
const UNHEALTHY_ALPHA: f64 = 0.6;

/// A linear f64 axis with ticks at chosen values (plotters' `WithKeyPoints` over an f64 range
/// has no label formatting, so the mesh could not be configured).
#[derive(Debug, Clone)]
pub(crate) struct Axis {
    end: f64,
    ticks: Vec<f64>,
}

impl Axis {
    fn linear(&self) -> RangedCoordf64 {
        (0.0..self.end).into()
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.linear().map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        0.0..self.end
    }
}

type Result2<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws the capacity plot of `output` on `root` and presents it (the backend then writes its
/// file or string).
///
/// Generic over the backend: the same drawing goes to a PNG, an SVG or a test backend. Any
/// size works; [`CAPACITY_PLOT_SIZE`] is the one the fonts and margins are chosen for.
pub fn draw_capacity<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    output: &RunOutput,
) -> Result<(), PlotError> {
    let data = Prepared::new(output);
    draw_prepared(root, &data, &output.summary, &output.alarm_names)
}

/// Draws a plot gathered beforehand (see [`Prepared`]) and presents it.
pub(super) fn draw_prepared<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    data: &Prepared,
    summary: &Summary,
    alarm_names: &[String],
) -> Result<(), PlotError> {
    plot_font::register().map_err(|e| PlotError {
        message: e.to_string(),
    })?;
    draw_all(root, data, summary, alarm_names).map_err(|e| PlotError {
        message: e.to_string(),
    })
}

/// [`draw_prepared`] once the font is there.
fn draw_all<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    data: &Prepared,
    summary: &Summary,
    alarm_names: &[String],
) -> Result2<DB> {
    root.fill(&WHITE)?;
    let (_, height) = root.dim_in_pixel();
    let (title, body) = root.split_vertically(TITLE_HEIGHT.min(height));
    draw_title(&title, summary)?;
    let body_height = height.saturating_sub(TITLE_HEIGHT);
    let (top, bottom) = body.split_vertically((f64::from(body_height) * TOP_SHARE) as u32);
    draw_capacity_panel(&top, data, alarm_names)?;
    draw_load_panel(&bottom, data)?;
    root.present()
}

/// The capacity plot as an SVG document of [`CAPACITY_PLOT_SIZE`].
pub fn capacity_svg(output: &RunOutput) -> Result<String, PlotError> {
    capacity_svg_of(&Prepared::new(output), &output.summary, &output.alarm_names)
}

/// [`capacity_svg`] of a plot gathered beforehand.
pub(super) fn capacity_svg_of(
    data: &Prepared,
    summary: &Summary,
    alarm_names: &[String],
) -> Result<String, PlotError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, CAPACITY_PLOT_SIZE).into_drawing_area();
        draw_prepared(root, data, summary, alarm_names)?;
    }
    Ok(svg)
}

/// Draws the capacity plot as a PNG of [`CAPACITY_PLOT_SIZE`] into `path`, atomically (drawn in
/// memory, then written as [`super::write_atomic`] does).
pub fn capacity_png(output: &RunOutput, path: &Path) -> Result<(), ReportError> {
    capacity_png_of(
        &Prepared::new(output),
        &output.summary,
        &output.alarm_names,
        path,
    )
}

/// [`capacity_png`] of a plot gathered beforehand.
pub(super) fn capacity_png_of(
    data: &Prepared,
    summary: &Summary,
    alarm_names: &[String],
    path: &Path,
) -> Result<(), ReportError> {
    let plot_error = |cause: io::Error| ReportError::Plot {
        path: path.to_path_buf(),
        message: cause.to_string(),
    };
    let png = render_png(CAPACITY_PLOT_SIZE, |backend| {
        draw_prepared(
            GlyphText(backend).into_drawing_area(),
            data,
            summary,
            alarm_names,
        )
    })
    .map_err(plot_error)?;
    write_atomic(path, &png).map_err(|cause| ReportError::Write {
        path: path.to_path_buf(),
        cause,
    })
}

/// The shared time axis, with ticks where the `--explain` clock is round.
fn time_axis(data: &Prepared) -> Axis {
    clock_axis(data.unit, data.x_end, data.span_ms)
}

/// A time axis from 0 to `x_end` (in `unit`) over a run of `span_ms`, with ticks where the
/// `--explain` clock is round.
pub(crate) fn clock_axis(unit: TimeUnit, x_end: f64, span_ms: u64) -> Axis {
    Axis {
        end: x_end,
        ticks: clock_ticks(span_ms)
            .at_ms
            .iter()
            .map(|&t| unit.of(t))
            .collect(),
    }
}

/// The label of a time tick at `value` (in `unit`) on the axis of a run of `span_ms`: the
/// `--explain` clock, with dates when the run has a `start` time.
pub(crate) fn clock_axis_label(
    unit: TimeUnit,
    span_ms: u64,
    start: Option<jiff::Timestamp>,
    value: f64,
) -> String {
    let step_ms = clock_ticks(span_ms).step_ms;
    let t_ms = unit.to_ms(value).round();
    clock_label(t_ms.max(0.0) as u64, step_ms, start)
}

fn time_label(data: &Prepared, value: f64) -> String {
    clock_axis_label(data.unit, data.span_ms, data.start, value)
}

/// A value axis from 0 to `end` with 1-2-5 ticks.
fn value_axis(end: f64, integer: bool) -> Axis {
    Axis {
        end,
        ticks: value_ticks(end, integer),
    }
}

/// Starts a panel's chart: margins and label areas shared by both panels so they line up
/// (a panel without a right axis keeps the same space as margin).
fn panel_builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x_label_height: u32,
    right_axis: bool,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_left(SIDE_MARGIN)
        .margin_top(6)
        .margin_bottom(6)
        .x_label_area_size(x_label_height)
        .y_label_area_size(Y_LABEL_WIDTH);
    if right_axis {
        builder
            .margin_right(SIDE_MARGIN)
            .right_y_label_area_size(Y_LABEL_WIDTH);
    } else {
        builder.margin_right(SIDE_MARGIN + Y_LABEL_WIDTH);
    }
    builder
}

/// Formats a tick of the time axis.
type TickLabel<'a> = dyn Fn(&f64) -> String + 'a;

/// Grid, axes and labels of a panel.
fn draw_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<Axis, Axis>>,
    y_desc: &str,
    x_labels: Option<(&str, &TickLabel<'_>)>,
) -> Result2<DB> {
    let mut mesh = chart.configure_mesh();
    mesh.bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(1))
        .label_style((FAMILY, LABEL_SIZE).into_font().color(&TEXT))
        .axis_desc_style((FAMILY, AXIS_DESC_SIZE).into_font().color(&TEXT))
        .y_desc(y_desc)
        .y_label_formatter(&|v| quantity_string(*v));
    match x_labels {
        Some((desc, label)) => mesh.x_desc(desc).x_label_formatter(label),
        None => mesh.x_label_formatter(&|_| String::new()),
    };
    mesh.draw()
}

/// The capacity panel with its legend row.
fn draw_capacity_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &Prepared,
    alarm_names: &[String],
) -> Result2<DB> {
    let entries = capacity_legend(data, alarm_names);
    let legend_left = (SIDE_MARGIN + Y_LABEL_WIDTH) as i32;
    let (legend_area, chart_area) =
        area.split_vertically(legend_height(area, &entries, legend_left)?);
    draw_legend(&legend_area, &entries, legend_left)?;
    let mut chart = panel_builder(&chart_area, 12, false)
        .build_cartesian_2d(time_axis(data), value_axis(data.capacity_top, true))?;
    draw_mesh(&mut chart, "capacity [instances]", None)?;
    for (index, spans) in &data.alarm_spans {
        let colour = ALARM_COLOURS[index % ALARM_COLOURS.len()].mix(BAND_ALPHA);
        let top = data.capacity_top;
        chart.draw_series(
            spans
                .iter()
                .map(|&(start, end)| Rectangle::new([(start, 0.0), (end, top)], colour.filled())),
        )?;
    }
    draw_span_bands(&mut chart, &data.spans, data.capacity_top)?;
    draw_area(
        &mut chart,
        &data.in_service,
        IN_SERVICE.mix(0.28),
        IN_SERVICE.mix(1.0),
    )?;
    for (band, colour) in [
        (&data.unhealthy_band, UNHEALTHY.mix(UNHEALTHY_ALPHA)),
        (&data.pending_band, PENDING.mix(0.6)),
    ] {
        if !band.is_empty() {
            let polygon = Polygon::new(band.clone(), colour.filled());
            chart.draw_series(std::iter::once(polygon))?;
        }
    }
    draw_capacity_lines(&mut chart, data)?;
    for (kind, points) in &data.marks {
        draw_marks(&mut chart, *kind, points)?;
    }
    draw_span_labels(&chart, &data.spans)?;
    if data.desired.is_empty() {
        let note = (FAMILY, AXIS_DESC_SIZE).into_font().color(&MUTED);
        let centre = Pos::new(HPos::Center, VPos::Center);
        let plotting = chart.plotting_area().strip_coord_spec();
        let (width, height) = plotting.dim_in_pixel();
        let at = (width as i32 / 2, height as i32 / 2);
        plotting.draw(&Text::new("no timeline rows", at, note.pos(centre)))?;
    }
    Ok(())
}

/// Min and max size (dashed), the warm pool, desired capacity (thick) and the forecast
/// (dotted) on top.
fn draw_capacity_lines<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<Axis, Axis>>,
    data: &Prepared,
) -> Result2<DB> {
    for bound in [&data.min_size, &data.max_size] {
        let style = BOUNDS.stroke_width(2);
        chart.draw_series(DashedLineSeries::new(bound.iter().copied(), 10, 7, style))?;
    }
    let scale = pixel_scale(chart.plotting_area(), data.x_end, data.capacity_top);
    if let Some(pool) = &data.warm_pool {
        chart.draw_series(line(pool, WARM_POOL, 2, scale))?;
    }
    chart.draw_series(line(&data.desired, DESIRED, 3, scale))?;
    // The forecast last: desired follows it closely under ForecastAndScale and would hide it.
    if let Some(forecast) = &data.forecast {
        let points = forecast.iter().copied();
        if data.dense {
            chart.draw_series(LineSeries::new(points, FORECAST.stroke_width(1)))?;
        } else {
            let style = FORECAST.stroke_width(3);
            chart.draw_series(DashedLineSeries::new(points, 3, 5, style))?;
        }
    }
    Ok(())
}

/// Pixels per unit of x and y in a plotting area from (0, 0) to (`x_end`, `y_end`).
fn pixel_scale<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    x_end: f64,
    y_end: f64,
) -> (f64, f64) {
    let (width, height) = area.dim_in_pixel();
    (f64::from(width) / x_end, f64::from(height) / y_end)
}

/// A line of `width` px as path elements that every backend draws correctly.
///
/// A wide line is split where it turns back sharply (see [`split_at_sharp_turns`]). If that
/// would cut it into many short pieces (a noisy series), a short series is drawn instead as
/// 1 px copies offset by a pixel right and up, which look like one thicker line and cannot
/// smear, and a long one as a single 1 px path (at more points than pixels it is a band
/// anyway, and copies would only make the SVG bigger).
fn line(
    points: &[Point],
    colour: RGBColor,
    width: u32,
    scale: (f64, f64),
) -> Vec<PathElement<Point>> {
    let thin = || vec![PathElement::new(points.to_vec(), colour.stroke_width(1))];
    if width <= 1 {
        return thin();
    }
    let runs = split_at_sharp_turns(points, scale);
    if runs.len() <= 1 + points.len() / MAX_RUN_SHARE {
        let style = colour.stroke_width(width);
        return runs
            .into_iter()
            .map(|run| PathElement::new(run, style))
            .collect();
    }
    if points.len() * 2 > MAX_POINTS {
        return thin();
    }
    let pixel = (1.0 / scale.0, 1.0 / scale.1);
    [(0.0, 0.0), (pixel.0, 0.0), (0.0, pixel.1)]
        .iter()
        .take(width as usize + 1)
        .map(|&(dx, dy)| {
            let copy: Vec<Point> = points.iter().map(|&(x, y)| (x + dx, y + dy)).collect();
            PathElement::new(copy, colour.stroke_width(1))
        })
        .collect()
}

/// The legend of the capacity panel: only what is drawn.
fn capacity_legend(data: &Prepared, alarm_names: &[String]) -> Vec<LegendEntry> {
    let mut entries = vec![
        LegendEntry::new("desired capacity", Swatch::Line(DESIRED, 3)),
        LegendEntry::new("in service", Swatch::Fill(IN_SERVICE.mix(0.28), IN_SERVICE)),
    ];
    if !data.unhealthy_band.is_empty() {
        let swatch = Swatch::Band(UNHEALTHY.mix(UNHEALTHY_ALPHA));
        entries.push(LegendEntry::new("unhealthy (not serving)", swatch));
    }
    entries.push(LegendEntry::new("pending", Swatch::Band(PENDING.mix(0.6))));
    if data.warm_pool.is_some() {
        entries.push(LegendEntry::new("warm pool", Swatch::Line(WARM_POOL, 2)));
    }
    entries.push(LegendEntry::new("min / max size", Swatch::Dashed(BOUNDS)));
    if data.forecast.is_some() {
        let swatch = if !data.dense {
            Swatch::Dotted(FORECAST)
        } else {
            Swatch::Line(FORECAST, 1)
        };
        entries.push(LegendEntry::new("forecast", swatch));
    }
    for (kind, _) in &data.marks {
        entries.push(LegendEntry::new(kind.label(), Swatch::Mark(*kind)));
    }
    for (index, _) in &data.alarm_spans {
        let colour = ALARM_COLOURS[index % ALARM_COLOURS.len()];
        let name = alarm_names.get(*index).map_or("alarm", String::as_str);
        let label = format!("{name} in ALARM");
        entries.push(LegendEntry::new(
            label,
            Swatch::Band(colour.mix(BAND_ALPHA * 2.0)),
        ));
    }
    entries
}

/// A filled area from 0 to `points`, with a border line.
fn draw_area<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<Axis, Axis>>,
    points: &[Point],
    fill: RGBAColor,
    border: RGBAColor,
) -> Result2<DB> {
    if points.is_empty() {
        return Ok(());
    }
    let series = AreaSeries::new(points.iter().copied(), 0.0, fill.filled())
        .border_style(border.stroke_width(1));
    chart.draw_series(series)?;
    Ok(())
}

/// The load panel: offered, served and dropped load on the left axis, CPU on the right.
fn draw_load_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &Prepared,
) -> Result2<DB> {
    let entries = load_legend(data);
    let legend_left = (SIDE_MARGIN + Y_LABEL_WIDTH) as i32;
    let (legend_area, chart_area) =
        area.split_vertically(legend_height(area, &entries, legend_left)?);
    draw_legend(&legend_area, &entries, legend_left)?;
    let mut chart = panel_builder(&chart_area, X_LABEL_HEIGHT, true)
        .build_cartesian_2d(time_axis(data), value_axis(data.load_top, false))?
        .set_secondary_coord(time_axis(data), value_axis(100.0, true));
    let desc = clock_axis_description(data.start);
    let label = |v: &f64| time_label(data, *v);
    draw_mesh(&mut chart, "load [req/s]", Some((&desc, &label)))?;
    draw_cpu_axis(&mut chart)?;
    let width = 2;
    let scale = pixel_scale(chart.plotting_area(), data.x_end, data.load_top);
    let cpu_scale = (scale.0, scale.1 * data.load_top / 100.0);
    draw_span_bands(&mut chart, &data.spans, data.load_top)?;
    chart.draw_secondary_series(line(&data.cpu, CPU, width, cpu_scale))?;
    if data.has_drops {
        let fill = DROPPED.mix(0.45).filled();
        chart.draw_series(
            data.dropped
                .iter()
                .map(|run| Polygon::new(run.clone(), fill)),
        )?;
        chart.draw_series(line(&data.served, SERVED, width, scale))?;
    }
    chart.draw_series(line(&data.load, LOAD, width, scale))?;
    Ok(())
}

/// The right axis of the load panel: CPU 0–100 %.
fn draw_cpu_axis<DB: DrawingBackend>(
    chart: &mut DualCoordChartContext<'_, DB, Cartesian2d<Axis, Axis>, Cartesian2d<Axis, Axis>>,
) -> Result2<DB> {
    chart
        .configure_secondary_axes()
        .axis_style(AXIS.stroke_width(1))
        .label_style((FAMILY, LABEL_SIZE).into_font().color(&TEXT))
        .axis_desc_style((FAMILY, AXIS_DESC_SIZE).into_font().color(&TEXT))
        .y_desc("CPU [%]")
        .y_label_formatter(&|v| quantity_string(*v))
        .draw()
}

/// The legend of the load panel.
fn load_legend(data: &Prepared) -> Vec<LegendEntry> {
    let mut entries = vec![LegendEntry::new("load", Swatch::Line(LOAD, 2))];
    if data.has_drops {
        entries.push(LegendEntry::new("served", Swatch::Line(SERVED, 2)));
        entries.push(LegendEntry::new("dropped", Swatch::Band(DROPPED.mix(0.45))));
    }
    entries.push(LegendEntry::new(
        "average CPU (right axis)",
        Swatch::Line(CPU, 2),
    ));
    entries
}

/// The time unit of a run (re-exported for the tests).
#[cfg(test)]
pub(super) fn unit_of(output: &RunOutput) -> TimeUnit {
    Prepared::new(output).unit
}
