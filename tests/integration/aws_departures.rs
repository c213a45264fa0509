//! Seven places where asgsim once departed from AWS, each through a scenario file under
//! `tests/scenarios/` with numbers worked by hand, naming the AWS page it follows.

use asgsim::records::{ActivityKind, ActivityOrigin, TimelineRow};
use asgsim::run::RunOutput;

use crate::common::run_file;

fn run(file: &str, sets: &[&str]) -> RunOutput {
    run_file(&format!("tests/scenarios/{file}"), sets)
}

/// The timeline row at `time_s`.
fn row(out: &RunOutput, time_s: u64) -> &TimelineRow {
    let at = time_s * 1000;
    out.records
        .timeline
        .iter()
        .find(|r| r.time_ms == at)
        .unwrap_or_else(|| panic!("no row at {time_s} s"))
}

/// (min, max, desired) of the row at `time_s`.
fn sizes(out: &RunOutput, time_s: u64) -> (u32, u32, u32) {
    let r = row(out, time_s);
    (r.min_size, r.max_size, r.desired_capacity)
}

/// Departure 1: A scheduled action sets the sizes it names, as UpdateAutoScalingGroup does (UG:
/// ec2-auto-scaling-scheduled-scaling; API UpdateAutoScalingGroup): min 2 / max 10 / desired 4,
/// only `min_size = 6` at 01:00 ⇒ desired 6 from 01:00; only a max below desired lowers it;
/// min and max without desired move it into the new range; a desired it sets outside the
/// resulting range is rejected and changes nothing.
#[test]
fn scheduled_actions_that_name_only_some_sizes() {
    let out = run("scheduled-min-only.toml", &[]);
    assert_eq!(sizes(&out, 3540), (2, 10, 4));
    assert_eq!(
        sizes(&out, 3600),
        (6, 10, 6),
        "min 6 raises desired 4 to 6 at 01:00"
    );
    let up = &out.records.activities;
    assert_eq!(
        up.iter().filter(|a| a.kind == ActivityKind::Launch).count(),
        2
    );
    assert!(
        up.iter()
            .all(|a| a.time_ms == 3_600_000 && a.desired_after == 6)
    );

    let max_only = [
        "scheduled_actions.raise-floor.min_size=2",
        "scheduled_actions.raise-floor.max_size=3",
    ];
    let lowered = run("scheduled-min-only.toml", &max_only);
    assert_eq!(
        sizes(&lowered, 3600),
        (2, 3, 3),
        "max 3 lowers desired 4 to 3"
    );

    let both = [
        "scheduled_actions.raise-floor.min_size=5",
        "scheduled_actions.raise-floor.max_size=8",
    ];
    assert_eq!(
        sizes(&run("scheduled-min-only.toml", &both), 3600),
        (5, 8, 5)
    );

    let rejected = [
        "scheduled_actions.raise-floor.max_size=3",
        "scheduled_actions.raise-floor.desired_capacity=3",
        "scheduled_actions.raise-floor.min_size=1",
    ];
    let ok = run("scheduled-min-only.toml", &rejected);
    assert_eq!(
        sizes(&ok, 3600),
        (1, 3, 3),
        "a consistent action is applied"
    );
    let outside = [
        "scheduled_actions.raise-floor.min_size=6",
        "scheduled_actions.raise-floor.desired_capacity=7",
        "scheduled_actions.raise-floor.max_size=6",
    ];
    let err = asgsim::scenario::load_scenario_file(
        &crate::common::repo_root().join("tests/scenarios/scheduled-min-only.toml"),
        &outside.map(String::from),
    );
    assert!(err.is_err(), "desired 7 above max 6 is rejected when read");
}

/// Departure 2: Instances protected from scale-in are not replaced for MaxInstanceLifetime (UG:
/// asg-max-instance-lifetime): two protected instances with a 1-day lifetime are still the
/// group's two instances after 2 days.
#[test]
fn protected_instances_are_not_replaced_for_lifetime() {
    let out = run("lifetime-protected.toml", &[]);
    assert!(
        out.records.activities.is_empty(),
        "{:#?}",
        out.records.activities
    );
    assert_eq!(out.records.instances.len(), 2);
    assert!(
        out.records
            .instances
            .iter()
            .all(|i| i.termination_time_ms.is_none())
    );
    let unprotected = run(
        "lifetime-protected.toml",
        &["group.new_instances_protected_from_scale_in=false"],
    );
    let lifetime = unprotected.records.activities.iter();
    let lifetime = lifetime.filter(|a| a.origin == ActivityOrigin::MaxInstanceLifetime);
    assert!(
        lifetime.count() >= 4,
        "without protection both are replaced"
    );
}

/// Departure 3: While Launch is suspended nothing is replaced for lifetime: the two instances past
/// their 1-day lifetime keep serving from 24 h until Launch resumes at 25 h, and are replaced
/// then (UG: asg-max-instance-lifetime; UG: as-suspend-resume-processes).
#[test]
fn lifetime_replacement_waits_while_launch_is_suspended() {
    let out = run("lifetime-launch-suspended.toml", &[]);
    for t in (24 * 3600..25 * 3600).step_by(60) {
        assert_eq!(row(&out, t).in_service, 2, "at {t} s");
    }
    let replaced: Vec<_> = out
        .records
        .activities
        .iter()
        .filter(|a| a.origin == ActivityOrigin::MaxInstanceLifetime)
        .collect();
    assert!(!replaced.is_empty());
    assert!(
        replaced.iter().all(|a| a.time_ms >= 25 * 3_600_000),
        "{replaced:#?}"
    );
    let ended = out.records.instances.iter();
    let ended = ended.filter(|i| i.termination_reason.is_some());
    assert_eq!(ended.count(), 2, "both are replaced once Launch resumes");
}

/// Departure 4: Health replacement batches wait for the new instances' health checks and warm-up (UG:
/// ec2-auto-scaling-health-checks): 6 failures found at 660 s, 2 at a time (10% of 20), boot
/// 60 s and warm-up 300 s: batches at 660 s, then ≥ 1020 s, then ≥ 1380 s (not 660, 720, 780).
#[test]
fn replacement_batches_wait_for_warm_up() {
    let out = run("replacement-warmup.toml", &[]);
    let mut batches: Vec<(u64, usize)> = Vec::new();
    let terminations = out.records.activities.iter().filter(|a| {
        a.origin == ActivityOrigin::HealthReplacement && a.kind == ActivityKind::Terminate
    });
    for a in terminations {
        let t = a.time_ms / 1000;
        match batches.last_mut() {
            Some((at, n)) if *at == t => *n += 1,
            _ => batches.push((t, 1)),
        }
    }
    assert_eq!(batches.len(), 3, "{batches:?}");
    assert!(batches.iter().all(|(_, n)| *n == 2), "{batches:?}");
    assert_eq!(batches[0].0, 660);
    assert!(batches[1].0 >= 1020, "{batches:?}");
    assert!(batches[2].0 >= batches[1].0 + 360, "{batches:?}");
}

/// Departure 5: With ReuseOnScaleIn, a scaled-in instance goes back to the warm pool whatever its
/// draining time (UG: ec2-auto-scaling-warm-pools): deregistration delay 0, desired 8 → 6:
/// nothing is terminated and no new instance is launched into the pool.
#[test]
fn reuse_on_scale_in_without_draining() {
    let out = run("warm-pool-reuse-no-drain.toml", &[]);
    let ids: Vec<&str> = out
        .records
        .instances
        .iter()
        .map(|i| i.instance_id.as_str())
        .collect();
    assert_eq!(
        ids.len(),
        10,
        "8 in the group and 2 in the pool, none new: {ids:?}"
    );
    assert!(
        out.records
            .instances
            .iter()
            .all(|i| i.termination_time_ms.is_none())
    );
    let back = out.records.activities.iter();
    assert_eq!(
        back.filter(|a| a.kind == ActivityKind::Terminate).count(),
        2
    );
    assert_eq!(
        row(&out, 900).warm_pool,
        Some(4),
        "the two scaled in are in the pool"
    );
    assert_eq!(row(&out, 900).in_service, 6);
}

/// Departure 6: A simple scale-in's cooldown starts when draining ends and does not wait for terminate
/// lifecycle hooks (UG: ec2-auto-scaling-scaling-cooldowns): 6 → 5 at 60 s, 5 → 4 at 420 s
/// (60 + 300 s draining + 60 s cooldown), not at 1020 s.
#[test]
fn simple_cooldown_starts_when_draining_ends() {
    let out = run("cooldown-terminate-hook.toml", &[]);
    let decisions: Vec<(u64, u32, u32)> = out
        .records
        .activities
        .iter()
        .map(|a| (a.time_ms / 1000, a.desired_before, a.desired_after))
        .collect();
    assert_eq!(decisions[..2], [(60, 6, 5), (420, 5, 4)], "{decisions:?}");
    // The hook still holds each instance 600 s after its draining.
    let first = out
        .records
        .instances
        .iter()
        .find(|i| i.termination_time_ms.is_some());
    assert_eq!(first.and_then(|i| i.termination_time_ms), Some(960_000));
}

/// Departure 7: An instance back in the warm pool serves nothing (UG: ec2-auto-scaling-warm-pools): in
/// every row the load served is at most what the InService instances can serve, and served
/// plus dropped is the load, while instances go back and forth between group and pool.
#[test]
fn instances_in_the_warm_pool_serve_nothing() {
    let out = run("warm-pool-reuse-serving.toml", &[]);
    let reused = out.records.activities.iter();
    let reused = reused.filter(|a| a.kind == ActivityKind::Launch && a.description.contains("i-"));
    assert!(reused.count() > 0);
    let back_and_forth = out.records.instances.iter().filter(|i| {
        let id = i.instance_id.as_str();
        let mine = out
            .records
            .activities
            .iter()
            .filter(|a| a.instance_id.as_deref() == Some(id));
        mine.filter(|a| a.kind == ActivityKind::Terminate).count() >= 2
    });
    assert!(
        back_and_forth.count() > 0,
        "some instance is scaled in twice: reused"
    );
    for r in &out.records.timeline {
        let can_serve = f64::from(r.in_service_max) * 100.0;
        assert!(
            r.served_rps <= can_serve + 1e-6,
            "at {} s: {} served by {}",
            r.time_ms / 1000,
            r.served_rps,
            r.in_service
        );
        assert!((r.served_rps + r.dropped_rps - r.load_rps).abs() < 1e-6);
        if let Some(pool) = r.warm_pool {
            assert!(r.in_service + pool <= 24 + 2, "at {} s", r.time_ms / 1000);
        }
    }
}
