//! The SPEC Research Group elasticity metrics, computed from supply and demand over time.
//!
//! Source: N. Herbst et al., "Ready for Rain? A View from SPEC Research on the Future of Cloud
//! Metrics", SPEC RG technical report SPEC-RG-2016-01, §3.2 (elasticity), with T the total
//! time, s_t the supply (InService instances) and d_t the demand (instances needed):
//!
//! - accuracy θ_U = 100/T · Σ (d_t − s_t)⁺ / d_t · Δt, θ_O = 100/T · Σ (s_t − d_t)⁺ / d_t · Δt
//! - timeshare τ_U = 100/T · Σ [s_t < d_t] · Δt,  τ_O = 100/T · Σ [s_t > d_t] · Δt
//! - instability υ = 100/(T − Δt₁) · Σ_{t ≥ 2} min(|sgn Δs_t − sgn Δd_t|, 1) · Δt
//! - jitter j = (E_S − E_D) / T, E the number of adaptations (changes) of each series.
//!
//! Where d_t = 0 the relative terms divide by 1 instead (one instance is the unit of supply).
//! Accuracy and timeshare are integrated exactly between events; instability and jitter are
//! read on the timeline's sample grid.

use crate::recorder::Elasticity;
use crate::time::{MS_PER_HOUR, SimDuration, SimTime};

/// Accumulates supply and demand over a run.
#[derive(Debug, Clone, Default)]
pub struct ElasticityAccumulator {
    total_ms: f64,
    under_relative_ms: f64,
    over_relative_ms: f64,
    under_ms: f64,
    over_ms: f64,
    last_step: Option<(SimTime, u32, u32)>,
    first_step_ms: Option<SimTime>,
    unstable_ms: f64,
    supply_changes: u64,
    demand_changes: u64,
}

impl ElasticityAccumulator {
    /// Adds a span of `dt_ms` during which supply and demand were constant.
    pub fn add_span(&mut self, dt_ms: SimDuration, supply: u32, demand: u32) {
        let dt = dt_ms as f64;
        self.total_ms += dt;
        let unit = f64::from(demand.max(1));
        if supply < demand {
            self.under_ms += dt;
            self.under_relative_ms += f64::from(demand - supply) / unit * dt;
        } else if supply > demand {
            self.over_ms += dt;
            self.over_relative_ms += f64::from(supply - demand) / unit * dt;
        }
    }

    /// Records supply and demand at one point of the sample grid.
    pub fn observe_step(&mut self, time_ms: SimTime, supply: u32, demand: u32) {
        if let Some((t0, s0, d0)) = self.last_step {
            let ds = i64::from(supply) - i64::from(s0);
            let dd = i64::from(demand) - i64::from(d0);
            if ds.signum() != dd.signum() {
                self.unstable_ms += (time_ms - t0) as f64;
            }
            self.supply_changes += u64::from(ds != 0);
            self.demand_changes += u64::from(dd != 0);
        } else {
            self.first_step_ms = Some(time_ms);
        }
        self.last_step = Some((time_ms, supply, demand));
    }

    /// The metrics over everything added so far.
    pub fn finish(&self) -> Elasticity {
        let pct = |x: f64| {
            if self.total_ms > 0.0 {
                100.0 * x / self.total_ms
            } else {
                0.0
            }
        };
        let stepped_ms = match (self.first_step_ms, self.last_step) {
            (Some(first), Some((last, _, _))) => (last - first) as f64,
            _ => 0.0,
        };
        let instability = if stepped_ms > 0.0 {
            100.0 * self.unstable_ms / stepped_ms
        } else {
            0.0
        };
        let hours = self.total_ms / MS_PER_HOUR as f64;
        let jitter = if hours > 0.0 {
            (self.supply_changes as f64 - self.demand_changes as f64) / hours
        } else {
            0.0
        };
        Elasticity {
            accuracy_under: pct(self.under_relative_ms),
            accuracy_over: pct(self.over_relative_ms),
            timeshare_under: pct(self.under_ms),
            timeshare_over: pct(self.over_ms),
            instability,
            jitter,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Supply 2,2,4,4 against demand 3,3,3,3 over four one-hour steps, computed by hand:
    /// under 2 h by 1/3 ⇒ θ_U = 100·(2·1/3)/4 = 16.67; over 2 h by 1/3 ⇒ θ_O = 16.67;
    /// τ_U = τ_O = 50.
    #[test]
    fn accuracy_and_timeshare_by_hand() {
        let mut acc = ElasticityAccumulator::default();
        for (s, d) in [(2, 3), (2, 3), (4, 3), (4, 3)] {
            acc.add_span(MS_PER_HOUR, s, d);
        }
        let e = acc.finish();
        assert!((e.accuracy_under - 100.0 / 6.0).abs() < 1e-9);
        assert!((e.accuracy_over - 100.0 / 6.0).abs() < 1e-9);
        assert_eq!((e.timeshare_under, e.timeshare_over), (50.0, 50.0));
    }

    /// Steps at 0,1,2,3,4 h: supply 1,2,2,3,2 and demand 1,2,3,3,3.
    /// Δs = +1,0,+1,−1; Δd = +1,+1,0,0 ⇒ signs differ in steps 2,3,4 ⇒ υ = 75%.
    /// Supply changes 3 times, demand twice, over T = 4 h of spans ⇒ j = (3 − 2)/4 = 0.25 per hour.
    #[test]
    fn instability_and_jitter_by_hand() {
        let mut acc = ElasticityAccumulator::default();
        let supply = [1, 2, 2, 3, 2];
        let demand = [1, 2, 3, 3, 3];
        for i in 0..5 {
            acc.observe_step(i as u64 * MS_PER_HOUR, supply[i], demand[i]);
            if i < 4 {
                acc.add_span(MS_PER_HOUR, supply[i], demand[i]);
            }
        }
        let e = acc.finish();
        assert!((e.instability - 75.0).abs() < 1e-9);
        assert!((e.jitter - 0.25).abs() < 1e-9);
    }

    #[test]
    fn zero_demand_counts_supply_against_one_instance() {
        let mut acc = ElasticityAccumulator::default();
        acc.add_span(1000, 2, 0);
        let e = acc.finish();
        assert_eq!(e.accuracy_over, 200.0);
        assert_eq!(e.timeshare_over, 100.0);
    }
}
