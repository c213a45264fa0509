//! Between events: the meter integrates the workload, and CloudWatch's open period and the
//! predictive policy's hour take each segment; timeline rows and the run's summary.

use crate::asg::{LifecycleState, Market};
use crate::records::{CpuOver, Recorder, Summary, TimelineRow};
use crate::time::{MS_PER_HOUR, SimTime, ms_to_s};
use crate::workload::{Fleet, Interval, Mix, TargetClass};

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

    /// The routed instances of a mixed group by instance type, for the meter: each type
    /// serves its own `capacity_rps` (`None` without a mixed instances policy).
    fn mix(&self) -> Option<Mix> {
        let policy = self.scenario.mixed_instances_policy.as_ref()?;
        let mut classes: Vec<TargetClass> = (policy.overrides.iter())
            .map(|o| TargetClass {
                capacity_rps: o.capacity_rps,
                healthy: 0,
                broken: 0,
            })
            .collect();
        for &index in self.group.active_indices() {
            let inst = &self.group.instances[index];
            if inst.state != LifecycleState::InService || inst.out_of_lb {
                continue;
            }
            let class = &mut classes[inst.kind.type_index];
            if inst.failure.is_some() {
                class.broken += 1;
            } else {
                class.healthy += 1;
            }
        }
        let routing = self.scenario.load_balancer.routing;
        Some(Mix { routing, classes })
    }

    /// Integrates the workload from now to `t_ms` over the trace's constant segments.
    pub(super) fn advance_to(&mut self, t_ms: SimTime) {
        let fleet = self.fleet();
        if self.scenario.mixed_instances_policy.is_some() {
            let mix = self.mix();
            self.meter.set_mix(mix);
        }
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
            in_service_spot: self.in_service_spot(),
            instances_by_az: g.az_active.clone(),
            alarm_states: self.watch.states().collect(),
        }
    }

    /// InService Spot instances now, in a mixed instances group.
    fn in_service_spot(&self) -> Option<u32> {
        self.scenario.mixed_instances_policy.as_ref()?;
        let g = &self.group;
        let spot = g
            .active_indices()
            .iter()
            .map(|&i| &g.instances[i])
            .filter(|i| i.state == LifecycleState::InService && i.kind.market == Market::Spot);
        Some(spot.count() as u32)
    }

    /// Bills the instances still running and builds the summary.
    pub(super) fn finish(mut self, seed: u64) -> Summary {
        let end_ms = self.scenario.duration_ms;
        self.close_refresh(end_ms);
        let mut cost_usd = 0.0;
        let (mut cost_on_demand_usd, mut cost_spot_usd) = (0.0, 0.0);
        let mut billed_ms: SimTime = 0;
        for index in 0..self.group.instances.len() {
            let inst = &self.group.instances[index];
            billed_ms += inst.billed_ms(end_ms) - inst.pool_ms(end_ms).min(inst.billed_ms(end_ms));
            let cost = self.instance_cost(index, end_ms);
            cost_usd += cost;
            match inst.kind.market {
                Market::OnDemand => cost_on_demand_usd += cost,
                Market::Spot => cost_spot_usd += cost,
            }
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
            cost_on_demand_usd,
            cost_spot_usd,
            spot_interruptions: t.spot_interruptions,
            elasticity: self.meter.elasticity(),
        }
    }
}
