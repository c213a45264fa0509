//! Legends drawn as rows of (swatch, label) above a panel, outside the data, wrapping to more
//! rows when the entries do not fit the width.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plot::TEXT;
use super::plot_font::FAMILY;
use super::plot_marks::MarkKind;

/// Label size \[px\].
const LEGEND_SIZE: u32 = 18;
/// Width of a swatch \[px\].
const SWATCH_WIDTH: i32 = 30;
/// Space between a swatch and its label \[px\].
const SWATCH_GAP: i32 = 7;
/// Space between entries \[px\].
const ENTRY_GAP: i32 = 22;
/// Height of one legend row \[px\].
const ROW_HEIGHT: i32 = 28;
/// Space below the last row \[px\].
const BOTTOM_PADDING: i32 = 6;

/// How an entry shows what it labels.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    /// A solid line of this width \[px\].
    Line(RGBColor, u32),
    /// A dashed line.
    Dashed(RGBColor),
    /// A dotted line.
    Dotted(RGBColor),
    /// A filled area with a border.
    Fill(RGBAColor, RGBColor),
    /// A band without a border.
    Band(RGBAColor),
    /// The mark of a kind of decision or replacement.
    Mark(MarkKind),
}

/// One legend entry.
#[derive(Debug, Clone)]
pub(crate) struct LegendEntry {
    label: String,
    swatch: Swatch,
}

impl LegendEntry {
    /// An entry.
    pub(crate) fn new(label: impl Into<String>, swatch: Swatch) -> Self {
        Self {
            label: label.into(),
            swatch,
        }
    }
}

type DrawResult<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn label_style() -> TextStyle<'static> {
    (FAMILY, LEGEND_SIZE)
        .into_font()
        .color(&TEXT)
        .pos(Pos::new(HPos::Left, VPos::Center))
}

/// The (x, row) of each entry, starting at `left` and wrapping at the area's right edge.
fn layout<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    left: i32,
) -> DrawResult<Vec<(i32, i32)>, DB> {
    let right = area.dim_in_pixel().0 as i32 - left / 4;
    let style = label_style();
    let mut positions = Vec::with_capacity(entries.len());
    let (mut x, mut row) = (left, 0);
    for entry in entries {
        let (text_width, _) = area.estimate_text_size(&entry.label, &style)?;
        let width = SWATCH_WIDTH + SWATCH_GAP + text_width as i32;
        if x > left && x + width > right {
            (x, row) = (left, row + 1);
        }
        positions.push((x, row));
        x += width + ENTRY_GAP;
    }
    Ok(positions)
}

/// The height the legend of `entries` needs in `area` \[px\].
pub(crate) fn legend_height<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    left: i32,
) -> DrawResult<u32, DB> {
    let rows = layout(area, entries, left)?
        .last()
        .map_or(0, |&(_, row)| row + 1);
    Ok((rows * ROW_HEIGHT + BOTTOM_PADDING) as u32)
}

/// Draws the entries in rows from the top of `area`, starting at `left`.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    left: i32,
) -> DrawResult<(), DB> {
    let style = label_style();
    for (entry, (x, row)) in entries.iter().zip(layout(area, entries, left)?) {
        let y = row * ROW_HEIGHT + ROW_HEIGHT / 2;
        draw_swatch(area, entry.swatch, x, y)?;
        area.draw(&Text::new(
            entry.label.as_str(),
            (x + SWATCH_WIDTH + SWATCH_GAP, y),
            style.clone(),
        ))?;
    }
    Ok(())
}

/// One swatch with its left edge at `x`, centred on `y`.
fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    x: i32,
    y: i32,
) -> DrawResult<(), DB> {
    let line = vec![(x, y), (x + SWATCH_WIDTH, y)];
    let block = [(x, y - 8), (x + SWATCH_WIDTH, y + 8)];
    match swatch {
        Swatch::Line(colour, width) => {
            area.draw(&PathElement::new(line, colour.stroke_width(width)))
        }
        Swatch::Dashed(colour) => {
            area.draw(&DashedPathElement::new(line, 8, 3, colour.stroke_width(2)))
        }
        Swatch::Dotted(colour) => {
            area.draw(&DashedPathElement::new(line, 3, 5, colour.stroke_width(3)))
        }
        Swatch::Fill(fill, border) => {
            area.draw(&Rectangle::new(block, fill.filled()))?;
            area.draw(&Rectangle::new(block, border.stroke_width(1)))
        }
        Swatch::Band(fill) => area.draw(&Rectangle::new(block, fill.filled())),
        Swatch::Mark(kind) => {
            let centre = (x + SWATCH_WIDTH / 2, y);
            let corners: Vec<_> = kind
                .corners()
                .into_iter()
                .map(|(dx, dy)| (centre.0 + dx, centre.1 + dy))
                .collect();
            area.draw(&Polygon::new(corners, kind.colour().filled()))
        }
    }
}
