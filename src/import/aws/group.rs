//! The group (`describe-auto-scaling-groups`), its launch template version
//! (`ec2 describe-launch-template-versions`), its subnets' zones (`ec2 describe-subnets`) and
//! its warm pool (`describe-warm-pool`, or the group's own `WarmPoolConfiguration`).

use super::Documents;
use crate::import::ImportError;
use crate::import::json::Node;
use crate::import::model::{ImportedGroup, ImportedTemplate, ImportedWarmPool};
use crate::import::notes::Notes;

/// Fields of a group that are not settings: identity, state, tags, times, attachments asgsim
/// models as its one load balancer.
const NOT_SETTINGS: [&str; 14] = [
    "AutoScalingGroupARN",
    "CreatedTime",
    "Instances",
    "Tags",
    "Status",
    "ServiceLinkedRoleARN",
    "EnabledMetrics",
    "LoadBalancerNames",
    "TargetGroupARNs",
    "TrafficSources",
    "PredictedCapacity",
    "WarmPoolSize",
    "Context",
    "DesiredCapacityType",
];

/// The group to import: the only one, or the one named `wanted`.
pub(super) fn choose<'a, 'd>(
    groups: &'d [Node<'a>],
    wanted: Option<&str>,
    docs: &Documents<'a>,
) -> Result<&'d Node<'a>, ImportError> {
    let names: Vec<&str> = groups
        .iter()
        .map(|g| {
            g.value()
                .get("AutoScalingGroupName")
                .and_then(|v| v.as_str())
                .unwrap_or("?")
        })
        .collect();
    let files = || {
        let mut f: Vec<&str> = docs.roots.iter().map(|r| r.file()).collect();
        f.dedup();
        f.join(", ")
    };
    match (wanted, groups) {
        (_, []) => Err(ImportError::file(
            files(),
            "no group among the files: add the output of `aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names NAME` (top-level key AutoScalingGroups)",
        )),
        (None, [one]) => Ok(one),
        (None, _) => Err(ImportError::file(
            files(),
            format!(
                "the files hold {} groups ({}); pick one with --group NAME",
                groups.len(),
                names.join(", ")
            ),
        )),
        (Some(name), _) => names
            .iter()
            .position(|n| *n == name)
            .map(|i| &groups[i])
            .ok_or_else(|| {
                ImportError::file(
                    files(),
                    format!(
                        "no group is named {name}; the groups are: {}",
                        names.join(", ")
                    ),
                )
            }),
    }
}

/// The group's own settings, its template, zones and warm pool.
pub(super) fn read_group<'a>(
    g: &Node<'a>,
    docs: &Documents<'a>,
    notes: &mut Notes,
) -> Result<ImportedGroup, ImportError> {
    let name = g.req_str("AutoScalingGroupName")?.to_string();
    let min_size = g
        .u64("MinSize")?
        .ok_or_else(|| g.error_at("MinSize", "is missing"))?;
    let max_size = g
        .u64("MaxSize")?
        .ok_or_else(|| g.error_at("MaxSize", "is missing"))?;
    let mut imported = ImportedGroup {
        source: format!("describe-auto-scaling-groups ({}: {})", g.file(), g.path()),
        min_size,
        max_size,
        desired_capacity: g.u64("DesiredCapacity")?,
        default_cooldown_s: g.u64("DefaultCooldown")?,
        default_instance_warmup_s: g.u64("DefaultInstanceWarmup")?,
        health_check_type: health_check_type(g, notes)?,
        health_check_grace_period_s: g.u64("HealthCheckGracePeriod")?,
        termination_policies: g
            .strings("TerminationPolicies")?
            .into_iter()
            .map(String::from)
            .collect(),
        protected_from_scale_in: g.bool("NewInstancesProtectedFromScaleIn")?,
        max_instance_lifetime_s: g.u64("MaxInstanceLifetime")?,
        ..ImportedGroup::default()
    };
    for process in g.array("SuspendedProcesses")? {
        imported
            .suspended_processes
            .push(process.req_str("ProcessName")?.to_string());
        process.mark("SuspensionReason");
    }
    if g.bool("CapacityRebalance")? == Some(true) {
        notes.warn(g.file(), &g.path_of("CapacityRebalance"), "Capacity Rebalancing is for Spot instances, which this scenario does not have; left out");
    }
    if let Some(policy) = g.get("InstanceMaintenancePolicy") {
        let (lo, hi) = (
            policy.i64("MinHealthyPercentage")?,
            policy.i64("MaxHealthyPercentage")?,
        );
        // -1 for both clears the policy, as AWS prints an unset one.
        if let (Some(lo), Some(hi)) = (lo, hi)
            && lo >= 0
            && hi >= 0
        {
            imported.instance_maintenance_policy = Some((lo, hi));
        }
    }
    read_zones(g, docs, notes, &mut imported)?;
    imported.template = read_template(g, docs, notes)?;
    imported.warm_pool = read_warm_pool(g, docs, notes)?;
    notes.leftovers(g, &NOT_SETTINGS);
    imported.name = name;
    Ok(imported)
}

/// `HealthCheckType`: EC2 and ELB are modelled; VPC_LATTICE and EBS checks are read as ELB
/// and EC2 with a warning.
fn health_check_type(g: &Node<'_>, notes: &mut Notes) -> Result<Option<String>, ImportError> {
    let Some(text) = g.str("HealthCheckType")? else {
        return Ok(None);
    };
    let types: Vec<&str> = text.split(',').map(str::trim).collect();
    if types.iter().any(|t| *t == "ELB" || *t == "VPC_LATTICE") {
        if types.len() > 1 || types[0] != "ELB" {
            notes.warn(
                g.file(),
                &g.path_of("HealthCheckType"),
                format!("{text}: asgsim models EC2 and ELB health checks; imported as ELB"),
            );
        }
        return Ok(Some("ELB".to_string()));
    }
    if types != ["EC2"] {
        notes.warn(
            g.file(),
            &g.path_of("HealthCheckType"),
            format!("{text}: asgsim models EC2 and ELB health checks; imported as EC2"),
        );
    }
    Ok(Some("EC2".to_string()))
}

/// `AvailabilityZones`, or the zones of the subnets of `VPCZoneIdentifier`.
fn read_zones(
    g: &Node<'_>,
    docs: &Documents<'_>,
    notes: &mut Notes,
    imported: &mut ImportedGroup,
) -> Result<(), ImportError> {
    let listed: Vec<String> = g
        .strings("AvailabilityZones")?
        .into_iter()
        .map(String::from)
        .collect();
    let subnets: Vec<&str> = g
        .str("VPCZoneIdentifier")?
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let (mut from_subnets, unknown) = subnet_zones(&subnets, docs)?;
    if !listed.is_empty() {
        imported.availability_zones = listed;
        imported.zones_source = "AvailabilityZones".to_string();
        if !unknown.is_empty() && docs.subnets.is_empty() {
            return Ok(());
        }
        if !from_subnets.is_empty() && unknown.is_empty() {
            imported.zones_source =
                "AvailabilityZones, the zones of the subnets of VPCZoneIdentifier".to_string();
        }
        return Ok(());
    }
    if !unknown.is_empty() {
        return Err(g.error_at(
            "VPCZoneIdentifier",
            format!(
                "the group lists no AvailabilityZones and subnet(s) {} are not in any describe-subnets output; add `aws ec2 describe-subnets --subnet-ids {}`",
                unknown.join(", "),
                subnets.join(" ")
            ),
        ));
    }
    if from_subnets.is_empty() {
        notes.warn(
            g.file(),
            g.path(),
            "no AvailabilityZones and no subnets: one zone, us-east-1a, is assumed",
        );
        from_subnets.push("us-east-1a".to_string());
    }
    imported.availability_zones = from_subnets;
    imported.zones_source =
        "the zones of the subnets of VPCZoneIdentifier (describe-subnets)".to_string();
    Ok(())
}

/// The distinct zones of the subnets the describe-subnets outputs hold, in first-seen order,
/// and the subnets they do not hold (whose zones are unknown, so the caller can say which
/// describe-subnets call to add).
fn subnet_zones<'s>(
    subnets: &[&'s str],
    docs: &Documents<'_>,
) -> Result<(Vec<String>, Vec<&'s str>), ImportError> {
    let mut zones = Vec::new();
    let mut unknown = Vec::new();
    for subnet in subnets {
        let described = docs
            .subnets
            .iter()
            .find(|s| s.value().get("SubnetId").and_then(|v| v.as_str()) == Some(subnet));
        match described {
            Some(s) => {
                let zone = s.req_str("AvailabilityZone")?.to_string();
                if !zones.contains(&zone) {
                    zones.push(zone);
                }
            }
            None => unknown.push(*subnet),
        }
    }
    Ok((zones, unknown))
}

/// The launch template version the group launches: `LaunchTemplate`, or the one of
/// `MixedInstancesPolicy` (whose overrides and distribution are not modelled yet).
fn read_template<'a>(
    g: &Node<'a>,
    docs: &Documents<'a>,
    notes: &mut Notes,
) -> Result<Option<ImportedTemplate>, ImportError> {
    let Some(spec) = template_spec(g, notes)? else {
        return Ok(None);
    };
    let id = spec.str("LaunchTemplateId")?;
    let name = spec.str("LaunchTemplateName")?;
    let version = spec.str("Version")?.unwrap_or("$Default");
    let same = |v: &Node<'_>| {
        let get = |k: &str| v.value().get(k).and_then(|x| x.as_str());
        (id.is_some() && get("LaunchTemplateId") == id)
            || (name.is_some() && get("LaunchTemplateName") == name)
    };
    let versions: Vec<&Node<'_>> = docs.templates.iter().filter(|v| same(v)).collect();
    let who = name.or(id).unwrap_or("?");
    let Some(v) = chosen_version(&versions, version) else {
        notes.warn(g.file(), spec.path(), format!("launch template {who} version {version} is not in any describe-launch-template-versions output; add `aws ec2 describe-launch-template-versions --launch-template-name {who}`; the instance type is a default"));
        return Ok(None);
    };
    Ok(Some(template_version(v, version, notes)?))
}

/// The group's `LaunchTemplateSpecification`: its own `LaunchTemplate`, else the one of its
/// `MixedInstancesPolicy` (with a warning that the overrides are left out). `None` for a
/// launch configuration (with a warning: asgsim reads only templates) or no template at all.
fn template_spec<'a>(g: &Node<'a>, notes: &mut Notes) -> Result<Option<Node<'a>>, ImportError> {
    match (g.get("LaunchTemplate"), g.get("MixedInstancesPolicy")) {
        (Some(t), _) => Ok(Some(t)),
        (None, Some(mixed)) => {
            let Some(template) = mixed.get("LaunchTemplate") else {
                notes.leftovers(&mixed, &[]);
                return Ok(None);
            };
            let spec = template.get("LaunchTemplateSpecification");
            notes.leftovers(&template, &[]);
            notes.leftovers(&mixed, &[]);
            if spec.is_some() {
                notes.warn(g.file(), mixed.path(), "a mixed instances policy: asgsim simulates the launch template's own instance type; the overrides and the instances distribution (listed apart) are left out");
            }
            Ok(spec)
        }
        (None, None) => {
            if let Some(name) = g.str("LaunchConfigurationName")? {
                notes.warn(g.file(), &g.path_of("LaunchConfigurationName"), format!("launch configuration {name}: asgsim reads launch templates (describe-launch-template-versions); the instance type is a default"));
            }
            Ok(None)
        }
    }
}

/// The template version a group's `Version` selects among the described `versions` of its
/// template: `$Latest` the highest number, `$Default` the one marked default, else the one
/// with that number.
fn chosen_version<'v, 'a>(versions: &[&'v Node<'a>], version: &str) -> Option<&'v Node<'a>> {
    let chosen = match version {
        "$Latest" => versions
            .iter()
            .max_by_key(|v| v.value().get("VersionNumber").and_then(|n| n.as_u64())),
        "$Default" => versions
            .iter()
            .find(|v| v.value().get("DefaultVersion").and_then(|b| b.as_bool()) == Some(true)),
        number => versions.iter().find(|v| {
            v.value()
                .get("VersionNumber")
                .and_then(|n| n.as_u64())
                .map(|n| n.to_string())
                .as_deref()
                == Some(number)
        }),
    };
    chosen.copied()
}

/// Settings of a launch template version that asgsim reads; the rest (AMI, networking, ...)
/// describes the instance, not its capacity, and is left out without a word.
fn template_version(
    v: &Node<'_>,
    asked: &str,
    notes: &mut Notes,
) -> Result<ImportedTemplate, ImportError> {
    let number = v.u64("VersionNumber")?.unwrap_or(0);
    let template_name = v.str("LaunchTemplateName")?.unwrap_or("?");
    let data = v.get("LaunchTemplateData");
    let instance_type = match &data {
        Some(d) => d.str("InstanceType")?.map(String::from),
        None => None,
    };
    let detailed = match &data {
        Some(d) => match d.get("Monitoring") {
            Some(m) => m.bool("Enabled")?,
            // A launch template that says nothing launches with basic monitoring.
            None => Some(false),
        },
        None => None,
    };
    if let Some(d) = &data
        && instance_type.is_none()
        && d.get("InstanceRequirements").is_some()
    {
        notes.warn(v.file(), &d.path_of("InstanceRequirements"), "attribute-based instance type selection is not modelled; the instance type is a default");
    }
    Ok(ImportedTemplate {
        source: format!(
            "describe-launch-template-versions ({}: {}, {template_name} version {number}, the group's {asked})",
            v.file(),
            v.path()
        ),
        instance_type,
        detailed_monitoring: detailed,
    })
}

/// The warm pool: a `describe-warm-pool` output, else the group's `WarmPoolConfiguration`.
fn read_warm_pool<'a>(
    g: &Node<'a>,
    docs: &Documents<'a>,
    notes: &mut Notes,
) -> Result<Option<ImportedWarmPool>, ImportError> {
    let own = g.get("WarmPoolConfiguration");
    // describe-warm-pool names no group: it is this group's when the group shows a pool, or
    // when it is the only group.
    let pool_file = docs
        .warm_pools
        .first()
        .filter(|_| own.is_some() || docs.groups.len() == 1);
    if let (Some(pool), None) = (docs.warm_pools.first(), pool_file) {
        notes.warn(
            pool.file(),
            pool.path(),
            "describe-warm-pool names no group, and describe-auto-scaling-groups shows no warm pool for this one: taken as another group's; not imported",
        );
    }
    let (node, call) = match (pool_file, &own) {
        (Some(pool), _) => (pool, "describe-warm-pool"),
        (None, Some(pool)) => (pool, "describe-auto-scaling-groups"),
        (None, None) => return Ok(None),
    };
    if let (Some(own), true) = (&own, pool_file.is_some()) {
        notes.ignore(own.file(), own.path().to_string());
    }
    let pool = ImportedWarmPool {
        source: format!("{call} ({}: {})", node.file(), node.path()),
        min_size: node.u64("MinSize")?,
        max_group_prepared_capacity: node.i64("MaxGroupPreparedCapacity")?,
        pool_state: node.str("PoolState")?.map(String::from),
        reuse_on_scale_in: match node.get("InstanceReusePolicy") {
            Some(p) => p.bool("ReuseOnScaleIn")?,
            None => None,
        },
    };
    notes.leftovers(node, &["Status"]);
    Ok(Some(pool))
}
