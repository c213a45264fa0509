//! Failures and health replacement in the run: the rules are the health checks'
//! (`crate::asg::health`); here an instance fails, is found, marked, terminated and replaced,
//! and each step is recorded and told.

use crate::asg::{
    FailureMode, Finding, Health, HealthCheckType, HealthEvent, Instance, LifecycleState,
};
use crate::asg::{ScalingProcess, TerminationReason, replacement_batch};
use crate::records::{ActivityKind, ActivityOrigin, Recorder};
use crate::time::{Clock, SimTime};

use super::{Event, Events, Simulation};

impl<R: Recorder> Simulation<'_, R> {
    /// A new InService instance may fail at random later (exponential, `instance_mtbf`).
    pub(super) fn schedule_random_failure(&mut self, index: usize) {
        let mtbf = self.scenario.failures.instance_mtbf_ms;
        let end = self.scenario.duration_ms;
        let mut events = Events(&mut self.queue);
        self.health
            .schedule_random_failure((index, self.now_ms), (mtbf, end), &mut events);
    }

    /// A health event happens.
    pub(super) fn on_health(&mut self, event: HealthEvent) {
        match event {
            HealthEvent::InstanceFails(index) => {
                self.fail_instance(index, FailureMode::Impaired, "random failure")
            }
            HealthEvent::LbHealthFail(index, at) => self.on_lb_health_fail(index, at),
            HealthEvent::Ec2StatusFail(index, at) => self.on_ec2_status_fail(index, at),
            HealthEvent::GraceEnd(index, finding, at) => self.on_grace_end(index, finding, at),
            HealthEvent::LbHealthPass(index) => self.on_lb_health_pass(index),
            HealthEvent::ApplicationReady(index) => self.on_application_ready(index),
            HealthEvent::LifetimeReached(index) => self.on_lifetime_reached(index),
            HealthEvent::ReplacementSettled(index) => self.on_replacement_settled(index),
        }
    }

    /// `fail_instances`: `count` InService instances that have not failed, in `az` if given,
    /// chosen at random from the failure stream.
    pub(super) fn fail_scripted(&mut self, count: u32, az: Option<&str>, mode: FailureMode) {
        let az_index = az.and_then(|name| {
            let azs = &self.scenario.group.availability_zones;
            azs.iter().position(|a| a == name)
        });
        let mut candidates = self.working_instances(|inst| az_index.is_none_or(|a| inst.az == a));
        for _ in 0..count.min(candidates.len() as u32) {
            if let Some(index) = self.health.pick(&mut candidates) {
                self.fail_instance(index, mode, "scripted");
            }
        }
    }

    /// InService instances that have not failed and that `keep` accepts, by index: the
    /// candidates of a failure drawn from the failure stream.
    fn working_instances(&self, keep: impl Fn(&Instance) -> bool) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .group
            .active_indices()
            .iter()
            .copied()
            .filter(|i| {
                let inst = &self.group.instances[*i];
                inst.state == LifecycleState::InService && inst.failure.is_none() && keep(inst)
            })
            .collect();
        found.sort_unstable();
        found
    }

    /// An instance fails now.
    pub(super) fn fail_instance(&mut self, index: usize, mode: FailureMode, why: &str) {
        let inst = &self.group.instances[index];
        if !inst.is_active() || inst.failure.is_some() {
            return;
        }
        self.group.fail(index, self.now_ms, mode);
        let what = match mode {
            FailureMode::Impaired => "impaired: it stops serving",
            FailureMode::Application => "its application dies; EC2 sees nothing",
            FailureMode::Terminated => "terminated under the group",
        };
        let text = format!("{} fails ({why}), {what}", self.id_of(index));
        self.explain(text);
        match mode {
            FailureMode::Terminated => self.mark_unhealthy(index, Finding::Ec2Stopped),
            FailureMode::Impaired => {
                self.schedule_ec2_detection(index);
                self.schedule_lb_detection(index);
            }
            FailureMode::Application => self.schedule_lb_detection(index),
        }
    }

    /// EC2 status checks find an impaired instance after `status_check_delay`.
    fn schedule_ec2_detection(&mut self, index: usize) {
        let inst = (&self.group.instances[index], index);
        let delay = self.scenario.failures.status_check_delay_ms;
        Health::schedule_ec2_detection(inst, (self.now_ms, delay), &mut Events(&mut self.queue));
    }

    /// The load balancer finds a failed InService instance after its checks fail.
    pub(super) fn schedule_lb_detection(&mut self, index: usize) {
        let inst = (&self.group.instances[index], index);
        let lb = &self.scenario.load_balancer;
        Health::schedule_lb_detection(inst, (self.now_ms, lb), &mut Events(&mut self.queue));
    }

    /// The load balancer's checks of the failure that began at `failed_ms` failed: it stops
    /// routing to the instance; with ELB health checks the group marks it Unhealthy (after the
    /// grace period).
    pub(super) fn on_lb_health_fail(&mut self, index: usize, failed_ms: SimTime) {
        if !self.still_failed(index, failed_ms) {
            return;
        }
        self.group.leave_load_balancer(index);
        if self.scenario.group.health_check_type == HealthCheckType::Elb {
            self.after_grace(index, Finding::Elb);
        }
    }

    /// EC2 status checks failed for an impaired instance.
    pub(super) fn on_ec2_status_fail(&mut self, index: usize, failed_ms: SimTime) {
        if self.still_failed(index, failed_ms) {
            self.after_grace(index, Finding::Ec2Impaired);
        }
    }

    /// The grace period of an instance found unhealthy during it has ended.
    pub(super) fn on_grace_end(&mut self, index: usize, finding: Finding, failed_ms: SimTime) {
        if self.still_failed(index, failed_ms) {
            self.mark_unhealthy(index, finding);
        }
    }

    /// Checks a failed instance again (it became InService, or HealthCheck resumed).
    pub(super) fn redetect(&mut self, index: usize) {
        let inst = &self.group.instances[index];
        if !inst.is_active() || inst.marked_unhealthy {
            return;
        }
        match inst.failure {
            Some(FailureMode::Terminated) => self.mark_unhealthy(index, Finding::Ec2Stopped),
            Some(FailureMode::Impaired) => {
                self.schedule_ec2_detection(index);
                self.schedule_lb_detection(index);
            }
            Some(FailureMode::Application) => self.schedule_lb_detection(index),
            None => {}
        }
    }

    /// Whether the failure that began at `failed_ms` still holds and is not yet marked.
    fn still_failed(&self, index: usize, failed_ms: SimTime) -> bool {
        Health::still_failed(&self.group.instances[index], failed_ms)
    }

    /// Acts on a finding now, or when the instance's grace period ends.
    fn after_grace(&mut self, index: usize, finding: Finding) {
        let grace = self.scenario.group.health_check_grace_period_ms;
        let inst = &self.group.instances[index];
        match Health::grace_end(inst, self.now_ms, grace) {
            Some(end) => {
                let failed_ms = inst.failed_ms.unwrap_or(self.now_ms);
                let event = HealthEvent::GraceEnd(index, finding, failed_ms);
                self.queue.schedule(end, Event::Health(event));
            }
            None => self.mark_unhealthy(index, finding),
        }
    }

    /// The suspended process that holds replacements back: ReplaceUnhealthy, or Terminate
    /// (the group terminates first) (UG: as-suspend-resume-processes).
    fn replacement_held(&self) -> Option<ScalingProcess> {
        let held = [ScalingProcess::ReplaceUnhealthy, ScalingProcess::Terminate];
        held.into_iter().find(|p| self.group.suspended(*p))
    }

    /// The group marks the instance Unhealthy and replaces it: at once if EC2 found it,
    /// in batches if the load balancer did; queued while ReplaceUnhealthy or Terminate is
    /// suspended (and not marked at all while HealthCheck is).
    fn mark_unhealthy(&mut self, index: usize, finding: Finding) {
        if self.group.suspended(ScalingProcess::HealthCheck) {
            return;
        }
        self.group.instances[index].marked_unhealthy = true;
        self.group.instances[index].marked_unhealthy_ms = Some(self.now_ms);
        let held = self.replacement_held();
        if finding == Finding::Elb || held.is_some() {
            self.health.enqueue(index, finding);
            self.process_replacements();
            // Only sentences need the scan: sweeps skip it.
            let waits = self.recorder.wants_explanations() && self.health.is_queued(index);
            if waits {
                let why = match held {
                    Some(p) => format!("{} is suspended", p.aws_name()),
                    None => format!(
                        "the load balancer's findings are replaced at most {} at a time (10% of desired {})",
                        replacement_batch(self.group.desired),
                        self.group.desired
                    ),
                };
                let id = self.id_of(index);
                let cause = finding.cause();
                self.explain(format!(
                    "{id} is Unhealthy ({cause}); its replacement waits: {why}"
                ));
            }
        } else {
            self.replace(index, finding);
        }
    }

    /// Replaces queued findings while the batch allows (UG: ec2-auto-scaling-health-checks).
    pub(super) fn process_replacements(&mut self) {
        if self.replacement_held().is_some() {
            return;
        }
        // Nothing is replaced for lifetime while it cannot launch: an instance past its
        // lifetime keeps running until Launch resumes (UG: asg-max-instance-lifetime; UG:
        // as-suspend-resume-processes). Unhealthy instances still go (ReplaceUnhealthy
        // terminates without replacing).
        let hold_lifetime = self.group.suspended(ScalingProcess::Launch);
        while let Some((index, finding)) = self.health.next_to_replace(&self.group, hold_lifetime) {
            self.replace(index, finding);
        }
    }

    /// Terminates first, then launches the replacement.
    fn replace(&mut self, index: usize, finding: Finding) {
        let id = self.id_of(index);
        let already_gone = self.group.instances[index].failure == Some(FailureMode::Terminated);
        let reason = if finding == Finding::MaxLifetime {
            TerminationReason::MaxInstanceLifetime
        } else {
            self.meter.totals.replaced_unhealthy += 1;
            TerminationReason::Unhealthy
        };
        let launch_first = self
            .scenario
            .group
            .instance_maintenance_policy
            .is_some_and(|p| p.launch_first());
        if launch_first && !already_gone && self.launch_successor_first(index, reason) {
            return;
        }
        self.terminate_with(index, reason, false, !already_gone);
        let origin = replacement_origin(reason);
        let why = format_args!("taken out of service in response to {}", finding.cause());
        self.record_instance_activity((ActivityKind::Terminate, origin), index, why);
        let mut launched = None;
        let missing = self.group.active_count() < self.group.desired;
        if let Some(new) = missing.then(|| self.try_launch(false)).flatten() {
            self.health
                .replacement_launched(&mut self.group.instances[new]);
            let active = self.group.active_count();
            let why = format_args!(
                "started in response to a difference between desired and actual capacity, increasing the capacity from {} to {active}",
                active - 1
            );
            self.record_instance_activity((ActivityKind::Launch, origin), new, why);
            launched = Some(new);
        }
        let replacement = launched.map_or(String::new(), |n| {
            format!("; launching {} in {}", self.id_of(n), self.az_name(n))
        });
        let marked = self.group.instances[index].marked_unhealthy_ms;
        let waited = marked.filter(|t| *t < self.now_ms);
        let text = if finding == Finding::MaxLifetime {
            let when = waited.map_or(String::new(), |t| {
                format!(" at {} and waited for its turn", Clock(t))
            });
            format!("{id} reached max_instance_lifetime{when}: terminating it{replacement}")
        } else if let Some(since) = waited {
            format!(
                "{id} (Unhealthy since {}) is replaced now: terminating it{replacement}",
                Clock(since)
            )
        } else {
            format!(
                "{id} is Unhealthy ({}): terminating it{replacement}",
                finding.cause()
            )
        };
        self.explain(text);
    }

    pub(super) fn az_name(&self, index: usize) -> &str {
        &self.scenario.group.availability_zones[self.group.instances[index].az]
    }

    /// A new InService instance whose application takes `application_start_time` to start:
    /// the load balancer does not route to it and its health checks fail until then, so with
    /// ELB health checks a grace period shorter than the start-up has it replaced (a loop).
    pub(super) fn start_application(&mut self, index: usize) {
        let start = &self.scenario.launch_template.application_start_time;
        let start_ms = self.lifecycle.boot_ms(start);
        if start_ms == 0 {
            return;
        }
        self.group.leave_load_balancer(index);
        self.group
            .fail(index, self.now_ms, FailureMode::Application);
        let ready = HealthEvent::ApplicationReady(index);
        self.queue
            .schedule(self.now_ms + start_ms, Event::Health(ready));
        self.schedule_lb_detection(index);
    }

    /// The application answers health checks: the load balancer routes to it.
    pub(super) fn on_application_ready(&mut self, index: usize) {
        let inst = &self.group.instances[index];
        if !inst.is_active()
            || inst.marked_unhealthy
            || inst.failure != Some(FailureMode::Application)
        {
            return;
        }
        self.group.recover(index);
        self.group.join_load_balancer(index);
    }

    /// An overloaded fleet loses one instance to failed health checks each time its checks
    /// have timed out enough times in a row (`crate::asg::Health::overload_fails_one`).
    pub(super) fn check_overload(&mut self) {
        let lb = self.scenario.load_balancer;
        if !lb.overload_fails_health_checks {
            return;
        }
        let healthy = self.group.routed() - self.group.broken_routed;
        let load_rps = self.meter.load_at(self.now_ms);
        let capacity_rps = self.meter.model().capacity_rps;
        let routed = f64::from(self.group.routed());
        let saturated = healthy > 0 && load_rps / routed >= capacity_rps;
        if !self.health.overload_fails_one(self.now_ms, saturated, &lb) {
            return;
        }
        let mut candidates = self.working_instances(|inst| !inst.out_of_lb);
        let Some(index) = self.health.pick(&mut candidates) else {
            return;
        };
        self.group
            .fail(index, self.now_ms, FailureMode::Application);
        let per_instance = load_rps / routed;
        self.explain(format!(
            "{} fails its load balancer health checks: saturated ({per_instance:.0} req/s each against a capacity of {capacity_rps})",
            self.id_of(index),
        ));
        let back =
            self.now_ms + lb.health_check_interval_ms * u64::from(lb.healthy_threshold_count);
        let ready = HealthEvent::ApplicationReady(index);
        self.queue.schedule(back, Event::Health(ready));
        self.on_lb_health_fail(index, self.now_ms);
    }

    /// An instance will reach MaxInstanceLifetime (counted from its launch).
    pub(super) fn schedule_lifetime(&mut self, index: usize) {
        let launch_ms = self.group.instances[index].launch_ms;
        let lifetime = self.scenario.group.max_instance_lifetime_ms;
        let when = (lifetime, self.now_ms, self.scenario.duration_ms);
        if let Some(at) = Health::lifetime_due(launch_ms, when) {
            let due = HealthEvent::LifetimeReached(index);
            self.queue.schedule(at, Event::Health(due));
        }
    }

    /// Replaced like an unhealthy instance (terminate, then launch), a few at a time.
    /// Instances protected from scale-in are not replaced for lifetime ("protection prevents
    /// … from being replaced", UG: asg-max-instance-lifetime).
    pub(super) fn on_lifetime_reached(&mut self, index: usize) {
        let inst = &self.group.instances[index];
        if inst.is_active() && !inst.marked_unhealthy && !inst.is_protected() {
            self.group.instances[index].marked_unhealthy = true;
            self.group.instances[index].marked_unhealthy_ms = Some(self.now_ms);
            self.health.enqueue(index, Finding::MaxLifetime);
            self.process_replacements();
        }
    }

    /// Launch before terminate (an instance maintenance policy with MinHealthyPercentage 100
    /// and MaxHealthyPercentage above 100): the successor launches now and `old` goes when it
    /// is InService. False when nothing could launch (then it terminates first).
    fn launch_successor_first(&mut self, old: usize, reason: TerminationReason) -> bool {
        let Some(new) = self.try_launch_leaving(false, Some(old)) else {
            return false;
        };
        let inst = &mut self.group.instances[new];
        inst.replaces = Some((old, reason));
        self.health.replacement_launched(inst);
        let old_id = self.id_of(old);
        let why = format_args!(
            "launched to replace {old_id} before it is terminated (instance maintenance policy)"
        );
        let origin = replacement_origin(reason);
        self.record_instance_activity((ActivityKind::Launch, origin), new, why);
        let text = format!(
            "{} is {}: launching {} in {} first (instance maintenance policy); it goes once that one is InService",
            self.id_of(old),
            if reason == TerminationReason::Unhealthy {
                "Unhealthy"
            } else {
                "due for replacement"
            },
            self.id_of(new),
            self.az_name(new)
        );
        self.explain(text);
        true
    }

    /// A replacement became InService: the instance it replaces goes (launch-first), and the
    /// next batch may go.
    pub(super) fn replacement_ready(&mut self, index: usize) {
        if !self.group.instances[index].pending_replacement {
            return;
        }
        // The next batch waits for this one's first health checks and warm-up (UG:
        // ec2-auto-scaling-health-checks).
        let settle_ms = Health::settle_ms(&self.scenario.group, &self.scenario.load_balancer);
        let settled = HealthEvent::ReplacementSettled(index);
        self.queue
            .schedule(self.now_ms + settle_ms, Event::Health(settled));
        if let Some((old, reason)) = self.group.instances[index].replaces.take()
            && self.group.instances[old].is_active()
        {
            self.terminate_one(old, reason, false);
            let why = format_args!("taken out of service after its replacement became InService");
            let origin = replacement_origin(reason);
            self.record_instance_activity((ActivityKind::Terminate, origin), old, why);
        }
    }

    /// A replacement has passed its first health checks and warmed up: the next batch may go.
    fn on_replacement_settled(&mut self, index: usize) {
        if self
            .health
            .replacement_done(&mut self.group.instances[index])
        {
            self.process_replacements();
        }
    }
}

/// The origin of the activities of a replacement terminated for `reason`.
fn replacement_origin(reason: TerminationReason) -> ActivityOrigin {
    if reason == TerminationReason::MaxInstanceLifetime {
        ActivityOrigin::MaxInstanceLifetime
    } else {
        ActivityOrigin::HealthReplacement
    }
}
