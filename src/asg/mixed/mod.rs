//! Mixed instances groups and Spot (UG: ec2-auto-scaling-mixed-instances-groups,
//! ec2-auto-scaling-capacity-rebalancing): the policy's settings, the distribution and
//! allocation arithmetic, and the Spot market (prices, interruptions) behind the pools.

mod allocation;
mod config;
mod market;

pub use allocation::{
    PoolChoice, PoolView, choose_on_demand, choose_spot, market_to_terminate, next_market,
    on_demand_target,
};
pub use config::{
    InstanceOverride, InstancesDistribution, Market, MixedInstancesPolicy, OnDemandStrategy,
    SpotConfig, SpotPoolConfig, SpotStrategy,
};
pub use market::{INTERRUPTION_NOTICE_MS, SpotEvent, SpotMarket};
