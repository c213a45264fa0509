//! Integration of the workload between events, timeline rows and the run's totals.

use crate::records::{Recorder, Summary, TimelineRow};
use crate::time::{MS_PER_HOUR, SimDuration, SimTime, ms_to_s};
use crate::workload::{Spread, demand_at};

use super::Simulation;

/// Integrals over the current timeline interval.
#[derive(Debug, Clone, Default)]
pub(super) struct SampleAccumulator {
    span_ms: f64,
    load: f64,
    served: f64,
    dropped: f64,
    serving_ms: f64,
    cpu: f64,
    cpu_max: f64,
    latency_weighted: f64,
}

/// Integrals over the whole run.
#[derive(Debug, Clone, Default)]
pub(super) struct Totals {
    pub(super) requests_total: f64,
    pub(super) requests_dropped: f64,
    pub(super) slo_violation_ms: SimDuration,
    pub(super) in_service_ms: f64,
    pub(super) max_in_service: u32,
    pub(super) scale_out_activities: u32,
    pub(super) scale_in_activities: u32,
    pub(super) replaced_unhealthy: u32,
}

impl SampleAccumulator {
    fn add(&mut self, dt_ms: SimDuration, load_rps: f64, spread: &Spread, serving: u32) {
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
}

impl<R: Recorder> Simulation<'_, R> {
    /// Integrates the workload from now to `t_ms` over the trace's constant segments.
    pub(super) fn advance_to(&mut self, t_ms: SimTime) {
        // Healthy instances the load balancer routes to; failed ones it still routes to drop
        // their share of the load.
        let in_service = self.group.in_service;
        let broken = self.group.broken_routed;
        let serving = self.group.routed() - broken;
        let settled = serving.saturating_sub(self.warmup.warming_in_service);
        let slo_ms = self.scenario.slo.latency_ms;
        while self.now_ms < t_ms {
            let (load_rps, column, segment_end) = if self.has_column {
                self.cursor.segment_with_column(self.now_ms)
            } else {
                let (load_rps, segment_end) = self.cursor.segment_at(self.now_ms);
                (load_rps, 0.0, segment_end)
            };
            let end = segment_end.min(t_ms);
            let dt = end - self.now_ms;
            if self.has_column {
                self.open_bucket.add_column(dt, column, serving);
            }
            let spread = self.model.spread_routed(load_rps, serving, broken);
            self.open_bucket
                .add(dt, serving, settled, load_rps, &spread);
            if self.predictive.is_active() {
                self.predictive
                    .hour
                    .add(dt, serving, settled, load_rps, &spread);
            }
            if self.wants_timeline {
                self.sample.add(dt, load_rps, &spread, serving);
            }
            let totals = &mut self.totals;
            let dt_s = dt as f64 / 1000.0;
            totals.requests_total += load_rps * dt_s;
            totals.requests_dropped += spread.dropped_rps * dt_s;
            if spread.dropped_rps > 0.0 || spread.latency_ms > slo_ms {
                totals.slo_violation_ms += dt;
            }
            totals.in_service_ms += f64::from(in_service) * dt as f64;
            if load_rps != self.demand_cache.0 {
                self.demand_cache = (load_rps, demand_at(load_rps, self.slo_capacity_rps));
            }
            let demand = self.demand_cache.1;
            self.elasticity.add_span(dt, serving, demand);
            self.now_ms = end;
        }
        self.totals.max_in_service = self.totals.max_in_service.max(in_service);
    }

    /// Emits the timeline row for the interval ending now and starts the next interval.
    pub(super) fn emit_sample(&mut self) {
        let (load_now, _) = self.cursor.segment_at(self.now_ms);
        if load_now != self.demand_cache.0 {
            self.demand_cache = (load_now, demand_at(load_now, self.slo_capacity_rps));
        }
        let demand = self.demand_cache.1;
        let serving = self.group.routed() - self.group.broken_routed;
        self.elasticity.observe_step(self.now_ms, serving, demand);
        let acc = std::mem::take(&mut self.sample);
        if !self.recorder.wants_timeline() {
            return;
        }
        let row = if acc.span_ms > 0.0 {
            self.row_from(&acc)
        } else {
            let g = &self.group;
            let serving = g.routed() - g.broken_routed;
            let spread = self.model.spread_routed(load_now, serving, g.broken_routed);
            let mut instant = SampleAccumulator::default();
            instant.add(1, load_now, &spread, serving);
            self.row_from(&instant)
        };
        self.recorder.sample(row);
    }

    fn row_from(&self, acc: &SampleAccumulator) -> TimelineRow {
        let g = &self.group;
        let span = acc.span_ms;
        TimelineRow {
            time_ms: self.now_ms,
            load_rps: acc.load / span,
            served_rps: acc.served / span,
            dropped_rps: acc.dropped / span,
            desired_capacity: g.desired,
            min_size: g.min_size,
            max_size: g.max_size,
            pending: g.pending,
            in_service: g.in_service,
            terminating: g.terminating,
            unhealthy: g.failed,
            cpu_avg_percent: (acc.serving_ms > 0.0).then(|| acc.cpu / acc.serving_ms),
            cpu_max_percent: (acc.serving_ms > 0.0).then_some(acc.cpu_max),
            latency_ms: (acc.served > 0.0).then(|| acc.latency_weighted / acc.served),
            forecast_capacity: self.predictive.forecast_at(self.now_ms),
            warm_pool: self
                .scenario
                .warm_pool
                .as_ref()
                .map(|_| g.pool.len() as u32),
            instances_by_az: g.az_active.clone(),
            alarm_states: self.alarms.iter().map(|a| a.state).collect(),
        }
    }

    /// Bills the instances still running and builds the summary.
    pub(super) fn finish(mut self) -> Summary {
        let end_ms = self.scenario.duration_ms;
        self.close_refresh(end_ms);
        let mut cost_usd = 0.0;
        let mut billed_ms: SimTime = 0;
        for index in 0..self.group.instances.len() {
            let inst = &self.group.instances[index];
            billed_ms += inst.billed_ms(end_ms) - inst.pool_ms(end_ms).min(inst.billed_ms(end_ms));
            cost_usd += self.instance_cost(index, end_ms);
            if inst.terminated_ms.is_none() {
                self.report_instance(index);
            }
        }
        let t = &self.totals;
        Summary {
            scenario: self.scenario.name.clone(),
            seed: self.seed,
            duration_s: ms_to_s(end_ms),
            cost_usd,
            instance_hours: billed_ms as f64 / MS_PER_HOUR as f64,
            mean_in_service: if end_ms > 0 {
                t.in_service_ms / end_ms as f64
            } else {
                0.0
            },
            max_in_service: t.max_in_service,
            scale_out_activities: t.scale_out_activities,
            scale_in_activities: t.scale_in_activities,
            replaced_unhealthy: t.replaced_unhealthy,
            requests_total: t.requests_total,
            requests_dropped: t.requests_dropped,
            slo_violation_s: ms_to_s(t.slo_violation_ms),
            instances_launched: self.group.instances.len() as u32,
            elasticity: self.elasticity.finish(),
        }
    }
}
