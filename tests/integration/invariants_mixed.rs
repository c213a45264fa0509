//! Properties of mixed instances groups over many random scenarios (weights, both markets,
//! every strategy, interruptions with and without Capacity Rebalancing, both routings):
//! desired capacity within [min, max]; the active capacity units at or above desired while
//! every launch can succeed, and above max only by less than the largest weight (plus AWS's
//! AZ-rebalancing allowance, and the replacements Capacity Rebalancing launches first);
//! On-Demand never below its base (nor its whole share without weights); every instance accounted for; the load conserved.

use proptest::prelude::*;

use asgsim::asg::Market;
use asgsim::records::ActivityKind;

use crate::common::{scenario_from, simulate};

#[derive(Debug, Clone)]
struct Params {
    min: u32,
    extra_max: u32,
    extra_desired: u32,
    azs: usize,
    weights: Vec<u32>,
    base: u32,
    percent: u32,
    spot_strategy: &'static str,
    on_demand_strategy: &'static str,
    rate_per_day: f64,
    capacity_rebalance: bool,
    routing: &'static str,
    out_adj: i64,
    in_adj: i64,
    pattern: String,
    seed: u64,
}

fn params() -> impl Strategy<Value = Params> {
    let pattern = prop_oneof![
        (0u32..2000).prop_map(|r| format!("{{ kind = \"constant\", rate = {r} }}")),
        (0u32..300, 0u32..2000).prop_map(|(b, p)| format!(
            "{{ kind = \"diurnal\", base = {b}, peak = {}, period = \"2h\" }}",
            b + p
        )),
    ];
    (
        (0u32..6, 0u32..12, 0u32..12, 1usize..4),
        (prop::collection::vec(1u32..5, 1..4), 0u32..8, 0u32..=100),
        (
            prop::sample::select(vec![
                "price-capacity-optimized",
                "capacity-optimized",
                "capacity-optimized-prioritized",
                "lowest-price",
            ]),
            prop::sample::select(vec!["prioritized", "lowest-price"]),
            0.0f64..30.0,
            any::<bool>(),
            prop::sample::select(vec!["round_robin", "least_outstanding_requests"]),
        ),
        (1i64..6, -5i64..0, pattern, any::<u64>()),
    )
        .prop_map(|(a, b, c, d)| Params {
            min: a.0,
            extra_max: a.1 + 1,
            extra_desired: a.2,
            azs: a.3,
            weights: b.0,
            base: b.1,
            percent: b.2,
            spot_strategy: c.0,
            on_demand_strategy: c.1,
            rate_per_day: c.2,
            capacity_rebalance: c.3,
            routing: c.4,
            out_adj: d.0,
            in_adj: d.1,
            pattern: d.2,
            seed: d.3 % 1000,
        })
}

fn toml(p: &Params) -> String {
    let max = p.min + p.extra_max;
    let desired = (p.min + p.extra_desired).min(max);
    let azs: Vec<String> = (0..p.azs).map(|i| format!("\"az-{i}\"")).collect();
    let overrides: String = p
        .weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            format!(
                "[[mixed_instances_policy.launch_template.overrides]]\ninstance_type = \"t{i}.x\"\nweighted_capacity = {w}\ncapacity_rps = {}\nprice_per_hour = {}\nspot_price_per_hour = {}\n",
                100 * w,
                0.1 * f64::from(*w),
                0.03 * f64::from(*w) + 0.001 * i as f64,
            )
        })
        .collect();
    let pools = if p.spot_strategy == "lowest-price" {
        "spot_instance_pools = 2\n"
    } else {
        ""
    };
    format!(
        r#"
name = "prop-mixed"
duration = "4h"
sample_interval = "60s"   # rows on the minute ticks: after every event of their millisecond
[group]
min_size = {min}
max_size = {max}
desired_capacity = {desired}
availability_zones = [{azs}]
default_cooldown = "120s"
capacity_rebalance = {cr}
[launch_template]
capacity_rps = 100
boot_time = {{ distribution = "uniform", min = "30s", max = "150s" }}
[load]
pattern = {pattern}
noise = 0.1
[load_balancer]
deregistration_delay = "60s"
routing = "{routing}"
[mixed_instances_policy.instances_distribution]
on_demand_base_capacity = {base}
on_demand_percentage_above_base_capacity = {percent}
on_demand_allocation_strategy = "{od}"
spot_allocation_strategy = "{spot}"
{pools}
{overrides}
[spot]
interruption_rate_per_day = {rate}
rebalance_notice = "5m"
[[events]]
at = "90m"
action = "spot_interruption"
count = 2
[[alarms]]
name = "High"
metric_name = "CPUUtilization"
evaluation_periods = 2
threshold = 70
comparison_operator = "GreaterThanThreshold"
alarm_actions = ["out"]
[[alarms]]
name = "Low"
metric_name = "CPUUtilization"
evaluation_periods = 3
threshold = 30
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
"#,
        min = p.min,
        azs = azs.join(", "),
        cr = p.capacity_rebalance,
        pattern = p.pattern,
        routing = p.routing,
        base = p.base,
        percent = p.percent,
        od = p.on_demand_strategy,
        spot = p.spot_strategy,
        rate = p.rate_per_day,
        out_adj = p.out_adj,
        in_adj = p.in_adj,
    )
}

/// The active span of each instance, from its launch to the start of its termination (its
/// terminate activity), with its market and units.
fn spans(out: &asgsim::run::RunOutput) -> Vec<(u64, u64, Market, u32)> {
    let rec = &out.records;
    rec.instances
        .iter()
        .map(|i| {
            let ended = rec
                .activities
                .iter()
                .find(|a| {
                    a.kind == ActivityKind::Terminate
                        && a.instance_id.as_deref() == Some(&i.instance_id)
                })
                .map(|a| a.time_ms)
                .or(i.termination_time_ms)
                .unwrap_or(u64::MAX);
            (i.launch_time_ms, ended, i.market, i.capacity_units)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn mixed_group_invariants_hold(p in params()) {
        let scenario = scenario_from(&toml(&p));
        let policy = scenario.mixed_instances_policy.clone().unwrap();
        let largest = policy.largest_weight();
        let out = simulate(&scenario, p.seed);
        let rec = &out.records;
        let spans = spans(&out);
        let allowance = asgsim::asg::rebalance_allowance(scenario.group.max_size);
        // Capacity Rebalancing launches before it terminates: each replacement may stand
        // beside the instance it replaces (at most the Spot instances there are).
        for row in &rec.timeline {
            let t = row.time_ms;
            prop_assert!(row.min_size <= row.desired_capacity && row.desired_capacity <= row.max_size);
            let alive = spans.iter().filter(|(from, to, _, _)| *from <= t && t < *to);
            let (mut od, mut spot, mut count) = (0u32, 0u32, 0u32);
            for (_, _, market, units) in alive {
                count += 1;
                match market {
                    Market::OnDemand => od += units,
                    Market::Spot => spot += units,
                }
            }
            let units = od + spot;
            prop_assert_eq!(count, row.pending + row.in_service, "row at {} ms", t);
            prop_assert!(units >= row.desired_capacity, "row at {} ms: {} units below desired {}", t, units, row.desired_capacity);
            let extra = if p.capacity_rebalance { spot } else { 0 };
            prop_assert!(units < row.max_size + allowance * largest + largest + extra,
                "row at {} ms: {} units above max {} by the largest weight {} or more", t, units, row.max_size, largest);
            // On-Demand never below its base; without weights (no overshoot to absorb a
            // scale-out) never below its whole share either. While Capacity Rebalancing's
            // replacements stand beside the instances they replace, a scale-out can be
            // absorbed by them; the split is restored when they go.
            let base = policy.distribution.on_demand_base_capacity.min(row.desired_capacity);
            prop_assert!(od >= base, "row at {} ms: On-Demand {} below its base {}", t, od, base);
            let od_share = asgsim::asg::on_demand_target(&policy.distribution, row.desired_capacity);
            let doubled = p.capacity_rebalance && units > row.desired_capacity;
            if largest == 1 && !doubled {
                prop_assert!(od >= od_share, "row at {} ms: On-Demand {} below its share {}", t, od, od_share);
            }
            let eps = 1e-6 * row.load_rps.max(1.0);
            prop_assert!((row.served_rps + row.dropped_rps - row.load_rps).abs() <= eps);
        }
        // Every instance accounted for: the initial ones, then one launch activity each.
        prop_assert_eq!(rec.instances.len() as u32, out.summary.instances_launched);
        let launches = rec.activities.iter().filter(|a| a.kind == ActivityKind::Launch).count();
        let initial = rec.instances.iter().take_while(|i| i.launch_time_ms == 0).count();
        let initial_units: u32 = rec.instances[..initial].iter().map(|i| i.capacity_units).sum();
        prop_assert!(initial_units >= scenario.group.desired_capacity && initial_units < scenario.group.desired_capacity + largest);
        prop_assert!(launches + initial >= rec.instances.len());
        let interrupted = rec.instances.iter().filter(|i| i.termination_reason == Some(asgsim::asg::TerminationReason::SpotInterruption)).count();
        prop_assert_eq!(interrupted as u32, out.summary.spot_interruptions);
        for i in &rec.instances {
            prop_assert!(i.cost_usd >= 0.0);
            if i.market == Market::OnDemand {
                prop_assert_ne!(i.termination_reason, Some(asgsim::asg::TerminationReason::SpotInterruption));
            }
        }
        let costs = out.summary.cost_on_demand_usd + out.summary.cost_spot_usd;
        prop_assert!((costs - out.summary.cost_usd).abs() <= 1e-9 * out.summary.cost_usd.max(1.0));
    }
}
