//! Failures, health checks and the replacement of unhealthy instances (asg-semantics.md §6).
//!
//! A failed instance serves nothing. The load balancer keeps sending it its share of the load
//! (which fails) until its own health checks have failed `unhealthy_threshold_count` times in a
//! row; the group marks it Unhealthy when EC2 status checks find it (an impaired instance
//! after `status_check_delay`, a terminated one at once) or, with `health_check_type = "ELB"`,
//! when the load balancer does; results inside the grace period are acted on when it ends,
//! except for a terminated instance. Replacement terminates first, then launches; instances
//! found by the load balancer are replaced at most 10% of desired capacity at a time (at least
//! one). Cooldown and scale-in protection do not block it.

use rand::Rng;
use rand_distr::{Distribution, Exp};

use crate::asg::Lifecycle;
use crate::asg::TerminationReason;
use crate::asg::{FailureMode, HealthCheckType, ScalingProcess};
use crate::records::{ActivityKind, ActivityOrigin, Recorder};
use crate::time::{Clock, SimTime};

use super::{Event, Simulation};

/// What found an instance unhealthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Finding {
    /// EC2: the instance is stopped or terminated (acted on at once, grace or not).
    Ec2Stopped,
    /// EC2 status checks: impaired.
    Ec2Impaired,
    /// The load balancer's health checks.
    Elb,
    /// Not a health finding: the instance reached MaxInstanceLifetime.
    MaxLifetime,
}

impl Finding {
    /// AWS's activity cause, after "At <time> an instance was taken out of service in
    /// response to ".
    fn cause(self) -> &'static str {
        match self {
            Self::Ec2Stopped => "an EC2 health check indicating it has been terminated or stopped",
            Self::Ec2Impaired => "an EC2 instance status checks failure",
            Self::Elb => "an ELB system health check failure",
            Self::MaxLifetime => "the maximum instance lifetime being reached",
        }
    }
}

impl<R: Recorder> Simulation<'_, R> {
    /// A new InService instance may fail at random later (exponential, `instance_mtbf`).
    pub(super) fn schedule_random_failure(&mut self, index: usize) {
        let Some(mtbf_ms) = self.scenario.failures.instance_mtbf_ms else {
            return;
        };
        let Ok(exp) = Exp::new(1.0 / mtbf_ms as f64) else {
            return;
        };
        let after_ms = exp.sample(&mut self.failure_rng).round() as SimTime;
        let at = self.now_ms.saturating_add(after_ms.max(1));
        if at <= self.scenario.duration_ms {
            let _ = self.queue.schedule(at, Event::InstanceFails(index));
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
            let pick = self.failure_rng.random_range(0..candidates.len());
            let index = candidates.swap_remove(pick);
            self.fail_instance(index, mode, "scripted");
        }
    }

    /// InService instances that have not failed and that `keep` accepts, by index: the
    /// candidates of a failure drawn from the failure stream.
    fn working_instances(&self, keep: impl Fn(&crate::asg::Instance) -> bool) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .group
            .active_indices()
            .iter()
            .copied()
            .filter(|i| {
                let inst = &self.group.instances[*i];
                inst.state == Lifecycle::InService && inst.failure.is_none() && keep(inst)
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

    /// When the instance's current failure began \[ms\]: detection events carry it, so that
    /// one about a failure that has since ended (an AZ back) does nothing.
    fn failed_at(&self, index: usize) -> SimTime {
        self.group.instances[index].failed_ms.unwrap_or(self.now_ms)
    }

    /// EC2 status checks find an impaired instance after `status_check_delay`.
    fn schedule_ec2_detection(&mut self, index: usize) {
        let at = self.now_ms + self.scenario.failures.status_check_delay_ms;
        let failed_ms = self.failed_at(index);
        let _ = self
            .queue
            .schedule(at, Event::Ec2StatusFail(index, failed_ms));
    }

    /// The load balancer finds a failed InService instance after `unhealthy_threshold_count`
    /// failed checks, `health_check_interval` apart. (A Pending one is checked once InService.)
    pub(super) fn schedule_lb_detection(&mut self, index: usize) {
        if self.group.instances[index].state != Lifecycle::InService {
            return;
        }
        let lb = &self.scenario.load_balancer;
        let at =
            self.now_ms + lb.health_check_interval_ms * u64::from(lb.unhealthy_threshold_count);
        let failed_ms = self.failed_at(index);
        let _ = self
            .queue
            .schedule(at, Event::LbHealthFail(index, failed_ms));
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
        let inst = &self.group.instances[index];
        inst.is_active()
            && inst.failure.is_some()
            && inst.failed_ms == Some(failed_ms)
            && !inst.marked_unhealthy
    }

    /// Acts on a finding now, or when the instance's grace period ends.
    fn after_grace(&mut self, index: usize, finding: Finding) {
        let grace = self.scenario.group.health_check_grace_period_ms;
        let since = self.group.instances[index]
            .in_service_ms
            .unwrap_or(self.now_ms);
        let grace_end = since + grace;
        if grace_end > self.now_ms {
            let failed_ms = self.failed_at(index);
            let _ = self
                .queue
                .schedule(grace_end, Event::GraceEnd(index, finding, failed_ms));
        } else {
            self.mark_unhealthy(index, finding);
        }
    }

    /// The suspended process that holds replacements back: ReplaceUnhealthy, or Terminate
    /// (the group terminates first) (§1.5).
    fn replacement_held(&self) -> Option<ScalingProcess> {
        let held = [ScalingProcess::ReplaceUnhealthy, ScalingProcess::Terminate];
        held.into_iter().find(|p| self.suspended(*p))
    }

    /// Most load-balancer findings replaced at a time: max(1, 10% of desired) (§12.14).
    fn replacement_batch(&self) -> u32 {
        (self.group.desired / 10).max(1)
    }

    /// The group marks the instance Unhealthy and replaces it: at once if EC2 found it,
    /// in batches if the load balancer did; queued while ReplaceUnhealthy or Terminate is
    /// suspended (and not marked at all while HealthCheck is).
    fn mark_unhealthy(&mut self, index: usize, finding: Finding) {
        if self.suspended(ScalingProcess::HealthCheck) {
            return;
        }
        self.group.instances[index].marked_unhealthy = true;
        self.group.instances[index].marked_unhealthy_ms = Some(self.now_ms);
        let held = self.replacement_held();
        if finding == Finding::Elb || held.is_some() {
            self.replace_queue.push_back((index, finding));
            self.process_replacements();
            // Only sentences need the scan: sweeps skip it.
            let waits = self.recorder.wants_explanations()
                && self.replace_queue.iter().any(|(i, _)| *i == index);
            if waits {
                let why = match held {
                    Some(p) => format!("{} is suspended", p.aws_name()),
                    None => format!(
                        "the load balancer's findings are replaced at most {} at a time (10% of desired {})",
                        self.replacement_batch(),
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

    /// Replaces queued ELB findings while fewer than max(1, 10% of desired) replacements are
    /// still launching (asg-semantics.md §6, §12.14).
    pub(super) fn process_replacements(&mut self) {
        if self.replacement_held().is_some() {
            return;
        }
        while self.replacements_in_flight < self.replacement_batch() {
            let Some((index, finding)) = self.replace_queue.pop_front() else {
                break;
            };
            if self.group.instances[index].is_active() {
                self.replace(index, finding);
            }
        }
    }

    /// Terminates first, then launches the replacement.
    fn replace(&mut self, index: usize, finding: Finding) {
        let id = self.id_of(index);
        let already_gone = self.group.instances[index].failure == Some(FailureMode::Terminated);
        let reason = if finding == Finding::MaxLifetime {
            TerminationReason::MaxInstanceLifetime
        } else {
            self.totals.replaced_unhealthy += 1;
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
            self.group.instances[new].pending_replacement = true;
            self.replacements_in_flight += 1;
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
        let start_ms = super::lifecycle::sample_boot_ms(start, &mut self.boot_rng);
        if start_ms == 0 {
            return;
        }
        self.group.leave_load_balancer(index);
        self.group
            .fail(index, self.now_ms, FailureMode::Application);
        let _ = self
            .queue
            .schedule(self.now_ms + start_ms, Event::ApplicationReady(index));
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

    /// \[model\] With `overload_fails_health_checks`, a saturated fleet loses one instance to
    /// failed health checks each time the checks have timed out `unhealthy_threshold_count`
    /// times in a row: the load balancer stops routing to it (and, with ELB health checks,
    /// the group replaces it), which loads the others more: an ELB cascade. Taken out, it
    /// passes its checks again after `healthy_threshold_count` of them. Saturation is seen on
    /// the minute ticks and counts from the first tick that sees it, so the first instance
    /// goes no earlier than `unhealthy_threshold_count × health_check_interval` after the
    /// overload began, each next one as long after, and an overload that ends sooner marks
    /// nothing.
    pub(super) fn check_overload(&mut self) {
        let lb = self.scenario.load_balancer;
        if !lb.overload_fails_health_checks {
            return;
        }
        let healthy = self.group.routed() - self.group.broken_routed;
        let (load_rps, _) = self.cursor.segment_at(self.now_ms);
        if healthy == 0 || load_rps / f64::from(self.group.routed()) < self.model.capacity_rps {
            self.overload_since_ms = None;
            return;
        }
        let since = *self.overload_since_ms.get_or_insert(self.now_ms);
        let checks_ms = lb.health_check_interval_ms * u64::from(lb.unhealthy_threshold_count);
        if self.now_ms - since < checks_ms {
            return;
        }
        // The next instance needs as many timed-out checks again.
        self.overload_since_ms = Some(self.now_ms);
        let candidates = self.working_instances(|inst| !inst.out_of_lb);
        if candidates.is_empty() {
            return;
        }
        let index = candidates[self.failure_rng.random_range(0..candidates.len())];
        self.group
            .fail(index, self.now_ms, FailureMode::Application);
        let per_instance = load_rps / f64::from(self.group.routed());
        self.explain(format!(
            "{} fails its load balancer health checks: saturated ({per_instance:.0} req/s each against a capacity of {})",
            self.id_of(index),
            self.model.capacity_rps
        ));
        let back =
            self.now_ms + lb.health_check_interval_ms * u64::from(lb.healthy_threshold_count);
        let _ = self.queue.schedule(back, Event::ApplicationReady(index));
        self.on_lb_health_fail(index, self.now_ms);
    }

    /// An instance will reach MaxInstanceLifetime (counted from its launch).
    pub(super) fn schedule_lifetime(&mut self, index: usize) {
        if let Some(lifetime) = self.scenario.group.max_instance_lifetime_ms {
            let at = self.group.instances[index].launch_ms + lifetime;
            if at <= self.scenario.duration_ms {
                let _ = self
                    .queue
                    .schedule(at.max(self.now_ms), Event::LifetimeReached(index));
            }
        }
    }

    /// Replaced like an unhealthy instance (terminate, then launch), a few at a time.
    pub(super) fn on_lifetime_reached(&mut self, index: usize) {
        let inst = &self.group.instances[index];
        if inst.is_active() && !inst.marked_unhealthy {
            self.group.instances[index].marked_unhealthy = true;
            self.group.instances[index].marked_unhealthy_ms = Some(self.now_ms);
            self.replace_queue.push_back((index, Finding::MaxLifetime));
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
        inst.pending_replacement = true;
        inst.replaces = Some((old, reason));
        self.replacements_in_flight += 1;
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
        let inst = &mut self.group.instances[index];
        if !inst.pending_replacement {
            return;
        }
        inst.pending_replacement = false;
        self.replacements_in_flight -= 1;
        if let Some((old, reason)) = self.group.instances[index].replaces.take()
            && self.group.instances[old].is_active()
        {
            self.terminate_one(old, reason, false);
            let why = format_args!("taken out of service after its replacement became InService");
            let origin = replacement_origin(reason);
            self.record_instance_activity((ActivityKind::Terminate, origin), old, why);
        }
        self.process_replacements();
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
