//! The arithmetic of a mixed instances policy (UG: ec2-auto-scaling-mixed-instances-groups,
//! "Allocation strategies" and "Controlling the proportion of On-Demand instances"): how much
//! of desired capacity is On-Demand, which market the next launch buys on, which pool (type,
//! AZ) a strategy picks, and which market a scale-in takes from. Pure functions over counts.

use super::config::{
    InstancesDistribution, Market, MixedInstancesPolicy, OnDemandStrategy, SpotStrategy,
};

/// On-Demand capacity for `desired` \[capacity units\]: the base first (never more than
/// desired), then the percentage of the rest, "rounded up to the next integer in favor of
/// On-Demand Instances" (UG: ec2-auto-scaling-mixed-instances-groups).
pub fn on_demand_target(d: &InstancesDistribution, desired: u32) -> u32 {
    let base = d.on_demand_base_capacity.min(desired);
    let above = u64::from(desired - base);
    let percent = u64::from(d.on_demand_percentage_above_base_capacity);
    base + (above * percent).div_ceil(100) as u32
}

/// The market of the next launch, with `on_demand` and `spot` units already active: On-Demand
/// until its target is met, then Spot.
pub fn next_market(d: &InstancesDistribution, desired: u32, on_demand: u32) -> Market {
    if on_demand < on_demand_target(d, desired) {
        Market::OnDemand
    } else {
        Market::Spot
    }
}

/// The market a scale-in takes from: the one furthest above its share of the new desired
/// capacity (UG: ec2-auto-scaling-termination-policies, Default policy for mixed groups:
/// "choose Spot vs On-Demand" to align the rest with the distribution); Spot on a tie, so that
/// the On-Demand base stays.
pub fn market_to_terminate(
    d: &InstancesDistribution,
    desired: u32,
    (on_demand, spot): (u32, u32),
) -> Market {
    let od_target = on_demand_target(d, desired);
    let spot_target = desired - od_target;
    let od_excess = i64::from(on_demand) - i64::from(od_target);
    let spot_excess = i64::from(spot) - i64::from(spot_target);
    if od_excess > spot_excess {
        Market::OnDemand
    } else {
        Market::Spot
    }
}

/// What a strategy sees of one pool (an override in one AZ).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoolView {
    /// Index of the override (its priority: 0 first).
    pub type_index: usize,
    /// Spot price there \[USD per hour\].
    pub spot_price_per_hour_usd: f64,
    /// Interruptions per instance per day there (lower: more spare capacity).
    pub interruption_rate_per_day: f64,
    /// Spot instances it can still take; `None` for no limit.
    pub free: Option<u32>,
    /// Spot capacity units of the group running there.
    pub running_units: u32,
}

/// Why a pool was chosen, for `--explain`.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolChoice {
    /// The override chosen.
    pub type_index: usize,
    /// What decided it, in words.
    pub why: String,
}

/// The On-Demand type of the next launch: the first override (prioritized) or the cheapest per
/// capacity unit, first written on a tie (lowest-price). `usable` says which types can launch.
pub fn choose_on_demand(
    p: &MixedInstancesPolicy,
    usable: impl Fn(usize) -> bool,
) -> Option<PoolChoice> {
    let candidates = (0..p.overrides.len()).filter(|i| usable(*i));
    let strategy = p.distribution.on_demand_allocation_strategy;
    let unit_price = |i: usize| {
        let o = &p.overrides[i];
        o.price_per_hour_usd / f64::from(o.weighted_capacity)
    };
    let type_index = match strategy {
        OnDemandStrategy::Prioritized => candidates.min()?,
        OnDemandStrategy::LowestPrice => {
            candidates.min_by(|a, b| unit_price(*a).total_cmp(&unit_price(*b)).then(a.cmp(b)))?
        }
    };
    let o = &p.overrides[type_index];
    let why = match strategy {
        OnDemandStrategy::Prioritized => format!(
            "On-Demand, prioritized: {} is the first usable override",
            o.instance_type
        ),
        OnDemandStrategy::LowestPrice => format!(
            "On-Demand, lowest-price: {} at ${:.4} per unit-hour",
            o.instance_type,
            unit_price(type_index)
        ),
    };
    Some(PoolChoice { type_index, why })
}

/// The Spot pool of one AZ for the next launch, among `pools` (the overrides in that AZ), or
/// `None` when no pool is under the maximum price with room (insufficient capacity).
/// Strategies (UG: ec2-auto-scaling-mixed-instances-groups, "Spot Instances"):
/// - `lowest-price`: the `spot_instance_pools` cheapest pools per unit, the emptiest of them
///   first; a full pool hands over to the next cheapest;
/// - `capacity-optimized`: the lowest interruption rate, then the most room;
/// - `capacity-optimized-prioritized`: the lowest interruption rate, then the overrides' order;
/// - `price-capacity-optimized`: the pools within twice the lowest interruption rate
///   \[model\], then the cheapest per unit.
pub fn choose_spot(p: &MixedInstancesPolicy, pools: &[PoolView]) -> Option<PoolChoice> {
    let d = &p.distribution;
    let weight = |v: &PoolView| f64::from(p.overrides[v.type_index].weighted_capacity);
    let unit_price = |v: &PoolView| v.spot_price_per_hour_usd / weight(v);
    let max_unit_price = |v: &PoolView| {
        let o = &p.overrides[v.type_index];
        d.spot_max_price_usd
            .unwrap_or(o.price_per_hour_usd / weight(v))
    };
    let mut open: Vec<&PoolView> = pools
        .iter()
        .filter(|v| v.free != Some(0) && unit_price(v) <= max_unit_price(v) + 1e-12)
        .collect();
    if open.is_empty() {
        return None;
    }
    let by_price = |a: &&PoolView, b: &&PoolView| {
        (unit_price(a).total_cmp(&unit_price(b))).then(a.type_index.cmp(&b.type_index))
    };
    let by_rate = |a: &&PoolView, b: &&PoolView| {
        a.interruption_rate_per_day
            .total_cmp(&b.interruption_rate_per_day)
    };
    let chosen = match d.spot_allocation_strategy {
        SpotStrategy::LowestPrice => {
            open.sort_by(by_price);
            open.truncate(d.spot_instance_pools.max(1) as usize);
            // Spread over the N cheapest: the one holding the fewest units, cheapest on a tie.
            *open.iter().min_by_key(|v| v.running_units)?
        }
        SpotStrategy::CapacityOptimized => *open.iter().min_by(|a, b| {
            by_rate(a, b)
                .then(b.free.unwrap_or(u32::MAX).cmp(&a.free.unwrap_or(u32::MAX)))
                .then(a.type_index.cmp(&b.type_index))
        })?,
        SpotStrategy::CapacityOptimizedPrioritized => *open
            .iter()
            .min_by(|a, b| by_rate(a, b).then(a.type_index.cmp(&b.type_index)))?,
        SpotStrategy::PriceCapacityOptimized => {
            let lowest = open.iter().min_by(|a, b| by_rate(a, b))?;
            let limit = lowest.interruption_rate_per_day * 2.0;
            open.retain(|v| v.interruption_rate_per_day <= limit + 1e-12);
            *open.iter().min_by(|a, b| by_price(a, b))?
        }
    };
    let o = &p.overrides[chosen.type_index];
    let why = format!(
        "Spot, {}: {} at ${:.4}/h (${:.4} per unit-hour), {} interruptions per day",
        d.spot_allocation_strategy.aws_name(),
        o.instance_type,
        chosen.spot_price_per_hour_usd,
        unit_price(chosen),
        chosen.interruption_rate_per_day
    );
    Some(PoolChoice {
        type_index: chosen.type_index,
        why,
    })
}

#[cfg(test)]
mod tests {
    use super::super::config::InstanceOverride;
    use super::*;

    fn dist(base: u32, percent: u32) -> InstancesDistribution {
        InstancesDistribution {
            on_demand_base_capacity: base,
            on_demand_percentage_above_base_capacity: percent,
            ..InstancesDistribution::default()
        }
    }

    /// UG ec2-auto-scaling-mixed-instances-groups, "Example: Scaling behavior", every cell of
    /// its five examples at 10, 20, 30 and 40 instances (On-Demand = base + percentage above).
    #[test]
    fn the_user_guides_scaling_behaviour_table() {
        let cases = [
            ((10, 50), [10, 15, 20, 25]),
            ((0, 0), [0, 0, 0, 0]),
            ((0, 60), [6, 12, 18, 24]),
            ((0, 100), [10, 20, 30, 40]),
            ((12, 0), [10, 12, 12, 12]),
        ];
        for ((base, percent), on_demand) in cases {
            for (desired, expected) in [10, 20, 30, 40].into_iter().zip(on_demand) {
                let got = on_demand_target(&dist(base, percent), desired);
                assert_eq!(got, expected, "base {base}, {percent}%, desired {desired}");
            }
        }
    }

    /// Same page: "If the result creates a fractional number, Amazon EC2 Auto Scaling rounds up
    /// to the next integer in favor of On-Demand Instances". Base 2, 25% above the base.
    #[test]
    fn fractions_round_up_in_favour_of_on_demand() {
        let d = dist(2, 25);
        let on_demand: Vec<u32> = (0..=10).map(|n| on_demand_target(&d, n)).collect();
        // desired 3: 2 + ⌈0.25⌉ = 3; 6: 2 + ⌈1⌉ = 3; 7: 2 + ⌈1.25⌉ = 4; 10: 2 + 2 = 4.
        assert_eq!(on_demand, [0, 1, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
        assert_eq!(next_market(&d, 7, 3), Market::OnDemand);
        assert_eq!(next_market(&d, 7, 4), Market::Spot);
    }

    /// UG ec2-auto-scaling-termination-policies: a mixed group's scale-in first chooses the
    /// market that brings the rest closest to the distribution.
    #[test]
    fn scale_in_takes_from_the_market_above_its_share() {
        let d = dist(2, 25);
        // desired 6 → On-Demand 3, Spot 3. With 4 + 4 running, Spot is as far above as
        // On-Demand: Spot goes (the base stays).
        assert_eq!(market_to_terminate(&d, 6, (4, 4)), Market::Spot);
        assert_eq!(market_to_terminate(&d, 6, (5, 3)), Market::OnDemand);
        assert_eq!(market_to_terminate(&d, 2, (2, 3)), Market::Spot);
    }

    pub(crate) fn policy(strategy: SpotStrategy) -> MixedInstancesPolicy {
        let o = |t: &str, w: u32, od: f64| InstanceOverride {
            instance_type: t.to_string(),
            weighted_capacity: w,
            capacity_rps: 100.0 * f64::from(w),
            price_per_hour_usd: od,
            spot_price_per_hour_usd: vec![],
        };
        MixedInstancesPolicy {
            overrides: vec![
                o("c5.2xlarge", 2, 0.34),
                o("c5.4xlarge", 4, 0.68),
                o("c5.12xlarge", 12, 2.04),
            ],
            distribution: InstancesDistribution {
                spot_allocation_strategy: strategy,
                ..InstancesDistribution::default()
            },
        }
    }

    /// The us-east-1a column of UG ec2-auto-scaling-mixed-instances-groups-instance-weighting
    /// ("Spot Price per unit hour example"), with interruption rates made up for the test.
    fn pools() -> Vec<PoolView> {
        let v = |i, price, rate, free, running| PoolView {
            type_index: i,
            spot_price_per_hour_usd: price,
            interruption_rate_per_day: rate,
            free,
            running_units: running,
        };
        vec![
            v(0, 0.180, 0.01, None, 0),
            v(1, 0.341, 0.02, Some(5), 0),
            v(2, 0.779, 0.08, None, 0),
        ]
    }

    /// Each Spot strategy's pick on the page's prices: per unit-hour c5.2xlarge $0.090,
    /// c5.4xlarge $0.085, c5.12xlarge $0.065.
    #[test]
    fn each_spot_strategy_picks_its_pool() {
        let pick = |s| choose_spot(&policy(s), &pools()).unwrap().type_index;
        // lowest-price, N = 2: the two cheapest per unit are c5.12xlarge and c5.4xlarge;
        // both empty, so the cheaper one.
        assert_eq!(pick(SpotStrategy::LowestPrice), 2);
        // capacity-optimized: the lowest interruption rate.
        assert_eq!(pick(SpotStrategy::CapacityOptimized), 0);
        assert_eq!(pick(SpotStrategy::CapacityOptimizedPrioritized), 0);
        // price-capacity-optimized: rates within 2 × 0.01 are c5.2xlarge and c5.4xlarge;
        // the cheaper per unit is c5.4xlarge.
        assert_eq!(pick(SpotStrategy::PriceCapacityOptimized), 1);
        let why = choose_spot(&policy(SpotStrategy::LowestPrice), &pools())
            .unwrap()
            .why;
        assert!(
            why.contains("lowest-price: c5.12xlarge at $0.7790/h ($0.0649 per unit-hour)"),
            "{why}"
        );
    }

    /// lowest-price spreads over its N pools (the emptiest first), and "if a pool runs out of
    /// Spot capacity … draws from the next cheapest pool"; a maximum price leaves out pools
    /// above it; nothing under it is insufficient capacity.
    #[test]
    fn lowest_price_spreads_and_falls_through_full_pools() {
        let p = policy(SpotStrategy::LowestPrice);
        let mut v = pools();
        v[2].running_units = 12;
        assert_eq!(
            choose_spot(&p, &v).unwrap().type_index,
            1,
            "the emptier of the two"
        );
        v[1].free = Some(0);
        // c5.4xlarge is full: the next cheapest, c5.2xlarge, joins the two, and is emptier.
        assert_eq!(choose_spot(&p, &v).unwrap().type_index, 0);
        v[0].free = Some(0);
        assert_eq!(
            choose_spot(&p, &v).unwrap().type_index,
            2,
            "the only pool with room"
        );
        let mut capped = p.clone();
        capped.distribution.spot_max_price_usd = Some(0.08);
        assert_eq!(choose_spot(&capped, &pools()).unwrap().type_index, 2);
        capped.distribution.spot_max_price_usd = Some(0.05);
        assert_eq!(choose_spot(&capped, &pools()), None);
    }

    /// On-Demand: prioritized takes the overrides' order, lowest-price the cheapest per unit.
    #[test]
    fn on_demand_strategies() {
        let mut p = policy(SpotStrategy::LowestPrice);
        assert_eq!(choose_on_demand(&p, |_| true).unwrap().type_index, 0);
        assert_eq!(choose_on_demand(&p, |i| i != 0).unwrap().type_index, 1);
        p.overrides[2].price_per_hour_usd = 1.8;
        p.distribution.on_demand_allocation_strategy = OnDemandStrategy::LowestPrice;
        assert_eq!(choose_on_demand(&p, |_| true).unwrap().type_index, 2);
    }
}
