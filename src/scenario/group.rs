//! `\[group\]`: capacity bounds and group-level settings, with AWS's rules and defaults.

use super::fields::{Reader, as_choice};
use super::model::{GroupConfig, HealthCheckType, MaintenancePolicy, TerminationPolicy};
use super::processes::read_processes;
use crate::time::{MS_PER_DAY, MS_PER_S, SimDuration};

/// AWS `TerminationPolicies` values, as spelled in the API.
const TERMINATION_POLICIES: [(&str, TerminationPolicy); 7] = [
    ("OldestInstance", TerminationPolicy::OldestInstance),
    ("NewestInstance", TerminationPolicy::NewestInstance),
    (
        "OldestLaunchTemplate",
        TerminationPolicy::OldestLaunchTemplate,
    ),
    (
        "OldestLaunchConfiguration",
        TerminationPolicy::OldestLaunchConfiguration,
    ),
    (
        "ClosestToNextInstanceHour",
        TerminationPolicy::ClosestToNextInstanceHour,
    ),
    ("AllocationStrategy", TerminationPolicy::AllocationStrategy),
    ("Default", TerminationPolicy::Default),
];

/// Reads `\[group\]`.
pub(super) fn read_group(mut r: Reader<'_>) -> Option<GroupConfig> {
    let (min_size, max_size, desired_capacity) = read_capacity(&mut r);
    let availability_zones = read_zones(&mut r);
    let default_cooldown_ms = r.duration("default_cooldown").or(300 * MS_PER_S);
    let default_instance_warmup_ms = r
        .duration("default_instance_warmup")
        .check(
            |ms| *ms <= 3600 * MS_PER_S,
            |_| "must lie between 0s and 3600s, as AWS requires".to_string(),
        )
        .optional();
    let health_check_type = r
        .choice(
            "health_check_type",
            &[("EC2", HealthCheckType::Ec2), ("ELB", HealthCheckType::Elb)],
        )
        .or(HealthCheckType::Ec2);
    let health_check_grace_period_ms = r.duration("health_check_grace_period").or(0);
    let termination_policies = read_termination_policies(&mut r);
    let new_instances_protected_from_scale_in = read_protection(&mut r);
    let max_instance_lifetime_ms = read_max_instance_lifetime(&mut r);
    let suspended_processes = read_processes(&mut r, "suspended_processes").or_else(Vec::new);
    let instance_maintenance_policy = read_maintenance_policy(&mut r);
    r.finish();
    Some(GroupConfig {
        min_size: min_size?,
        max_size: max_size?,
        desired_capacity: desired_capacity?,
        availability_zones: availability_zones?,
        default_cooldown_ms: default_cooldown_ms?,
        default_instance_warmup_ms: default_instance_warmup_ms?,
        health_check_type: health_check_type?,
        health_check_grace_period_ms: health_check_grace_period_ms?,
        termination_policies: termination_policies?,
        new_instances_protected_from_scale_in: new_instances_protected_from_scale_in?,
        max_instance_lifetime_ms: max_instance_lifetime_ms?,
        suspended_processes: suspended_processes?,
        instance_maintenance_policy: instance_maintenance_policy?,
    })
}

/// `new_instances_protected_from_scale_in`, or `protect_from_scale_in` as Terraform spells it
/// (not both); default false.
fn read_protection(r: &mut Reader<'_>) -> Option<bool> {
    let ours = r.boolean("new_instances_protected_from_scale_in");
    let terraform = r.boolean("protect_from_scale_in");
    if ours.is_present() && terraform.is_present() {
        r.report(
            "protect_from_scale_in",
            "protect_from_scale_in is Terraform's name for new_instances_protected_from_scale_in; give only one",
        );
        return None;
    }
    let (ours, terraform) = (ours.optional(), terraform.optional());
    Some(ours?.or(terraform?).unwrap_or(false))
}

/// `instance_maintenance_policy = { min_healthy_percentage, max_healthy_percentage }`: both
/// required, 0–100 and 100–200, at most 100 apart (AWS's rules).
fn read_maintenance_policy(r: &mut Reader<'_>) -> Option<Option<MaintenancePolicy>> {
    const KEY: &str = "instance_maintenance_policy";
    if r.raw(KEY).is_none() {
        return Some(None);
    }
    let mut m = r.child(KEY)?;
    let min = m
        .count("min_healthy_percentage")
        .check(
            |p| *p <= 100,
            |p| format!("must lie between 0 and 100, found {p}"),
        )
        .required();
    let max = m
        .count("max_healthy_percentage")
        .check(
            |p| (100..=200).contains(p),
            |p| format!("must lie between 100 and 200, found {p}"),
        )
        .required();
    m.finish();
    let (min, max) = (min?, max?);
    if max - min > 100 {
        r.report(
            KEY,
            format!("max_healthy_percentage {max} − min_healthy_percentage {min} must be at most 100, as AWS requires"),
        );
        return None;
    }
    Some(Some(MaintenancePolicy {
        min_healthy_percentage: min,
        max_healthy_percentage: max,
    }))
}

/// `min_size`, `max_size`, `desired_capacity` (default `min_size`) and min ≤ desired ≤ max.
fn read_capacity(r: &mut Reader<'_>) -> (Option<u32>, Option<u32>, Option<u32>) {
    let min = r.count("min_size").required();
    let max = r.count("max_size").required();
    let desired = r.count("desired_capacity").optional();
    let (Some(lo), Some(hi)) = (min, max) else {
        return (min, max, desired.and_then(|d| d.or(min)));
    };
    if lo > hi {
        r.report(
            "min_size",
            format!("min_size {lo} > max_size {hi}; min_size must not exceed max_size"),
        );
        return (None, None, None);
    }
    let desired = match desired {
        Some(Some(d)) if d < lo || d > hi => {
            r.report(
                "desired_capacity",
                format!("desired_capacity {d} must lie between min_size {lo} and max_size {hi}"),
            );
            None
        }
        Some(d) => Some(d.unwrap_or(lo)),
        None => None,
    };
    (min, max, desired)
}

/// `availability_zones`: non-empty, unique, default `\["us-east-1a"\]`.
fn read_zones(r: &mut Reader<'_>) -> Option<Vec<String>> {
    let zones = r
        .string_list("availability_zones")
        .check(
            |z| !z.is_empty(),
            |_| "must name at least one Availability Zone, such as [\"us-east-1a\"]".to_string(),
        )
        .check(
            |z| z.iter().all(|s| !s.trim().is_empty()),
            |_| "an Availability Zone name is empty".to_string(),
        )
        .check(
            |z| first_duplicate(z).is_none(),
            |z| {
                let dup = first_duplicate(z).unwrap_or_default();
                format!("{dup} is listed twice; each Availability Zone may appear once")
            },
        );
    zones.or_else(|| vec!["us-east-1a".to_string()])
}

/// The first item that appears twice (checked with a hash set: linear in the items).
pub(super) fn first_duplicate<T: Eq + std::hash::Hash + Clone>(items: &[T]) -> Option<T> {
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    items.iter().find(|x| !seen.insert(*x)).cloned()
}

/// `termination_policies`: AWS names, no duplicates, `Default` only last.
fn read_termination_policies(r: &mut Reader<'_>) -> Option<Vec<TerminationPolicy>> {
    let what = "an array of termination policy names, such as [\"OldestInstance\", \"Default\"]";
    let field = r.get("termination_policies", what, |v| {
        let items = v
            .as_array()
            .ok_or_else(|| super::fields::expected(what, v))?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                as_choice(item, &TERMINATION_POLICIES).map_err(|e| format!("item {i}: {e}"))
            })
            .collect::<Result<Vec<_>, String>>()
    });
    field
        .check(
            |p| first_duplicate(p).is_none(),
            |p| {
                let dup = first_duplicate(p).map_or("", |d| d.aws_name());
                format!("{dup} is listed twice; each termination policy may appear once")
            },
        )
        .check(
            |p| {
                p.iter()
                    .position(|x| *x == TerminationPolicy::Default)
                    .is_none_or(|i| i + 1 == p.len())
            },
            |_| "Default must be the last termination policy, as AWS requires (it decides after the others)".to_string(),
        )
        .or_else(|| vec![TerminationPolicy::Default])
}

/// `max_instance_lifetime`: 0 means unset; otherwise at least one day, as AWS requires.
fn read_max_instance_lifetime(r: &mut Reader<'_>) -> Option<Option<SimDuration>> {
    r.duration("max_instance_lifetime")
        .check(
            |ms| *ms == 0 || *ms >= MS_PER_DAY,
            |_| "must be 0 (unset) or at least 1d (86400 s), as AWS requires".to_string(),
        )
        .optional()
        .map(|ms| ms.filter(|ms| *ms > 0))
}
