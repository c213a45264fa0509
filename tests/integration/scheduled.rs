//! Scheduled actions through `tests/scenarios/scheduled-same-time.toml`: actions due at the
//! same time run in scenario order after one shared delay, an action due earlier runs first
//! even when its own delay would have put it later (UG: ec2-auto-scaling-scheduled-scaling,
//! "the order of execution for scheduled actions is guaranteed within the same group"), and
//! activity causes name only the sizes an action sets. Asserted on the activities each run
//! leaves; the `--explain` sentences are snapshot-tested (`scheduled-same-time` in
//! `explain_snapshots.rs`).

use asgsim::records::ActivityKind;

use asgsim::run::RunOutput;
use asgsim::time::{MS_PER_DAY, MS_PER_HOUR, MS_PER_MIN};

use crate::common::run_file;

const FILE: &str = "tests/scenarios/scheduled-same-time.toml";

fn run(seed: u64) -> RunOutput {
    run_file(FILE, &[&format!("seed={seed}")])
}

/// (time [ms], action name) of each run of a scheduled action, in order. Every run leaves
/// activities (a `capacity` row when it changes nothing), whose cause names the action in its
/// detail sentence ("The scheduled action night (…) set …"); the
/// rows of one run share time and cause.
fn fired(out: &RunOutput) -> Vec<(u64, String)> {
    let mut runs: Vec<(u64, String)> = Vec::new();
    let mut last: Option<(u64, &str)> = None;
    for a in &out.records.activities {
        let Some((_, rest)) = a.cause.split_once(" The scheduled action ") else {
            continue;
        };
        let name = rest.split(' ').next().unwrap_or_default();
        if last != Some((a.time_ms, a.cause.as_str())) {
            runs.push((a.time_ms, name.to_string()));
        }
        last = Some((a.time_ms, a.cause.as_str()));
    }
    runs
}

#[test]
fn actions_due_together_run_in_scenario_order_after_one_shared_delay() {
    for seed in 1..=8 {
        let out = run(seed);
        let runs = fired(&out);
        // Each day: night, half-hourly × 4, minute-before, first and second.
        assert_eq!(runs.len(), 3 * 8, "seed {seed}: {runs:?}");
        for day in 0..3 {
            let due = day * MS_PER_DAY + 11 * MS_PER_HOUR;
            let eleven: Vec<&(u64, String)> = runs
                .iter()
                .filter(|(t, _)| (due..=due + 2 * MS_PER_MIN).contains(t))
                .collect();
            let names: Vec<&str> = eleven.iter().map(|(_, n)| n.as_str()).collect();
            // minute-before (due 10:59) may be pulled into the 11:00 run, never after it.
            let names: Vec<&str> = names
                .into_iter()
                .filter(|n| *n != "minute-before")
                .collect();
            assert_eq!(
                names,
                ["half-hourly", "first", "second"],
                "seed {seed} day {day}: {runs:?}"
            );
            let times: Vec<u64> = eleven.iter().map(|(t, _)| *t).collect();
            assert!(
                times.windows(2).all(|w| w[0] <= w[1]),
                "seed {seed}: {runs:?}"
            );
            let shared = eleven.iter().filter(|(_, n)| n != "minute-before");
            let shared: Vec<u64> = shared.map(|(t, _)| *t).collect();
            assert!(
                shared.iter().all(|&t| t == shared[0]),
                "one shared delay: {runs:?}"
            );
            let minute_before = runs
                .iter()
                .position(|(t, n)| {
                    n == "minute-before" && *t >= due - MS_PER_MIN && *t < due + 3 * MS_PER_MIN
                })
                .unwrap_or_else(|| panic!("seed {seed} day {day}: {runs:?}"));
            let half_hourly = runs
                .iter()
                .position(|(t, n)| n == "half-hourly" && *t >= due)
                .unwrap();
            assert!(
                minute_before < half_hourly,
                "10:59 runs before 11:00: {runs:?}"
            );
            let row = out
                .records
                .timeline
                .iter()
                .find(|r| r.time_ms == due + 3 * MS_PER_MIN)
                .unwrap();
            assert_eq!(row.desired_capacity, 3, "seed {seed} day {day}: {runs:?}");
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_runs() {
    let (a, b) = (run(3), run(3));
    assert_eq!(fired(&a), fired(&b));
    assert_eq!(a.records.activities, b.records.activities);
    assert_ne!(fired(&a), fired(&run(4)), "the delay comes from the seed");
}

#[test]
fn causes_name_only_the_sizes_an_action_sets() {
    let out = run(1);
    let causes: Vec<&str> = out
        .records
        .activities
        .iter()
        .map(|a| a.cause.as_str())
        .collect();
    let night = causes
        .iter()
        .find(|c| c.contains("scheduled action night"))
        .unwrap();
    assert!(night.ends_with(" set min 2 → 1."), "{night}");
    let second = causes
        .iter()
        .find(|c| c.contains("scheduled action second"))
        .unwrap();
    assert!(second.ends_with(" set desired 5 → 3."), "{second}");
    assert!(
        causes.iter().all(|c| !c.contains("max 10 → 10")),
        "{causes:#?}"
    );
    let night_row = out
        .records
        .activities
        .iter()
        .find(|a| a.cause.contains("scheduled action night"))
        .unwrap();
    assert_eq!(night_row.kind, ActivityKind::Capacity);
}
