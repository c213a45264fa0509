//! The end of an AZ outage (asg-semantics.md §8, §6, §1.5), through scenario files: instances
//! not yet marked Unhealthy recover with their AZ; marked ones are replaced; what the group
//! says when a suspended process keeps it from rebalancing.

use asgsim::run::RunOutput;

use crate::common::run_file as run;

/// When the outage of `scenarios/az-outage.toml` shortened to 90 s ends: 1:01:30 \[ms\].
const BACK_MS: u64 = 3_690_000;

/// Explanations containing `text`, as (time \[ms\], sentence).
fn said<'a>(out: &'a RunOutput, text: &str) -> Vec<(u64, &'a str)> {
    let all = out.records.explanations.iter();
    let hits = all.filter(|e| e.text.contains(text));
    hits.map(|e| (e.time_ms, e.text.as_str())).collect()
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
    assert_eq!(
        said(&out, "recovers with"),
        vec![
            (
                BACK_MS,
                "i-00000001 recovers with us-east-1a before its health checks failed"
            ),
            (
                BACK_MS,
                "i-00000004 recovers with us-east-1a before its health checks failed"
            ),
        ]
    );
    assert_eq!(
        said(&out, "is back"),
        vec![(BACK_MS, "Availability Zone us-east-1a is back")],
        "balanced: nothing to rebalance"
    );
    assert!(said(&out, "is Unhealthy").is_empty(), "no late detection");
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
    assert!(said(&out, "recovers with").is_empty());
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
    assert_eq!(
        said(&out, "fails ("),
        vec![
            (
                1_800_000,
                "i-00000004 fails (scripted), its application dies; EC2 sees nothing"
            ),
            (
                3_600_000,
                "i-00000001 fails (AZ outage), impaired: it stops serving"
            ),
        ]
    );
    assert_eq!(
        said(&out, "recovers with"),
        vec![(
            BACK_MS,
            "i-00000001 recovers with us-east-1a before its health checks failed"
        )]
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

/// §1.5: with AZRebalance or Launch suspended the group does not rebalance when the AZ is
/// back, and says why.
#[test]
fn a_suspended_process_keeps_the_group_from_rebalancing() {
    for process in ["AZRebalance", "Launch"] {
        let set = format!("group.suspended_processes=[\"{process}\"]");
        let out = run("scenarios/az-outage.toml", &[set.as_str()]);
        let text = format!(
            "Availability Zone us-east-1a is back; {process} is suspended, so the group does not rebalance yet"
        );
        assert_eq!(said(&out, "is back"), vec![(6_000_000, text.as_str())]);
        assert!(said(&out, "AZ rebalancing").is_empty(), "{process}");
    }
}
