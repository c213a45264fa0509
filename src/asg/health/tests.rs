//! The health component's rules, each with the AWS page it follows.

use super::*;
use crate::asg::{FailureMode, TerminationReason};
use crate::rng::{Stream, stream};

fn health() -> Health {
    Health::new(stream(7, Stream::Failure))
}

fn lb() -> LoadBalancer {
    LoadBalancer {
        deregistration_delay_ms: 300_000,
        health_check_interval_ms: 30_000,
        healthy_threshold_count: 5,
        unhealthy_threshold_count: 2,
        overload_fails_health_checks: true,
    }
}

/// A group of `n` InService instances launched at 0.
fn group(n: u32) -> Group {
    let mut g = Group::new(0, 100, n, 2);
    for _ in 0..n {
        let i = g.launch(0, false);
        g.set_in_service(i, 0);
    }
    g
}

/// UG ec2-auto-scaling-health-checks: "replaces … up to 10% of desired capacity at a time":
/// desired 40 ⇒ 4 at a time; desired 8 ⇒ 0.8 ⇒ 1.
#[test]
fn replacement_batches_are_ten_percent_of_desired() {
    assert_eq!(replacement_batch(40), 4);
    assert_eq!(replacement_batch(8), 1);
    assert_eq!(replacement_batch(0), 1);
}

/// The queue releases at most a batch while replacements are launching, and skips instances
/// that have gone meanwhile.
#[test]
fn queued_findings_wait_for_the_batch() {
    let mut g = group(20);
    let mut h = health();
    for i in 0..5 {
        h.enqueue(i, Finding::Elb);
    }
    g.begin_termination(0, 10, TerminationReason::ScaleIn);
    let first = h.next_to_replace(&g, false);
    assert_eq!(
        first,
        Some((1, Finding::Elb)),
        "instance 0 is gone: skipped"
    );
    let new = g.launch(20, false);
    h.replacement_launched(&mut g.instances[new]);
    let second = h.next_to_replace(&g, false);
    assert_eq!(
        second,
        Some((2, Finding::Elb)),
        "10% of 20 = 2 may launch at once"
    );
    let new2 = g.launch(20, false);
    h.replacement_launched(&mut g.instances[new2]);
    assert_eq!(h.next_to_replace(&g, false), None, "the batch is full");
    assert!(h.is_queued(3));
    assert!(h.replacement_done(&mut g.instances[new]));
    assert!(!h.replacement_done(&mut g.instances[new]), "counted once");
    assert_eq!(h.next_to_replace(&g, false), Some((3, Finding::Elb)));
}

/// UG health-check-grace-period: a finding inside the grace period is acted on when it ends;
/// after it, at once.
#[test]
fn findings_wait_for_the_grace_period() {
    let mut g = Group::new(0, 4, 1, 1);
    let i = g.launch(0, false);
    g.set_in_service(i, 100_000);
    let inst = &g.instances[i];
    assert_eq!(Health::grace_end(inst, 150_000, 300_000), Some(400_000));
    assert_eq!(Health::grace_end(inst, 400_000, 300_000), None);
    assert_eq!(
        Health::grace_end(inst, 150_000, 0),
        None,
        "the API's default grace is 0"
    );
}

/// ELB target-group defaults (API elbv2 CreateTargetGroup): checks every 30 s, unhealthy
/// after 2 ⇒ found 60 s after the failure; EC2 status checks after their delay; a detection
/// about a failure that has since ended does nothing.
#[test]
fn detection_times_and_stale_detections() {
    let mut g = group(2);
    g.fail(0, 1_000, FailureMode::Impaired);
    let mut events = Vec::new();
    Health::schedule_lb_detection((&g.instances[0], 0), (1_000, &lb()), &mut events);
    Health::schedule_ec2_detection((&g.instances[0], 0), (1_000, 180_000), &mut events);
    assert_eq!(
        events,
        [
            (61_000, HealthEvent::LbHealthFail(0, 1_000)),
            (181_000, HealthEvent::Ec2StatusFail(0, 1_000)),
        ]
    );
    assert!(Health::still_failed(&g.instances[0], 1_000));
    g.recover(0);
    assert!(
        !Health::still_failed(&g.instances[0], 1_000),
        "recovered since"
    );
    let pending = g.launch(2_000, false);
    let mut none = Vec::new();
    Health::schedule_lb_detection((&g.instances[pending], pending), (2_000, &lb()), &mut none);
    assert!(
        none.is_empty(),
        "a Pending instance is checked once InService"
    );
}

/// \[model\] An overloaded fleet loses its first instance to timed-out checks
/// UnhealthyThresholdCount × interval after the overload is first seen, the next as long
/// after; an overload that ends sooner marks nothing.
#[test]
fn overload_fails_one_instance_per_round_of_checks() {
    let mut h = health();
    let lb = lb();
    assert!(!h.overload_fails_one(0, true, &lb));
    assert!(!h.overload_fails_one(59_999, true, &lb));
    assert!(h.overload_fails_one(60_000, true, &lb));
    assert!(!h.overload_fails_one(90_000, true, &lb));
    assert!(h.overload_fails_one(120_000, true, &lb));
    assert!(
        !h.overload_fails_one(150_000, false, &lb),
        "the overload ends"
    );
    assert!(
        !h.overload_fails_one(180_000, true, &lb),
        "and starts counting again"
    );
}

/// UG asg-max-instance-lifetime: an instance is due at launch + MaxInstanceLifetime, if the
/// run lasts that long.
#[test]
fn lifetime_is_counted_from_launch() {
    let day = 86_400_000;
    assert_eq!(
        Health::lifetime_due(5_000, (Some(day), 10_000, 2 * day)),
        Some(day + 5_000)
    );
    assert_eq!(Health::lifetime_due(5_000, (Some(day), 10_000, day)), None);
    assert_eq!(Health::lifetime_due(5_000, (None, 10_000, 2 * day)), None);
}

/// Random failures come from their own stream: the same seed draws the same times, and a
/// failure after the run is not scheduled.
#[test]
fn random_failures_are_seeded_and_bounded() {
    let draw = || {
        let mut h = health();
        let mut events = Vec::new();
        for i in 0..20 {
            h.schedule_random_failure((i, 0), (Some(3_600_000), 3_600_000), &mut events);
        }
        events
    };
    let (a, b) = (draw(), draw());
    assert_eq!(a, b);
    assert!(
        !a.is_empty() && a.len() < 20,
        "about 63% fail within one MTBF: {}",
        a.len()
    );
    assert!(a.iter().all(|(t, _)| *t <= 3_600_000));
}
