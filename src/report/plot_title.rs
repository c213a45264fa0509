//! The title block of the capacity plot: the scenario and a one-line summary of the run.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::records::Summary;

use super::format::quantity_string;
use super::plot::{MUTED, SIDE_MARGIN, TEXT};
use super::plot_font::FAMILY;

/// Smallest size title lines shrink to \[px\].
const MIN_TEXT_SIZE: u32 = 12;

type Result2<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The title and the one-line summary.
pub(super) fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    summary: &Summary,
) -> Result2<DB> {
    let title = format!("{}: capacity, load and CPU", summary.scenario);
    draw_fitted_text(area, &title, 16, 32, TEXT)?;
    draw_fitted_text(area, &summary_line(summary), 60, 20, MUTED)
}

/// Draws `text` at the left margin, `y` px from the top, at `size` px or smaller so that it
/// fits the width (down to [`MIN_TEXT_SIZE`]).
fn draw_fitted_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    y: i32,
    size: u32,
    colour: RGBColor,
) -> Result2<DB> {
    let room = area.dim_in_pixel().0.saturating_sub(2 * SIDE_MARGIN);
    let mut size = size;
    let too_wide = |size: u32| -> Result<bool, _> {
        let style = TextStyle::from((FAMILY, size).into_font());
        Ok(area.estimate_text_size(text, &style)?.0 > room)
    };
    while size > MIN_TEXT_SIZE && too_wide(size)? {
        size -= 1;
    }
    let style = (FAMILY, size).into_font().color(&colour);
    area.draw(&Text::new(text, (SIDE_MARGIN as i32, y), style))
}

/// `seed 7 · 6h simulated · cost $1.23 (12.8 instance-hours) · SLO violated 12m (3.3%) · …`
pub(super) fn summary_line(summary: &Summary) -> String {
    let mut parts = vec![
        format!("seed {}", summary.seed),
        format!("{} simulated", human_duration(summary.duration_s)),
        format!(
            "cost {} ({} instance-hours)",
            usd(summary.cost_usd),
            round_to(summary.instance_hours, 2)
        ),
    ];
    let slo = human_duration(summary.slo_violation_s);
    parts.push(if summary.duration_s > 0.0 {
        let share = 100.0 * summary.slo_violation_s / summary.duration_s;
        format!("SLO violated {slo} ({}% of the time)", round_to(share, 1))
    } else {
        format!("SLO violated {slo}")
    });
    parts.push(format!(
        "{} scale-outs, {} scale-ins",
        summary.scale_out_activities, summary.scale_in_activities
    ));
    if summary.requests_total > 0.0 {
        let share = 100.0 * summary.requests_dropped / summary.requests_total;
        parts.push(format!("{}% of requests dropped", round_to(share, 2)));
    }
    parts.join("  ·  ")
}

/// `x` rounded to `decimals` places, trailing zeros trimmed.
fn round_to(x: f64, decimals: i32) -> String {
    let factor = 10f64.powi(decimals);
    quantity_string((x * factor).round() / factor)
}

/// `$0.0960` below a dollar, `$12.35` above.
fn usd(x: f64) -> String {
    if x.abs() < 1.0 {
        format!("${x:.4}")
    } else {
        format!("${x:.2}")
    }
}

/// A span of seconds as `45s`, `12m 30s`, `5h 20m`, `3d 4h`.
pub(super) fn human_duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return quantity_string(seconds) + "s";
    }
    let s = seconds.round() as u64;
    let pair = |big: u64, big_unit: &str, small: u64, small_unit: &str| {
        if small == 0 {
            format!("{big}{big_unit}")
        } else {
            format!("{big}{big_unit} {small}{small_unit}")
        }
    };
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => pair(s / 60, "m", s % 60, "s"),
        3_600..86_400 => pair(s / 3_600, "h", s % 3_600 / 60, "m"),
        _ => pair(s / 86_400, "d", s % 86_400 / 3_600, "h"),
    }
}
