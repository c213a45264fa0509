//! Alarms, the policies they invoke, and the changes of desired capacity that follow.

use crate::asg::{TerminationChoice, choose_for_scale_in, instance_id};
use crate::cloudwatch::AlarmEvaluation;
use crate::policy::{SimpleOutcome, adjusted_capacity, clamp_capacity};
use crate::recorder::{
    Activity, ActivityKind, AlarmState, Explanation, Recorder, TerminationReason,
};
use crate::scenario::{EventAction, PolicyKind, SimplePolicy};
use crate::time::Clock;

use super::Simulation;
use super::explain::{adjustment_text, alarm_cause, alarm_sentence};

/// What a capacity change did, for causes and explanations.
#[derive(Debug, Default)]
pub(super) struct Change {
    launched: Vec<usize>,
    terminated: Vec<usize>,
    all_protected: bool,
}

impl<R: Recorder> Simulation<'_, R> {
    /// Closes the metric period if one ends now, then evaluates every alarm and invokes the
    /// policies of those in ALARM (again every minute while they stay there).
    pub(super) fn on_alarm_tick(&mut self) {
        if self.now_ms.is_multiple_of(self.buckets.resolution_ms()) {
            let closed = std::mem::take(&mut self.open_bucket);
            self.buckets.push(closed);
        }
        let delay = self.scenario.monitoring.metric_delay_ms;
        for a in 0..self.alarms.len() {
            let config = &self.scenario.alarms[a];
            let eval =
                self.alarms[a].evaluate(config, &self.buckets, &self.units, self.now_ms, delay);
            let changed = eval.state != eval.previous;
            let mut notes = Vec::new();
            if eval.state == AlarmState::Alarm {
                for p in 0..config.alarm_actions.len() {
                    let policy = self.scenario.alarms[a].alarm_actions[p];
                    if let Some(note) = self.invoke_policy(policy, a, &eval, changed) {
                        notes.push(note);
                    }
                }
            }
            if (changed || !notes.is_empty()) && self.recorder.wants_explanations() {
                let mut text = alarm_sentence(&self.scenario.alarms[a], &eval);
                for note in notes {
                    text.push_str("; ");
                    text.push_str(&note);
                }
                self.explain(text);
            }
        }
    }

    fn explain(&mut self, text: String) {
        if self.recorder.wants_explanations() {
            let time_ms = self.now_ms;
            self.recorder.explain(Explanation { time_ms, text });
        }
    }

    /// Runs policy `p` for alarm `a`; returns a note for the explanation when something
    /// happened or, on the alarm's first minute in ALARM, why nothing did.
    fn invoke_policy(
        &mut self,
        p: usize,
        a: usize,
        eval: &AlarmEvaluation,
        first_minute: bool,
    ) -> Option<String> {
        let policy = &self.scenario.scaling_policies[p];
        let name = policy.name.as_str();
        if !policy.enabled {
            return first_minute.then(|| format!("policy {name} is disabled"));
        }
        let PolicyKind::Simple(simple) = &policy.kind else {
            return None;
        };
        match self.simple_gate.check(self.now_ms) {
            SimpleOutcome::Ready => self.apply_simple(p, simple, a, eval),
            SimpleOutcome::ActivityInProgress => first_minute
                .then(|| format!("policy {name} waits: its last activity is still in progress")),
            SimpleOutcome::Cooldown(until) => first_minute
                .then(|| format!("policy {name} waits: cooldown until {}", Clock(until))),
        }
    }

    fn apply_simple(
        &mut self,
        p: usize,
        simple: &SimplePolicy,
        a: usize,
        eval: &AlarmEvaluation,
    ) -> Option<String> {
        let scenario = self.scenario;
        let name = &scenario.scaling_policies[p].name;
        let before = self.group.desired;
        let wanted = adjusted_capacity(
            before,
            simple.adjustment_type,
            simple.scaling_adjustment,
            simple.min_adjustment_magnitude,
        );
        let after = clamp_capacity(wanted, self.group.min_size, self.group.max_size);
        let adjustment = adjustment_text(simple);
        if after == before {
            let bound = if wanted > i64::from(before) {
                "max_size"
            } else {
                "min_size"
            };
            return eval.previous.ne(&eval.state).then(|| {
                format!("policy {name} {adjustment}: desired stays {before} (at {bound})")
            });
        }
        let cause = alarm_cause(
            self.now_ms,
            &scenario.alarms[a],
            eval.newest_value,
            name,
            before,
            after,
        );
        let change = self.set_desired(after, &cause, true);
        let cooldown = simple
            .cooldown_ms
            .unwrap_or(scenario.group.default_cooldown_ms);
        let waited = (change.launched.len() + change.terminated.len()) as u32;
        self.simple_gate.started(waited, cooldown, self.now_ms);
        Some(format!(
            "policy {name} {adjustment}: desired {before} → {after}{}",
            self.change_text(&change)
        ))
    }

    /// ` (launching i-00000004 in us-east-1b, …)`, or the protection note.
    fn change_text(&self, change: &Change) -> String {
        let list = |indices: &[usize]| {
            indices
                .iter()
                .map(|i| {
                    let inst = &self.group.instances[*i];
                    let az = &self.scenario.group.availability_zones[inst.az];
                    format!("{} in {az}", instance_id(inst.number))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !change.launched.is_empty() {
            format!(" (launching {})", list(&change.launched))
        } else if !change.terminated.is_empty() {
            format!(" (terminating {})", list(&change.terminated))
        } else if change.all_protected {
            " (could not scale to desired capacity because all remaining instances are protected from scale-in)".to_string()
        } else {
            String::new()
        }
    }

    /// Sets desired capacity, launches or terminates to reach it, and records the activities.
    pub(super) fn set_desired(&mut self, desired: u32, cause: &str, by_simple: bool) -> Change {
        let before = self.group.desired;
        self.group.desired = desired;
        if desired > before {
            self.totals.scale_out_activities += 1;
        } else if desired < before {
            self.totals.scale_in_activities += 1;
        }
        let change = self.reconcile(by_simple);
        self.record_activities(&change, before, cause);
        change
    }

    /// Launches or terminates until the active count meets desired capacity.
    fn reconcile(&mut self, by_simple: bool) -> Change {
        let mut change = Change::default();
        while self.group.active_count() < self.group.desired {
            change.launched.push(self.launch_one(by_simple));
        }
        while self.group.active_count() > self.group.desired {
            let policies = &self.scenario.group.termination_policies;
            match choose_for_scale_in(
                &self.group,
                policies,
                self.now_ms,
                &mut self.termination_rng,
            ) {
                TerminationChoice::Instance { index, .. } => {
                    self.terminate_one(index, TerminationReason::ScaleIn, by_simple);
                    change.terminated.push(index);
                }
                TerminationChoice::AllProtected => {
                    change.all_protected = true;
                    break;
                }
            }
        }
        change
    }

    fn record_activities(&mut self, change: &Change, before: u32, cause: &str) {
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
        for (kind, index) in rows {
            let (id, az) = match index {
                Some(i) => {
                    let inst = &self.group.instances[i];
                    let az = self.scenario.group.availability_zones[inst.az].clone();
                    (Some(instance_id(inst.number)), Some(az))
                }
                None => (None, None),
            };
            let description = match (kind, &id) {
                (ActivityKind::Launch, Some(id)) => format!("Launching a new EC2 instance: {id}"),
                (ActivityKind::Terminate, Some(id)) => format!("Terminating EC2 instance: {id}"),
                _ if change.all_protected => format!(
                    "Setting desired capacity from {before} to {after}; could not scale to desired capacity because all remaining instances are protected from scale-in"
                ),
                _ => format!("Setting desired capacity from {before} to {after}"),
            };
            self.recorder.activity(Activity {
                time_ms: self.now_ms,
                kind,
                cause: cause.to_string(),
                desired_before: before,
                desired_after: after,
                instance_id: id,
                az,
                description,
            });
        }
    }

    /// A scripted event happens.
    pub(super) fn on_scripted(&mut self, i: usize) {
        match &self.scenario.events[i].action {
            EventAction::SetDesiredCapacity { value } => {
                let before = self.group.desired;
                let cause = format!(
                    "At {} a user request (scripted event) set the desired capacity from {before} to {value}.",
                    Clock(self.now_ms)
                );
                let change = self.set_desired(*value, &cause, false);
                let text = format!(
                    "scripted SetDesiredCapacity {value}: desired {before} → {value}{}",
                    self.change_text(&change)
                );
                self.explain(text);
            }
        }
    }
}
