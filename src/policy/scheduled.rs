//! Scheduled actions (UG: ec2-auto-scaling-scheduled-scaling): at each cron time in the
//! action's time zone they set the sizes they name, up to `scheduled_action_max_delay` late
//! ("runs within seconds, but may be delayed up to two minutes"); cooldown does not apply; an
//! inconsistent result is rejected as AWS rejects it (API UpdateAutoScalingGroup).
//!
//! The order of execution is guaranteed within a group: actions run in the order of their
//! nominal times, and actions due at the same nominal time run in scenario order. So the delay
//! is drawn once per nominal time and shared by every action due then, and when the run of a
//! nominal time comes, any action due earlier that has not run yet runs first.

use jiff::Timestamp;
use rand::Rng;

use crate::engine::Scheduler;
use crate::rng::{SimRng, Stream, stream};
use crate::schedule::{Schedule, timestamp_to_sim_ms};
use crate::time::{SimDuration, SimTime};

use super::ScheduledActionConfig;

/// The run of the scheduled actions due at a nominal time \[ms\] (the event comes up to
/// `scheduled_action_max_delay` later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduledRun(pub SimTime);

/// The run's scheduled actions.
#[derive(Debug)]
pub struct Schedules {
    /// Wall clock of t = 0.
    t0: Timestamp,
    schedules: Vec<Schedule>,
    /// Simulated span \[ms\]: nothing is planned after it.
    duration_ms: SimDuration,
    /// Longest delay of a run after its nominal time \[ms\].
    max_delay_ms: SimDuration,
    /// The nominal (undelayed) time of each action's next run.
    nominal: Vec<Option<Timestamp>>,
    /// The same as simulation time, when it falls within the run \[ms\].
    due_ms: Vec<Option<SimTime>>,
    /// Nominal times with an [`Event::Scheduled`] in the queue \[ms\].
    queued: Vec<SimTime>,
    /// The nominal time whose actions are running now \[ms\].
    running: Option<SimTime>,
    rng: SimRng,
}

impl Schedules {
    /// The actions of a run starting at wall-clock `t0` and lasting `duration_ms`, delayed up
    /// to `max_delay_ms`, with delays drawn from `seed`'s schedule stream.
    pub fn new(
        actions: &[ScheduledActionConfig],
        t0: Timestamp,
        (duration_ms, max_delay_ms): (SimDuration, SimDuration),
        seed: u64,
    ) -> Self {
        let schedules: Vec<Schedule> = actions.iter().map(|a| a.schedule.clone()).collect();
        Self {
            t0,
            duration_ms,
            max_delay_ms,
            nominal: vec![None; schedules.len()],
            due_ms: vec![None; schedules.len()],
            schedules,
            queued: Vec::new(),
            running: None,
            rng: stream(seed, Stream::Schedule),
        }
    }

    /// The action to run next for the nominal time `at_ms`: the one due earliest, at or before
    /// it, the first in scenario order among equals.
    pub fn next_due(&self, at_ms: SimTime) -> Option<usize> {
        let due = self.due_ms.iter().enumerate();
        let due = due.filter_map(|(i, d)| d.filter(|&d| d <= at_ms).map(|d| (d, i)));
        due.min().map(|(_, i)| i)
    }

    /// The nominal time after action `i`'s last one, if it runs again.
    fn next_nominal(&self, i: usize) -> Option<Timestamp> {
        self.schedules[i].next_fire(self.nominal[i]?)
    }

    /// Wall clock of t = 0.
    pub fn t0(&self) -> Timestamp {
        self.t0
    }

    /// When action `i` is due, if it is within the run \[ms\].
    pub fn due_ms(&self, i: usize) -> Option<SimTime> {
        self.due_ms[i]
    }

    /// Plans every action's first run.
    pub fn start(&mut self, events: &mut impl Scheduler<ScheduledRun>) {
        for i in 0..self.schedules.len() {
            let first = self.schedules[i].first_fire_from(self.t0);
            self.plan(i, first, 0, events);
        }
    }

    /// Plans action `i`'s run at `nominal`. The run of a nominal time is one event, after one
    /// delay drawn when the first action due then is planned; none is queued when the actions
    /// due at or after that time are running now (they run in this round).
    fn plan(
        &mut self,
        i: usize,
        nominal: Option<Timestamp>,
        now_ms: SimTime,
        events: &mut impl Scheduler<ScheduledRun>,
    ) {
        self.nominal[i] = nominal;
        self.due_ms[i] = None;
        let Some(at) = nominal.and_then(|ts| timestamp_to_sim_ms(self.t0, ts)) else {
            return;
        };
        if at > self.duration_ms {
            return;
        }
        self.due_ms[i] = Some(at);
        if self.queued.contains(&at) || self.running.is_some_and(|r| at <= r) {
            return;
        }
        let delay: SimTime = if self.max_delay_ms > 0 {
            self.rng.random_range(0..=self.max_delay_ms)
        } else {
            0
        };
        self.queued.push(at);
        let fire = (at + delay).max(now_ms);
        events.schedule(fire, ScheduledRun(at));
    }

    /// The run of nominal time `at_ms` begins: [`Self::next_due`] then gives the actions to
    /// run, each followed by [`Self::ran`].
    pub fn begin(&mut self, at_ms: SimTime) {
        self.running = Some(at_ms);
    }

    /// Action `i` ran (or was skipped) at `now_ms`: its next run is planned.
    pub fn ran(&mut self, i: usize, now_ms: SimTime, events: &mut impl Scheduler<ScheduledRun>) {
        let next = self.next_nominal(i);
        self.plan(i, next, now_ms, events);
    }

    /// The run of nominal time `at_ms` is over.
    pub fn end(&mut self, at_ms: SimTime) {
        self.running = None;
        self.queued.retain(|&q| q != at_ms);
    }
}

/// What the sizes would become (API UpdateAutoScalingGroup; UG:
/// ec2-auto-scaling-scheduled-scaling); `Err` with AWS's message when they are inconsistent.
pub fn resulting_sizes(
    action: &ScheduledActionConfig,
    (min, max, desired): (u32, u32, u32),
) -> Result<(u32, u32, u32), String> {
    let min = action.min_size.unwrap_or(min);
    let max = action.max_size.unwrap_or(max);
    if min > max {
        return Err(format!("min size {min} is above max size {max}"));
    }
    // As UpdateAutoScalingGroup: a desired capacity the action does not set follows the new
    // bounds (a min above it raises it, a max below it lowers it); only one it sets is
    // rejected when outside them.
    let Some(desired) = action.desired_capacity else {
        return Ok((min, max, desired.clamp(min, max)));
    };
    if desired < min {
        return Err(format!(
            "Desired capacity must be greater than or equal to min size (desired {desired}, min {min})"
        ));
    }
    if desired > max {
        return Err(format!(
            "Desired capacity must be less than or equal to max size (desired {desired}, max {max})"
        ));
    }
    Ok((min, max, desired))
}

/// `min 2 → 4, desired 3 → 6`: only the sizes the action names, each from `before` to
/// `after` (min, max, desired \[instances\]).
pub fn named_changes(
    action: &ScheduledActionConfig,
    before: (u32, u32, u32),
    after: (u32, u32, u32),
) -> String {
    let sizes = [
        ("min", action.min_size, before.0, after.0),
        ("max", action.max_size, before.1, after.1),
        ("desired", action.desired_capacity, before.2, after.2),
    ];
    let named = sizes.iter().filter(|(_, named, _, _)| named.is_some());
    let parts: Vec<String> = named.map(|(n, _, b, a)| format!("{n} {b} → {a}")).collect();
    parts.join(", ")
}

/// `scheduled action up (0 8 * * MON-FRI, America/New_York)` or `… (one-off)`.
pub fn action_label(action: &ScheduledActionConfig) -> String {
    let schedule = &action.schedule;
    match schedule.cron() {
        Some(cron) => format!(
            "scheduled action {} ({cron}, {})",
            action.name,
            schedule.time_zone_name()
        ),
        None => format!("scheduled action {} (one-off)", action.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Schedule;

    fn action(min: Option<u32>, max: Option<u32>, desired: Option<u32>) -> ScheduledActionConfig {
        ScheduledActionConfig {
            name: "a".into(),
            schedule: Schedule::new(None, "UTC", Some("2025-01-06T00:00:00Z"), None).unwrap(),
            min_size: min,
            max_size: max,
            desired_capacity: desired,
        }
    }

    #[test]
    fn sets_only_what_it_names_and_rejects_inconsistency() {
        assert_eq!(
            resulting_sizes(&action(None, None, Some(5)), (2, 6, 3)),
            Ok((2, 6, 5))
        );
        assert_eq!(
            resulting_sizes(&action(Some(4), None, Some(4)), (2, 6, 3)),
            Ok((4, 6, 4))
        );
        // API UpdateAutoScalingGroup: a min above desired raises it, a max below lowers it,
        // both move it into the new range; only a desired the action sets can be rejected.
        assert_eq!(
            resulting_sizes(&action(Some(4), None, None), (2, 6, 3)),
            Ok((4, 6, 4))
        );
        assert_eq!(
            resulting_sizes(&action(None, Some(2), None), (1, 6, 3)),
            Ok((1, 2, 2))
        );
        assert_eq!(
            resulting_sizes(&action(Some(5), Some(8), None), (2, 10, 3)),
            Ok((5, 8, 5))
        );
        assert_eq!(
            resulting_sizes(&action(Some(1), Some(2), None), (2, 10, 3)),
            Ok((1, 2, 2))
        );
        let outside = resulting_sizes(&action(Some(4), None, Some(3)), (2, 6, 3));
        assert!(
            outside
                .unwrap_err()
                .contains("greater than or equal to min size")
        );
        let inverted = resulting_sizes(&action(Some(7), None, None), (2, 6, 3));
        assert!(inverted.unwrap_err().contains("above max size"));
    }

    #[test]
    fn causes_name_only_the_sizes_the_action_sets() {
        let min_only = action(Some(4), None, None);
        assert_eq!(named_changes(&min_only, (2, 6, 5), (4, 6, 5)), "min 2 → 4");
        let both = action(Some(4), None, Some(6));
        assert_eq!(
            named_changes(&both, (2, 6, 3), (4, 6, 6)),
            "min 2 → 4, desired 3 → 6"
        );
        let all = action(Some(1), Some(2), Some(2));
        assert_eq!(
            named_changes(&all, (2, 10, 3), (1, 2, 2)),
            "min 2 → 1, max 10 → 2, desired 3 → 2"
        );
    }

    /// UG ec2-auto-scaling-scheduled-scaling: actions due at the same time run in one round,
    /// in scenario order, after one shared delay (order is kept within a group); each then
    /// plans its next run.
    #[test]
    fn actions_due_together_share_one_run() {
        let daily = |name: &str| ScheduledActionConfig {
            name: name.into(),
            schedule: Schedule::new(Some("0 8 * * *"), "UTC", None, None).unwrap(),
            min_size: None,
            max_size: None,
            desired_capacity: Some(3),
        };
        let t0: Timestamp = "2025-01-06T00:00:00Z".parse().unwrap();
        let day = 86_400_000;
        let mut s = Schedules::new(&[daily("a"), daily("b")], t0, (2 * day, 120_000), 9);
        let mut events = Vec::new();
        s.start(&mut events);
        assert_eq!(events.len(), 1, "one event for both");
        let (fire, ScheduledRun(at)) = events[0];
        assert_eq!(at, 8 * 3_600_000);
        assert!(
            (at..=at + 120_000).contains(&fire),
            "up to two minutes late"
        );
        s.begin(at);
        assert_eq!(s.next_due(at), Some(0));
        s.ran(0, fire, &mut events);
        assert_eq!(s.next_due(at), Some(1), "then b, in the same round");
        s.ran(1, fire, &mut events);
        assert_eq!(s.next_due(at), None);
        s.end(at);
        assert_eq!(events.len(), 2, "tomorrow's run, planned once");
        assert_eq!(events[1].1, ScheduledRun(at + day));
    }
}
