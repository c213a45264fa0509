//! Changes of desired capacity: the group launches or terminates to meet it (the termination
//! policies choose whom), and the activities are recorded as `describe-scaling-activities`
//! would list them.

use crate::asg::{ScalingProcess, TerminationReason, instance_id};
use crate::records::{ActivityKind, ActivityOrigin, Recorder};

use super::Simulation;

/// Why desired capacity changes, as an activity's cause says it: the decision in AWS's words
/// (`describe-scaling-activities`' `Cause`, UG: as-verify-scaling-activity), and asgsim's
/// detail, which follows the instance's own sentence (empty, or a sentence with a leading space).
pub(super) struct Cause<'a> {
    pub(super) decision: &'a str,
    pub(super) detail: &'a str,
}

impl<'a> Cause<'a> {
    /// A decision with no detail.
    pub(super) fn plain(decision: &'a str) -> Self {
        Cause {
            decision,
            detail: "",
        }
    }
}

/// What a capacity change did, for causes and explanations.
#[derive(Debug, Default)]
pub(super) struct Change {
    pub(super) launched: Vec<usize>,
    pub(super) terminated: Vec<usize>,
    pub(super) all_protected: bool,
}

impl<R: Recorder> Simulation<'_, R> {
    /// ` (launching i-00000004 in us-east-1b, …)`, or the protection note.
    pub(super) fn change_text(&self, change: &Change) -> String {
        let list = |indices: &[usize], launching: bool| {
            indices
                .iter()
                .map(|i| {
                    let inst = &self.group.instances[*i];
                    let az = &self.scenario.group.availability_zones[inst.az];
                    // A warm start is why capacity arrives in seconds: say so.
                    let warm = launching && inst.pool_ready_ms.is_some();
                    let warm = if warm { " from the warm pool" } else { "" };
                    format!("{} in {az}{warm}", instance_id(inst.number))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !change.launched.is_empty() {
            format!(" (launching {})", list(&change.launched, true))
        } else if !change.terminated.is_empty() {
            let back = (self.scenario.warm_pool.as_ref()).is_some_and(|c| c.reuse_on_scale_in);
            let back = if back { ", back to the warm pool" } else { "" };
            format!(" (terminating {}{back})", list(&change.terminated, false))
        } else if change.all_protected {
            " (could not scale to desired capacity because all remaining instances are protected from scale-in)".to_string()
        } else {
            String::new()
        }
    }

    /// Sets desired capacity, launches or terminates to reach it, and records the activities.
    pub(super) fn set_desired(
        &mut self,
        desired: u32,
        cause: Cause<'_>,
        by_simple: bool,
    ) -> Change {
        let before = self.group.desired;
        self.group.desired = desired;
        if desired > before {
            self.meter.totals.scale_out_activities += 1;
        } else if desired < before {
            self.meter.totals.scale_in_activities += 1;
        }
        let change = self.reconcile(by_simple);
        self.record_activities(&change, before, cause);
        self.maintain_pool(false);
        change
    }

    /// Launches or terminates until the active count meets desired capacity.
    fn reconcile(&mut self, by_simple: bool) -> Change {
        let mut change = Change::default();
        while self.group.active_count() < self.group.desired {
            match self.try_launch(by_simple) {
                Some(index) => change.launched.push(index),
                None => break,
            }
        }
        if self.group.suspended(ScalingProcess::Terminate) {
            return change;
        }
        let surplus = self.group.active_count().saturating_sub(self.group.desired) as usize;
        if surplus > 0 {
            let choice = self.group.choose_for_scale_in(self.now_ms, surplus);
            for index in choice.chosen {
                self.terminate_one(index, TerminationReason::ScaleIn, by_simple);
                change.terminated.push(index);
            }
            change.all_protected = choice.all_protected;
        }
        change
    }

    /// One row per instance launched or terminated (or one capacity row): a scaling
    /// decision's instances add AWS's own sentence, "At … an instance was started in response
    /// to a difference between desired and actual capacity, increasing the capacity from 3 to 5."
    fn record_activities(&mut self, change: &Change, before: u32, cause: Cause<'_>) {
        if !self.recorder.wants_records() {
            return;
        }
        let after = self.group.desired;
        let rows = change
            .launched
            .iter()
            .map(|i| (ActivityKind::Launch, Some(*i)))
            .chain(
                change
                    .terminated
                    .iter()
                    .map(|i| (ActivityKind::Terminate, Some(*i))),
            );
        let mut rows: Vec<_> = rows.collect();
        if rows.is_empty() {
            rows.push((ActivityKind::Capacity, None));
        }
        // An instance launched or terminated while desired stays makes up for capacity lost
        // elsewhere (a failed launch, suspended processes); anything else is the decision's.
        let origin = if after == before && rows[0].1.is_some() {
            ActivityOrigin::CapacityRestore
        } else {
            ActivityOrigin::Scaling
        };
        for (kind, index) in rows {
            let description = match (kind, index) {
                (ActivityKind::Launch, Some(i)) => {
                    format!("Launching a new EC2 instance: {}", self.id_of(i))
                }
                (ActivityKind::Terminate, Some(i)) => {
                    format!("Terminating EC2 instance: {}", self.id_of(i))
                }
                _ if change.all_protected => format!(
                    "Setting desired capacity from {before} to {after}; could not scale to desired capacity because all remaining instances are protected from scale-in"
                ),
                _ if before == after => format!(
                    "Desired capacity stays {after} (min size {}, max size {})",
                    self.group.min_size, self.group.max_size
                ),
                _ => format!("Setting desired capacity from {before} to {after}"),
            };
            let at = self.aws_time(self.now_ms);
            let text = match kind {
                ActivityKind::Launch if after > before => format!(
                    "{} At {at} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from {before} to {after}.{}",
                    cause.decision, cause.detail
                ),
                ActivityKind::Terminate if after < before => format!(
                    "{} At {at} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from {before} to {after}.{}",
                    cause.decision, cause.detail
                ),
                _ => format!("{}{}", cause.decision, cause.detail),
            };
            let row = (kind, origin, index);
            self.record_row(row, (before, after), &text, description);
        }
    }
}
