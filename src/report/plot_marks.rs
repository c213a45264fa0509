//! Marks of the capacity panel: what the group did and why.
//!
//! Scaling decisions (a policy, schedule, forecast or user request changing desired capacity)
//! are triangles, ▲ scale-out and ▼ scale-in, centred on the new desired capacity. Instances
//! the group launched or terminated on its own while desired capacity stayed (health
//! replacements, AZ rebalancing, instance refresh, max instance lifetime, launches that
//! restore desired capacity) get a shape and colour per [`ActivityOrigin`], centred on the
//! desired capacity at that moment. Each kind has at most one mark per distinct time, and at
//! most [`MAX_MARKS`] per kind along the axis.

use std::cmp::Ordering;

use plotters::chart::ChartContext;
use plotters::prelude::*;

use crate::records::ActivityOrigin;

use crate::run::RunOutput;

use super::plot::Axis;
use super::plot_data::{Point, TimeUnit};

/// Most marks drawn per kind; more are thinned to one per bucket of time.
const MAX_MARKS: usize = 150;
/// Half-width of a decision mark \[px\].
const DECISION_RADIUS: i32 = 8;
/// Half-width of a replacement mark, smaller: replacements can come every minute \[px\].
const REPLACEMENT_RADIUS: i32 = 6;

/// The shape of a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A triangle pointing up.
    Up,
    /// A triangle pointing down.
    Down,
    /// A diamond.
    Diamond,
    /// A square.
    Square,
    /// A circle (a 12-gon).
    Circle,
}

impl Shape {
    /// The corners of the shape of half-width `r`, around (0, 0) \[px\].
    fn corners(self, r: i32) -> Vec<(i32, i32)> {
        match self {
            Self::Up => vec![(0, -r), (-r, r * 3 / 4), (r, r * 3 / 4)],
            Self::Down => vec![(0, r), (-r, -r * 3 / 4), (r, -r * 3 / 4)],
            Self::Diamond => vec![(0, -r), (r, 0), (0, r), (-r, 0)],
            Self::Square => {
                let s = r * 5 / 6;
                vec![(-s, -s), (s, -s), (s, s), (-s, s)]
            }
            Self::Circle => (0..12)
                .map(|k| {
                    let angle = f64::from(k) * std::f64::consts::TAU / 12.0;
                    let radius = f64::from(r) * 0.8;
                    let x = (radius * angle.cos()).round() as i32;
                    let y = (radius * angle.sin()).round() as i32;
                    (x, y)
                })
                .collect(),
        }
    }
}

/// What a mark stands for, in legend order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum MarkKind {
    /// A decision that raised desired capacity.
    ScaleOut,
    /// A decision that lowered desired capacity.
    ScaleIn,
    /// An unhealthy instance replaced.
    HealthReplacement,
    /// An instance replaced at `max_instance_lifetime`.
    MaxLifetime,
    /// Instances replaced by an instance refresh.
    InstanceRefresh,
    /// Instances moved between Availability Zones.
    AzRebalance,
    /// Instances launched or terminated to restore desired capacity.
    CapacityRestore,
    /// A Spot instance interrupted by EC2.
    SpotInterruption,
    /// A Spot instance replaced early by Capacity Rebalancing.
    CapacityRebalance,
}

impl MarkKind {
    /// The legend label.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::ScaleOut => "scale-out",
            Self::ScaleIn => "scale-in",
            Self::HealthReplacement => "health replacement",
            Self::MaxLifetime => "max lifetime replacement",
            Self::InstanceRefresh => "refresh replacement",
            Self::AzRebalance => "AZ rebalancing",
            Self::CapacityRestore => "launch to restore desired",
            Self::SpotInterruption => "Spot interruption",
            Self::CapacityRebalance => "Capacity Rebalancing",
        }
    }

    /// The fill colour.
    pub(crate) fn colour(self) -> RGBColor {
        match self {
            Self::ScaleOut => RGBColor(44, 160, 44),
            Self::ScaleIn => RGBColor(214, 39, 40),
            Self::HealthReplacement => RGBColor(165, 15, 21),
            Self::MaxLifetime => RGBColor(140, 86, 75),
            Self::InstanceRefresh => RGBColor(0, 128, 128),
            Self::AzRebalance => RGBColor(106, 61, 154),
            Self::CapacityRestore => RGBColor(110, 110, 110),
            Self::SpotInterruption => RGBColor(255, 127, 14),
            Self::CapacityRebalance => RGBColor(23, 190, 207),
        }
    }

    /// The corners of its mark around (0, 0) \[px\].
    pub(crate) fn corners(self) -> Vec<(i32, i32)> {
        let radius = match self {
            Self::ScaleOut | Self::ScaleIn => DECISION_RADIUS,
            _ => REPLACEMENT_RADIUS,
        };
        self.shape().corners(radius)
    }

    /// The shape.
    fn shape(self) -> Shape {
        match self {
            Self::ScaleOut => Shape::Up,
            Self::ScaleIn => Shape::Down,
            Self::HealthReplacement => Shape::Diamond,
            Self::MaxLifetime | Self::InstanceRefresh => Shape::Square,
            Self::AzRebalance | Self::CapacityRestore => Shape::Circle,
            Self::SpotInterruption => Shape::Down,
            Self::CapacityRebalance => Shape::Diamond,
        }
    }

    /// The kind of the mark of an instance activity of `origin` while desired stays.
    fn of_origin(origin: ActivityOrigin) -> Option<Self> {
        match origin {
            ActivityOrigin::Scaling => None,
            ActivityOrigin::CapacityRestore => Some(Self::CapacityRestore),
            ActivityOrigin::HealthReplacement => Some(Self::HealthReplacement),
            ActivityOrigin::MaxInstanceLifetime => Some(Self::MaxLifetime),
            ActivityOrigin::InstanceRefresh => Some(Self::InstanceRefresh),
            ActivityOrigin::AzRebalance => Some(Self::AzRebalance),
            ActivityOrigin::SpotInterruption => Some(Self::SpotInterruption),
            ActivityOrigin::CapacityRebalance => Some(Self::CapacityRebalance),
        }
    }
}

/// The marks of the run's activities at (time, desired capacity after), by kind in legend
/// order, only the kinds that occur: one mark per distinct (time, kind), thinned to one per
/// bucket of time when there are very many. `end` is the end of the time axis, in `unit`.
pub(crate) fn activity_marks(
    output: &RunOutput,
    unit: TimeUnit,
    end: f64,
) -> Vec<(MarkKind, Vec<Point>)> {
    let mut marks: Vec<(MarkKind, Vec<Point>, Option<u64>)> = Vec::new();
    for activity in &output.records.activities {
        let kind = match activity.desired_after.cmp(&activity.desired_before) {
            Ordering::Greater => Some(MarkKind::ScaleOut),
            Ordering::Less => Some(MarkKind::ScaleIn),
            Ordering::Equal if activity.instance_id.is_some() => {
                MarkKind::of_origin(activity.origin)
            }
            Ordering::Equal => None,
        };
        let Some(kind) = kind else {
            continue;
        };
        let slot = match marks.iter().position(|(k, _, _)| *k == kind) {
            Some(slot) => slot,
            None => {
                marks.push((kind, Vec::new(), None));
                marks.len() - 1
            }
        };
        let (_, points, last_seen) = &mut marks[slot];
        if *last_seen != Some(activity.time_ms) {
            *last_seen = Some(activity.time_ms);
            points.push((unit.of(activity.time_ms), f64::from(activity.desired_after)));
        }
    }
    marks.sort_by_key(|(kind, _, _)| *kind);
    marks
        .into_iter()
        .map(|(kind, points, _)| (kind, thin_marks(points, end)))
        .collect()
}

/// Keeps at most one mark per 1/[`MAX_MARKS`] of the axis when there are more than that.
fn thin_marks(marks: Vec<Point>, end: f64) -> Vec<Point> {
    if marks.len() <= MAX_MARKS || end <= 0.0 {
        return marks;
    }
    let bucket = |x: f64| (x / end * MAX_MARKS as f64) as i64;
    let mut thinned: Vec<Point> = Vec::with_capacity(MAX_MARKS + 1);
    for mark in marks {
        if thinned
            .last()
            .is_none_or(|&last| bucket(last.0) != bucket(mark.0))
        {
            thinned.push(mark);
        }
    }
    thinned
}

type Result2<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws the marks of `kind` at `points`, each filled with a white outline.
pub(crate) fn draw_marks<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<Axis, Axis>>,
    kind: MarkKind,
    points: &[Point],
) -> Result2<DB> {
    let shape = kind.corners();
    let colour = kind.colour();
    chart.draw_series(points.iter().map(|&mark| {
        let mut outline = shape.clone();
        outline.push(shape[0]);
        EmptyElement::at(mark)
            + Polygon::new(shape.clone(), colour.filled())
            + PathElement::new(outline, WHITE.stroke_width(1))
    }))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_marks_are_thinned_per_bucket() {
        let marks: Vec<Point> = (0..1_000).map(|i| (f64::from(i) / 10.0, 1.0)).collect();
        let thinned = thin_marks(marks, 100.0);
        assert_eq!(thinned.len(), MAX_MARKS);
        assert_eq!(thin_marks(vec![(1.0, 1.0)], 100.0), [(1.0, 1.0)]);
    }

    #[test]
    fn shapes_are_centred() {
        for shape in [
            Shape::Up,
            Shape::Down,
            Shape::Diamond,
            Shape::Square,
            Shape::Circle,
        ] {
            let corners = shape.corners(8);
            assert!(corners.len() >= 3);
            assert!(corners.iter().all(|&(x, y)| x.abs() <= 8 && y.abs() <= 8));
        }
    }
}
