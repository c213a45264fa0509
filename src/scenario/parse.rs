//! The top level of a scenario: its own keys, the small sections, and the assembly of
//! [`Scenario`] from the sections read by the sibling modules.

use std::path::Path;

use toml::{Table, Value};

use super::fields::{Diag, Field, Reader, expected};
use super::model::{
    FailureConfig, LoadBalancer, LoadConfig, LoadSource, Monitoring, Scenario, Slo,
};
use super::{alarms, events, group, hooks, load, policies, schedules, template, warm_pool};
use crate::time::{MS_PER_DAY, MS_PER_S, SimDuration, format_duration};

/// Wall clock of t = 0 when `start_time` is not given.
pub const DEFAULT_START_TIME: &str = "2025-01-06T00:00:00Z";

/// Reads a whole scenario; `None` when something is wrong (then `diag` says what).
pub(super) fn read_scenario(table: &Table, origin: &Path, diag: &Diag) -> Option<Scenario> {
    let mut r = Reader::new(table, "", diag);
    let name = read_name(&mut r, origin);
    let description = r.string("description").or_else(String::new);
    let duration_ms = r
        .positive_duration("duration")
        .check(
            |ms| *ms <= MAX_DURATION_MS,
            |ms| {
                format!(
                    "{} is longer than the longest run asgsim simulates, {} (about 10 years)",
                    format_duration(*ms),
                    format_duration(MAX_DURATION_MS)
                )
            },
        )
        .required();
    let seed = r.whole("seed").or(1);
    let start_time_text = read_utc_time(&mut r, "start_time").optional();
    let sample_interval_ms = r
        .duration("sample_interval")
        .check(
            |ms| *ms >= MS_PER_S && ms % MS_PER_S == 0,
            |_| "must be a whole number of seconds, at least 1s".to_string(),
        )
        .or(60 * MS_PER_S);
    let scheduled_action_max_delay_ms = r.duration("scheduled_action_max_delay").or(120 * MS_PER_S);
    let group = r.child("group").and_then(group::read_group);
    let launch_template = r
        .child("launch_template")
        .and_then(template::read_launch_template);
    let load = r.child("load").and_then(|l| load::read_load(l, origin));
    let start_time = start_time_text.and_then(|t| resolve_start_time(&r, t, load.as_ref()));
    let (start_time, sample_interval_ms) =
        check_span(&r, duration_ms, start_time, sample_interval_ms);
    let monitoring = r.child("monitoring").and_then(read_monitoring);
    let load_balancer = r.child("load_balancer").and_then(read_load_balancer);
    let slo = r.child("slo").and_then(read_slo);
    let failures = r.child("failures").and_then(read_failures);
    let warm_pool = warm_pool::read_warm_pool(&mut r);
    let (scaling_policies, policy_refs) = policies::read_policies(&mut r, load.as_ref());
    let alarms = alarms::read_alarms(&mut r, &policy_refs);
    let scheduled_actions = schedules::read_scheduled_actions(&mut r);
    let bounds = group.as_ref().map(|g| (g.min_size, g.max_size));
    let azs = group.as_ref().map(|g| g.availability_zones.clone());
    let lifecycle_hooks = hooks::read_lifecycle_hooks(&mut r);
    let events = events::read_events(&mut r, duration_ms, bounds, azs.as_deref());
    r.finish();
    Some(Scenario {
        name: name?,
        description: description?,
        duration_ms: duration_ms?,
        seed: seed?,
        start_time: start_time?,
        sample_interval_ms: sample_interval_ms?,
        scheduled_action_max_delay_ms: scheduled_action_max_delay_ms?,
        group: group?,
        launch_template: launch_template?,
        load: load?,
        monitoring: monitoring?,
        load_balancer: load_balancer?,
        slo: slo?,
        alarms: alarms?,
        scaling_policies: scaling_policies?,
        scheduled_actions: scheduled_actions?,
        events: events?,
        failures: failures?,
        warm_pool: warm_pool?,
        lifecycle_hooks: lifecycle_hooks?,
    })
}

/// The longest run asgsim simulates \[ms\]: ten years and a few days, so that a year-long trace
/// (and a few years of a pattern) can be replayed, and a typo such as `100000d` is caught
/// with its key instead of exhausting memory later.
pub(super) const MAX_DURATION_MS: SimDuration = 3660 * MS_PER_DAY;
/// Most rows one run's timeline may have: ten years at one-second samples. The writers stream
/// the timeline, so a year at one second runs in flat memory; `asgsim run` still asks for
/// `--max-timeline-rows` above ten million rows, before it starts.
pub(crate) const MAX_TIMELINE_ROWS: u64 = 3660 * 24 * 3600;

/// Checks what `duration` implies for the others: the run must end within the calendar
/// asgsim computes in, and the timeline must stay within [`MAX_TIMELINE_ROWS`]. A value
/// that fails is reported and turned to `None`.
fn check_span(
    r: &Reader<'_>,
    duration_ms: Option<SimDuration>,
    start_time: Option<jiff::Timestamp>,
    sample_interval_ms: Option<SimDuration>,
) -> (Option<jiff::Timestamp>, Option<SimDuration>) {
    let Some(duration_ms) = duration_ms else {
        return (start_time, sample_interval_ms);
    };
    let span = jiff::SignedDuration::from_millis(i64::try_from(duration_ms).unwrap_or(i64::MAX));
    let start_time = start_time.filter(|start| {
        let ends = start.checked_add(span).is_ok();
        if !ends {
            r.report(
                "start_time",
                format!(
                    "a run of {} from {start} would end after {}, the last instant asgsim can compute with; use an earlier start_time",
                    format_duration(duration_ms),
                    crate::schedule::LAST_INSTANT
                ),
            );
        }
        ends
    });
    let sample_interval_ms = sample_interval_ms.filter(|&interval| {
        let rows = duration_ms / interval.max(1);
        let fits = rows <= MAX_TIMELINE_ROWS;
        if !fits {
            let least_s = duration_ms.div_ceil(MAX_TIMELINE_ROWS).div_ceil(MS_PER_S);
            r.report(
                "sample_interval",
                format!(
                    "{} over a duration of {} makes {rows} timeline rows, more than {MAX_TIMELINE_ROWS}; use a sample_interval of at least {least_s}s",
                    format_duration(interval),
                    format_duration(duration_ms)
                ),
            );
        }
        fits
    });
    (start_time, sample_interval_ms)
}

/// `name`: names the output folder, so it must be usable as one; default the file stem.
fn read_name(r: &mut Reader<'_>, origin: &Path) -> Option<String> {
    let stem = || {
        origin
            .file_stem()
            // `<stdin>` names the folder `stdin`.
            .map(|s| s.to_string_lossy().trim_matches(['<', '>']).to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "scenario".to_string())
    };
    r.string("name")
        .check(
            |n| !n.trim().is_empty() && !n.contains(['/', '\\']) && n != "." && n != "..",
            |_| {
                "names the output folder, so it must not be empty, `.`, `..`, or contain / or \\"
                    .to_string()
            },
        )
        .or_else(stem)
}

/// `start_time`: RFC 3339 in UTC, as a string or a TOML date-time, parsed once. When it is
/// not given, a trace with a `timestamp` column gives it (its first row's time), so that
/// schedules line up with the load; else [`DEFAULT_START_TIME`].
fn resolve_start_time(
    r: &Reader<'_>,
    given: Option<String>,
    load: Option<&LoadConfig>,
) -> Option<jiff::Timestamp> {
    if given.is_none()
        && let Some(start) = load.and_then(trace_start)
    {
        return Some(start);
    }
    let text = given.unwrap_or_else(|| DEFAULT_START_TIME.to_string());
    match text.parse() {
        Ok(t) => Some(t),
        // The shape was checked (check_utc_time): what fails is the range.
        Err(_) if crate::schedule::is_civil_utc(&text) => {
            r.report(
                "start_time",
                format!(
                    "{text:?} is later than {}, the last instant asgsim can compute with; use an earlier start_time",
                    crate::schedule::LAST_INSTANT
                ),
            );
            None
        }
        Err(e) => {
            r.report(
                "start_time",
                format!("{text:?} is not a time asgsim can use: {e}"),
            );
            None
        }
    }
}

/// The wall clock of t = 0 of a trace file with a `timestamp` column. A file that cannot be
/// read gives none here: loading the trace reports it, with its line.
fn trace_start(load: &LoadConfig) -> Option<jiff::Timestamp> {
    let LoadSource::Trace { path } = &load.source else {
        return None;
    };
    let file = std::fs::File::open(path).ok()?;
    crate::trace::read_start_timestamp(file, &path.display().to_string())
        .ok()
        .flatten()
}

/// An RFC 3339 UTC time at `key`, as a string or a TOML date-time, checked by
/// [`check_utc_time`]; the value is the text `YYYY-MM-DDTHH:MM:SSZ`, so that two such times
/// compare as their strings do.
pub(super) fn read_utc_time<'a>(r: &mut Reader<'a>, key: &str) -> Field<'a, String> {
    let what = "an RFC 3339 UTC time such as \"2025-01-06T00:00:00Z\"";
    r.get(key, what, |v| {
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Datetime(d) => d.to_string(),
            other => return Err(expected(what, other)),
        };
        check_utc_time(&text).map(|()| text)
    })
}

/// Checks `YYYY-MM-DDTHH:MM:SSZ`: the shape, the digits and each field's range.
pub(super) fn check_utc_time(text: &str) -> Result<(), String> {
    let shape_error = || {
        format!(
            "{text:?} is not an RFC 3339 UTC time; write YYYY-MM-DDTHH:MM:SSZ, such as \"{DEFAULT_START_TIME}\""
        )
    };
    let bytes = text.as_bytes();
    let shape = b"dddd-dd-ddTdd:dd:ddZ";
    let fits = bytes.len() == shape.len()
        && bytes.iter().zip(shape).all(|(c, s)| match s {
            b'd' => c.is_ascii_digit(),
            _ => c == s,
        });
    if !fits {
        return Err(shape_error());
    }
    let field = |from: usize, to: usize| text[from..to].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (field(0, 4), field(5, 7), field(8, 10));
    let (hour, minute, second) = (field(11, 13), field(14, 16), field(17, 19));
    let ranges = [
        ("month", month, 1, 12),
        ("day", day, 1, days_in_month(year, month)),
        ("hour", hour, 0, 23),
        ("minute", minute, 0, 59),
        ("second", second, 0, 59),
    ];
    for (unit, value, lo, hi) in ranges {
        if !(lo..=hi).contains(&value) {
            return Err(format!(
                "{text:?}: {unit} {value:02} is out of range {lo:02}–{hi:02}"
            ));
        }
    }
    Ok(())
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `\[monitoring\]`.
fn read_monitoring(mut r: Reader<'_>) -> Option<Monitoring> {
    let detailed = r.boolean("detailed").or(true);
    let metric_delay_ms = r.duration("metric_delay").or(120 * MS_PER_S);
    r.finish();
    Some(Monitoring {
        detailed: detailed?,
        metric_delay_ms: metric_delay_ms?,
    })
}

/// `\[load_balancer\]`.
fn read_load_balancer(mut r: Reader<'_>) -> Option<LoadBalancer> {
    let max: SimDuration = 3600 * MS_PER_S;
    let deregistration_delay_ms = r
        .duration("deregistration_delay")
        .check(
            |ms| *ms <= max,
            |_| "must lie between 0s and 3600s (the target group's range)".to_string(),
        )
        .or(300 * MS_PER_S);
    let health_check_interval_ms = r
        .duration("health_check_interval")
        .check(
            |ms| (5 * MS_PER_S..=300 * MS_PER_S).contains(ms),
            |_| "must lie between 5s and 300s (HealthCheckIntervalSeconds)".to_string(),
        )
        .or(30 * MS_PER_S);
    let threshold = |r: &mut Reader<'_>, key: &str, default: u32| {
        r.count(key)
            .check(
                |n| (2..=10).contains(n),
                |n| format!("must lie between 2 and 10, found {n}"),
            )
            .or(default)
    };
    let healthy_threshold_count = threshold(&mut r, "healthy_threshold_count", 5);
    let unhealthy_threshold_count = threshold(&mut r, "unhealthy_threshold_count", 2);
    let overload_fails_health_checks = r.boolean("overload_fails_health_checks").or(false);
    r.finish();
    Some(LoadBalancer {
        deregistration_delay_ms: deregistration_delay_ms?,
        health_check_interval_ms: health_check_interval_ms?,
        healthy_threshold_count: healthy_threshold_count?,
        unhealthy_threshold_count: unhealthy_threshold_count?,
        overload_fails_health_checks: overload_fails_health_checks?,
    })
}

/// `\[failures\]`.
fn read_failures(mut r: Reader<'_>) -> Option<FailureConfig> {
    let instance_mtbf_ms = r
        .duration("instance_mtbf")
        .check(|ms| *ms > 0, |_| "must be longer than 0s".to_string())
        .optional();
    let status_check_delay_ms = r.duration("status_check_delay").or(180 * MS_PER_S);
    let launch_failure_probability = r
        .number("launch_failure_probability")
        .check(
            |p| (0.0..=1.0).contains(p),
            |p| {
                format!(
                    "must lie between 0 and 1 (the chance each launch attempt fails), found {p}"
                )
            },
        )
        .or(0.0);
    r.finish();
    Some(FailureConfig {
        instance_mtbf_ms: instance_mtbf_ms?,
        status_check_delay_ms: status_check_delay_ms?,
        launch_failure_probability: launch_failure_probability?,
    })
}

/// `\[slo\]`.
fn read_slo(mut r: Reader<'_>) -> Option<Slo> {
    let latency_ms = r
        .number("latency_ms")
        .check(|x| *x > 0.0, |x| format!("must be > 0, found {x}"))
        .or(200.0);
    let cpu_percent = r
        .number("cpu_percent")
        .check(
            |x| *x > 0.0 && *x < 100.0,
            |x| format!("must lie between 0 and 100 (a CPU percentage, exclusive), found {x}"),
        )
        .or(90.0);
    r.finish();
    Some(Slo {
        latency_ms: latency_ms?,
        cpu_percent: cpu_percent?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times_are_checked_field_by_field() {
        assert_eq!(check_utc_time("2025-01-06T00:00:00Z"), Ok(()));
        assert_eq!(check_utc_time("2024-02-29T23:59:59Z"), Ok(()));
        for bad in [
            "2025-01-06",
            "2025-01-06T00:00:00+01:00",
            "2025-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2025-01-06T24:00:00Z",
            "2025-01-06T00:60:00Z",
            "2025-01-00T00:00:00Z",
            "2025-0a-06T00:00:00Z",
        ] {
            assert!(check_utc_time(bad).is_err(), "{bad}");
        }
        let e = check_utc_time("2025-13-01T00:00:00Z").unwrap_err();
        assert!(e.contains("month 13 is out of range 01–12"), "{e}");
    }
}
