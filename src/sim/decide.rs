//! The minute tick's decision: CloudWatch evaluates the alarms, the scaling policies propose,
//! the largest resulting capacity wins and is applied, and the alarms' sentences are told.

use crate::asg::ScalingProcess;
use crate::cloudwatch::describe::alarm_sentence;
use crate::cloudwatch::{AlarmEvaluation, AlarmState};
use crate::policy::describe::alarm_cause;
use crate::policy::{Note, Outcome, PolicyKind, Round, Source};
use crate::records::{Decision, Recorder};

use super::Simulation;

impl<R: Recorder> Simulation<'_, R> {
    /// Closes the metric period if one ends now, evaluates every alarm, and applies the
    /// largest proposal of the policies they invoke (again every minute while in ALARM).
    pub(super) fn on_alarm_tick(&mut self) {
        let evals = self.watch.evaluate(self.now_ms);
        let in_alarm = evals.iter().any(|e| e.state == AlarmState::Alarm);
        if !in_alarm && !self.scaling.tracks_targets() {
            // No policy is invoked: only alarms that changed state are told (most minutes).
            if self.recorder.wants_explanations() {
                self.explain_alarms(&evals, &Round::default());
            }
            self.watch.recycle(evals);
            return;
        }
        let desired_before = self.group.desired;
        let view = view!(self);
        let scaling = &mut self.scaling;
        let mut round = if self.group.suspended(ScalingProcess::AlarmNotification) {
            scaling.note_not_invoked(&view, &evals)
        } else {
            scaling.gather(&view, &evals)
        };
        let winner = scaling.winner(view.group.desired, &mut round).filter(|&w| {
            scaling.hold_for_forecast(&view, w, &mut round)
                && scaling.not_held(&view, w, &mut round)
                && scaling.not_suspended(&view, w, &mut round)
        });
        if let Some(w) = winner {
            self.apply_proposal(w, &evals, &mut round);
        }
        if self.recorder.wants_explanations() || self.recorder.wants_records() {
            self.scaling
                .note_disagreement(&view!(self), &evals, &mut round);
            self.scaling.drop_repeated_holds(&evals, &mut round);
            self.explain_alarms(&evals, &round);
        }
        if self.recorder.wants_records() {
            self.record_decisions(&round, desired_before);
        }
        self.watch.recycle(evals);
    }

    fn apply_proposal(&mut self, w: usize, evals: &[AlarmEvaluation], round: &mut Round) {
        self.scaling.applied();
        let won = round.proposals[w].clone();
        let scenario = self.scenario;
        let name = &scenario.scaling_policies[won.policy].name;
        let before = self.group.desired;
        let config = &self.watch.alarm(won.alarm).config;
        // Sentences are built only for recorders that keep them: sweeps run millions of these.
        let (decision, detail) = if self.recorder.wants_records() {
            let at = self.aws_time(self.now_ms);
            let value = evals[won.alarm].newest_value;
            let detail = value.map_or(String::new(), |v| alarm_reading(config, v));
            (
                alarm_cause(at, &config.name, name, before, won.capacity),
                detail,
            )
        } else {
            (String::new(), String::new())
        };
        let cause = super::capacity::Cause {
            decision: &decision,
            detail: &detail,
        };
        let change = self.set_desired(won.capacity, cause, won.source == Source::Simple);
        for &index in &change.launched {
            self.group.instances[index].launch_warmup_ms =
                self.scaling.policy_warmup_ms(won.policy);
        }
        if let PolicyKind::Simple(simple) = &scenario.scaling_policies[won.policy].kind {
            let cooldown = simple
                .cooldown_ms
                .unwrap_or(scenario.group.default_cooldown_ms);
            let waited = (change.launched.len() + change.terminated.len()) as u32;
            self.scaling
                .simple_gate
                .started(waited, cooldown, self.now_ms);
        }
        if !self.recorder.wants_explanations() && !self.recorder.wants_records() {
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
        round.notes.push(Note::of(&won, Outcome::Applied, note));
        let mut lost_notes = Vec::new();
        for (i, lost) in round.proposals.iter().enumerate() {
            // Target-tracking scale-ins without agreement get their own note.
            if i != w && (round.tt_agree || lost.source != Source::TargetTrackingIn) {
                let lost_name = &scenario.scaling_policies[lost.policy].name;
                let result = match lost.source {
                    Source::Simple => format!(" of {before} = {}", lost.capacity),
                    _ => String::new(),
                };
                let text = format!(
                    "policy {lost_name} {}{result} not applied: the largest resulting capacity wins",
                    lost.rule
                );
                lost_notes.push(Note::of(lost, Outcome::Lost, text));
            }
        }
        round.notes.extend(lost_notes);
    }

    fn explain_alarms(&mut self, evals: &[AlarmEvaluation], round: &Round) {
        for (a, eval) in evals.iter().enumerate() {
            let notes: Vec<&str> = round
                .notes
                .iter()
                .filter(|n| n.alarm == a)
                .map(|n| n.text.as_str())
                .collect();
            if eval.state == eval.previous && notes.is_empty() {
                continue;
            }
            let mut text = alarm_sentence(&self.watch.alarm(a).config, eval);
            for note in notes {
                text.push_str("; ");
                text.push_str(note);
            }
            self.explain(text);
        }
    }

    /// Hands the recorder one decision per note about a policy: what it proposed and what
    /// became of it, for tools and tests (the sentences say the same in words).
    fn record_decisions(&mut self, round: &Round, desired_before: u32) {
        for note in &round.notes {
            let Some(p) = note.policy else {
                continue;
            };
            let decision = Decision {
                time_ms: self.now_ms,
                policy: self.scenario.scaling_policies[p].name.clone(),
                alarm: self.watch.alarm(note.alarm).config.name.clone(),
                desired_before,
                proposed: note.proposed,
                base_capacity: note.base,
                metric_value: note.metric,
                outcome: note.outcome,
            };
            self.recorder.decision(decision);
        }
    }
}

/// The datapoint that put the alarm in ALARM, as a sentence that follows AWS's own: " The
/// alarm read average CPU 60.0% ≥ 50%."
fn alarm_reading(config: &crate::cloudwatch::AlarmConfig, value: f64) -> String {
    use crate::cloudwatch::describe::{metric_value, threshold_text};
    format!(
        " The alarm read {} {} {}.",
        metric_value(config, value),
        config.comparison_operator.symbol(),
        threshold_text(config.metric_name, config.threshold)
    )
}
