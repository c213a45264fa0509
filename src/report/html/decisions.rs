//! The decisions of a run and their `--explain` sentences, linked both ways.
//!
//! A decision is a change of desired capacity (as `scale_out_activities` and
//! `scale_in_activities` count them): the activities of one decision share its time, cause
//! and desired capacities before and after, and come one after another, so consecutive
//! activities that agree on those four are one decision. Decisions are numbered from 1 in
//! time order (`data-decision="N"` in the page). Its sentence is the `--explain` sentence at
//! the same time that says `desired B → A`; a decision without one is shown with its cause.

use crate::records::{Activity, Decision as PolicyDecision, DecisionSource, Explanation, Outcome};
use crate::time::SimTime;

/// Most decisions a report keeps (a decade of minute-by-minute flapping); more are counted.
pub(super) const MAX_DECISIONS: usize = 50_000;
/// Bytes of sentences a report keeps beyond those of decisions; more are counted.
pub(super) const SENTENCE_BUDGET: usize = 400_000;

/// One decision.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Decision {
    pub(super) time_ms: SimTime,
    pub(super) desired_before: u32,
    pub(super) desired_after: u32,
    pub(super) source: DecisionSource,
    /// The cause of its activities, shown when no sentence says it.
    pub(super) cause: String,
}

/// One sentence of the list, with the decision it tells (numbered from 1) if any.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Sentence {
    pub(super) time_ms: SimTime,
    pub(super) text: String,
    pub(super) decision: Option<usize>,
}

/// Collects decisions and sentences as a run goes.
#[derive(Debug, Default)]
pub(super) struct DecisionLog {
    /// The scaling policies by name, with their kind.
    policies: Vec<(String, DecisionSource)>,
    decisions: Vec<Decision>,
    /// Decisions past [`MAX_DECISIONS`].
    decisions_omitted: usize,
    sentences: Vec<Explanation>,
    sentence_bytes: usize,
    /// Sentences past [`SENTENCE_BUDGET`].
    pub(super) sentences_omitted: usize,
    /// The activity that started the last decision: (time, cause, before, after).
    last: Option<(SimTime, String, u32, u32)>,
    /// The policies whose proposals were applied, with their times, from the run's decision
    /// records (a minute's record comes after the activities it caused).
    applied: Vec<(SimTime, String)>,
}

impl DecisionLog {
    /// An empty log of a run whose scaling policies are `policies` (name and kind).
    pub(super) fn new(policies: Vec<(String, DecisionSource)>) -> Self {
        Self {
            policies,
            ..Self::default()
        }
    }

    /// One scaling policy's decision record (in time order): an applied one names the
    /// policy behind the activities of its minute.
    pub(super) fn push_decision(&mut self, decision: &PolicyDecision) {
        if decision.outcome == Outcome::Applied && self.applied.len() < MAX_DECISIONS {
            self.applied
                .push((decision.time_ms, decision.policy.clone()));
        }
    }

    /// One activity (in time order).
    pub(super) fn push_activity(&mut self, activity: &Activity) {
        if activity.desired_after == activity.desired_before {
            return;
        }
        let same = self.last.as_ref().is_some_and(|(t, cause, before, after)| {
            *t == activity.time_ms
                && *before == activity.desired_before
                && *after == activity.desired_after
                && *cause == activity.cause
        });
        if same {
            return;
        }
        self.last = Some((
            activity.time_ms,
            activity.cause.clone(),
            activity.desired_before,
            activity.desired_after,
        ));
        if self.decisions.len() >= MAX_DECISIONS {
            self.decisions_omitted += 1;
            return;
        }
        self.decisions.push(Decision {
            time_ms: activity.time_ms,
            desired_before: activity.desired_before,
            desired_after: activity.desired_after,
            source: source_of(&activity.cause, &self.policies),
            cause: activity.cause.clone(),
        });
    }

    /// One `--explain` sentence (in time order). Sentences that tell a change of desired
    /// capacity are always kept; others while they fit [`SENTENCE_BUDGET`].
    pub(super) fn push_sentence(&mut self, explanation: Explanation) {
        let tells_a_decision =
            explanation.text.contains("desired ") && explanation.text.contains(" → ");
        if !tells_a_decision {
            if self.sentence_bytes + explanation.text.len() > SENTENCE_BUDGET {
                self.sentences_omitted += 1;
                return;
            }
            self.sentence_bytes += explanation.text.len();
        }
        self.sentences.push(explanation);
    }

    /// The decisions (numbered from 1 by their position) and the sentences in time order,
    /// each decision linked to one sentence; decisions past the cap are counted in the second
    /// value.
    pub(super) fn finish(mut self) -> (Vec<Decision>, Vec<Sentence>, usize) {
        self.sources_from_records();
        let mut sentences: Vec<Sentence> = self
            .sentences
            .into_iter()
            .map(|e| Sentence {
                time_ms: e.time_ms,
                text: e.text,
                decision: None,
            })
            .collect();
        let mut unlinked = Vec::new();
        for (index, decision) in self.decisions.iter().enumerate() {
            match find_sentence(&sentences, decision) {
                Some(s) => sentences[s].decision = Some(index + 1),
                None => unlinked.push(Sentence {
                    time_ms: decision.time_ms,
                    text: decision.cause.clone(),
                    decision: Some(index + 1),
                }),
            }
        }
        if !unlinked.is_empty() {
            sentences.extend(unlinked);
            // Stable: sentences keep their order within a time, causes after them.
            sentences.sort_by_key(|s| s.time_ms);
        }
        (self.decisions, sentences, self.decisions_omitted)
    }
}

/// The sentence of `decision`: not yet linked, at its time, saying `desired B → A` (or, failing
/// that, naming a change of desired capacity).
fn find_sentence(sentences: &[Sentence], decision: &Decision) -> Option<usize> {
    let start = sentences.partition_point(|s| s.time_ms < decision.time_ms);
    let at_time = sentences[start..]
        .iter()
        .take_while(|s| s.time_ms == decision.time_ms)
        .enumerate()
        .filter(|(_, s)| s.decision.is_none());
    let change = format!(
        "desired {} → {}",
        decision.desired_before, decision.desired_after
    );
    let mut fallback = None;
    for (offset, sentence) in at_time {
        if sentence.text.contains(&change) {
            return Some(start + offset);
        }
        if fallback.is_none() && sentence.text.contains("desired") {
            fallback = Some(start + offset);
        }
    }
    fallback
}

impl DecisionLog {
    /// Each decision's source from the policy of the decision record applied at its time
    /// whose name its cause gives (the cause's own reading stays when there is none).
    fn sources_from_records(&mut self) {
        let mut applied = std::mem::take(&mut self.applied);
        applied.sort_by_key(|(t, _)| *t);
        for decision in &mut self.decisions {
            let start = applied.partition_point(|(t, _)| *t < decision.time_ms);
            let recorded = applied[start..]
                .iter()
                .take_while(|(t, _)| *t == decision.time_ms)
                .find(|(_, policy)| decision.cause.contains(&format!("policy {policy} ")));
            let kind = recorded
                .and_then(|(_, policy)| self.policies.iter().find(|(name, _)| name == policy));
            if let Some((_, source)) = kind {
                decision.source = *source;
            }
        }
    }
}

/// What decided a change, read from its cause.
///
/// A stopgap until activities carry a [`DecisionSource`] of their own: the cause names a
/// scheduled action or the predictive forecast, or the policy an alarm triggered (`triggered
/// policy NAME changing …`), whose kind the scenario gives.
pub(super) fn source_of(cause: &str, policies: &[(String, DecisionSource)]) -> DecisionSource {
    if cause.contains("scheduled action") {
        return DecisionSource::Scheduled;
    }
    if cause.contains("predictive policy") {
        return DecisionSource::Predictive;
    }
    let named = cause
        .split_once("triggered policy ")
        .and_then(|(_, rest)| rest.split_once(" changing").map(|(name, _)| name));
    named
        .and_then(|name| policies.iter().find(|(n, _)| n == name))
        .map_or(DecisionSource::Other, |(_, source)| *source)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{ActivityKind, ActivityOrigin};

    fn activity(time_s: u64, before: u32, after: u32, cause: &str, id: &str) -> Activity {
        Activity {
            time_ms: time_s * 1_000,
            kind: ActivityKind::Launch,
            origin: ActivityOrigin::Scaling,
            cause: cause.into(),
            desired_before: before,
            desired_after: after,
            instance_id: Some(id.into()),
            az: None,
            description: String::new(),
        }
    }

    fn sentence(time_s: u64, text: &str) -> Explanation {
        Explanation {
            time_ms: time_s * 1_000,
            text: text.into(),
        }
    }

    #[test]
    fn one_decision_per_change_linked_to_its_sentence() {
        let policies = vec![("out".to_string(), DecisionSource::StepScaling)];
        let mut log = DecisionLog::new(policies);
        let cause = "At 00:01:00 alarm A in state ALARM triggered policy out changing the desired capacity from 2 to 4.";
        log.push_sentence(sentence(60, "A → OK: nothing"));
        log.push_sentence(sentence(
            60,
            "A → ALARM: policy out +2: desired 2 → 4 (launching …)",
        ));
        log.push_activity(&activity(60, 2, 4, cause, "i-1"));
        log.push_activity(&activity(60, 2, 4, cause, "i-2"));
        // A replacement: desired stays, no decision.
        log.push_activity(&activity(90, 4, 4, "health", "i-3"));
        log.push_activity(&activity(
            120,
            4,
            3,
            "At 00:02:00 scheduled action night set …",
            "i-4",
        ));
        let (decisions, sentences, omitted) = log.finish();
        assert_eq!(omitted, 0);
        assert_eq!(decisions.len(), 2);
        assert_eq!(decisions[0].source, DecisionSource::StepScaling);
        assert_eq!(decisions[1].source, DecisionSource::Scheduled);
        let linked: Vec<(u64, Option<usize>)> = sentences
            .iter()
            .map(|s| (s.time_ms / 1_000, s.decision))
            .collect();
        assert_eq!(linked, [(60, None), (60, Some(1)), (120, Some(2))]);
        assert!(
            sentences[2]
                .text
                .starts_with("At 00:02:00 scheduled action"),
            "the cause stands in"
        );
    }

    /// The decision record applied at a change's time names its policy, whose kind the
    /// scenario gives; a record of another time or outcome changes nothing.
    #[test]
    fn sources_come_from_the_applied_decision_records() {
        let policies = vec![("out".to_string(), DecisionSource::StepScaling)];
        let mut log = DecisionLog::new(policies);
        // A cause the stopgap reading cannot place (no "triggered policy … changing").
        let cause = "At 00:01:00 policy out raised desired capacity from 2 to 4.";
        log.push_activity(&activity(60, 2, 4, cause, "i-1"));
        log.push_activity(&activity(180, 4, 6, cause, "i-2"));
        let record = |time_s: u64, outcome| PolicyDecision {
            time_ms: time_s * 1_000,
            policy: "out".into(),
            alarm: "A".into(),
            desired_before: 2,
            proposed: Some(4),
            base_capacity: Some(2),
            metric_value: None,
            outcome,
        };
        log.push_decision(&record(60, Outcome::Applied));
        log.push_decision(&record(180, Outcome::NoChange));
        let (decisions, _, _) = log.finish();
        let sources: Vec<DecisionSource> = decisions.iter().map(|d| d.source).collect();
        assert_eq!(
            sources,
            [DecisionSource::StepScaling, DecisionSource::Other]
        );
    }

    #[test]
    fn sources_come_from_the_cause() {
        let policies = vec![("cpu50".to_string(), DecisionSource::TargetTracking)];
        let of = |cause: &str| source_of(cause, &policies);
        assert_eq!(
            of(
                "At 07:05:00 alarm TargetTracking-cpu50-AlarmHigh in state ALARM (x) triggered policy cpu50 changing the desired capacity from 2 to 3."
            ),
            DecisionSource::TargetTracking
        );
        assert_eq!(
            of(
                "At d1 07:50:00 predictive policy forecast raised the desired capacity from 3 to 12"
            ),
            DecisionSource::Predictive
        );
        assert_eq!(of("a user request"), DecisionSource::Other);
    }
}
