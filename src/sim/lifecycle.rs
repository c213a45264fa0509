//! Instances moving through their lifecycle in the run (UG: ec2-auto-scaling-lifecycle):
//! launched with a boot time, InService, draining, Terminated or back to the warm pool, and
//! billed. Each transition tells the components that track instances (warm-up, replacements,
//! rebalancing, the simple policies' activity).

use crate::asg::{
    LifecycleEvent, LifecycleState, LifecycleTransition, ScalingProcess, TerminationReason,
    instance_id, pool_cost, reuses,
};
use crate::records::{InstanceRecord, Recorder};
use crate::time::{MS_PER_HOUR, SimTime};

use super::{Event, Events, Simulation};

impl<R: Recorder> Simulation<'_, R> {
    /// Launches one instance into `az` now and schedules the end of its boot; returns its
    /// index. (Launches go through `try_launch`, which picks the AZ.)
    pub(super) fn launch_into(&mut self, az: usize, in_simple_activity: bool) -> usize {
        let protected = self.scenario.group.new_instances_protected_from_scale_in;
        let index = self.group.launch_in(az, self.now_ms, protected);
        self.group.instances[index].in_simple_activity = in_simple_activity;
        let boot_ms = self
            .lifecycle
            .boot_ms(&self.scenario.launch_template.boot_time);
        let done = LifecycleEvent::BootDone(index);
        self.queue
            .schedule(self.now_ms + boot_ms, Event::Lifecycle(done));
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
        self.scaling.warmup.end(&mut self.group, index);
        self.health
            .replacement_done(&mut self.group.instances[index]);
        if std::mem::take(&mut self.group.instances[index].rebalance_launch) {
            // A rebalancing launch that never reached InService.
            self.zones.rebalance_ended();
        }
        let drains = self.group.begin_termination(index, self.now_ms, reason);
        let was_waited_for = self.group.instances[index].in_simple_activity;
        self.group.instances[index].in_simple_activity = in_simple_activity;
        if was_waited_for {
            // A launch the simple gate waited for will never finish launching.
            self.scaling.simple_gate.instance_finished(self.now_ms);
        }
        let delay_ms = self.scenario.load_balancer.deregistration_delay_ms;
        let reused = drains && self.reuses(index);
        if reused {
            // It goes back to the warm pool: the pool counts it from now, so no new
            // instance is launched into the pool in its place.
            self.group.pool_returning += 1;
        }
        if drains && drain && delay_ms > 0 {
            let done = LifecycleEvent::DrainDone(index);
            self.queue
                .schedule(self.now_ms + delay_ms, Event::Lifecycle(done));
        } else if drains && drain {
            // Nothing to drain: its terminate hooks, or the warm pool, take it at once. The
            // caller (a change of desired capacity) maintains the pool after all its instances.
            self.drained(index);
        } else {
            if drains {
                self.group.finish_termination(index, self.now_ms);
            }
            self.on_terminated(index);
        }
    }

    /// The boot ended: a launch hook holds the instance in Pending:Wait, else it is InService.
    pub(super) fn on_boot_done(&mut self, index: usize) {
        if self.group.instances[index].state != LifecycleState::Pending {
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
        if self.recorder.wants_explanations() {
            self.explain_in_service(index);
        }
        self.group.last_capacity_change_ms = self.now_ms;
        if self.group.suspended(ScalingProcess::AddToLoadBalancer) {
            // Not registered: it serves nothing until AddToLoadBalancer resumes.
            self.group.leave_load_balancer(index);
        }
        let mut events = Events(&mut self.queue);
        let started = (index, self.now_ms);
        self.scaling
            .warmup
            .start(&mut self.group, started, &mut events);
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

    /// `i-00000005 is InService in us-east-1b, 92s after its launch` (its boot time, with any
    /// launch hook's wait), or `i-00000005 is InService in us-east-1b from the warm pool`.
    fn explain_in_service(&mut self, index: usize) {
        let inst = &self.group.instances[index];
        let az = &self.scenario.group.availability_zones[inst.az];
        let after = if inst.pool_ready_ms.is_some() {
            " from the warm pool".to_string()
        } else {
            let boot_ms = self.now_ms.saturating_sub(inst.launch_ms);
            format!(
                ", {} after its launch",
                crate::time::format_duration(boot_ms)
            )
        };
        let text = format!("{} is InService in {az}{after}", self.id_of(index));
        self.explain(text);
    }

    /// The deregistration delay ended (an event): the instance goes on, and the warm pool
    /// takes the instances that came back to it into account.
    pub(super) fn on_drain_done(&mut self, index: usize) {
        if self.drained(index) {
            self.maintain_pool(false);
        }
    }

    /// Draining is over: a simple policy's cooldown starts now, whatever terminate hooks
    /// follow (UG: ec2-auto-scaling-scaling-cooldowns: "when draining is complete", not after
    /// the lifecycle hooks); then a terminate hook holds the instance in Terminating:Wait, or
    /// it is Terminated. True when it went back to the warm pool.
    fn drained(&mut self, index: usize) -> bool {
        self.finish_simple_wait(index);
        if self.start_hooks(index, LifecycleTransition::Terminating) {
            return false;
        }
        self.finish_terminating(index)
    }

    /// The instance reaches Terminated (billing ends), or goes back to the warm pool (then
    /// true: the caller maintains the pool once).
    pub(super) fn finish_terminating(&mut self, index: usize) -> bool {
        if self.reuses(index) {
            self.group.pool_returning -= 1;
            self.group.return_to_pool(index, self.now_ms);
            self.finish_simple_wait(index);
            return true;
        }
        self.group.finish_termination(index, self.now_ms);
        self.on_terminated(index);
        false
    }

    fn on_terminated(&mut self, index: usize) {
        self.group.last_capacity_change_ms = self.now_ms;
        self.finish_simple_wait(index);
        self.report_instance(index);
    }

    fn finish_simple_wait(&mut self, index: usize) {
        let inst = &mut self.group.instances[index];
        if inst.in_simple_activity {
            inst.in_simple_activity = false;
            self.scaling.simple_gate.instance_finished(self.now_ms);
        }
    }

    /// Whether a drained instance goes back to the warm pool instead of terminating.
    pub(super) fn reuses(&self, index: usize) -> bool {
        reuses(
            self.scenario.warm_pool.as_ref(),
            &self.group.instances[index],
        )
    }

    /// Cost of one instance up to its termination or `end_ms` \[USD\].
    pub(super) fn instance_cost(&self, index: usize, end_ms: SimTime) -> f64 {
        let inst = &self.group.instances[index];
        let billed = inst.billed_ms(end_ms);
        let price = self.group.template_of(index).map_or(0.0, |t| t.1);
        let config = self.scenario.warm_pool.as_ref();
        let (pool_ms, pool_usd) = pool_cost(config, inst, price, end_ms);
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
