//! `[mixed_instances_policy]`, `[spot]`, `capacity_rebalance`, `routing` and the
//! `spot_interruption` event: values, defaults, and AWS's refusals (API
//! `InstancesDistribution`, `LaunchTemplateOverrides`; UG ec2-auto-scaling-mixed-instances-groups,
//! ec2-auto-scaling-warm-pools).

use super::tests::{MINIMAL, parse, problems};
use super::tests_rules::check_cases;
use super::*;

/// DESIGN.md's "Mixed instances and Spot" example, on a two-AZ group.
const MIXED: &str = r#"
duration = "6h"

[group]
min_size = 1
max_size = 8
desired_capacity = 4
availability_zones = ["us-east-1a", "us-east-1b"]
capacity_rebalance = true

[launch_template]
capacity_rps = 100

[load]
pattern = { kind = "constant", rate = 10 }

[load_balancer]
routing = "least_outstanding_requests"

[mixed_instances_policy.instances_distribution]
on_demand_base_capacity = 2
on_demand_percentage_above_base_capacity = 25
on_demand_allocation_strategy = "prioritized"
spot_allocation_strategy = "lowest-price"
spot_instance_pools = 2
spot_max_price = 0.05

[[mixed_instances_policy.launch_template.overrides]]
instance_type = "m5.large"
weighted_capacity = 1
capacity_rps = 100
price_per_hour = 0.096
spot_price_per_hour = 0.035

[[mixed_instances_policy.launch_template.overrides]]
instance_type = "c5.2xlarge"
weighted_capacity = 2

[spot]
interruption_rate_per_day = 0.05
rebalance_notice = "10m"

[[spot.pools]]
instance_type = "c5.2xlarge"
az = "us-east-1b"
interruption_rate_per_day = 0.5
capacity = 3

[[events]]
at = "2h"
action = "spot_interruption"
count = 2
instance_type = "m5.large"
az = "us-east-1a"
"#;

#[test]
fn the_design_example_parses_to_the_values_written() {
    let s = parse(MIXED, &[]).unwrap();
    assert!(s.group.capacity_rebalance);
    assert_eq!(s.load_balancer.routing, Routing::LeastOutstandingRequests);
    let p = s.mixed_instances_policy.unwrap();
    assert_eq!(
        p.distribution,
        InstancesDistribution {
            on_demand_base_capacity: 2,
            on_demand_percentage_above_base_capacity: 25,
            on_demand_allocation_strategy: OnDemandStrategy::Prioritized,
            spot_allocation_strategy: SpotStrategy::LowestPrice,
            spot_instance_pools: 2,
            spot_max_price_usd: Some(0.05),
        }
    );
    assert_eq!(p.overrides[0].spot_price_per_hour_usd, [0.035, 0.035]);
    // c5.2xlarge: the built-in tables (UG ec2-auto-scaling-mixed-instances-groups-instance-weighting),
    // per AZ; capacity_rps from [launch_template].
    let c5 = &p.overrides[1];
    assert_eq!(
        (c5.weighted_capacity, c5.price_per_hour_usd, c5.capacity_rps),
        (2, 0.34, 100.0)
    );
    assert_eq!(c5.spot_price_per_hour_usd, [0.180, 0.191]);
    assert_eq!(s.spot.rebalance_notice_ms, 600_000);
    assert_eq!(s.spot.pools[0].az, Some(1));
    assert_eq!(s.spot.pools[0].capacity, Some(3));
    assert_eq!(
        s.events[0].action,
        EventAction::SpotInterruption {
            count: 2,
            instance_type: Some("m5.large".into()),
            az: Some("us-east-1a".into()),
        }
    );
}

/// API defaults: On-Demand percentage 100, prioritized, lowest-price with 2 pools; a Spot
/// price missing from the table is 45% of On-Demand \[model\]; no mixed policy, no Spot.
#[test]
fn defaults_follow_the_api() {
    let s = parse(MINIMAL, &[]).unwrap();
    assert_eq!(s.mixed_instances_policy, None);
    assert!(!s.group.capacity_rebalance);
    assert_eq!(s.load_balancer.routing, Routing::RoundRobin);
    assert_eq!(s.spot, SpotConfig::default());
    let text = format!(
        "{MINIMAL}\n[[mixed_instances_policy.launch_template.overrides]]\ninstance_type = \"m5.xlarge\"\n"
    );
    let p = parse(&text, &[]).unwrap().mixed_instances_policy.unwrap();
    assert_eq!(p.distribution, InstancesDistribution::default());
    assert_eq!(p.distribution.on_demand_percentage_above_base_capacity, 100);
    assert_eq!(p.overrides[0].price_per_hour_usd, 0.192);
    assert!((p.overrides[0].spot_price_per_hour_usd[0] - 0.192 * 0.45).abs() < 1e-12);
}

/// What AWS accepts though it looks odd is accepted: a policy with no overrides launches the
/// launch template's type; an On-Demand base above max_size is allowed.
#[test]
fn what_aws_accepts_is_accepted() {
    let text = format!(
        "{MINIMAL}\n[mixed_instances_policy.instances_distribution]\non_demand_base_capacity = 50\n"
    );
    let p = parse(&text, &[]).unwrap().mixed_instances_policy.unwrap();
    assert_eq!(p.overrides.len(), 1);
    assert_eq!(p.overrides[0].instance_type, "m5.large");
    assert_eq!(p.overrides[0].weighted_capacity, 1);
    assert_eq!(p.distribution.on_demand_base_capacity, 50);
}

/// AWS's refusals, each with the key and what would be right.
#[test]
fn mixed_instances_rules() {
    check_cases(
        MIXED,
        r#"
        mixed_instances_policy.instances_distribution.spot_allocation_strategy="capacity-optimized" | mixed_instances_policy.instances_distribution.spot_instance_pools | goes only with spot_allocation_strategy = "lowest-price" (AWS rejects it with "capacity-optimized")
        mixed_instances_policy.instances_distribution.spot_allocation_strategy="cheapest" | mixed_instances_policy.instances_distribution.spot_allocation_strategy | expected one of price-capacity-optimized, capacity-optimized, capacity-optimized-prioritized, lowest-price
        mixed_instances_policy.instances_distribution.on_demand_allocation_strategy="random" | mixed_instances_policy.instances_distribution.on_demand_allocation_strategy | expected one of prioritized, lowest-price
        mixed_instances_policy.instances_distribution.on_demand_percentage_above_base_capacity=101 | mixed_instances_policy.instances_distribution.on_demand_percentage_above_base_capacity | must lie between 0 and 100, found 101
        mixed_instances_policy.instances_distribution.spot_instance_pools=21 | mixed_instances_policy.instances_distribution.spot_instance_pools | must lie between 1 and 20, found 21
        mixed_instances_policy.instances_distribution.spot_max_price=0 | mixed_instances_policy.instances_distribution.spot_max_price | must be > 0 USD per hour
        mixed_instances_policy.launch_template.overrides[0].weighted_capacity=0 | mixed_instances_policy.launch_template.overrides[0].weighted_capacity | must lie between 1 and 999 (AWS's range for WeightedCapacity), found 0
        mixed_instances_policy.launch_template.overrides[1].weighted_capacity=1000 | mixed_instances_policy.launch_template.overrides[1].weighted_capacity | must lie between 1 and 999
        mixed_instances_policy.launch_template.overrides[0].instance_type="" | mixed_instances_policy.launch_template.overrides[0].instance_type | must not be empty
        mixed_instances_policy.launch_template.overrides[0].capacity_rps=0 | mixed_instances_policy.launch_template.overrides[0].capacity_rps | must be > 0 requests/s
        mixed_instances_policy.launch_template.overrides[0].weight=2 | mixed_instances_policy.launch_template.overrides[0].weight | unknown key
        mixed_instances_policy.instances_distribution.on_demand_base=2 | mixed_instances_policy.instances_distribution.on_demand_base | did you mean on_demand_base_capacity?
        spot.interruption_rate_per_day=-1 | spot.interruption_rate_per_day | must be ≥ 0
        spot.pools[0].az="us-west-2a" | spot.pools[0].az | "us-west-2a" is not one of the group's availability_zones
        spot.rebalance_notice=soon | spot.rebalance_notice | `soon` is not a duration
        spot.price_trace="spot.csv" | spot.price_trace | Spot price traces are not read in this version
        group.capacity_rebalance="yes" | group.capacity_rebalance | expected true or false
        load_balancer.routing="random" | load_balancer.routing | expected one of round_robin, least_outstanding_requests
        events[0].count=0 | events[0].count | must be at least 1
        events[0].az="us-east-1c" | events[0].az | "us-east-1c" is not one of the group's availability_zones
        "#,
    );
}

/// UG ec2-auto-scaling-warm-pools: a warm pool cannot go with a mixed instances policy.
#[test]
fn a_warm_pool_with_a_mixed_policy_is_refused() {
    let text = format!("{MIXED}\n[warm_pool]\nmin_size = 1\n");
    let found = problems(&text, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].key, "warm_pool");
    assert!(
        found[0]
            .message
            .contains("cannot go with a mixed instances policy")
    );
}
