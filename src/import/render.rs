//! An [`ImportedGroup`] written as a scenario: AWS's values under asgsim's keys, a comment per
//! section naming where it came from, and a marked default, with a word on what to do, for
//! each thing AWS does not hold (what an instance serves, how long it boots, the load).

use std::fmt::Write as _;

use toml::Value;
use toml::value::Table;

use super::model::{
    ImportedAlarm, ImportedGroup, ImportedHook, ImportedPolicy, ImportedPolicyKind,
    ImportedSchedule, ImportedStep, ImportedWarmPool, TrackedSpec,
};

/// How a value that AWS does not hold is marked in the scenario.
pub(crate) const DEFAULT_MARK: &str = "asgsim default, not from AWS";

/// Requests per second one instance serves at 100% CPU when nothing says \[req/s\].
const DEFAULT_CAPACITY_RPS: f64 = 100.0;

/// One `key = value  # comment` line.
#[derive(Debug, Clone)]
struct Line {
    key: String,
    value: Value,
    comment: Option<String>,
}

/// One table of the scenario: comment lines, its header, its lines.
#[derive(Debug, Clone, Default)]
struct Section {
    comments: Vec<String>,
    header: String,
    lines: Vec<Line>,
}

impl Section {
    fn new(header: &str, comment: impl Into<String>) -> Self {
        Section {
            comments: vec![comment.into()],
            header: header.to_string(),
            lines: Vec::new(),
        }
    }

    fn set(&mut self, key: &str, value: impl Into<Value>) -> &mut Self {
        self.lines.push(Line {
            key: key.to_string(),
            value: value.into(),
            comment: None,
        });
        self
    }

    fn set_opt<T: Into<Value>>(&mut self, key: &str, value: Option<T>) -> &mut Self {
        if let Some(v) = value {
            self.set(key, v);
        }
        self
    }

    /// A value with a comment after it.
    fn note(
        &mut self,
        key: &str,
        value: impl Into<Value>,
        comment: impl Into<String>,
    ) -> &mut Self {
        self.lines.push(Line {
            key: key.to_string(),
            value: value.into(),
            comment: Some(comment.into()),
        });
        self
    }

    fn render(&self, out: &mut String) {
        for c in &self.comments {
            for line in c.lines() {
                let _ = writeln!(out, "# {line}");
            }
        }
        if !self.header.is_empty() {
            let _ = writeln!(out, "{}", self.header);
        }
        for line in &self.lines {
            let key = bare_or_quoted(&line.key);
            let _ = match &line.comment {
                Some(c) => writeln!(out, "{key} = {}  # {c}", line.value),
                None => writeln!(out, "{key} = {}", line.value),
            };
        }
    }
}

fn bare_or_quoted(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        Value::String(key.to_string()).to_string()
    }
}

/// Seconds as a duration string: `5m`, `90s`, `7d`.
fn seconds(s: u64) -> Value {
    Value::String(crate::time::format_duration(s.saturating_mul(1000)))
}

fn int(n: u64) -> Value {
    Value::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

fn table(entries: Vec<(&str, Option<Value>)>) -> Value {
    let mut t = Table::new();
    for (k, v) in entries {
        if let Some(v) = v {
            t.insert(k.to_string(), v);
        }
    }
    Value::Table(t)
}

/// The scenario text of `group`, imported by `command` (`asgsim import aws`).
pub(crate) fn render(group: &ImportedGroup, command: &str) -> String {
    let mut sections = vec![
        top(group, command),
        group_section(group),
        template_section(group),
    ];
    if let Some(detailed) = group.template.as_ref().and_then(|t| t.detailed_monitoring) {
        let mut m = Section::new(
            "[monitoring]",
            "From the launch template's Monitoring.Enabled.",
        );
        m.note(
            "detailed",
            detailed,
            if detailed {
                "1-minute EC2 metrics"
            } else {
                "basic monitoring: 5-minute EC2 metrics"
            },
        );
        sections.push(m);
    }
    sections.push(load_section(group));
    if let Some(pool) = &group.warm_pool {
        sections.push(warm_pool_section(pool));
    }
    sections.extend(group.alarms.iter().map(alarm_section));
    sections.extend(group.policies.iter().map(policy_section));
    sections.extend(group.schedules.iter().map(schedule_section));
    sections.extend(group.hooks.iter().map(hook_section));
    let mut out = String::new();
    for (i, s) in sections.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        s.render(&mut out);
    }
    out
}

fn top(group: &ImportedGroup, command: &str) -> Section {
    let mut s = Section::new(
        "",
        format!(
            "Group {} as `{command}` read it from {}.\nValues marked \"{DEFAULT_MARK}\" are things AWS does not know about the group: set them\n(`asgsim calibrate` fits capacity_rps and idle_cpu_percent from the group's CloudWatch metrics).",
            group.name, group.origin
        ),
    );
    s.set("name", group.name.as_str());
    s.set(
        "description",
        format!("{} imported by {command}", group.name),
    );
    s.note(
        "duration",
        "1d",
        format!("{DEFAULT_MARK}: how long to simulate; set it to the span of the load"),
    );
    s
}

fn group_section(g: &ImportedGroup) -> Section {
    let mut s = Section::new("[group]", format!("From {}.", g.source));
    s.set("min_size", int(g.min_size))
        .set("max_size", int(g.max_size));
    s.set_opt("desired_capacity", g.desired_capacity.map(int));
    if !g.availability_zones.is_empty() {
        let zones: Vec<Value> = g
            .availability_zones
            .iter()
            .map(|z| Value::from(z.as_str()))
            .collect();
        s.note("availability_zones", zones, g.zones_source.clone());
    }
    s.set_opt("default_cooldown", g.default_cooldown_s.map(seconds));
    s.set_opt(
        "default_instance_warmup",
        g.default_instance_warmup_s.map(seconds),
    );
    s.set_opt("health_check_type", g.health_check_type.clone());
    s.set_opt(
        "health_check_grace_period",
        g.health_check_grace_period_s.map(seconds),
    );
    if !g.termination_policies.is_empty() {
        s.set("termination_policies", strings(&g.termination_policies));
    }
    s.set_opt(
        "new_instances_protected_from_scale_in",
        g.protected_from_scale_in,
    );
    s.set_opt(
        "max_instance_lifetime",
        g.max_instance_lifetime_s.filter(|s| *s > 0).map(seconds),
    );
    if let Some((lo, hi)) = g.instance_maintenance_policy {
        s.set(
            "instance_maintenance_policy",
            table(vec![
                ("min_healthy_percentage", Some(Value::Integer(lo))),
                ("max_healthy_percentage", Some(Value::Integer(hi))),
            ]),
        );
    }
    if !g.suspended_processes.is_empty() {
        s.set("suspended_processes", strings(&g.suspended_processes));
    }
    s
}

fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().map(|i| Value::from(i.as_str())).collect())
}

fn template_section(g: &ImportedGroup) -> Section {
    let (comment, instance_type) = match &g.template {
        Some(t) => (format!("From {}.", t.source), t.instance_type.clone()),
        None => (
            "The group's launch template was not among the files (give `aws ec2 describe-launch-template-versions` too).".to_string(),
            None,
        ),
    };
    let mut s = Section::new("[launch_template]", comment);
    let known = instance_type
        .as_deref()
        .and_then(|t| crate::scenario::built_in_price(t).map(|p| (t, p)));
    match (&instance_type, known) {
        (Some(t), Some(_)) => {
            s.set("instance_type", t.as_str());
        }
        (Some(t), None) => {
            s.set("instance_type", t.as_str());
            s.note(
                "price_per_hour",
                0.1,
                format!("{DEFAULT_MARK}: {t} is not in asgsim's price table; set its On-Demand price in USD per hour"),
            );
        }
        (None, _) => {
            s.note(
                "instance_type",
                "m5.large",
                format!("{DEFAULT_MARK}: the instance type was not found"),
            );
        }
    }
    s.note(
        "capacity_rps",
        DEFAULT_CAPACITY_RPS,
        format!(
            "{DEFAULT_MARK}: requests/s one instance serves at 100% CPU; `asgsim calibrate` fits it"
        ),
    );
    s.note(
        "idle_cpu_percent",
        2.0,
        format!("{DEFAULT_MARK}: CPU of an idle instance; `asgsim calibrate` fits it"),
    );
    s.note(
        "boot_time",
        "90s",
        format!("{DEFAULT_MARK}: launch to InService (before lifecycle hooks); measure it from the group's activity history"),
    );
    s
}

fn load_section(g: &ImportedGroup) -> Section {
    let desired = g.desired_capacity.unwrap_or(g.min_size).max(1) as f64;
    let rate = (desired * DEFAULT_CAPACITY_RPS * 0.5).round();
    let mut s = Section::new(
        "[load]",
        format!(
            "{DEFAULT_MARK}: the load. Replace it with the group's real traffic:\n  aws cloudwatch get-metric-data ... > requests.json   (the load balancer's RequestCount, Sum, 60 s)\n  asgsim import metrics requests.json --out trace.csv\n  asgsim run scenario.toml --set load.trace=trace.csv"
        ),
    );
    s.set(
        "pattern",
        table(vec![
            ("kind", Some("constant".into())),
            ("rate", Some(Value::Float(rate))),
        ]),
    );
    s
}

fn warm_pool_section(p: &ImportedWarmPool) -> Section {
    let mut s = Section::new("[warm_pool]", format!("From {}.", p.source));
    s.set_opt("min_size", p.min_size.map(int));
    s.set_opt(
        "max_group_prepared_capacity",
        p.max_group_prepared_capacity.map(Value::Integer),
    );
    s.set_opt("pool_state", p.pool_state.clone());
    s.set_opt("reuse_on_scale_in", p.reuse_on_scale_in);
    s.note(
        "warm_start_time",
        "60s",
        format!("{DEFAULT_MARK}: from leaving the pool to InService"),
    );
    s
}

fn alarm_section(a: &ImportedAlarm) -> Section {
    let mut s = Section::new("[[alarms]]", format!("From {}.", a.source));
    s.set("name", a.name.as_str());
    s.set_opt("namespace", a.namespace.clone());
    s.set("metric_name", a.metric_name.as_str());
    if !a.dimensions.is_empty() {
        s.set("dimensions", dimensions_value(&a.dimensions));
    }
    s.set_opt("statistic", a.statistic.clone());
    s.set_opt("period", a.period_s.map(seconds));
    s.set("evaluation_periods", int(a.evaluation_periods));
    s.set_opt("datapoints_to_alarm", a.datapoints_to_alarm.map(int));
    s.set("threshold", a.threshold);
    s.set("comparison_operator", a.comparison_operator.as_str());
    s.set_opt("treat_missing_data", a.treat_missing_data.clone());
    s.set("alarm_actions", strings(&a.actions));
    s
}

/// Metric dimensions as `{ name, value }` tables, as alarms and customized metrics write them.
fn dimensions_value(dimensions: &[(String, String)]) -> Vec<Value> {
    dimensions
        .iter()
        .map(|(n, v)| {
            table(vec![
                ("name", Some(n.as_str().into())),
                ("value", Some(v.as_str().into())),
            ])
        })
        .collect()
}

fn policy_section(p: &ImportedPolicy) -> Section {
    let mut s = Section::new("[[scaling_policies]]", format!("From {}.", p.source));
    s.set("name", p.name.as_str());
    if p.enabled == Some(false) {
        s.set("enabled", false);
    }
    match &p.kind {
        ImportedPolicyKind::Simple {
            adjustment_type,
            scaling_adjustment,
            cooldown_s,
            min_adjustment_magnitude,
        } => {
            s.set("policy_type", "SimpleScaling");
            s.set("adjustment_type", adjustment_type.as_str());
            s.set("scaling_adjustment", *scaling_adjustment);
            s.set_opt("cooldown", cooldown_s.map(seconds));
            s.set_opt(
                "min_adjustment_magnitude",
                min_adjustment_magnitude.map(int),
            );
        }
        ImportedPolicyKind::Step {
            adjustment_type,
            steps,
            min_adjustment_magnitude,
            metric_aggregation_type,
            estimated_instance_warmup_s,
        } => {
            s.set("policy_type", "StepScaling");
            s.set("adjustment_type", adjustment_type.as_str());
            s.set("step_adjustments", step_adjustments_value(steps));
            s.set_opt(
                "min_adjustment_magnitude",
                min_adjustment_magnitude.map(int),
            );
            s.set_opt("metric_aggregation_type", metric_aggregation_type.clone());
            s.set_opt(
                "estimated_instance_warmup",
                estimated_instance_warmup_s.map(seconds),
            );
        }
        ImportedPolicyKind::TargetTracking { .. } => target_tracking_fields(&mut s, &p.kind),
        ImportedPolicyKind::Predictive { .. } => {
            s.set("policy_type", "PredictiveScaling");
            s.set(
                "predictive_scaling_configuration",
                predictive_configuration(&p.kind),
            );
        }
    }
    s
}

/// Step adjustments as the scenario's `step_adjustments` tables; an open bound is left out.
fn step_adjustments_value(steps: &[ImportedStep]) -> Vec<Value> {
    steps
        .iter()
        .map(|(lo, hi, adj)| {
            table(vec![
                ("metric_interval_lower_bound", lo.map(Value::Float)),
                ("metric_interval_upper_bound", hi.map(Value::Float)),
                ("scaling_adjustment", Some(Value::Integer(*adj))),
            ])
        })
        .collect()
}

/// Sets a target-tracking policy's fields; a customized metric also gets a comment on the
/// trace column it is read from, since the scenario cannot run without that column.
/// Does nothing for another kind of policy.
fn target_tracking_fields(s: &mut Section, kind: &ImportedPolicyKind) {
    let ImportedPolicyKind::TargetTracking {
        metric,
        target_value,
        disable_scale_in,
        estimated_instance_warmup_s,
        scale_in_ratio,
    } = kind
    else {
        return;
    };
    s.set("policy_type", "TargetTrackingScaling");
    s.set_opt(
        "estimated_instance_warmup",
        estimated_instance_warmup_s.map(seconds),
    );
    let (metric_key, metric_value) = tracked_metric_entry(metric);
    let configuration = table(vec![
        (metric_key, Some(metric_value)),
        ("target_value", Some(Value::Float(*target_value))),
        ("disable_scale_in", disable_scale_in.map(Value::Boolean)),
        ("scale_in_ratio", scale_in_ratio.map(Value::Float)),
    ]);
    s.set("target_tracking_configuration", configuration);
    if let TrackedSpec::Customized { metric_name, .. } = metric {
        s.comments.push(format!(
            "The customized metric is read from the trace column {metric_name} (import it with `asgsim import metrics`, Id {metric_name})."
        ));
    }
}

/// The key and table of a tracked metric in `target_tracking_configuration`.
fn tracked_metric_entry(metric: &TrackedSpec) -> (&'static str, Value) {
    match metric {
        TrackedSpec::Predefined {
            metric_type,
            resource_label,
        } => (
            "predefined_metric_specification",
            table(vec![
                ("predefined_metric_type", Some(metric_type.as_str().into())),
                ("resource_label", resource_label.as_deref().map(Value::from)),
            ]),
        ),
        TrackedSpec::Customized {
            metric_name,
            namespace,
            dimensions,
            statistic,
            unit,
        } => {
            let dims = dimensions_value(dimensions);
            (
                "customized_metric_specification",
                table(vec![
                    ("metric_name", Some(metric_name.as_str().into())),
                    ("namespace", namespace.as_deref().map(Value::from)),
                    (
                        "dimensions",
                        (!dims.is_empty()).then_some(Value::Array(dims)),
                    ),
                    ("statistic", statistic.as_deref().map(Value::from)),
                    ("unit", unit.as_deref().map(Value::from)),
                ]),
            )
        }
    }
}

/// A predictive policy's `predictive_scaling_configuration` table; an empty table for
/// another kind of policy.
fn predictive_configuration(kind: &ImportedPolicyKind) -> Value {
    let ImportedPolicyKind::Predictive {
        metric_pair,
        target_value,
        mode,
        scheduling_buffer_time_s,
        max_capacity_breach_behavior,
        max_capacity_buffer,
    } = kind
    else {
        return table(Vec::new());
    };
    let spec = table(vec![
        ("target_value", Some(Value::Float(*target_value))),
        (
            "predefined_metric_pair_specification",
            Some(table(vec![(
                "predefined_metric_type",
                Some(metric_pair.as_str().into()),
            )])),
        ),
    ]);
    table(vec![
        ("metric_specification", Some(spec)),
        ("mode", mode.as_deref().map(Value::from)),
        (
            "scheduling_buffer_time",
            scheduling_buffer_time_s.map(seconds),
        ),
        (
            "max_capacity_breach_behavior",
            max_capacity_breach_behavior.as_deref().map(Value::from),
        ),
        ("max_capacity_buffer", max_capacity_buffer.map(int)),
    ])
}

fn schedule_section(a: &ImportedSchedule) -> Section {
    let mut s = Section::new("[[scheduled_actions]]", format!("From {}.", a.source));
    s.set("name", a.name.as_str());
    s.set_opt("recurrence", a.recurrence.clone());
    s.set_opt("time_zone", a.time_zone.clone());
    s.set_opt("start_time", a.start_time.clone());
    s.set_opt("end_time", a.end_time.clone());
    s.set_opt("min_size", a.min_size.map(int));
    s.set_opt("max_size", a.max_size.map(int));
    s.set_opt("desired_capacity", a.desired_capacity.map(int));
    s
}

fn hook_section(h: &ImportedHook) -> Section {
    let mut s = Section::new("[[lifecycle_hooks]]", format!("From {}.", h.source));
    s.set("name", h.name.as_str());
    s.set("lifecycle_transition", h.transition.as_str());
    s.set_opt("heartbeat_timeout", h.heartbeat_timeout_s.map(seconds));
    s.set_opt("default_result", h.default_result.clone());
    s.note(
        "work_time",
        "30s",
        format!(
            "{DEFAULT_MARK}: how long the hook's own work takes before it completes the action"
        ),
    );
    s
}
