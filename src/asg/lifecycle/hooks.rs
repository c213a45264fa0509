//! Lifecycle hooks (UG: lifecycle-hooks; UG: completing-lifecycle-hooks): a launching instance
//! waits in Pending:Wait before InService, a terminating one in Terminating:Wait after
//! draining, until the hook's work completes the action or its heartbeat timeout runs out (then
//! its DefaultResult applies). Heartbeats restart the timeout, up to min(48 h, 100 × timeout).
//! Several hooks on one transition run together: the instance waits for the last, and any
//! ABANDON wins.

use crate::rng::SimRng;
use crate::time::{MS_PER_HOUR, SimDuration};

use super::draw_ms;
use super::{HookResult, LifecycleHookConfig, LifecycleTransition};

/// The longest a lifecycle action can wait: min(48 h, 100 × HeartbeatTimeout) \[ms\].
pub fn hook_cap_ms(heartbeat_timeout_ms: SimDuration) -> SimDuration {
    (48 * MS_PER_HOUR).min(100 * heartbeat_timeout_ms)
}

/// When a wait times out, given heartbeats recorded at `heartbeats_ms` after it began: each
/// heartbeat before the deadline restarts the timeout; never past the cap \[ms\].
/// UG completing-lifecycle-hooks: a 1 h timeout with a heartbeat at 30 min times out at 90 min.
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

/// How long the hooks of `transition` hold an instance and with what result; `None` when
/// there are none. Each hook's work time is drawn from `rng` (the hooks stream).
pub(super) fn hold(
    hooks: &[LifecycleHookConfig],
    transition: LifecycleTransition,
    rng: &mut SimRng,
) -> Option<(SimDuration, HookResult)> {
    let mut outcome: Option<(SimDuration, HookResult)> = None;
    for hook in hooks.iter().filter(|h| h.transition == transition) {
        let work = hook.work_time.as_ref().map(|w| draw_ms(w, rng));
        let (ms, result) = hook_outcome(hook, work);
        outcome = Some(match outcome {
            None => (ms, result),
            Some((longest, so_far)) => {
                let abandon = so_far == HookResult::Abandon || result == HookResult::Abandon;
                let result = if abandon {
                    HookResult::Abandon
                } else {
                    HookResult::Continue
                };
                (longest.max(ms), result)
            }
        });
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    /// UG completing-lifecycle-hooks and lifecycle-hooks: 1 h timeout with a heartbeat at 30 min ⇒ 90 min; the cap is
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
