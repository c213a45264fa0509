//! Lifecycle hooks in the run (UG: lifecycle-hooks): an instance waits in Pending:Wait or
//! Terminating:Wait for as long as its hooks hold it (`crate::asg::Lifecycle::hold`), then
//! goes on, or is abandoned and replaced.

use crate::asg::{HookResult, LifecycleEvent, LifecycleTransition, TerminationReason};
use crate::records::{ActivityKind, ActivityOrigin, Recorder};
use crate::time::format_duration;

use super::{Event, Simulation};

impl<R: Recorder> Simulation<'_, R> {
    /// Starts the hooks of `transition` for an instance; false when there are none.
    pub(super) fn start_hooks(&mut self, index: usize, transition: LifecycleTransition) -> bool {
        let hooks = &self.scenario.lifecycle_hooks;
        let Some((wait_ms, result)) = self.lifecycle.hold(hooks, transition) else {
            return false;
        };
        let done = LifecycleEvent::HookDone(index, transition, result);
        self.queue
            .schedule(self.now_ms + wait_ms, Event::Lifecycle(done));
        let state = match transition {
            LifecycleTransition::Launching => "Pending:Wait",
            LifecycleTransition::Terminating => "Terminating:Wait",
        };
        let text = format!(
            "{} enters {state}: its lifecycle hooks hold it {} ({})",
            self.id_of(index),
            format_duration(wait_ms),
            if result == HookResult::Continue {
                "CONTINUE"
            } else {
                "ABANDON"
            }
        );
        self.explain(text);
        true
    }

    /// The lifecycle action completes (or times out).
    pub(super) fn on_hook_done(
        &mut self,
        index: usize,
        transition: LifecycleTransition,
        result: HookResult,
    ) {
        match transition {
            LifecycleTransition::Terminating => {
                if self.finish_terminating(index) {
                    self.maintain_pool(false);
                }
            }
            LifecycleTransition::Launching if result == HookResult::Continue => {
                self.enter_service(index)
            }
            LifecycleTransition::Launching => {
                // ABANDON at launch: terminate it and launch a replacement.
                if !self.group.instances[index].is_active() {
                    return;
                }
                let id = self.id_of(index);
                self.terminate_with(index, TerminationReason::LifecycleAbandon, false, false);
                let why = format_args!(
                    "taken out of service because its launch lifecycle action was abandoned"
                );
                let row = (ActivityKind::Terminate, ActivityOrigin::CapacityRestore);
                self.record_instance_activity(row, index, why);
                self.explain(format!("{id}: its launch lifecycle action was abandoned; terminating it and launching a replacement"));
                let desired = self.group.desired;
                let cause = format!(
                    "At {} an instance was started in response to a difference between desired and actual capacity (a launch lifecycle action was abandoned).",
                    self.aws_time(self.now_ms)
                );
                self.set_desired(desired, super::capacity::Cause::plain(&cause), false);
            }
        }
    }
}
