//! Terraform resources to an [`ImportedGroup`]: the arguments of the AWS provider's
//! resources are AWS's fields in snake_case, so each maps as its API field does.

use std::cell::RefCell;
use std::collections::BTreeSet;

use hcl::edit::structure::Body;

use super::eval::{Scope, Val};
use super::{Resource, Source, attributes};
use crate::import::ImportError;
use crate::import::model::{
    ImportedAlarm, ImportedGroup, ImportedHook, ImportedPolicy, ImportedPolicyKind,
    ImportedSchedule, ImportedTemplate, ImportedWarmPool, TrackedSpec, alarm_metric,
};
use crate::import::notes::Notes;

/// Arguments that are not settings of the group's behaviour (meta-arguments, tags, names of
/// things asgsim models as its one load balancer, waits of the provider).
const NOT_SETTINGS: [&str; 20] = [
    "tags",
    "tag",
    "tags_all",
    "lifecycle",
    "depends_on",
    "provider",
    "timeouts",
    "target_group_arns",
    "load_balancers",
    "traffic_source",
    "enabled_metrics",
    "metrics_granularity",
    "wait_for_capacity_timeout",
    "wait_for_elb_capacity",
    "min_elb_capacity",
    "force_delete",
    "force_delete_warm_pool",
    "service_linked_role_arn",
    "alarm_description",
    "region",
];

/// Reads the arguments and nested blocks of one block, remembering which were read.
pub(super) struct Args<'a, 's> {
    body: &'a Body,
    source: &'a Source,
    scope: &'s Scope<'a>,
    /// `aws_autoscaling_group.web` or `aws_autoscaling_group.web.warm_pool`.
    label: String,
    /// The scenario table its values go to (`group`, `scaling_policies.up`).
    set_prefix: String,
    read: RefCell<BTreeSet<String>>,
}

impl<'a, 's> Args<'a, 's> {
    fn of(r: &Resource<'a>, scope: &'s Scope<'a>, set_prefix: &str) -> Self {
        Args {
            body: &r.block.body,
            source: r.source,
            scope,
            label: r.address(),
            set_prefix: set_prefix.to_string(),
            read: RefCell::new(BTreeSet::new()),
        }
    }

    /// The nested blocks named `key`.
    fn blocks(&self, key: &str) -> Vec<Args<'a, 's>> {
        self.read.borrow_mut().insert(key.to_string());
        let body: &'a Body = self.body;
        body.iter()
            .filter_map(|s| match s {
                hcl::edit::structure::Structure::Block(b) if b.ident.as_str() == key => Some(b),
                _ => None,
            })
            .map(|b| Args {
                body: &b.body,
                source: self.source,
                scope: self.scope,
                label: format!("{}.{key}", self.label),
                set_prefix: self.set_prefix.clone(),
                read: RefCell::new(BTreeSet::new()),
            })
            .collect()
    }

    fn block(&self, key: &str) -> Option<Args<'a, 's>> {
        self.blocks(key).into_iter().next()
    }

    /// The value of `key`: `Ok(None)` when absent; unresolved → a warning naming the file,
    /// line and the scenario key to `--set`, then `Ok(None)`; `required` makes it an error.
    fn value(
        &self,
        key: &str,
        set_key: Option<&str>,
        required: bool,
        notes: &mut Notes,
    ) -> Result<Option<Val>, ImportError> {
        self.read.borrow_mut().insert(key.to_string());
        let Some(attr) = attributes(self.body).find(|a| a.key.as_str() == key) else {
            return Ok(None);
        };
        match self.scope.eval(&attr.value) {
            Ok(Val::Null) => Ok(None),
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                let set = set_key.map_or(String::new(), |k| {
                    format!(
                        "; set it with --set {}.{k}=... when you run",
                        self.set_prefix
                    )
                });
                let message = format!("{}.{key} = {}: {}{set}", self.label, e.what, e.why);
                if required {
                    return Err(ImportError::file(
                        self.source.at(attr),
                        format!("{message}; asgsim needs this value"),
                    ));
                }
                notes.warn(
                    &self.source.at(attr),
                    &format!("{}.{key}", self.label),
                    format!("{} ({}); left out{set}", e.what, e.why),
                );
                Ok(None)
            }
        }
    }

    fn typed<T>(
        &self,
        key: &str,
        set_key: Option<&str>,
        required: bool,
        notes: &mut Notes,
        what: &str,
        convert: impl Fn(&Val) -> Option<T>,
    ) -> Result<Option<T>, ImportError> {
        match self.value(key, set_key, required, notes)? {
            None if required => Err(ImportError::file(
                self.source.at(self.body),
                format!("{} has no {key}; asgsim needs it", self.label),
            )),
            None => Ok(None),
            Some(v) => convert(&v).map(Some).ok_or_else(|| {
                let line = attributes(self.body).find(|a| a.key.as_str() == key);
                let at = line.map_or_else(|| self.source.path.clone(), |a| self.source.at(a));
                ImportError::file(
                    at,
                    format!("{}.{key} is {v:?}; expected {what}", self.label),
                )
            }),
        }
    }

    fn u64(&self, key: &str, set_key: &str, notes: &mut Notes) -> Result<Option<u64>, ImportError> {
        self.typed(
            key,
            Some(set_key),
            false,
            notes,
            "a whole number ≥ 0",
            whole,
        )
    }

    fn req_u64(&self, key: &str, set_key: &str, notes: &mut Notes) -> Result<u64, ImportError> {
        Ok(self
            .typed(key, Some(set_key), true, notes, "a whole number ≥ 0", whole)?
            .unwrap_or(0))
    }

    fn i64(&self, key: &str, set_key: &str, notes: &mut Notes) -> Result<Option<i64>, ImportError> {
        self.typed(key, Some(set_key), false, notes, "a whole number", |v| {
            v.as_f64().filter(|x| x.fract() == 0.0).map(|x| x as i64)
        })
    }

    fn f64(&self, key: &str, set_key: &str, notes: &mut Notes) -> Result<Option<f64>, ImportError> {
        self.typed(key, Some(set_key), false, notes, "a number", Val::as_f64)
    }

    fn string(
        &self,
        key: &str,
        set_key: &str,
        notes: &mut Notes,
    ) -> Result<Option<String>, ImportError> {
        self.typed(key, Some(set_key), false, notes, "a string", Val::as_string)
    }

    fn bool(
        &self,
        key: &str,
        set_key: &str,
        notes: &mut Notes,
    ) -> Result<Option<bool>, ImportError> {
        self.typed(
            key,
            Some(set_key),
            false,
            notes,
            "true or false",
            Val::as_bool,
        )
    }

    fn strings(
        &self,
        key: &str,
        set_key: &str,
        notes: &mut Notes,
    ) -> Result<Vec<String>, ImportError> {
        Ok(self
            .typed(
                key,
                Some(set_key),
                false,
                notes,
                "a list of strings",
                |v| match v {
                    Val::List(items) => items.iter().map(Val::as_string).collect(),
                    _ => None,
                },
            )?
            .unwrap_or_default())
    }

    /// Arguments and blocks no reader took: meta-arguments and tags are left out quietly
    /// listed, the rest are warnings.
    fn leftovers(&self, notes: &mut Notes) {
        let read = self.read.borrow();
        for s in self.body.iter() {
            let (key, item): (&str, &dyn hcl::edit::Span) = match s {
                hcl::edit::structure::Structure::Attribute(a) => (a.key.as_str(), a),
                hcl::edit::structure::Structure::Block(b) => (b.ident.as_str(), b),
            };
            // count and for_each are warned about once, for the resource.
            if read.contains(key) || key == "count" || key == "for_each" {
                continue;
            }
            if NOT_SETTINGS.contains(&key) {
                notes.ignore(
                    &self.source.path,
                    format!(
                        "{}.{key} (line {})",
                        self.label,
                        self.source.line(&SpanOf(item))
                    ),
                );
            } else {
                notes.warn(
                    &self.source.at(&SpanOf(item)),
                    &format!("{}.{key}", self.label),
                    "not modelled by asgsim; left out",
                );
            }
        }
    }
}

/// A `&dyn Span` as a `Span`.
struct SpanOf<'x>(&'x dyn hcl::edit::Span);

impl hcl::edit::Span for SpanOf<'_> {
    fn span(&self) -> Option<std::ops::Range<usize>> {
        self.0.span()
    }
}

fn whole(v: &Val) -> Option<u64> {
    v.as_f64()
        .filter(|x| *x >= 0.0 && x.fract() == 0.0)
        .map(|x| x as u64)
}

/// The imported group: the one `aws_autoscaling_group`, or the one `wanted` names.
pub(super) fn import(
    resources: &[Resource<'_>],
    scope: &Scope<'_>,
    wanted: Option<&str>,
    notes: &mut Notes,
) -> Result<ImportedGroup, ImportError> {
    for r in resources {
        for meta in ["count", "for_each"] {
            if let Some(attr) = attributes(&r.block.body).find(|a| a.key.as_str() == meta) {
                notes.warn(&r.source.at(attr), &r.address(), format!("{meta} is not expanded: the resource is read once, and values that use count.index or each.* are left out (each is named below with the key to --set)"));
            }
        }
    }
    let groups: Vec<&Resource<'_>> = resources
        .iter()
        .filter(|r| r.kind == "aws_autoscaling_group")
        .collect();
    let group_name = |r: &Resource<'_>| {
        scope
            .resources
            .get(&r.address())
            .and_then(|a| a.get("name"))
            .and_then(Val::as_string)
            .unwrap_or_else(|| r.name.to_string())
    };
    let names: Vec<String> = groups
        .iter()
        .map(|g| format!("{} ({})", g.address(), group_name(g)))
        .collect();
    let files = || {
        let mut f: Vec<&str> = resources.iter().map(|r| r.source.path.as_str()).collect();
        f.dedup();
        f.join(", ")
    };
    let group = match (wanted, &groups[..]) {
        (_, []) => {
            return Err(ImportError::file(
                files(),
                "no resource \"aws_autoscaling_group\" in these files",
            ));
        }
        (None, [one]) => *one,
        (None, _) => {
            return Err(ImportError::file(
                files(),
                format!(
                    "{} groups ({}); pick one with --group NAME",
                    groups.len(),
                    names.join(", ")
                ),
            ));
        }
        (Some(w), _) => *groups
            .iter()
            .find(|g| g.name == w || group_name(g) == w)
            .ok_or_else(|| {
                ImportError::file(
                    files(),
                    format!(
                        "no aws_autoscaling_group is named {w}; the groups are: {}",
                        names.join(", ")
                    ),
                )
            })?,
    };
    let mut imported = read_group(group, &group_name(group), resources, scope, notes)?;
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
        if let Some(alarm) = read_alarm(r, scope, &imported, notes)? {
            imported.alarms.push(alarm);
        }
    }
    Ok(imported)
}

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
        imported.warm_pool = Some(ImportedWarmPool {
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
        });
        w.leftovers(notes);
    }
    for h in a.blocks("initial_lifecycle_hook") {
        imported.hooks.push(hook_from(&h, notes)?);
    }
    if let Some(m) = a.block("instance_maintenance_policy") {
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
        if let (Some(lo), Some(hi)) = (lo, hi) {
            imported.instance_maintenance_policy = Some((lo, hi));
        }
        m.leftovers(notes);
    }
    a.leftovers(notes);
    Ok(imported)
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
    let spec = match (
        a.block("launch_template"),
        a.block("mixed_instances_policy"),
    ) {
        (Some(spec), _) => spec,
        (None, Some(mixed)) => {
            notes.warn(&a.source.path, &mixed.label, "a mixed instances policy: asgsim simulates the launch template's own instance type; the overrides and the instances distribution are left out");
            let Some(lt) = mixed.block("launch_template") else {
                return Ok(None);
            };
            let Some(spec) = lt.block("launch_template_specification") else {
                return Ok(None);
            };
            spec
        }
        (None, None) => return Ok(None),
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

fn read_policy(
    r: &Resource<'_>,
    scope: &Scope<'_>,
    notes: &mut Notes,
) -> Result<ImportedPolicy, ImportError> {
    let name_value = Args::of(r, scope, "")
        .string("name", "", notes)?
        .unwrap_or_else(|| r.name.to_string());
    let a = Args::of(r, scope, &format!("scaling_policies.{name_value}"));
    a.value("name", None, false, notes)?;
    a.value("autoscaling_group_name", None, false, notes)?;
    let policy_type = a
        .string("policy_type", "policy_type", notes)?
        .unwrap_or_else(|| "SimpleScaling".to_string());
    let adjustment_type = |notes: &mut Notes| -> Result<String, ImportError> {
        Ok(a.string("adjustment_type", "adjustment_type", notes)?
            .unwrap_or_else(|| "ChangeInCapacity".to_string()))
    };
    let kind = match policy_type.as_str() {
        "StepScaling" => {
            let adjustment_type = adjustment_type(notes)?;
            let mut steps = Vec::new();
            for s in a.blocks("step_adjustment") {
                let adj = s
                    .i64("scaling_adjustment", "step_adjustments", notes)?
                    .ok_or_else(|| {
                        ImportError::file(
                            &r.source.path,
                            format!("{}: a step_adjustment has no scaling_adjustment", s.label),
                        )
                    })?;
                steps.push((
                    s.f64("metric_interval_lower_bound", "step_adjustments", notes)?,
                    s.f64("metric_interval_upper_bound", "step_adjustments", notes)?,
                    adj,
                ));
                s.leftovers(notes);
            }
            ImportedPolicyKind::Step {
                adjustment_type,
                steps,
                min_adjustment_magnitude: a
                    .u64(
                        "min_adjustment_magnitude",
                        "min_adjustment_magnitude",
                        notes,
                    )?
                    .filter(|m| *m > 0),
                metric_aggregation_type: a.string(
                    "metric_aggregation_type",
                    "metric_aggregation_type",
                    notes,
                )?,
                estimated_instance_warmup_s: a.u64(
                    "estimated_instance_warmup",
                    "estimated_instance_warmup",
                    notes,
                )?,
            }
        }
        "TargetTrackingScaling" => target_tracking(&a, r, notes)?,
        "PredictiveScaling" => {
            return Err(ImportError::file(
                r.source.at(r.block),
                format!(
                    "{}: predictive scaling policies are imported from the AWS CLI's JSON (asgsim import aws); from Terraform, write its predictive_scaling_configuration in the scenario",
                    r.address()
                ),
            ));
        }
        _ => ImportedPolicyKind::Simple {
            adjustment_type: adjustment_type(notes)?,
            scaling_adjustment: a
                .i64("scaling_adjustment", "scaling_adjustment", notes)?
                .ok_or_else(|| {
                    ImportError::file(
                        r.source.at(r.block),
                        format!("{} has no scaling_adjustment", r.address()),
                    )
                })?,
            cooldown_s: a.u64("cooldown", "cooldown", notes)?,
            min_adjustment_magnitude: a
                .u64(
                    "min_adjustment_magnitude",
                    "min_adjustment_magnitude",
                    notes,
                )?
                .filter(|m| *m > 0),
        },
    };
    let policy = ImportedPolicy {
        name: name_value,
        arn: Some(format!("arn:terraform:{}", r.address())),
        source: format!("{} ({})", r.address(), r.source.at(r.block)),
        enabled: a.bool("enabled", "enabled", notes)?,
        kind,
    };
    a.leftovers(notes);
    Ok(policy)
}

fn target_tracking(
    a: &Args<'_, '_>,
    r: &Resource<'_>,
    notes: &mut Notes,
) -> Result<ImportedPolicyKind, ImportError> {
    let c = a.block("target_tracking_configuration").ok_or_else(|| {
        ImportError::file(
            r.source.at(r.block),
            format!(
                "{} is TargetTrackingScaling but has no target_tracking_configuration",
                r.address()
            ),
        )
    })?;
    let metric = match (
        c.block("predefined_metric_specification"),
        c.block("customized_metric_specification"),
    ) {
        (Some(p), _) => {
            let metric_type = p
                .string(
                    "predefined_metric_type",
                    "target_tracking_configuration",
                    notes,
                )?
                .unwrap_or_default();
            let label = p.string("resource_label", "target_tracking_configuration", notes)?;
            p.leftovers(notes);
            TrackedSpec::Predefined {
                metric_type,
                resource_label: label,
            }
        }
        (None, Some(m)) => {
            let mut dimensions = Vec::new();
            for d in m.blocks("metric_dimension") {
                if let (Some(n), Some(v)) = (
                    d.string("name", "target_tracking_configuration", notes)?,
                    d.string("value", "target_tracking_configuration", notes)?,
                ) {
                    dimensions.push((n, v));
                }
                d.leftovers(notes);
            }
            let spec = TrackedSpec::Customized {
                metric_name: m
                    .string("metric_name", "target_tracking_configuration", notes)?
                    .unwrap_or_default(),
                namespace: m.string("namespace", "target_tracking_configuration", notes)?,
                dimensions,
                statistic: m.string("statistic", "target_tracking_configuration", notes)?,
                unit: m.string("unit", "target_tracking_configuration", notes)?,
            };
            m.leftovers(notes);
            spec
        }
        (None, None) => {
            return Err(ImportError::file(
                r.source.at(r.block),
                format!(
                    "{}: target_tracking_configuration has no predefined_metric_specification or customized_metric_specification",
                    r.address()
                ),
            ));
        }
    };
    let target_value = c
        .f64(
            "target_value",
            "target_tracking_configuration.target_value",
            notes,
        )?
        .ok_or_else(|| {
            ImportError::file(
                r.source.at(r.block),
                format!(
                    "{}: target_tracking_configuration has no target_value",
                    r.address()
                ),
            )
        })?;
    let kind = ImportedPolicyKind::TargetTracking {
        metric,
        target_value,
        disable_scale_in: c.bool(
            "disable_scale_in",
            "target_tracking_configuration.disable_scale_in",
            notes,
        )?,
        estimated_instance_warmup_s: a.u64(
            "estimated_instance_warmup",
            "estimated_instance_warmup",
            notes,
        )?,
        scale_in_ratio: None,
    };
    c.leftovers(notes);
    Ok(kind)
}

fn read_alarm(
    r: &Resource<'_>,
    scope: &Scope<'_>,
    group: &ImportedGroup,
    notes: &mut Notes,
) -> Result<Option<ImportedAlarm>, ImportError> {
    let name = Args::of(r, scope, "")
        .string("alarm_name", "", notes)?
        .unwrap_or_else(|| r.name.to_string());
    let a = Args::of(r, scope, &format!("alarms.{name}"));
    a.value("alarm_name", None, false, notes)?;
    let actions = a.strings("alarm_actions", "alarm_actions", notes)?;
    let mut invoked = Vec::new();
    let mut other_groups = false;
    for action in &actions {
        match group
            .policies
            .iter()
            .find(|p| p.arn.as_deref() == Some(action.as_str()))
        {
            Some(p) => invoked.push(p.name.clone()),
            None if action.starts_with("arn:terraform:aws_autoscaling_policy.") => {
                other_groups = true
            }
            None => {}
        }
    }
    if invoked.is_empty() {
        if !other_groups {
            notes.warn_plain(format!(
                "{} ({}) invokes no scaling policy of {}; not imported",
                r.address(),
                r.source.at(r.block),
                group.name
            ));
        }
        return Ok(None);
    }
    let namespace = a.string("namespace", "namespace", notes)?;
    let metric = a
        .string("metric_name", "metric_name", notes)?
        .unwrap_or_default();
    let skip = |notes: &mut Notes, why: &str| {
        notes.warn(
            &r.source.at(r.block),
            &r.address(),
            format!("{why}; not imported"),
        );
        Ok(None)
    };
    if !a.blocks("metric_query").is_empty() {
        return skip(notes, "metric math (metric_query) is not modelled");
    }
    if a.string("extended_statistic", "statistic", notes)?
        .is_some()
    {
        return skip(notes, "percentile statistics are not modelled");
    }
    let Some(metric_name) = alarm_metric(namespace.as_deref(), &metric) else {
        return skip(
            notes,
            &format!(
                "{} {metric} is not a metric asgsim models",
                namespace.as_deref().unwrap_or("")
            ),
        );
    };
    let dimensions = match a.value("dimensions", Some("dimensions"), false, notes)? {
        Some(Val::Map(m)) => m
            .into_iter()
            .filter_map(|(k, v)| v.as_string().map(|v| (k, v)))
            .collect(),
        _ => Vec::new(),
    };
    let alarm = ImportedAlarm {
        name,
        source: format!("{} ({})", r.address(), r.source.at(r.block)),
        namespace,
        metric_name: metric_name.to_string(),
        dimensions,
        statistic: a.string("statistic", "statistic", notes)?,
        period_s: a.u64("period", "period", notes)?,
        evaluation_periods: a
            .u64("evaluation_periods", "evaluation_periods", notes)?
            .unwrap_or(1),
        datapoints_to_alarm: a.u64("datapoints_to_alarm", "datapoints_to_alarm", notes)?,
        threshold: a.f64("threshold", "threshold", notes)?.unwrap_or(0.0),
        comparison_operator: a
            .string("comparison_operator", "comparison_operator", notes)?
            .unwrap_or_default(),
        treat_missing_data: a.string("treat_missing_data", "treat_missing_data", notes)?,
        actions: invoked,
    };
    a.value("unit", None, false, notes)?;
    if a.bool("actions_enabled", "alarm_actions", notes)? == Some(false) {
        return skip(notes, "its actions are disabled (actions_enabled = false)");
    }
    a.leftovers(notes);
    Ok(Some(alarm))
}

fn read_schedule(
    r: &Resource<'_>,
    scope: &Scope<'_>,
    notes: &mut Notes,
) -> Result<ImportedSchedule, ImportError> {
    let name = Args::of(r, scope, "")
        .string("scheduled_action_name", "", notes)?
        .unwrap_or_else(|| r.name.to_string());
    let a = Args::of(r, scope, &format!("scheduled_actions.{name}"));
    a.value("scheduled_action_name", None, false, notes)?;
    a.value("autoscaling_group_name", None, false, notes)?;
    // -1 leaves a size as it is, as the provider documents.
    let size = |key: &str, notes: &mut Notes| -> Result<Option<u64>, ImportError> {
        Ok(a.i64(key, key, notes)?.and_then(|n| u64::try_from(n).ok()))
    };
    let schedule = ImportedSchedule {
        source: format!("{} ({})", r.address(), r.source.at(r.block)),
        recurrence: a.string("recurrence", "recurrence", notes)?,
        time_zone: a.string("time_zone", "time_zone", notes)?,
        start_time: a.string("start_time", "start_time", notes)?,
        end_time: a.string("end_time", "end_time", notes)?,
        min_size: size("min_size", notes)?,
        max_size: size("max_size", notes)?,
        desired_capacity: size("desired_capacity", notes)?,
        name,
    };
    let schedule = ImportedSchedule {
        start_time: schedule
            .start_time
            .clone()
            .filter(|_| schedule.recurrence.is_none()),
        ..schedule
    };
    a.leftovers(notes);
    Ok(schedule)
}

fn read_hook(
    r: &Resource<'_>,
    scope: &Scope<'_>,
    notes: &mut Notes,
) -> Result<ImportedHook, ImportError> {
    let a = Args::of(r, scope, "lifecycle_hooks");
    a.value("autoscaling_group_name", None, false, notes)?;
    let mut hook = hook_from(&a, notes)?;
    if hook.name.is_empty() {
        hook.name = r.name.to_string();
    }
    hook.source = format!("{} ({})", r.address(), r.source.at(r.block));
    Ok(hook)
}

/// The arguments of a lifecycle hook, as a resource or an `initial_lifecycle_hook` block.
fn hook_from(a: &Args<'_, '_>, notes: &mut Notes) -> Result<ImportedHook, ImportError> {
    let hook = ImportedHook {
        name: a.string("name", "name", notes)?.unwrap_or_default(),
        source: format!("{} ({})", a.label, a.source.path),
        transition: a
            .string("lifecycle_transition", "lifecycle_transition", notes)?
            .unwrap_or_default(),
        heartbeat_timeout_s: a.u64("heartbeat_timeout", "heartbeat_timeout", notes)?,
        default_result: a.string("default_result", "default_result", notes)?,
    };
    for key in [
        "notification_target_arn",
        "role_arn",
        "notification_metadata",
    ] {
        if a.value(key, None, false, notes)?.is_some() {
            notes.warn(&a.source.path, &format!("{}.{key}", a.label), "who is told of the hook is not modelled (asgsim models the hook's work by work_time); left out");
        }
    }
    a.leftovers(notes);
    Ok(hook)
}
