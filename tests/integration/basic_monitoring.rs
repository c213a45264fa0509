//! Basic monitoring (`[monitoring] detailed = false`): EC2 metrics are 5-minute datapoints and
//! target tracking's managed alarms take that period; load-balancer metrics stay 1-minute
//! (UG: as-scaling-target-tracking, "basic monitoring"; UG: enable-as-instance-metrics). Asserted
//! on the decision records and the timeline's alarm states; the sentences ("in 3 of 3
//! five-minute periods", "(15 needed)") are snapshot-tested in `explain_snapshots.rs`
//! (`basic-monitoring-tt`, `basic-monitoring-tt-scale-in`, `basic-monitoring-alb`).

use asgsim::cloudwatch::AlarmState;
use asgsim::records::Outcome;
use asgsim::run::RunOutput;

use crate::common::{assert_tracks, decisions_of, run_file};

const TT: &str = "tests/scenarios/basic-monitoring-tt.toml";
const ALB: &str = "tests/scenarios/basic-monitoring-alb.toml";

/// (time [s], desired before, desired after) of each decision, in order.
fn decisions(out: &RunOutput) -> Vec<(u64, u32, u32)> {
    let mut seen: Vec<(u64, u32, u32)> = Vec::new();
    for a in &out.records.activities {
        let d = (a.time_ms / 1000, a.desired_before, a.desired_after);
        if seen.last() != Some(&d) {
            seen.push(d);
        }
    }
    seen
}

/// The state of alarm `name` on each timeline row, as (time [s], state).
fn alarm_states(out: &RunOutput, name: &str) -> Vec<(u64, AlarmState)> {
    let index = out.alarm_names.iter().position(|n| n == name);
    let index = index.unwrap_or_else(|| panic!("{name} in {:?}", out.alarm_names));
    let rows = out.records.timeline.iter();
    rows.map(|r| (r.time_ms / 1000, r.alarm_states[index]))
        .collect()
}

/// When alarm `name` first went into ALARM [s].
fn first_alarm_s(out: &RunOutput, name: &str) -> Option<u64> {
    let states = alarm_states(out, name).into_iter();
    let mut alarm = states.filter(|(_, s)| *s == AlarmState::Alarm);
    alarm.next().map(|(t, _)| t)
}

/// Regression: with 1-minute managed alarms on 5-minute data, AlarmHigh never saw 3 datapoints
/// and the group never scaled out. Now 3 of 3 five-minute datapoints above 50% (stamped 30m,
/// 35m, 40m; the last published at 47m) give ⌈4 × 75 / 50⌉ = 6, 12 minutes later than with
/// 1-minute metrics.
#[test]
fn target_tracking_scales_out_on_five_minute_datapoints() {
    let out = run_file(TT, &[]);
    let d = decisions(&out);
    assert_eq!(d.first(), Some(&(47 * 60, 4, 6)), "{d:?}");
    let high = "TargetTracking-cpu50-AlarmHigh";
    assert_eq!(first_alarm_s(&out, high), Some(47 * 60));
    let first = decisions_of(&out, "cpu50");
    let first = first.first().expect("a decision");
    assert_eq!(first.outcome, Outcome::Applied);
    assert_eq!(
        (first.time_ms / 1000, first.alarm.as_str()),
        (47 * 60, high)
    );
    assert_eq!(first.metric_value, Some(75.0), "the five-minute average");
    assert_eq!((first.base_capacity, first.proposed), (Some(4), Some(6)));
    assert_tracks(first, 50.0, (1, 20));
    let detailed = run_file(TT, &["monitoring.detailed=true"]);
    assert_eq!(decisions(&detailed).first(), Some(&(35 * 60, 4, 6)));
    assert_eq!(first_alarm_s(&detailed, high), Some(35 * 60));
}

/// AlarmLow needs 15 of 15 five-minute datapoints under 35%: the load drops at 30m and the
/// datapoints stamped 30m to 1h40m are all published at 1h47m, after 77 minutes of low load.
/// One scale-in, to ⌈10 × 20 / 50⌉ = 4.
#[test]
fn target_tracking_scale_in_waits_for_fifteen_five_minute_datapoints() {
    let sets = [
        "group.desired_capacity=10",
        r#"load.pattern={ kind = "step", base = 400, peak = 200, at = "30m" }"#,
    ];
    let out = run_file(TT, &sets);
    let d = decisions(&out);
    assert_eq!(d, vec![(107 * 60, 10, 4)], "{d:?}");
    assert!(d[0].0 >= (30 + 75) * 60, "75 minutes of low load first");
    let low = "TargetTracking-cpu50-AlarmLow";
    assert_eq!(first_alarm_s(&out, low), Some(107 * 60));
    let scale_in = decisions_of(&out, "cpu50");
    assert_eq!(scale_in.len(), 1, "{scale_in:?}");
    let scale_in = scale_in[0];
    assert_eq!(
        (scale_in.outcome, scale_in.alarm.as_str()),
        (Outcome::Applied, low)
    );
    assert_eq!(scale_in.metric_value, Some(20.0), "the five-minute average");
    assert_eq!(
        (scale_in.base_capacity, scale_in.proposed),
        (Some(10), Some(4))
    );
    assert_tracks(scale_in, 50.0, (1, 20));
    let mut detailed_sets = sets.to_vec();
    detailed_sets.push("monitoring.detailed=true");
    let detailed = run_file(TT, &detailed_sets);
    assert_eq!(decisions(&detailed), vec![(47 * 60, 10, 4)]);
    assert_eq!(first_alarm_s(&detailed, low), Some(47 * 60));
}

/// Regression: RequestCountPerTarget followed the EC2 resolution and read 4500 (a 5-minute
/// count) under basic monitoring. It is per minute: 300 req/s × 60 s / 20 targets = 900, for
/// user alarms and target tracking alike, exactly as under detailed monitoring.
#[test]
fn request_count_per_target_is_per_minute_under_basic_monitoring() {
    let out = run_file(ALB, &[]);
    assert!(decisions(&out).is_empty(), "{:?}", decisions(&out));
    assert!(
        out.records.decisions.is_empty(),
        "{:?}",
        out.records.decisions
    );
    // The user alarm (> 1000) and the managed high alarm (> 1000) stay OK: 4500 would breach.
    for alarm in [
        "RequestsPerTargetPerMinute",
        "TargetTracking-requests1000-AlarmHigh",
    ] {
        let states = alarm_states(&out, alarm);
        assert!(
            states.iter().all(|(_, s)| *s != AlarmState::Alarm),
            "{alarm}: {states:?}"
        );
        assert!(states.iter().any(|(_, s)| *s == AlarmState::Ok), "{alarm}");
    }
    // The user alarm reads exactly 900: above 899.9 it breaches, at 900 it does not.
    let user = "RequestsPerTargetPerMinute";
    let breach = |threshold: &str| {
        let set = format!("alarms.{user}.threshold={threshold}");
        first_alarm_s(&run_file(ALB, &[set.as_str()]), user)
    };
    assert_eq!(breach("899.9"), Some(3 * 60), "900 > 899.9");
    assert_eq!(breach("900"), None, "900 is not > 900");
    // Detailed monitoring changes nothing for a load-balancer metric: the same alarm states
    // and, word for word, the same sentences (their numbers included).
    let detailed = run_file(ALB, &["monitoring.detailed=true"]);
    let states = |o: &RunOutput| -> Vec<_> {
        let rows = o.records.timeline.iter();
        rows.map(|r| r.alarm_states.clone()).collect()
    };
    assert_eq!(states(&out), states(&detailed));
    assert_eq!(out.records.explanations, detailed.records.explanations);
    // The managed alarms read 900 as well: with a target of 600, ⌈20 × 900 / 600⌉ = 30.
    let lower = "scaling_policies.requests1000.target_tracking_configuration.target_value=600";
    let out = run_file(ALB, &[lower]);
    assert_eq!(decisions(&out).first(), Some(&(3 * 60, 20, 30)));
    let first = decisions_of(&out, "requests1000");
    let first = first.first().expect("a decision");
    assert_eq!(first.outcome, Outcome::Applied);
    assert_eq!(first.alarm, "TargetTracking-requests1000-AlarmHigh");
    assert_eq!(first.metric_value, Some(900.0));
    assert_eq!((first.base_capacity, first.proposed), (Some(20), Some(30)));
    assert_tracks(first, 600.0, (2, 40));
}
