//! The AWS worked examples of step scaling (UG: as-scaling-simple-step; the warm-up example of
//! its 2018 text), concurrent policies (UG: as-scale-based-on-demand), target tracking (UG:
//! as-scaling-target-tracking) and predictive scaling (UG: predictive-scaling-graphs; API
//! MaxCapacityBreachBehavior), each driven through a scenario file under `tests/scenarios/` and
//! the simulator, reproducing the examples' numbers from the decision records, activities and
//! timeline. The sentences `--explain` says of them are snapshot-tested in
//! `explain_snapshots.rs`.

use asgsim::records::{ActivityKind, Outcome};

use asgsim::run::RunOutput;

use crate::common::{assert_tracks, decisions_of, repo_root, run_file, simulate};

fn run(file: &str, sets: &[&str]) -> RunOutput {
    run_file(&format!("tests/scenarios/{file}"), sets)
}

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

fn desired_path(out: &RunOutput) -> Vec<(u32, u32)> {
    decisions(out).iter().map(|d| (d.1, d.2)).collect()
}

/// UG: as-scaling-simple-step, percent steps: metric 60 → 11; 70 with 11 in service → 14; 40 → 13; 30 → 10.
#[test]
fn step_percent_steps_12_1() {
    let out = run("aws-12-1-step-percent.toml", &[]);
    let path = desired_path(&out);
    assert_eq!(
        &path[..4],
        &[(10, 11), (11, 14), (14, 13), (13, 10)],
        "{path:?}"
    );
}

/// UG: as-scaling-simple-step (2018 text), step scaling while warming: desired 11 with one
/// instance warming: 62 gives no change; 70 gives 13 (+2, not +3).
#[test]
fn step_while_warming_12_2() {
    let out = run("aws-12-2-step-warming.toml", &[]);
    let d = decisions(&out);
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!((d[0].1, d[0].2), (10, 11));
    assert!(
        d[1].0 >= 1200,
        "no change while CPU is 62% (10–20 min): {d:?}"
    );
    assert_eq!((d[1].1, d[1].2), (11, 13));
    // The breach while i-00000011 warms: 60% is in the step [10, 20) above 50, base 10 (the
    // warming one left out), +10% = 11, not above desired 11: no change.
    let step = decisions_of(&out, "step-out");
    let no_change = step.iter().find(|d| d.outcome == Outcome::NoChange);
    let no_change = no_change.expect("the breach while warming is recorded");
    assert_eq!(no_change.desired_before, 11, "{no_change:?}");
    assert_eq!(no_change.metric_value, Some(60.0), "{no_change:?}");
    assert_eq!(no_change.base_capacity, Some(10), "{no_change:?}");
    assert_eq!(no_change.proposed, Some(11), "{no_change:?}");
    // At 62% (10–20 min) the alarm is in ALARM all along, and desired stays 11.
    let at_62 = out.records.timeline.iter();
    let at_62: Vec<_> = at_62
        .filter(|r| (12 * 60_000..=20 * 60_000).contains(&r.time_ms))
        .collect();
    assert!(!at_62.is_empty());
    for r in at_62 {
        assert_eq!(r.alarm_states[0].as_str(), "ALARM", "breaching at 62%");
        assert_eq!(r.desired_capacity, 11, "no change at 62%");
        let cpu = r.cpu_avg_percent.unwrap();
        assert!((cpu - 62.0).abs() < 0.1, "{cpu}");
    }
    // At 70% (step [20, +∞)): base 10, +30% = 13, above 11: +2, not +3.
    let plus_two = step
        .iter()
        .find(|d| d.outcome == Outcome::Applied && d.desired_before == 11)
        .expect("70% gives 10 + 3 = 13");
    assert_eq!(plus_two.metric_value, Some(70.0), "{plus_two:?}");
    assert_eq!(plus_two.base_capacity, Some(10), "{plus_two:?}");
    assert_eq!(plus_two.proposed, Some(13), "{plus_two:?}");
    assert_eq!(
        plus_two.time_ms / 1000,
        d[1].0,
        "the decision of the activity"
    );
}

/// UG: as-scaling-simple-step, the CLI example: 60–74.99 → +10%, 75–84.99 → +20%, ≥ 85 → +30% (MinAdjustmentMagnitude 1);
/// the scale-in alarm (≤ 40) removes 2.
#[test]
fn cli_step_policy_12_3() {
    let first = |rate: &str, desired: &str| {
        let sets = [
            format!("load.pattern.rate={rate}"),
            format!("group.desired_capacity={desired}"),
        ];
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        desired_path(&run("aws-12-3-cli-step.toml", &sets))[0]
    };
    assert_eq!(first("650", "10"), (10, 11), "65%: +10%");
    assert_eq!(first("749.9", "10"), (10, 11), "74.99%: +10%");
    assert_eq!(first("750", "10"), (10, 12), "75%: +20%");
    assert_eq!(first("849.9", "10"), (10, 12), "84.99%: +20%");
    assert_eq!(first("850", "10"), (10, 13), "85%: +30%");
    assert_eq!(first("900", "10"), (10, 13), "90%: +30%");
    assert_eq!(first("600", "10"), (10, 11), "60% ≥ 60: +10%");
    assert_eq!(first("400", "10"), (10, 8), "40% ≤ 40: −2");
    assert_eq!(
        first("130", "2"),
        (2, 3),
        "10% of 2 rounds up to 1, at least 1"
    );
    assert_eq!(first("300", "10"), (10, 8), "30% ≤ 40: −2");
}

/// UG: as-scale-based-on-demand, multiple dynamic policies: CPU step +1 and an SQS-backlog
/// target tracking +2 at desired 8 ⇒ 10; −3 and −25% at 8 ⇒ 6.
#[test]
fn concurrent_policies_12_5() {
    let out = run("aws-12-5-concurrent.toml", &[]);
    assert_eq!(desired_path(&out)[0], (8, 10));
    // The queue policy: a backlog of 31.25 messages per instance on 8, ⌈8 × 31.25 / 25⌉ = 10.
    let backlog = decisions_of(&out, "tt-backlog");
    let backlog = backlog.first().expect("the queue policy decides");
    assert_eq!(
        backlog.outcome,
        Outcome::Applied,
        "the queue policy's +2 wins"
    );
    assert_eq!(backlog.alarm, "TargetTracking-tt-backlog-AlarmHigh");
    assert_eq!(backlog.desired_before, 8);
    assert_eq!(backlog.base_capacity, Some(8));
    assert_eq!(backlog.metric_value, Some(31.25));
    assert_eq!(backlog.proposed, Some(10));
    assert_tracks(backlog, 25.0, (1, 20));
    // The step policy's +1 (9) in the same minute is reported as not applied.
    let step = decisions_of(&out, "cpu-step");
    let step = step.first().expect("the step policy decides");
    assert_eq!(step.time_ms, backlog.time_ms);
    assert_eq!(step.outcome, Outcome::Lost, "{step:?}");
    assert_eq!((step.base_capacity, step.proposed), (Some(8), Some(9)));
    let inn = run("aws-12-5-concurrent-in.toml", &[]);
    assert_eq!(desired_path(&inn)[0], (8, 6));
}

/// UG: as-scaling-target-tracking: target 50: C = 4 at 75% ⇒ 6; C = 10 at 20% with the low
/// alarm in ALARM ⇒ 4.
#[test]
fn target_tracking_12_6() {
    let out = run("aws-12-6-target-tracking.toml", &[]);
    assert_eq!(desired_path(&out)[0], (4, 6));
    let first = decisions_of(&out, "cpu50");
    let first = first.first().expect("the policy decides");
    assert_eq!(first.outcome, Outcome::Applied);
    assert_eq!(first.alarm, "TargetTracking-cpu50-AlarmHigh");
    assert_eq!(
        (first.base_capacity, first.metric_value),
        (Some(4), Some(75.0))
    );
    assert_tracks(first, 50.0, (1, 20));
    // Need 1.5 more ⇒ add 2: C = 3 at 75% ⇒ ⌈4.5⌉ = 5.
    let short = ["group.desired_capacity=3", "load.pattern.rate=225"];
    assert_eq!(
        desired_path(&run("aws-12-6-target-tracking.toml", &short))[0],
        (3, 5)
    );
    // Surplus 1.5 ⇒ remove 1: C = 4 at 31.25% ⇒ ⌈2.5⌉ = 3.
    let surplus = run("aws-12-6-target-tracking.toml", &["load.pattern.rate=125"]);
    assert_eq!(desired_path(&surplus)[0], (4, 3));
    let inn = run(
        "aws-12-6-target-tracking.toml",
        &["group.desired_capacity=10", "load.pattern.rate=200"],
    );
    let d = decisions(&inn);
    assert_eq!((d[0].1, d[0].2), (10, 4), "{d:?}");
    // The low alarm needs 15 one-minute datapoints below 35% (CloudWatch counts the minutes
    // before t = 0 as missing, so the first 15 suffice).
    assert!(d[0].0 >= 15 * 60, "scale-in waits for the low alarm: {d:?}");
    assert_eq!(
        d.len(),
        1,
        "no cascade of scale-ins on stale low readings: {d:?}"
    );
    // ⌈10 × 20 / 50⌉ = 4, from the record's own numbers.
    let scale_in = decisions_of(&inn, "cpu50");
    assert_eq!(scale_in.len(), 1, "{scale_in:?}");
    let scale_in = scale_in[0];
    assert_eq!(scale_in.outcome, Outcome::Applied);
    assert_eq!(scale_in.alarm, "TargetTracking-cpu50-AlarmLow");
    assert_eq!(scale_in.time_ms / 1000, d[0].0);
    assert_eq!(
        (
            scale_in.base_capacity,
            scale_in.metric_value,
            scale_in.proposed
        ),
        (Some(10), Some(20.0), Some(4))
    );
    assert_tracks(scale_in, 50.0, (1, 20));
}

/// UG: predictive-scaling-graphs: inferred capacity 10 × 30 / 60 = 5 (ForecastOnly: forecast only, no scaling).
#[test]
fn predictive_inferred_capacity_12_7() {
    let out = run("aws-12-7-inferred.toml", &[]);
    assert!(
        out.records.activities.is_empty(),
        "ForecastOnly scales nothing"
    );
    let forecasts: Vec<f64> = out
        .records
        .timeline
        .iter()
        .filter_map(|r| r.forecast_capacity)
        .collect();
    assert!(!forecasts.is_empty(), "a forecast after a day of history");
    assert!(
        forecasts.iter().all(|f| (f - 5.0).abs() < 1e-9),
        "{forecasts:?}"
    );
    let first = out
        .records
        .timeline
        .iter()
        .find(|r| r.forecast_capacity.is_some())
        .unwrap();
    assert!(
        first.time_ms >= 24 * 3_600_000,
        "no forecast before 24 h of history"
    );
}

/// UG: predictive-scaling-graphs; API MaxCapacityBreachBehavior: forecast 50 for 10:00 with max 40 and a 10% buffer ⇒ effective max 55; capacity is
/// raised at 09:55, SchedulingBufferTime before the hour.
#[test]
fn predictive_forecast_and_scale_12_7() {
    let out = run("aws-12-7-predictive.toml", &[]);
    let raise = out
        .records
        .activities
        .iter()
        .find(|a| a.kind == ActivityKind::Launch)
        .unwrap();
    assert_eq!(
        raise.time_ms,
        (24 + 9) * 3_600_000 + 55 * 60_000,
        "launch at d1 09:55"
    );
    assert_eq!((raise.desired_before, raise.desired_after), (10, 50));
    assert!(raise.cause.contains("predictive policy forecast"));
    let row = out
        .records
        .timeline
        .iter()
        .find(|r| r.desired_capacity == 50)
        .unwrap();
    assert_eq!(row.max_size, 55, "IncreaseMaxCapacity: 50 × 1.10");
    assert!(
        out.records
            .timeline
            .iter()
            .all(|r| r.desired_capacity >= 10),
        "never scales in"
    );
    // The forecast for the 10:00 hour is 50, and 50 × (1 + 10%) = 55. How --explain says it
    // ("IncreaseMaxCapacity: forecast 50.00 × (1 + 10%) = 55") is snapshot-tested
    // (`aws-12-7-predictive` in `explain_snapshots.rs`).
    let ten = forecast_at(&out, (24 + 10) * 3_600_000);
    assert_eq!(ten, Some(50.0), "the forecast for d1 10:00");
}

/// The forecast capacity on the timeline at `time_ms`.
fn forecast_at(out: &RunOutput, time_ms: u64) -> Option<f64> {
    let mut rows = out.records.timeline.iter();
    let row = rows.find(|r| r.time_ms == time_ms).expect("a row");
    row.forecast_capacity
}

/// API MaxCapacityBreachBehavior: "The maximum capacity does not automatically decrease back
/// to the original maximum capacity." After the 10:00 hour the forecast falls back to 10, and
/// max_size stays 55 to the end; the raise is a `capacity` activity of its own.
#[test]
fn increased_max_capacity_stays_after_the_forecast_falls_12_7() {
    let out = run("aws-12-7-predictive.toml", &[]);
    let raised_at = (24 + 9) * 3_600_000 + 55 * 60_000;
    let rows = &out.records.timeline;
    let after: Vec<_> = rows.iter().filter(|r| r.time_ms >= raised_at).collect();
    assert!(after.iter().any(|r| r.time_ms >= raised_at + 2 * 3_600_000));
    assert!(
        after
            .iter()
            .filter(|r| r.forecast_capacity.is_some_and(|f| f < 40.0))
            .count()
            > 0,
        "the forecast falls"
    );
    let maxes: Vec<u32> = after.iter().map(|r| r.max_size).collect();
    assert!(maxes.iter().all(|&m| m == 55), "{maxes:?}");
    assert!(
        rows.iter()
            .filter(|r| r.time_ms < raised_at)
            .all(|r| r.max_size == 40)
    );
    let capacity: Vec<_> = out
        .records
        .activities
        .iter()
        .filter(|a| a.kind == ActivityKind::Capacity)
        .collect();
    assert_eq!(capacity.len(), 1, "{capacity:#?}");
    let row = capacity[0];
    assert_eq!(row.time_ms, raised_at);
    assert_eq!((row.desired_before, row.desired_after), (10, 10));
    assert!(
        row.cause
            .contains("raised the maximum capacity from 40 to 55"),
        "{}",
        row.cause
    );
    assert_eq!(row.description, "Setting max size from 40 to 55");
}

/// HonorMaxCapacity (the default): the forecast of 50 is held at max_size 40 (API
/// MaxCapacityBreachBehavior). The sentence that says so is snapshot-tested
/// (`aws-12-7-predictive-honor-max` in `explain_snapshots.rs`).
#[test]
fn honor_max_capacity_holds_the_forecast_at_max_size_12_7() {
    let config = "scaling_policies.forecast.predictive_scaling_configuration={ metric_specification = { target_value = 3600, predefined_metric_pair_specification = { predefined_metric_type = \"ALBRequestCount\" } }, mode = \"ForecastAndScale\", scheduling_buffer_time = \"300s\" }";
    let out = run("aws-12-7-predictive.toml", &[config]);
    assert!(out.records.timeline.iter().all(|r| r.max_size == 40));
    let raised_at = (24 + 9) * 3_600_000 + 55 * 60_000;
    let raise = out.records.activities.first().expect("a raise");
    assert_eq!(raise.time_ms, raised_at, "5 minutes before d1 10:00");
    assert_eq!((raise.desired_before, raise.desired_after), (10, 40));
    let forecast = forecast_at(&out, (24 + 10) * 3_600_000);
    assert_eq!(forecast, Some(50.0), "the forecast of 50 held at 40");
    let desired = out.records.timeline.iter().map(|r| r.desired_capacity);
    assert_eq!(desired.max(), Some(40));
}

/// UG: predictive-scaling-graphs: with dynamic and predictive policies, the larger capacity
/// wins for scale-in too: a target-tracking scale-in stops at the forecast for the current hour.
#[test]
fn target_tracking_scale_in_stops_at_the_forecast() {
    let path = repo_root().join("scenarios/predictive-scaling.toml");
    // The teaching scenario on a smooth diurnal load instead of its office-day trace.
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace("trace = \"traces/daily-office.csv\"", "");
    let sets = [
        "load.pattern={ kind = \"diurnal\", base = 60, peak = 600, peak_at = \"13h\" }".to_string(),
        "group.max_size=16".to_string(),
    ];
    let scenario =
        asgsim::scenario::parse_scenario(&text, &path, &sets).unwrap_or_else(|e| panic!("{e}"));
    let out = simulate(&scenario, 1);
    let rows = &out.records.timeline;
    assert!(
        rows.iter().any(|r| r.forecast_capacity.is_some()),
        "a forecast is made"
    );
    let below: Vec<_> = out
        .records
        .activities
        .iter()
        .filter(|a| a.desired_after < a.desired_before)
        .filter(|a| {
            let row = rows
                .iter()
                .find(|r| r.time_ms == a.time_ms)
                .expect("a row each minute");
            let floor = row
                .forecast_capacity
                .map(|f| ((f - 1e-9).ceil() as u32).clamp(row.min_size, row.max_size));
            floor.is_some_and(|f| a.desired_after < f)
        })
        .map(|a| (a.time_ms / 60_000, a.desired_before, a.desired_after))
        .collect();
    assert!(
        below.is_empty(),
        "scale-ins below the hour's forecast: {below:?}"
    );
}
