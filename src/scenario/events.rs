//! `[\[events\]]`: scripted things that happen to the group, sorted by time:
//! `set_desired_capacity`, `fail_instances`, `az_outage`, `launch_failures`,
//! `suspend_processes`, `resume_processes`, `spot_interruption` and `instance_refresh` (read
//! in `refresh.rs`).

use super::fields::{Field, Reader};
use super::model::{EventAction, FailureMode, ScriptedEvent};
use super::processes::read_processes;
use super::refresh::read_instance_refresh;
use crate::time::{SimDuration, format_duration};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    SetDesiredCapacity,
    FailInstances,
    AzOutage,
    LaunchFailures,
    SuspendProcesses,
    ResumeProcesses,
    InstanceRefresh,
    SpotInterruption,
}

const ACTIONS: [(&str, Action); 8] = [
    ("set_desired_capacity", Action::SetDesiredCapacity),
    ("fail_instances", Action::FailInstances),
    ("az_outage", Action::AzOutage),
    ("launch_failures", Action::LaunchFailures),
    ("suspend_processes", Action::SuspendProcesses),
    ("resume_processes", Action::ResumeProcesses),
    ("instance_refresh", Action::InstanceRefresh),
    ("spot_interruption", Action::SpotInterruption),
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
        Some(Action::AzOutage) => read_az_outage(&mut e, azs),
        Some(Action::LaunchFailures) => read_launch_failures(&mut e, azs),
        Some(a @ (Action::SuspendProcesses | Action::ResumeProcesses)) => {
            read_process_event(&mut e, a)
        }
        Some(Action::InstanceRefresh) => read_instance_refresh(&mut e),
        Some(Action::SpotInterruption) => read_spot_interruption(&mut e, azs),
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

/// `set_desired_capacity`: `value` must lie within \[min_size, max_size\], as AWS rejects
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
    let az = read_az(e, azs).optional();
    let mode = e.choice("mode", &MODES).or(FailureMode::Impaired);
    Some(EventAction::FailInstances {
        count: count?,
        az: az?,
        mode: mode?,
    })
}

/// `az`: one of the group's `availability_zones` (when they are known). No suggestion: AZ
/// names are all alike, and the list is short.
fn read_az<'a>(e: &mut Reader<'a>, azs: Option<&[String]>) -> Field<'a, String> {
    e.string("az").check(
        |az| azs.is_none_or(|list| list.iter().any(|a| a == az)),
        |az| {
            let list = azs.unwrap_or_default().join(", ");
            format!("\"{az}\" is not one of the group's availability_zones; they are: {list}")
        },
    )
}

/// `spot_interruption`: `count` (default 1), `instance_type` and `az` (optional).
fn read_spot_interruption(e: &mut Reader<'_>, azs: Option<&[String]>) -> Option<EventAction> {
    let count = e
        .count("count")
        .check(|n| *n >= 1, |_| "must be at least 1".to_string())
        .or(1);
    let instance_type = e.name("instance_type").optional();
    let az = read_az(e, azs).optional();
    Some(EventAction::SpotInterruption {
        count: count?,
        instance_type: instance_type?,
        az: az?,
    })
}

/// `az_outage`: `az` (required) and `duration` (required, > 0).
fn read_az_outage(e: &mut Reader<'_>, azs: Option<&[String]>) -> Option<EventAction> {
    let az = read_az(e, azs).required();
    let duration_ms = e.positive_duration("duration").required();
    Some(EventAction::AzOutage {
        az: az?,
        duration_ms: duration_ms?,
    })
}

/// `launch_failures`: `az` (optional: every AZ), `duration` (required, > 0) and
/// `probability` (0 < p ≤ 1, default 1: an AZ out of capacity).
fn read_launch_failures(e: &mut Reader<'_>, azs: Option<&[String]>) -> Option<EventAction> {
    let az = read_az(e, azs).optional();
    let duration_ms = e.positive_duration("duration").required();
    let probability = e
        .number("probability")
        .check(
            |p| *p > 0.0 && *p <= 1.0,
            |p| format!("must be > 0 and ≤ 1 (the chance each launch attempt fails; 1, the default, is an AZ out of capacity), found {p}"),
        )
        .or(1.0);
    Some(EventAction::LaunchFailures {
        az: az?,
        duration_ms: duration_ms?,
        probability: probability?,
    })
}

/// `suspend_processes` / `resume_processes`: `processes`, at least one process name.
fn read_process_event(e: &mut Reader<'_>, action: Action) -> Option<EventAction> {
    let processes = read_processes(e, "processes")
        .check(
            |p| !p.is_empty(),
            |_| "must name at least one process, such as [\"AZRebalance\"]".to_string(),
        )
        .required()?;
    Some(match action {
        Action::ResumeProcesses => EventAction::ResumeProcesses { processes },
        _ => EventAction::SuspendProcesses { processes },
    })
}
