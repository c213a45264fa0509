//! Availability Zones in trouble, and AZ rebalancing (UG: auto-scaling-benefits, "instance
//! distribution" and "rebalancing activities"; UG: as-suspend-resume-processes).
//!
//! A launch tries the usable AZs emptiest first and moves on when one fails (an outage, or a
//! launch failure drawn from its own stream); when every AZ fails it retries a minute later
//! \[model\]. An AZ outage fails its instances (impaired) and refuses launches until it ends;
//! when it ends, those the group has not yet marked Unhealthy recover. Rebalancing launches
//! first into the emptiest usable AZ, several at once, and, as each of those instances is
//! InService, terminates one from the fullest; while it does, the group may stand above
//! max_size by max(10% of max_size, 1).

use rand::Rng;

use crate::engine::Scheduler;
use crate::rng::SimRng;
use crate::time::{MS_PER_MIN, SimTime};

use super::Group;

/// How far above max_size rebalancing may take the group: max(10% of max_size, 1)
/// (UG: auto-scaling-benefits: max 10 ⇒ 11, 50 ⇒ 55, 5 ⇒ 6) \[instances\].
pub fn rebalance_allowance(max_size: u32) -> u32 {
    (max_size / 10).max(1)
}

/// What the zones schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneEvent {
    /// Launches that failed in every AZ are tried again.
    RetryLaunch,
    /// An AZ outage ends (the AZ's index).
    AzRecovered(usize),
}

/// The state of the AZs over a run.
#[derive(Debug, Clone)]
pub struct Zones {
    /// Per AZ: refuses launches and has failed until this time \[ms\].
    down_until: Vec<SimTime>,
    /// Per AZ: the instances its outage failed; they recover with it.
    outage_victims: Vec<Vec<usize>>,
    /// Windows of launch failures: (AZ or all, until \[ms\], probability).
    launch_failures: Vec<(Option<usize>, SimTime, f64)>,
    /// Chance that any launch attempt fails \[0–1\].
    base_failure_probability: f64,
    /// Whether a retry of failed launches is scheduled.
    retry_scheduled: bool,
    /// Rebalancing launches not yet InService \[instances\].
    rebalancing: u32,
    /// Launch failure draws, from their own stream.
    rng: SimRng,
    /// The group's AZ counts (by their change count) last found balanced with every AZ up:
    /// the minute's rebalancing check is then free while nothing moves.
    balanced_at: Option<u64>,
}

impl Zones {
    /// `az_count` AZs, all up; launches fail with `base_failure_probability`, drawn from `rng`.
    pub fn new(az_count: usize, base_failure_probability: f64, rng: SimRng) -> Self {
        Self {
            down_until: vec![0; az_count],
            outage_victims: vec![Vec::new(); az_count],
            launch_failures: Vec::new(),
            base_failure_probability,
            retry_scheduled: false,
            rebalancing: 0,
            rng,
            balanced_at: None,
        }
    }

    /// Whether the group is known to be balanced: nothing moved since it last was, with
    /// every AZ up, and no rebalancing launch is under way.
    pub fn known_balanced(&self, group: &Group) -> bool {
        self.rebalancing == 0 && self.balanced_at == Some(group.az_changes())
    }

    /// The group was found balanced at `now_ms`; remembered when every AZ is up (an AZ that
    /// comes back changes the answer without any instance moving).
    pub fn found_balanced(&mut self, group: &Group, now_ms: SimTime) {
        if self.down_until.iter().all(|&until| until <= now_ms) {
            self.balanced_at = Some(group.az_changes());
        }
    }

    /// Whether AZ `az` is up at `now_ms`.
    pub fn is_up(&self, az: usize, now_ms: SimTime) -> bool {
        now_ms >= self.down_until[az]
    }

    /// Whether a launch attempt into `az` at `now_ms` fails (an outage's window, a
    /// `launch_failures` window, or the base probability, drawn from the stream).
    pub fn launch_attempt_fails(&mut self, az: usize, now_ms: SimTime) -> bool {
        self.launch_failures.retain(|(_, until, _)| *until > now_ms);
        let window = self
            .launch_failures
            .iter()
            .filter(|(only, _, _)| only.is_none_or(|a| a == az))
            .map(|(_, _, p)| *p)
            .fold(0.0, f64::max);
        let p = window.max(self.base_failure_probability);
        p > 0.0 && self.rng.random::<f64>() < p
    }

    /// Every usable AZ refused a launch at `now_ms`: a retry a minute later \[model\], unless
    /// one is already planned. True when this call planned it.
    pub fn plan_retry(&mut self, now_ms: SimTime, events: &mut impl Scheduler<ZoneEvent>) -> bool {
        if self.retry_scheduled {
            return false;
        }
        self.retry_scheduled = true;
        events.schedule(now_ms + MS_PER_MIN, ZoneEvent::RetryLaunch);
        true
    }

    /// The retry came.
    pub fn retried(&mut self) {
        self.retry_scheduled = false;
    }

    /// AZ `az` goes down at `now_ms` until `until_ms`, failing `victims`.
    pub fn start_outage(
        &mut self,
        az: usize,
        until_ms: SimTime,
        victims: Vec<usize>,
        events: &mut impl Scheduler<ZoneEvent>,
    ) {
        self.down_until[az] = until_ms;
        self.balanced_at = None;
        events.schedule(until_ms, ZoneEvent::AzRecovered(az));
        self.outage_victims[az].extend(victims);
    }

    /// The instances an outage of `az` failed, for them to recover with it.
    pub fn take_victims(&mut self, az: usize) -> Vec<usize> {
        std::mem::take(&mut self.outage_victims[az])
    }

    /// Launches (into `az`, or any) fail with `probability` until `until_ms`.
    pub fn start_launch_failures(
        &mut self,
        az: Option<usize>,
        until_ms: SimTime,
        probability: f64,
    ) {
        self.launch_failures.push((az, until_ms, probability));
    }

    /// Rebalancing launches not yet InService \[instances\].
    pub fn rebalancing(&self) -> u32 {
        self.rebalancing
    }

    /// A rebalancing launch started.
    pub fn rebalance_launched(&mut self) {
        self.rebalancing += 1;
    }

    /// A rebalancing launch reached InService, or stopped before.
    pub fn rebalance_ended(&mut self) {
        self.rebalancing -= 1;
    }

    /// The emptiest and fullest usable AZs by `counts`, first in scenario order on a tie.
    pub fn spread_of(&self, counts: &[u32], now_ms: SimTime) -> Option<(usize, usize)> {
        let mut ends: Option<(usize, usize)> = None;
        for az in (0..counts.len()).filter(|az| self.is_up(*az, now_ms)) {
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

    /// The emptiest and fullest usable AZs of `group` when they differ by more than one
    /// instance: the group is out of balance.
    pub fn imbalance(&self, group: &Group, now_ms: SimTime) -> Option<(usize, usize)> {
        let counts = &group.az_active;
        let (lo, hi) = self.spread_of(counts, now_ms)?;
        (counts[hi] > counts[lo] + 1).then_some((lo, hi))
    }

    /// The AZ counts once the rebalancing launches under way have each taken one instance
    /// from the fullest AZ: what the next rebalancing launch plans against.
    pub fn planned_counts(&self, group: &Group, now_ms: SimTime) -> Vec<u32> {
        let mut planned = group.az_active.clone();
        for _ in 0..self.rebalancing {
            if let Some((_, fullest)) = self.spread_of(&planned, now_ms) {
                planned[fullest] -= 1;
            }
        }
        planned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Stream, stream};

    fn zones(n: usize) -> Zones {
        Zones::new(n, 0.0, stream(1, Stream::Health))
    }

    /// UG auto-scaling-benefits: max 10 ⇒ 11; max 50 ⇒ 55; max 5 ⇒ 6.
    #[test]
    fn rebalance_allowance_is_ten_percent_of_max_or_one() {
        assert_eq!(10 + rebalance_allowance(10), 11);
        assert_eq!(50 + rebalance_allowance(50), 55);
        assert_eq!(5 + rebalance_allowance(5), 6);
    }

    /// A group is out of balance when its usable AZs differ by more than one instance; an AZ
    /// that is down does not count.
    #[test]
    fn imbalance_counts_only_usable_zones() {
        let mut g = Group::new(0, 10, 0, 3);
        for az in [0, 0, 0, 1] {
            g.launch_in(az, 0, false);
        }
        let mut z = zones(3);
        assert_eq!(z.imbalance(&g, 0), Some((2, 0)), "3 / 1 / 0");
        let mut events = Vec::new();
        z.start_outage(2, 600_000, vec![], &mut events);
        assert_eq!(z.imbalance(&g, 0), Some((1, 0)), "c is down: 3 against 1");
        assert_eq!(events, [(600_000, ZoneEvent::AzRecovered(2))]);
        z.rebalance_launched();
        assert_eq!(
            z.planned_counts(&g, 0),
            [2, 1, 0],
            "one launch under way moves one"
        );
    }

    /// Launch failures: a window fails every attempt in its AZ only; a retry is planned once.
    #[test]
    fn launch_failures_and_one_retry() {
        let mut z = zones(2);
        z.start_launch_failures(Some(0), 300_000, 1.0);
        assert!(z.launch_attempt_fails(0, 0));
        assert!(!z.launch_attempt_fails(1, 0));
        assert!(!z.launch_attempt_fails(0, 300_000), "the window has ended");
        let mut events = Vec::new();
        assert!(z.plan_retry(10, &mut events));
        assert!(!z.plan_retry(20, &mut events));
        assert_eq!(events, [(60_010, ZoneEvent::RetryLaunch)]);
    }
}
