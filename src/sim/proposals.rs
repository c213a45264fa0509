//! What each dynamic policy would set desired capacity to, this minute. The run then applies
//! the largest proposal (asg-semantics.md §3.4 "Several policies", §12.5).

use crate::cloudwatch::AlarmState;
use crate::cloudwatch::ComparisonOperator;
use crate::cloudwatch::{AlarmEvaluation, MetricQuery};
use crate::policy::{AdjustmentType, PolicyKind, SimplePolicy, StepPolicy, TargetTrackingPolicy};
use crate::policy::{
    SimpleOutcome, adjusted_capacity, clamp_capacity, matching_step, target_capacity,
};
use crate::records::Recorder;
use crate::time::{Clock, MS_PER_MIN};

use super::Simulation;
use super::alarms::AlarmOwner;
use super::explain::{adjustment_text, formula_number, one_decimal, signed};

/// Which rules a proposal came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    /// A simple policy (starts the cooldown gate if applied).
    Simple,
    /// A step policy.
    Step,
    /// A target-tracking scale-out.
    TargetTrackingOut,
    /// A target-tracking scale-in (needs every target-tracking policy to agree).
    TargetTrackingIn,
}

/// One policy's wish for this minute.
#[derive(Debug, Clone)]
pub(super) struct Proposal {
    /// Index of the policy.
    pub(super) policy: usize,
    /// Index of the alarm that triggered it.
    pub(super) alarm: usize,
    /// The desired capacity it asks for, clamped \[instances\].
    pub(super) capacity: u32,
    /// The rule, in words: `+2`, `step [10, 20) +10% of 10 = +1`, `⌈4 × 75% / 50⌉ = 6`.
    pub(super) rule: String,
    /// Its kind.
    pub(super) source: Source,
}

/// Proposals and the notes that explain why other policies proposed nothing.
#[derive(Debug, Default)]
pub(super) struct Round {
    pub(super) proposals: Vec<Proposal>,
    /// (alarm index, note) pairs.
    pub(super) notes: Vec<(usize, String)>,
    /// A policy invoked this minute whose result is the current desired capacity (policy
    /// index): it outweighs any scale-in, as the largest resulting capacity wins (§12.5).
    pub(super) holds: Option<usize>,
    /// Whether every target-tracking policy that may scale in proposes a scale-in.
    pub(super) tt_agree: bool,
}

fn bounds_text(lo: Option<f64>, hi: Option<f64>, above: bool) -> String {
    let lo = lo.map_or("−∞".to_string(), signed);
    let hi = hi.map_or("+∞".to_string(), signed);
    if above {
        format!("[{lo}, {hi})")
    } else {
        format!("({lo}, {hi}]")
    }
}

impl<R: Recorder> Simulation<'_, R> {
    /// Gathers the proposals of the policies of user alarms in ALARM and of every
    /// target-tracking policy.
    pub(super) fn gather_proposals(&mut self, evals: &[AlarmEvaluation]) -> Round {
        let mut round = Round::default();
        for (a, eval) in evals.iter().enumerate() {
            if self.alarm_defs[a].owner != AlarmOwner::User || eval.state != AlarmState::Alarm {
                continue;
            }
            for k in 0..self.alarm_defs[a].config.alarm_actions.len() {
                let p = self.alarm_defs[a].config.alarm_actions[k];
                self.propose_for_alarm(p, a, eval, &mut round);
            }
        }
        for p in 0..self.scenario.scaling_policies.len() {
            if let PolicyKind::TargetTracking(tt) = &self.scenario.scaling_policies[p].kind {
                self.propose_target_tracking(p, tt, evals, &mut round);
            }
        }
        round
    }

    fn propose_for_alarm(&mut self, p: usize, a: usize, eval: &AlarmEvaluation, round: &mut Round) {
        let policy = &self.scenario.scaling_policies[p];
        let first_minute = eval.previous != eval.state;
        if !policy.enabled {
            if first_minute {
                round
                    .notes
                    .push((a, format!("policy {} is disabled", policy.name)));
            }
            return;
        }
        match &policy.kind {
            PolicyKind::Simple(simple) => self.propose_simple(p, simple, a, first_minute, round),
            PolicyKind::Step(step) => self.propose_step(p, step, a, eval, first_minute, round),
            // Alarms cannot name these: their alarms are managed (the parser rejects it).
            PolicyKind::TargetTracking(_) | PolicyKind::Predictive(_) => {}
        }
    }

    fn propose_simple(
        &mut self,
        p: usize,
        simple: &SimplePolicy,
        a: usize,
        first_minute: bool,
        round: &mut Round,
    ) {
        let name = &self.scenario.scaling_policies[p].name;
        let adjustment = || {
            adjustment_text(
                simple.adjustment_type,
                simple.scaling_adjustment,
                simple.min_adjustment_magnitude,
            )
        };
        let note = match self.simple_gate.check(self.now_ms) {
            SimpleOutcome::Ready => {
                let before = self.group.desired;
                let wanted = adjusted_capacity(
                    before,
                    simple.adjustment_type,
                    simple.scaling_adjustment,
                    simple.min_adjustment_magnitude,
                );
                let capacity = clamp_capacity(wanted, self.group.min_size, self.group.max_size);
                if capacity != before {
                    let rule = adjustment();
                    let source = Source::Simple;
                    round.proposals.push(Proposal {
                        policy: p,
                        alarm: a,
                        capacity,
                        rule,
                        source,
                    });
                    return;
                }
                round.holds = Some(p);
                if !first_minute {
                    return;
                }
                let bound = if wanted > i64::from(before) {
                    "max_size"
                } else {
                    "min_size"
                };
                format!(
                    "policy {name} {}: desired stays {before} (at {bound})",
                    adjustment()
                )
            }
            _ if !first_minute => return,
            SimpleOutcome::ActivityInProgress => {
                format!("policy {name} waits: its last activity is still in progress")
            }
            SimpleOutcome::Cooldown(until) => {
                format!("policy {name} waits: cooldown until {}", Clock(until))
            }
        };
        round.notes.push((a, note));
    }

    /// The alarm's newest datapoint aggregated as the step policy asks, and whether breaches
    /// of that alarm lie above its threshold.
    fn step_metric(
        &self,
        step: &StepPolicy,
        a: usize,
        eval: &AlarmEvaluation,
    ) -> Option<(f64, bool)> {
        let config = &self.alarm_defs[a].config;
        let (start, end) = eval.newest_window?;
        let query = MetricQuery {
            metric: config.metric_name,
            statistic: step.metric_aggregation_type,
            exclude_warming: self.alarm_defs[a].exclude_warming,
        };
        let value = self
            .buckets
            .datapoint(query, start, end, self.now_ms, &self.units)?;
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
        p: usize,
        step: &StepPolicy,
        a: usize,
        eval: &AlarmEvaluation,
        first_minute: bool,
        round: &mut Round,
    ) {
        let name = &self.scenario.scaling_policies[p].name;
        let Some((value, above)) = self.step_metric(step, a, eval) else {
            return;
        };
        let diff = value - self.alarm_defs[a].config.threshold;
        let Some(matched) = matching_step(&step.step_adjustments, diff, above) else {
            if first_minute {
                let note = format!("policy {name}: no step holds {}", one_decimal(diff));
                round.notes.push((a, note));
            }
            return;
        };
        let adj = matched.scaling_adjustment;
        let desired = self.group.desired;
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
        let Some(base) = self.step_base(p, outward) else {
            if first_minute {
                let note = format!(
                    "policy {name} step {} {}: scale-in waits while instances warm up",
                    interval(),
                    adj_text()
                );
                round.notes.push((a, note));
            }
            return;
        };
        let wanted = adjusted_capacity(
            base,
            step.adjustment_type,
            adj,
            step.min_adjustment_magnitude,
        );
        let capacity = clamp_capacity(wanted, self.group.min_size, self.group.max_size);
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
        let draining = self.group.terminating;
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
        if applies {
            round.proposals.push(Proposal {
                policy: p,
                alarm: a,
                capacity,
                rule,
                source: Source::Step,
            });
        } else {
            let why = if outward { "not above" } else { "not below" };
            round.notes.push((
                a,
                format!("policy {name} {rule}: {why} desired {desired}, no change"),
            ));
        }
    }

    /// The capacity a step adjustment starts from: on scale-out the instances not warming up;
    /// on scale-in every instance still running, draining ones included, or `None` while
    /// anything warms up (policy scale-in waits for warm-up).
    fn step_base(&mut self, p: usize, outward: bool) -> Option<u32> {
        let warmup = self.policy_warmups[p];
        if outward {
            Some(self.non_warming_capacity(warmup))
        } else if self.anything_warming(warmup) {
            None
        } else {
            Some(self.group.active_count() + self.group.terminating)
        }
    }

    fn propose_target_tracking(
        &mut self,
        p: usize,
        tt: &TargetTrackingPolicy,
        evals: &[AlarmEvaluation],
        round: &mut Round,
    ) {
        if !self.scenario.scaling_policies[p].enabled {
            return;
        }
        let Some((high, low)) = self.tt_alarms[p] else {
            return;
        };
        let warmup = self.policy_warmups[p];
        let target = tt.target_value;
        let desired = self.group.desired;
        let name = &self.scenario.scaling_policies[p].name;
        // Said once, the minute the alarm goes into ALARM, when the policy does nothing.
        let first = |a: usize| evals[a].previous != evals[a].state;
        let (a, source) = if evals[high].state == AlarmState::Alarm {
            (high, Source::TargetTrackingOut)
        } else if evals[low].state == AlarmState::Alarm && tt.disable_scale_in {
            if first(low) {
                let note =
                    format!("target tracking policy {name} does not scale in (disable_scale_in)");
                round.notes.push((low, note));
            }
            return;
        } else if evals[low].state == AlarmState::Alarm {
            // A scale-in waits until the last change has completed (nothing launching,
            // warming or draining) and the low alarm has seen only data measured after it.
            let settling = self.group.terminating > 0 || self.anything_warming(warmup);
            if settling || !self.low_window_is_fresh(low) {
                if first(low) {
                    let why = if settling {
                        "instances are launching, warming up or draining"
                    } else {
                        "its low alarm has not yet seen 15 datapoints measured after the last change"
                    };
                    let note = format!("target tracking policy {name} waits: {why}");
                    round.notes.push((low, note));
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
        let c = self.non_warming_capacity(warmup);
        let Some(r) = target_capacity(c, metric, target) else {
            return;
        };
        let capacity = clamp_capacity(r, self.group.min_size, self.group.max_size);
        let applies = match source {
            Source::TargetTrackingOut => capacity > desired,
            _ => capacity < desired,
        };
        // Sentences only when they are used: this runs every minute an alarm is in ALARM.
        if !(applies || (first(a) && self.recorder.wants_explanations())) {
            return;
        }
        let shown = formula_number(self.alarm_defs[a].config.metric_name, metric);
        let rule = format!("⌈{c} × {shown} / {target}⌉ = {r}");
        if applies {
            round.proposals.push(Proposal {
                policy: p,
                alarm: a,
                capacity,
                rule,
                source,
            });
        } else {
            let why = match source {
                Source::TargetTrackingOut => "not above",
                _ => "not below",
            };
            let warming = self.group.in_service - c;
            let left_out = if warming > 0 {
                format!(" ({warming} warming left out)")
            } else {
                String::new()
            };
            let note = format!(
                "target tracking policy {name} {rule}{left_out}: {why} desired {desired}, no change"
            );
            round.notes.push((a, note));
        }
    }

    /// \[model\] After a capacity change completes, target tracking does not scale in until every
    /// datapoint of its low alarm was measured after the change (DESIGN.md).
    fn low_window_is_fresh(&self, low: usize) -> bool {
        let config = &self.alarm_defs[low].config;
        let window = u64::from(config.evaluation_periods) * config.period_ms.max(MS_PER_MIN);
        // The newest published datapoint ends on its own grid (5 minutes for EC2 metrics under
        // basic monitoring), not at now − delay: the window's N datapoints reach back from it.
        let newest_end = self
            .buckets
            .published_through_ms(config.metric_name, self.now_ms);
        let measured_from = newest_end.saturating_sub(window);
        self.last_capacity_change_ms <= measured_from
    }
}
