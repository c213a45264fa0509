//! Alarms every minute, the largest policy proposal applied, and the changes of desired
//! capacity that follow.

use crate::asg::ScalingProcess;
use crate::asg::TerminationReason;
use crate::asg::{choose_for_scale_in, instance_id};
use crate::cloudwatch::AlarmEvaluation;
use crate::policy::PolicyKind;
use crate::records::{
    Activity, ActivityKind, ActivityOrigin, Episode, EpisodeKind, Explanation, Recorder,
};
use crate::sim::EventAction;
use crate::time::{Clock, SimTime};

use super::Simulation;
use super::explain::{alarm_cause, alarm_sentence};
use super::proposals::{Proposal, Round, Source};

/// What a capacity change did, for causes and explanations.
#[derive(Debug, Default)]
pub(super) struct Change {
    launched: Vec<usize>,
    terminated: Vec<usize>,
    all_protected: bool,
}

/// The proposal that wins: the largest capacity above desired if any, else the largest below
/// it; target-tracking scale-ins count only if every target-tracking policy that may scale in
/// proposes one (asg-semantics.md §3.4).
fn winner(desired: u32, round: &mut Round, tt_scale_in_policies: usize) -> Option<usize> {
    let tt_in = round.proposals.iter();
    let tt_in = tt_in
        .filter(|p| p.source == Source::TargetTrackingIn)
        .count();
    round.tt_agree = tt_in == tt_scale_in_policies;
    let (proposals, tt_agree) = (&round.proposals, round.tt_agree);
    let best = |keep: &dyn Fn(&Proposal) -> bool| {
        let mut best: Option<usize> = None;
        for (i, p) in proposals.iter().enumerate() {
            if keep(p) && best.is_none_or(|b| p.capacity > proposals[b].capacity) {
                best = Some(i);
            }
        }
        best
    };
    if let Some(out) = best(&|p| p.capacity > desired) {
        return Some(out);
    }
    best(&|p| p.capacity < desired && (p.source != Source::TargetTrackingIn || tt_agree))
}

impl<R: Recorder> Simulation<'_, R> {
    /// Closes the metric period if one ends now, evaluates every alarm, and applies the
    /// largest proposal of the policies they invoke (again every minute while in ALARM).
    pub(super) fn on_alarm_tick(&mut self) {
        if self.now_ms.is_multiple_of(self.buckets.resolution_ms()) {
            let closed = std::mem::take(&mut self.open_bucket);
            self.buckets.push(closed);
        }
        let delay = self.scenario.monitoring.metric_delay_ms;
        let mut evals = std::mem::take(&mut self.evals_scratch);
        evals.clear();
        for (def, runtime) in self.alarm_defs.iter().zip(self.alarms.iter_mut()) {
            let eval = runtime.evaluate(
                &def.config,
                def.exclude_warming,
                &self.buckets,
                &self.units,
                self.now_ms,
                delay,
            );
            evals.push(eval);
        }
        let mut round = if self.suspended(ScalingProcess::AlarmNotification) {
            self.note_not_invoked(&evals)
        } else {
            self.gather_proposals(&evals)
        };
        let desired = self.group.desired;
        if let Some(w) = winner(desired, &mut round, self.tt_scale_in_policies)
            && self.hold_for_forecast(w, &mut round)
            && self.not_held(w, &mut round)
            && self.not_suspended(w, &mut round)
        {
            self.apply_proposal(w, &evals, &mut round);
        }
        if self.recorder.wants_explanations() {
            self.note_disagreement(&evals, &mut round);
            self.explain_alarms(&evals, &round);
        }
        self.evals_scratch = evals;
    }

    fn apply_proposal(&mut self, w: usize, evals: &[AlarmEvaluation], round: &mut Round) {
        self.unapplied_noted = None;
        let won = round.proposals[w].clone();
        let scenario = self.scenario;
        let name = &scenario.scaling_policies[won.policy].name;
        let before = self.group.desired;
        let config = &self.alarm_defs[won.alarm].config;
        // Sentences are built only for recorders that keep them: sweeps run millions of these.
        let cause = if self.recorder.wants_records() {
            let value = evals[won.alarm].newest_value;
            alarm_cause(self.now_ms, config, value, name, before, won.capacity)
        } else {
            String::new()
        };
        let change = self.set_desired(won.capacity, &cause, won.source == Source::Simple);
        for &index in &change.launched {
            self.group.instances[index].launch_warmup_ms = self.policy_warmups[won.policy];
        }
        if let PolicyKind::Simple(simple) = &scenario.scaling_policies[won.policy].kind {
            let cooldown = simple
                .cooldown_ms
                .unwrap_or(scenario.group.default_cooldown_ms);
            let waited = (change.launched.len() + change.terminated.len()) as u32;
            self.simple_gate.started(waited, cooldown, self.now_ms);
        }
        if !self.recorder.wants_explanations() {
            return;
        }
        let kind = match won.source {
            Source::TargetTrackingOut | Source::TargetTrackingIn => "target tracking ",
            Source::Step | Source::Simple => "",
        };
        let note = format!(
            "{kind}policy {name} {}: desired {before} → {}{}",
            won.rule,
            won.capacity,
            self.change_text(&change)
        );
        round.notes.push((won.alarm, note));
        for (i, lost) in round.proposals.iter().enumerate() {
            // Target-tracking scale-ins without agreement get their own note.
            if i != w && (round.tt_agree || lost.source != Source::TargetTrackingIn) {
                let lost_name = &scenario.scaling_policies[lost.policy].name;
                let result = match lost.source {
                    Source::Simple => format!(" of {before} = {}", lost.capacity),
                    _ => String::new(),
                };
                round.notes.push((
                    lost.alarm,
                    format!(
                        "policy {lost_name} {}{result} not applied: the largest resulting capacity wins",
                        lost.rule
                    ),
                ));
            }
        }
    }

    fn explain_alarms(&mut self, evals: &[AlarmEvaluation], round: &Round) {
        for (a, eval) in evals.iter().enumerate() {
            let notes: Vec<&str> = round
                .notes
                .iter()
                .filter(|(alarm, _)| *alarm == a)
                .map(|(_, n)| n.as_str())
                .collect();
            if eval.state == eval.previous && notes.is_empty() {
                continue;
            }
            let mut text = alarm_sentence(&self.alarm_defs[a].config, eval);
            for note in notes {
                text.push_str("; ");
                text.push_str(note);
            }
            self.explain(text);
        }
    }

    pub(super) fn explain(&mut self, text: String) {
        if self.recorder.wants_explanations() {
            let time_ms = self.now_ms;
            self.recorder.explain(Explanation { time_ms, text });
        }
    }

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
            let back = self.pool_config().is_some_and(|c| c.reuse_on_scale_in);
            let back = if back { ", back to the warm pool" } else { "" };
            format!(" (terminating {}{back})", list(&change.terminated, false))
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
        if self.suspended(ScalingProcess::Terminate) {
            return change;
        }
        let surplus = self.group.active_count().saturating_sub(self.group.desired) as usize;
        if surplus > 0 {
            let policies = &self.scenario.group.termination_policies;
            let choice = choose_for_scale_in(
                &self.group,
                policies,
                self.now_ms,
                surplus,
                &mut self.termination_rng,
            );
            for index in choice.chosen {
                self.terminate_one(index, TerminationReason::ScaleIn, by_simple);
                change.terminated.push(index);
            }
            change.all_protected = choice.all_protected;
        }
        change
    }

    fn record_activities(&mut self, change: &Change, before: u32, cause: &str) {
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
            let row = (kind, origin, index);
            self.record_row(row, (before, after), cause, description);
        }
    }

    /// `i-00000004`.
    pub(super) fn id_of(&self, index: usize) -> String {
        instance_id(self.group.instances[index].number)
    }

    /// Records the activity of one instance launched or terminated while desired capacity
    /// stays (replacement, refresh, rebalancing, lifecycle hooks), in AWS's words: cause
    /// "At <time> an instance was <what>.", description "Launching a new EC2 instance: <id>" or
    /// "Terminating EC2 instance: <id>". `origin` says which of these it is, for the plot.
    /// Nothing is formatted unless the recorder keeps rows.
    pub(super) fn record_instance_activity(
        &mut self,
        (kind, origin): (ActivityKind, ActivityOrigin),
        index: usize,
        what: std::fmt::Arguments<'_>,
    ) {
        if !self.recorder.wants_records() {
            return;
        }
        let desired = self.group.desired;
        let cause = format!("At {} an instance was {what}.", Clock(self.now_ms));
        let verb = if kind == ActivityKind::Launch {
            "Launching a new"
        } else {
            "Terminating"
        };
        let description = format!("{verb} EC2 instance: {}", self.id_of(index));
        let row = (kind, origin, Some(index));
        self.record_row(row, (desired, desired), &cause, description);
    }

    /// Hands one activity row to the recorder: its kind, origin and instance, desired
    /// capacity before and after \[instances\], cause and description.
    pub(super) fn record_row(
        &mut self,
        (kind, origin, index): (ActivityKind, ActivityOrigin, Option<usize>),
        (desired_before, desired_after): (u32, u32),
        cause: &str,
        description: String,
    ) {
        let (instance_id, az) = match index {
            Some(i) => {
                let az = self.group.instances[i].az;
                let az = self.scenario.group.availability_zones[az].clone();
                (Some(self.id_of(i)), Some(az))
            }
            None => (None, None),
        };
        self.recorder.activity(Activity {
            time_ms: self.now_ms,
            kind,
            origin,
            cause: cause.to_string(),
            desired_before,
            desired_after,
            instance_id,
            az,
            description,
        });
    }

    /// Reports a scripted episode lasting `(start_ms, end_ms)` \[ms\], if the recorder keeps
    /// records.
    pub(super) fn record_episode(
        &mut self,
        kind: EpisodeKind,
        (start_ms, end_ms): (SimTime, SimTime),
        label: String,
    ) {
        if self.recorder.wants_records() {
            let episode = Episode {
                kind,
                start_ms,
                end_ms,
                label,
            };
            self.recorder.episode(episode);
        }
    }

    /// Suspends or resumes processes; on resume the group catches up (§1.5): it launches or
    /// terminates to desired capacity, replaces what was marked, checks failed instances,
    /// and an instance refresh that waited continues.
    fn suspend(&mut self, processes: &[ScalingProcess], suspend: bool) {
        let names: Vec<&str> = processes.iter().map(|p| p.aws_name()).collect();
        for p in processes {
            self.zones.suspended.retain(|q| q != p);
            if suspend {
                self.zones.suspended.push(*p);
            }
        }
        let verb = if suspend { "suspended" } else { "resumed" };
        self.explain(format!("processes {verb}: {}", names.join(", ")));
        if suspend {
            return;
        }
        let desired = self.group.desired;
        let cause = format!(
            "At {} processes were resumed ({}): the group catches up with desired capacity.",
            Clock(self.now_ms),
            names.join(", ")
        );
        self.set_desired(desired, &cause, false);
        if processes.contains(&ScalingProcess::AddToLoadBalancer) {
            let active: Vec<usize> = self.group.active_indices().to_vec();
            for index in active {
                self.group.join_load_balancer(index);
            }
        }
        if processes.contains(&ScalingProcess::HealthCheck) {
            let failed: Vec<usize> = self.group.active_indices().to_vec();
            for index in failed {
                self.redetect(index);
            }
        }
        self.process_replacements();
        // A refresh waiting for Launch, Terminate or InstanceRefresh continues.
        self.refresh_step();
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
            EventAction::FailInstances { count, az, mode } => {
                self.fail_scripted(*count, az.as_deref(), *mode);
            }
            EventAction::AzOutage { az, duration_ms } => self.start_az_outage(az, *duration_ms),
            EventAction::LaunchFailures {
                az,
                duration_ms,
                probability,
            } => self.start_launch_failures(az.as_deref(), *duration_ms, *probability),
            EventAction::SuspendProcesses { processes } => self.suspend(processes, true),
            EventAction::InstanceRefresh(refresh) => self.start_refresh(refresh),
            EventAction::ResumeProcesses { processes } => self.suspend(processes, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal(capacity: u32, source: Source) -> Proposal {
        Proposal {
            policy: 0,
            alarm: 0,
            capacity,
            rule: String::new(),
            source,
        }
    }

    fn win<const N: usize>(desired: u32, proposals: &[Proposal; N], tt: usize) -> Option<usize> {
        let mut round = Round {
            proposals: proposals.to_vec(),
            ..Round::default()
        };
        winner(desired, &mut round, tt)
    }

    /// §12.5: CPU step +1 and SQS target tracking +2 ⇒ +2; scale-in at 8: −3 vs −2 ⇒ −2.
    #[test]
    fn the_largest_resulting_capacity_wins() {
        let out = [
            proposal(9, Source::Step),
            proposal(10, Source::TargetTrackingOut),
        ];
        assert_eq!(win(8, &out, 1), Some(1));
        let inn = [proposal(5, Source::Step), proposal(6, Source::Simple)];
        assert_eq!(win(8, &inn, 0), Some(1));
        let mixed = [proposal(6, Source::Step), proposal(9, Source::Simple)];
        assert_eq!(win(8, &mixed, 0), Some(1), "scale-out beats scale-in");
    }

    #[test]
    fn target_tracking_scales_in_only_when_all_agree() {
        let one = [proposal(5, Source::TargetTrackingIn)];
        assert_eq!(win(8, &one, 2), None);
        assert_eq!(win(8, &one, 1), Some(0));
        let with_step = [
            proposal(5, Source::TargetTrackingIn),
            proposal(7, Source::Step),
        ];
        assert_eq!(
            win(8, &with_step, 2),
            Some(1),
            "a step scale-in is not blocked by TT"
        );
    }
}
