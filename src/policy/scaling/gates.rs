//! What stops the winning proposal of a minute: the predictive forecast's floor, a policy
//! that keeps desired (the largest resulting capacity wins: UG as-scale-based-on-demand), a
//! suspended Launch or Terminate (UG: as-suspend-resume-processes); and the notes that say
//! why nothing happened.

use crate::asg::ScalingProcess;
use crate::cloudwatch::{AlarmEvaluation, AlarmState};

use super::{AlarmOwner, Note, Outcome, Round, Scaling, Source, View};

/// The suspended process that blocks a change from `from` to `to` instances: Launch for a
/// scale-out, Terminate for a scale-in (alarms and schedules then change nothing in that
/// direction).
pub fn blocking_process(
    suspended: impl Fn(ScalingProcess) -> bool,
    from: u32,
    to: u32,
) -> Option<ScalingProcess> {
    let process = if to > from {
        ScalingProcess::Launch
    } else if to < from {
        ScalingProcess::Terminate
    } else {
        return None;
    };
    suspended(process).then_some(process)
}

impl Scaling {
    /// While an alarm stays in ALARM, a policy held back for the same reason is told once:
    /// drops the notes that repeat the reason last told for their alarm and policy (a new
    /// cooldown end counts as a new reason), and forgets what was told of alarms that left
    /// ALARM. Notes of other outcomes pass and end what was told (after a scale-out, its
    /// cooldown is told again).
    pub fn drop_repeated_holds(&mut self, evals: &[AlarmEvaluation], round: &mut Round) {
        let told = &mut self.held_told;
        // An alarm that has just entered ALARM starts afresh (the minutes out of ALARM may
        // not have come here at all).
        told.retain(|&(a, _, _)| {
            evals[a].state == AlarmState::Alarm && evals[a].previous == AlarmState::Alarm
        });
        round.notes.retain(|note| {
            let Some(p) = note.policy else {
                return true;
            };
            let held = matches!(
                note.outcome,
                Outcome::Cooldown(_)
                    | Outcome::ActivityInProgress
                    | Outcome::AtBound
                    | Outcome::WarmingUp
            );
            let entry = told.iter().position(|&(a, q, _)| a == note.alarm && q == p);
            match (held, entry) {
                (false, Some(i)) => {
                    told.swap_remove(i);
                    true
                }
                (false, None) => true,
                (true, Some(i)) if told[i].2 == note.outcome => false,
                (true, Some(i)) => {
                    told[i].2 = note.outcome;
                    true
                }
                (true, None) => {
                    told.push((note.alarm, p, note.outcome));
                    true
                }
            }
        });
    }

    /// A scale-in stops at the predictive policy's forecast for this hour: the larger
    /// capacity wins. False when nothing is left to apply.
    pub fn hold_for_forecast(&mut self, v: &View<'_>, w: usize, round: &mut Round) -> bool {
        let desired = v.group.desired;
        let proposal = &mut round.proposals[w];
        if proposal.capacity >= desired {
            return true;
        }
        let Some(floor) = self.predictive.scale_in_floor(v.now_ms) else {
            return true;
        };
        let floor = floor.clamp(v.group.min_size, v.group.max_size);
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
        if v.explain {
            let name = &v.policies[proposal.policy].name;
            let note = format!(
                "policy {name} {} not applied: the predictive forecast for this hour holds {floor}",
                proposal.rule
            );
            let note = Note::of(proposal, Outcome::HeldByForecast(floor), note);
            round.notes.push(note);
        }
        false
    }

    /// A scale-in loses to a policy invoked this minute whose result is desired itself: the
    /// largest resulting capacity wins, every minute the policies are invoked (UG: as-scale-based-on-demand, multiple dynamic scaling policies).
    pub fn not_held(&mut self, v: &View<'_>, w: usize, round: &mut Round) -> bool {
        let proposal = &round.proposals[w];
        let Some(holder) = round.holds else {
            return true;
        };
        if proposal.capacity >= v.group.desired {
            return true;
        }
        let key = (proposal.policy, proposal.capacity);
        if self.unapplied_noted != Some(key) && v.explain {
            let policies = v.policies;
            let note = format!(
                "policy {} {} not applied: policy {} keeps desired {}, and the largest resulting capacity wins",
                policies[proposal.policy].name,
                proposal.rule,
                policies[holder].name,
                v.group.desired
            );
            round
                .notes
                .push(Note::of(proposal, Outcome::HeldByPolicy, note));
        }
        self.unapplied_noted = Some(key);
        false
    }

    /// False, with a note the first minute, when Launch or Terminate is suspended.
    pub fn not_suspended(&mut self, v: &View<'_>, w: usize, round: &mut Round) -> bool {
        let proposal = &round.proposals[w];
        let suspended = |p| v.group.suspended(p);
        let Some(process) = blocking_process(suspended, v.group.desired, proposal.capacity) else {
            return true;
        };
        let key = (proposal.policy, proposal.capacity);
        if self.unapplied_noted != Some(key) && v.explain {
            let note = format!(
                "policy {} {} not applied: {} is suspended",
                v.policies[proposal.policy].name,
                proposal.rule,
                process.aws_name()
            );
            let note = Note::of(proposal, Outcome::Suspended(process), note);
            round.notes.push(note);
        }
        self.unapplied_noted = Some(key);
        false
    }

    /// While AlarmNotification is suspended no policy is invoked: said once, when an alarm
    /// that has actions goes into ALARM.
    pub fn note_not_invoked(&self, v: &View<'_>, evals: &[AlarmEvaluation]) -> Round {
        let mut round = Round::default();
        if !v.explain {
            return round;
        }
        for (a, eval) in evals.iter().enumerate() {
            let owned = self.owners[a] != AlarmOwner::User;
            let acts = owned || !v.watch.alarm(a).config.alarm_actions.is_empty();
            if acts && eval.state == AlarmState::Alarm && eval.previous != eval.state {
                let note = "no policy invoked: AlarmNotification is suspended".to_string();
                let outcome = Outcome::Suspended(ScalingProcess::AlarmNotification);
                round.note((a, None), (None, outcome), note);
            }
        }
        round
    }

    /// Target-tracking scale-ins that wait for the other target-tracking policies: said the
    /// minute their low alarm goes into ALARM.
    pub fn note_disagreement(&self, v: &View<'_>, evals: &[AlarmEvaluation], round: &mut Round) {
        if round.tt_agree {
            return;
        }
        let waiting = round.proposals.iter();
        let waiting = waiting.filter(|p| p.source == Source::TargetTrackingIn);
        let waiting = waiting.filter(|p| evals[p.alarm].previous != evals[p.alarm].state);
        let notes: Vec<Note> = waiting
            .map(|p| {
                let name = &v.policies[p.policy].name;
                let text = format!(
                    "target tracking policy {name} {} waits: it scales in only when every target-tracking policy's low alarm agrees",
                    p.rule
                );
                Note::of(p, Outcome::AwaitingAgreement, text)
            })
            .collect();
        round.notes.extend(notes);
    }
}
