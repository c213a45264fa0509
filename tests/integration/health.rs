//! Failures, health checks and replacement (UG: ec2-auto-scaling-health-checks), termination
//! (UG: as-instance-termination), rebalancing (UG: auto-scaling-benefits) and hooks (UG:
//! lifecycle-hooks), through scenario files.

use asgsim::asg::TerminationReason;
use asgsim::records::{ActivityKind, ActivityOrigin};
use asgsim::run::RunOutput;

use crate::common::run_file as run;
use crate::common::{activity_times, repo_root, simulate};

/// Most replacement launches in flight (launched, not yet InService) at any moment.
fn max_replacements_in_flight(out: &RunOutput, after_ms: u64) -> usize {
    let spans: Vec<(u64, u64)> = out
        .records
        .instances
        .iter()
        .filter(|i| i.launch_time_ms >= after_ms)
        .map(|i| (i.launch_time_ms, i.in_service_time_ms.unwrap_or(u64::MAX)))
        .collect();
    spans
        .iter()
        .map(|(t, _)| spans.iter().filter(|(a, b)| *a <= *t && *t < *b).count())
        .max()
        .unwrap_or(0)
}

#[test]
fn elb_replacement_batches_are_ten_percent_of_desired_12_14() {
    let out = run("tests/scenarios/aws-12-14-replacement-batch.toml", &[]);
    assert_eq!(out.summary.replaced_unhealthy, 10);
    assert_eq!(
        max_replacements_in_flight(&out, 600_000),
        4,
        "desired 40 ⇒ ≤ 4 at a time"
    );
    // 10 found at once: 4 replaced, 6 wait (Unhealthy on the timeline) for the next batches.
    // The sentence that says why ("at most 4 at a time (10% of desired 40)") is
    // snapshot-tested (`aws-12-14-replacement-batch` in `explain_snapshots.rs`).
    let replaced = activity_times(
        &out,
        ActivityOrigin::HealthReplacement,
        ActivityKind::Terminate,
    );
    assert_eq!(replaced.len(), 10, "{replaced:?}");
    let first = replaced[0];
    let batch = replaced.iter().filter(|&&t| t == first).count();
    assert_eq!(batch, 4, "the first batch: {replaced:?}");
    let waiting = out.records.timeline.iter().find(|r| r.time_ms == first);
    assert_eq!(waiting.map(|r| r.unhealthy), Some(6), "6 wait");
    let small = run(
        "tests/scenarios/aws-12-14-replacement-batch.toml",
        &["group.desired_capacity=8", "events[0].count=3"],
    );
    assert_eq!(small.summary.replaced_unhealthy, 3);
    assert_eq!(
        max_replacements_in_flight(&small, 600_000),
        1,
        "desired 8 ⇒ 0.8 ⇒ 1 at a time"
    );
}

#[test]
fn seed_workflow_replaces_its_failed_instance() {
    let out = run("scenarios/seed-workflow.toml", &[]);
    let failed: Vec<_> = out
        .records
        .instances
        .iter()
        .filter(|i| i.termination_reason == Some(TerminationReason::Unhealthy))
        .collect();
    assert_eq!(failed.len(), 1, "one instance terminated as unhealthy");
    let gone = failed[0].termination_time_ms.expect("terminated");
    let replacement = out.records.instances.iter().find(|i| {
        i.launch_time_ms >= 45 * 60_000
            && i.launch_time_ms <= gone
            && i.in_service_time_ms.is_some()
    });
    assert!(
        replacement.is_some(),
        "a replacement launched after the failure"
    );
    let restored = out.records.timeline.iter().any(|r| {
        (50 * 60_000..=60 * 60_000).contains(&r.time_ms)
            && r.in_service == r.desired_capacity
            && r.unhealthy == 0
    });
    assert!(
        restored,
        "in-service capacity returns to desired within 15 minutes"
    );
    assert_eq!(out.summary.replaced_unhealthy, 1);
}

/// Only ELB health checks find an application failure; with EC2 checks the load balancer
/// stops routing to it but the group never replaces it (UG: ec2-auto-scaling-health-checks).
#[test]
fn application_failures_need_elb_health_checks() {
    let sets = [
        "group.health_check_type=EC2",
        "group.desired_capacity=8",
        "events[0].count=2",
    ];
    let out = run("tests/scenarios/aws-12-14-replacement-batch.toml", &sets);
    assert_eq!(out.summary.replaced_unhealthy, 0);
    let last = out.records.timeline.last().unwrap();
    assert_eq!(last.unhealthy, 2, "still failed, still running");
}

/// A terminated instance is found at once, even inside the grace period.
#[test]
fn terminated_instances_are_replaced_at_once_even_in_grace() {
    let sets = [
        "events[0].mode=terminated",
        "group.health_check_grace_period=1h",
        "events[0].count=1",
    ];
    let out = run("tests/scenarios/aws-12-14-replacement-batch.toml", &sets);
    let gone = out
        .records
        .instances
        .iter()
        .find(|i| i.termination_reason == Some(TerminationReason::Unhealthy))
        .expect("replaced");
    assert_eq!(
        gone.termination_time_ms,
        Some(600_000),
        "terminated at the failure, no drain"
    );
}

/// UG: as-instance-termination: scale in from 2 + 1: the AZ with two loses its instance closest to the next
/// billing hour.
#[test]
fn termination_by_az_then_billing_hour_12_10() {
    let out = run("tests/scenarios/aws-12-10-termination.toml", &[]);
    let ended: Vec<_> = out
        .records
        .instances
        .iter()
        .filter(|i| i.termination_reason == Some(TerminationReason::ScaleIn))
        .map(|i| (i.instance_id.as_str(), i.az.as_str()))
        .collect();
    assert_eq!(ended, vec![("i-00000001", "us-east-1a")]);
}

/// The instances a run scaled in, in order.
fn scaled_in(out: &RunOutput) -> Vec<(&str, &str)> {
    let ended = out.records.instances.iter();
    let ended = ended.filter(|i| i.termination_reason == Some(TerminationReason::ScaleIn));
    ended
        .map(|i| (i.instance_id.as_str(), i.instance_type.as_str()))
        .collect()
}

/// UG: as-instance-termination where the billing hour and age disagree: scaling in at 65 minutes, i-00000003
/// (launched at 10 min, 5 min from its hour) goes before i-00000001 (55 min from its hour),
/// although i-00000001 is the oldest; OldestInstance picks i-00000001.
#[test]
fn billing_hour_decides_not_age_12_10() {
    let file = "tests/scenarios/aws-12-10-termination.toml";
    let sets = ["duration=90m", "events[1].at=65m"];
    let out = run(file, &sets);
    assert_eq!(scaled_in(&out), vec![("i-00000003", "m5.large")]);
    let oldest = [
        sets[0],
        sets[1],
        "group.termination_policies=[\"OldestInstance\"]",
    ];
    assert_eq!(
        scaled_in(&run(file, &oldest)),
        vec![("i-00000001", "m5.large")]
    );
}

/// UG: as-instance-termination, the launch-template step: after a partial refresh, Default removes the two
/// instances of the oldest template (one per AZ), though the new ones are closer to their
/// billing hour; ClosestToNextInstanceHour alone removes the new ones.
#[test]
fn oldest_launch_template_goes_first_12_10() {
    let file = "tests/scenarios/aws-12-10-template.toml";
    let out = run(file, &[]);
    let gone = scaled_in(&out);
    assert_eq!(gone.len(), 2);
    assert!(gone.iter().all(|(_, t)| *t == "m5.large"), "{gone:?}");
    let azs = out
        .records
        .instances
        .iter()
        .filter(|i| i.termination_reason == Some(TerminationReason::ScaleIn));
    let mut azs: Vec<&str> = azs.map(|i| i.az.as_str()).collect();
    azs.sort_unstable();
    assert_eq!(azs, ["us-east-1a", "us-east-1b"], "AZ balance first");
    let hour = ["group.termination_policies=[\"ClosestToNextInstanceHour\"]"];
    let by_hour = run(file, &hour);
    let gone = scaled_in(&by_hour);
    assert_eq!(gone.len(), 2);
    assert!(gone.iter().all(|(_, t)| *t == "c5.xlarge"), "{gone:?}");
}

/// An AZ outage: capacity moves to the surviving AZs within the detection and boot times;
/// after recovery the group rebalances by launching first, never above max + allowance.
#[test]
fn az_outage_moves_capacity_and_rebalances_launch_first() {
    let out = run("scenarios/az-outage.toml", &[]);
    let hour = 3_600_000;
    // 3 minutes for EC2 status checks, a boot of at most a few minutes.
    let settled = out
        .records
        .timeline
        .iter()
        .find(|r| r.time_ms == hour + 10 * 60_000)
        .unwrap();
    assert_eq!(
        settled.in_service, settled.desired_capacity,
        "capacity restored during the outage"
    );
    let in_a_during = out.records.instances.iter().any(|i| {
        i.az == "us-east-1a"
            && i.in_service_time_ms
                .is_some_and(|t| t > hour && t < hour + 40 * 60_000)
    });
    assert!(
        !in_a_during,
        "nothing launches into the AZ while it is down"
    );
    let back = hour + 40 * 60_000;
    let first_launch_home = out
        .records
        .instances
        .iter()
        .filter(|i| i.az == "us-east-1a" && i.launch_time_ms >= back)
        .map(|i| i.launch_time_ms)
        .min()
        .expect("rebalancing launches into the recovered AZ");
    let first_rebalance_end = out
        .records
        .instances
        .iter()
        .filter(|i| i.termination_reason == Some(TerminationReason::AzRebalance))
        .filter_map(|i| i.termination_time_ms)
        .min()
        .expect("rebalancing terminates in the fullest AZ");
    assert!(
        first_launch_home < first_rebalance_end,
        "launch first, then terminate"
    );
    let allowance = asgsim::asg::rebalance_allowance(9);
    assert!(
        out.records
            .timeline
            .iter()
            .all(|r| r.pending + r.in_service <= r.max_size + allowance)
    );
    let last = out
        .records
        .instances
        .iter()
        .filter(|i| i.termination_time_ms.is_none());
    let in_a = last.filter(|i| i.az == "us-east-1a").count();
    assert_eq!(in_a, 2, "balanced again: 2 per AZ");
    // The timeline's per-AZ counts tell the same story: 2 each, 0 in us-east-1a once its
    // instances are replaced, 2 each again at the end.
    let at = |minute: u64| {
        let rows = out.records.timeline.iter();
        let mut rows = rows.filter(|r| r.time_ms == minute * 60_000);
        rows.next().unwrap().instances_by_az.clone()
    };
    assert_eq!(at(59), [2, 2, 2]);
    assert_eq!(at(90)[0], 0, "us-east-1a emptied during the outage");
    assert_eq!(at(90).iter().sum::<u32>(), 6);
    assert_eq!(at(179), [2, 2, 2]);
}

/// UG: auto-scaling-benefits through a scenario file: after an AZ outage, rebalancing launches first and the
/// group stands above max by max(10%, 1), never more: max 10 ⇒ 11, 50 ⇒ 55, 5 ⇒ 6.
#[test]
fn rebalancing_above_max_reaches_the_allowance_12_13() {
    for (max, most_expected) in [(10, 11), (50, 55), (5, 6)] {
        let sets = [
            format!("group.max_size={max}"),
            format!("group.desired_capacity={max}"),
            format!("load.pattern.rate={}", max * 60),
        ];
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        let out = run("tests/scenarios/aws-12-13-rebalance.toml", &sets);
        let most = out.records.timeline.iter();
        let most = most.map(|r| r.pending + r.in_service).max().unwrap();
        assert_eq!(most, most_expected, "max {max}");
        let moved = out.records.instances.iter();
        let moved = moved.filter(|i| i.termination_reason == Some(TerminationReason::AzRebalance));
        assert!(
            moved.count() >= 1,
            "max {max}: rebalancing moved instances home"
        );
        let end = out.records.timeline.last().unwrap();
        assert_eq!(end.in_service, max, "max {max}: back to desired");
    }
}

/// UG: completing-lifecycle-hooks through a scenario: heartbeats keep a launch hook waiting until the cap,
/// min(48 h, 100 × 120 s) = 12,000 s; a 1 h timeout with a heartbeat at 30 min ends at 90 min.
#[test]
fn lifecycle_hook_waits_until_the_cap_12_12() {
    let out = run("tests/scenarios/aws-12-12-hooks.toml", &[]);
    let hooked = out
        .records
        .instances
        .iter()
        .find(|i| i.instance_id == "i-00000002")
        .unwrap();
    let waited = hooked.in_service_time_ms.unwrap() - hooked.launch_time_ms;
    assert_eq!(
        waited,
        60_000 + 12_000_000,
        "boot, then Pending:Wait until the cap"
    );
    // A 1 h timeout with one heartbeat at 30 min: the wait ends at 90 min.
    let beat = run("tests/scenarios/aws-12-12-heartbeat.toml", &[]);
    let mut second = beat.records.instances.iter();
    let second = second.find(|i| i.instance_id == "i-00000002").unwrap();
    let waited = second.in_service_time_ms.unwrap() - second.launch_time_ms;
    assert_eq!(
        waited,
        60_000 + 90 * 60_000,
        "boot, then Pending:Wait for 90 min"
    );
    let without = run(
        "tests/scenarios/aws-12-12-heartbeat.toml",
        &["lifecycle_hooks.configure.heartbeats=[]"],
    );
    let mut second = without.records.instances.iter();
    let second = second.find(|i| i.instance_id == "i-00000002").unwrap();
    let waited = second.in_service_time_ms.unwrap() - second.launch_time_ms;
    assert_eq!(
        waited,
        60_000 + 60 * 60_000,
        "no heartbeat: the 1 h timeout"
    );
    // With ABANDON as the default result the instance is terminated and replaced instead.
    let sets = ["lifecycle_hooks.configure.default_result=ABANDON"];
    let abandoned = run("tests/scenarios/aws-12-12-hooks.toml", &sets);
    let first = abandoned
        .records
        .instances
        .iter()
        .find(|i| i.instance_id == "i-00000002")
        .unwrap();
    assert_eq!(
        first.termination_reason,
        Some(TerminationReason::LifecycleAbandon)
    );
    assert!(first.in_service_time_ms.is_none(), "never InService");
}

/// UG: as-suspend-resume-processes: while Launch is suspended desired capacity changes but nothing launches; on resume
/// everything missing launches at once.
#[test]
fn suspended_launch_catches_up_on_resume() {
    let path = repo_root().join("tests/scenarios/aws-12-10-termination.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace(
        "[[events]]\nat = \"50m\"",
        "[[events]]\nat = \"5m\"\naction = \"suspend_processes\"\nprocesses = [\"Launch\"]\n[[events]]\nat = \"30m\"\naction = \"resume_processes\"\nprocesses = [\"Launch\"]\n[[events]]\nat = \"50m\"",
    );
    let scenario =
        asgsim::scenario::parse_scenario(&text, &path, &[]).unwrap_or_else(|e| panic!("{e}"));
    let out = simulate(&scenario, 1);
    let third = out
        .records
        .instances
        .iter()
        .find(|i| i.instance_id == "i-00000003")
        .unwrap();
    assert_eq!(
        third.launch_time_ms,
        30 * 60_000,
        "launched when Launch resumed, not at 10 min"
    );
}

/// UG: ec2-auto-scaling-health-checks: with an instance maintenance policy of Min 100 / Max 110, replacement launches first
/// and terminates the unhealthy instance once its successor is InService.
#[test]
fn maintenance_policy_launches_before_terminating() {
    let sets = [
        "group.instance_maintenance_policy={ min_healthy_percentage = 100, max_healthy_percentage = 110 }",
        "group.desired_capacity=8",
        "events[0].count=1",
    ];
    let out = run("tests/scenarios/aws-12-14-replacement-batch.toml", &sets);
    let old = out
        .records
        .instances
        .iter()
        .find(|i| i.termination_reason == Some(TerminationReason::Unhealthy))
        .unwrap();
    let new = out
        .records
        .instances
        .iter()
        .find(|i| i.launch_time_ms > 600_000)
        .unwrap();
    let ended = old.termination_time_ms.unwrap();
    let started = new.in_service_time_ms.unwrap();
    assert!(
        new.launch_time_ms < ended && started <= ended,
        "launch first, terminate after"
    );
    let most = out
        .records
        .timeline
        .iter()
        .map(|r| r.pending + r.in_service)
        .max()
        .unwrap();
    assert_eq!(most, 9, "one above desired while the successor boots");
}
