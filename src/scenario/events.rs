//! `[[events]]`: scripted things that happen to the group, sorted by time.

use super::fields::Reader;
use super::model::{EventAction, ScriptedEvent};
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
) -> Option<Vec<ScriptedEvent>> {
    let events: Vec<Option<ScriptedEvent>> = r
        .entries("events")
        .into_iter()
        .map(|e| read_event(e, duration_ms, bounds))
        .collect();
    let mut events: Vec<ScriptedEvent> = events.into_iter().collect::<Option<_>>()?;
    events.sort_by_key(|e| e.at_ms);
    Some(events)
}

fn read_event(
    mut e: Reader<'_>,
    duration_ms: Option<SimDuration>,
    bounds: Option<(u32, u32)>,
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
        Some(other) => {
            let name = ACTIONS
                .iter()
                .find(|(_, a)| *a == other)
                .map_or("", |(n, _)| *n);
            e.report(
                "action",
                format!("action {name} is not supported yet; supported: set_desired_capacity"),
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
