//! Scheduled actions (asg-semantics.md §4): at each cron time in the action's time zone they
//! set the sizes they name, up to `scheduled_action_max_delay` late; cooldown does not apply;
//! an inconsistent result is rejected as AWS rejects it.

use jiff::Timestamp;
use rand::Rng;

use crate::recorder::Recorder;
use crate::rng::{SimRng, Stream, stream};
use crate::scenario::{Scenario, ScheduledActionConfig};
use crate::schedule::{Schedule, sim_ms_to_timestamp, timestamp_to_sim_ms};
use crate::time::SimTime;

use super::{Event, Simulation};

/// The run's scheduled actions.
#[derive(Debug)]
pub(super) struct ScheduledState {
    t0: Timestamp,
    schedules: Vec<Option<Schedule>>,
    /// The nominal (undelayed) time of each action's next run.
    nominal: Vec<Option<Timestamp>>,
    rng: SimRng,
}

impl ScheduledState {
    pub(super) fn new(scenario: &Scenario, seed: u64) -> Self {
        let t0 = scenario.start_time.parse().unwrap_or(Timestamp::UNIX_EPOCH);
        let schedules = scenario
            .scheduled_actions
            .iter()
            .map(|a| {
                let start = a.start_time.as_deref();
                let end = a.end_time.as_deref();
                Schedule::new(a.recurrence.as_deref(), &a.time_zone, start, end).ok()
            })
            .collect::<Vec<_>>();
        Self {
            t0,
            nominal: vec![None; schedules.len()],
            schedules,
            rng: stream(seed, Stream::Schedule),
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

    fn plan_action(&mut self, i: usize, nominal: Option<Timestamp>) {
        self.scheduled.nominal[i] = nominal;
        let Some(at) = nominal.and_then(|ts| timestamp_to_sim_ms(self.scheduled.t0, ts)) else {
            return;
        };
        if at > self.scenario.duration_ms {
            return;
        }
        let max_delay = self.scenario.scheduled_action_max_delay_ms;
        let delay: SimTime = if max_delay > 0 {
            self.scheduled.rng.random_range(0..=max_delay)
        } else {
            0
        };
        let _ = self.queue.schedule(at + delay, Event::Scheduled(i));
    }

    /// Scheduled action `i` runs now; the next run is planned from its nominal time.
    pub(super) fn on_scheduled(&mut self, i: usize) {
        if self.suspended(crate::scenario::ScalingProcess::ScheduledActions) {
            // Skipped while suspended; on resume only future runs happen (§1.5).
            let name = &self.scenario.scheduled_actions[i].name;
            self.explain(format!(
                "scheduled action {name} skipped: ScheduledActions is suspended"
            ));
            let next = match (&self.scheduled.schedules[i], self.scheduled.nominal[i]) {
                (Some(s), Some(last)) => s.next_fire(last),
                _ => None,
            };
            self.plan_action(i, next);
            return;
        }
        let action = &self.scenario.scheduled_actions[i];
        let g = &self.group;
        let label = match &action.recurrence {
            Some(cron) => format!(
                "scheduled action {} ({cron}, {})",
                action.name, action.time_zone
            ),
            None => format!("scheduled action {} (one-off)", action.name),
        };
        match resulting_sizes(action, (g.min_size, g.max_size, g.desired)) {
            Ok((min, max, wanted)) => {
                let before = (g.min_size, g.max_size, g.desired);
                // With Launch (Terminate) suspended a schedule does not scale out (in) (§1.5);
                // the new min and max still bound desired.
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
                let cause = format!(
                    "At {} {label} set min {} → {min}, max {} → {max}, desired {} → {desired}.",
                    sim_ms_to_timestamp(self.scheduled.t0, self.now_ms),
                    before.0,
                    before.1,
                    before.2
                );
                let change = self.set_desired(desired, &cause, false);
                let text = format!(
                    "{label} fired at {}: min {min}, max {max}, desired {} → {desired}{held}{}",
                    sim_ms_to_timestamp(self.scheduled.t0, self.now_ms),
                    before.2,
                    self.change_text(&change)
                );
                self.explain(text);
            }
            Err(why) => self.explain(format!("{label} rejected: ValidationError: {why}")),
        }
        let next = match (&self.scheduled.schedules[i], self.scheduled.nominal[i]) {
            (Some(s), Some(last)) => s.next_fire(last),
            _ => None,
        };
        self.plan_action(i, next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(min: Option<u32>, max: Option<u32>, desired: Option<u32>) -> ScheduledActionConfig {
        ScheduledActionConfig {
            name: "a".into(),
            recurrence: None,
            time_zone: "UTC".into(),
            start_time: None,
            end_time: None,
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
}
