//! How the load balancer spreads requests over targets of unequal size (`\[load_balancer\]
//! routing`): round robin sends each target the same requests (an ALB's default, whatever the
//! target's size), least outstanding requests sends more to the targets that finish sooner, so
//! that every target runs at the same utilisation. A homogeneous fleet spreads the same way
//! under both, through `InstanceModel::spread_routed`; this file handles a mixed one.

use super::{MAX_UTILISATION, Spread};

/// `\[load_balancer\] routing`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Routing {
    /// Equal requests per target whatever its size (an ALB's default).
    #[default]
    RoundRobin,
    /// Requests follow capacity: every target runs at the same utilisation.
    LeastOutstandingRequests,
}

/// The routed targets of one capacity, as counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetClass {
    /// Requests one target serves at 100% CPU \[req/s\].
    pub capacity_rps: f64,
    /// Healthy routed targets \[instances\].
    pub healthy: u32,
    /// Failed targets still routed: their share fails \[instances\].
    pub broken: u32,
}

/// A fleet of unequal targets: its classes (at most one per instance type).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mix {
    /// How requests are routed.
    pub routing: Routing,
    /// One entry per capacity.
    pub classes: Vec<TargetClass>,
}

impl Mix {
    /// Spreads `load_rps` over the classes. CPU is the healthy targets' average (what
    /// CloudWatch's group Average reports), `cpu_max_percent` the busiest one's; latency is
    /// the served-weighted mean of each target's M/M/1 time.
    pub fn spread(&self, load_rps: f64, idle_cpu_percent: f64) -> Spread {
        let weight = |c: &TargetClass| match self.routing {
            Routing::RoundRobin => 1.0,
            Routing::LeastOutstandingRequests => c.capacity_rps,
        };
        let total: f64 = self
            .classes
            .iter()
            .map(|c| weight(c) * f64::from(c.healthy + c.broken))
            .sum();
        let healthy: u32 = self.classes.iter().map(|c| c.healthy).sum();
        let mut s = Spread {
            per_instance_rps: 0.0,
            served_rps: 0.0,
            dropped_rps: load_rps,
            cpu_percent: idle_cpu_percent,
            cpu_max_percent: idle_cpu_percent,
            latency_ms: 0.0,
        };
        if total <= 0.0 {
            return s;
        }
        let (mut served, mut dropped, mut cpu_sum, mut latency_sum) = (0.0, 0.0, 0.0, 0.0);
        let mut cpu_max: f64 = 0.0;
        for c in &self.classes {
            let per_rps = load_rps * weight(c) / total;
            let served_per = per_rps.min(c.capacity_rps);
            let utilisation = served_per / c.capacity_rps;
            let n = f64::from(c.healthy);
            served += served_per * n;
            dropped += (per_rps - served_per) * n + per_rps * f64::from(c.broken);
            if c.healthy > 0 {
                let cpu = (idle_cpu_percent + (100.0 - idle_cpu_percent) * utilisation).min(100.0);
                cpu_sum += cpu * n;
                cpu_max = cpu_max.max(cpu);
                if served_per > 0.0 {
                    let service_ms = 1_000.0 / c.capacity_rps;
                    let latency = service_ms / (1.0 - utilisation.min(MAX_UTILISATION));
                    latency_sum += latency * served_per * n;
                }
            }
        }
        s.per_instance_rps = load_rps / f64::from(self.routed());
        s.served_rps = served;
        s.dropped_rps = dropped;
        if healthy > 0 {
            s.cpu_percent = cpu_sum / f64::from(healthy);
            s.cpu_max_percent = cpu_max;
        }
        s.latency_ms = if served > 0.0 {
            latency_sum / served
        } else {
            0.0
        };
        s
    }

    /// Routed targets, healthy or not \[instances\].
    pub fn routed(&self) -> u32 {
        self.classes.iter().map(|c| c.healthy + c.broken).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mix(routing: Routing) -> Mix {
        // One m5.large (100 req/s) and one m5.xlarge (200 req/s).
        Mix {
            routing,
            classes: vec![
                TargetClass {
                    capacity_rps: 100.0,
                    healthy: 1,
                    broken: 0,
                },
                TargetClass {
                    capacity_rps: 200.0,
                    healthy: 1,
                    broken: 0,
                },
            ],
        }
    }

    /// An ALB's round robin sends each target the same requests whatever its size (ELB user
    /// guide, load-balancer-target-groups "Routing algorithms"): 150 req/s each; the small one
    /// runs at 100% and drops 50, the large one at 75%.
    #[test]
    fn round_robin_gives_equal_requests_and_overloads_the_small_target() {
        let s = mix(Routing::RoundRobin).spread(300.0, 0.0);
        assert_eq!(s.per_instance_rps, 150.0);
        assert_eq!(s.served_rps, 250.0);
        assert_eq!(s.dropped_rps, 50.0);
        assert_eq!(s.cpu_max_percent, 100.0);
        assert!((s.cpu_percent - 87.5).abs() < 1e-9, "mean of 100 and 75");
    }

    /// Least outstanding requests: load follows capacity, both run at the same utilisation.
    #[test]
    fn least_outstanding_requests_equalises_utilisation() {
        let s = mix(Routing::LeastOutstandingRequests).spread(300.0, 0.0);
        assert_eq!(s.dropped_rps, 0.0);
        assert!((s.cpu_percent - 100.0).abs() < 1e-9);
        let s = mix(Routing::LeastOutstandingRequests).spread(150.0, 2.0);
        assert!((s.cpu_percent - (2.0 + 98.0 * 0.5)).abs() < 1e-9);
        assert_eq!(s.cpu_percent, s.cpu_max_percent);
    }
}
