//! Scheduled actions (asg-semantics.md §4): at each cron time in the action's time zone they
//! set the sizes they name, up to `scheduled_action_max_delay` late; cooldown does not apply;
//! an inconsistent result is rejected as AWS rejects it.
//!
//! The order of execution is guaranteed within a group: actions run in the order of their
//! nominal times, and actions due at the same nominal time run in scenario order. So the delay
//! is drawn once per nominal time and shared by every action due then, and when the run of a
//! nominal time comes, any action due earlier that has not run yet runs first.

use jiff::Timestamp;
use rand::Rng;

use crate::asg::ScalingProcess;
use crate::policy::ScheduledActionConfig;
use crate::records::Recorder;
use crate::rng::{SimRng, Stream, stream};
use crate::schedule::{Schedule, sim_ms_to_timestamp, timestamp_to_sim_ms};
use crate::sim::Scenario;
use crate::time::SimTime;

use super::{Event, Simulation};

/// The run's scheduled actions.
#[derive(Debug)]
pub(super) struct ScheduledState {
    t0: Timestamp,
    schedules: Vec<Option<Schedule>>,
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

impl ScheduledState {
    pub(super) fn new(scenario: &Scenario, seed: u64) -> Self {
        let t0 = scenario.start_time;
        let schedules = scenario
            .scheduled_actions
            .iter()
            .map(|a| Some(a.schedule.clone()))
            .collect::<Vec<_>>();
        Self {
            t0,
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
    fn next_due(&self, at_ms: SimTime) -> Option<usize> {
        let due = self.due_ms.iter().enumerate();
        let due = due.filter_map(|(i, d)| d.filter(|&d| d <= at_ms).map(|d| (d, i)));
        due.min().map(|(_, i)| i)
    }

    /// The nominal time after action `i`'s last one, if it runs again.
    fn next_nominal(&self, i: usize) -> Option<Timestamp> {
        match (&self.schedules[i], self.nominal[i]) {
            (Some(s), Some(last)) => s.next_fire(last),
            _ => None,
        }
    }
}

/// What the sizes would become; `Err` with AWS's message when they are inconsistent.
fn resulting_sizes(
    action: &ScheduledActionConfig,
    (min, max, desired): (u32, u32, u32),
) -> Result<(u32, u32, u32), String> {
    let min = action.min_size.unwrap_or(min);
    let max = action.max_size.unwrap_or(max);
    let desired = action.desired_capacity.unwrap_or(desired);
    if min > max {
        return Err(format!("min size {min} is above max size {max}"));
    }
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
fn named_changes(
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
fn action_label(action: &ScheduledActionConfig) -> String {
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

impl<R: Recorder> Simulation<'_, R> {
    pub(super) fn schedule_first_actions(&mut self) {
        let t0 = self.scheduled.t0;
        for i in 0..self.scheduled.schedules.len() {
            let first = self.scheduled.schedules[i]
                .as_ref()
                .and_then(|s| s.first_fire_from(t0));
            self.plan_action(i, first);
        }
    }

    /// Plans action `i`'s run at `nominal`. The run of a nominal time is one event, after one
    /// delay drawn when the first action due then is planned; none is queued when the actions
    /// due at or after that time are running now (they run in this round).
    fn plan_action(&mut self, i: usize, nominal: Option<Timestamp>) {
        let state = &mut self.scheduled;
        state.nominal[i] = nominal;
        state.due_ms[i] = None;
        let Some(at) = nominal.and_then(|ts| timestamp_to_sim_ms(state.t0, ts)) else {
            return;
        };
        if at > self.scenario.duration_ms {
            return;
        }
        state.due_ms[i] = Some(at);
        if state.queued.contains(&at) || state.running.is_some_and(|r| at <= r) {
            return;
        }
        let max_delay = self.scenario.scheduled_action_max_delay_ms;
        let delay: SimTime = if max_delay > 0 {
            state.rng.random_range(0..=max_delay)
        } else {
            0
        };
        state.queued.push(at);
        let fire = (at + delay).max(self.now_ms);
        let _ = self.queue.schedule(fire, Event::Scheduled(at));
    }

    /// The run of nominal time `at_ms` \[ms\] comes: every action due by then runs, the
    /// earliest first and in scenario order among equals; each then plans its next run.
    pub(super) fn on_scheduled(&mut self, at_ms: SimTime) {
        self.scheduled.running = Some(at_ms);
        while let Some(i) = self.scheduled.next_due(at_ms) {
            let due_ms = self.scheduled.due_ms[i].unwrap_or(at_ms);
            if self.suspended(ScalingProcess::ScheduledActions) {
                // Skipped while suspended; on resume only future runs happen (§1.5).
                let name = &self.scenario.scheduled_actions[i].name;
                self.explain(format!(
                    "scheduled action {name} skipped: ScheduledActions is suspended"
                ));
            } else {
                self.run_action(i, due_ms);
            }
            let next = self.scheduled.next_nominal(i);
            self.plan_action(i, next);
        }
        self.scheduled.running = None;
        self.scheduled.queued.retain(|&q| q != at_ms);
    }

    /// Scheduled action `i`, due at `due_ms` \[ms\], sets the sizes it names now.
    fn run_action(&mut self, i: usize, due_ms: SimTime) {
        let scenario = self.scenario;
        let action = &scenario.scheduled_actions[i];
        let label = action_label(action);
        let g = &self.group;
        let before = (g.min_size, g.max_size, g.desired);
        let (min, max, wanted) = match resulting_sizes(action, before) {
            Ok(sizes) => sizes,
            Err(why) => {
                self.explain(format!("{label} rejected: ValidationError: {why}"));
                return;
            }
        };
        // With Launch (Terminate) suspended a schedule does not scale out (in) (§1.5); the new
        // min and max still bound desired.
        let blocked = self.blocking_process(before.2, wanted);
        let desired = match blocked {
            Some(_) => before.2.clamp(min, max),
            None => wanted,
        };
        let held = match blocked {
            Some(process) if desired != wanted => {
                format!(" (not {wanted}: {} is suspended)", process.aws_name())
            }
            _ => String::new(),
        };
        self.group.min_size = min;
        self.group.max_size = max;
        let t0 = self.scheduled.t0;
        let now = sim_ms_to_timestamp(t0, self.now_ms);
        let set = named_changes(action, before, (min, max, desired));
        let cause = format!("At {now} {label} set {set}{held}.");
        let change = self.set_desired(desired, &cause, false);
        if !self.recorder.wants_explanations() {
            return;
        }
        let late = if self.now_ms > due_ms {
            format!(" (due {})", sim_ms_to_timestamp(t0, due_ms))
        } else {
            String::new()
        };
        let text = format!(
            "{label} fired at {now}{late}: min {min}, max {max}, desired {} → {desired}{held}{}",
            before.2,
            self.change_text(&change)
        );
        self.explain(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let raised_min = resulting_sizes(&action(Some(4), None, None), (2, 6, 3));
        assert!(
            raised_min
                .unwrap_err()
                .contains("greater than or equal to min size")
        );
        assert!(resulting_sizes(&action(None, Some(2), None), (1, 6, 3)).is_err());
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
}
