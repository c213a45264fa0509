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

use crate::records::{Activity, ActivityOrigin};
use crate::time::SimTime;

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
        }
    }

    /// The kind of an activity's mark: a decision by the way desired capacity moved, an
    /// instance launched or terminated while desired stays by its origin, else none.
    pub(crate) fn of_activity(activity: &Activity) -> Option<Self> {
        match activity.desired_after.cmp(&activity.desired_before) {
            Ordering::Greater => Some(Self::ScaleOut),
            Ordering::Less => Some(Self::ScaleIn),
            Ordering::Equal if activity.instance_id.is_some() => Self::of_origin(activity.origin),
            Ordering::Equal => None,
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
        }
    }
}

/// The marks of one kind, kept as activities arrive: every mark while there are at most
/// [`MAX_MARKS`], and always the first mark of each 1/[`MAX_MARKS`] of the axis, so memory
/// stays bounded however many activities a run has.
#[derive(Debug, Clone)]
struct KindMarks {
    kind: MarkKind,
    /// Time of the last mark, so that one time gets one mark \[ms\].
    last_seen: Option<SimTime>,
    /// Every mark, until there are more than [`MAX_MARKS`].
    all: Option<Vec<(SimTime, f64)>>,
    /// The first mark of each bucket of the axis.
    thinned: Vec<(SimTime, f64)>,
}

/// Collects the marks of a run's activities at (time, desired capacity after), by kind: one
/// mark per distinct (time, kind), thinned to one per bucket of time when a kind has more than
/// [`MAX_MARKS`].
#[derive(Debug, Clone)]
pub(crate) struct MarkBuilder {
    /// The span of the time axis \[ms\].
    span_ms: SimTime,
    kinds: Vec<KindMarks>,
}

impl MarkBuilder {
    /// No marks yet, on an axis over `[0, span_ms]`.
    pub(crate) fn new(span_ms: SimTime) -> Self {
        Self {
            span_ms,
            kinds: Vec::new(),
        }
    }

    /// The mark of `activity`, if it is a decision or a replacement.
    pub(crate) fn push(&mut self, activity: &Activity) {
        let Some(kind) = MarkKind::of_activity(activity) else {
            return;
        };
        let slot = match self.kinds.iter().position(|k| k.kind == kind) {
            Some(slot) => slot,
            None => {
                self.kinds.push(KindMarks {
                    kind,
                    last_seen: None,
                    all: Some(Vec::new()),
                    thinned: Vec::new(),
                });
                self.kinds.len() - 1
            }
        };
        let span_ms = self.span_ms;
        let marks = &mut self.kinds[slot];
        if marks.last_seen == Some(activity.time_ms) {
            return;
        }
        marks.last_seen = Some(activity.time_ms);
        let mark = (activity.time_ms, f64::from(activity.desired_after));
        if let Some(all) = &mut marks.all {
            all.push(mark);
            if all.len() > MAX_MARKS {
                marks.all = None;
            }
        }
        let bucket = |t_ms: SimTime| {
            if span_ms == 0 {
                0
            } else {
                u128::from(t_ms) * MAX_MARKS as u128 / u128::from(span_ms)
            }
        };
        if marks
            .thinned
            .last()
            .is_none_or(|last| bucket(last.0) != bucket(mark.0))
        {
            marks.thinned.push(mark);
        }
    }

    /// The marks by kind in legend order, only the kinds that occur, times in `unit`.
    pub(crate) fn finish(mut self, unit: TimeUnit) -> Vec<(MarkKind, Vec<Point>)> {
        self.kinds.sort_by_key(|k| k.kind);
        self.kinds
            .into_iter()
            .map(|k| {
                let kept = k.all.unwrap_or(k.thinned);
                let points = kept.iter().map(|&(t, v)| (unit.of(t), v)).collect();
                (k.kind, points)
            })
            .collect()
    }
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
        let activity = |i: u64| Activity {
            time_ms: i * 360_000,
            kind: crate::records::ActivityKind::Launch,
            origin: ActivityOrigin::Scaling,
            cause: String::new(),
            desired_before: 1,
            desired_after: 2,
            instance_id: None,
            az: None,
            description: String::new(),
        };
        let mut marks = MarkBuilder::new(100 * 3_600_000);
        for i in 0..1_000 {
            marks.push(&activity(i));
            // A second activity of the same decision gets no second mark.
            marks.push(&activity(i));
        }
        let kinds = marks.finish(TimeUnit::Hours);
        assert_eq!(kinds.len(), 1);
        assert_eq!(kinds[0].0, MarkKind::ScaleOut);
        assert_eq!(kinds[0].1.len(), MAX_MARKS);
        let mut few = MarkBuilder::new(3_600_000);
        few.push(&activity(1));
        assert_eq!(few.finish(TimeUnit::Hours)[0].1, [(0.1, 2.0)]);
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
