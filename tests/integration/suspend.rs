//! Suspended processes that block a direction of scaling (asg-semantics.md §1.5), the
//! largest resulting capacity on re-invocation (§12.5), warm-up blocking every scale-in
//! (§3.3) and warm-pool reuse (§9), through scenario files.

use asgsim::asg::TerminationReason;

use asgsim::run::RunOutput;

use crate::common::run_file as run;

fn says(out: &RunOutput, text: &str) -> bool {
    out.records
        .explanations
        .iter()
        .any(|e| e.text.contains(text))
}

/// (minute, desired before, desired after) of each change of desired capacity.
fn changes(out: &RunOutput) -> Vec<(u64, u32, u32)> {
    let mut seen: Vec<(u64, u32, u32)> = Vec::new();
    for a in &out.records.activities {
        let d = (a.time_ms / 60_000, a.desired_before, a.desired_after);
        if d.1 != d.2 && seen.last() != Some(&d) {
            seen.push(d);
        }
    }
    seen
}

#[test]
fn suspended_terminate_blocks_scale_in_from_alarms_and_schedules() {
    let out = run("tests/scenarios/suspend-terminate.toml", &[]);
    let early = out
        .records
        .timeline
        .iter()
        .filter(|r| r.time_ms < 3_600_000);
    assert!(early.clone().count() > 50);
    assert!(
        early
            .clone()
            .all(|r| r.desired_capacity == 6 && r.in_service == 6)
    );
    assert!(says(
        &out,
        "policy in −1 not applied: Terminate is suspended"
    ));
    assert!(says(&out, "desired 6 → 6 (not 2: Terminate is suspended)"));
    let c = changes(&out);
    assert_eq!(
        c[0],
        (60, 6, 5),
        "the first scale-in comes on resume: {c:?}"
    );
    let without = run(
        "tests/scenarios/suspend-terminate.toml",
        &["events[0].processes=[\"AZRebalance\"]"],
    );
    assert_eq!(changes(&without)[0], (3, 6, 5), "not suspended: at once");
}

#[test]
fn suspended_launch_blocks_scale_out_from_alarms_and_schedules() {
    let out = run("tests/scenarios/suspend-launch.toml", &[]);
    let early = out
        .records
        .timeline
        .iter()
        .filter(|r| r.time_ms < 30 * 60_000);
    assert!(early.clone().all(|r| r.desired_capacity == 2));
    assert!(says(&out, "policy out +2 not applied: Launch is suspended"));
    assert!(says(&out, "desired 2 → 2 (not 5: Launch is suspended)"));
    assert_eq!(changes(&out)[0], (30, 2, 4), "on resume the alarm acts");
    assert_eq!(
        out.records.instances.len(),
        6,
        "nothing launched while suspended"
    );
}

/// §12.5 each minute: the −25% policy keeps desired while its result is desired itself, so
/// the −3 policy never wins.
#[test]
fn the_largest_capacity_wins_every_minute_12_5() {
    let out = run("tests/scenarios/aws-12-5-concurrent-in.toml", &[]);
    let path: Vec<(u32, u32)> = changes(&out).iter().map(|c| (c.1, c.2)).collect();
    assert_eq!(&path[..4], &[(8, 6), (6, 5), (5, 4), (4, 3)], "{path:?}");
    assert!(says(
        &out,
        "not applied: policy minus-quarter keeps desired 6"
    ));
}

/// §3.3: an instance launched by target tracking with a 900 s warm-up blocks the step
/// policy's scale-in for those 900 s, though the step policy's own warm-up is 60 s.
#[test]
fn a_warming_scale_out_blocks_every_policy_scale_in() {
    let sets = [
        "scaling_policies.cpu50.estimated_instance_warmup=900s",
        "scaling_policies.step-in.estimated_instance_warmup=60s",
    ];
    let out = run("scenarios/flapping.toml", &sets);
    let launched = out
        .records
        .instances
        .iter()
        .filter(|i| i.launch_time_ms > 0);
    let first = launched.min_by_key(|i| i.launch_time_ms).unwrap();
    let warm_until = first.in_service_time_ms.unwrap() + 900_000;
    let scale_ins = out
        .records
        .activities
        .iter()
        .filter(|a| a.desired_after < a.desired_before);
    let mut after = scale_ins.filter(|a| a.time_ms > first.launch_time_ms);
    let next_in = after.next().expect("a later scale-in");
    assert!(
        next_in.time_ms >= warm_until,
        "{} < {warm_until}",
        next_in.time_ms
    );
    assert!(says(&out, "scale-in waits while instances warm up"));
}

/// §9 ReuseOnScaleIn: scaled-in instances go back to the pool; nothing new is launched.
#[test]
fn reuse_on_scale_in_returns_instances_to_the_pool() {
    let out = run("tests/scenarios/warm-pool-reuse.toml", &[]);
    assert_eq!(
        out.records.instances.len(),
        9,
        "3 in service + 6 in the pool, reused"
    );
    let scaled_in = out.records.instances.iter();
    let scaled_in = scaled_in.filter(|i| i.termination_reason == Some(TerminationReason::ScaleIn));
    assert_eq!(scaled_in.count(), 0);
    assert!(says(&out, ", back to the warm pool)"));
    let last = out.records.timeline.last().unwrap();
    assert_eq!(last.warm_pool, Some(6), "the pool is whole again");
    let served = out
        .records
        .instances
        .iter()
        .filter(|i| i.launch_time_ms == 0);
    assert_eq!(
        served.filter(|i| i.in_service_time_ms.is_some()).count(),
        9,
        "kept"
    );
    let cold = run(
        "tests/scenarios/warm-pool-reuse.toml",
        &["warm_pool.reuse_on_scale_in=false"],
    );
    assert!(
        cold.records.instances.len() > 9,
        "new pool instances replace the scaled-in"
    );
    let gone = cold.records.instances.iter();
    let gone = gone.filter(|i| i.termination_reason == Some(TerminationReason::ScaleIn));
    assert!(gone.count() >= 1);
}

/// A launch-first successor goes to the AZ its predecessor leaves: no AZ rebalancing.
#[test]
fn launch_first_successors_keep_the_azs_balanced() {
    let out = run("tests/scenarios/lifetime-launch-first.toml", &[]);
    let by_id = |id: &str| out.records.instances.iter().find(|i| i.instance_id == id);
    let replaced = out.records.instances.iter();
    let replaced =
        replaced.filter(|i| i.termination_reason == Some(TerminationReason::MaxInstanceLifetime));
    assert!(replaced.clone().count() >= 8, "two rounds of four");
    let rebalanced = out.records.instances.iter();
    let rebalanced =
        rebalanced.filter(|i| i.termination_reason == Some(TerminationReason::AzRebalance));
    assert_eq!(rebalanced.count(), 0, "the AZs never drift apart");
    let first = by_id("i-00000002").unwrap();
    let successor = by_id("i-00000006").unwrap();
    assert_eq!(
        successor.az, first.az,
        "i-00000006 replaces i-00000002 in its AZ"
    );
    assert!(says(
        &out,
        "i-00000002 is due for replacement: launching i-00000006 in"
    ));
}

/// AZ rebalancing does not launch when every instance of the fullest AZ is protected from
/// scale-in: nothing could go, and the group would stand above desired for good.
#[test]
fn rebalancing_skips_a_fully_protected_az() {
    let sets = ["group.new_instances_protected_from_scale_in=true"];
    let out = run("tests/scenarios/protected-rebalance.toml", &sets);
    assert!(!says(&out, "AZ rebalancing: launching"));
    let end = out.records.timeline.last().unwrap();
    assert_eq!(
        (end.desired_capacity, end.in_service),
        (5, 6),
        "all protected: 6 stay"
    );
    assert_eq!(end.instances_by_az, [3, 1, 2], "uneven, and it stays so");
}
