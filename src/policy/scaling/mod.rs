//! Dynamic scaling: every minute each alarm in ALARM invokes its policies again (CloudWatch UG:
//! AlarmThatSendsEmail, "Auto Scaling actions are re-invoked once per minute"), each policy
//! proposes a desired capacity, and the largest resulting capacity wins (UG:
//! as-scale-based-on-demand, "multiple dynamic scaling policies"). This component owns what
//! that needs: which alarm belongs to which policy, each policy's warm-up, the simple policies'
//! cooldown gate, and what was already said, plus the scheduled actions and the predictive
//! policy. The run applies the winning proposal.

mod gates;
pub use gates::blocking_process;
mod propose;

use crate::asg::{Group, GroupConfig};
use crate::cloudwatch::{AlarmConfig, CloudWatch, Monitoring, WatchedAlarm};
use crate::time::{SimDuration, SimTime};

use super::predictive_state::Predictive;
use super::scheduled::Schedules;
use super::simple::SimpleGate;
use super::target_tracking::managed_alarms;
use super::warmup::{Warmup, metric_warmup_ms, policy_warmup_ms};
use super::{PolicyConfig, PolicyKind};

/// Who an alarm belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlarmOwner {
    /// A scenario alarm; its actions name policies.
    User,
    /// The high alarm of target-tracking policy `.0`.
    TargetTrackingHigh(usize),
    /// The low alarm of target-tracking policy `.0`.
    TargetTrackingLow(usize),
}

/// The alarms of a run: the scenario's own, then the two AWS manages for each
/// target-tracking policy, with their owners. A scenario alarm's EC2 metric leaves warming
/// instances out when it invokes a step policy (UG: as-scaling-simple-step).
pub fn run_alarms(
    alarms: &[AlarmConfig],
    policies: &[PolicyConfig],
    monitoring: &Monitoring,
) -> Vec<(WatchedAlarm, AlarmOwner)> {
    let invokes_step = |c: &AlarmConfig| {
        c.alarm_actions
            .iter()
            .any(|p| matches!(policies[*p].kind, PolicyKind::Step(_)))
    };
    let mut run: Vec<(WatchedAlarm, AlarmOwner)> = alarms
        .iter()
        .map(|config| {
            let exclude_warming = config.metric_name.is_ec2() && invokes_step(config);
            let watched = WatchedAlarm {
                config: config.clone(),
                exclude_warming,
            };
            (watched, AlarmOwner::User)
        })
        .collect();
    for (p, policy) in policies.iter().enumerate() {
        let PolicyKind::TargetTracking(tt) = &policy.kind else {
            continue;
        };
        let mut managed = managed_alarms(&policy.name, tt, monitoring).into_iter();
        if let (Some(high), Some(low)) = (managed.next(), managed.next()) {
            run.push((high, AlarmOwner::TargetTrackingHigh(p)));
            run.push((low, AlarmOwner::TargetTrackingLow(p)));
        }
    }
    run
}

/// Which rules a proposal came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
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
pub struct Proposal {
    /// Index of the policy.
    pub policy: usize,
    /// Index of the alarm that triggered it.
    pub alarm: usize,
    /// The desired capacity it asks for, clamped \[instances\].
    pub capacity: u32,
    /// The rule, in words: `+2`, `step [10, 20) +10% of 10 = +1`, `⌈4 × 75% / 50⌉ = 6`.
    pub rule: String,
    /// Its kind.
    pub source: Source,
    /// The capacity the rule started from: desired for a simple policy, the instances past
    /// warm-up for a step scale-out or target tracking \[instances\].
    pub base: u32,
    /// The metric value the rule read, if it reads one.
    pub metric: Option<f64>,
}

/// What became of one policy's invocation in one minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Its capacity was applied.
    Applied,
    /// Its rule's result is not above (not below) desired capacity: nothing to do.
    NoChange,
    /// A simple policy's result, clamped to min_size or max_size, is desired itself.
    AtBound,
    /// Another policy's larger resulting capacity won (UG: as-scale-based-on-demand).
    Lost,
    /// Another policy invoked this minute keeps desired capacity, and the larger wins.
    HeldByPolicy,
    /// The predictive forecast for this hour holds desired at this capacity \[instances\].
    HeldByForecast(u32),
    /// A process it needs is suspended (Launch, Terminate or AlarmNotification).
    Suspended(crate::asg::ScalingProcess),
    /// A simple policy's cooldown runs until then \[ms\].
    Cooldown(SimTime),
    /// A simple policy's last activity is still launching or terminating instances.
    ActivityInProgress,
    /// A scale-in waits while instances warm up.
    WarmingUp,
    /// A target-tracking scale-in waits while instances launch, warm up or drain.
    Settling,
    /// A target-tracking scale-in waits until its low alarm has seen only data measured
    /// after the last change.
    StaleData,
    /// A target-tracking scale-in waits for every target-tracking policy to agree.
    AwaitingAgreement,
    /// The target-tracking policy has DisableScaleIn.
    ScaleInDisabled,
    /// The policy is disabled.
    PolicyDisabled,
    /// No step interval holds the metric.
    NoStep,
}

/// A policy's invocation that changed nothing, or changed desired capacity: what `--explain`
/// says of it, and what tools and tests read.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The alarm that invoked it.
    pub alarm: usize,
    /// The policy, when the note is about one.
    pub policy: Option<usize>,
    /// The capacity its rule gave, clamped, if it computed one \[instances\].
    pub proposed: Option<u32>,
    /// What became of it.
    pub outcome: Outcome,
    /// The capacity its rule started from, if it computed one \[instances\].
    pub base: Option<u32>,
    /// The metric value its rule read, if it read one.
    pub metric: Option<f64>,
    /// The sentence, without the alarm's part.
    pub text: String,
}

impl Note {
    /// A note about what became of `proposal`.
    pub fn of(proposal: &Proposal, outcome: Outcome, text: String) -> Self {
        Self {
            alarm: proposal.alarm,
            policy: Some(proposal.policy),
            proposed: Some(proposal.capacity),
            outcome,
            base: Some(proposal.base),
            metric: proposal.metric,
            text,
        }
    }
}

/// Proposals and the notes that explain why other policies proposed nothing.
#[derive(Debug, Default)]
pub struct Round {
    /// What the invoked policies ask for.
    pub proposals: Vec<Proposal>,
    /// Notes, for `--explain` and decision records.
    pub notes: Vec<Note>,
    /// A policy invoked this minute whose result is the current desired capacity (policy
    /// index): it outweighs any scale-in, as the largest resulting capacity wins.
    pub holds: Option<usize>,
    /// Whether every target-tracking policy that may scale in proposes a scale-in.
    pub tt_agree: bool,
}

impl Round {
    /// Adds a note about `policy`, invoked by `alarm`.
    pub fn note(
        &mut self,
        (alarm, policy): (usize, Option<usize>),
        (proposed, outcome): (Option<u32>, Outcome),
        text: String,
    ) {
        self.notes.push(Note {
            alarm,
            policy,
            proposed,
            outcome,
            base: None,
            metric: None,
            text,
        });
    }
}

/// What the scaling rules read of the run at the minute tick.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// Now \[ms\].
    pub now_ms: SimTime,
    /// The group.
    pub group: &'a Group,
    /// CloudWatch, for the datapoints step policies match.
    pub watch: &'a CloudWatch,
    /// The scaling policies, in scenario order.
    pub policies: &'a [PolicyConfig],
    /// Whether sentences are kept (`--explain`): notes are built only then, as sweeps run
    /// millions of these minutes.
    pub explain: bool,
}

/// The policies' state over a run.
#[derive(Debug)]
pub struct Scaling {
    /// Per alarm: who it belongs to.
    owners: Vec<AlarmOwner>,
    /// Per policy: its managed (high, low) alarm indices, for target tracking.
    tt_alarms: Vec<Option<(usize, usize)>>,
    /// Target-tracking policies that may scale in: all must agree \[policies\].
    tt_scale_in_policies: usize,
    /// Per policy: its warm-up, 0 for simple and predictive ones \[ms\].
    policy_warmups: Vec<SimDuration>,
    /// Instance warm-up accounting.
    pub warmup: Warmup,
    /// Per step policy: the step whose "no change" was last explained.
    step_noted: Vec<Option<usize>>,
    /// The (policy, capacity) last explained as not applied (held, or blocked by a suspended
    /// process): said once, not every minute.
    unapplied_noted: Option<(usize, u32)>,
    /// The group-level gate of simple policies.
    pub simple_gate: SimpleGate,
    /// The scheduled actions.
    pub scheduled: Schedules,
    /// The predictive policy, if any.
    pub predictive: Predictive,
    /// Whether the run keeps sentences or records: a policy held back while its alarm stays
    /// in ALARM is then told again whenever the reason changes, not only in the alarm's first
    /// minute (sweeps skip the words).
    pub narrate: bool,
    /// Per (alarm, policy) whose alarm is in ALARM: the reason it was last told it is held
    /// back (cooldown, activity in progress, at a bound, warming up).
    held_told: Vec<(usize, usize, Outcome)>,
}

impl Scaling {
    /// The state of `policies` in `group`, whose alarms have `owners` (from [`run_alarms`]).
    pub fn new(
        group: &GroupConfig,
        policies: &[PolicyConfig],
        owners: Vec<AlarmOwner>,
        (scheduled, predictive): (Schedules, Predictive),
    ) -> Self {
        let mut tt_alarms = vec![None; policies.len()];
        for (i, owner) in owners.iter().enumerate() {
            if let AlarmOwner::TargetTrackingHigh(p) = owner {
                tt_alarms[*p] = Some((i, i + 1));
            }
        }
        let may_scale_in = |p: &&PolicyConfig| match &p.kind {
            PolicyKind::TargetTracking(tt) => p.enabled && !tt.disable_scale_in,
            _ => false,
        };
        let policy_warmups: Vec<SimDuration> = policies
            .iter()
            .map(|p| policy_warmup_ms(group, &p.kind).unwrap_or(0))
            .collect();
        let longest = policy_warmups.iter().copied().max().unwrap_or(0);
        Self {
            owners,
            tt_alarms,
            tt_scale_in_policies: policies.iter().filter(may_scale_in).count(),
            warmup: Warmup::new(metric_warmup_ms(group, policies), longest),
            policy_warmups,
            step_noted: vec![None; policies.len()],
            unapplied_noted: None,
            simple_gate: SimpleGate::default(),
            scheduled,
            predictive,
            narrate: false,
            held_told: Vec::new(),
        }
    }

    /// Whether a target-tracking policy is in the run: it is invoked every minute, in ALARM or
    /// not, to see whether its managed alarms call for a change.
    pub fn tracks_targets(&self) -> bool {
        self.tt_alarms.iter().any(Option::is_some)
    }

    /// The warm-up of policy `p` \[ms\] (0 for simple and predictive policies).
    pub fn policy_warmup_ms(&self, p: usize) -> SimDuration {
        self.policy_warmups[p]
    }

    /// A proposal was applied: what was said about earlier ones no longer holds.
    pub fn applied(&mut self) {
        self.unapplied_noted = None;
    }

    /// The proposal that wins: the largest capacity above desired if any, else the largest
    /// below it; target-tracking scale-ins count only if every target-tracking policy that
    /// may scale in proposes one (UG: as-scaling-target-tracking, "multiple target tracking
    /// policies").
    pub fn winner(&self, desired: u32, round: &mut Round) -> Option<usize> {
        winner(desired, round, self.tt_scale_in_policies)
    }
}

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

#[cfg(test)]
mod tests;
