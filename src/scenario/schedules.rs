//! `[\[scheduled_actions\]]`: scheduled scaling (UG: ec2-auto-scaling-scheduled-scaling), with AWS's rules on
//! what an action must set and when it runs.
//!
//! The cron expression, the time zone and the times are parsed once, here, into a
//! [`Schedule`]: the simulation never reads text.

use crate::schedule::{DEFAULT_TIME_ZONE, Schedule, ScheduleError};

use super::fields::{Reader, unique_names};
use super::model::ScheduledActionConfig;
use super::parse::read_utc_time;

/// AWS's limit on scheduled actions per group.
const MAX_ACTIONS: usize = 125;

/// An optional key as read: `None` when bad, `Some(None)` when absent.
type Optional<T> = Option<Option<T>>;

/// Keys a message of [`check_schedule`] may start with, to be reported at.
const SCHEDULE_KEYS: [&str; 4] = ["recurrence", "time_zone", "start_time", "end_time"];

/// Reads every scheduled action, in file order; `None` if any is wrong.
pub(super) fn read_scheduled_actions(r: &mut Reader<'_>) -> Option<Vec<ScheduledActionConfig>> {
    let entries = r.entries("scheduled_actions");
    if entries.len() > MAX_ACTIONS {
        r.report(
            "scheduled_actions",
            format!(
                "{} scheduled actions; AWS allows at most {MAX_ACTIONS} per group",
                entries.len()
            ),
        );
    }
    unique_names(&entries, "scheduled action");
    let mut read = Vec::new();
    for entry in entries {
        let label = entry.path().to_string();
        read.push((label, read_action(entry)));
    }
    check_distinct_start_times(r, &read);
    read.into_iter().map(|(_, a)| a).collect()
}

fn read_action(mut e: Reader<'_>) -> Option<ScheduledActionConfig> {
    let name = e.name("name").required();
    let recurrence = e.string("recurrence").optional();
    let time_zone = e
        .name("time_zone")
        .or_else(|| DEFAULT_TIME_ZONE.to_string());
    let (start_time, end_time) = read_times(&mut e, &recurrence);
    let (min_size, max_size, desired_capacity) = read_sizes(&mut e);
    let schedule = match (&recurrence, &time_zone, &start_time, &end_time) {
        (Some(recurrence), Some(time_zone), Some(start), Some(end)) => {
            let timing = (recurrence.as_deref(), time_zone.as_str());
            build_schedule(&e, timing, (start.as_deref(), end.as_deref()))
        }
        _ => None,
    };
    e.finish();
    Some(ScheduledActionConfig {
        name: name?,
        schedule: schedule?,
        min_size: min_size?,
        max_size: max_size?,
        desired_capacity: desired_capacity?,
    })
}

/// `start_time` and `end_time` (RFC 3339 UTC): one of `recurrence` or `start_time` is
/// required (a one-off runs at its start time), and `end_time` must be after `start_time`.
fn read_times(
    e: &mut Reader<'_>,
    recurrence: &Optional<String>,
) -> (Optional<String>, Optional<String>) {
    let start_written = e.peek("start_time").is_some();
    let start = read_utc_time(e, "start_time").optional();
    let end = read_utc_time(e, "end_time").optional();
    if !start_written && matches!(recurrence, Some(None)) {
        e.report_here("a scheduled action needs recurrence (a cron such as \"0 18 * * MON-FRI\") or start_time (when a one-off action runs)");
        return (None, end);
    }
    if let (Some(Some(from)), Some(Some(to))) = (&start, &end)
        && to <= from
    {
        e.report(
            "end_time",
            format!("end_time {to} must be after start_time {from}"),
        );
        return (start, None);
    }
    (start, end)
}

/// `min_size`, `max_size`, `desired_capacity`: at least one, and consistent among those set.
fn read_sizes(e: &mut Reader<'_>) -> (Optional<u32>, Optional<u32>, Optional<u32>) {
    let min = e.count("min_size").optional();
    let max = e.count("max_size").optional();
    let desired = e.count("desired_capacity").optional();
    let written = ["min_size", "max_size", "desired_capacity"]
        .iter()
        .any(|k| e.peek(k).is_some());
    if !written {
        e.report_here("a scheduled action must set at least one of min_size, max_size or desired_capacity, as AWS requires");
        return (None, None, None);
    }
    let (lo, hi, d) = (min.flatten(), max.flatten(), desired.flatten());
    let mut consistent = true;
    if let (Some(lo), Some(hi)) = (lo, hi)
        && lo > hi
    {
        e.report(
            "min_size",
            format!(
                "min_size {lo} > max_size {hi}; an action's min_size must not exceed its max_size"
            ),
        );
        consistent = false;
    }
    if let (Some(lo), Some(d)) = (lo, d)
        && d < lo
    {
        e.report("desired_capacity", format!("desired_capacity {d} is below the action's min_size {lo}; AWS rejects the inconsistent sizes"));
        consistent = false;
    }
    if let (Some(hi), Some(d)) = (hi, d)
        && d > hi
    {
        e.report("desired_capacity", format!("desired_capacity {d} is above the action's max_size {hi}; AWS rejects the inconsistent sizes"));
        consistent = false;
    }
    if !consistent {
        return (None, None, None);
    }
    (min, max, desired)
}

/// AWS rejects a scheduled action whose start time another action already has.
fn check_distinct_start_times(r: &Reader<'_>, read: &[(String, Option<ScheduledActionConfig>)]) {
    let starts: Vec<(&str, &str, jiff::Timestamp)> = read
        .iter()
        .filter_map(|(label, a)| {
            let a = a.as_ref()?;
            Some((label.as_str(), a.name.as_str(), a.schedule.start()?))
        })
        .collect();
    for (i, (label, _, start)) in starts.iter().enumerate() {
        if let Some((_, other, _)) = starts[..i].iter().find(|(_, _, s)| s == start) {
            r.report(
                &format!("{label}.start_time"),
                format!("scheduled action {other} already starts at {start}; AWS rejects two actions with the same start time"),
            );
        }
    }
}

/// Parses when the action runs with [`crate::schedule`]: its cron `recurrence` (fields,
/// ranges, names), its IANA `time_zone` and its start and end times. Each problem is reported
/// at the key it concerns; `None` when there is one.
fn build_schedule(
    e: &Reader<'_>,
    (recurrence, time_zone): (Option<&str>, &str),
    (start, end): (Option<&str>, Option<&str>),
) -> Option<Schedule> {
    match Schedule::new(recurrence, time_zone, start, end) {
        Ok(schedule) => Some(schedule),
        // The reader reports these two itself, in its own words.
        Err(ScheduleError::MissingStartTime) | Err(ScheduleError::EndNotAfterStart { .. }) => None,
        Err(error) => {
            let message = error.to_string();
            let key = SCHEDULE_KEYS
                .iter()
                .find(|k| message.starts_with(*k))
                .unwrap_or(&"recurrence");
            e.report(key, message);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(recurrence: Option<&str>, time_zone: &str) -> Option<String> {
        match Schedule::new(recurrence, time_zone, Some("2025-01-06T00:00:00Z"), None) {
            Ok(_) => None,
            Err(e) => Some(e.to_string()),
        }
    }

    #[test]
    fn a_cron_needs_five_fields() {
        assert_eq!(problem(Some("0 18 * * MON-FRI"), "UTC"), None);
        assert_eq!(problem(Some("  30 6  * * 2 "), "UTC"), None);
        assert_eq!(problem(None, "UTC"), None);
        for bad in [
            "0 18 * *",
            "0 18 * * MON-FRI 2025",
            "",
            "@daily",
            "0 25 * * *",
            "0 9 * * MON-FRY",
        ] {
            let p = problem(Some(bad), "UTC").expect(bad);
            assert!(p.starts_with("recurrence"), "{p}");
        }
        let zoned = problem(Some("0 9 * * *"), "Mars/Olympus_Mons").unwrap();
        assert!(zoned.starts_with("time_zone"), "{zoned}");
    }
}
