//! The end of an AZ outage (UG: auto-scaling-benefits; UG: ec2-auto-scaling-health-checks;
//! UG: as-suspend-resume-processes), through scenario files: instances not yet marked
//! Unhealthy recover with their AZ; marked ones are replaced; a suspended process keeps the
//! group from rebalancing. Asserted on the episodes, activities, instances and timeline; the
//! sentences ("recovers with", "fails (scripted), its application dies; EC2 sees nothing",
//! "is back; Launch is suspended, so the group does not rebalance yet") are snapshot-tested in
//! `explain_snapshots.rs` (`az-outage-90s-ec2-checks`, `az-outage-recovery`,
//! `az-outage-*-suspended`).

use asgsim::records::{ActivityKind, ActivityOrigin, EpisodeKind};
use asgsim::run::RunOutput;

use crate::common::run_file as run;

/// When the outage of `scenarios/az-outage.toml` shortened to 90 s ends: 1:01:30 \[ms\].
const BACK_MS: u64 = 3_690_000;

/// The AZ outages, as (start, end) \[ms\].
fn outages(out: &RunOutput) -> Vec<(u64, u64)> {
    let all = out.records.episodes.iter();
    let outages = all.filter(|e| e.kind == EpisodeKind::AzOutage);
    outages.map(|e| (e.start_ms, e.end_ms)).collect()
}

/// How many activities have `origin`.
fn count(out: &RunOutput, origin: ActivityOrigin) -> usize {
    let all = out.records.activities.iter();
    all.filter(|a| a.origin == origin).count()
}

/// The timeline's Unhealthy count at `time_ms`.
fn unhealthy_at(out: &RunOutput, time_ms: u64) -> u32 {
    let mut rows = out.records.timeline.iter();
    rows.find(|r| r.time_ms == time_ms)
        .expect("a row")
        .unhealthy
}

/// When an instance was terminated, if it was \[ms\].
fn terminated(out: &RunOutput, id: &str) -> Option<u64> {
    let mut all = out.records.instances.iter();
    let inst = all.find(|i| i.instance_id == id).expect("instance listed");
    inst.termination_time_ms
}

/// With EC2 health checks (status checks take 3 minutes) nothing is marked in a 90 s outage:
/// both instances of us-east-1a recover with it, nothing is replaced or rebalanced, and no
/// detection fires afterwards.
#[test]
fn unmarked_instances_recover_with_their_az() {
    let sets = ["events[0].duration=90s", "group.health_check_type=EC2"];
    let out = run("scenarios/az-outage.toml", &sets);
    // Both fail with the AZ at 1:00 and are well again with it at 1:01:30, unreplaced.
    assert_eq!(outages(&out), vec![(3_600_000, BACK_MS)]);
    assert_eq!(unhealthy_at(&out, 3_600_000), 2);
    assert_eq!(unhealthy_at(&out, 3_660_000), 2);
    assert_eq!(unhealthy_at(&out, 3_720_000), 0, "recovered with the AZ");
    assert_eq!(
        count(&out, ActivityOrigin::HealthReplacement),
        0,
        "no late detection"
    );
    assert_eq!(
        count(&out, ActivityOrigin::AzRebalance),
        0,
        "balanced: nothing to rebalance"
    );
    assert_eq!(out.summary.replaced_unhealthy, 0);
    assert_eq!(terminated(&out, "i-00000001"), None);
    assert_eq!(terminated(&out, "i-00000004"), None);
    let rows = out.records.timeline.iter();
    let mut after = rows.filter(|r| r.time_ms >= BACK_MS + 30_000);
    assert!(after.all(|r| r.unhealthy == 0 && r.instances_by_az[0] >= 2));
}

/// With ELB health checks both are marked at 1:01:00 (2 failed checks × 30 s), before the AZ
/// is back: they are replaced all the same, i-00000004 after the AZ is back.
#[test]
fn marked_instances_are_replaced_after_their_az_is_back() {
    let out = run("scenarios/az-outage.toml", &["events[0].duration=90s"]);
    assert_eq!(outages(&out), vec![(3_600_000, BACK_MS)]);
    let all = out.records.activities.iter();
    let replaced = all.filter(|a| a.origin == ActivityOrigin::HealthReplacement);
    let replaced = replaced.filter(|a| a.kind == ActivityKind::Terminate);
    let ids: Vec<&str> = replaced.filter_map(|a| a.instance_id.as_deref()).collect();
    assert_eq!(ids, ["i-00000001", "i-00000004"], "none recovers");
    assert_eq!(out.summary.replaced_unhealthy, 2);
    assert_eq!(terminated(&out, "i-00000001"), Some(3_720_000));
    assert!(terminated(&out, "i-00000004").is_some_and(|t| t > BACK_MS));
}

/// Only the outage's failures end with it: an instance whose application died before keeps
/// that failure (EC2 checks never see it), the other recovers and the load balancer routes to
/// it again after 5 passed checks × 30 s.
#[test]
fn an_older_failure_does_not_recover_with_the_az() {
    let out = run("tests/scenarios/az-outage-recovery.toml", &[]);
    // i-00000004's application dies at 0:30, i-00000001 fails with the AZ at 1:00 and recovers
    // with it at 1:01:30; i-00000004 stays failed.
    assert_eq!(outages(&out), vec![(3_600_000, BACK_MS)]);
    assert_eq!(unhealthy_at(&out, 1_740_000), 0);
    assert_eq!(unhealthy_at(&out, 1_800_000), 1, "i-00000004 at 0:30");
    assert_eq!(unhealthy_at(&out, 3_540_000), 1);
    assert_eq!(terminated(&out, "i-00000001"), None);
    assert_eq!(
        terminated(&out, "i-00000004"),
        None,
        "EC2 checks never see it"
    );
    assert_eq!(out.summary.replaced_unhealthy, 0);
    let row = |t: u64| {
        let mut rows = out.records.timeline.iter();
        rows.find(|r| r.time_ms == t).expect("a row")
    };
    assert_eq!(row(3_600_000).unhealthy, 2);
    assert_eq!(row(3_720_000).unhealthy, 1, "i-00000004 only");
    assert_eq!(out.records.timeline.last().unwrap().unhealthy, 1);
    // 4 routed instances until 1:04:00 (CPU 75%), 5 after (60%).
    let cpu = |t| row(t).cpu_avg_percent.unwrap();
    assert!(cpu(3_780_000) > cpu(3_900_000) + 10.0);
}

/// UG: as-suspend-resume-processes: with AZRebalance or Launch suspended the group does not
/// rebalance when the AZ is back (at 1:40): us-east-1a stays empty to the end.
#[test]
fn a_suspended_process_keeps_the_group_from_rebalancing() {
    for process in ["AZRebalance", "Launch"] {
        let set = format!("group.suspended_processes=[\"{process}\"]");
        let out = run("scenarios/az-outage.toml", &[set.as_str()]);
        assert_eq!(outages(&out), vec![(3_600_000, 6_000_000)], "{process}");
        assert_eq!(count(&out, ActivityOrigin::AzRebalance), 0, "{process}");
        let rows = out.records.timeline.iter();
        let mut after = rows.filter(|r| r.time_ms >= 6_000_000);
        assert!(after.all(|r| r.instances_by_az[0] == 0), "{process}");
    }
    // Not suspended, the group rebalances once the AZ is back.
    let out = run("scenarios/az-outage.toml", &[]);
    assert!(count(&out, ActivityOrigin::AzRebalance) > 0);
    assert_eq!(
        out.records.timeline.last().unwrap().instances_by_az,
        [2, 2, 2]
    );
}
