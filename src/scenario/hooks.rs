//! `[\[lifecycle_hooks\]]`: pauses at launch or termination (UG: lifecycle-hooks), with
//! AWS's defaults and limits (API: PutLifecycleHook), and the hook's own work as asgsim models it: how long
//! it takes, what it completes with, and how often it records a heartbeat.

use super::fields::{Reader, unique_names};
use super::model::{HookResult, LifecycleHookConfig, LifecycleTransition};
use super::template::read_time_distribution;
use crate::time::{MS_PER_S, SimDuration, format_duration};

/// AWS's limit on lifecycle hooks per group.
const MAX_HOOKS: usize = 50;

/// `HeartbeatTimeout` when none is given \[ms\].
const DEFAULT_HEARTBEAT_TIMEOUT_MS: SimDuration = 3600 * MS_PER_S;

/// `lifecycle_transition` values: AWS's, and the short forms.
const TRANSITIONS: [(&str, LifecycleTransition); 4] = [
    (
        "autoscaling:EC2_INSTANCE_LAUNCHING",
        LifecycleTransition::Launching,
    ),
    (
        "autoscaling:EC2_INSTANCE_TERMINATING",
        LifecycleTransition::Terminating,
    ),
    ("launching", LifecycleTransition::Launching),
    ("terminating", LifecycleTransition::Terminating),
];

/// `default_result` and `work_result` values, as spelled in the API.
const RESULTS: [(&str, HookResult); 2] = [
    ("CONTINUE", HookResult::Continue),
    ("ABANDON", HookResult::Abandon),
];

/// Reads every lifecycle hook, in file order; `None` if any is wrong.
pub(super) fn read_lifecycle_hooks(r: &mut Reader<'_>) -> Option<Vec<LifecycleHookConfig>> {
    let entries = r.entries("lifecycle_hooks");
    if entries.len() > MAX_HOOKS {
        r.report(
            "lifecycle_hooks",
            format!(
                "{} lifecycle hooks; AWS allows at most {MAX_HOOKS} per group",
                entries.len()
            ),
        );
    }
    unique_names(&entries, "lifecycle hook");
    let hooks: Vec<Option<LifecycleHookConfig>> = entries.into_iter().map(read_hook).collect();
    let hooks: Option<Vec<LifecycleHookConfig>> = hooks.into_iter().collect();
    hooks.filter(|h| h.len() <= MAX_HOOKS)
}

/// One `[\[lifecycle_hooks\]]` entry.
fn read_hook(mut e: Reader<'_>) -> Option<LifecycleHookConfig> {
    let name = e.name("name").required();
    let transition = e.choice("lifecycle_transition", &TRANSITIONS).required();
    let heartbeat_timeout_ms = e
        .duration("heartbeat_timeout")
        .check(
            |ms| (30 * MS_PER_S..=7200 * MS_PER_S).contains(ms) && ms % MS_PER_S == 0,
            |_| {
                "must be a whole number of seconds between 30s and 7200s (2h), as AWS requires of HeartbeatTimeout"
                    .to_string()
            },
        )
        .or(DEFAULT_HEARTBEAT_TIMEOUT_MS);
    let default_result = e.choice("default_result", &RESULTS).or(HookResult::Abandon);
    let work_time = read_time_distribution(&mut e, "work_time");
    let work_result = e.choice("work_result", &RESULTS).or(HookResult::Continue);
    let heartbeat_interval_ms = read_heartbeat_interval(&mut e, heartbeat_timeout_ms);
    let heartbeats_ms = read_heartbeats(&mut e);
    e.finish();
    Some(LifecycleHookConfig {
        name: name?,
        transition: transition?,
        heartbeat_timeout_ms: heartbeat_timeout_ms?,
        default_result: default_result?,
        work_time: work_time?,
        work_result: work_result?,
        heartbeat_interval_ms: heartbeat_interval_ms?,
        heartbeats_ms: heartbeats_ms?,
    })
}

/// `heartbeats`: optional times after the wait began at which the work records a heartbeat,
/// in increasing order; not together with `heartbeat_interval`.
fn read_heartbeats(e: &mut Reader<'_>) -> Option<Vec<SimDuration>> {
    let with_interval = e.peek("heartbeat_interval").is_some();
    e.duration_list("heartbeats")
        .check(
            |beats| beats.windows(2).all(|w| w[0] < w[1]),
            |_| "heartbeats must be in increasing order, like [\"30m\", \"80m\"]".to_string(),
        )
        .check(
            |beats| beats.is_empty() || !with_interval,
            |_| {
                "give heartbeats (a list of times) or heartbeat_interval (a regular beat), not both"
                    .to_string()
            },
        )
        .or_else(Vec::new)
}

/// `heartbeat_interval`: optional, > 0, and shorter than the heartbeat timeout (when that
/// is known), or the wait times out before the first heartbeat.
fn read_heartbeat_interval(
    e: &mut Reader<'_>,
    timeout_ms: Option<SimDuration>,
) -> Option<Option<SimDuration>> {
    let given = e.peek("heartbeat_timeout").is_some();
    e.positive_duration("heartbeat_interval")
        .check(
            |ms| timeout_ms.is_none_or(|t| *ms < t),
            |ms| {
                let timeout = format_duration(timeout_ms.unwrap_or_default());
                let default = if given { "" } else { " (the default)" };
                format!(
                    "heartbeat_interval {} must be shorter than heartbeat_timeout {timeout}{default}, or the wait times out before the first heartbeat",
                    format_duration(*ms)
                )
            },
        )
        .optional()
}
