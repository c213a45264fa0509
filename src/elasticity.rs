//! The SPEC Research Group elasticity metrics, computed from supply and demand over time.
//!
//! Source: N. Herbst et al., "Ready for Rain? A View from SPEC Research on the Future of Cloud
//! Metrics", SPEC RG technical report SPEC-RG-2016-01, §3.2 (elasticity), with T the total
//! time, s_t the supply (InService instances) and d_t the demand (instances needed):
//!
//! - accuracy θ_U = 100/T · Σ (d_t − s_t)⁺ / d_t · Δt, θ_O = 100/T · Σ (s_t − d_t)⁺ / d_t · Δt
//! - timeshare τ_U = 100/T · Σ \[s_t < d_t\] · Δt,  τ_O = 100/T · Σ \[s_t > d_t\] · Δt
//! - instability υ = 100/(T − Δt₁) · Σ_{t ≥ 2} min(|sgn Δs_t − sgn Δd_t|, 1) · Δt
//! - jitter j = (E_S − E_D) / T, E the number of adaptations (changes) of each series.
//!
//! Where d_t = 0 the relative terms divide by 1 instead (one instance is the unit of supply).
//! Accuracy and timeshare are integrated exactly between events; instability and jitter are
//! read on the timeline's sample grid.
//!
//! The same report aggregates the metrics into an **elastic speedup** of an autoscaler k over a
//! reference r (there: the system without autoscaling), in the way the SPEC CPU score is the
//! geometric mean of reference-over-measured ratios:
//!
//! ε_k = (θ_U,r/θ_U,k · θ_O,r/θ_O,k · τ_U,r/τ_U,k · τ_O,r/τ_O,k)^(1/4),
//!
//! above 1 when k provisions better than r. The references asgsim computes (a fixed group
//! sized for the peak, an oracle that follows the demand exactly) are never under-provisioned,
//! and the oracle never over-provisioned, so some of their metrics are 0 and a plain ratio
//! would be 0 or undefined. [`elastic_speedup`] therefore adds a tolerance of
//! [`SPEEDUP_TOLERANCE`] percentage point to every metric of both sides:
//! ratio (m_r + 1)/(m_k + 1). Deviations well above one point keep the report's ratios;
//! deviations below it count little.

use serde::Serialize;

use crate::time::{MS_PER_HOUR, SimDuration, SimTime};

/// The SPEC Research Group elasticity metrics (percentages, jitter per hour).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Elasticity {
    /// Mean relative under-provisioning, Σ(d−s)⁺/d over time \[%\].
    pub accuracy_under: f64,
    /// Mean relative over-provisioning, Σ(s−d)⁺/d over time \[%\].
    pub accuracy_over: f64,
    /// Share of time under-provisioned \[%\].
    pub timeshare_under: f64,
    /// Share of time over-provisioned \[%\].
    pub timeshare_over: f64,
    /// Share of sample steps where supply and demand move in different directions \[%\].
    pub instability: f64,
    /// (Supply adaptations − demand adaptations) per hour \[1/h\].
    pub jitter: f64,
}

/// Tolerance added to every metric before the ratios of [`elastic_speedup`] \[percentage points\].
pub const SPEEDUP_TOLERANCE: f64 = 1.0;

/// The elastic speedup ε of `scaler` over `reference`: the geometric mean, over the accuracy
/// and timeshare metrics (under and over), of (reference + [`SPEEDUP_TOLERANCE`]) / (scaler +
/// [`SPEEDUP_TOLERANCE`]). 1 when both provision alike, above 1 when `scaler` deviates less
/// from the demand; finite whenever the metrics are (they are ≥ 0).
pub fn elastic_speedup(reference: &Elasticity, scaler: &Elasticity) -> f64 {
    let terms = |e: &Elasticity| {
        [
            e.accuracy_under,
            e.accuracy_over,
            e.timeshare_under,
            e.timeshare_over,
        ]
    };
    let product: f64 = terms(reference)
        .iter()
        .zip(terms(scaler))
        .map(|(r, k)| (r + SPEEDUP_TOLERANCE) / (k + SPEEDUP_TOLERANCE))
        .product();
    product.powf(0.25)
}

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

    /// The metrics of hourly `supply` against hourly `demand`.
    fn metrics(supply: &[u32], demand: &[u32]) -> Elasticity {
        let mut acc = ElasticityAccumulator::default();
        for (&s, &d) in supply.iter().zip(demand) {
            acc.add_span(MS_PER_HOUR, s, d);
        }
        acc.finish()
    }

    /// Demand 1,3,3,1 over four hours. The autoscaler supplies 1,2,4,1: θ_U = θ_O = 100·(1/3)/4
    /// = 25/3, τ_U = τ_O = 25. The fixed group of the peak supplies 3,3,3,3: over by 2/1 in
    /// hours 1 and 4, so θ_O = 100·(2+2)/4 = 100, τ_O = 50, and never under. The oracle
    /// supplies the demand: every metric 0. With the tolerance of 1 point:
    /// ε_fixed = (1/(28/3) · 101/(28/3) · 1/26 · 51/26)^(1/4),
    /// ε_oracle = (1/(28/3) · 1/(28/3) · 1/26 · 1/26)^(1/4) = √(3/728).
    #[test]
    fn elastic_speedup_against_the_fixed_group_and_the_oracle_by_hand() {
        let demand = [1, 3, 3, 1];
        let scaler = metrics(&[1, 2, 4, 1], &demand);
        assert!((scaler.accuracy_under - 25.0 / 3.0).abs() < 1e-9);
        assert!((scaler.timeshare_over - 25.0).abs() < 1e-9);
        let fixed = metrics(&[3, 3, 3, 3], &demand);
        assert_eq!((fixed.accuracy_under, fixed.timeshare_under), (0.0, 0.0));
        assert!((fixed.accuracy_over - 100.0).abs() < 1e-9);
        assert!((fixed.timeshare_over - 50.0).abs() < 1e-9);
        let oracle = metrics(&demand, &demand);
        assert_eq!(oracle, Elasticity::default());

        let k = 28.0 / 3.0;
        let by_hand = (1.0 / k * 101.0 / k * 1.0 / 26.0 * 51.0 / 26.0_f64).powf(0.25);
        assert!((elastic_speedup(&fixed, &scaler) - by_hand).abs() < 1e-12);
        let by_hand = (3.0_f64 / 728.0).sqrt();
        assert!((elastic_speedup(&oracle, &scaler) - by_hand).abs() < 1e-12);
    }

    /// A scaler against itself scores 1; the oracle against anything scores at most 1, and 1
    /// only against a perfect scaler; swapping the sides inverts the score.
    #[test]
    fn elastic_speedup_is_one_for_equals_and_inverts_when_swapped() {
        let demand = [2, 4, 6, 4, 2, 1];
        let a = metrics(&[2, 3, 6, 6, 3, 1], &demand);
        let b = metrics(&[6, 6, 6, 6, 6, 6], &demand);
        assert!((elastic_speedup(&a, &a) - 1.0).abs() < 1e-12);
        let ab = elastic_speedup(&a, &b);
        assert!((ab * elastic_speedup(&b, &a) - 1.0).abs() < 1e-12);
        let oracle = metrics(&demand, &demand);
        assert!(elastic_speedup(&oracle, &a) < 1.0);
        assert_eq!(elastic_speedup(&oracle, &oracle), 1.0);
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
