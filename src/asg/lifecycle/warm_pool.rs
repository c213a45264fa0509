//! Warm pools (UG: ec2-auto-scaling-warm-pools; UG: examples-warm-pools-aws-cli): prepared
//! instances outside the group's capacity. The pool's size is max(MinSize, P − desired), P =
//! MaxGroupPreparedCapacity or max_size (0 when desired > P, unless MinSize). A scale-out takes
//! ready pool instances first: they start in `warm_start_time` instead of a cold boot. A
//! scale-in terminates, and the pool refills; with ReuseOnScaleIn the instance goes back to the
//! pool. Stopped and hibernated pool instances cost only their volumes; running ones cost as
//! running.

use crate::time::{MS_PER_HOUR, SimTime};

use super::super::{Group, Instance, TerminationReason};
use super::{PoolState, WarmPoolConfig};

/// The pool's size for a group at `desired` (UG ec2-auto-scaling-warm-pools: desired 6,
/// max 10 ⇒ 4; P 8 ⇒ 2; desired 800, P 900 ⇒ 100; MinSize 10 = P ⇒ 10) \[instances\].
pub fn warm_pool_size(min_size: u32, prepared_capacity: u32, desired: u32) -> u32 {
    if desired > prepared_capacity {
        min_size
    } else {
        min_size.max(prepared_capacity - desired)
    }
}

/// The size `config`'s pool should have for `group` now \[instances\].
pub fn pool_target(config: &WarmPoolConfig, group: &Group) -> u32 {
    let p = config.max_group_prepared_capacity.unwrap_or(group.max_size);
    warm_pool_size(config.min_size, p, group.desired)
}

/// The AZ a new pool instance goes to: the fewest instances, group and pool together.
pub fn pool_az(group: &Group) -> usize {
    let mut counts = group.az_active.clone();
    for i in &group.pool {
        counts[group.instances[*i].az] += 1;
    }
    (0..counts.len())
        .min_by_key(|az| (counts[*az], *az))
        .unwrap_or(0)
}

/// The pool instance a launch takes at `now_ms`: a ready one, in the AZ that comes first in
/// the launch's AZ `order`, the oldest on a tie; `None` when none is ready.
pub fn ready_instance(group: &Group, now_ms: SimTime, order: &[usize]) -> Option<usize> {
    let ready = |i: &usize| {
        group.instances[*i]
            .pool_ready_ms
            .is_some_and(|t| t <= now_ms)
    };
    let rank = |i: &usize| order.iter().position(|az| *az == group.instances[*i].az);
    group
        .pool
        .iter()
        .filter(|i| ready(i))
        .min_by_key(|i| (rank(i), **i))
        .copied()
}

/// Whether a drained instance goes back to the pool instead of terminating (ReuseOnScaleIn:
/// only instances scaled in).
pub fn reuses(config: Option<&WarmPoolConfig>, inst: &Instance) -> bool {
    config.is_some_and(|c| c.reuse_on_scale_in)
        && inst.termination_reason == Some(TerminationReason::ScaleIn)
}

/// An instance's warm-pool time up to `end_ms` and what it cost at the pool's rate: the
/// volumes' price when stopped or hibernated, the instance's `running_price_per_hour` when
/// running (time \[ms\], cost \[USD\]).
pub fn pool_cost(
    config: Option<&WarmPoolConfig>,
    inst: &Instance,
    running_price_per_hour: f64,
    end_ms: SimTime,
) -> (SimTime, f64) {
    let pool_ms = inst.pool_ms(end_ms);
    let Some(cfg) = config else {
        return (0, 0.0);
    };
    let rate = match cfg.pool_state {
        PoolState::Running => running_price_per_hour,
        PoolState::Stopped | PoolState::Hibernated => cfg.stopped_price_per_hour_usd,
    };
    (pool_ms, pool_ms as f64 / MS_PER_HOUR as f64 * rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// UG ec2-auto-scaling-warm-pools and examples-warm-pools-aws-cli.
    #[test]
    fn warm_pool_sizes() {
        assert_eq!(warm_pool_size(0, 10, 6), 4);
        assert_eq!(warm_pool_size(0, 8, 6), 2);
        assert_eq!(warm_pool_size(0, 900, 800), 100);
        assert_eq!(warm_pool_size(10, 10, 3), 10);
        assert_eq!(warm_pool_size(10, 10, 12), 10);
        assert_eq!(warm_pool_size(0, 8, 9), 0);
    }

    /// A new pool instance goes where group and pool together are thinnest; a launch takes
    /// the ready instance of its first AZ, not one still preparing.
    #[test]
    fn pool_zones_and_ready_instances() {
        let mut g = Group::new(0, 10, 2, 2);
        g.launch_in(0, 0, false);
        g.launch_in(0, 0, false);
        assert_eq!(pool_az(&g), 1);
        let early = g.launch_to_pool(1, 0, 60_000);
        let late = g.launch_to_pool(0, 0, 120_000);
        assert_eq!(pool_az(&g), 1, "a: 2 + 1, b: 0 + 1");
        assert_eq!(
            ready_instance(&g, 90_000, &[0, 1]),
            Some(early),
            "b's is ready"
        );
        assert_eq!(
            ready_instance(&g, 120_000, &[0, 1]),
            Some(late),
            "a comes first"
        );
        assert_eq!(ready_instance(&g, 30_000, &[0, 1]), None);
    }
}
