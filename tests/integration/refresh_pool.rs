//! Instance refresh (UG: asg-adding-checkpoints-instance-refresh), warm pools (UG:
//! ec2-auto-scaling-warm-pools), application start-up against the grace period and the ELB
//! cascade (UG: ec2-auto-scaling-health-checks), through scenario files, asserted on the
//! instances, activities, episodes and timeline. What `--explain` says of them (checkpoints
//! reached, a refresh that waits and says why, once) is snapshot-tested in
//! `explain_snapshots.rs` (`aws-12-11-refresh`, `aws-12-11-refresh-skipped-checkpoint`,
//! `refresh-suspended*`, `refresh-launch-failures`, `warm-pool`, `elb-cascade`).

use asgsim::asg::TerminationReason;
use asgsim::records::{ActivityKind, ActivityOrigin, Episode, EpisodeKind};

use asgsim::run::RunOutput;

use crate::common::activity_times;
use crate::common::run_file as run;

/// The episodes of `kind`, as (start, end) in minutes.
fn episodes(out: &RunOutput, kind: EpisodeKind) -> Vec<(u64, u64)> {
    let all = out.records.episodes.iter().filter(|e| e.kind == kind);
    all.map(|e| (e.start_ms / 60_000, e.end_ms / 60_000))
        .collect()
}

/// The one refresh checkpoint pause of a run.
fn only_checkpoint(out: &RunOutput) -> &Episode {
    let all = out.records.episodes.iter();
    let pauses: Vec<&Episode> = all
        .filter(|e| e.kind == EpisodeKind::RefreshCheckpoint)
        .collect();
    assert_eq!(pauses.len(), 1, "{pauses:#?}");
    pauses[0]
}

/// UG: asg-adding-checkpoints-instance-refresh: replacements at 0:00 (2), 0:25 (2), 0:35 (1);
/// checkpoints at 0:10 (20%, then a 15-minute pause) and 0:45 (50%, the last: the refresh
/// ends there).
#[test]
fn refresh_checkpoints_12_11() {
    let out = run("tests/scenarios/aws-12-11-refresh.toml", &[]);
    let mut launches: Vec<u64> = out
        .records
        .instances
        .iter()
        .filter(|i| i.instance_type == "c5.xlarge")
        .map(|i| i.launch_time_ms / 60_000)
        .collect();
    launches.sort_unstable();
    assert_eq!(
        launches,
        vec![0, 0, 25, 25, 35],
        "five replaced: 50%, a partial refresh"
    );
    let pause = only_checkpoint(&out);
    assert_eq!(
        (pause.start_ms, pause.end_ms),
        (600_000, 1_500_000),
        "0:10 to 0:25"
    );
    assert_eq!(pause.label, "checkpoint 20%: pause");
    let refresh = episodes(&out, EpisodeKind::InstanceRefresh);
    assert_eq!(
        refresh,
        vec![(0, 45)],
        "it stops at its last checkpoint, 50%"
    );
    let replaced = out.records.instances.iter();
    let replaced =
        replaced.filter(|i| i.termination_reason == Some(TerminationReason::InstanceRefresh));
    assert_eq!(replaced.count(), 5);
}

/// UG: asg-adding-checkpoints-instance-refresh: with 2 instances and [10, 40, 100], the first
/// replacement reports 50%: 10 is skipped and 40 is notified (one pause, not two).
#[test]
fn a_checkpoint_can_be_skipped_12_11() {
    let sets = [
        "group.desired_capacity=2",
        "events[0].checkpoint_percentages=[10, 40, 100]",
    ];
    let out = run("tests/scenarios/aws-12-11-refresh.toml", &sets);
    let pause = only_checkpoint(&out);
    assert_eq!(pause.start_ms, 600_000, "at 0:10");
    assert_eq!(pause.label, "checkpoint 40%: pause");
    let refresh = episodes(&out, EpisodeKind::InstanceRefresh);
    assert_eq!(refresh, vec![(0, 35)], "it goes on to 100%");
    let replaced = out.records.instances.iter();
    let replaced =
        replaced.filter(|i| i.termination_reason == Some(TerminationReason::InstanceRefresh));
    assert_eq!(replaced.count(), 2, "both replaced");
}

/// UG: ec2-auto-scaling-warm-pools through a scenario: desired 3, max 9 ⇒ a pool of 6; a scale-out starts pool
/// instances in 30 s instead of a 4-minute boot.
#[test]
fn warm_pool_size_and_warm_starts_12_8() {
    let out = run("scenarios/warm-pool.toml", &[]);
    let start = out.records.timeline.first().unwrap();
    assert_eq!(
        (start.time_ms, start.warm_pool),
        (0, Some(6)),
        "filled at once"
    );
    let started = out
        .records
        .instances
        .iter()
        .filter(|i| i.launch_time_ms == 0 && i.in_service_time_ms.unwrap_or(0) > 0);
    let waits: Vec<u64> = started
        .map(|i| i.in_service_time_ms.unwrap() / 1000)
        .collect();
    assert!(!waits.is_empty(), "pool instances were started");
    let spike = 2 * 3_600_000;
    let first = out
        .records
        .activities
        .iter()
        .find(|a| a.time_ms >= spike && a.kind.as_str() == "launch")
        .unwrap();
    let inst = out
        .records
        .instances
        .iter()
        .find(|i| Some(&i.instance_id) == first.instance_id.as_ref())
        .unwrap();
    let start_s = (inst.in_service_time_ms.unwrap() - first.time_ms) / 1000;
    assert_eq!(start_s, 30, "a warm start, not a 240 s boot");
    let cold = run(
        "scenarios/warm-pool.toml",
        &["warm_pool.max_group_prepared_capacity=3"],
    );
    assert!(
        cold.summary.requests_dropped > out.summary.requests_dropped,
        "cold starts drop more"
    );
}

/// What the scenario's comment says, its timeline shows: the pool is empty while desired
/// stands at max_size after the spike, and refills (3, then 6) as LowCPU scales in.
#[test]
fn the_warm_pool_refills_as_the_group_scales_in() {
    let out = run("scenarios/warm-pool.toml", &[]);
    let pool: Vec<(u32, u32)> = out
        .records
        .timeline
        .iter()
        .map(|r| (r.desired_capacity, r.warm_pool.unwrap()))
        .collect();
    let empty_at_max = pool
        .iter()
        .position(|&(d, p)| d == 9 && p == 0)
        .expect("emptied");
    let after = &pool[empty_at_max..];
    let halfway = after.iter().position(|&(d, p)| d == 6 && p == 3);
    let refilled = after.iter().position(|&(d, p)| d == 3 && p == 6);
    assert!(
        matches!((halfway, refilled), (Some(b), Some(c)) if b < c),
        "{pool:?}"
    );
    assert_eq!(pool.last(), Some(&(3, 6)), "refilled by the end");
}

/// A grace period shorter than the application's start-up, with ELB health checks,
/// replaces every new instance before it can serve: a replacement loop.
#[test]
fn grace_shorter_than_startup_loops() {
    let out = run("scenarios/grace-loop.toml", &[]);
    assert!(
        out.summary.replaced_unhealthy >= 5,
        "{}",
        out.summary.replaced_unhealthy
    );
    let fixed = run(
        "scenarios/grace-loop.toml",
        &["group.health_check_grace_period=600s"],
    );
    assert_eq!(fixed.summary.replaced_unhealthy, 0);
}

/// Overload makes health checks fail: with ELB health checks the group replaces its busiest
/// instances and capacity falls further (a cascade).
#[test]
fn overload_cascades_with_elb_health_checks() {
    let out = run("scenarios/elb-cascade.toml", &[]);
    assert!(
        out.summary.replaced_unhealthy >= 3,
        "{}",
        out.summary.replaced_unhealthy
    );
    let calm = run(
        "scenarios/elb-cascade.toml",
        &["load_balancer.overload_fails_health_checks=false"],
    );
    assert_eq!(calm.summary.replaced_unhealthy, 0);
    assert!(out.summary.requests_dropped > calm.summary.requests_dropped);
}

/// Overload marks an instance only after `unhealthy_threshold_count` checks
/// `health_check_interval` apart have timed out (2 × 30 s by default; ELB API
/// UnhealthyThresholdCount), each next one as long after; an overload that ends sooner marks
/// nothing. The spike begins at 0:30. The first instance found is replaced at once (a batch
/// of 1 = 10% of desired 4, UG: ec2-auto-scaling-health-checks); each one found after it waits,
/// counted Unhealthy on the timeline, so the findings are the first replacement and the rises
/// of that count.
#[test]
fn overload_fails_checks_only_after_the_threshold() {
    let file = "scenarios/elb-cascade.toml";
    let replaced = |out: &RunOutput| -> Vec<u64> {
        let times = activity_times(
            out,
            ActivityOrigin::HealthReplacement,
            ActivityKind::Terminate,
        );
        times.into_iter().map(|t| t / 60_000).collect()
    };
    let unhealthy = |out: &RunOutput, minutes: std::ops::RangeInclusive<u64>| -> Vec<u32> {
        let rows = out.records.timeline.iter();
        let rows =
            rows.filter(|r| r.time_ms % 60_000 == 0 && minutes.contains(&(r.time_ms / 60_000)));
        rows.map(|r| r.unhealthy).collect()
    };
    let out = run(file, &[]);
    // Found at 0:31 (i-00000003, replaced at once), 0:32, 0:33 and 0:34.
    assert_eq!(replaced(&out)[0], 31);
    let first = out
        .records
        .activities
        .iter()
        .find(|a| a.origin == ActivityOrigin::HealthReplacement);
    assert_eq!(
        first.and_then(|a| a.instance_id.as_deref()),
        Some("i-00000003")
    );
    assert_eq!(unhealthy(&out, 30..=34), [0, 0, 1, 2, 3]);
    // 4 × 30 s each: found at 0:32 (replaced at once), 0:34 and 0:36.
    let slower = run(file, &["load_balancer.unhealthy_threshold_count=4"]);
    assert_eq!(replaced(&slower)[0], 32, "4 × 30 s each");
    assert_eq!(unhealthy(&slower, 31..=36), [0, 0, 0, 1, 1, 2]);
    let blip = run(file, &["load.pattern.duration=1m"]);
    assert!(
        replaced(&blip).is_empty(),
        "a minute of overload marks nothing"
    );
    assert!(blip.records.timeline.iter().all(|r| r.unhealthy == 0));
    assert_eq!(blip.summary.replaced_unhealthy, 0);
    let short = run(file, &["load.pattern.duration=2m"]);
    assert_eq!(replaced(&short), vec![31]);
    assert!(short.records.timeline.iter().all(|r| r.unhealthy == 0));
    assert_eq!(short.summary.replaced_unhealthy, 1);
}

/// The warm pool's size column at `minute`.
fn pool_at(out: &RunOutput, minute: u64) -> u32 {
    let row = out.records.timeline.iter();
    let mut row = row.filter(|r| r.time_ms == minute * 60_000);
    row.next()
        .and_then(|r| r.warm_pool)
        .expect("a warm pool row")
}

/// UG: ec2-auto-scaling-warm-pools through a scenario file, every number: desired 6, max 10 ⇒ 4; P = 8 ⇒ 2;
/// desired 800, P = 900 ⇒ 100; MinSize 10 = P ⇒ 10 whatever desired does.
#[test]
fn warm_pool_sizes_through_a_scenario_12_8() {
    let file = "tests/scenarios/aws-12-8-warm-pool.toml";
    let plain = run(file, &[]);
    assert_eq!(pool_at(&plain, 10), 4, "desired 6, max 10 ⇒ 4");
    assert_eq!(pool_at(&plain, 50), 1, "desired 9, max 10 ⇒ 1");
    let prepared = run(file, &["warm_pool.max_group_prepared_capacity=8"]);
    assert_eq!(pool_at(&prepared, 10), 2, "desired 6, P 8 ⇒ 2");
    assert_eq!(pool_at(&prepared, 50), 0, "desired 9 > P 8 ⇒ MinSize 0");
    let large = [
        "group.max_size=1000",
        "group.desired_capacity=800",
        "warm_pool.max_group_prepared_capacity=900",
        "load.pattern.rate=40000",
        "events[0].value=800",
    ];
    assert_eq!(
        pool_at(&run(file, &large), 10),
        100,
        "desired 800, P 900 ⇒ 100"
    );
    let floor = [
        "warm_pool.min_size=10",
        "warm_pool.max_group_prepared_capacity=10",
    ];
    let floor = run(file, &floor);
    let mut sizes = floor
        .records
        .timeline
        .iter()
        .filter(|r| r.time_ms >= 600_000);
    assert!(
        sizes.clone().all(|r| r.warm_pool == Some(10)),
        "MinSize 10 = P ⇒ 10"
    );
    assert!(
        sizes.clone().any(|r| r.desired_capacity == 6) && sizes.any(|r| r.desired_capacity == 9),
        "at both desired capacities"
    );
}

/// Minutes at which instances were terminated by the instance refresh, sorted.
fn refresh_terminations(out: &RunOutput) -> Vec<u64> {
    let gone = out.records.instances.iter();
    let gone = gone.filter(|i| i.termination_reason == Some(TerminationReason::InstanceRefresh));
    let mut minutes: Vec<u64> = gone
        .filter_map(|i| i.termination_time_ms)
        .map(|t| t / 60_000)
        .collect();
    minutes.sort_unstable();
    minutes
}

/// The fewest InService instances on the timeline.
fn fewest_in_service(out: &RunOutput) -> u32 {
    let rows = out.records.timeline.iter();
    rows.map(|r| r.in_service).min().unwrap()
}

/// UG: as-suspend-resume-processes: an instance refresh starts no batch while Launch, Terminate
/// or InstanceRefresh is suspended (no old instance goes, the group keeps min healthy), and
/// continues when the process resumes. That it says so once, naming the process, is
/// snapshot-tested (`refresh-suspended`, `refresh-suspended-terminate`,
/// `refresh-suspended-instancerefresh`).
#[test]
fn refresh_waits_while_a_process_it_needs_is_suspended() {
    for process in ["Launch", "Terminate", "InstanceRefresh"] {
        let sets = [
            format!("events[1].processes=[\"{process}\"]"),
            format!("events[2].processes=[\"{process}\"]"),
        ];
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        let out = run("tests/scenarios/refresh-suspended.toml", &sets);
        assert_eq!(
            refresh_terminations(&out),
            vec![0, 0, 30, 30, 40, 40, 50, 50],
            "{process}: nothing goes from 0:03 to 0:30"
        );
        let refresh = episodes(&out, EpisodeKind::InstanceRefresh);
        assert_eq!(refresh, vec![(0, 60)], "{process}: complete at 1:00");
        assert_eq!(fewest_in_service(&out), 6, "{process}: 75% of 8 stay");
        let end = out.records.instances.iter();
        let left = end.filter(|i| i.termination_time_ms.is_none());
        assert!(left.clone().all(|i| i.instance_type == "c5.xlarge"));
        assert_eq!(left.count(), 8);
    }
}

/// An old instance goes only once its successor has launched: while no AZ accepts a launch
/// the refresh waits (the group keeps all 8) and retries with the group's launch retry. That
/// it says so once, not at every retry, is snapshot-tested (`refresh-launch-failures`).
#[test]
fn refresh_keeps_old_instances_while_successors_cannot_launch() {
    let out = run("tests/scenarios/refresh-launch-failures.toml", &[]);
    assert_eq!(
        refresh_terminations(&out),
        vec![0, 0, 18, 18, 28, 28, 38, 38]
    );
    let failures = episodes(&out, EpisodeKind::LaunchFailures);
    assert_eq!(failures, vec![(8, 18)], "launches fail from 0:08 to 0:18");
    let refresh = episodes(&out, EpisodeKind::InstanceRefresh);
    assert_eq!(refresh, vec![(0, 48)], "complete at 0:48");
    let rows = out.records.timeline.iter();
    let mut waiting = rows.filter(|r| (600_000..1_080_000).contains(&r.time_ms));
    assert!(waiting.all(|r| r.in_service == 8), "nothing terminated");
    assert_eq!(fewest_in_service(&out), 6);
}
