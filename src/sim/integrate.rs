//! Between events: the meter integrates the workload, and CloudWatch's open period and the
//! predictive policy's hour take each segment; timeline rows and the run's summary.

use crate::records::{CpuOver, Recorder, Summary, TimelineRow};
use crate::time::{MS_PER_HOUR, SimTime, ms_to_s};
use crate::workload::{Fleet, Interval};

use super::Simulation;

impl<R: Recorder> Simulation<'_, R> {
    /// The fleet as the load balancer sees it now: healthy routed instances serve, failed
    /// ones it still routes to drop their share of the load.
    pub(super) fn fleet(&self) -> Fleet {
        let broken = self.group.broken_routed;
        let serving = self.group.routed() - broken;
        Fleet {
            in_service: self.group.in_service,
            serving,
            broken,
            settled: serving.saturating_sub(self.scaling.warmup.warming_in_service()),
        }
    }

    /// Integrates the workload from now to `t_ms` over the trace's constant segments.
    pub(super) fn advance_to(&mut self, t_ms: SimTime) {
        let fleet = self.fleet();
        let (watch, predictive) = (&mut self.watch, &mut self.scaling.predictive);
        self.meter.advance((self.now_ms, t_ms), fleet, |s| {
            watch.record(s);
            let f = &s.fleet;
            if predictive.is_active() {
                predictive
                    .hour
                    .add(s.dt_ms, f.serving, f.settled, s.load_rps, &s.spread);
            }
        });
        self.now_ms = self.now_ms.max(t_ms);
    }

    /// Emits the timeline row for the interval ending now and starts the next interval.
    pub(super) fn emit_sample(&mut self) {
        let fleet = self.fleet();
        let interval = self.meter.end_interval(self.now_ms, fleet.serving);
        if !self.recorder.wants_timeline() {
            return;
        }
        let interval = if interval.span_ms > 0.0 {
            interval
        } else {
            let (load_now, spread) = self.meter.spread_at(self.now_ms, fleet);
            Interval::instant(load_now, &spread, &fleet)
        };
        let row = self.row_from(&interval);
        self.recorder.sample(row);
    }

    fn row_from(&self, acc: &Interval) -> TimelineRow {
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
            in_service_max: acc.in_service_max.max(g.in_service),
            terminating: g.terminating,
            unhealthy: g.failed,
            cpu_avg_percent: (acc.serving_ms > 0.0).then(|| acc.cpu / acc.serving_ms),
            cpu_max_percent: (acc.serving_ms > 0.0).then_some(acc.cpu_max),
            latency_ms: (acc.served > 0.0).then(|| acc.latency_weighted / acc.served),
            forecast_capacity: self.scaling.predictive.forecast_at(self.now_ms),
            warm_pool: self
                .scenario
                .warm_pool
                .as_ref()
                .map(|_| g.pool.len() as u32),
            instances_by_az: g.az_active.clone(),
            alarm_states: self.watch.states().collect(),
        }
    }

    /// Bills the instances still running and builds the summary.
    pub(super) fn finish(mut self, seed: u64) -> Summary {
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
        let t = &self.meter.totals;
        Summary {
            scenario: self.scenario.name.clone(),
            seed,
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
            cpu_over: CpuOver {
                percent: self.scenario.slo.cpu_percent,
                seconds: ms_to_s(t.cpu_over_ms),
            },
            instances_launched: self.group.instances.len() as u32,
            elasticity: self.meter.elasticity(),
        }
    }
}
