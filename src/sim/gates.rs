//! What stops the winning proposal of a minute: the predictive forecast's floor, a policy
//! that keeps desired (the largest resulting capacity wins, §12.5), a suspended Launch or
//! Terminate (§1.5); and the notes that say why nothing happened.

use crate::asg::ScalingProcess;
use crate::cloudwatch::AlarmEvaluation;
use crate::cloudwatch::AlarmState;
use crate::records::Recorder;

use super::Simulation;
use super::alarms::AlarmOwner;
use super::proposals::{Round, Source};

impl<R: Recorder> Simulation<'_, R> {
    /// A scale-in stops at the predictive policy's forecast for this hour: the larger
    /// capacity wins. False when nothing is left to apply.
    pub(super) fn hold_for_forecast(&mut self, w: usize, round: &mut Round) -> bool {
        let desired = self.group.desired;
        let proposal = &mut round.proposals[w];
        if proposal.capacity >= desired {
            return true;
        }
        let Some(floor) = self.predictive.scale_in_floor(self.now_ms) else {
            return true;
        };
        let floor = floor.clamp(self.group.min_size, self.group.max_size);
        if floor <= proposal.capacity {
            return true;
        }
        if floor < desired {
            proposal.rule = format!(
                "{}, held at {floor} by the forecast for this hour",
                proposal.rule
            );
            proposal.capacity = floor;
            return true;
        }
        if self.recorder.wants_explanations() {
            let name = &self.scenario.scaling_policies[proposal.policy].name;
            let note = format!(
                "policy {name} {} not applied: the predictive forecast for this hour holds {floor}",
                proposal.rule
            );
            round.notes.push((proposal.alarm, note));
        }
        false
    }

    /// A scale-in loses to a policy invoked this minute whose result is desired itself: the
    /// largest resulting capacity wins, every minute the policies are invoked (§12.5).
    pub(super) fn not_held(&mut self, w: usize, round: &mut Round) -> bool {
        let proposal = &round.proposals[w];
        let Some(holder) = round.holds else {
            return true;
        };
        if proposal.capacity >= self.group.desired {
            return true;
        }
        let key = (proposal.policy, proposal.capacity);
        if self.unapplied_noted != Some(key) && self.recorder.wants_explanations() {
            let policies = &self.scenario.scaling_policies;
            let note = format!(
                "policy {} {} not applied: policy {} keeps desired {}, and the largest resulting capacity wins",
                policies[proposal.policy].name,
                proposal.rule,
                policies[holder].name,
                self.group.desired
            );
            round.notes.push((proposal.alarm, note));
        }
        self.unapplied_noted = Some(key);
        false
    }

    /// The suspended process that blocks a change from `from` to `to` instances: Launch for
    /// a scale-out, Terminate for a scale-in (§1.5: alarms and schedules then change
    /// nothing in that direction).
    pub(super) fn blocking_process(&self, from: u32, to: u32) -> Option<ScalingProcess> {
        let process = if to > from {
            ScalingProcess::Launch
        } else if to < from {
            ScalingProcess::Terminate
        } else {
            return None;
        };
        self.suspended(process).then_some(process)
    }

    /// False, with a note the first minute, when Launch or Terminate is suspended.
    pub(super) fn not_suspended(&mut self, w: usize, round: &mut Round) -> bool {
        let proposal = &round.proposals[w];
        let Some(process) = self.blocking_process(self.group.desired, proposal.capacity) else {
            return true;
        };
        let key = (proposal.policy, proposal.capacity);
        if self.unapplied_noted != Some(key) && self.recorder.wants_explanations() {
            let note = format!(
                "policy {} {} not applied: {} is suspended",
                self.scenario.scaling_policies[proposal.policy].name,
                proposal.rule,
                process.aws_name()
            );
            round.notes.push((proposal.alarm, note));
        }
        self.unapplied_noted = Some(key);
        false
    }

    /// While AlarmNotification is suspended no policy is invoked: said once, when an alarm
    /// that has actions goes into ALARM.
    pub(super) fn note_not_invoked(&self, evals: &[AlarmEvaluation]) -> Round {
        let mut round = Round::default();
        if !self.recorder.wants_explanations() {
            return round;
        }
        for (a, eval) in evals.iter().enumerate() {
            let def = &self.alarm_defs[a];
            let acts = def.owner != AlarmOwner::User || !def.config.alarm_actions.is_empty();
            if acts && eval.state == AlarmState::Alarm && eval.previous != eval.state {
                let note = "no policy invoked: AlarmNotification is suspended".to_string();
                round.notes.push((a, note));
            }
        }
        round
    }

    /// Target-tracking scale-ins that wait for the other target-tracking policies: said the
    /// minute their low alarm goes into ALARM.
    pub(super) fn note_disagreement(&self, evals: &[AlarmEvaluation], round: &mut Round) {
        if round.tt_agree {
            return;
        }
        let waiting = round.proposals.iter();
        let waiting = waiting.filter(|p| p.source == Source::TargetTrackingIn);
        let waiting = waiting.filter(|p| evals[p.alarm].previous != evals[p.alarm].state);
        let notes: Vec<(usize, String)> = waiting
            .map(|p| {
                let name = &self.scenario.scaling_policies[p.policy].name;
                let note = format!(
                    "target tracking policy {name} {} waits: it scales in only when every target-tracking policy's low alarm agrees",
                    p.rule
                );
                (p.alarm, note)
            })
            .collect();
        round.notes.extend(notes);
    }
}
