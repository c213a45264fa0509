//! How the load reaches the instances: the load balancer spreads it evenly over the InService
//! instances; each serves up to its capacity and the rest is dropped.
//!
//! Latency follows an M/M/1 queue per instance: with service time S = 1/capacity and
//! utilisation ρ, the mean response time is S / (1 − ρ). ρ is capped at [`MAX_UTILISATION`] so
//! a saturated instance has a large but finite latency (its excess load is dropped instead).

mod meter;

pub use meter::{Fleet, Interval, Meter, Segment, Totals};

use crate::time::SimDuration;

/// Highest utilisation the latency model uses \[fraction\]; past it requests are dropped.
pub const MAX_UTILISATION: f64 = 0.99;

/// `\[load_balancer\]`: the target group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadBalancer {
    /// Deregistration delay: a terminating instance drains this long before it stops \[ms\].
    pub deregistration_delay_ms: SimDuration,
    /// `HealthCheckIntervalSeconds` \[ms\] (default 30 s).
    pub health_check_interval_ms: SimDuration,
    /// `HealthyThresholdCount` (default 5).
    pub healthy_threshold_count: u32,
    /// `UnhealthyThresholdCount`: failed checks in a row before a target is unhealthy
    /// (default 2).
    pub unhealthy_threshold_count: u32,
    /// Whether a saturated instance (its share of the load at or above its capacity) fails
    /// health checks, as a check times out behind the queue \[model\] (default false): the
    /// cause of ELB cascades under overload.
    pub overload_fails_health_checks: bool,
}

/// `\[slo\]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slo {
    /// Mean latency above this violates the SLO \[ms\].
    pub latency_ms: f64,
    /// The group's average CPU above which time is counted in the summary's
    /// `cpu_over_<X>_s` \[%\].
    pub cpu_percent: f64,
}

/// What an instance type can do, for the workload model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InstanceModel {
    /// Requests served at 100% CPU \[req/s\].
    pub capacity_rps: f64,
    /// CPU with no load \[%\].
    pub idle_cpu_percent: f64,
}

/// The state of the fleet while the load and the InService count stay constant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Load sent to each InService instance \[req/s\].
    pub per_instance_rps: f64,
    /// Load served by the whole group \[req/s\].
    pub served_rps: f64,
    /// Load dropped \[req/s\].
    pub dropped_rps: f64,
    /// CPU of each InService instance \[%\]; idle CPU when none serve.
    pub cpu_percent: f64,
    /// Mean response time of served requests \[ms\]; 0 when nothing is served.
    pub latency_ms: f64,
}

impl InstanceModel {
    /// Mean service time of one request \[ms\].
    pub fn service_time_ms(&self) -> f64 {
        1_000.0 / self.capacity_rps
    }

    /// Spreads `load_rps` over `serving` healthy instances.
    pub fn spread(&self, load_rps: f64, serving: u32) -> Spread {
        self.spread_routed(load_rps, serving, 0)
    }

    /// Spreads `load_rps` evenly over `healthy + broken` routed instances: the share sent to
    /// a `broken` one (failed, but not yet taken out by the load balancer's health checks)
    /// fails and counts as dropped. CPU and latency are those of the healthy ones.
    pub fn spread_routed(&self, load_rps: f64, healthy: u32, broken: u32) -> Spread {
        let routed = healthy + broken;
        if routed == 0 {
            return Spread {
                per_instance_rps: 0.0,
                served_rps: 0.0,
                dropped_rps: load_rps,
                cpu_percent: self.idle_cpu_percent,
                latency_ms: 0.0,
            };
        }
        let per_instance_rps = load_rps / f64::from(routed);
        let n = f64::from(healthy);
        let served_per = per_instance_rps.min(self.capacity_rps);
        let utilisation = served_per / self.capacity_rps;
        let cpu_percent =
            (self.idle_cpu_percent + (100.0 - self.idle_cpu_percent) * utilisation).min(100.0);
        let latency_ms = if served_per > 0.0 && healthy > 0 {
            self.service_time_ms() / (1.0 - utilisation.min(MAX_UTILISATION))
        } else {
            0.0
        };
        Spread {
            per_instance_rps,
            served_rps: served_per * n,
            dropped_rps: (per_instance_rps - served_per).max(0.0) * n
                + per_instance_rps * f64::from(broken),
            cpu_percent,
            latency_ms,
        }
    }

    /// The most one instance may carry with no drop and a mean latency within
    /// `slo_latency_ms` \[req/s\]: S / (1 − ρ) ≤ SLO ⇔ ρ ≤ 1 − S / SLO, and the model never runs
    /// above [`MAX_UTILISATION`].
    pub fn slo_capacity_rps(&self, slo_latency_ms: f64) -> f64 {
        let max_rho = (1.0 - self.service_time_ms() / slo_latency_ms).clamp(0.0, MAX_UTILISATION);
        let max_rho = if max_rho <= 0.0 { 1e-3 } else { max_rho };
        self.capacity_rps * max_rho
    }

    /// The smallest instance count that serves `load_rps` with no drop and a mean latency
    /// within `slo_latency_ms`: the exact demand of the elasticity metrics \[instances\].
    pub fn demand(&self, load_rps: f64, slo_latency_ms: f64) -> u32 {
        demand_at(load_rps, self.slo_capacity_rps(slo_latency_ms))
    }
}

/// Instances needed for `load_rps` when each may carry `slo_capacity_rps` \[instances\].
#[inline]
pub fn demand_at(load_rps: f64, slo_capacity_rps: f64) -> u32 {
    if load_rps <= 0.0 {
        return 0;
    }
    // Guard against 3.0000000001 becoming 4.
    (load_rps / slo_capacity_rps - 1e-9)
        .ceil()
        .clamp(1.0, f64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    const M5: InstanceModel = InstanceModel {
        capacity_rps: 100.0,
        idle_cpu_percent: 2.0,
    };

    #[test]
    fn spreads_evenly_and_drops_the_excess() {
        let s = M5.spread(300.0, 4);
        assert_eq!(s.per_instance_rps, 75.0);
        assert_eq!(s.dropped_rps, 0.0);
        assert!((s.cpu_percent - (2.0 + 98.0 * 0.75)).abs() < 1e-12);
        assert!((s.latency_ms - 40.0).abs() < 1e-9, "10 ms / (1 - 0.75)");
        let over = M5.spread(500.0, 4);
        assert_eq!(over.served_rps, 400.0);
        assert_eq!(over.dropped_rps, 100.0);
        assert_eq!(over.cpu_percent, 100.0);
        let none = M5.spread(50.0, 0);
        assert_eq!((none.served_rps, none.dropped_rps), (0.0, 50.0));
    }

    #[test]
    fn a_broken_instance_drops_its_share() {
        // 4 routed, 1 of them failed: each gets 75 req/s; the failed one's 75 are dropped.
        let s = M5.spread_routed(300.0, 3, 1);
        assert_eq!(s.per_instance_rps, 75.0);
        assert_eq!(s.served_rps, 225.0);
        assert_eq!(s.dropped_rps, 75.0);
        assert_eq!(M5.spread_routed(300.0, 0, 2).dropped_rps, 300.0);
    }

    #[test]
    fn demand_is_the_smallest_count_within_the_slo() {
        // SLO 200 ms, S = 10 ms ⇒ ρ ≤ 0.95 ⇒ 95 req/s per instance.
        assert_eq!(M5.demand(0.0, 200.0), 0);
        assert_eq!(M5.demand(95.0, 200.0), 1);
        assert_eq!(M5.demand(95.1, 200.0), 2);
        assert_eq!(M5.demand(285.0, 200.0), 3);
        for load in [1.0, 50.0, 333.3, 1234.5] {
            let n = M5.demand(load, 200.0);
            let s = M5.spread(load, n);
            assert!(s.dropped_rps == 0.0 && s.latency_ms <= 200.0 + 1e-9);
            let fewer = M5.spread(load, n - 1);
            assert!(fewer.dropped_rps > 0.0 || fewer.latency_ms > 200.0 - 1e-9);
        }
    }
}
