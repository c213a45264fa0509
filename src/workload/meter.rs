//! The meter: integrates the workload between events. Between two events the load is piecewise
//! constant (the trace's segments) and the fleet does not change, so each segment is one
//! [`Spread`], added to the run's totals, the current timeline interval and the elasticity
//! accumulator, and handed to whoever else integrates it (CloudWatch's open metric period, the
//! predictive policy's hour). Nothing is computed per instance or per simulated second.

use crate::elasticity::ElasticityAccumulator;
use crate::time::{SimDuration, SimTime};
use crate::trace::{Trace, TraceCursor};

use super::{InstanceModel, Spread, demand_at};

/// The fleet as the load balancer sees it while no event happens \[instances\].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fleet {
    /// InService instances (billing and the mean InService count).
    pub in_service: u32,
    /// Healthy instances the load balancer routes to: they serve.
    pub serving: u32,
    /// Failed instances it still routes to: their share of the load fails.
    pub broken: u32,
    /// Serving instances past the metric warm-up: aggregated EC2 metrics count only these.
    pub settled: u32,
}

/// One constant stretch of the load with the fleet that carried it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// Its length \[ms\].
    pub dt_ms: SimDuration,
    /// Offered load \[req/s\].
    pub load_rps: f64,
    /// The trace's extra column over the stretch (a customized metric), if it has one.
    pub column: Option<f64>,
    /// How the load spread.
    pub spread: Spread,
    /// The fleet.
    pub fleet: Fleet,
}

/// Integrals over the whole run.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    /// Requests offered \[requests\].
    pub requests_total: f64,
    /// Requests dropped \[requests\].
    pub requests_dropped: f64,
    /// Time with drops or latency above the SLO \[ms\].
    pub slo_violation_ms: SimDuration,
    /// Time with the serving instances' CPU above the SLO's CPU limit \[ms\].
    pub cpu_over_ms: SimDuration,
    /// InService instances × time \[instance·ms\].
    pub in_service_ms: f64,
    /// Highest InService count \[instances\].
    pub max_in_service: u32,
    /// Decisions that raised desired capacity.
    pub scale_out_activities: u32,
    /// Decisions that lowered desired capacity.
    pub scale_in_activities: u32,
    /// Instances terminated as unhealthy and replaced.
    pub replaced_unhealthy: u32,
}

/// Integrals over the current timeline interval.
#[derive(Debug, Clone, Default)]
pub struct Interval {
    /// Integrated span \[ms\].
    pub span_ms: f64,
    /// ∫ load \[req\], ∫ served, ∫ dropped (req/s × ms).
    pub load: f64,
    /// ∫ served load (req/s × ms).
    pub served: f64,
    /// ∫ dropped load (req/s × ms).
    pub dropped: f64,
    /// Time with an instance serving \[ms\].
    pub serving_ms: f64,
    /// ∫ CPU while serving (% × ms).
    pub cpu: f64,
    /// Highest CPU while serving \[%\].
    pub cpu_max: f64,
    /// ∫ latency × served (ms × req/s × ms).
    pub latency_weighted: f64,
    /// The most instances InService at once \[instances\].
    pub in_service_max: u32,
}

impl Interval {
    fn add(&mut self, dt_ms: SimDuration, load_rps: f64, spread: &Spread, fleet: &Fleet) {
        let serving = fleet.serving;
        self.in_service_max = self.in_service_max.max(fleet.in_service);
        let dt = dt_ms as f64;
        self.span_ms += dt;
        self.load += load_rps * dt;
        self.served += spread.served_rps * dt;
        self.dropped += spread.dropped_rps * dt;
        if serving > 0 {
            self.serving_ms += dt;
            self.cpu += spread.cpu_percent * dt;
            self.cpu_max = self.cpu_max.max(spread.cpu_percent);
        }
        self.latency_weighted += spread.latency_ms * spread.served_rps * dt;
    }

    /// An interval of one instant: the state at `load_rps` (for a row with nothing integrated
    /// since the last, as at t = 0).
    pub fn instant(load_rps: f64, spread: &Spread, fleet: &Fleet) -> Self {
        let mut at = Self::default();
        at.add(1, load_rps, spread, fleet);
        at
    }
}

/// Integrates the load between events.
#[derive(Debug, Clone)]
pub struct Meter<'a> {
    cursor: TraceCursor<'a>,
    /// Whether the trace has an extra column (a customized metric) to integrate.
    has_column: bool,
    /// Whether timeline intervals are integrated (sweeps keep no timeline).
    keep_intervals: bool,
    model: InstanceModel,
    slo_latency_ms: f64,
    /// CPU above this counts in `cpu_over_ms` \[%\].
    cpu_limit_percent: f64,
    /// Load one instance carries within the SLO, for the exact demand \[req/s\].
    slo_capacity_rps: f64,
    /// The last load seen and its demand: loads repeat between events \[req/s, instances\].
    demand_cache: (f64, u32),
    interval: Interval,
    /// The run's totals.
    pub totals: Totals,
    elasticity: ElasticityAccumulator,
}

impl<'a> Meter<'a> {
    /// A meter over `trace` for instances of `model`, with an SLO of `slo` (latency \[ms\],
    /// CPU limit \[%\]).
    pub fn new(
        trace: &'a Trace,
        model: InstanceModel,
        (slo_latency_ms, cpu_limit_percent): (f64, f64),
        keep_intervals: bool,
    ) -> Self {
        Self {
            cpu_limit_percent,
            cursor: trace.cursor(),
            has_column: trace.column_name().is_some(),
            keep_intervals,
            model,
            slo_latency_ms,
            slo_capacity_rps: model.slo_capacity_rps(slo_latency_ms),
            demand_cache: (0.0, 0),
            interval: Interval::default(),
            totals: Totals::default(),
            elasticity: ElasticityAccumulator::default(),
        }
    }

    /// What one instance serves and how its CPU follows.
    pub fn model(&self) -> &InstanceModel {
        &self.model
    }

    /// The offered load at `t_ms` \[req/s\].
    pub fn load_at(&mut self, t_ms: SimTime) -> f64 {
        self.cursor.segment_at(t_ms).0
    }

    /// How the load at `t_ms` spreads over `fleet` now.
    pub fn spread_at(&mut self, t_ms: SimTime, fleet: Fleet) -> (f64, Spread) {
        let load = self.load_at(t_ms);
        (
            load,
            self.model.spread_routed(load, fleet.serving, fleet.broken),
        )
    }

    fn demand(&mut self, load_rps: f64) -> u32 {
        if load_rps != self.demand_cache.0 {
            self.demand_cache = (load_rps, demand_at(load_rps, self.slo_capacity_rps));
        }
        self.demand_cache.1
    }

    /// Integrates from `from_ms` to `to_ms` over the trace's constant segments with `fleet`;
    /// each segment also goes to `sink`.
    pub fn advance(
        &mut self,
        (from_ms, to_ms): (SimTime, SimTime),
        fleet: Fleet,
        mut sink: impl FnMut(&Segment),
    ) {
        // Only InService instances the load balancer routes to take load, healthy or not.
        debug_assert!(
            fleet.serving + fleet.broken <= fleet.in_service,
            "{fleet:?}"
        );
        let mut now = from_ms;
        while now < to_ms {
            let (load_rps, column, segment_end) = if self.has_column {
                let (load_rps, column, segment_end) = self.cursor.segment_with_column(now);
                (load_rps, Some(column), segment_end)
            } else {
                let (load_rps, segment_end) = self.cursor.segment_at(now);
                (load_rps, None, segment_end)
            };
            let end = segment_end.min(to_ms);
            let dt_ms = end - now;
            let spread = self
                .model
                .spread_routed(load_rps, fleet.serving, fleet.broken);
            let segment = Segment {
                dt_ms,
                load_rps,
                column,
                spread,
                fleet,
            };
            sink(&segment);
            self.add(&segment);
            now = end;
        }
        self.totals.max_in_service = self.totals.max_in_service.max(fleet.in_service);
    }

    #[inline]
    fn add(&mut self, s: &Segment) {
        if self.keep_intervals {
            self.interval.add(s.dt_ms, s.load_rps, &s.spread, &s.fleet);
        }
        let totals = &mut self.totals;
        let dt_s = s.dt_ms as f64 / 1000.0;
        totals.requests_total += s.load_rps * dt_s;
        totals.requests_dropped += s.spread.dropped_rps * dt_s;
        if s.spread.dropped_rps > 0.0 || s.spread.latency_ms > self.slo_latency_ms {
            totals.slo_violation_ms += s.dt_ms;
        }
        if s.fleet.serving > 0 && s.spread.cpu_percent > self.cpu_limit_percent {
            totals.cpu_over_ms += s.dt_ms;
        }
        totals.in_service_ms += f64::from(s.fleet.in_service) * s.dt_ms as f64;
        let demand = self.demand(s.load_rps);
        self.elasticity.add_span(s.dt_ms, s.fleet.serving, demand);
    }

    /// Ends the timeline interval at `now_ms`: the elasticity metrics read supply and demand
    /// on the sample grid; returns the interval's integrals (empty when nothing was
    /// integrated since the last).
    pub fn end_interval(&mut self, now_ms: SimTime, serving: u32) -> Interval {
        let load_now = self.load_at(now_ms);
        let demand = self.demand(load_now);
        self.elasticity.observe_step(now_ms, serving, demand);
        std::mem::take(&mut self.interval)
    }

    /// The elasticity metrics over the run so far.
    pub fn elasticity(&self) -> crate::elasticity::Elasticity {
        self.elasticity.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M5: InstanceModel = InstanceModel {
        capacity_rps: 100.0,
        idle_cpu_percent: 2.0,
    };

    fn trace() -> Trace {
        Trace::from_points(vec![0, 60_000, 120_000], vec![300.0, 500.0, 100.0]).unwrap()
    }

    fn fleet(n: u32) -> Fleet {
        Fleet {
            in_service: n,
            serving: n,
            broken: 0,
            settled: n,
        }
    }

    /// The load splits at the trace's segment boundaries; over capacity the excess is dropped
    /// and the span counts against the SLO.
    #[test]
    fn integrates_each_constant_segment() {
        let t = trace();
        let mut meter = Meter::new(&t, M5, (200.0, 90.0), true);
        let mut seen = Vec::new();
        meter.advance((30_000, 90_000), fleet(4), |s| {
            seen.push((s.dt_ms, s.load_rps))
        });
        assert_eq!(seen, [(30_000, 300.0), (30_000, 500.0)]);
        let totals = &meter.totals;
        assert!((totals.requests_total - (300.0 * 30.0 + 500.0 * 30.0)).abs() < 1e-9);
        assert!((totals.requests_dropped - 100.0 * 30.0).abs() < 1e-9);
        assert_eq!(totals.slo_violation_ms, 30_000);
        assert_eq!(totals.in_service_ms, 4.0 * 60_000.0);
        let interval = meter.end_interval(90_000, 4);
        assert_eq!(interval.span_ms, 60_000.0);
        assert_eq!(interval.cpu_max, 100.0);
        assert_eq!(meter.end_interval(90_000, 4).span_ms, 0.0, "a new interval");
    }

    /// A failed instance still routed drops its share: 4 routed, 1 broken, 300 req/s ⇒ 75 of
    /// them fail.
    #[test]
    fn a_broken_instance_drops_its_share() {
        let t = trace();
        let mut meter = Meter::new(&t, M5, (200.0, 90.0), false);
        let f = Fleet {
            in_service: 4,
            serving: 3,
            broken: 1,
            settled: 3,
        };
        meter.advance((0, 10_000), f, |_| {});
        assert!((meter.totals.requests_dropped - 75.0 * 10.0).abs() < 1e-9);
    }
}
