//! `[\[scheduled_actions\]]` and `scheduled_action_max_delay`: values, defaults and each rule.

use super::tests::{FULL, MINIMAL, parse, problems};
use super::tests_policies::POLICIES;
use super::tests_rules::{check_cases, edited};
use super::*;
use crate::schedule::Schedule;

#[test]
fn scheduled_actions_parse_to_the_values_written() {
    let s = parse(FULL, &[]).unwrap();
    assert_eq!(
        s.scheduled_actions,
        [ScheduledActionConfig {
            name: "evening".into(),
            schedule: Schedule::new(Some("0 18 * * MON-FRI"), "UTC", None, None).unwrap(),
            min_size: None,
            max_size: None,
            desired_capacity: Some(2),
        }]
    );
    let s = parse(POLICIES, &[]).unwrap();
    assert_eq!(
        s.scheduled_actions[0],
        ScheduledActionConfig {
            name: "morning".into(),
            schedule: Schedule::new(Some("0 8 * * MON-FRI"), "Europe/Paris", None, None).unwrap(),
            min_size: Some(4),
            max_size: None,
            desired_capacity: Some(6),
        }
    );
    assert_eq!(
        s.scheduled_actions[1],
        ScheduledActionConfig {
            name: "launch-day".into(),
            schedule: Schedule::new(None, "UTC", Some("2025-01-07T09:00:00Z"), None).unwrap(),
            min_size: None,
            max_size: Some(20),
            desired_capacity: None,
        },
        "a one-off action, time zone UTC by default"
    );
}

#[test]
fn scheduled_action_defaults_and_optional_keys() {
    let text = format!(
        "{MINIMAL}\n[[scheduled_actions]]\nname = \"a\"\nrecurrence = \"30 6 * * 2\"\nstart_time = 2025-01-06T12:00:00Z\nend_time = \"2025-02-01T00:00:00Z\"\nmin_size = 0\nmax_size = 0\ndesired_capacity = 0\n"
    );
    let s = parse(&text, &[]).unwrap();
    let a = &s.scheduled_actions[0];
    assert_eq!(a.schedule.time_zone_name(), "UTC");
    let start = a.schedule.start().map(|t| t.to_string());
    assert_eq!(
        start.as_deref(),
        Some("2025-01-06T12:00:00Z"),
        "a TOML date-time"
    );
    let end = a.schedule.end().map(|t| t.to_string());
    assert_eq!(end.as_deref(), Some("2025-02-01T00:00:00Z"));
    assert_eq!(
        (a.min_size, a.max_size, a.desired_capacity),
        (Some(0), Some(0), Some(0))
    );
    assert_eq!(s.scheduled_action_max_delay_ms, 120_000);
    let s = parse(
        &text,
        &[
            "scheduled_action_max_delay=0",
            "scheduled_actions.a.time_zone=America/New_York",
        ],
    )
    .unwrap();
    assert_eq!(s.scheduled_action_max_delay_ms, 0);
    assert_eq!(
        s.scheduled_actions[0].schedule.time_zone_name(),
        "America/New_York"
    );
}

#[test]
fn scheduled_action_rules() {
    check_cases(
        POLICIES,
        r#"
        -scheduled_actions.morning.recurrence | scheduled_actions.morning | a scheduled action needs recurrence (a cron such as "0 18 * * MON-FRI") or start_time
        scheduled_actions.morning.recurrence="0 8 * *" | scheduled_actions.morning.recurrence | expected 5 fields, [Minute] [Hour] [Day_of_Month] [Month_of_Year] [Day_of_Week]
        scheduled_actions.morning.recurrence="0 8 * * MON-FRI 2025" | scheduled_actions.morning.recurrence | expected 5 fields
        scheduled_actions.morning.recurrence="0 8 * * MON-FRY" | scheduled_actions.morning.recurrence | "FRY" is not a day
        scheduled_actions.morning.time_zone="Mars/Olympus" | scheduled_actions.morning.time_zone | is not an IANA time zone name
        scheduled_actions.morning.recurrence=8 | scheduled_actions.morning.recurrence | expected a string
        scheduled_actions.morning.time_zone="" | scheduled_actions.morning.time_zone | must not be empty
        -scheduled_actions.morning.min_size ; -scheduled_actions.morning.desired_capacity | scheduled_actions.morning | must set at least one of min_size, max_size or desired_capacity
        scheduled_actions.morning.max_size=3 | scheduled_actions.morning.min_size | min_size 4 > max_size 3
        scheduled_actions.morning.desired_capacity=3 | scheduled_actions.morning.desired_capacity | desired_capacity 3 is below the action's min_size 4
        scheduled_actions.launch-day.desired_capacity=21 | scheduled_actions.launch-day.desired_capacity | desired_capacity 21 is above the action's max_size 20
        scheduled_actions.morning.desired_capacity=-1 | scheduled_actions.morning.desired_capacity | expected a whole number ≥ 0
        scheduled_actions.launch-day.start_time="2025-01-07 09:00" | scheduled_actions.launch-day.start_time | YYYY-MM-DDTHH:MM:SSZ
        scheduled_actions.launch-day.end_time="2025-01-07T25:00:00Z" | scheduled_actions.launch-day.end_time | hour 25 is out of range
        scheduled_actions.launch-day.end_time="2025-01-07T09:00:00Z" | scheduled_actions.launch-day.end_time | end_time 2025-01-07T09:00:00Z must be after start_time 2025-01-07T09:00:00Z
        scheduled_actions.launch-day.end_time="2025-01-06T00:00:00Z" | scheduled_actions.launch-day.end_time | must be after start_time
        scheduled_actions.morning.start_time="2025-01-07T09:00:00Z" | scheduled_actions.launch-day.start_time | scheduled action morning already starts at 2025-01-07T09:00:00Z
        scheduled_actions.morning.name=launch-day | scheduled_actions[1].name | another scheduled action is already named launch-day
        -scheduled_actions.morning.name | scheduled_actions[0].name | required key is missing
        scheduled_actions.morning.desired_capacty=3 | scheduled_actions.morning.desired_capacty | did you mean desired_capacity?
        "#,
    );
}

#[test]
fn every_problem_of_one_action_is_reported() {
    let text = edited(
        POLICIES,
        &[
            "scheduled_actions.morning.recurrence=\"0 8\"",
            "scheduled_actions.morning.max_size=1",
            "scheduled_actions.morning.colour=1",
        ],
    );
    let p = problems(&text, &[]);
    let paths: Vec<&str> = p.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        paths,
        [
            "scheduled_actions.morning.min_size",
            "scheduled_actions.morning.desired_capacity",
            "scheduled_actions.morning.recurrence",
            "scheduled_actions.morning.colour",
        ],
        "{p:#?}"
    );
}

#[test]
fn too_many_actions_are_refused() {
    let mut text = MINIMAL.to_string();
    for i in 0..126 {
        text.push_str(&format!(
            "\n[[scheduled_actions]]\nname = \"a{i}\"\nrecurrence = \"{} * * * *\"\ndesired_capacity = 1\n",
            i % 60
        ));
    }
    let p = problems(&text, &[]);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert!(
        p[0].message
            .contains("126 scheduled actions; AWS allows at most 125")
    );
}
