use jiff::Timestamp;

use super::*;

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn schedule(
    recurrence: Option<&str>,
    zone: &str,
    start: Option<&str>,
    end: Option<&str>,
) -> Schedule {
    Schedule::new(recurrence, zone, start, end).unwrap_or_else(|e| panic!("{e}"))
}

/// Every fire time strictly after `from` and strictly before `until`.
fn fires_between(s: &Schedule, from: &str, until: &str) -> Vec<String> {
    let until = ts(until);
    let mut out = Vec::new();
    let mut t = ts(from);
    while let Some(next) = s.next_fire(t).filter(|&n| n < until) {
        assert!(next > t, "next_fire must move forward: {t} -> {next}");
        out.push(next.to_string());
        t = next;
    }
    out
}

#[test]
fn new_york_morning_follows_daylight_saving() {
    // UG: ec2-auto-scaling-scheduled-scaling: America/New_York 08:00 is UTC−5 in winter, UTC−4 in summer.
    let s = schedule(Some("0 8 * * *"), "America/New_York", None, None);
    assert_eq!(
        s.next_fire(ts("2025-01-15T00:00:00Z")),
        Some(ts("2025-01-15T13:00:00Z"))
    );
    assert_eq!(
        s.next_fire(ts("2025-07-15T00:00:00Z")),
        Some(ts("2025-07-15T12:00:00Z"))
    );
    // Across the spring change (Sunday 2025-03-09), the UTC hour moves from 13 to 12.
    assert_eq!(
        fires_between(&s, "2025-03-08T00:00:00Z", "2025-03-10T00:00:00Z"),
        ["2025-03-08T13:00:00Z", "2025-03-09T12:00:00Z"]
    );
}

#[test]
fn utc_is_the_plain_cron() {
    let s = schedule(Some("30 6 * * 2"), DEFAULT_TIME_ZONE, None, None);
    assert_eq!(
        fires_between(&s, "2025-01-06T00:00:00Z", "2025-01-22T00:00:00Z"),
        [
            "2025-01-07T06:30:00Z",
            "2025-01-14T06:30:00Z",
            "2025-01-21T06:30:00Z"
        ]
    );
    // Local time is what the cron reads: Europe/Paris 18:00 in January is 17:00 UTC.
    let paris = schedule(Some("0 18 * * MON-FRI"), "Europe/Paris", None, None);
    assert_eq!(
        paris.next_fire(ts("2025-01-10T17:00:00Z")),
        Some(ts("2025-01-13T17:00:00Z"))
    );
}

#[test]
fn spring_forward_gap_runs_when_the_gap_ends() {
    // 2025-03-09 02:30 does not exist in New York (02:00 EST jumps to 03:00 EDT at 07:00 UTC).
    let s = schedule(Some("30 2 * * *"), "America/New_York", None, None);
    assert_eq!(
        fires_between(&s, "2025-03-08T00:00:00Z", "2025-03-11T00:00:00Z"),
        [
            "2025-03-08T07:30:00Z",
            "2025-03-09T07:00:00Z",
            "2025-03-10T06:30:00Z"
        ]
    );
    // Several gap minutes collapse into one run at the end of the gap.
    let quarter = schedule(Some("*/15 * * * *"), "America/New_York", None, None);
    assert_eq!(
        fires_between(&quarter, "2025-03-09T06:40:00Z", "2025-03-09T07:20:00Z"),
        [
            "2025-03-09T06:45:00Z",
            "2025-03-09T07:00:00Z",
            "2025-03-09T07:15:00Z"
        ]
    );
}

#[test]
fn fall_back_fold_runs_once_at_the_earlier_instant() {
    // 2025-11-02 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    let s = schedule(Some("30 1 * * *"), "America/New_York", None, None);
    assert_eq!(
        fires_between(&s, "2025-11-01T12:00:00Z", "2025-11-03T12:00:00Z"),
        ["2025-11-02T05:30:00Z", "2025-11-03T06:30:00Z"]
    );
    // Asked from inside the second 01:00 hour, it does not run 01:30 again.
    assert_eq!(
        s.next_fire(ts("2025-11-02T06:10:00Z")),
        Some(ts("2025-11-03T06:30:00Z"))
    );
    // Hourly: 01:00 runs in its first occurrence only, then 02:00 EST.
    let hourly = schedule(Some("0 * * * *"), "America/New_York", None, None);
    assert_eq!(
        fires_between(&hourly, "2025-11-02T04:30:00Z", "2025-11-02T08:30:00Z"),
        [
            "2025-11-02T05:00:00Z",
            "2025-11-02T07:00:00Z",
            "2025-11-02T08:00:00Z"
        ]
    );
}

#[test]
fn start_time_runs_first_then_the_cron() {
    // Start on a Wednesday evening, daily at 09:00 UTC afterwards.
    let s = schedule(Some("0 9 * * *"), "UTC", Some("2025-01-08T20:15:00Z"), None);
    assert_eq!(
        fires_between(&s, "2025-01-01T00:00:00Z", "2025-01-10T12:00:00Z"),
        [
            "2025-01-08T20:15:00Z",
            "2025-01-09T09:00:00Z",
            "2025-01-10T09:00:00Z"
        ]
    );
    // A start time on a cron match runs once.
    let on = schedule(Some("0 9 * * *"), "UTC", Some("2025-01-09T09:00:00Z"), None);
    assert_eq!(
        fires_between(&on, "2025-01-01T00:00:00Z", "2025-01-10T12:00:00Z"),
        ["2025-01-09T09:00:00Z", "2025-01-10T09:00:00Z"]
    );
}

#[test]
fn end_time_stops_the_schedule() {
    let s = schedule(
        Some("0 9 * * *"),
        "UTC",
        Some("2025-01-08T09:00:00Z"),
        Some("2025-01-10T09:00:00Z"),
    );
    // A fire exactly at the end time still runs; nothing after it.
    assert_eq!(
        fires_between(&s, "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z"),
        [
            "2025-01-08T09:00:00Z",
            "2025-01-09T09:00:00Z",
            "2025-01-10T09:00:00Z"
        ]
    );
    assert_eq!(s.next_fire(ts("2025-01-10T09:00:00Z")), None);
    let no_start = schedule(Some("0 9 * * *"), "UTC", None, Some("2025-01-09T08:59:00Z"));
    assert_eq!(
        fires_between(&no_start, "2025-01-07T00:00:00Z", "2025-02-01T00:00:00Z"),
        ["2025-01-07T09:00:00Z", "2025-01-08T09:00:00Z"]
    );
}

#[test]
fn one_off_action_runs_once_at_start_time() {
    let s = schedule(None, "America/New_York", Some("2025-06-01T12:34:56Z"), None);
    assert!(s.cron().is_none());
    assert_eq!(
        s.next_fire(ts("2025-01-01T00:00:00Z")),
        Some(ts("2025-06-01T12:34:56Z"))
    );
    assert_eq!(
        s.next_fire(ts("2025-06-01T12:34:55.999Z")),
        Some(ts("2025-06-01T12:34:56Z"))
    );
    assert_eq!(s.next_fire(ts("2025-06-01T12:34:56Z")), None);
    assert_eq!(
        s.first_fire_from(ts("2025-06-01T12:34:56Z")),
        Some(ts("2025-06-01T12:34:56Z"))
    );
    assert_eq!(s.first_fire_from(ts("2025-06-01T12:34:57Z")), None);
}

#[test]
fn impossible_recurrence_gives_none_without_hanging() {
    let s = schedule(Some("0 0 30 2 *"), "Europe/Berlin", None, None);
    assert_eq!(s.next_fire(ts("2025-01-01T00:00:00Z")), None);
}

#[test]
fn accessors_return_what_was_given() {
    let s = schedule(
        Some("0  9 * * *"),
        "america/new_york",
        Some("2025-01-08T09:00:00Z"),
        Some("2025-01-10T09:00:00+00:00"),
    );
    assert_eq!(s.cron().map(CronExpr::as_str), Some("0 9 * * *"));
    assert_eq!(s.time_zone().iana_name(), Some("America/New_York"));
    assert_eq!(s.start(), Some(ts("2025-01-08T09:00:00Z")));
    assert_eq!(s.end(), Some(ts("2025-01-10T09:00:00Z")));
}

#[test]
fn errors_name_the_key_and_the_fix() {
    let err = Schedule::new(Some("0 18 * * MON-FRY"), "UTC", None, None).unwrap_err();
    assert!(matches!(
        err,
        ScheduleError::Recurrence(CronError::Field { .. })
    ));
    assert_eq!(
        err.to_string(),
        r#"recurrence: field 5 (day of week) "MON-FRY": "FRY" is not a day; did you mean FRI?; use 0-7 or SUN-SAT"#
    );
    for zone in ["Mars/Olympus_Mons", "", "EST5EDT6"] {
        let err = Schedule::new(Some("0 9 * * *"), zone, None, None).unwrap_err();
        assert_eq!(err, ScheduleError::UnknownTimeZone { name: zone.into() });
        assert!(err.to_string().contains("America/New_York"));
    }
    for bad in [
        "2025-01-08",
        "2025-01-08T09:00:00",
        "2025-01-08T09:00:00-05:00",
        "soon",
    ] {
        let err = Schedule::new(None, "UTC", Some(bad), None).unwrap_err();
        assert!(
            matches!(&err, ScheduleError::BadTime { key: "start_time", text, .. } if text == bad),
            "{bad}: {err:?}"
        );
        assert!(err.to_string().contains("2025-01-06T08:00:00Z"), "{err}");
    }
    let err = Schedule::new(None, "UTC", Some("2025-01-08T09:00:00Z"), Some("x")).unwrap_err();
    assert!(matches!(
        err,
        ScheduleError::BadTime {
            key: "end_time",
            ..
        }
    ));
}

#[test]
fn end_must_follow_start_and_one_offs_need_a_start() {
    for end in ["2025-01-08T09:00:00Z", "2025-01-01T00:00:00Z"] {
        let err = Schedule::new(None, "UTC", Some("2025-01-08T09:00:00Z"), Some(end)).unwrap_err();
        assert!(
            matches!(err, ScheduleError::EndNotAfterStart { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("must be after start_time"));
    }
    let err = Schedule::new(None, "UTC", None, Some("2025-01-08T09:00:00Z")).unwrap_err();
    assert_eq!(err, ScheduleError::MissingStartTime);
    assert!(err.to_string().contains("start_time"));
}

#[test]
fn bundled_database_knows_zones_the_system_may_lack() {
    // Looked up in the bundled copy; these tests also pass with TZDIR pointing to an empty
    // folder (see the commit that added jiff).
    for name in [
        "UTC",
        "America/New_York",
        "Europe/London",
        "Asia/Kolkata",
        "Australia/Lord_Howe",
    ] {
        assert!(zone::lookup(name).is_some(), "{name}");
    }
}

#[test]
fn sim_milliseconds_map_to_instants_and_back() {
    let t0 = ts("2025-01-06T00:00:00Z");
    assert_eq!(sim_ms_to_timestamp(t0, 0), t0);
    assert_eq!(
        sim_ms_to_timestamp(t0, 90_500),
        ts("2025-01-06T00:01:30.5Z")
    );
    assert_eq!(sim_ms_to_timestamp(t0, u64::MAX), Timestamp::MAX);
    assert_eq!(timestamp_to_sim_ms(t0, t0), Some(0));
    assert_eq!(
        timestamp_to_sim_ms(t0, ts("2025-01-07T00:00:00Z")),
        Some(86_400_000)
    );
    assert_eq!(
        timestamp_to_sim_ms(t0, ts("2025-01-05T23:59:59.999Z")),
        None
    );
    // A fraction of a millisecond rounds up, never before the instant.
    assert_eq!(
        timestamp_to_sim_ms(t0, ts("2025-01-06T00:00:00.000000001Z")),
        Some(1)
    );
    assert_eq!(
        timestamp_to_sim_ms(Timestamp::MIN, Timestamp::MAX).map(|ms| ms > 0),
        Some(true)
    );
    for ms in [0, 1, 59_999, 3_600_000, 7 * 86_400_000] {
        assert_eq!(
            timestamp_to_sim_ms(t0, sim_ms_to_timestamp(t0, ms)),
            Some(ms)
        );
    }
}

#[test]
fn sim_loop_over_a_week_fires_each_weekday_once() {
    // How the simulation will use it: t = 0 at Monday 00:00 UTC, a week of weekday evenings.
    let t0 = ts("2025-01-06T00:00:00Z");
    let s = schedule(Some("0 18 * * MON-FRI"), "UTC", None, None);
    let mut fired = Vec::new();
    let mut next = s.first_fire_from(t0);
    while let Some(at) = next {
        let ms = timestamp_to_sim_ms(t0, at).expect("after t0");
        if ms >= 7 * 86_400_000 {
            break;
        }
        fired.push(ms / 3_600_000);
        next = s.next_fire(sim_ms_to_timestamp(t0, ms));
    }
    assert_eq!(fired, [18, 42, 66, 90, 114]);
}
