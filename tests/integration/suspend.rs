//! Suspended processes that block a direction of scaling (UG: as-suspend-resume-processes),
//! the largest resulting capacity on re-invocation (UG: as-scale-based-on-demand, "multiple
//! dynamic scaling policies"), warm-up blocking every scale-in (UG: as-scaling-simple-step,
//! "instance warmup"), warm-pool reuse (UG: ec2-auto-scaling-warm-pools) and launch-first
//! replacement (UG: asg-max-instance-lifetime), through scenario files, asserted on the
//! decision records, activities and instances. The sentences are snapshot-tested in
//! `explain_snapshots.rs` (`suspend-terminate`, `suspend-launch`, `aws-12-5-concurrent-in`,
//! `flapping`, `warm-pool-reuse`, `lifetime-launch-first`, `protected-rebalance`).

use asgsim::asg::{ScalingProcess, TerminationReason};
use asgsim::records::{ActivityKind, ActivityOrigin, Outcome};

use asgsim::run::RunOutput;

use crate::common::decisions_of;
use crate::common::run_file as run;

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

/// (time [ms], kind, desired before, desired after) of the one activity of scheduled action
/// `name`, whose cause (an `activities.csv` column) names it.
fn scheduled_run(out: &RunOutput, name: &str) -> (u64, ActivityKind, u32, u32) {
    let needle = format!("scheduled action {name} (");
    let all = out.records.activities.iter();
    let rows: Vec<_> = all.filter(|a| a.cause.contains(&needle)).collect();
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let a = rows[0];
    (a.time_ms, a.kind, a.desired_before, a.desired_after)
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
    // The alarm's −1 (6 → 5) is not applied while Terminate is suspended.
    let policy = decisions_of(&out, "in");
    let blocked = policy.first().expect("the policy is invoked");
    assert_eq!(
        blocked.outcome,
        Outcome::Suspended(ScalingProcess::Terminate)
    );
    assert_eq!((blocked.desired_before, blocked.proposed), (6, Some(5)));
    assert!(blocked.time_ms < 3_600_000, "{blocked:?}");
    // The scheduled action's desired 2 leaves a capacity activity that keeps 6.
    let shrink = scheduled_run(&out, "shrink");
    assert_eq!(shrink, (20 * 60_000, ActivityKind::Capacity, 6, 6));
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
    // The alarm's +2 (2 → 4) is not applied while Launch is suspended.
    let policy = decisions_of(&out, "out");
    let blocked = policy.first().expect("the policy is invoked");
    assert_eq!(blocked.outcome, Outcome::Suspended(ScalingProcess::Launch));
    assert_eq!((blocked.desired_before, blocked.proposed), (2, Some(4)));
    assert!(blocked.time_ms < 30 * 60_000, "{blocked:?}");
    // The scheduled action's desired 5 leaves a capacity activity that keeps 2.
    let grow = scheduled_run(&out, "grow");
    assert_eq!(grow, (10 * 60_000, ActivityKind::Capacity, 2, 2));
    assert_eq!(changes(&out)[0], (30, 2, 4), "on resume the alarm acts");
    assert_eq!(
        out.records.instances.len(),
        6,
        "nothing launched while suspended"
    );
}

/// UG: as-scale-based-on-demand, each minute: the −25% policy keeps desired while its result
/// is desired itself, so the −3 policy never wins.
#[test]
fn the_largest_capacity_wins_every_minute_12_5() {
    let out = run("tests/scenarios/aws-12-5-concurrent-in.toml", &[]);
    let path: Vec<(u32, u32)> = changes(&out).iter().map(|c| (c.1, c.2)).collect();
    assert_eq!(&path[..4], &[(8, 6), (6, 5), (5, 4), (4, 3)], "{path:?}");
    // At desired 6 (draining 2 of 8), −25% of 8 = 6 keeps desired and −3 of 8 = 5 is held.
    let quarter = decisions_of(&out, "minus-quarter");
    let held = decisions_of(&out, "minus-three");
    let held = held.iter().find(|d| d.outcome == Outcome::HeldByPolicy);
    let held = held.expect("the −3 policy is held");
    assert_eq!((held.desired_before, held.proposed), (6, Some(5)));
    let keeps = quarter.iter().find(|d| d.time_ms == held.time_ms);
    let keeps = keeps.expect("the −25% policy is invoked in the same minute");
    assert_eq!(keeps.outcome, Outcome::NoChange);
    assert_eq!(keeps.proposed, Some(6), "its result is desired itself");
    // Every minute both are invoked, −3 either loses or is held: it never wins.
    let three = decisions_of(&out, "minus-three");
    assert!(three.len() >= 4, "{three:?}");
    for d in three {
        assert!(
            matches!(d.outcome, Outcome::Lost | Outcome::HeldByPolicy),
            "{d:?}"
        );
    }
}

/// UG: as-scaling-simple-step, "instance warmup": an instance launched by target tracking with a 900 s warm-up blocks the step
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
    let step_in = decisions_of(&out, "step-in");
    let waits = step_in.iter().find(|d| d.outcome == Outcome::WarmingUp);
    let waits = waits.expect("the step scale-in waits while instances warm up");
    assert!(
        (first.launch_time_ms..warm_until).contains(&waits.time_ms),
        "{waits:?}"
    );
}

/// UG: ec2-auto-scaling-warm-pools, ReuseOnScaleIn: scaled-in instances go back to the pool;
/// nothing new is launched.
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
    // Every instance a scale-in took goes back to the pool: it is never terminated.
    let taken: Vec<&str> = out
        .records
        .activities
        .iter()
        .filter(|a| a.kind == ActivityKind::Terminate)
        .filter_map(|a| a.instance_id.as_deref())
        .collect();
    assert!(taken.len() >= 3, "{taken:?}");
    for id in taken {
        let mut all = out.records.instances.iter();
        let instance = all.find(|i| i.instance_id == id).expect("listed");
        assert_eq!(instance.termination_time_ms, None, "{id} back to the pool");
    }
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

/// A launch-first successor goes to the AZ its predecessor leaves: no AZ rebalancing (UG:
/// asg-max-instance-lifetime; instance maintenance policy).
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
    // i-00000006 is launched for the lifetime replacement, and i-00000002 goes when it is
    // InService: launch first, then terminate.
    let lifetime = |kind: ActivityKind, id: &str| {
        let all = out.records.activities.iter();
        let mut hits = all.filter(|a| a.origin == ActivityOrigin::MaxInstanceLifetime);
        let hit = hits.find(|a| a.kind == kind && a.instance_id.as_deref() == Some(id));
        hit.map(|a| a.time_ms)
    };
    let launched = lifetime(ActivityKind::Launch, "i-00000006").expect("launched");
    let replaced = lifetime(ActivityKind::Terminate, "i-00000002").expect("replaced");
    assert!(launched < replaced, "launch first");
    assert_eq!(Some(replaced), successor.in_service_time_ms);
}

/// AZ rebalancing does not launch when every instance of the fullest AZ is protected from
/// scale-in: nothing could go, and the group would stand above desired for good.
#[test]
fn rebalancing_skips_a_fully_protected_az() {
    let sets = ["group.new_instances_protected_from_scale_in=true"];
    let out = run("tests/scenarios/protected-rebalance.toml", &sets);
    let rebalancing = out.records.activities.iter();
    let mut rebalancing = rebalancing.filter(|a| a.origin == ActivityOrigin::AzRebalance);
    assert!(rebalancing.next().is_none(), "no AZ rebalancing");
    let end = out.records.timeline.last().unwrap();
    assert_eq!(
        (end.desired_capacity, end.in_service),
        (5, 6),
        "all protected: 6 stay"
    );
    assert_eq!(end.instances_by_az, [3, 1, 2], "uneven, and it stays so");
}
