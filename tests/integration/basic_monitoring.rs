//! Basic monitoring (`[monitoring] detailed = false`): EC2 metrics are 5-minute datapoints and
//! target tracking's managed alarms take that period; load-balancer metrics stay 1-minute
//! (asg-semantics.md §3.4, §5).

use asgsim::run::RunOutput;

use crate::common::run_file;

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

/// The `--explain` sentences, with their time [s].
fn explained(out: &RunOutput) -> Vec<(u64, &str)> {
    let records = &out.records.explanations;
    records
        .iter()
        .map(|e| (e.time_ms / 1000, e.text.as_str()))
        .collect()
}

fn has(out: &RunOutput, needle: &str) -> bool {
    explained(out).iter().any(|(_, text)| text.contains(needle))
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
    assert!(
        has(
            &out,
            "TargetTracking-cpu50-AlarmHigh → ALARM: average CPU 75.0% > 50% in 3 of 3 five-minute periods"
        ),
        "{:#?}",
        explained(&out)
    );
    assert!(has(&out, "⌈4 × 75.0 / 50⌉ = 6"));
    assert!(has(&out, "(15 needed)"), "AlarmLow counts 15 datapoints");
    let detailed = run_file(TT, &["monitoring.detailed=true"]);
    assert_eq!(decisions(&detailed).first(), Some(&(35 * 60, 4, 6)));
    assert!(has(&detailed, "in 3 of 3 one-minute periods"));
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
    assert!(has(
        &out,
        "TargetTracking-cpu50-AlarmLow → ALARM: average CPU 20.0% < 35% in 15 of 15 five-minute periods"
    ));
    let mut detailed_sets = sets.to_vec();
    detailed_sets.push("monitoring.detailed=true");
    let detailed = run_file(TT, &detailed_sets);
    assert_eq!(decisions(&detailed), vec![(47 * 60, 10, 4)]);
}

/// Regression: RequestCountPerTarget followed the EC2 resolution and read 4500 (a 5-minute
/// count) under basic monitoring. It is per minute: 300 req/s × 60 s / 20 targets = 900, for
/// user alarms and target tracking alike, exactly as under detailed monitoring.
#[test]
fn request_count_per_target_is_per_minute_under_basic_monitoring() {
    let out = run_file(ALB, &[]);
    assert!(decisions(&out).is_empty(), "{:?}", decisions(&out));
    for alarm in [
        "RequestsPerTargetPerMinute → OK: sum RequestCountPerTarget 900,",
        "TargetTracking-requests1000-AlarmHigh → OK: sum RequestCountPerTarget 900,",
    ] {
        assert!(has(&out, alarm), "{alarm}: {:#?}", explained(&out));
    }
    let detailed = run_file(ALB, &["monitoring.detailed=true"]);
    assert_eq!(explained(&out), explained(&detailed));
    let lower = "scaling_policies.requests1000.target_tracking_configuration.target_value=600";
    let out = run_file(ALB, &[lower]);
    assert_eq!(decisions(&out).first(), Some(&(3 * 60, 20, 30)));
    assert!(has(&out, "⌈20 × 900 / 600⌉ = 30"));
}
