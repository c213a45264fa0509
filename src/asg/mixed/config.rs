//! What a mixed instances policy is (API `MixedInstancesPolicy`, `InstancesDistribution`,
//! `LaunchTemplateOverrides`; UG: ec2-auto-scaling-mixed-instances-groups) and the Spot
//! market asgsim models behind it: a price and an interruption rate per pool.

use crate::time::SimDuration;

/// `\[mixed_instances_policy\]`: the instance types and how capacity is split between
/// On-Demand and Spot.
#[derive(Debug, Clone, PartialEq)]
pub struct MixedInstancesPolicy {
    /// `launch_template.overrides`, in priority order (first = highest). Never empty: a policy
    /// written without overrides launches the launch template's own type, as AWS does.
    pub overrides: Vec<InstanceOverride>,
    /// `instances_distribution`.
    pub distribution: InstancesDistribution,
}

impl MixedInstancesPolicy {
    /// The largest `weighted_capacity` \[capacity units\]: a launch may overshoot desired
    /// capacity by less than this (UG: ec2-auto-scaling-mixed-instances-groups-instance-weighting).
    pub fn largest_weight(&self) -> u32 {
        self.overrides
            .iter()
            .map(|o| o.weighted_capacity)
            .max()
            .unwrap_or(1)
    }

    /// Whether any override carries a weight other than 1: min, max and desired then count
    /// capacity units.
    pub fn weighted(&self) -> bool {
        self.overrides.iter().any(|o| o.weighted_capacity != 1)
    }
}

/// One `[[mixed_instances_policy.launch_template.overrides]]` entry: an instance type the
/// group may launch.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceOverride {
    /// EC2 instance type, e.g. `m5.xlarge`.
    pub instance_type: String,
    /// `WeightedCapacity`: capacity units one instance counts for (1–999; 1 when not given).
    pub weighted_capacity: u32,
    /// Requests one instance serves at 100% CPU \[req/s\].
    pub capacity_rps: f64,
    /// On-Demand price \[USD per hour\].
    pub price_per_hour_usd: f64,
    /// Spot price in each of the group's AZs, in the scenario's AZ order \[USD per hour\].
    pub spot_price_per_hour_usd: Vec<f64>,
}

/// `on_demand_allocation_strategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDemandStrategy {
    /// The overrides' order (AWS's default without `InstanceRequirements`).
    Prioritized,
    /// The cheapest type per capacity unit first.
    LowestPrice,
}

/// `spot_allocation_strategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpotStrategy {
    /// The pools least likely to be interrupted, then the cheapest of them.
    PriceCapacityOptimized,
    /// The pools least likely to be interrupted.
    CapacityOptimized,
    /// As capacity-optimized, the overrides' order breaking ties.
    CapacityOptimizedPrioritized,
    /// The `spot_instance_pools` cheapest pools of each AZ.
    LowestPrice,
}

impl SpotStrategy {
    /// The AWS spelling.
    pub fn aws_name(self) -> &'static str {
        match self {
            Self::PriceCapacityOptimized => "price-capacity-optimized",
            Self::CapacityOptimized => "capacity-optimized",
            Self::CapacityOptimizedPrioritized => "capacity-optimized-prioritized",
            Self::LowestPrice => "lowest-price",
        }
    }
}

impl OnDemandStrategy {
    /// The AWS spelling.
    pub fn aws_name(self) -> &'static str {
        match self {
            Self::Prioritized => "prioritized",
            Self::LowestPrice => "lowest-price",
        }
    }
}

/// `instances_distribution`, with the API's defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InstancesDistribution {
    /// Capacity filled by On-Demand instances first \[capacity units\] (default 0).
    pub on_demand_base_capacity: u32,
    /// On-Demand share of the capacity above the base \[%\] (0–100, default 100).
    pub on_demand_percentage_above_base_capacity: u32,
    /// How On-Demand types are chosen (default prioritized).
    pub on_demand_allocation_strategy: OnDemandStrategy,
    /// How Spot pools are chosen (default lowest-price, as in the API).
    pub spot_allocation_strategy: SpotStrategy,
    /// Pools per AZ for lowest-price (1–20, default 2).
    pub spot_instance_pools: u32,
    /// Highest Spot price paid per capacity unit \[USD per unit-hour\]; default the
    /// On-Demand price.
    pub spot_max_price_usd: Option<f64>,
}

impl Default for InstancesDistribution {
    fn default() -> Self {
        Self {
            on_demand_base_capacity: 0,
            on_demand_percentage_above_base_capacity: 100,
            on_demand_allocation_strategy: OnDemandStrategy::Prioritized,
            spot_allocation_strategy: SpotStrategy::LowestPrice,
            spot_instance_pools: 2,
            spot_max_price_usd: None,
        }
    }
}

/// `\[spot\]`: the Spot market asgsim models \[model\]: AWS publishes no interruption rates,
/// so they are the scenario's.
#[derive(Debug, Clone, PartialEq)]
pub struct SpotConfig {
    /// Interruptions per instance per day, for every pool without its own (default 0).
    pub interruption_rate_per_day: f64,
    /// How long before the interruption notice the rebalance recommendation comes \[ms\]
    /// (default 10 minutes).
    pub rebalance_notice_ms: SimDuration,
    /// `[[spot.pools]]`: per-pool settings.
    pub pools: Vec<SpotPoolConfig>,
}

impl Default for SpotConfig {
    fn default() -> Self {
        Self {
            interruption_rate_per_day: 0.0,
            rebalance_notice_ms: 10 * 60_000,
            pools: Vec::new(),
        }
    }
}

/// One `[[spot.pools]]` entry: the pools it matches (a type, an AZ, or both) and what
/// differs there.
#[derive(Debug, Clone, PartialEq)]
pub struct SpotPoolConfig {
    /// Only pools of this type, if set.
    pub instance_type: Option<String>,
    /// Only pools of this AZ (index in the scenario's list), if set.
    pub az: Option<usize>,
    /// Interruptions per instance per day there.
    pub interruption_rate_per_day: Option<f64>,
    /// Spot price there \[USD per hour\].
    pub spot_price_per_hour_usd: Option<f64>,
    /// Spot instances the pool can hold at once; launches beyond fail there (insufficient
    /// capacity) and the strategy tries the next pool.
    pub capacity: Option<u32>,
}

/// Which market an instance was bought on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Market {
    /// On-Demand.
    #[default]
    OnDemand,
    /// Spot.
    Spot,
}

impl Market {
    /// The spelling in `instances.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnDemand => "on-demand",
            Self::Spot => "spot",
        }
    }
}
