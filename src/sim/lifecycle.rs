//! Instance lifecycle in the run: launches with a boot time, InService, draining, billing.

use rand::Rng;
use rand_distr::{Distribution, LogNormal};

use crate::asg::TerminationReason;
use crate::asg::instance_id;
use crate::asg::{BootTime, LifecycleTransition};
use crate::records::{InstanceRecord, Recorder};
use crate::rng::SimRng;
use crate::time::{MS_PER_HOUR, SimTime};

use super::{Event, Simulation};

/// z of the 95th percentile of the standard normal distribution.
const Z95: f64 = 1.644_853_626_951_472_2;

/// Draws one boot time \[ms\].
pub(super) fn sample_boot_ms(boot: &BootTime, rng: &mut SimRng) -> SimTime {
    match *boot {
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

impl<R: Recorder> Simulation<'_, R> {
    /// Launches one instance into `az` now and schedules the end of its boot; returns its
    /// index. (Launches go through `try_launch`, which picks the AZ.)
    pub(super) fn launch_into(&mut self, az: usize, in_simple_activity: bool) -> usize {
        let protected = self.scenario.group.new_instances_protected_from_scale_in;
        let index = self.group.launch_in(az, self.now_ms, protected);
        self.group.instances[index].in_simple_activity = in_simple_activity;
        let boot_ms = sample_boot_ms(&self.scenario.launch_template.boot_time, &mut self.boot_rng);
        let _ = self
            .queue
            .schedule(self.now_ms + boot_ms, Event::BootDone(index));
        index
    }

    /// Starts terminating an active instance; draining ones finish after the deregistration
    /// delay, Pending ones at once.
    pub(super) fn terminate_one(
        &mut self,
        index: usize,
        reason: TerminationReason,
        in_simple_activity: bool,
    ) {
        self.terminate_with(index, reason, in_simple_activity, true);
    }

    /// Terminates an active instance; `drain` false for one already gone (terminated under
    /// the group), which reaches Terminated at once.
    pub(super) fn terminate_with(
        &mut self,
        index: usize,
        reason: TerminationReason,
        in_simple_activity: bool,
        drain: bool,
    ) {
        self.end_warmup(index);
        if self.group.instances[index].pending_replacement {
            self.group.instances[index].pending_replacement = false;
            self.replacements_in_flight -= 1;
        }
        if std::mem::take(&mut self.group.instances[index].rebalance_launch) {
            // A rebalancing launch that never reached InService.
            self.zones.rebalancing -= 1;
        }
        let drains = self.group.begin_termination(index, self.now_ms, reason);
        let was_waited_for = self.group.instances[index].in_simple_activity;
        self.group.instances[index].in_simple_activity = in_simple_activity;
        if was_waited_for {
            // A launch the simple gate waited for will never finish launching.
            self.simple_gate.instance_finished(self.now_ms);
        }
        let delay_ms = self.scenario.load_balancer.deregistration_delay_ms;
        if drains && self.reuses(index) {
            // It goes back to the warm pool: the pool counts it from now, so no new
            // instance is launched into the pool in its place.
            self.pool_returning += 1;
        }
        if drains && drain && delay_ms > 0 {
            let _ = self
                .queue
                .schedule(self.now_ms + delay_ms, Event::DrainDone(index));
        } else if drains && self.reuses(index) {
            self.finish_terminating(index);
        } else {
            if drains {
                self.group.finish_termination(index, self.now_ms);
            }
            self.on_terminated(index);
        }
    }

    /// The boot ended: a launch hook holds the instance in Pending:Wait, else it is InService.
    pub(super) fn on_boot_done(&mut self, index: usize) {
        if self.group.instances[index].state != crate::asg::Lifecycle::Pending {
            return;
        }
        if !self.start_hooks(index, LifecycleTransition::Launching) {
            self.enter_service(index);
        }
    }

    /// The instance becomes InService.
    pub(super) fn enter_service(&mut self, index: usize) {
        if !self.group.set_in_service(index, self.now_ms) {
            return;
        }
        self.last_capacity_change_ms = self.now_ms;
        if self.suspended(crate::asg::ScalingProcess::AddToLoadBalancer) {
            // Not registered: it serves nothing until AddToLoadBalancer resumes.
            self.group.leave_load_balancer(index);
        }
        self.start_warmup(index);
        self.start_application(index);
        self.finish_simple_wait(index);
        self.schedule_random_failure(index);
        self.schedule_lifetime(index);
        self.replacement_ready(index);
        self.rebalance_launch_ready(index);
        self.refresh_in_service(index);
        if self.group.instances[index].failure.is_some() {
            // It failed while booting (an AZ outage): the checks find it now it serves.
            self.redetect(index);
        }
    }

    /// Draining ended: a termination hook holds the instance in Terminating:Wait, else it
    /// is Terminated.
    pub(super) fn on_drain_done(&mut self, index: usize) {
        if !self.start_hooks(index, LifecycleTransition::Terminating) {
            self.finish_terminating(index);
        }
    }

    /// The instance reaches Terminated (billing ends), or goes back to the warm pool.
    pub(super) fn finish_terminating(&mut self, index: usize) {
        if self.reuses(index) {
            self.pool_returning -= 1;
            self.group.return_to_pool(index, self.now_ms);
            self.finish_simple_wait(index);
            self.maintain_pool(false);
            return;
        }
        self.group.finish_termination(index, self.now_ms);
        self.on_terminated(index);
    }

    fn on_terminated(&mut self, index: usize) {
        self.last_capacity_change_ms = self.now_ms;
        self.finish_simple_wait(index);
        self.report_instance(index);
    }

    fn finish_simple_wait(&mut self, index: usize) {
        let inst = &mut self.group.instances[index];
        if inst.in_simple_activity {
            inst.in_simple_activity = false;
            self.simple_gate.instance_finished(self.now_ms);
        }
    }

    /// Cost of one instance up to its termination or `end_ms` \[USD\].
    pub(super) fn instance_cost(&self, index: usize, end_ms: SimTime) -> f64 {
        let billed = self.group.instances[index].billed_ms(end_ms);
        let price = self.group.template_of(index).map_or(0.0, |t| t.1);
        let (pool_ms, pool_usd) = self.pool_cost(index, end_ms);
        billed.saturating_sub(pool_ms) as f64 / MS_PER_HOUR as f64 * price + pool_usd
    }

    /// Hands an instance's row to the recorder (at termination, or at the end of the run).
    pub(super) fn report_instance(&mut self, index: usize) {
        if !self.recorder.wants_records() {
            return;
        }
        let cost_usd = self.instance_cost(index, self.scenario.duration_ms);
        let inst = &self.group.instances[index];
        let record = InstanceRecord {
            instance_id: instance_id(inst.number),
            az: self.scenario.group.availability_zones[inst.az].clone(),
            instance_type: self
                .group
                .template_of(index)
                .map(|t| t.0.clone())
                .unwrap_or_default(),
            launch_time_ms: inst.launch_ms,
            in_service_time_ms: inst.first_in_service_ms,
            termination_time_ms: inst.terminated_ms,
            termination_reason: inst
                .termination_reason
                .filter(|_| inst.terminated_ms.is_some()),
            cost_usd,
        };
        self.recorder.instance(record);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Stream, stream};

    #[test]
    fn lognormal_boot_matches_its_median_and_p95() {
        let boot = BootTime::LogNormal {
            median_ms: 90_000,
            p95_ms: 150_000,
        };
        let mut rng = stream(3, Stream::Boot);
        let mut draws: Vec<SimTime> = (0..20_000)
            .map(|_| sample_boot_ms(&boot, &mut rng))
            .collect();
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
        assert!((0..1000).all(|_| (60_000..=120_000).contains(&sample_boot_ms(&boot, &mut rng))));
    }
}
