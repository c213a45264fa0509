//! The Spot market behind a mixed instances group \[model\]: per pool (instance type, AZ) a
//! price, an interruption rate and optionally a capacity, and the interruptions of each Spot
//! instance drawn from the run's own Spot stream. EC2 gives a rebalance recommendation, then
//! the two-minute interruption notice, then reclaims the instance (UG:
//! ec2-auto-scaling-capacity-rebalancing: "Amazon EC2 always gives both an EC2 instance
//! rebalance recommendation and a Spot two-minute instance interruption notice before an
//! instance is interrupted").

use rand_distr::{Distribution, Exp};

use super::allocation::PoolView;
use super::config::{Market, MixedInstancesPolicy, SpotConfig};
use crate::asg::Kind;
use crate::engine::Scheduler;
use crate::rng::{SimRng, Stream, stream};
use crate::time::{MS_PER_DAY, SimDuration, SimTime};

/// The interruption notice: EC2 reclaims a Spot instance two minutes after it \[ms\].
pub const INTERRUPTION_NOTICE_MS: SimDuration = 120_000;

/// What the Spot market schedules, by instance index (or scripted event index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpotEvent {
    /// The instance's rebalance recommendation.
    Rebalance(usize),
    /// Its two-minute interruption notice.
    Notice(usize),
    /// EC2 reclaims it.
    Interrupt(usize),
    /// A scripted `spot_interruption` event's rebalance recommendations are due.
    Scripted(usize),
}

/// One pool: a type in an AZ.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pool {
    spot_price_per_hour_usd: f64,
    interruption_rate_per_day: f64,
    capacity: Option<u32>,
    /// Spot instances of the group there \[instances\].
    running: u32,
    /// Their capacity units \[capacity units\].
    running_units: u32,
}

/// Prices, rates and occupancy of every pool, and the interruption draws.
#[derive(Debug, Clone)]
pub struct SpotMarket {
    az_count: usize,
    pools: Vec<Pool>,
    rebalance_notice_ms: SimDuration,
    rng: SimRng,
}

impl SpotMarket {
    /// The pools of `policy` over `az_count` AZs, with `spot`'s per-pool settings (a later
    /// `[[spot.pools]]` entry wins over an earlier one), drawing from `seed`'s Spot stream.
    pub fn new(
        policy: Option<&MixedInstancesPolicy>,
        spot: &SpotConfig,
        az_count: usize,
        seed: u64,
    ) -> Self {
        let mut pools = Vec::new();
        for o in policy.map_or(&[][..], |p| &p.overrides) {
            for az in 0..az_count {
                let mut pool = Pool {
                    spot_price_per_hour_usd: o
                        .spot_price_per_hour_usd
                        .get(az)
                        .copied()
                        .unwrap_or(0.0),
                    interruption_rate_per_day: spot.interruption_rate_per_day,
                    capacity: None,
                    running: 0,
                    running_units: 0,
                };
                let matching = spot.pools.iter().filter(|p| {
                    p.instance_type
                        .as_ref()
                        .is_none_or(|t| *t == o.instance_type)
                        && p.az.is_none_or(|a| a == az)
                });
                for p in matching {
                    if let Some(rate) = p.interruption_rate_per_day {
                        pool.interruption_rate_per_day = rate;
                    }
                    if let Some(price) = p.spot_price_per_hour_usd {
                        pool.spot_price_per_hour_usd = price;
                    }
                    if p.capacity.is_some() {
                        pool.capacity = p.capacity;
                    }
                }
                pools.push(pool);
            }
        }
        Self {
            az_count,
            pools,
            rebalance_notice_ms: spot.rebalance_notice_ms,
            rng: stream(seed, Stream::Spot),
        }
    }

    fn pool(&self, type_index: usize, az: usize) -> &Pool {
        &self.pools[type_index * self.az_count + az]
    }

    fn pool_mut(&mut self, type_index: usize, az: usize) -> &mut Pool {
        &mut self.pools[type_index * self.az_count + az]
    }

    /// The Spot price of a pool \[USD per hour\].
    pub fn price(&self, type_index: usize, az: usize) -> f64 {
        self.pool(type_index, az).spot_price_per_hour_usd
    }

    /// The interruption rate of a pool \[per instance per day\].
    pub fn rate(&self, type_index: usize, az: usize) -> f64 {
        self.pool(type_index, az).interruption_rate_per_day
    }

    /// What the allocation strategies see of the pools of `az`.
    pub fn views(&self, az: usize) -> Vec<PoolView> {
        let types = self.pools.len() / self.az_count.max(1);
        (0..types)
            .map(|t| {
                let p = self.pool(t, az);
                PoolView {
                    type_index: t,
                    spot_price_per_hour_usd: p.spot_price_per_hour_usd,
                    interruption_rate_per_day: p.interruption_rate_per_day,
                    free: p.capacity.map(|c| c.saturating_sub(p.running)),
                    running_units: p.running_units,
                }
            })
            .collect()
    }

    /// A Spot instance of `kind` starts (`true`) or stops (`false`) holding room in its pool.
    pub fn occupy(&mut self, kind: Kind, az: usize, start: bool) {
        if kind.market != Market::Spot {
            return;
        }
        let pool = self.pool_mut(kind.type_index, az);
        if start {
            pool.running += 1;
            pool.running_units += kind.weight;
        } else {
            pool.running -= 1;
            pool.running_units -= kind.weight;
        }
    }

    /// How long before the interruption notice its rebalance recommendation comes \[ms\].
    pub fn rebalance_notice_ms(&self) -> SimDuration {
        self.rebalance_notice_ms
    }

    /// Draws when EC2 will interrupt a Spot instance launched now (exponential at its pool's
    /// rate) and schedules its rebalance recommendation and interruption notice; nothing when
    /// the pool's rate is 0. Only Spot launches draw, so groups without Spot draw nothing.
    pub fn draw_interruption(
        &mut self,
        (index, kind, az): (usize, Kind, usize),
        now_ms: SimTime,
        events: &mut impl Scheduler<SpotEvent>,
    ) {
        let rate = self.rate(kind.type_index, az);
        if kind.market != Market::Spot || rate <= 0.0 {
            return;
        }
        let Ok(exp) = Exp::new(rate / MS_PER_DAY as f64) else {
            return;
        };
        let after_ms = exp.sample(&mut self.rng).min(1e15) as SimDuration;
        // Nothing comes at the very instant of the launch: at least 1 ms after it.
        let notice_ms = now_ms + after_ms.max(1);
        let rebalance_ms = notice_ms
            .saturating_sub(self.rebalance_notice_ms)
            .max(now_ms + 1);
        events.schedule(rebalance_ms, SpotEvent::Rebalance(index));
        events.schedule(notice_ms, SpotEvent::Notice(index));
    }
}

#[cfg(test)]
mod tests {
    use super::super::config::{InstanceOverride, InstancesDistribution, SpotPoolConfig};
    use super::*;

    struct Queue(Vec<(SimTime, SpotEvent)>);
    impl Scheduler<SpotEvent> for Queue {
        fn schedule(&mut self, at_ms: SimTime, event: SpotEvent) {
            self.0.push((at_ms, event));
        }
    }

    fn policy() -> MixedInstancesPolicy {
        let o = |t: &str| InstanceOverride {
            instance_type: t.to_string(),
            weighted_capacity: 1,
            capacity_rps: 100.0,
            price_per_hour_usd: 0.096,
            spot_price_per_hour_usd: vec![0.03, 0.04],
        };
        MixedInstancesPolicy {
            overrides: vec![o("m5.large"), o("m5a.large")],
            distribution: InstancesDistribution::default(),
        }
    }

    /// Per-pool settings override the market's; the recommendation comes `rebalance_notice`
    /// before the notice (UG ec2-auto-scaling-capacity-rebalancing).
    #[test]
    fn pools_take_their_overrides_and_interruptions_come_in_order() {
        let spot = SpotConfig {
            interruption_rate_per_day: 1.0,
            rebalance_notice_ms: 600_000,
            pools: vec![SpotPoolConfig {
                instance_type: Some("m5a.large".into()),
                az: Some(1),
                interruption_rate_per_day: Some(0.0),
                spot_price_per_hour_usd: Some(0.02),
                capacity: Some(1),
            }],
        };
        let mut m = SpotMarket::new(Some(&policy()), &spot, 2, 7);
        assert_eq!((m.price(1, 1), m.rate(1, 1)), (0.02, 0.0));
        assert_eq!((m.price(1, 0), m.rate(1, 0)), (0.03, 1.0));
        let spot_kind = |t| Kind {
            type_index: t,
            market: Market::Spot,
            weight: 1,
        };
        m.occupy(spot_kind(1), 1, true);
        assert_eq!(m.views(1)[1].free, Some(0), "the pool is full");
        let mut q = Queue(Vec::new());
        m.draw_interruption((0, spot_kind(1), 1), 1_000, &mut q);
        assert!(q.0.is_empty(), "rate 0: never interrupted");
        m.draw_interruption((3, spot_kind(0), 0), 1_000, &mut q);
        let [
            (rebalance, SpotEvent::Rebalance(3)),
            (notice, SpotEvent::Notice(3)),
        ] = q.0[..]
        else {
            panic!("{:?}", q.0);
        };
        assert_eq!(rebalance, notice.saturating_sub(600_000).max(1_001));
    }
}
