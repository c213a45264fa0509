//! Health checks and the replacement of unhealthy instances (UG: ec2-auto-scaling-health-checks;
//! UG: health-check-grace-period).
//!
//! A failed instance serves nothing. The load balancer keeps sending it its share of the load
//! (which fails) until its own health checks have failed `UnhealthyThresholdCount` times in a
//! row; the group marks it Unhealthy when EC2 status checks find it (an impaired instance after
//! `status_check_delay`, a terminated one at once) or, with `health_check_type = "ELB"`, when
//! the load balancer does; results inside the grace period are acted on when it ends, except for
//! a terminated instance. Replacement terminates first, then launches; instances found by the
//! load balancer are replaced at most 10% of desired capacity at a time (at least one). Cooldown
//! and scale-in protection do not block it. The choreography (terminate, launch, record) is the
//! run's (`crate::sim`); the rules are here.

use std::collections::VecDeque;

use rand::Rng;
use rand_distr::{Distribution, Exp};

use crate::engine::Scheduler;
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};
use crate::workload::LoadBalancer;

use super::{Group, GroupConfig, HealthCheckType, Instance, LifecycleState};

/// What found an instance unhealthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
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
    /// AWS's activity cause, after `At <time> an instance was taken out of service in
    /// response to `.
    pub fn cause(self) -> &'static str {
        match self {
            Self::Ec2Stopped => "an EC2 health check indicating it has been terminated or stopped",
            Self::Ec2Impaired => "an EC2 instance status checks failure",
            Self::Elb => "an ELB system health check failure",
            Self::MaxLifetime => "the maximum instance lifetime being reached",
        }
    }
}

/// What the health checks schedule. Detection events carry when the failure they are about
/// began, so that one about a failure that has since ended (an AZ back) does nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthEvent {
    /// An instance fails at random (`instance_mtbf`).
    InstanceFails(usize),
    /// The load balancer's checks of the failure that began at `.1` have failed enough times.
    LbHealthFail(usize, SimTime),
    /// EC2 status checks of the instance impaired at `.1` fail.
    Ec2StatusFail(usize, SimTime),
    /// The grace period of an instance found unhealthy during it ends (the finding, and when
    /// its failure began).
    GraceEnd(usize, Finding, SimTime),
    /// The load balancer's checks of a recovered instance have passed enough times.
    LbHealthPass(usize),
    /// The instance's application has started (or its overload passed): it answers checks.
    ApplicationReady(usize),
    /// The instance reaches the group's MaxInstanceLifetime.
    LifetimeReached(usize),
    /// A replacement InService since [`Health::settle_ms`] ago has passed its first checks and
    /// warmed up: its slot in the batch frees.
    ReplacementSettled(usize),
}

/// Most load-balancer findings replaced at a time: max(1, 10% of desired) (UG:
/// ec2-auto-scaling-health-checks: desired 40 ⇒ 4; desired 8 ⇒ 1) \[instances\].
pub fn replacement_batch(desired: u32) -> u32 {
    (desired / 10).max(1)
}

/// The health checks' state over a run.
#[derive(Debug, Clone)]
pub struct Health {
    /// Instances marked Unhealthy (or due for lifetime replacement), waiting for their batch.
    queue: VecDeque<(usize, Finding)>,
    /// Replacements launched and not yet InService \[instances\].
    in_flight: u32,
    /// Since when the fleet has been saturated (or since its last instance failed for it),
    /// for `overload_fails_health_checks` \[ms\]; `None` while it is not.
    overload_since_ms: Option<SimTime>,
    /// Random failures and the choice of failing instances, from their own stream.
    rng: SimRng,
}

impl Health {
    /// Health checks drawing failures from `rng` (the failure stream).
    pub fn new(rng: SimRng) -> Self {
        Self {
            queue: VecDeque::new(),
            in_flight: 0,
            overload_since_ms: None,
            rng,
        }
    }

    /// A new InService instance may fail at random later (exponential, `mtbf_ms`), if that is
    /// before `end_ms`.
    pub fn schedule_random_failure(
        &mut self,
        (index, now_ms): (usize, SimTime),
        (mtbf_ms, end_ms): (Option<SimDuration>, SimTime),
        events: &mut impl Scheduler<HealthEvent>,
    ) {
        let Some(mtbf_ms) = mtbf_ms else {
            return;
        };
        let Ok(exp) = Exp::new(1.0 / mtbf_ms as f64) else {
            return;
        };
        let after_ms = exp.sample(&mut self.rng).round() as SimTime;
        let at = now_ms.saturating_add(after_ms.max(1));
        if at <= end_ms {
            events.schedule(at, HealthEvent::InstanceFails(index));
        }
    }

    /// One of `candidates` (by index), drawn from the failure stream; removes it from them.
    pub fn pick(&mut self, candidates: &mut Vec<usize>) -> Option<usize> {
        if candidates.is_empty() {
            return None;
        }
        let pick = self.rng.random_range(0..candidates.len());
        Some(candidates.swap_remove(pick))
    }

    /// The load balancer finds a failed InService instance after `UnhealthyThresholdCount`
    /// failed checks, `HealthCheckIntervalSeconds` apart (a Pending one is checked once
    /// InService).
    pub fn schedule_lb_detection(
        inst: (&Instance, usize),
        (now_ms, lb): (SimTime, &LoadBalancer),
        events: &mut impl Scheduler<HealthEvent>,
    ) {
        let (inst, index) = inst;
        if inst.state != LifecycleState::InService {
            return;
        }
        let at = now_ms + lb.health_check_interval_ms * u64::from(lb.unhealthy_threshold_count);
        let failed_ms = inst.failed_ms.unwrap_or(now_ms);
        events.schedule(at, HealthEvent::LbHealthFail(index, failed_ms));
    }

    /// EC2 status checks find an impaired instance after `status_check_delay_ms`.
    pub fn schedule_ec2_detection(
        inst: (&Instance, usize),
        (now_ms, status_check_delay_ms): (SimTime, SimDuration),
        events: &mut impl Scheduler<HealthEvent>,
    ) {
        let (inst, index) = inst;
        let failed_ms = inst.failed_ms.unwrap_or(now_ms);
        let at = now_ms + status_check_delay_ms;
        events.schedule(at, HealthEvent::Ec2StatusFail(index, failed_ms));
    }

    /// Whether the failure that began at `failed_ms` still holds and is not yet marked.
    pub fn still_failed(inst: &Instance, failed_ms: SimTime) -> bool {
        inst.is_active()
            && inst.failure.is_some()
            && inst.failed_ms == Some(failed_ms)
            && !inst.marked_unhealthy
    }

    /// When a finding about `inst` is acted on: `None` now, or the end of its grace period
    /// (`HealthCheckGracePeriod` after InService) if that is still ahead \[ms\].
    pub fn grace_end(inst: &Instance, now_ms: SimTime, grace_ms: SimDuration) -> Option<SimTime> {
        let since = inst.in_service_ms.unwrap_or(now_ms);
        let end = since + grace_ms;
        (end > now_ms).then_some(end)
    }

    /// Queues a marked instance for replacement.
    pub fn enqueue(&mut self, index: usize, finding: Finding) {
        self.queue.push_back((index, finding));
    }

    /// Whether an instance waits in the replacement queue.
    pub fn is_queued(&self, index: usize) -> bool {
        self.queue.iter().any(|(i, _)| *i == index)
    }

    /// The next queued instance to replace now, while fewer than [`replacement_batch`]
    /// replacements are launching or settling; `None` when the batch is full or nothing waits.
    /// With `hold_lifetime` (Launch suspended), instances due for lifetime replacement keep
    /// their place and wait. Entries of instances no longer active are dropped.
    pub fn next_to_replace(
        &mut self,
        group: &Group,
        hold_lifetime: bool,
    ) -> Option<(usize, Finding)> {
        self.queue
            .retain(|(index, _)| group.instances[*index].is_active());
        if self.in_flight >= replacement_batch(group.desired) {
            return None;
        }
        let eligible =
            |(_, finding): &(usize, Finding)| !(hold_lifetime && *finding == Finding::MaxLifetime);
        let at = self.queue.iter().position(eligible)?;
        self.queue.remove(at)
    }

    /// How long after a replacement is InService the next batch waits: its warm-up
    /// (DefaultInstanceWarmup, else the grace period, as an instance refresh takes it) and,
    /// with ELB health checks, its first passing checks (HealthyThresholdCount × interval)
    /// \[model\] \[ms\].
    pub fn settle_ms(group: &GroupConfig, lb: &LoadBalancer) -> SimDuration {
        let warmup = group
            .default_instance_warmup_ms
            .unwrap_or(group.health_check_grace_period_ms);
        let first_checks = match group.health_check_type {
            HealthCheckType::Elb => {
                lb.health_check_interval_ms * u64::from(lb.healthy_threshold_count)
            }
            HealthCheckType::Ec2 => 0,
        };
        warmup.max(first_checks)
    }

    /// A replacement was launched for an instance of the group.
    pub fn replacement_launched(&mut self, inst: &mut Instance) {
        inst.pending_replacement = true;
        self.in_flight += 1;
    }

    /// A replacement settled (see [`Self::settle_ms`]), or stopped before: its slot in the
    /// batch frees. False when the instance was no replacement.
    pub fn replacement_done(&mut self, inst: &mut Instance) -> bool {
        if !std::mem::take(&mut inst.pending_replacement) {
            return false;
        }
        self.in_flight -= 1;
        true
    }

    /// \[model\] With `overload_fails_health_checks`, a saturated fleet loses one instance to
    /// failed health checks each time the checks have timed out `UnhealthyThresholdCount`
    /// times in a row: the load balancer stops routing to it (and, with ELB health checks,
    /// the group replaces it), which loads the others more: an ELB cascade. Saturation is seen
    /// on the minute ticks and counts from the first tick that sees it, so the first instance
    /// goes no earlier than `UnhealthyThresholdCount × HealthCheckIntervalSeconds` after the
    /// overload began, each next one as long after, and an overload that ends sooner marks
    /// nothing. Returns whether an instance fails its checks now.
    pub fn overload_fails_one(
        &mut self,
        now_ms: SimTime,
        saturated: bool,
        lb: &LoadBalancer,
    ) -> bool {
        if !saturated {
            self.overload_since_ms = None;
            return false;
        }
        let since = *self.overload_since_ms.get_or_insert(now_ms);
        let checks_ms = lb.health_check_interval_ms * u64::from(lb.unhealthy_threshold_count);
        if now_ms - since < checks_ms {
            return false;
        }
        // The next instance needs as many timed-out checks again.
        self.overload_since_ms = Some(now_ms);
        true
    }

    /// When an instance launched at `launch_ms` reaches MaxInstanceLifetime, if within the
    /// run (UG: asg-max-instance-lifetime) \[ms\].
    pub fn lifetime_due(
        launch_ms: SimTime,
        (lifetime_ms, now_ms, end_ms): (Option<SimDuration>, SimTime, SimTime),
    ) -> Option<SimTime> {
        let at = launch_ms + lifetime_ms?;
        (at <= end_ms).then_some(at.max(now_ms))
    }
}

#[cfg(test)]
mod tests;
