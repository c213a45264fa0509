//! Warm pools (asg-semantics.md §9): prepared instances outside the group's capacity. The
//! pool's size is max(MinSize, P − desired), P = MaxGroupPreparedCapacity or max_size (0 when
//! desired > P, unless MinSize). A scale-out takes ready pool instances first: they start in
//! `warm_start_time` instead of a cold boot. A scale-in terminates, and the pool refills;
//! with ReuseOnScaleIn the instance goes back to the pool. Stopped and hibernated pool
//! instances cost only their volumes; running ones cost as running.

use crate::asg::TerminationReason;

use crate::asg::{PoolState, WarmPoolConfig};
use crate::records::Recorder;
use crate::time::SimTime;

use super::lifecycle::sample_boot_ms;
use super::{Event, Simulation};

/// The pool's size for a group at `desired` (§12.8: desired 6, max 10 ⇒ 4; P 8 ⇒ 2;
/// desired 800, P 900 ⇒ 100; MinSize 10 = P ⇒ 10) \[instances\].
pub fn warm_pool_size(min_size: u32, prepared_capacity: u32, desired: u32) -> u32 {
    if desired > prepared_capacity {
        min_size
    } else {
        min_size.max(prepared_capacity - desired)
    }
}

impl<R: Recorder> Simulation<'_, R> {
    pub(super) fn pool_config(&self) -> Option<&WarmPoolConfig> {
        self.scenario.warm_pool.as_ref()
    }

    fn pool_target(&self) -> Option<u32> {
        let cfg = self.pool_config()?;
        let p = cfg
            .max_group_prepared_capacity
            .unwrap_or(self.group.max_size);
        Some(warm_pool_size(cfg.min_size, p, self.group.desired))
    }

    /// Grows the pool toward its size (new instances boot, then stop) or trims it.
    pub(super) fn maintain_pool(&mut self, ready_at_once: bool) {
        let Some(target) = self.pool_target() else {
            return;
        };
        // Instances draining back to the pool (ReuseOnScaleIn) are already counted.
        let current = self.group.pool.len() as u32 + self.pool_returning;
        if current < target {
            for _ in current..target {
                let az = self.pool_az();
                let boot =
                    sample_boot_ms(&self.scenario.launch_template.boot_time, &mut self.boot_rng);
                let ready = if ready_at_once {
                    self.now_ms
                } else {
                    self.now_ms + boot
                };
                self.group.launch_to_pool(az, self.now_ms, ready);
            }
        } else {
            for _ in target..current.min(target + self.group.pool.len() as u32) {
                let Some(index) = self.group.pool.last().copied() else {
                    break;
                };
                self.group.terminate_from_pool(index, self.now_ms);
                self.report_instance(index);
            }
        }
        if current != target {
            self.explain(format!("warm pool: {current} → {target} instances (max(min_size, prepared capacity − desired {}))", self.group.desired));
        }
    }

    /// The AZ a new pool instance goes to: the fewest instances, group and pool together.
    fn pool_az(&self) -> usize {
        let g = &self.group;
        let mut counts = g.az_active.clone();
        for i in &g.pool {
            counts[g.instances[*i].az] += 1;
        }
        (0..counts.len())
            .min_by_key(|az| (counts[*az], *az))
            .unwrap_or(0)
    }

    /// Starts a ready pool instance (the one in the AZ a launch would pick first); `None`
    /// when none is ready.
    pub(super) fn take_warm(
        &mut self,
        in_simple_activity: bool,
        leaving_az: Option<usize>,
    ) -> Option<usize> {
        let cfg = self.pool_config()?;
        let start = cfg.warm_start_time;
        let now = self.now_ms;
        let order = self.group.launch_order(|_| true, leaving_az);
        let ready = |i: &usize| {
            self.group.instances[*i]
                .pool_ready_ms
                .is_some_and(|t| t <= now)
        };
        let rank = |i: &usize| {
            order
                .iter()
                .position(|az| *az == self.group.instances[*i].az)
        };
        let index = self
            .group
            .pool
            .iter()
            .filter(|i| ready(i))
            .min_by_key(|i| (rank(i), **i))
            .copied()?;
        self.group.take_from_pool(index, now);
        self.group.instances[index].in_simple_activity = in_simple_activity;
        let start_ms = sample_boot_ms(&start, &mut self.boot_rng);
        let _ = self.queue.schedule(now + start_ms, Event::BootDone(index));
        Some(index)
    }

    /// Whether a drained instance goes back to the pool instead of terminating.
    pub(super) fn reuses(&self, index: usize) -> bool {
        self.pool_config().is_some_and(|c| c.reuse_on_scale_in)
            && self.group.instances[index].termination_reason == Some(TerminationReason::ScaleIn)
    }

    /// The cost of an instance's warm-pool time up to `end_ms` \[USD\].
    pub(super) fn pool_cost(&self, index: usize, end_ms: SimTime) -> (SimTime, f64) {
        let pool_ms = self.group.instances[index].pool_ms(end_ms);
        let Some(cfg) = self.pool_config() else {
            return (0, 0.0);
        };
        let rate = match cfg.pool_state {
            PoolState::Running => self.group.template_of(index).map_or(0.0, |t| t.1),
            PoolState::Stopped | PoolState::Hibernated => cfg.stopped_price_per_hour_usd,
        };
        (pool_ms, pool_ms as f64 / 3_600_000.0 * rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// §12.8.
    #[test]
    fn warm_pool_sizes_12_8() {
        assert_eq!(warm_pool_size(0, 10, 6), 4);
        assert_eq!(warm_pool_size(0, 8, 6), 2);
        assert_eq!(warm_pool_size(0, 900, 800), 100);
        assert_eq!(warm_pool_size(10, 10, 3), 10);
        assert_eq!(warm_pool_size(10, 10, 12), 10);
        assert_eq!(warm_pool_size(0, 8, 9), 0);
    }
}
