//! Availability Zones in trouble and AZ rebalancing (asg-semantics.md §8, §1.5).
//!
//! A launch tries the usable AZs emptiest first and moves on when one fails (an outage, or a
//! launch failure drawn from its own stream); when every AZ fails it retries a minute later
//! \[model\]. An AZ outage fails its instances (impaired) and refuses launches until it ends;
//! when it ends, those the group has not yet marked Unhealthy recover (the outage impaired
//! them; they pass their checks again), and the load balancer routes to them again after
//! `healthy_threshold_count` passed checks.
//! Rebalancing launches first into the emptiest usable AZ, several at once, and, as each
//! of those instances is InService, terminates one from the fullest; while it does, the
//! group may stand above max_size by max(10% of max_size, 1).

use rand::Rng;

use crate::asg::TerminationReason;

use crate::asg::{FailureMode, ScalingProcess};
use crate::records::{ActivityKind, ActivityOrigin, EpisodeKind, Recorder};
use crate::time::{MS_PER_MIN, SimDuration, SimTime, format_duration};

use super::{Event, Simulation};

/// How far above max_size rebalancing may take the group: max(10% of max, 1) \[instances\]
/// (§12.13: max 10 ⇒ 11, 50 ⇒ 55, 5 ⇒ 6).
pub fn rebalance_allowance(max_size: u32) -> u32 {
    (max_size / 10).max(1)
}

/// The state of the AZs in a run.
#[derive(Debug, Clone, Default)]
pub(super) struct Zones {
    /// Per AZ: refuses launches and has failed until this time \[ms\].
    down_until: Vec<SimTime>,
    /// Per AZ: the instances its outage failed; they recover with it.
    outage_victims: Vec<Vec<usize>>,
    /// Windows of launch failures: (AZ or all, until \[ms\], probability).
    launch_failures: Vec<(Option<usize>, SimTime, f64)>,
    /// Whether a retry of failed launches is scheduled.
    retry_scheduled: bool,
    /// Rebalancing launches not yet InService \[instances\].
    pub(super) rebalancing: u32,
    /// Processes suspended now.
    pub(super) suspended: Vec<ScalingProcess>,
}

impl Zones {
    pub(super) fn new(az_count: usize, suspended: &[ScalingProcess]) -> Self {
        Self {
            down_until: vec![0; az_count],
            outage_victims: vec![Vec::new(); az_count],
            suspended: suspended.to_vec(),
            ..Self::default()
        }
    }
}

impl<R: Recorder> Simulation<'_, R> {
    /// Whether a process is suspended now.
    pub(super) fn suspended(&self, process: ScalingProcess) -> bool {
        self.zones.suspended.contains(&process)
    }

    fn az_up(&self, az: usize) -> bool {
        self.now_ms >= self.zones.down_until[az]
    }

    /// Whether this launch attempt into `az` fails.
    fn launch_attempt_fails(&mut self, az: usize) -> bool {
        let now = self.now_ms;
        self.zones
            .launch_failures
            .retain(|(_, until, _)| *until > now);
        let window = self
            .zones
            .launch_failures
            .iter()
            .filter(|(only, _, _)| only.is_none_or(|a| a == az))
            .map(|(_, _, p)| *p)
            .fold(0.0, f64::max);
        let p = window.max(self.scenario.failures.launch_failure_probability);
        p > 0.0 && self.health_rng.random::<f64>() < p
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
        if self.suspended(ScalingProcess::Launch) {
            return None;
        }
        let leaving_az = leaving.map(|i| self.group.instances[i].az);
        if let Some(index) = self.take_warm(in_simple_activity, leaving_az) {
            return Some(index);
        }
        let order = self.group.launch_order(|az| self.az_up(az), leaving_az);
        for az in order {
            if !self.launch_attempt_fails(az) {
                return Some(self.launch_into(az, in_simple_activity));
            }
        }
        if !self.zones.retry_scheduled {
            self.zones.retry_scheduled = true;
            let _ = self
                .queue
                .schedule(self.now_ms + MS_PER_MIN, Event::RetryLaunch);
            self.explain("launch failed in every usable Availability Zone (insufficient capacity); retrying in 1 minute".to_string());
        }
        None
    }

    /// Retries launches that failed: the group launches what desired capacity is missing.
    pub(super) fn on_retry_launch(&mut self) {
        self.zones.retry_scheduled = false;
        let before = self.group.desired;
        let cause = format!(
            "At {} an instance was started in response to a difference between desired and actual capacity.",
            crate::time::Clock(self.now_ms)
        );
        self.set_desired(before, &cause, false);
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
        self.zones.down_until[az] = until;
        let _ = self.queue.schedule(until, Event::AzRecovered(az));
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
        self.zones.outage_victims[az].extend(victims);
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
        self.zones.launch_failures.push((index, until, p));
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
        if !self.az_up(az) {
            return;
        }
        let name = self.scenario.group.availability_zones[az].clone();
        let blocked = [ScalingProcess::AzRebalance, ScalingProcess::Launch]
            .into_iter()
            .find(|p| self.suspended(*p));
        let text = match blocked {
            Some(p) => format!(
                "Availability Zone {name} is back; {} is suspended, so the group does not rebalance yet",
                p.aws_name()
            ),
            None if self.az_spread().is_some() => format!(
                "Availability Zone {name} is back: the group rebalances into it, launching first"
            ),
            None => format!("Availability Zone {name} is back"),
        };
        self.explain(text);
        let victims = std::mem::take(&mut self.zones.outage_victims[az]);
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
            let _ = self.queue.schedule(at, Event::LbHealthPass(index));
        }
    }

    /// The load balancer's checks of a recovered instance passed: it routes to it again
    /// (unless it failed since, or AddToLoadBalancer is suspended).
    pub(super) fn on_lb_health_pass(&mut self, index: usize) {
        if !self.suspended(ScalingProcess::AddToLoadBalancer) {
            self.group.join_load_balancer(index);
        }
    }

    /// Launches to rebalance while the usable AZs differ by more than one instance, counting
    /// each launch under way as already moved, up to max(10% of max, 1) above max_size: AWS
    /// moves several instances at once, launching first.
    pub(super) fn rebalance(&mut self) {
        if self.suspended(ScalingProcess::AzRebalance) || self.suspended(ScalingProcess::Launch) {
            return;
        }
        if self.zones.rebalancing == 0 && self.az_spread().is_none() {
            return; // balanced: the common case every minute, with no allocation
        }
        let ceiling = self.group.max_size + rebalance_allowance(self.group.max_size);
        // The counts once the launches under way have each taken one from the fullest AZ.
        let mut planned = self.group.az_active.clone();
        for _ in 0..self.zones.rebalancing {
            if let Some((_, fullest)) = self.spread_of(&planned) {
                planned[fullest] -= 1;
            }
        }
        while self.group.active_count() < ceiling {
            let Some((emptiest, fullest)) = self.spread_of(&planned) else {
                return;
            };
            let (low, high) = (planned[emptiest], planned[fullest]);
            // Launch first only when an instance of the fullest AZ can then go: protected
            // instances are skipped by the termination step (§7), and the group would stay
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

    /// The emptiest and fullest usable AZs when they differ by more than one instance.
    fn az_spread(&self) -> Option<(usize, usize)> {
        let (lo, hi) = self.spread_of(&self.group.az_active)?;
        let counts = &self.group.az_active;
        (counts[hi] > counts[lo] + 1).then_some((lo, hi))
    }

    /// The emptiest and fullest usable AZs by `counts`, first in scenario order on a tie.
    fn spread_of(&self, counts: &[u32]) -> Option<(usize, usize)> {
        let mut ends: Option<(usize, usize)> = None;
        for az in (0..counts.len()).filter(|az| self.az_up(*az)) {
            ends = Some(match ends {
                None => (az, az),
                Some((lo, hi)) => (
                    if counts[az] < counts[lo] { az } else { lo },
                    if counts[az] > counts[hi] { az } else { hi },
                ),
            });
        }
        ends
    }

    /// One rebalancing launch into `emptiest`; false when the launch fails.
    fn launch_rebalancing(&mut self, emptiest: usize, fullest: usize, low: u32, high: u32) -> bool {
        if self.launch_attempt_fails(emptiest) {
            return false;
        }
        let index = self.launch_into(emptiest, false);
        self.group.instances[index].rebalance_launch = true;
        self.zones.rebalancing += 1;
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
        self.zones.rebalancing -= 1;
        if self.suspended(ScalingProcess::Terminate)
            || self.group.active_count() <= self.group.desired
        {
            return;
        }
        let policies = &self.scenario.group.termination_policies;
        let choice = crate::asg::choose_for_scale_in(
            &self.group,
            policies,
            self.now_ms,
            1,
            &mut self.termination_rng,
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    /// §12.13: Max 10 ⇒ 11; Max 50 ⇒ 55; Max 5 ⇒ 6.
    #[test]
    fn rebalance_allowance_12_13() {
        assert_eq!(10 + rebalance_allowance(10), 11);
        assert_eq!(50 + rebalance_allowance(50), 55);
        assert_eq!(5 + rebalance_allowance(5), 6);
    }
}
