//! `asgsim import terraform` on a module with variables, tfvars, locals and references
//! between resources (tests/fixtures/terraform/module), and on one whose values Terraform
//! alone can know (tests/fixtures/terraform/unresolved).

use std::path::PathBuf;

use super::*;
use crate::scenario::{
    HealthCheckType, LifecycleTransition, PolicyKind, PoolState, ScalingProcess, TrackedMetric,
    parse_scenario,
};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform")
        .join(name)
}

#[test]
fn a_module_with_variables_tfvars_locals_and_references_maps() {
    let imported = import_terraform(&[fixture("module")], None, &[], None).unwrap();
    let s = parse_scenario(&imported.scenario, Path::new("x.toml"), &[]).unwrap();
    // local.name = "checkout-${var.env}", env from terraform.tfvars.
    assert_eq!(s.name, "checkout-prod");
    // var.sizes from terraform.tfvars; var.cpu_high from prod.auto.tfvars.
    assert_eq!(
        (s.group.min_size, s.group.max_size, s.group.desired_capacity),
        (2, 12, 3)
    );
    assert_eq!(s.alarms[0].threshold, 72.0);
    // Zones from the aws_subnet resources vpc_zone_identifier names, var.zones's default.
    assert_eq!(s.group.availability_zones, ["eu-west-1a", "eu-west-1b"]);
    assert_eq!(s.group.default_cooldown_ms, 240_000);
    assert_eq!(s.group.default_instance_warmup_ms, Some(90_000));
    assert_eq!(s.group.health_check_type, HealthCheckType::Elb);
    assert_eq!(s.group.max_instance_lifetime_ms, Some(14 * 86_400_000));
    assert_eq!(s.group.suspended_processes, [ScalingProcess::AzRebalance]);
    // The launch template the group's block references.
    assert_eq!(s.launch_template.instance_type, "m5.large");
    assert!(s.monitoring.detailed);
    let pool = s.warm_pool.as_ref().unwrap();
    assert_eq!(
        (
            pool.min_size,
            pool.pool_state,
            pool.max_group_prepared_capacity
        ),
        (1, PoolState::Hibernated, Some(6))
    );
    // Policies by their evaluated names; alarms tied through aws_autoscaling_policy.X.arn.
    let names: Vec<&str> = s.scaling_policies.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "checkout-prod-out",
            "checkout-prod-in",
            "checkout-prod-requests"
        ]
    );
    let PolicyKind::Step(step) = &s.scaling_policies[0].kind else {
        panic!()
    };
    assert_eq!(step.step_adjustments.len(), 2);
    let PolicyKind::TargetTracking(tt) = &s.scaling_policies[2].kind else {
        panic!()
    };
    assert_eq!(
        (tt.metric.clone(), tt.target_value),
        (TrackedMetric::AlbRequestCountPerTarget, 600.0)
    );
    assert_eq!(s.alarms[0].alarm_actions, [0]);
    assert_eq!(s.alarms[1].alarm_actions, [1]);
    // Schedules: -1 leaves a size alone; a one-off keeps its start and end.
    assert_eq!(s.scheduled_actions[0].min_size, Some(2));
    assert_eq!(s.scheduled_actions[0].max_size, None);
    assert_eq!(s.scheduled_actions[1].desired_capacity, Some(8));
    // The group's initial_lifecycle_hook and the hook resource.
    let hooks: Vec<(&str, LifecycleTransition)> = s
        .lifecycle_hooks
        .iter()
        .map(|h| (h.name.as_str(), h.transition))
        .collect();
    assert_eq!(
        hooks,
        [
            ("drain-sessions", LifecycleTransition::Terminating),
            ("warm-cache", LifecycleTransition::Launching)
        ]
    );
    // Sections name the resource and its line.
    assert!(
        imported
            .scenario
            .contains("# From aws_autoscaling_group.app ("),
        "{}",
        imported.scenario
    );
    assert!(
        imported.scenario.contains("main.tf:28)."),
        "{}",
        imported.scenario
    );
    let w = imported.warnings.join("\n");
    assert!(w.contains("aws_autoscaling_group.app.tag (line 65)"), "{w}");
}

#[test]
fn var_on_the_command_line_wins_over_tfvars() {
    let vars = [
        "env=canary".to_string(),
        "sizes={ min = 1, max = 3 }".to_string(),
    ];
    let imported = import_terraform(&[fixture("module")], None, &vars, None).unwrap();
    let s = parse_scenario(&imported.scenario, Path::new("x.toml"), &[]).unwrap();
    assert_eq!(s.name, "checkout-canary");
    assert_eq!((s.group.min_size, s.group.max_size), (1, 3));
}

#[test]
fn what_terraform_alone_knows_is_reported_with_file_line_and_key() {
    let e = import_terraform(&[fixture("unresolved")], None, &[], None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("unresolved/main.tf:16: aws_autoscaling_group.web.max_size = var.max: variable max has no default"), "{e}");
    assert!(e.contains("--set group.max_size="), "{e}");
    let imported =
        import_terraform(&[fixture("unresolved")], None, &["max=6".to_string()], None).unwrap();
    let w = imported.warnings.join("\n");
    assert!(
        w.contains("unresolved/main.tf:13: aws_autoscaling_group.web: count is not expanded"),
        "{w}"
    );
    assert!(w.contains("unresolved/main.tf:18: aws_autoscaling_group.web.health_check_type: var.max > 10 ? \"ELB\" : \"EC2\""), "{w}");
    assert!(w.contains("--set group.health_check_type=..."), "{w}");
    assert!(w.contains("main.tf:17: aws_autoscaling_group.web.vpc_zone_identifier: data.aws_subnets.app.ids (data sources"), "{w}");
}

#[test]
fn hcl_syntax_errors_give_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.tf");
    std::fs::write(
        &path,
        "resource \"aws_autoscaling_group\" \"x\" {\n  min_size = \n}\n",
    )
    .unwrap();
    let e = import_terraform(&[path], None, &[], None).unwrap_err();
    assert!(e.file.ends_with("bad.tf"), "{e}");
    assert!(
        e.location.starts_with("line 2, column") || e.location.starts_with("line 3, column"),
        "{e}"
    );
    assert!(e.message.starts_with("HCL syntax error"), "{e}");
    let e = import_terraform(&[dir.path().join("none")], None, &[], None).unwrap_err();
    assert!(e.to_string().contains("none"), "{e}");
}
