//! What each dynamic policy would set desired capacity to, this minute: simple policies by
//! their adjustment behind the cooldown gate, step policies by the step their alarm's
//! datapoint falls in with warm-up accounting, target tracking by ⌈C × metric / target⌉.

use crate::cloudwatch::AlarmEvaluation;
use crate::cloudwatch::AlarmState;
use crate::cloudwatch::ComparisonOperator;
use crate::cloudwatch::describe::{formula_number, one_decimal};
use crate::policy::describe::{adjustment_text, bounds_text};
use crate::policy::{
    AdjustmentType, PolicyKind, SimpleOutcome, SimplePolicy, StepPolicy, TargetTrackingPolicy,
    adjusted_capacity, clamp_capacity, matching_step, target_capacity,
};
use crate::time::{Clock, MS_PER_MIN};

use super::{AlarmOwner, Note, Outcome, Proposal, Round, Scaling, Source, View};

impl Scaling {
    /// Gathers the proposals of the policies of user alarms in ALARM and of every
    /// target-tracking policy.
    pub fn gather(&mut self, v: &View<'_>, evals: &[AlarmEvaluation]) -> Round {
        let mut round = Round::default();
        for (a, eval) in evals.iter().enumerate() {
            if self.owners[a] != AlarmOwner::User || eval.state != AlarmState::Alarm {
                continue;
            }
            for &p in &v.watch.alarm(a).config.alarm_actions {
                self.propose_for_alarm(v, (p, a), eval, &mut round);
            }
        }
        for (p, policy) in v.policies.iter().enumerate() {
            if let PolicyKind::TargetTracking(tt) = &policy.kind {
                self.propose_target_tracking(v, p, tt, evals, &mut round);
            }
        }
        round
    }

    fn propose_for_alarm(
        &mut self,
        v: &View<'_>,
        (p, a): (usize, usize),
        eval: &AlarmEvaluation,
        round: &mut Round,
    ) {
        let policy = &v.policies[p];
        let first_minute = eval.previous != eval.state;
        if !policy.enabled {
            if first_minute {
                let text = format!("policy {} is disabled", policy.name);
                round.note((a, Some(p)), (None, Outcome::PolicyDisabled), text);
            }
            return;
        }
        match &policy.kind {
            // Held back (cooldown, at a bound, warming up): told every minute when narrating,
            // then only when the reason changes (`drop_repeated_holds`).
            PolicyKind::Simple(simple) => {
                let tell = first_minute || self.narrate;
                self.propose_simple(v, (p, a), simple, tell, round)
            }
            PolicyKind::Step(step) => {
                let tell = (first_minute, first_minute || self.narrate);
                self.propose_step(v, (p, a), step, eval, tell, round)
            }
            // Alarms cannot name these: their alarms are managed (the parser rejects it).
            PolicyKind::TargetTracking(_) | PolicyKind::Predictive(_) => {}
        }
    }

    fn propose_simple(
        &mut self,
        v: &View<'_>,
        (p, a): (usize, usize),
        simple: &SimplePolicy,
        tell_held: bool,
        round: &mut Round,
    ) {
        let name = &v.policies[p].name;
        let adjustment = || {
            adjustment_text(
                simple.adjustment_type,
                simple.scaling_adjustment,
                simple.min_adjustment_magnitude,
            )
        };
        let (proposed, outcome, note) = match self.simple_gate.check(v.now_ms) {
            SimpleOutcome::Ready => {
                let before = v.group.desired;
                let wanted = adjusted_capacity(
                    before,
                    simple.adjustment_type,
                    simple.scaling_adjustment,
                    simple.min_adjustment_magnitude,
                );
                let capacity = clamp_capacity(wanted, v.group.min_size, v.group.max_size);
                if capacity != before {
                    round.proposals.push(Proposal {
                        policy: p,
                        alarm: a,
                        capacity,
                        rule: adjustment(),
                        source: Source::Simple,
                        base: before,
                        metric: None,
                    });
                    return;
                }
                round.holds = Some(p);
                if !tell_held {
                    return;
                }
                let bound = if wanted > i64::from(before) {
                    "max_size"
                } else {
                    "min_size"
                };
                let text = format!(
                    "policy {name} {}: desired stays {before} (at {bound})",
                    adjustment()
                );
                (Some(capacity), Outcome::AtBound, text)
            }
            _ if !tell_held => return,
            SimpleOutcome::ActivityInProgress => {
                let text = format!("policy {name} waits: its last activity is still in progress");
                (None, Outcome::ActivityInProgress, text)
            }
            SimpleOutcome::Cooldown(until) => {
                let text = format!("policy {name} waits: cooldown until {}", Clock(until));
                (None, Outcome::Cooldown(until), text)
            }
        };
        round.note((a, Some(p)), (proposed, outcome), note);
    }

    /// The alarm's newest datapoint aggregated as the step policy asks, and whether breaches
    /// of that alarm lie above its threshold.
    fn step_metric(
        v: &View<'_>,
        step: &StepPolicy,
        a: usize,
        eval: &AlarmEvaluation,
    ) -> Option<(f64, bool)> {
        let config = &v.watch.alarm(a).config;
        let window = eval.newest_window?;
        let statistic = step.metric_aggregation_type;
        let value = v.watch.datapoint_as(a, statistic, window, v.now_ms)?;
        let above = matches!(
            config.comparison_operator,
            ComparisonOperator::GreaterThanThreshold
                | ComparisonOperator::GreaterThanOrEqualToThreshold
        );
        Some((value, above))
    }

    /// Step scaling with warm-up accounting: a scale-out starts from the capacity that is not
    /// warming and applies only above the current desired capacity, so repeated breaches do
    /// not compound; a scale-in waits until nothing is warming and counts draining instances.
    fn propose_step(
        &mut self,
        v: &View<'_>,
        (p, a): (usize, usize),
        step: &StepPolicy,
        eval: &AlarmEvaluation,
        (first_minute, tell_held): (bool, bool),
        round: &mut Round,
    ) {
        let name = &v.policies[p].name;
        let Some((value, above)) = Self::step_metric(v, step, a, eval) else {
            return;
        };
        let diff = value - v.watch.alarm(a).config.threshold;
        let Some(matched) = matching_step(&step.step_adjustments, diff, above) else {
            if first_minute {
                let note = format!("policy {name}: no step holds {}", one_decimal(diff));
                round.note((a, Some(p)), (None, Outcome::NoStep), note);
            }
            return;
        };
        let adj = matched.scaling_adjustment;
        let desired = v.group.desired;
        let exact = step.adjustment_type == AdjustmentType::ExactCapacity;
        let outward = if exact {
            adj > i64::from(desired)
        } else {
            adj > 0
        };
        let interval = || bounds_text(matched.lower_bound, matched.upper_bound, above);
        let adj_text = || adjustment_text(step.adjustment_type, adj, step.min_adjustment_magnitude);
        if !outward && (adj == 0 || (exact && adj == i64::from(desired))) {
            round.holds = Some(p); // a "no change" step: its result is desired itself
            return;
        }
        let Some(base) = self.step_base(v, p, outward) else {
            if tell_held {
                let note = format!(
                    "policy {name} step {} {}: scale-in waits while instances warm up",
                    interval(),
                    adj_text()
                );
                round.note((a, Some(p)), (None, Outcome::WarmingUp), note);
            }
            return;
        };
        let wanted = adjusted_capacity(
            base,
            step.adjustment_type,
            adj,
            step.min_adjustment_magnitude,
        );
        let capacity = clamp_capacity(wanted, v.group.min_size, v.group.max_size);
        let applies = if outward {
            capacity > desired
        } else {
            capacity < desired
        };
        if !applies {
            round.holds = Some(p);
        }
        // Explain a breach that changes nothing once per step interval, not every minute.
        let step_index = step
            .step_adjustments
            .iter()
            .position(|s| std::ptr::eq(s, matched));
        let new_interval = self.step_noted[p] != step_index;
        self.step_noted[p] = if applies { None } else { step_index };
        if !applies && !first_minute && !new_interval {
            return;
        }
        // On scale-in the base counts draining instances: say so, or the sum looks wrong.
        let draining = v.group.terminating;
        let base_text = if !outward && draining > 0 {
            format!("{base} ({draining} draining)")
        } else {
            base.to_string()
        };
        let rule = format!(
            "step {} {} of {base_text} = {capacity}",
            interval(),
            adj_text()
        );
        let proposal = Proposal {
            policy: p,
            alarm: a,
            capacity,
            rule,
            source: Source::Step,
            base,
            metric: Some(value),
        };
        if applies {
            round.proposals.push(proposal);
        } else {
            let why = if outward { "not above" } else { "not below" };
            let text = format!(
                "policy {name} {}: {why} desired {desired}, no change",
                proposal.rule
            );
            round
                .notes
                .push(Note::of(&proposal, Outcome::NoChange, text));
        }
    }

    /// The capacity a step adjustment starts from: on scale-out the instances not warming up;
    /// on scale-in every instance still running, draining ones included, or `None` while
    /// anything warms up (policy scale-in waits for warm-up).
    fn step_base(&mut self, v: &View<'_>, p: usize, outward: bool) -> Option<u32> {
        let warmup = self.policy_warmups[p];
        if outward {
            Some(self.warmup.non_warming_capacity(v.group, v.now_ms, warmup))
        } else if self.warmup.anything_warming(v.group, v.now_ms, warmup) {
            None
        } else {
            Some(v.group.active_count() + v.group.terminating)
        }
    }

    fn propose_target_tracking(
        &mut self,
        v: &View<'_>,
        p: usize,
        tt: &TargetTrackingPolicy,
        evals: &[AlarmEvaluation],
        round: &mut Round,
    ) {
        if !v.policies[p].enabled {
            return;
        }
        let Some((high, low)) = self.tt_alarms[p] else {
            return;
        };
        let warmup = self.policy_warmups[p];
        let target = tt.target_value;
        let desired = v.group.desired;
        let name = &v.policies[p].name;
        // Said once, the minute the alarm goes into ALARM, when the policy does nothing.
        let first = |a: usize| evals[a].previous != evals[a].state;
        let (a, source) = if evals[high].state == AlarmState::Alarm {
            (high, Source::TargetTrackingOut)
        } else if evals[low].state == AlarmState::Alarm && tt.disable_scale_in {
            if first(low) {
                let note =
                    format!("target tracking policy {name} does not scale in (disable_scale_in)");
                round.note((low, Some(p)), (None, Outcome::ScaleInDisabled), note);
            }
            return;
        } else if evals[low].state == AlarmState::Alarm {
            // A scale-in waits until the last change has completed (nothing launching,
            // warming or draining) and the low alarm has seen only data measured after it.
            let settling =
                v.group.terminating > 0 || self.warmup.anything_warming(v.group, v.now_ms, warmup);
            if settling || !low_window_is_fresh(v, low) {
                if first(low) {
                    let (outcome, why) = if settling {
                        (
                            Outcome::Settling,
                            "instances are launching, warming up or draining",
                        )
                    } else {
                        (
                            Outcome::StaleData,
                            "its low alarm has not yet seen 15 datapoints measured after the last change",
                        )
                    };
                    let note = format!("target tracking policy {name} waits: {why}");
                    round.note((low, Some(p)), (None, outcome), note);
                }
                return;
            }
            (low, Source::TargetTrackingIn)
        } else {
            return;
        };
        let Some(metric) = evals[a].newest_value else {
            return;
        };
        let c = self.warmup.non_warming_capacity(v.group, v.now_ms, warmup);
        let Some(r) = target_capacity(c, metric, target) else {
            return;
        };
        let capacity = clamp_capacity(r, v.group.min_size, v.group.max_size);
        let applies = match source {
            Source::TargetTrackingOut => capacity > desired,
            _ => capacity < desired,
        };
        // Sentences only when they are used: this runs every minute an alarm is in ALARM.
        if !(applies || (first(a) && v.explain)) {
            return;
        }
        let shown = formula_number(v.watch.alarm(a).config.metric_name, metric);
        let proposal = Proposal {
            policy: p,
            alarm: a,
            capacity,
            rule: format!("⌈{c} × {shown} / {target}⌉ = {r}"),
            source,
            base: c,
            metric: Some(metric),
        };
        if applies {
            round.proposals.push(proposal);
        } else {
            let why = match source {
                Source::TargetTrackingOut => "not above",
                _ => "not below",
            };
            let warming = v.group.in_service - c;
            let left_out = if warming > 0 {
                format!(" ({warming} warming left out)")
            } else {
                String::new()
            };
            let note = format!(
                "target tracking policy {name} {}{left_out}: {why} desired {desired}, no change",
                proposal.rule
            );
            round
                .notes
                .push(Note::of(&proposal, Outcome::NoChange, note));
        }
    }
}

/// \[model\] After a capacity change completes, target tracking does not scale in until every
/// datapoint of its low alarm was measured after the change (a target-tracking scale-in never acts on readings taken before the change it follows).
fn low_window_is_fresh(v: &View<'_>, low: usize) -> bool {
    let config = &v.watch.alarm(low).config;
    let window = u64::from(config.evaluation_periods) * config.period_ms.max(MS_PER_MIN);
    // The newest published datapoint ends on its own grid (5 minutes for EC2 metrics under
    // basic monitoring), not at now − delay: the window's N datapoints reach back from it.
    let newest_end = v.watch.published_through_ms(config.metric_name, v.now_ms);
    let measured_from = newest_end.saturating_sub(window);
    v.group.last_capacity_change_ms <= measured_from
}
