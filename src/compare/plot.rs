//! `compare.png` / `compare.svg`: the InService count of every compared scenario over time,
//! one line each (top), and the load (bottom: one grey line when all scenarios share it, else
//! one line per scenario in its colour).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::Compared;
use crate::report::clock::clock_axis_description;
use crate::report::plot::{clock_axis, clock_axis_label};
use crate::report::plot_data::{Point, TimeUnit};
use crate::report::plot_font::FAMILY;
use crate::report::plot_legend::{LegendEntry, Swatch, draw_legend, legend_height};
use crate::sweep::plots::{Plot, short};

/// Size of the overlay plot \[px\].
pub const COMPARE_PLOT_SIZE: (u32, u32) = (1600, 1000);

const TEXT: RGBColor = RGBColor(33, 37, 41);
const MUTED: RGBColor = RGBColor(90, 96, 104);
const GRID: RGBColor = RGBColor(226, 229, 233);
const AXIS: RGBColor = RGBColor(120, 126, 134);
const LOAD: RGBColor = RGBColor(110, 110, 110);
/// One colour per scenario, repeating.
const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];
/// Space left of the panels, where the legends start \[px\].
const LEFT: i32 = 124;

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// One scenario's lines.
#[derive(Debug, Clone)]
struct Line {
    label: String,
    colour: RGBColor,
    in_service: Vec<Point>,
    load: Vec<Point>,
}

/// The overlay plot of a comparison.
#[derive(Debug, Clone)]
pub(crate) struct Overlay {
    unit: TimeUnit,
    x_end: f64,
    span_ms: u64,
    lines: Vec<Line>,
    same_load: bool,
}

impl Overlay {
    /// The plot of `scenarios`, with a time axis in `unit` up to `span_ms`.
    pub(crate) fn new(scenarios: &[Compared], unit: TimeUnit, span_ms: u64) -> Self {
        let lines: Vec<Line> = scenarios
            .iter()
            .enumerate()
            .map(|(i, c)| Line {
                label: c.label.clone(),
                colour: PALETTE[i % PALETTE.len()],
                in_service: c.in_service.clone(),
                load: c.load.clone(),
            })
            .collect();
        let same_load = lines.windows(2).all(|w| w[0].load == w[1].load);
        Self {
            unit,
            x_end: unit.of(span_ms).max(1e-9),
            span_ms,
            lines,
            same_load,
        }
    }

    fn top(&self, value: impl Fn(&Line) -> &[Point]) -> f64 {
        let max = self
            .lines
            .iter()
            .flat_map(|l| value(l).iter().map(|p| p.1))
            .fold(0.0, f64::max);
        if max > 0.0 { max * 1.1 } else { 1.0 }
    }

    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        entries: &[LegendEntry],
        y_desc: &str,
        x_desc: Option<&str>,
        series: &[(Vec<Point>, ShapeStyle)],
        y_top: f64,
    ) -> DrawResult<DB> {
        let (legend, chart_area) = area.split_vertically(legend_height(area, entries, LEFT)?);
        draw_legend(&legend, entries, LEFT)?;
        let mut chart = ChartBuilder::on(&chart_area)
            .margin_left(24)
            .margin_right(48)
            .margin_top(6)
            .margin_bottom(6)
            .x_label_area_size(if x_desc.is_some() { 64 } else { 12 })
            .y_label_area_size(100)
            .build_cartesian_2d(clock_axis(self.unit, self.x_end, self.span_ms), 0.0..y_top)?;
        let mut mesh = chart.configure_mesh();
        mesh.bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS.stroke_width(1))
            .label_style((FAMILY, 18).into_font().color(&TEXT))
            .axis_desc_style((FAMILY, 20).into_font().color(&TEXT))
            .y_desc(y_desc)
            .y_label_formatter(&|v| short(*v));
        let time = |v: &f64| clock_axis_label(self.unit, self.span_ms, None, *v);
        match x_desc {
            Some(desc) => mesh.x_desc(desc).x_label_formatter(&time),
            None => mesh.x_label_formatter(&|_| String::new()),
        };
        mesh.draw()?;
        for (points, style) in series {
            chart.draw_series(std::iter::once(PathElement::new(points.clone(), *style)))?;
        }
        Ok(())
    }
}

/// Legend entries with the lines they label.
type Series = (Vec<LegendEntry>, Vec<(Vec<Point>, ShapeStyle)>);

impl Overlay {
    /// One InService line per scenario.
    fn capacity_series(&self) -> Series {
        self.lines
            .iter()
            .map(|l| {
                let label = format!("{}: in service", l.label);
                (
                    LegendEntry::new(label, Swatch::Line(l.colour, 3)),
                    (l.in_service.clone(), l.colour.stroke_width(2)),
                )
            })
            .unzip()
    }

    /// The load: one grey line when every scenario has the same, else one per scenario.
    fn load_series(&self) -> Series {
        if self.same_load {
            let load = self
                .lines
                .first()
                .map(|l| l.load.clone())
                .unwrap_or_default();
            let label = "load (the same for every scenario)";
            let entry = LegendEntry::new(label, Swatch::Line(LOAD, 2));
            return (vec![entry], vec![(load, LOAD.stroke_width(1))]);
        }
        self.lines
            .iter()
            .map(|l| {
                let label = format!("{}: load", l.label);
                (
                    LegendEntry::new(label, Swatch::Line(l.colour, 2)),
                    (l.load.clone(), l.colour.stroke_width(1)),
                )
            })
            .unzip()
    }
}

impl Plot for Overlay {
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> DrawResult<DB> {
        root.fill(&WHITE)?;
        let (heading, body) = root.split_vertically(90);
        let names: Vec<&str> = self.lines.iter().map(|l| l.label.as_str()).collect();
        let title = format!("Capacity over time: {}", names.join(", "));
        heading.draw(&Text::new(
            title,
            (24, 16),
            (FAMILY, 30).into_font().color(&TEXT),
        ))?;
        let subtitle = "InService instances of each scenario (top) and the offered load (bottom)";
        heading.draw(&Text::new(
            subtitle,
            (24, 56),
            (FAMILY, 19).into_font().color(&MUTED),
        ))?;
        let (_, height) = body.dim_in_pixel();
        let (top, bottom) = body.split_vertically((f64::from(height) * 0.6) as u32);
        let (entries, capacity) = self.capacity_series();
        let capacity_top = self.top(|l| &l.in_service);
        self.panel(
            &top,
            &entries,
            "in service [instances]",
            None,
            &capacity,
            capacity_top,
        )?;
        let (entries, loads) = self.load_series();
        let load_top = self.top(|l| &l.load);
        self.panel(
            &bottom,
            &entries,
            "load [req/s]",
            Some(&clock_axis_description(None)),
            &loads,
            load_top,
        )?;
        root.present()
    }
}
