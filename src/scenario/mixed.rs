//! `\[mixed_instances_policy\]` and `\[spot\]`: the instance types, the On-Demand/Spot split
//! and the Spot market, with AWS's names, defaults and ranges (API `InstancesDistribution`,
//! `LaunchTemplateOverrides`; UG: ec2-auto-scaling-mixed-instances-groups), checked as AWS
//! checks them.

use super::fields::Reader;
use super::model::{
    InstanceOverride, InstancesDistribution, LaunchTemplate, MixedInstancesPolicy,
    OnDemandStrategy, SpotConfig, SpotPoolConfig, SpotStrategy,
};
use super::template::built_in_price;

/// Built-in Spot prices \[USD per hour\] in us-east-1a, us-east-1b and us-east-1c: the
/// example table of UG ec2-auto-scaling-mixed-instances-groups-instance-weighting ("Spot
/// pricing per instance hour"; AWS marks them example prices, not current ones).
#[allow(clippy::approx_constant)] // $0.318 is a price, not 1/π
const SPOT_PRICES: [(&str, [f64; 3]); 5] = [
    ("c5.2xlarge", [0.180, 0.191, 0.170]),
    ("c5.4xlarge", [0.341, 0.361, 0.318]),
    ("c5.12xlarge", [0.779, 0.777, 0.777]),
    ("c5.18xlarge", [1.207, 1.475, 1.357]),
    ("c5.24xlarge", [1.555, 1.555, 1.555]),
];

/// Spot price of a type missing from [`SPOT_PRICES`], as a share of its On-Demand price
/// \[model\]: the mean ratio of that table to the On-Demand prices beside it (0.447), rounded.
const SPOT_SHARE_OF_ON_DEMAND: f64 = 0.45;

/// The AZs of [`SPOT_PRICES`]' columns.
const SPOT_PRICE_AZS: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];

const ON_DEMAND_STRATEGIES: [(&str, OnDemandStrategy); 2] = [
    ("prioritized", OnDemandStrategy::Prioritized),
    ("lowest-price", OnDemandStrategy::LowestPrice),
];

const SPOT_STRATEGIES: [(&str, SpotStrategy); 4] = [
    (
        "price-capacity-optimized",
        SpotStrategy::PriceCapacityOptimized,
    ),
    ("capacity-optimized", SpotStrategy::CapacityOptimized),
    (
        "capacity-optimized-prioritized",
        SpotStrategy::CapacityOptimizedPrioritized,
    ),
    ("lowest-price", SpotStrategy::LowestPrice),
];

/// The built-in Spot price of `instance_type` in `az` \[USD per hour\]: its column when the
/// AZ is one of the table's, else the mean of the row \[model\].
fn built_in_spot_price(instance_type: &str, az: &str) -> Option<f64> {
    let (_, row) = SPOT_PRICES.iter().find(|(t, _)| *t == instance_type)?;
    Some(match SPOT_PRICE_AZS.iter().position(|a| *a == az) {
        Some(column) => row[column],
        None => row.iter().sum::<f64>() / row.len() as f64,
    })
}

/// Reads `\[mixed_instances_policy\]`: `Some(None)` when absent, `None` when wrong. The
/// launch template gives the defaults of each override and the type of a policy without
/// overrides (AWS accepts one and launches the template's type).
pub(super) fn read_mixed_policy(
    r: &mut Reader<'_>,
    template: Option<&LaunchTemplate>,
    azs: &[String],
) -> Option<Option<MixedInstancesPolicy>> {
    const KEY: &str = "mixed_instances_policy";
    if r.raw(KEY).is_none() {
        return Some(None);
    }
    let mut m = r.child(KEY)?;
    let distribution = m
        .child("instances_distribution")
        .and_then(read_distribution);
    let overrides = m
        .child("launch_template")
        .and_then(|lt| read_overrides(lt, template, azs));
    m.finish();
    let mut overrides = overrides?;
    if overrides.is_empty() {
        let lt = template?;
        let price = lt.price_per_hour_usd;
        overrides.push(InstanceOverride {
            instance_type: lt.instance_type.clone(),
            weighted_capacity: 1,
            capacity_rps: lt.capacity_rps,
            price_per_hour_usd: price,
            spot_price_per_hour_usd: spot_prices(&lt.instance_type, azs, None, price),
        });
    }
    Some(Some(MixedInstancesPolicy {
        overrides,
        distribution: distribution?,
    }))
}

/// `instances_distribution`, with the API's defaults and ranges.
fn read_distribution(mut d: Reader<'_>) -> Option<InstancesDistribution> {
    let defaults = InstancesDistribution::default();
    let base = d.count("on_demand_base_capacity").or(0);
    let percent = d
        .count("on_demand_percentage_above_base_capacity")
        .check(
            |p| *p <= 100,
            |p| format!("must lie between 0 and 100, found {p}"),
        )
        .or(100);
    let on_demand = d
        .choice("on_demand_allocation_strategy", &ON_DEMAND_STRATEGIES)
        .or(defaults.on_demand_allocation_strategy);
    let spot = d
        .choice("spot_allocation_strategy", &SPOT_STRATEGIES)
        .or(defaults.spot_allocation_strategy);
    let pools = d
        .count("spot_instance_pools")
        .check(
            |n| (1..=20).contains(n),
            |n| format!("must lie between 1 and 20, found {n}"),
        )
        .optional();
    let max_price = d
        .number("spot_max_price")
        .check(
            |x| *x > 0.0,
            |x| format!("must be > 0 USD per hour, found {x}"),
        )
        .optional();
    if let (Some(Some(_)), Some(strategy)) = (&pools, spot)
        && strategy != SpotStrategy::LowestPrice
    {
        d.report(
            "spot_instance_pools",
            format!(
                "goes only with spot_allocation_strategy = \"lowest-price\" (AWS rejects it with {:?}); remove it or choose lowest-price",
                strategy.aws_name()
            ),
        );
        d.finish();
        return None;
    }
    d.finish();
    Some(InstancesDistribution {
        on_demand_base_capacity: base?,
        on_demand_percentage_above_base_capacity: percent?,
        on_demand_allocation_strategy: on_demand?,
        spot_allocation_strategy: spot?,
        spot_instance_pools: pools?.unwrap_or(defaults.spot_instance_pools),
        spot_max_price_usd: max_price?,
    })
}

/// `launch_template.overrides`: each type, its weight (1–999, AWS's range), capacity and prices.
fn read_overrides(
    mut lt: Reader<'_>,
    template: Option<&LaunchTemplate>,
    azs: &[String],
) -> Option<Vec<InstanceOverride>> {
    let entries = lt.entries("overrides");
    lt.finish();
    let read: Vec<Option<InstanceOverride>> = entries
        .into_iter()
        .map(|o| read_override(o, template, azs))
        .collect();
    read.into_iter().collect()
}

fn read_override(
    mut o: Reader<'_>,
    template: Option<&LaunchTemplate>,
    azs: &[String],
) -> Option<InstanceOverride> {
    let instance_type = o.name("instance_type").required();
    let weight = o
        .count("weighted_capacity")
        .check(
            |w| (1..=999).contains(w),
            |w| format!("must lie between 1 and 999 (AWS's range for WeightedCapacity), found {w}"),
        )
        .or(1);
    let capacity_rps = o
        .number("capacity_rps")
        .check(
            |x| *x > 0.0,
            |x| format!("must be > 0 requests/s, found {x}"),
        )
        .optional();
    let price = o.non_negative("price_per_hour").optional();
    let spot_price = o.non_negative("spot_price_per_hour").optional();
    let instance_type = instance_type?;
    let price = match price? {
        Some(p) => Some(p),
        None => built_in_price(&o, &instance_type),
    };
    let spot_price = spot_price?;
    o.finish();
    let capacity_rps = match capacity_rps? {
        Some(c) => c,
        None => template?.capacity_rps,
    };
    let price = price?;
    Some(InstanceOverride {
        spot_price_per_hour_usd: spot_prices(&instance_type, azs, spot_price, price),
        instance_type,
        weighted_capacity: weight?,
        capacity_rps,
        price_per_hour_usd: price,
    })
}

/// The Spot price of a type in each AZ: the one written, else the built-in table's, else
/// [`SPOT_SHARE_OF_ON_DEMAND`] of the On-Demand price.
fn spot_prices(
    instance_type: &str,
    azs: &[String],
    given: Option<f64>,
    on_demand: f64,
) -> Vec<f64> {
    azs.iter()
        .map(|az| {
            given
                .or_else(|| built_in_spot_price(instance_type, az))
                .unwrap_or(on_demand * SPOT_SHARE_OF_ON_DEMAND)
        })
        .collect()
}

/// Reads `\[spot\]`; defaults when absent.
pub(super) fn read_spot(r: &mut Reader<'_>, azs: &[String]) -> Option<SpotConfig> {
    let defaults = SpotConfig::default();
    let mut s = r.child("spot")?;
    let rate = read_rate(&mut s).or(0.0);
    let notice_ms = s
        .duration("rebalance_notice")
        .or(defaults.rebalance_notice_ms);
    let pools: Vec<Option<SpotPoolConfig>> = s
        .entries("pools")
        .into_iter()
        .map(|p| read_pool(p, azs))
        .collect();
    if s.raw("price_trace").is_some() {
        // DESIGN.md names the key; this version keeps prices fixed over a run.
        s.report(
            "price_trace",
            "Spot price traces are not read in this version; give spot_price_per_hour per override or per [[spot.pools]] entry",
        );
    }
    s.finish();
    let pools: Option<Vec<SpotPoolConfig>> = pools.into_iter().collect();
    Some(SpotConfig {
        interruption_rate_per_day: rate?,
        rebalance_notice_ms: notice_ms?,
        pools: pools?,
    })
}

fn read_rate<'a>(r: &mut Reader<'a>) -> super::fields::Field<'a, f64> {
    r.non_negative("interruption_rate_per_day")
}

/// One `[[spot.pools]]` entry.
fn read_pool(mut p: Reader<'_>, azs: &[String]) -> Option<SpotPoolConfig> {
    let instance_type = p.name("instance_type").optional();
    let az = p
        .string("az")
        .check(
            |az| azs.is_empty() || azs.contains(az),
            |az| {
                format!(
                    "\"{az}\" is not one of the group's availability_zones; they are: {}",
                    azs.join(", ")
                )
            },
        )
        .optional();
    let rate = read_rate(&mut p).optional();
    let price = p.non_negative("spot_price_per_hour").optional();
    let capacity = p.count("capacity").optional();
    p.finish();
    Some(SpotPoolConfig {
        instance_type: instance_type?,
        az: az?.and_then(|a| azs.iter().position(|x| *x == a)),
        interruption_rate_per_day: rate?,
        spot_price_per_hour_usd: price?,
        capacity: capacity?,
    })
}
