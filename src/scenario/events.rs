//! `[[events]]`: scripted things that happen to the group, sorted by time.

use super::fields::Reader;
use super::model::{EventAction, FailureMode, ScriptedEvent};
use crate::time::{SimDuration, format_duration};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    SetDesiredCapacity,
    FailInstances,
    AzOutage,
}

const ACTIONS: [(&str, Action); 3] = [
    ("set_desired_capacity", Action::SetDesiredCapacity),
    ("fail_instances", Action::FailInstances),
    ("az_outage", Action::AzOutage),
];

/// Reads every event, sorted by `at` (stable). `duration_ms` is the run's length and
/// `bounds` the group's (min_size, max_size), when they are known.
pub(super) fn read_events(
    r: &mut Reader<'_>,
    duration_ms: Option<SimDuration>,
    bounds: Option<(u32, u32)>,
    azs: Option<&[String]>,
) -> Option<Vec<ScriptedEvent>> {
    let events: Vec<Option<ScriptedEvent>> = r
        .entries("events")
        .into_iter()
        .map(|e| read_event(e, duration_ms, bounds, azs))
        .collect();
    let mut events: Vec<ScriptedEvent> = events.into_iter().collect::<Option<_>>()?;
    events.sort_by_key(|e| e.at_ms);
    Some(events)
}

fn read_event(
    mut e: Reader<'_>,
    duration_ms: Option<SimDuration>,
    bounds: Option<(u32, u32)>,
    azs: Option<&[String]>,
) -> Option<ScriptedEvent> {
    let at_ms = e.duration("at").required();
    if let (Some(at), Some(end)) = (at_ms, duration_ms)
        && at > end
    {
        e.report(
            "at",
            format!(
                "at {} is after the end of the run (duration {})",
                format_duration(at),
                format_duration(end)
            ),
        );
    }
    let action = match e.choice("action", &ACTIONS).required() {
        Some(Action::SetDesiredCapacity) => read_set_desired(&mut e, bounds),
        Some(Action::FailInstances) => read_fail_instances(&mut e, azs),
        Some(other) => {
            let name = ACTIONS
                .iter()
                .find(|(_, a)| *a == other)
                .map_or("", |(n, _)| *n);
            e.report(
                "action",
                format!(
                    "action {name} is not supported yet; supported: set_desired_capacity, fail_instances"
                ),
            );
            e.allow_all();
            None
        }
        None => {
            e.allow_all();
            None
        }
    };
    e.finish();
    Some(ScriptedEvent {
        at_ms: at_ms.filter(|at| duration_ms.is_none_or(|end| *at <= end))?,
        action: action?,
    })
}

/// `set_desired_capacity`: `value` must lie within [min_size, max_size], as AWS rejects
/// a SetDesiredCapacity outside them.
fn read_set_desired(e: &mut Reader<'_>, bounds: Option<(u32, u32)>) -> Option<EventAction> {
    let value = e.count("value").required()?;
    if let Some((lo, hi)) = bounds
        && (value < lo || value > hi)
    {
        e.report(
                "value",
                format!("value {value} must lie between min_size {lo} and max_size {hi} (AWS rejects SetDesiredCapacity outside them)"),
            );
        return None;
    }
    Some(EventAction::SetDesiredCapacity { value })
}

const MODES: [(&str, FailureMode); 3] = [
    ("impaired", FailureMode::Impaired),
    ("application", FailureMode::Application),
    ("terminated", FailureMode::Terminated),
];

/// `fail_instances`: `count` (default 1), `az` (one of the group's), `mode` (default impaired).
fn read_fail_instances(e: &mut Reader<'_>, azs: Option<&[String]>) -> Option<EventAction> {
    let count = e
        .count("count")
        .check(|n| *n >= 1, |_| "must be at least 1".to_string())
        .or(1);
    let az = e
        .string("az")
        .check(
            |az| azs.is_none_or(|list| list.iter().any(|a| a == az)),
            |az| {
                let list = azs.unwrap_or_default().join(", ");
                format!("\"{az}\" is not one of the group's availability_zones ({list})")
            },
        )
        .optional();
    let mode = e.choice("mode", &MODES).or(FailureMode::Impaired);
    Some(EventAction::FailInstances {
        count: count?,
        az: az?,
        mode: mode?,
    })
}
