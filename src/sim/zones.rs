//! AZs in the run: launches go to the emptiest usable AZ, outages fail instances and end,
//! rebalancing launches first (the rules: `crate::asg::zones`).

use crate::asg::rebalance_allowance;
use crate::asg::{FailureMode, HealthEvent, ScalingProcess, TerminationReason, ZoneEvent};
use crate::records::{ActivityKind, ActivityOrigin, EpisodeKind, Recorder};
use crate::time::{SimDuration, format_duration};

use super::{Event, Events, Simulation};

impl<R: Recorder> Simulation<'_, R> {
    /// A zone event happens.
    pub(super) fn on_zone(&mut self, event: ZoneEvent) {
        match event {
            ZoneEvent::RetryLaunch => self.on_retry_launch(),
            ZoneEvent::AzRecovered(az) => self.on_az_recovered(az),
        }
    }

    /// Launches one instance into the emptiest AZ that accepts it; `None` when Launch is
    /// suspended or (with a retry in a minute) every AZ refuses.
    pub(super) fn try_launch(&mut self, in_simple_activity: bool) -> Option<usize> {
        self.try_launch_leaving(in_simple_activity, None)
    }

    /// As `try_launch`, counting the active instance `leaving` as already gone from its AZ:
    /// the successor of an instance about to terminate goes where it would after.
    pub(super) fn try_launch_leaving(
        &mut self,
        in_simple_activity: bool,
        leaving: Option<usize>,
    ) -> Option<usize> {
        if self.group.suspended(ScalingProcess::Launch) {
            return None;
        }
        let leaving_az = leaving.map(|i| self.group.instances[i].az);
        if let Some(index) = self.take_warm(in_simple_activity, leaving_az) {
            return Some(index);
        }
        let now = self.now_ms;
        let order = self
            .group
            .launch_order(|az| self.zones.is_up(az, now), leaving_az);
        for az in order {
            if !self.zones.launch_attempt_fails(az, now) {
                return Some(self.launch_into(az, in_simple_activity));
            }
        }
        if self.zones.plan_retry(now, &mut Events(&mut self.queue)) {
            self.explain("launch failed in every usable Availability Zone (insufficient capacity); retrying in 1 minute".to_string());
        }
        None
    }

    /// Retries launches that failed: the group launches what desired capacity is missing.
    pub(super) fn on_retry_launch(&mut self) {
        self.zones.retried();
        let before = self.group.desired;
        let cause = format!(
            "At {} an instance was started in response to a difference between desired and actual capacity.",
            self.aws_time(self.now_ms)
        );
        self.set_desired(before, super::capacity::Cause::plain(&cause), false);
        // A refresh whose successor could not launch tries again now.
        self.refresh_step();
    }

    /// `az_outage`: the AZ's instances fail and it refuses launches for `duration_ms`.
    pub(super) fn start_az_outage(&mut self, az_name: &str, duration_ms: SimDuration) {
        let azs = &self.scenario.group.availability_zones;
        let Some(az) = azs.iter().position(|a| a == az_name) else {
            return;
        };
        let until = self.now_ms + duration_ms;
        let label = format!("{az_name} down");
        self.record_episode(EpisodeKind::AzOutage, (self.now_ms, until), label);
        self.explain(format!(
            "Availability Zone {az_name} goes down for {}: its instances fail, launches go elsewhere",
            format_duration(duration_ms)
        ));
        let victims: Vec<usize> = self
            .group
            .active_indices()
            .iter()
            .copied()
            .filter(|i| {
                let inst = &self.group.instances[*i];
                // One that failed before keeps that failure: it does not recover with the AZ.
                inst.az == az && inst.failure.is_none()
            })
            .collect();
        for index in &victims {
            self.fail_instance(*index, FailureMode::Impaired, "AZ outage");
        }
        self.zones
            .start_outage(az, until, victims, &mut Events(&mut self.queue));
    }

    /// `launch_failures`: launch attempts (into `az`, or any) fail with `probability`.
    pub(super) fn start_launch_failures(
        &mut self,
        az: Option<&str>,
        duration_ms: SimDuration,
        p: f64,
    ) {
        let azs = &self.scenario.group.availability_zones;
        let index = az.and_then(|name| azs.iter().position(|a| a == name));
        let until = self.now_ms + duration_ms;
        self.zones.start_launch_failures(index, until, p);
        let share = (p * 100.0).round();
        let label = match az {
            Some(name) => format!("launches fail ({share}%) in {name}"),
            None => format!("launches fail ({share}%)"),
        };
        self.record_episode(EpisodeKind::LaunchFailures, (self.now_ms, until), label);
    }

    /// An AZ is back (unless a later outage keeps it down): its instances not yet marked
    /// Unhealthy recover, and the group can rebalance into it.
    pub(super) fn on_az_recovered(&mut self, az: usize) {
        if !self.zones.is_up(az, self.now_ms) {
            return;
        }
        let name = self.scenario.group.availability_zones[az].clone();
        let blocked = [ScalingProcess::AzRebalance, ScalingProcess::Launch]
            .into_iter()
            .find(|p| self.group.suspended(*p));
        let text = match blocked {
            Some(p) => format!(
                "Availability Zone {name} is back; {} is suspended, so the group does not rebalance yet",
                p.aws_name()
            ),
            None if self.zones.imbalance(&self.group, self.now_ms).is_some() => format!(
                "Availability Zone {name} is back: the group rebalances into it, launching first"
            ),
            None => format!("Availability Zone {name} is back"),
        };
        self.explain(text);
        let victims = self.zones.take_victims(az);
        for index in victims {
            self.recover_from_outage(index, &name);
        }
        self.rebalance();
    }

    /// An instance the outage failed recovers if the group has not marked it Unhealthy (a
    /// marked one goes on to its replacement). Detection events still queued for the failure
    /// find it over and do nothing.
    fn recover_from_outage(&mut self, index: usize, az_name: &str) {
        let inst = &self.group.instances[index];
        if !inst.is_active() || inst.marked_unhealthy || inst.failure != Some(FailureMode::Impaired)
        {
            return;
        }
        self.group.recover(index);
        self.explain(format!(
            "{} recovers with {az_name} before its health checks failed",
            self.id_of(index)
        ));
        if self.group.instances[index].out_of_lb {
            let lb = &self.scenario.load_balancer;
            let at =
                self.now_ms + lb.health_check_interval_ms * u64::from(lb.healthy_threshold_count);
            let pass = HealthEvent::LbHealthPass(index);
            self.queue.schedule(at, Event::Health(pass));
        }
    }

    /// The load balancer's checks of a recovered instance passed: it routes to it again
    /// (unless it failed since, or AddToLoadBalancer is suspended).
    pub(super) fn on_lb_health_pass(&mut self, index: usize) {
        if !self.group.suspended(ScalingProcess::AddToLoadBalancer) {
            self.group.join_load_balancer(index);
        }
    }

    /// Launches to rebalance while the usable AZs differ by more than one instance, counting
    /// each launch under way as already moved, up to max(10% of max, 1) above max_size: AWS
    /// moves several instances at once, launching first.
    pub(super) fn rebalance(&mut self) {
        let g = &self.group;
        if g.suspended(ScalingProcess::AzRebalance) || g.suspended(ScalingProcess::Launch) {
            return;
        }
        let now = self.now_ms;
        if self.zones.known_balanced(g) {
            return; // nothing moved since it was balanced: the common case every minute
        }
        if self.zones.rebalancing() == 0 && self.zones.imbalance(g, now).is_none() {
            self.zones.found_balanced(g, now);
            return;
        }
        let ceiling = g.max_size + rebalance_allowance(g.max_size);
        let mut planned = self.zones.planned_counts(g, now);
        while self.group.active_count() < ceiling {
            let Some((emptiest, fullest)) = self.zones.spread_of(&planned, now) else {
                return;
            };
            let (low, high) = (planned[emptiest], planned[fullest]);
            // Launch first only when an instance of the fullest AZ can then go: protected
            // instances are skipped by the termination step (UG: ec2-auto-scaling-termination-policies), and the group would stay
            // above desired for good.
            if high <= low + 1
                || !self.has_unprotected_in(fullest)
                || !self.launch_rebalancing(emptiest, fullest, low, high)
            {
                return;
            }
            planned[emptiest] += 1;
            planned[fullest] -= 1;
        }
    }

    /// Whether AZ `az` has an active instance that scale-in protection does not cover.
    fn has_unprotected_in(&self, az: usize) -> bool {
        let g = &self.group;
        let active = g.active_indices().iter().map(|&i| &g.instances[i]);
        active.filter(|i| i.az == az).any(|i| !i.is_protected())
    }

    /// One rebalancing launch into `emptiest`; false when the launch fails.
    fn launch_rebalancing(&mut self, emptiest: usize, fullest: usize, low: u32, high: u32) -> bool {
        if self.zones.launch_attempt_fails(emptiest, self.now_ms) {
            return false;
        }
        let index = self.launch_into(emptiest, false);
        self.group.instances[index].rebalance_launch = true;
        self.zones.rebalance_launched();
        let why =
            format_args!("launched in response to an Availability Zone rebalancing operation");
        let row = (ActivityKind::Launch, ActivityOrigin::AzRebalance);
        self.record_instance_activity(row, index, why);
        let text = format!(
            "AZ rebalancing: launching {} in {} first ({} there against {} in {})",
            self.id_of(index),
            self.scenario.group.availability_zones[emptiest],
            low,
            high,
            self.scenario.group.availability_zones[fullest]
        );
        self.explain(text);
        true
    }

    /// A rebalancing launch is InService: one instance of the fullest AZ goes.
    pub(super) fn rebalance_launch_ready(&mut self, index: usize) {
        if !std::mem::take(&mut self.group.instances[index].rebalance_launch) {
            return;
        }
        self.zones.rebalance_ended();
        if self.group.suspended(ScalingProcess::Terminate)
            || self.group.active_count() <= self.group.desired
        {
            return;
        }
        let choice = self.group.choose_for_scale_in(self.now_ms, 1);
        if let Some(&victim) = choice.chosen.first() {
            let text = format!(
                "AZ rebalancing: terminating {} in {}",
                self.id_of(victim),
                self.az_name(victim)
            );
            self.terminate_one(victim, TerminationReason::AzRebalance, false);
            let why = format_args!(
                "terminated in response to an Availability Zone rebalancing operation"
            );
            let row = (ActivityKind::Terminate, ActivityOrigin::AzRebalance);
            self.record_instance_activity(row, victim, why);
            self.explain(text);
        }
    }
}
