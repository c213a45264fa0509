//! The instance lifecycle's timing (UG: ec2-auto-scaling-lifecycle): how long a launch boots,
//! what lifecycle hooks hold, the warm pool, instance refresh. The component draws boot and
//! hook work times from their own streams and keeps the refresh under way; the run moves the
//! instances (`crate::sim`).

mod config;
mod hooks;
mod refresh;
mod warm_pool;

pub use config::{
    HookResult, InstanceRefreshConfig, LifecycleHookConfig, LifecycleTransition, PoolState,
    WarmPoolConfig,
};
pub use hooks::{hook_cap_ms, hook_deadline_ms, hook_outcome};
pub use refresh::{REFRESH_NEEDS, Refresh, RefreshWait, Warmed};
pub use warm_pool::{pool_az, pool_cost, pool_target, ready_instance, reuses, warm_pool_size};

use rand::Rng;
use rand_distr::{Distribution, LogNormal};

use crate::rng::{SimRng, Stream, stream};
use crate::time::{SimDuration, SimTime};

use super::BootTime;

/// z of the 95th percentile of the standard normal distribution.
const Z95: f64 = 1.644_853_626_951_472_2;

/// What the lifecycle schedules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifecycleEvent {
    /// An instance finished booting (or its warm start).
    BootDone(usize),
    /// A terminating instance finished draining.
    DrainDone(usize),
    /// A lifecycle action completes or times out.
    HookDone(usize, LifecycleTransition, HookResult),
    /// A new instance of an instance refresh finished its warm-up.
    RefreshWarm(usize),
    /// An instance refresh resumes after a checkpoint.
    RefreshResume,
}

/// Draws one time from a distribution (a boot, an application start, a hook's work) \[ms\].
pub fn draw_ms(distribution: &BootTime, rng: &mut SimRng) -> SimTime {
    match *distribution {
        BootTime::Constant { value_ms } => value_ms,
        BootTime::Uniform { min_ms, max_ms } => {
            if max_ms > min_ms {
                rng.random_range(min_ms..=max_ms)
            } else {
                min_ms
            }
        }
        BootTime::LogNormal { median_ms, p95_ms } => {
            let mu = (median_ms as f64).ln();
            let sigma = ((p95_ms as f64).ln() - mu) / Z95;
            match LogNormal::new(mu, sigma.max(0.0)) {
                Ok(dist) => dist.sample(rng).round().max(0.0) as SimTime,
                Err(_) => median_ms,
            }
        }
    }
}

/// The lifecycle's random draws and the refresh under way.
#[derive(Debug, Clone)]
pub struct Lifecycle {
    /// Boot, warm-start and application-start times.
    boot_rng: SimRng,
    /// Lifecycle hook work times.
    hooks_rng: SimRng,
    /// The instance refresh under way, if any.
    pub refresh: Option<Refresh>,
}

impl Lifecycle {
    /// The lifecycle of a run with `seed`: boot and hook times from their own streams.
    pub fn new(seed: u64) -> Self {
        Self {
            boot_rng: stream(seed, Stream::Boot),
            hooks_rng: stream(seed, Stream::Hooks),
            refresh: None,
        }
    }

    /// Draws a boot (or warm start, or application start) time \[ms\].
    pub fn boot_ms(&mut self, distribution: &BootTime) -> SimTime {
        draw_ms(distribution, &mut self.boot_rng)
    }

    /// How long the hooks of `transition` hold an instance and with what result; `None`
    /// when there are none.
    pub fn hold(
        &mut self,
        hooks: &[LifecycleHookConfig],
        transition: LifecycleTransition,
    ) -> Option<(SimDuration, HookResult)> {
        hooks::hold(hooks, transition, &mut self.hooks_rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lognormal_boot_matches_its_median_and_p95() {
        let boot = BootTime::LogNormal {
            median_ms: 90_000,
            p95_ms: 150_000,
        };
        let mut rng = stream(3, Stream::Boot);
        let mut draws: Vec<SimTime> = (0..20_000).map(|_| draw_ms(&boot, &mut rng)).collect();
        draws.sort_unstable();
        let median = draws[10_000] as f64;
        let p95 = draws[19_000] as f64;
        assert!((median - 90_000.0).abs() < 2_000.0, "median {median}");
        assert!((p95 - 150_000.0).abs() < 5_000.0, "p95 {p95}");
    }

    #[test]
    fn uniform_boot_stays_in_bounds() {
        let boot = BootTime::Uniform {
            min_ms: 60_000,
            max_ms: 120_000,
        };
        let mut rng = stream(3, Stream::Boot);
        assert!((0..1000).all(|_| (60_000..=120_000).contains(&draw_ms(&boot, &mut rng))));
    }

    /// UG lifecycle-hooks: several hooks on one transition hold the instance until the last
    /// completes, and one ABANDON decides the result.
    #[test]
    fn several_hooks_wait_for_the_last_and_abandon_wins() {
        let hook = |name: &str, work_s: u64, result| LifecycleHookConfig {
            name: name.into(),
            transition: LifecycleTransition::Launching,
            heartbeat_timeout_ms: 3_600_000,
            default_result: HookResult::Abandon,
            work_time: Some(BootTime::Constant {
                value_ms: work_s * 1000,
            }),
            work_result: result,
            heartbeat_interval_ms: None,
            heartbeats_ms: Vec::new(),
        };
        let hooks = [
            hook("a", 60, HookResult::Continue),
            hook("b", 300, HookResult::Abandon),
        ];
        let mut lifecycle = Lifecycle::new(1);
        let launching = lifecycle.hold(&hooks, LifecycleTransition::Launching);
        assert_eq!(launching, Some((300_000, HookResult::Abandon)));
        let terminating = lifecycle.hold(&hooks, LifecycleTransition::Terminating);
        assert_eq!(terminating, None);
    }
}
