//! Scheduled actions in the run: the schedules (`crate::policy::Schedules`) say which action
//! runs when; here each sets the sizes it names, and is told.

use crate::asg::ScalingProcess;
use crate::policy::{action_label, named_changes, resulting_sizes};
use crate::records::Recorder;
use crate::schedule::sim_ms_to_timestamp;
use crate::time::SimTime;

use super::{Events, Simulation};

impl<R: Recorder> Simulation<'_, R> {
    /// The run of nominal time `at_ms` \[ms\] comes: every action due by then runs, the
    /// earliest first and in scenario order among equals; each then plans its next run. The
    /// order of execution is guaranteed within a group (UG: ec2-auto-scaling-scheduled-scaling).
    pub(super) fn on_scheduled(&mut self, at_ms: SimTime) {
        self.scaling.scheduled.begin(at_ms);
        while let Some(i) = self.scaling.scheduled.next_due(at_ms) {
            let due_ms = self.scaling.scheduled.due_ms(i).unwrap_or(at_ms);
            if self.group.suspended(ScalingProcess::ScheduledActions) {
                // Skipped while suspended; on resume only future runs happen
                // (UG: as-suspend-resume-processes).
                let name = &self.scenario.scheduled_actions[i].name;
                self.explain(format!(
                    "scheduled action {name} skipped: ScheduledActions is suspended"
                ));
            } else {
                self.run_action(i, due_ms);
            }
            let now = self.now_ms;
            self.scaling
                .scheduled
                .ran(i, now, &mut Events(&mut self.queue));
        }
        self.scaling.scheduled.end(at_ms);
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
        // With Launch (Terminate) suspended a schedule does not scale out (in); the new min
        // and max still bound desired.
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
        let t0 = self.scaling.scheduled.t0();
        let now = sim_ms_to_timestamp(t0, self.now_ms);
        let set = named_changes(action, before, (min, max, desired));
        let sizes = aws_sizes(action, (min, max, desired));
        // AWS's cause names a change of desired capacity only when there is one.
        let decision = if before.2 == desired {
            format!(
                "At {now} a scheduled action update of AutoScalingGroup constraints to {sizes}."
            )
        } else {
            format!(
                "At {now} a scheduled action update of AutoScalingGroup constraints to {sizes} changing the desired capacity from {} to {desired}.",
                before.2
            )
        };
        let detail = format!(" The {label} set {set}{held}.");
        let cause = super::capacity::Cause {
            decision: &decision,
            detail: &detail,
        };
        let change = self.set_desired(desired, cause, false);
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

/// The sizes an action names, as AWS's cause lists them: `min: 4, desired: 6`.
fn aws_sizes(
    action: &crate::policy::ScheduledActionConfig,
    (min, max, desired): (u32, u32, u32),
) -> String {
    let named = [
        ("min", action.min_size.map(|_| min)),
        ("max", action.max_size.map(|_| max)),
        ("desired", action.desired_capacity.map(|_| desired)),
    ];
    let parts: Vec<String> = named
        .iter()
        .filter_map(|(name, size)| size.map(|s| format!("{name}: {s}")))
        .collect();
    parts.join(", ")
}
