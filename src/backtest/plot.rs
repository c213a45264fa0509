//! `backtest.png` / `.svg`: the group's and the model's capacity on one axis, with each
//! side's decisions marked (▲ scale-out, ▼ scale-in).

use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::actual::Decision;
use super::compare::Row;
use crate::report::plot_font::{FAMILY, register};

/// Size of the backtest plot \[px\].
const SIZE: (u32, u32) = (1400, 700);

const ACTUAL: RGBColor = RGBColor(30, 30, 30);
const SIMULATED: RGBColor = RGBColor(31, 119, 180);
const IN_SERVICE_ACTUAL: RGBColor = RGBColor(150, 150, 150);
const IN_SERVICE_SIMULATED: RGBColor = RGBColor(140, 190, 230);

/// What one line of the plot reads from a row.
type Reading = Box<dyn Fn(&Row) -> Option<f64>>;

type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The chart the lines and marks are drawn on: time [hours] against capacity [instances].
type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws the plot of scenario `name` on `root`.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    name: &str,
    rows: &[Row],
    (actual, simulated): (&[Decision], &[Decision]),
) -> Drawn<DB> {
    root.fill(&WHITE)?;
    let x_end = rows
        .last()
        .map_or(1.0, |r| hours(r.time_ms as f64 + 60_000.0))
        .max(1e-3);
    let mut chart = ChartBuilder::on(root)
        .caption(format!("{name}: the group and the model"), (FAMILY, 26))
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..x_end, 0.0..y_top(rows))?;
    chart
        .configure_mesh()
        .x_desc("time [hours]")
        .y_desc("capacity [instances]")
        .label_style((FAMILY, 15))
        .axis_desc_style((FAMILY, 16))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    draw_capacity_lines(&mut chart, rows)?;
    for (decisions, colour, offset) in [(actual, ACTUAL, 0.4), (simulated, SIMULATED, -0.4)] {
        draw_decision_marks(&mut chart, decisions, colour, offset)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font((FAMILY, 15))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    root.present()
}

/// Milliseconds as hours, the plot's x unit.
fn hours(ms: f64) -> f64 {
    ms / 3_600_000.0
}

/// The top of the y axis [instances]: 15% above the highest capacity, so that the decision
/// marks above the lines stay inside the plot.
fn y_top(rows: &[Row]) -> f64 {
    rows.iter()
        .flat_map(|r| {
            [
                r.desired_actual.unwrap_or(0.0),
                f64::from(r.desired_simulated),
                r.in_service_actual.unwrap_or(0.0),
                f64::from(r.in_service_simulated),
            ]
        })
        .fold(1.0, f64::max)
        * 1.15
}

/// The points of a step line through the rows `reading` has a value for: a capacity holds
/// until the next period, so each value is preceded by the previous one at the same time.
fn step_points(rows: &[Row], reading: &dyn Fn(&Row) -> Option<f64>) -> Vec<(f64, f64)> {
    let mut points = Vec::new();
    for r in rows {
        if let Some(v) = reading(r) {
            let t = hours(r.time_ms as f64);
            if let Some(&(_, last)) = points.last() {
                points.push((t, last));
            }
            points.push((t, v));
        }
    }
    points
}

/// Draws the four capacity lines (desired and in service, the group's and the model's) with
/// their legend entries; a line with no values (a series not given) is left out.
fn draw_capacity_lines<DB: DrawingBackend>(chart: &mut Chart<'_, DB>, rows: &[Row]) -> Drawn<DB> {
    let series: [(&str, RGBColor, u32, Reading); 4] = [
        (
            "in service, actual",
            IN_SERVICE_ACTUAL,
            2,
            Box::new(|r: &Row| r.in_service_actual),
        ),
        (
            "in service, simulated",
            IN_SERVICE_SIMULATED,
            2,
            Box::new(|r: &Row| Some(f64::from(r.in_service_simulated))),
        ),
        (
            "desired, actual",
            ACTUAL,
            3,
            Box::new(|r: &Row| r.desired_actual),
        ),
        (
            "desired, simulated",
            SIMULATED,
            2,
            Box::new(|r: &Row| Some(f64::from(r.desired_simulated))),
        ),
    ];
    for (label, colour, width, f) in series {
        let points = step_points(rows, &*f);
        if points.is_empty() {
            continue;
        }
        chart
            .draw_series(LineSeries::new(points, colour.stroke_width(width)))?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3))
            });
    }
    Ok(())
}

/// Marks each decision at its new desired capacity (▲ scale-out, ▼ scale-in), shifted by
/// `offset` [instances] so that the group's and the model's marks at the same capacity
/// stay apart.
fn draw_decision_marks<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    decisions: &[Decision],
    colour: RGBColor,
    offset: f64,
) -> Drawn<DB> {
    let marks = decisions.iter().filter(|d| d.time_ms >= 0).map(|d| {
        let at = (hours(d.time_ms as f64), f64::from(d.after) + offset);
        let up = d.after > d.before;
        let shape: Vec<(i32, i32)> = if up {
            vec![(0, -7), (-6, 5), (6, 5)]
        } else {
            vec![(0, 7), (-6, -5), (6, -5)]
        };
        EmptyElement::at(at) + Polygon::new(shape, colour.filled())
    });
    chart.draw_series(marks)?;
    Ok(())
}

/// The plot as SVG text.
pub(super) fn backtest_svg(
    name: &str,
    rows: &[Row],
    decisions: (&[Decision], &[Decision]),
) -> Result<String, String> {
    register().map_err(|e| e.to_string())?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw(&root, name, rows, decisions).map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// The plot as a PNG at `path`, atomically.
pub(super) fn backtest_png(
    name: &str,
    rows: &[Row],
    decisions: (&[Decision], &[Decision]),
    path: &Path,
) -> std::io::Result<()> {
    register().map_err(std::io::Error::other)?;
    // Drawn in memory, then written as every other file is (never through a link).
    let png = crate::report::render_png(SIZE, |backend| {
        draw(&backend.into_drawing_area(), name, rows, decisions)
    })?;
    crate::report::write_atomic(path, &png)
}
