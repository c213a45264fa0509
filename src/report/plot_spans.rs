//! Scripted episodes (an AZ outage, launch failures, an instance refresh and its checkpoint
//! pauses) as shaded spans across both panels, labelled at the top of the capacity panel.
//!
//! Each span is a faint band in its kind's colour with a thin line at either end (so that a
//! span narrower than a pixel, an outage in a year, still shows). Labels sit in up to
//! [`MAX_LABEL_ROWS`] rows at the top of the capacity panel, on a white background, each in
//! the first row where it does not overlap another; a label that finds no row is left out.

use plotters::chart::ChartContext;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::records::{Episode, EpisodeKind};

use super::plot::Axis;
use super::plot_data::TimeUnit;
use super::plot_font::FAMILY;

/// Rows of span labels at most.
const MAX_LABEL_ROWS: usize = 3;
/// Label size \[px\].
const LABEL_SIZE: u32 = 18;
/// Height of a label row \[px\].
const ROW_HEIGHT: i32 = 24;
/// Space around a label and between labels \[px\].
const PAD: i32 = 4;
/// Opacity of a span's band.
const SPAN_ALPHA: f64 = 0.12;
/// Opacity of a span's end lines.
const EDGE_ALPHA: f64 = 0.7;

/// One episode in plot coordinates.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Span {
    /// What it is.
    pub(crate) kind: EpisodeKind,
    /// Start, in the time axis unit.
    pub(crate) start: f64,
    /// End, in the time axis unit, at most the end of the axis.
    pub(crate) end: f64,
    /// Its label.
    pub(crate) label: String,
}

/// The colour of a kind of span.
fn colour(kind: EpisodeKind) -> RGBColor {
    match kind {
        EpisodeKind::AzOutage => RGBColor(70, 76, 84),
        EpisodeKind::LaunchFailures => RGBColor(140, 86, 75),
        EpisodeKind::InstanceRefresh => RGBColor(0, 128, 128),
        EpisodeKind::RefreshCheckpoint => RGBColor(190, 120, 0),
        EpisodeKind::Cooldown | EpisodeKind::InstanceWarmup => RGBColor(120, 120, 120),
    }
}

/// Whether the PNG and SVG shade episodes of `kind`: cooldowns and warm-ups come with every
/// decision and instance, too many for a static plot; the report draws them.
fn drawn(kind: EpisodeKind) -> bool {
    !matches!(kind, EpisodeKind::Cooldown | EpisodeKind::InstanceWarmup)
}

/// The run's episodes that overlap the time axis (0 to `x_end`, in `unit`), clipped to it and
/// ordered by start (then end and label, so that the order never depends on the recorder's).
pub(crate) fn episode_spans(episodes: &[Episode], unit: TimeUnit, x_end: f64) -> Vec<Span> {
    let mut spans: Vec<Span> = episodes
        .iter()
        .map(|e| Span {
            kind: e.kind,
            start: unit.of(e.start_ms).min(x_end),
            end: unit.of(e.end_ms.max(e.start_ms)).min(x_end),
            label: e.label.clone(),
        })
        .filter(|s| drawn(s.kind) && (s.start < x_end || x_end <= 0.0))
        .collect();
    spans.sort_by(|a, b| {
        a.start
            .total_cmp(&b.start)
            .then(a.end.total_cmp(&b.end))
            .then_with(|| a.label.cmp(&b.label))
    });
    spans
}

type Result2<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The bands and end lines of `spans`, from 0 to `top` on the chart's y axis.
pub(crate) fn draw_span_bands<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<Axis, Axis>>,
    spans: &[Span],
    top: f64,
) -> Result2<DB> {
    for span in spans {
        let colour = colour(span.kind);
        let band = [(span.start, 0.0), (span.end, top)];
        chart.draw_series(std::iter::once(Rectangle::new(
            band,
            colour.mix(SPAN_ALPHA).filled(),
        )))?;
        let edge = colour.mix(EDGE_ALPHA).stroke_width(1);
        chart.draw_series(
            [span.start, span.end]
                .into_iter()
                .map(|x| PathElement::new(vec![(x, 0.0), (x, top)], edge)),
        )?;
    }
    Ok(())
}

/// The labels of `spans` at the top of the chart's plotting area.
pub(crate) fn draw_span_labels<DB: DrawingBackend>(
    chart: &ChartContext<'_, DB, Cartesian2d<Axis, Axis>>,
    spans: &[Span],
) -> Result2<DB> {
    let plotting = chart.plotting_area().strip_coord_spec();
    let width = plotting.dim_in_pixel().0 as i32;
    let base_x = plotting.get_base_pixel().0;
    let font = (FAMILY, LABEL_SIZE).into_font();
    let measure = TextStyle::from(font.clone());
    let mut row_ends: [i32; MAX_LABEL_ROWS] = [i32::MIN; MAX_LABEL_ROWS];
    for span in spans {
        let text_width = plotting.estimate_text_size(&span.label, &measure)?.0 as i32;
        let start = chart.backend_coord(&(span.start, 0.0)).0 - base_x;
        let mut x = start + PAD;
        if x + text_width + PAD > width {
            x = (width - text_width - PAD).max(PAD);
        }
        let Some(row) = row_ends.iter().position(|&end| end + 2 * PAD <= x) else {
            continue;
        };
        row_ends[row] = x + text_width;
        let y = PAD + row as i32 * ROW_HEIGHT;
        let backdrop = [
            (x - PAD / 2, y),
            (x + text_width + PAD / 2, y + ROW_HEIGHT - 2),
        ];
        plotting.draw(&Rectangle::new(backdrop, WHITE.mix(0.85).filled()))?;
        let text_style = font
            .clone()
            .color(&colour(span.kind))
            .pos(Pos::new(HPos::Left, VPos::Center));
        let at = (x, y + (ROW_HEIGHT - 2) / 2);
        plotting.draw(&Text::new(span.label.as_str(), at, text_style))?;
    }
    Ok(())
}
