//! Terraform resources to an [`ImportedGroup`]: the arguments of the AWS provider's
//! resources are AWS's fields in snake_case, so each maps as its API field does. This file
//! reads the group, its zones and launch template; `resources` the policies, alarms,
//! schedules and hooks.

use super::Resource;
use super::args::Args;
use super::attributes;
use super::eval::{Scope, Val};
use super::resources::{hook_from, read_alarm, read_hook, read_policy, read_schedule};
use crate::import::ImportError;
use crate::import::model::{ImportedGroup, ImportedTemplate, ImportedWarmPool};
use crate::import::notes::Notes;

/// The imported group: the one `aws_autoscaling_group`, or the one `wanted` names.
pub(super) fn import(
    resources: &[Resource<'_>],
    scope: &Scope<'_>,
    wanted: Option<&str>,
    notes: &mut Notes,
) -> Result<ImportedGroup, ImportError> {
    warn_unexpanded(resources, notes);
    let group = chosen_group(resources, scope, wanted)?;
    let mut imported = read_group(group, &group_name(group, scope), resources, scope, notes)?;
    read_members(group, resources, scope, &mut imported, notes)?;
    Ok(imported)
}

/// Warns about each resource's `count` or `for_each`: asgsim reads a resource once, so the
/// user must know that per-instance values are left out.
fn warn_unexpanded(resources: &[Resource<'_>], notes: &mut Notes) {
    for r in resources {
        for meta in ["count", "for_each"] {
            if let Some(attr) = attributes(&r.block.body).find(|a| a.key.as_str() == meta) {
                notes.warn(&r.source.at(attr), &r.address(), format!("{meta} is not expanded: the resource is read once, and values that use count.index or each.* are left out (each is named below with the key to --set)"));
            }
        }
    }
}

/// A group's AWS name: its evaluated `name`, else the resource's Terraform name.
fn group_name(r: &Resource<'_>, scope: &Scope<'_>) -> String {
    scope
        .resources
        .get(&r.address())
        .and_then(|a| a.get("name"))
        .and_then(Val::as_string)
        .unwrap_or_else(|| r.name.to_string())
}

/// The `aws_autoscaling_group` to import: the only one, or the one `wanted` names (by
/// Terraform name or AWS name). The errors list the groups so the user can pick one.
fn chosen_group<'r, 'a>(
    resources: &'r [Resource<'a>],
    scope: &Scope<'_>,
    wanted: Option<&str>,
) -> Result<&'r Resource<'a>, ImportError> {
    let groups: Vec<&Resource<'_>> = resources
        .iter()
        .filter(|r| r.kind == "aws_autoscaling_group")
        .collect();
    let names: Vec<String> = groups
        .iter()
        .map(|g| format!("{} ({})", g.address(), group_name(g, scope)))
        .collect();
    let files = || {
        let mut f: Vec<&str> = resources.iter().map(|r| r.source.path.as_str()).collect();
        f.dedup();
        f.join(", ")
    };
    match (wanted, &groups[..]) {
        (_, []) => Err(ImportError::file(
            files(),
            "no resource \"aws_autoscaling_group\" in these files",
        )),
        (None, [one]) => Ok(*one),
        (None, _) => Err(ImportError::file(
            files(),
            format!(
                "{} groups ({}); pick one with --group NAME",
                groups.len(),
                names.join(", ")
            ),
        )),
        (Some(w), _) => groups
            .iter()
            .find(|g| g.name == w || group_name(g, scope) == w)
            .copied()
            .ok_or_else(|| {
                ImportError::file(
                    files(),
                    format!(
                        "no aws_autoscaling_group is named {w}; the groups are: {}",
                        names.join(", ")
                    ),
                )
            }),
    }
}

/// Adds to `imported` the policies, schedules and hooks of `group` (those whose
/// `autoscaling_group_name` is its name or a reference to it, or unset), then the alarms
/// that invoke its policies (read last, since they refer to the policies).
fn read_members(
    group: &Resource<'_>,
    resources: &[Resource<'_>],
    scope: &Scope<'_>,
    imported: &mut ImportedGroup,
    notes: &mut Notes,
) -> Result<(), ImportError> {
    let (own_name, own_ref) = (
        imported.name.clone(),
        format!("arn:terraform:{}", group.address()),
    );
    let belongs = |r: &Resource<'_>, notes: &mut Notes| -> Result<bool, ImportError> {
        let a = Args::of(r, scope, "");
        let owner = a.string("autoscaling_group_name", "", notes)?;
        Ok(owner.is_none_or(|o| o == own_name || o == own_ref))
    };
    for r in resources {
        match r.kind {
            "aws_autoscaling_policy" if belongs(r, notes)? => {
                imported.policies.push(read_policy(r, scope, notes)?)
            }
            "aws_autoscaling_schedule" if belongs(r, notes)? => {
                imported.schedules.push(read_schedule(r, scope, notes)?)
            }
            "aws_autoscaling_lifecycle_hook" if belongs(r, notes)? => {
                imported.hooks.push(read_hook(r, scope, notes)?)
            }
            _ => {}
        }
    }
    for r in resources
        .iter()
        .filter(|r| r.kind == "aws_cloudwatch_metric_alarm")
    {
        if let Some(alarm) = read_alarm(r, scope, imported, notes)? {
            imported.alarms.push(alarm);
        }
    }
    Ok(())
}

/// The `aws_autoscaling_group` resource's own arguments and blocks, as AWS's fields.
fn read_group(
    g: &Resource<'_>,
    name: &str,
    resources: &[Resource<'_>],
    scope: &Scope<'_>,
    notes: &mut Notes,
) -> Result<ImportedGroup, ImportError> {
    let a = Args::of(g, scope, "group");
    a.value("name", None, false, notes)?;
    a.value("name_prefix", None, false, notes)?;
    let mut imported = ImportedGroup {
        name: name.to_string(),
        source: format!("{} ({})", g.address(), g.source.at(g.block)),
        min_size: a.req_u64("min_size", "min_size", notes)?,
        max_size: a.req_u64("max_size", "max_size", notes)?,
        desired_capacity: a.u64("desired_capacity", "desired_capacity", notes)?,
        default_cooldown_s: a.u64("default_cooldown", "default_cooldown", notes)?,
        default_instance_warmup_s: a.u64(
            "default_instance_warmup",
            "default_instance_warmup",
            notes,
        )?,
        health_check_type: a.string("health_check_type", "health_check_type", notes)?,
        health_check_grace_period_s: a.u64(
            "health_check_grace_period",
            "health_check_grace_period",
            notes,
        )?,
        termination_policies: a.strings("termination_policies", "termination_policies", notes)?,
        protected_from_scale_in: a.bool(
            "protect_from_scale_in",
            "new_instances_protected_from_scale_in",
            notes,
        )?,
        max_instance_lifetime_s: a.u64("max_instance_lifetime", "max_instance_lifetime", notes)?,
        suspended_processes: a.strings("suspended_processes", "suspended_processes", notes)?,
        ..ImportedGroup::default()
    };
    if a.bool("capacity_rebalance", "capacity_rebalance", notes)? == Some(true) {
        notes.warn(&g.source.at(g.block), &format!("{}.capacity_rebalance", g.address()), "Capacity Rebalancing is for Spot instances, which this scenario does not have; left out");
    }
    read_zones(&a, &mut imported, notes)?;
    imported.template = read_template(&a, resources, scope, notes)?;
    if let Some(w) = a.block("warm_pool") {
        imported.warm_pool = Some(read_warm_pool(&w, g, notes)?);
    }
    for h in a.blocks("initial_lifecycle_hook") {
        imported.hooks.push(hook_from(&h, notes)?);
    }
    if let Some(m) = a.block("instance_maintenance_policy") {
        imported.instance_maintenance_policy = read_maintenance_policy(&m, notes)?;
    }
    a.leftovers(notes);
    Ok(imported)
}

/// The group's `warm_pool` block `w`.
fn read_warm_pool(
    w: &Args<'_, '_>,
    g: &Resource<'_>,
    notes: &mut Notes,
) -> Result<ImportedWarmPool, ImportError> {
    let pool = ImportedWarmPool {
        source: format!("{} ({})", w.label, g.source.path),
        min_size: w.u64("min_size", "min_size", notes)?,
        max_group_prepared_capacity: w.i64(
            "max_group_prepared_capacity",
            "max_group_prepared_capacity",
            notes,
        )?,
        pool_state: w.string("pool_state", "pool_state", notes)?,
        reuse_on_scale_in: match w.block("instance_reuse_policy") {
            Some(p) => {
                let reuse = p.bool("reuse_on_scale_in", "reuse_on_scale_in", notes)?;
                p.leftovers(notes);
                reuse
            }
            None => None,
        },
    };
    w.leftovers(notes);
    Ok(pool)
}

/// The group's `instance_maintenance_policy` block `m` as (min, max) healthy percentages
/// [%]; `None` unless both are set.
fn read_maintenance_policy(
    m: &Args<'_, '_>,
    notes: &mut Notes,
) -> Result<Option<(i64, i64)>, ImportError> {
    let lo = m.i64(
        "min_healthy_percentage",
        "instance_maintenance_policy",
        notes,
    )?;
    let hi = m.i64(
        "max_healthy_percentage",
        "instance_maintenance_policy",
        notes,
    )?;
    m.leftovers(notes);
    Ok(lo.zip(hi))
}

/// `availability_zones`, or the zones of the `aws_subnet` resources of `vpc_zone_identifier`.
fn read_zones(
    a: &Args<'_, '_>,
    imported: &mut ImportedGroup,
    notes: &mut Notes,
) -> Result<(), ImportError> {
    let zones = a.strings("availability_zones", "availability_zones", notes)?;
    if !zones.is_empty() {
        imported.availability_zones = zones;
        imported.zones_source = "availability_zones".to_string();
        return Ok(());
    }
    let subnets = a.strings("vpc_zone_identifier", "availability_zones", notes)?;
    let mut found = Vec::new();
    for subnet in &subnets {
        let address = subnet.strip_prefix("arn:terraform:");
        let zone = address
            .and_then(|addr| a.scope.resources.get(addr))
            .and_then(|attrs| attrs.get("availability_zone"))
            .and_then(Val::as_string);
        match zone {
            Some(z) if !found.contains(&z) => found.push(z),
            Some(_) => {}
            None => notes.warn(&a.source.path, &format!("{}.vpc_zone_identifier", a.label), format!("the zone of subnet {subnet} is not known (give its aws_subnet resource, or run with --set group.availability_zones=[...])")),
        }
    }
    if !found.is_empty() {
        imported.availability_zones = found;
        imported.zones_source =
            "the availability_zone of the aws_subnet resources of vpc_zone_identifier".to_string();
    }
    Ok(())
}

/// The `aws_launch_template` of the group's `launch_template` block (or its mixed instances
/// policy's, whose overrides are not modelled yet).
fn read_template(
    a: &Args<'_, '_>,
    resources: &[Resource<'_>],
    scope: &Scope<'_>,
    notes: &mut Notes,
) -> Result<Option<ImportedTemplate>, ImportError> {
    let Some(spec) = template_spec(a, notes) else {
        return Ok(None);
    };
    let id = spec.string("id", "launch_template", notes)?;
    let id = id.or(spec.string("launch_template_id", "launch_template", notes)?);
    let name = spec.string("name", "launch_template", notes)?;
    let name = name.or(spec.string("launch_template_name", "launch_template", notes)?);
    spec.value("version", None, false, notes)?;
    let template = resources.iter().find(|r| {
        r.kind == "aws_launch_template"
            && (id.as_deref() == Some(&format!("arn:terraform:{}", r.address()))
                || name.as_deref().is_some_and(|n| {
                    scope
                        .resources
                        .get(&r.address())
                        .and_then(|x| x.get("name"))
                        .and_then(Val::as_string)
                        .as_deref()
                        == Some(n)
                }))
    });
    let Some(t) = template else {
        notes.warn(
            &a.source.path,
            &spec.label,
            "its aws_launch_template is not among these files; the instance type is a default",
        );
        return Ok(None);
    };
    let ta = Args::of(t, scope, "launch_template");
    let instance_type = ta.string("instance_type", "instance_type", notes)?;
    let detailed = match ta.block("monitoring") {
        Some(m) => m.bool("enabled", "monitoring", notes)?,
        None => Some(false),
    };
    Ok(Some(ImportedTemplate {
        source: format!("{} ({})", t.address(), t.source.at(t.block)),
        instance_type,
        detailed_monitoring: detailed,
    }))
}

/// The group's `launch_template` block, else its mixed instances policy's
/// `launch_template_specification` (with a warning that the overrides are left out).
fn template_spec<'a, 's>(a: &Args<'a, 's>, notes: &mut Notes) -> Option<Args<'a, 's>> {
    match (
        a.block("launch_template"),
        a.block("mixed_instances_policy"),
    ) {
        (Some(spec), _) => Some(spec),
        (None, Some(mixed)) => {
            notes.warn(&a.source.path, &mixed.label, "a mixed instances policy: asgsim simulates the launch template's own instance type; the overrides and the instances distribution are left out");
            mixed
                .block("launch_template")?
                .block("launch_template_specification")
        }
        (None, None) => None,
    }
}
