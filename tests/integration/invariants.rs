//! Properties over many random scenarios: desired capacity within [min, max] in every timeline
//! row, every instance's lifecycle in order, every launch accounted for, and the load conserved:
//! only InService instances serve (never one in the warm pool, Pending or terminated), no more
//! than they can, and served plus dropped is the load.

use proptest::prelude::*;

use crate::common::{scenario_from, simulate};

#[derive(Debug, Clone)]
struct Params {
    min: u32,
    extra_max: u32,
    extra_desired: u32,
    azs: usize,
    out_adj: i64,
    in_adj: i64,
    high: f64,
    low: f64,
    boot: String,
    pattern: String,
    policies: String,
    cooldown_s: u32,
    drain_s: u32,
    protected: bool,
    seed: u64,
    mtbf_h: u32,
    elb: bool,
    fail_mode: &'static str,
    fail_count: u32,
    /// 0: simple policies only; 1: plus step and target tracking; 2: plus schedules too.
    mix: u8,
    /// A warm pool, and whether scaled-in instances go back to it (ReuseOnScaleIn).
    warm_pool: Option<bool>,
    /// A terminate lifecycle hook.
    terminate_hook: bool,
    /// An instance refresh at 3 h.
    refresh: bool,
}

fn params() -> impl Strategy<Value = Params> {
    let boot = prop_oneof![
        (0u32..300).prop_map(|s| format!("\"{s}s\"")),
        (10u32..100, 0u32..200).prop_map(|(a, b)| format!(
            "{{ distribution = \"uniform\", min = \"{a}s\", max = \"{}s\" }}",
            a + b
        )),
        (30u32..120, 1u32..200).prop_map(|(m, d)| format!(
            "{{ distribution = \"lognormal\", median = \"{m}s\", p95 = \"{}s\" }}",
            m + d
        )),
    ];
    let pattern = prop_oneof![
        (0u32..2000).prop_map(|r| format!("{{ kind = \"constant\", rate = {r} }}")),
        (0u32..300, 0u32..2000).prop_map(|(b, p)| format!(
            "{{ kind = \"diurnal\", base = {b}, peak = {}, period = \"3h\" }}",
            b + p
        )),
        (0u32..300, 0u32..2000, 0u32..120).prop_map(|(b, p, at)| format!(
            "{{ kind = \"spike\", base = {b}, peak = {}, at = \"{at}m\", duration = \"20m\" }}",
            b + p
        )),
    ];
    let policies = prop::sample::select(vec![
        "[\"Default\"]",
        "[\"OldestInstance\", \"Default\"]",
        "[\"NewestInstance\"]",
        "[\"ClosestToNextInstanceHour\", \"OldestLaunchTemplate\"]",
    ]);
    (
        (0u32..4, 0u32..8, 0u32..8, 1usize..4, 1i64..4, -3i64..0),
        (50.0f64..95.0, 5.0f64..45.0, boot, pattern, policies),
        (0u32..600, 0u32..400, any::<bool>(), any::<u64>()),
        (
            1u32..40,
            any::<bool>(),
            prop::sample::select(vec!["impaired", "application", "terminated"]),
            1u32..4,
            0u8..3,
        ),
        (
            prop::option::of(any::<bool>()),
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(|(a, b, c, d, e)| Params {
            min: a.0,
            extra_max: a.1 + 1,
            extra_desired: a.2,
            azs: a.3,
            out_adj: a.4,
            in_adj: a.5,
            high: b.0,
            low: b.1,
            boot: b.2,
            pattern: b.3,
            policies: b.4.to_string(),
            cooldown_s: c.0,
            drain_s: c.1,
            protected: c.2,
            seed: c.3 % 1000,
            mtbf_h: d.0,
            elb: d.1,
            fail_mode: d.2,
            fail_count: d.3,
            mix: d.4,
            warm_pool: e.0,
            terminate_hook: e.1,
            refresh: e.2,
        })
}

/// The warm pool, the terminate hook and the instance refresh a scenario may have.
fn lifecycle_extras(p: &Params) -> String {
    let mut text = String::new();
    if let Some(reuse) = p.warm_pool {
        text += &format!(
            "[warm_pool]\nmin_size = 1\nreuse_on_scale_in = {reuse}\nwarm_start_time = \"20s\"\n"
        );
    }
    if p.terminate_hook {
        text += r#"
[[lifecycle_hooks]]
name = "drain-logs"
lifecycle_transition = "terminating"
heartbeat_timeout = "120s"
default_result = "CONTINUE"
"#;
    }
    if p.refresh {
        text += r#"
[[events]]
at = "3h"
action = "instance_refresh"
instance_type = "c5.xlarge"
min_healthy_percentage = 50
"#;
    }
    text
}

/// Step and target-tracking policies, and with `mix` 2 scheduled actions that set desired
/// to max and to min and raise max, on top of the simple policies.
fn more_policies(p: &Params, min: u32, max: u32) -> String {
    let mut text = String::new();
    if p.mix >= 1 {
        text += &format!(
            r#"
[[alarms]]
name = "High2"
metric_name = "CPUUtilization"
evaluation_periods = 1
threshold = {high}
comparison_operator = "GreaterThanOrEqualToThreshold"
alarm_actions = ["step-out"]
[[scaling_policies]]
name = "step-out"
policy_type = "StepScaling"
adjustment_type = "PercentChangeInCapacity"
min_adjustment_magnitude = 1
estimated_instance_warmup = "{warm}s"
step_adjustments = [
  {{ metric_interval_lower_bound = 0, metric_interval_upper_bound = 10, scaling_adjustment = 10 }},
  {{ metric_interval_lower_bound = 10, scaling_adjustment = {pct} }},
]
[[scaling_policies]]
name = "tt"
policy_type = "TargetTrackingScaling"
target_tracking_configuration = {{ predefined_metric_type = "ASGAverageCPUUtilization", target_value = {target} }}
"#,
            high = p.high,
            warm = p.drain_s,
            pct = 20 * p.out_adj,
            target = ((p.high + p.low) / 2.0).round(),
        );
    }
    if p.mix >= 2 {
        text += &format!(
            r#"
[[scheduled_actions]]
name = "up"
recurrence = "*/40 * * * *"
desired_capacity = {max}
[[scheduled_actions]]
name = "down"
recurrence = "25 * * * *"
desired_capacity = {min}
[[scheduled_actions]]
name = "wider"
recurrence = "0 3 * * *"
max_size = {wider}
"#,
            wider = max + 2,
        );
    }
    text
}

fn toml(p: &Params) -> String {
    let max = p.min + p.extra_max;
    let desired = (p.min + p.extra_desired).min(max);
    let azs: Vec<String> = (0..p.azs).map(|i| format!("\"az-{i}\"")).collect();
    let more = more_policies(p, p.min, max) + &lifecycle_extras(p);
    format!(
        r#"
name = "prop"
duration = "4h"
sample_interval = "10s"   # fine rows, so a short overshoot of max cannot hide between them
[group]
min_size = {min}
max_size = {max}
desired_capacity = {desired}
availability_zones = [{azs}]
default_cooldown = "{cooldown}s"
termination_policies = {policies}
new_instances_protected_from_scale_in = {protected}
health_check_type = "{check}"
health_check_grace_period = "{grace}s"
[launch_template]
capacity_rps = 100
boot_time = {boot}
[load]
pattern = {pattern}
noise = 0.1
[load_balancer]
deregistration_delay = "{drain}s"
[failures]
instance_mtbf = "{mtbf}h"
[[events]]
at = "1h"
action = "fail_instances"
count = {fail_count}
mode = "{fail_mode}"
[[events]]
at = "2h"
action = "az_outage"
az = "az-0"
duration = "{outage}m"
[[events]]
at = "150m"
action = "launch_failures"
duration = "10m"
probability = 0.5
[[lifecycle_hooks]]
name = "configure"
lifecycle_transition = "launching"
heartbeat_timeout = "300s"
work_time = {{ distribution = "uniform", min = "10s", max = "400s" }}
[[alarms]]
name = "High"
metric_name = "CPUUtilization"
evaluation_periods = 2
threshold = {high}
comparison_operator = "GreaterThanThreshold"
alarm_actions = ["out"]
[[alarms]]
name = "Low"
metric_name = "CPUUtilization"
evaluation_periods = 3
threshold = {low}
comparison_operator = "LessThanThreshold"
alarm_actions = ["in"]
[[scaling_policies]]
name = "out"
adjustment_type = "ChangeInCapacity"
scaling_adjustment = {out_adj}
[[scaling_policies]]
name = "in"
adjustment_type = "ChangeInCapacity"
scaling_adjustment = {in_adj}
{more}"#,
        min = p.min,
        azs = azs.join(", "),
        cooldown = p.cooldown_s,
        policies = p.policies,
        protected = p.protected,
        boot = p.boot,
        pattern = p.pattern,
        drain = p.drain_s,
        check = if p.elb { "ELB" } else { "EC2" },
        grace = p.cooldown_s / 2,
        mtbf = p.mtbf_h,
        fail_count = p.fail_count,
        outage = 10 + p.mtbf_h,
        fail_mode = p.fail_mode,
        high = p.high,
        low = p.low,
        out_adj = p.out_adj,
        in_adj = p.in_adj,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn group_invariants_hold(p in params()) {
        let scenario = scenario_from(&toml(&p));
        let out = simulate(&scenario, p.seed);
        let rec = &out.records;
        for row in &rec.timeline {
            prop_assert!(row.min_size <= row.desired_capacity && row.desired_capacity <= row.max_size,
                "row at {} ms: desired {} outside [{}, {}]", row.time_ms, row.desired_capacity, row.min_size, row.max_size);
            let active = row.pending + row.in_service;
            // Until the AZ outage and the launch failures (from 2 h), every launch succeeds.
            if !p.protected && row.time_ms < 2 * 3_600_000 {
                prop_assert!(active >= row.desired_capacity, "active {} below desired {}", active, row.desired_capacity);
            }
            let allowance = asgsim::asg::rebalance_allowance(row.max_size);
            prop_assert!(active <= row.max_size + allowance, "above max + rebalancing allowance");
            // The load is conserved, and only InService instances serve: at most their
            // capacity (100 req/s each), never one in the warm pool, Pending or terminated.
            let eps = 1e-6 * row.load_rps.max(1.0);
            prop_assert!((row.served_rps + row.dropped_rps - row.load_rps).abs() <= eps,
                "row at {} ms: served {} + dropped {} != load {}", row.time_ms, row.served_rps, row.dropped_rps, row.load_rps);
            prop_assert!(row.served_rps <= f64::from(row.in_service_max) * 100.0 + eps,
                "row at {} ms: {} req/s served by at most {} InService instances", row.time_ms, row.served_rps, row.in_service_max);
            prop_assert!(row.served_rps >= -eps && row.dropped_rps >= -eps);
        }
        prop_assert_eq!(rec.instances.len() as u32, out.summary.instances_launched);
        // Every instance that served was one of the initial ones or had a launch activity (an
        // instance prepared in the warm pool has one when the group takes it).
        let launched: std::collections::HashSet<&str> = rec.activities.iter()
            .filter(|a| a.kind.as_str() == "launch")
            .filter_map(|a| a.instance_id.as_deref())
            .collect();
        let initial = scenario.group.desired_capacity as usize;
        for (k, inst) in rec.instances.iter().enumerate() {
            if inst.in_service_time_ms.is_some() && k >= initial {
                prop_assert!(launched.contains(inst.instance_id.as_str()),
                    "{} served without a launch activity", inst.instance_id);
            }
        }
        if p.warm_pool.is_none() {
            let launches = rec.activities.iter().filter(|a| a.kind.as_str() == "launch").count();
            prop_assert_eq!(launches + initial, rec.instances.len(), "every launch has an activity");
        }
        let mut ids: Vec<&str> = rec.instances.iter().map(|i| i.instance_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        prop_assert_eq!(ids.len(), rec.instances.len(), "instance ids are unique");
        for inst in &rec.instances {
            let in_service = inst.in_service_time_ms.unwrap_or(inst.launch_time_ms);
            prop_assert!(inst.launch_time_ms <= in_service);
            if let Some(end) = inst.termination_time_ms {
                prop_assert!(inst.launch_time_ms <= end);
                if let Some(s) = inst.in_service_time_ms { prop_assert!(s <= end); }
                prop_assert!(inst.termination_reason.is_some());
            } else {
                prop_assert!(inst.termination_reason.is_none());
            }
            prop_assert!(inst.cost_usd >= 0.0);
        }
        // Every terminated instance that served had a terminate activity (one only ever
        // prepared in the warm pool and trimmed from it had none: it never joined the group).
        let terminated: std::collections::HashSet<&str> = rec.activities.iter()
            .filter(|a| a.kind.as_str() == "terminate")
            .filter_map(|a| a.instance_id.as_deref())
            .collect();
        for inst in rec.instances.iter().filter(|i| i.termination_reason.is_some()) {
            if inst.in_service_time_ms.is_some() {
                prop_assert!(terminated.contains(inst.instance_id.as_str()),
                    "{} ended without a terminate activity", inst.instance_id);
            }
        }
        // Launches and terminations of one instance alternate: it is never terminated twice
        // without a launch between (an instance reused from the warm pool is launched again).
        let mut active: std::collections::HashMap<&str, bool> = rec.instances.iter()
            .take(initial)
            .map(|i| (i.instance_id.as_str(), true))
            .collect();
        for a in &rec.activities {
            let Some(id) = a.instance_id.as_deref() else {
                prop_assert_ne!(a.kind.as_str(), "terminate", "a terminate activity names its instance");
                continue;
            };
            let was = active.insert(id, a.kind.as_str() == "launch").unwrap_or(false);
            if a.kind.as_str() == "terminate" {
                prop_assert!(was, "{} terminated at {} ms while not active", id, a.time_ms);
            } else {
                prop_assert!(!was, "{} launched at {} ms while active", id, a.time_ms);
            }
        }
    }
}
