//! `describe-scheduled-actions` and `describe-lifecycle-hooks` of the group.

use super::utc_time;
use crate::import::ImportError;
use crate::import::json::Node;
use crate::import::model::{ImportedGroup, ImportedHook, ImportedSchedule};
use crate::import::notes::Notes;

/// Reads the scheduled actions of the imported group.
pub(super) fn read_schedules(
    group: &mut ImportedGroup,
    actions: &[Node<'_>],
    notes: &mut Notes,
) -> Result<(), ImportError> {
    for a in actions {
        if a.str("AutoScalingGroupName")?
            .is_some_and(|g| g != group.name)
        {
            continue;
        }
        let recurrence = a.str("Recurrence")?.map(String::from);
        let mut action = ImportedSchedule {
            name: a.req_str("ScheduledActionName")?.to_string(),
            source: format!("describe-scheduled-actions ({}: {})", a.file(), a.path()),
            recurrence: recurrence.clone(),
            time_zone: a.str("TimeZone")?.map(String::from),
            min_size: a.u64("MinSize")?,
            max_size: a.u64("MaxSize")?,
            desired_capacity: a.u64("DesiredCapacity")?,
            ..ImportedSchedule::default()
        };
        let start = a.get("StartTime").map(|n| utc_time(&n)).transpose()?;
        match (&recurrence, start) {
            // A one-off action runs at its start time.
            (None, start) => action.start_time = start,
            // For a recurring action AWS prints its next run as StartTime: the recurrence
            // alone says when it runs, in the past week as much as in the next.
            (Some(_), Some(start)) => notes.ignore(
                a.file(),
                format!("{} ({start}, the next run)", a.path_of("StartTime")),
            ),
            (Some(_), None) => {}
        }
        if let Some(end) = a.get("EndTime") {
            action.end_time = Some(utc_time(&end)?);
        }
        if action.min_size.is_none()
            && action.max_size.is_none()
            && action.desired_capacity.is_none()
        {
            notes.warn(
                a.file(),
                a.path(),
                format!(
                    "scheduled action {} sets no size; not imported",
                    action.name
                ),
            );
            continue;
        }
        notes.leftovers(a, &["ScheduledActionARN", "Time", "AutoScalingGroupName"]);
        group.schedules.push(action);
    }
    Ok(())
}

/// Reads the lifecycle hooks of the imported group.
pub(super) fn read_hooks(
    group: &mut ImportedGroup,
    hooks: &[Node<'_>],
    notes: &mut Notes,
) -> Result<(), ImportError> {
    for h in hooks {
        if h.str("AutoScalingGroupName")?
            .is_some_and(|g| g != group.name)
        {
            continue;
        }
        let hook = ImportedHook {
            name: h.req_str("LifecycleHookName")?.to_string(),
            source: format!("describe-lifecycle-hooks ({}: {})", h.file(), h.path()),
            transition: h.req_str("LifecycleTransition")?.to_string(),
            heartbeat_timeout_s: h.u64("HeartbeatTimeout")?,
            default_result: h.str("DefaultResult")?.map(String::from),
        };
        for key in ["NotificationTargetARN", "RoleARN", "NotificationMetadata"] {
            if let Some(value) = h.str(key)? {
                notes.warn(
                    h.file(),
                    &h.path_of(key),
                    format!("{value:?}: who is told of the hook is not modelled (asgsim models the hook's work by work_time); left out"),
                );
            }
        }
        // GlobalTimeout is AWS's own (100 × the heartbeat timeout, at most 48 h).
        notes.leftovers(h, &["GlobalTimeout", "AutoScalingGroupName"]);
        group.hooks.push(hook);
    }
    Ok(())
}
