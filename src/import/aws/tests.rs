//! `asgsim import aws` on what the real AWS CLI printed (tests/fixtures/aws, made against
//! moto by generate.sh): every modelled field maps, the scenario validates, what cannot be
//! mapped is a warning with its JSON path, and bad input names its file and path.

use std::path::PathBuf;

use super::*;
use crate::scenario::{
    HealthCheckType, LifecycleTransition, PolicyKind, PoolState, ScalingProcess, TerminationPolicy,
    TrackedMetric, parse_scenario,
};

const CALLS: [&str; 8] = [
    "describe-auto-scaling-groups.json",
    "describe-policies.json",
    "describe-scheduled-actions.json",
    "describe-lifecycle-hooks.json",
    "describe-warm-pool.json",
    "describe-alarms.json",
    "describe-launch-template-versions.json",
    "describe-subnets.json",
];

fn fixture_texts(names: &[&str]) -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws");
    names
        .iter()
        .map(|n| (n.to_string(), std::fs::read_to_string(dir.join(n)).unwrap()))
        .collect()
}

fn import(names: &[&str], group: Option<&str>) -> Result<Imported, ImportError> {
    import_aws_texts(&fixture_texts(names), group, None)
}

fn scenario(imported: &Imported) -> crate::sim::Scenario {
    parse_scenario(
        &imported.scenario,
        std::path::Path::new("imported.toml"),
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}\n{}", imported.scenario))
}

#[test]
fn every_modelled_field_of_the_group_maps() {
    let imported = import(&CALLS, Some("code-api")).unwrap();
    let s = scenario(&imported);
    let g = &s.group;
    assert_eq!((g.min_size, g.max_size, g.desired_capacity), (2, 24, 4));
    assert_eq!(
        g.availability_zones,
        ["us-east-1a", "us-east-1b", "us-east-1c"]
    );
    assert_eq!(g.default_cooldown_ms, 300_000);
    assert_eq!(g.default_instance_warmup_ms, Some(120_000));
    assert_eq!(g.health_check_type, HealthCheckType::Elb);
    assert_eq!(g.health_check_grace_period_ms, 300_000);
    assert_eq!(
        g.termination_policies,
        [
            TerminationPolicy::OldestLaunchTemplate,
            TerminationPolicy::Default
        ]
    );
    assert!(!g.new_instances_protected_from_scale_in);
    assert_eq!(g.max_instance_lifetime_ms, Some(7 * 86_400_000));
    // The $Default version is 2: c5.xlarge, detailed monitoring.
    assert_eq!(s.launch_template.instance_type, "c5.xlarge");
    assert!(s.monitoring.detailed);
    let pool = s.warm_pool.as_ref().unwrap();
    assert_eq!(
        (pool.min_size, pool.pool_state, pool.reuse_on_scale_in),
        (2, PoolState::Stopped, true)
    );
    assert_eq!(s.lifecycle_hooks.len(), 1);
    let hook = &s.lifecycle_hooks[0];
    assert_eq!(
        (hook.name.as_str(), hook.transition),
        ("warm-cache", LifecycleTransition::Launching)
    );
    assert_eq!(hook.heartbeat_timeout_ms, 300_000);
    assert_eq!(s.scheduled_actions.len(), 2);
    assert_eq!(s.scheduled_actions[0].name, "workday-morning");
    assert_eq!(s.scheduled_actions[0].min_size, Some(4));
    assert!(
        imported
            .scenario
            .contains("time_zone = \"America/Los_Angeles\"")
    );
}

#[test]
fn policies_and_the_alarms_that_invoke_them_map() {
    let s = scenario(&import(&CALLS, Some("code-api")).unwrap());
    let names: Vec<&str> = s.scaling_policies.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["cpu-step-out", "cpu-step-in", "alb-requests"]);
    let PolicyKind::Step(out) = &s.scaling_policies[0].kind else {
        panic!()
    };
    assert_eq!(out.step_adjustments.len(), 2);
    assert_eq!(out.step_adjustments[1].scaling_adjustment, 3);
    assert_eq!(out.estimated_instance_warmup_ms, Some(120_000));
    let PolicyKind::Step(step_in) = &s.scaling_policies[1].kind else {
        panic!()
    };
    assert_eq!(step_in.min_adjustment_magnitude, Some(1));
    let PolicyKind::TargetTracking(tt) = &s.scaling_policies[2].kind else {
        panic!()
    };
    assert_eq!(tt.metric, TrackedMetric::AlbRequestCountPerTarget);
    assert_eq!(tt.target_value, 420.0);
    assert_eq!(tt.estimated_instance_warmup_ms, Some(180_000));
    // Two alarms invoke the step policies; the two managed alarms of the target-tracking
    // policy are recognised and not imported.
    let alarms: Vec<(&str, &[usize])> = s
        .alarms
        .iter()
        .map(|a| (a.name.as_str(), a.alarm_actions.as_slice()))
        .collect();
    assert_eq!(
        alarms,
        [
            ("code-api-cpu-high", &[0][..]),
            ("code-api-cpu-low", &[1][..])
        ]
    );
    let high = &s.alarms[0];
    assert_eq!(
        (
            high.evaluation_periods,
            high.datapoints_to_alarm,
            high.threshold
        ),
        (3, 2, 70.0)
    );
    assert_eq!(s.alarms[1].period_ms, 300_000);
}

#[test]
fn what_cannot_be_mapped_is_a_warning_with_its_json_path() {
    let imported = import(&CALLS, Some("code-api")).unwrap();
    let w = imported.warnings.join("\n");
    for expected in [
        "describe-alarms.json: MetricAlarms[0].OKActions: arn:aws:sns:us-east-1:123456789012:ops are not modelled",
        "describe-lifecycle-hooks.json: LifecycleHooks[0].NotificationTargetARN",
        "describe-auto-scaling-groups.json: left out, not settings of the group (identity, state, tags, times): ",
        "AutoScalingGroups[0].Instances",
        "AutoScalingGroups[0].Tags",
        "MetricAlarms[2] (the managed alarm TargetTracking-code-api-AlarmHigh",
        "ScheduledUpdateGroupActions[0].StartTime (2026-12-07T15:00:00Z, the next run)",
    ] {
        assert!(w.contains(expected), "{expected:?} not in:\n{w}");
    }
    // The other group's entries are skipped, not warned about.
    assert!(!w.contains("ScalingPolicies[3]"), "{w}");
    // Every section names the call it came from, and the defaults are marked.
    for call in [
        "describe-auto-scaling-groups (",
        "describe-launch-template-versions (",
        "describe-policies (",
        "cloudwatch describe-alarms (",
        "describe-scheduled-actions (",
        "describe-lifecycle-hooks (",
        "describe-warm-pool (",
    ] {
        assert!(
            imported.scenario.contains(&format!("# From {call}")),
            "{call}"
        );
    }
    for key in ["capacity_rps", "boot_time", "duration", "work_time"] {
        let line = imported
            .scenario
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap();
        assert!(line.contains("# asgsim default, not from AWS"), "{line}");
    }
}

#[test]
fn the_other_group_has_its_own_settings() {
    let imported = import(&CALLS, Some("batch-workers")).unwrap();
    let s = scenario(&imported);
    let mut suspended = s.group.suspended_processes.clone();
    suspended.sort_by_key(|p| p.aws_name());
    assert_eq!(
        suspended,
        [
            ScalingProcess::AzRebalance,
            ScalingProcess::ScheduledActions
        ]
    );
    assert!(s.group.new_instances_protected_from_scale_in);
    assert_eq!(s.group.availability_zones, ["us-east-1a"]);
    // Its mixed instances policy names version 1 of the template: c5.large.
    assert_eq!(s.launch_template.instance_type, "c5.large");
    let PolicyKind::Simple(p) = &s.scaling_policies[0].kind else {
        panic!()
    };
    assert_eq!((p.scaling_adjustment, p.cooldown_ms), (2, Some(120_000)));
    let w = imported.warnings.join("\n");
    assert!(
        w.contains("AutoScalingGroups[1].MixedInstancesPolicy: a mixed instances policy"),
        "{w}"
    );
    assert!(w.contains("InstancesDistribution"), "{w}");
    assert!(w.contains("policy batch-add"), "invoked by no alarm: {w}");
    // describe-warm-pool names no group; this group shows no pool, so it is the other's.
    assert!(s.warm_pool.is_none());
    assert!(
        w.contains(
            "describe-warm-pool.json: WarmPoolConfiguration: describe-warm-pool names no group"
        ),
        "{w}"
    );
}

#[test]
fn bad_input_names_the_file_the_path_and_the_fix() {
    let e = import(&CALLS, None).unwrap_err().to_string();
    assert!(
        e.contains("the files hold 2 groups (code-api, batch-workers); pick one with --group NAME"),
        "{e}"
    );
    let e = import(&CALLS, Some("web")).unwrap_err().to_string();
    assert!(
        e.contains("no group is named web; the groups are: code-api, batch-workers"),
        "{e}"
    );
    let without_policies: Vec<&str> = CALLS
        .iter()
        .copied()
        .filter(|c| !c.contains("policies"))
        .collect();
    let e = import(&without_policies, Some("code-api"))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("describe-alarms.json: MetricAlarms[0].AlarmActions[0]: alarm code-api-cpu-high invokes policy cpu-step-out of group code-api, which no describe-policies output holds"), "{e}");
    let e = import_aws_texts(
        &[("x.json".into(), "{\"Reservations\": []}".into())],
        None,
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with(
            "x.json: (top level): not a shape asgsim knows: its top-level keys are [Reservations]"
        ),
        "{e}"
    );
    let e = import_aws_texts(
        &[(
            "x.json".into(),
            "{\"AutoScalingGroups\": [{\"AutoScalingGroupName\": \"g\", \"MinSize\": \"1\"}]}"
                .into(),
        )],
        None,
        None,
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "x.json: AutoScalingGroups[0].MinSize: expected a whole number ≥ 0, found the string \"1\""
    );
    let e = import(&["describe-policies.json"], None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("no group among the files"), "{e}");
}

#[test]
fn a_managed_low_alarm_gives_the_scale_in_ratio() {
    let mut texts = fixture_texts(&CALLS);
    let alarms = &mut texts[5].1;
    *alarms = alarms.replace("\"Threshold\": 294.0", "\"Threshold\": 252.0");
    let s = scenario(&import_aws_texts(&texts, Some("code-api"), None).unwrap());
    let PolicyKind::TargetTracking(tt) = &s.scaling_policies[2].kind else {
        panic!()
    };
    assert_eq!(tt.scale_in_ratio, 0.6);
}
