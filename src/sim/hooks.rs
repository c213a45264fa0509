//! Lifecycle hooks (asg-semantics.md §2.3): a launching instance waits in Pending:Wait before
//! InService, a terminating one in Terminating:Wait after draining, until the hook's work
//! completes the action or its heartbeat timeout runs out (then its DefaultResult applies).
//! Heartbeats restart the timeout, up to min(48 h, 100 × timeout). Several hooks on one
//! transition run together: the instance waits for the last, and any ABANDON wins.

use crate::asg::TerminationReason;

use crate::asg::{HookResult, LifecycleHookConfig, LifecycleTransition};
use crate::records::{ActivityKind, ActivityOrigin, Recorder};
use crate::time::{MS_PER_HOUR, SimDuration, format_duration};

use super::lifecycle::sample_boot_ms;
use super::{Event, Simulation};

/// The longest a lifecycle action can wait: min(48 h, 100 × HeartbeatTimeout) \[ms\].
pub fn hook_cap_ms(heartbeat_timeout_ms: SimDuration) -> SimDuration {
    (48 * MS_PER_HOUR).min(100 * heartbeat_timeout_ms)
}

/// When a wait times out, given heartbeats recorded at `heartbeats_ms` after it began: each
/// heartbeat before the deadline restarts the timeout; never past the cap \[ms\].
/// §12.12: a 1 h timeout with a heartbeat at 30 min times out at 90 min.
pub fn hook_deadline_ms(
    heartbeat_timeout_ms: SimDuration,
    heartbeats_ms: &[SimDuration],
) -> SimDuration {
    let mut deadline = heartbeat_timeout_ms;
    for beat in heartbeats_ms {
        if *beat < deadline {
            deadline = beat + heartbeat_timeout_ms;
        }
    }
    deadline.min(hook_cap_ms(heartbeat_timeout_ms))
}

/// How long one hook holds the instance and with what result, given how long its work takes
/// (`None`: it never completes the action).
pub fn hook_outcome(
    hook: &LifecycleHookConfig,
    work_ms: Option<SimDuration>,
) -> (SimDuration, HookResult) {
    let timeout = hook.heartbeat_timeout_ms;
    // Heartbeats come every interval while the work runs: with an interval shorter than the
    // timeout the deadline keeps moving until the work ends or the cap is reached. Listed
    // heartbeats each move it once.
    let deadline = match hook.heartbeat_interval_ms {
        Some(interval) if interval > 0 && interval < timeout => hook_cap_ms(timeout),
        _ => hook_deadline_ms(timeout, &hook.heartbeats_ms),
    };
    match work_ms {
        Some(work) if work <= deadline => (work, hook.work_result),
        _ => (deadline, hook.default_result),
    }
}

impl<R: Recorder> Simulation<'_, R> {
    /// Starts the hooks of `transition` for an instance; false when there are none.
    pub(super) fn start_hooks(&mut self, index: usize, transition: LifecycleTransition) -> bool {
        let scenario = self.scenario;
        let hooks = scenario
            .lifecycle_hooks
            .iter()
            .filter(|h| h.transition == transition);
        let mut outcome: Option<(SimDuration, HookResult)> = None;
        for hook in hooks {
            let work = hook
                .work_time
                .as_ref()
                .map(|w| sample_boot_ms(w, &mut self.hooks_rng));
            let (ms, result) = hook_outcome(hook, work);
            outcome = Some(match outcome {
                None => (ms, result),
                Some((longest, so_far)) => {
                    let abandon = so_far == HookResult::Abandon || result == HookResult::Abandon;
                    (
                        longest.max(ms),
                        if abandon {
                            HookResult::Abandon
                        } else {
                            HookResult::Continue
                        },
                    )
                }
            });
        }
        let Some((wait_ms, result)) = outcome else {
            return false;
        };
        let _ = self.queue.schedule(
            self.now_ms + wait_ms,
            Event::HookDone(index, transition, result),
        );
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
            LifecycleTransition::Terminating => self.finish_terminating(index),
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
                    crate::time::Clock(self.now_ms)
                );
                self.set_desired(desired, &cause, false);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// §12.12: 1 h timeout with a heartbeat at 30 min ⇒ 90 min; the cap is
    /// min(48 h, 100 × timeout): 120 s ⇒ 12,000 s.
    #[test]
    fn heartbeats_and_cap_12_12() {
        assert_eq!(hook_deadline_ms(3_600_000, &[1_800_000]), 5_400_000);
        assert_eq!(hook_cap_ms(120_000), 12_000_000);
        assert_eq!(hook_cap_ms(7_200_000), 48 * MS_PER_HOUR);
        let every_minute: Vec<SimDuration> = (1..1000).map(|k| k * 60_000).collect();
        assert_eq!(hook_deadline_ms(120_000, &every_minute), 12_000_000);
    }

    #[test]
    fn work_completes_before_the_timeout_or_the_default_applies() {
        let hook = LifecycleHookConfig {
            name: "h".into(),
            transition: LifecycleTransition::Launching,
            heartbeat_timeout_ms: 600_000,
            default_result: HookResult::Abandon,
            work_time: None,
            work_result: HookResult::Continue,
            heartbeat_interval_ms: None,
            heartbeats_ms: Vec::new(),
        };
        assert_eq!(
            hook_outcome(&hook, Some(60_000)),
            (60_000, HookResult::Continue)
        );
        assert_eq!(
            hook_outcome(&hook, Some(900_000)),
            (600_000, HookResult::Abandon)
        );
        assert_eq!(hook_outcome(&hook, None), (600_000, HookResult::Abandon));
        let beating = LifecycleHookConfig {
            heartbeat_interval_ms: Some(300_000),
            heartbeats_ms: Vec::new(),
            ..hook
        };
        assert_eq!(
            hook_outcome(&beating, Some(900_000)),
            (900_000, HookResult::Continue)
        );
        assert_eq!(
            hook_outcome(&beating, None),
            (60_000_000, HookResult::Abandon)
        );
    }
}
