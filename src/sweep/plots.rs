//! The plots of a sweep, each as PNG and SVG, drawn with the report's bundled font:
//!
//! - `heatmap`: when exactly two keys are swept, one cell per point (first key up the side,
//!   second along the bottom), coloured by the mean of the objective's figure (cost when there
//!   is no objective), its value written in the cell; cells that miss the objective's
//!   conditions are grey, the best point is outlined;
//! - `pareto`: mean cost against mean SLO violation of every point, the Pareto front (points
//!   no other point beats on both) joined and labelled with the point numbers, the best
//!   point ringed.

use std::ops::Range;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::SweepError;
use crate::report::plot_font::{self, FAMILY};
use crate::report::plot_text::GlyphText;

/// Size of the sweep plots \[px\].
pub(crate) const PLOT_SIZE: (u32, u32) = (1200, 900);

const TEXT: RGBColor = RGBColor(33, 37, 41);
const MUTED: RGBColor = RGBColor(90, 96, 104);
const GRID: RGBColor = RGBColor(226, 229, 233);
const POINT: RGBColor = RGBColor(120, 126, 134);
const FRONT: RGBColor = RGBColor(214, 39, 40);
const INFEASIBLE: RGBColor = RGBColor(200, 203, 207);
/// Colour stops of the heat map, low to high (viridis).
const STOPS: [(f64, f64, f64); 5] = [
    (68.0, 1.0, 84.0),
    (59.0, 82.0, 139.0),
    (33.0, 145.0, 140.0),
    (94.0, 201.0, 98.0),
    (253.0, 231.0, 37.0),
];

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Something drawn on any plotters backend.
pub(crate) trait Plot {
    /// Draws on `root` and presents it.
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

/// Writes `plot` as `<stem>.svg` and `<stem>.png` in `dir`, each atomically, at `size`.
pub(crate) fn save(
    plot: &impl Plot,
    dir: &Path,
    stem: &str,
    size: (u32, u32),
) -> Result<Vec<PathBuf>, SweepError> {
    plot_font::register().map_err(|e| SweepError::Failed(e.to_string()))?;
    let svg_path = dir.join(format!("{stem}.svg"));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        plot.draw(root)
            .map_err(|e| SweepError::Failed(format!("cannot draw {stem}.svg: {e}")))?;
    }
    crate::report::write_atomic(&svg_path, svg.as_bytes())
        .map_err(|e| SweepError::io("cannot write", &svg_path, e))?;
    let png_path = dir.join(format!("{stem}.png"));
    let png = crate::report::render_png(size, |backend| {
        plot.draw(GlyphText(backend).into_drawing_area())
    })
    .map_err(|e| SweepError::Failed(format!("cannot draw {stem}.png: {e}")))?;
    crate::report::write_atomic(&png_path, &png)
        .map_err(|e| SweepError::io("cannot write", &png_path, e))?;
    Ok(vec![svg_path, png_path])
}

/// A short label for a number: about four significant digits, trailing zeros trimmed.
pub(crate) fn short(x: f64) -> String {
    let places = match x.abs() {
        a if a >= 1000.0 => 0,
        a if a >= 100.0 => 1,
        a if a >= 10.0 => 2,
        a if a >= 1.0 => 3,
        _ => 4,
    };
    let text = format!("{x:.places$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// An axis of categories 0..n, ticks at their centres.
#[derive(Debug, Clone)]
struct Categories {
    n: usize,
}

impl Ranged for Categories {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let share = value / self.n.max(1) as f64;
        limit.0 + ((limit.1 - limit.0) as f64 * share).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            return Vec::new();
        }
        (0..self.n).map(|i| i as f64 + 0.5).collect()
    }

    fn range(&self) -> Range<f64> {
        0.0..self.n as f64
    }
}

/// One cell of the heat map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cell {
    /// The mean of the figure.
    pub(crate) value: f64,
    /// Whether the point meets the objective's conditions.
    pub(crate) feasible: bool,
}

/// A heat map of one figure over two swept keys.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HeatMap {
    /// The figure and what the colours mean.
    pub(crate) title: String,
    /// A second line: the objective and how to read the cells.
    pub(crate) subtitle: String,
    /// The first swept key (rows, up the side) and its values.
    pub(crate) rows: (String, Vec<String>),
    /// The second swept key (columns, along the bottom) and its values.
    pub(crate) columns: (String, Vec<String>),
    /// `cells[row]\[column\]`.
    pub(crate) cells: Vec<Vec<Option<Cell>>>,
    /// (row, column) of the best point.
    pub(crate) best: Option<(usize, usize)>,
}

/// The colour of `share` (0–1) on the colour scale.
fn colour(share: f64) -> RGBColor {
    let x = share.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |p: f64, q: f64| (p + (q - p) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn text_style(size: u32, colour: RGBColor) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&colour)
}

/// Title and subtitle at the top of `area`.
fn draw_heading<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> DrawResult<DB> {
    area.draw(&Text::new(title, (24, 16), text_style(28, TEXT)))?;
    area.draw(&Text::new(subtitle, (24, 56), text_style(17, MUTED)))
}

impl HeatMap {
    fn range(&self) -> (f64, f64) {
        let values = self.cells.iter().flatten().flatten().map(|c| c.value);
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) }
    }

    fn draw_cells<DB: DrawingBackend>(
        &self,
        chart: &mut ChartContext<'_, DB, Cartesian2d<Categories, Categories>>,
    ) -> DrawResult<DB> {
        let (lo, hi) = self.range();
        let span = if hi > lo { hi - lo } else { 1.0 };
        for (r, row) in self.cells.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let Some(cell) = cell else { continue };
                let fill = if cell.feasible {
                    colour((cell.value - lo) / span)
                } else {
                    INFEASIBLE
                };
                let (x, y) = (c as f64, r as f64);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x, y), (x + 1.0, y + 1.0)],
                    fill.filled(),
                )))?;
                let light =
                    f64::from(fill.0) * 0.3 + f64::from(fill.1) * 0.59 + f64::from(fill.2) * 0.11
                        > 150.0;
                let ink = if light { TEXT } else { WHITE };
                let style = text_style(18, ink).pos(Pos::new(HPos::Center, VPos::Center));
                chart.draw_series(std::iter::once(Text::new(
                    short(cell.value),
                    (x + 0.5, y + 0.5),
                    style,
                )))?;
            }
        }
        if let Some((r, c)) = self.best {
            let (x, y) = (c as f64, r as f64);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x + 0.02, y + 0.02), (x + 0.98, y + 0.98)],
                FRONT.stroke_width(5),
            )))?;
        }
        Ok(())
    }

    /// The colour bar with the lowest and highest values.
    fn draw_scale<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let (lo, hi) = self.range();
        let (_, height) = area.dim_in_pixel();
        let (top, bottom) = (40, height as i32 - 110);
        let steps = 100;
        for i in 0..steps {
            let y0 = bottom - (bottom - top) * i / steps;
            let y1 = bottom - (bottom - top) * (i + 1) / steps;
            let fill = colour(f64::from(i) / f64::from(steps - 1));
            area.draw(&Rectangle::new([(20, y1), (50, y0)], fill.filled()))?;
        }
        let style = text_style(16, TEXT).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(short(hi), (58, top), style.clone()))?;
        area.draw(&Text::new(short(lo), (58, bottom), style))
    }
}

impl Plot for HeatMap {
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let (heading, body) = root.split_vertically(96);
        draw_heading(&heading, &self.title, &self.subtitle)?;
        let (width, _) = body.dim_in_pixel();
        let (main, scale) = body.split_horizontally(width.saturating_sub(150));
        let (nr, nc) = (self.rows.1.len(), self.columns.1.len());
        let mut chart = ChartBuilder::on(&main)
            .margin(24)
            .x_label_area_size(80)
            .y_label_area_size(140)
            .build_cartesian_2d(Categories { n: nc }, Categories { n: nr })?;
        let label =
            |values: &[String], v: f64| values.get(v.floor() as usize).cloned().unwrap_or_default();
        chart
            .configure_mesh()
            .disable_mesh()
            .axis_style(POINT.stroke_width(1))
            .label_style(text_style(17, TEXT))
            .axis_desc_style(text_style(19, TEXT))
            .x_desc(self.columns.0.as_str())
            .y_desc(self.rows.0.as_str())
            .x_label_formatter(&|v| label(&self.columns.1, *v))
            .y_label_formatter(&|v| label(&self.rows.1, *v))
            .draw()?;
        self.draw_cells(&mut chart)?;
        self.draw_scale(&scale)?;
        root.present()
    }
}

/// The Pareto plot: every point's mean cost against its mean SLO violation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pareto {
    /// A second line under the title.
    pub(crate) subtitle: String,
    /// (point number, mean cost \[USD\], mean SLO violation \[%\]).
    pub(crate) points: Vec<(u64, f64, f64)>,
    /// The best point's number.
    pub(crate) best: Option<u64>,
}

/// The points no other point beats on both cost and SLO violation (lower is better), by
/// rising cost.
pub(crate) fn pareto_front(points: &[(u64, f64, f64)]) -> Vec<(u64, f64, f64)> {
    let mut sorted: Vec<(u64, f64, f64)> = points
        .iter()
        .copied()
        .filter(|p| p.1.is_finite() && p.2.is_finite())
        .collect();
    sorted.sort_by(|a, b| {
        a.1.total_cmp(&b.1)
            .then(a.2.total_cmp(&b.2))
            .then(a.0.cmp(&b.0))
    });
    let mut front: Vec<(u64, f64, f64)> = Vec::new();
    for p in sorted {
        if front.last().is_none_or(|last| p.2 < last.2) {
            front.push(p);
        }
    }
    front
}

/// `lo..hi` widened by a margin, never empty.
fn padded(lo: f64, hi: f64) -> Range<f64> {
    let span = (hi - lo).max(hi.abs() * 0.02).max(1e-6);
    (lo - span * 0.08)..(hi + span * 0.12)
}

impl Pareto {
    /// The axis ranges: cost padded around the points, SLO violation from just below 0.
    fn ranges(&self) -> (Range<f64>, Range<f64>) {
        let fold = |f: fn(&(u64, f64, f64)) -> f64| {
            self.points
                .iter()
                .map(f)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(v), hi.max(v))
                })
        };
        let (x0, x1) = fold(|p| p.1);
        let (_, y1) = fold(|p| p.2);
        let y_end = if y1.is_finite() && y1 > 0.0 {
            y1 * 1.12
        } else {
            1.0
        };
        let x_range = if x0.is_finite() {
            padded(x0, x1)
        } else {
            0.0..1.0
        };
        (x_range, -0.04 * y_end..y_end)
    }

    /// The front as a staircase, its points numbered, and the best point ringed.
    fn draw_front<DB: DrawingBackend>(
        &self,
        chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    ) -> DrawResult<DB> {
        let front = pareto_front(&self.points);
        let mut stairs = Vec::new();
        for (i, &(_, x, y)) in front.iter().enumerate() {
            if i > 0 {
                stairs.push((x, front[i - 1].2));
            }
            stairs.push((x, y));
        }
        let line = PathElement::new(stairs, FRONT.stroke_width(2));
        chart.draw_series(std::iter::once(line))?;
        let label = text_style(15, FRONT).pos(Pos::new(HPos::Left, VPos::Bottom));
        chart.draw_series(front.iter().map(|&(n, x, y)| {
            EmptyElement::at((x, y))
                + Circle::new((0, 0), 7, FRONT.filled())
                + Text::new(format!("{n}"), (14, -10), label.clone())
        }))?;
        if let Some(&(_, x, y)) = self.points.iter().find(|p| Some(p.0) == self.best) {
            let ring = Circle::new((x, y), 13, TEXT.stroke_width(3));
            chart.draw_series(std::iter::once(ring))?;
        }
        Ok(())
    }
}

impl Plot for Pareto {
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let (heading, body) = root.split_vertically(96);
        let title = "Cost against SLO violation of each point (means over its seeds)";
        draw_heading(&heading, title, &self.subtitle)?;
        let (x_range, y_range) = self.ranges();
        let mut chart = ChartBuilder::on(&body)
            .margin(24)
            .x_label_area_size(70)
            .y_label_area_size(100)
            .build_cartesian_2d(x_range, y_range)?;
        chart
            .configure_mesh()
            .bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .axis_style(POINT.stroke_width(1))
            .label_style(text_style(17, TEXT))
            .axis_desc_style(text_style(19, TEXT))
            .x_desc("cost [USD]")
            .y_desc("SLO violation [% of the time]")
            .x_label_formatter(&|v| short(*v))
            .y_label_formatter(&|v| short(*v))
            .draw()?;
        chart.draw_series(
            self.points
                .iter()
                .map(|&(_, x, y)| Circle::new((x, y), 5, POINT.mix(0.8).filled())),
        )?;
        self.draw_front(&mut chart)?;
        root.present()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_front_keeps_the_points_nothing_beats_on_both() {
        let points = [
            (1, 3.0, 0.0),
            (2, 1.0, 5.0),
            (3, 2.0, 1.0),
            (4, 2.5, 1.0),
            (5, 1.0, 6.0),
        ];
        let numbers: Vec<u64> = pareto_front(&points).iter().map(|p| p.0).collect();
        assert_eq!(numbers, [2, 3, 1]);
    }

    #[test]
    fn short_labels() {
        assert_eq!(short(1234.56), "1235");
        assert_eq!(short(123.456), "123.5");
        assert_eq!(short(12.346), "12.35");
        assert_eq!(short(1.5), "1.5");
        assert_eq!(short(0.012345), "0.0123");
        assert_eq!(short(0.0), "0");
    }

    #[test]
    fn plots_draw_on_svg() {
        let heat = HeatMap {
            title: "cost_usd".into(),
            subtitle: "sub".into(),
            rows: ("a".into(), vec!["1".into(), "2".into()]),
            columns: ("b".into(), vec!["x".into(), "y".into(), "z".into()]),
            cells: vec![
                vec![
                    Some(Cell {
                        value: 1.0,
                        feasible: true,
                    }),
                    None,
                    Some(Cell {
                        value: 3.0,
                        feasible: false,
                    }),
                ],
                vec![
                    Some(Cell {
                        value: 2.0,
                        feasible: true
                    });
                    3
                ],
            ],
            best: Some((0, 0)),
        };
        plot_font::register().unwrap();
        let mut svg = String::new();
        heat.draw(SVGBackend::with_string(&mut svg, PLOT_SIZE).into_drawing_area())
            .unwrap();
        assert!(svg.contains("cost_usd") && svg.contains("\nz\n"), "{svg}");
        let pareto = Pareto {
            subtitle: String::new(),
            points: vec![(1, 1.0, 2.0), (2, 2.0, 0.5)],
            best: Some(2),
        };
        let mut svg = String::new();
        pareto
            .draw(SVGBackend::with_string(&mut svg, PLOT_SIZE).into_drawing_area())
            .unwrap();
        assert!(svg.contains("SLO violation"));
    }
}
