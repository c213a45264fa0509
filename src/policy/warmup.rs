//! Instance warm-up (UG: ec2-auto-scaling-default-instance-warmup; UG: as-scaling-simple-step,
//! "instance warmup"): a new InService instance stays out of aggregated EC2 metrics for the
//! group's metric warm-up, and out of the "current capacity" of step and target-tracking
//! policies for each policy's own warm-up; while a scale-out is warming, every policy scale-in
//! waits.

use std::collections::VecDeque;

use crate::asg::{Group, GroupConfig, LifecycleState};
use crate::engine::Scheduler;
use crate::time::{SimDuration, SimTime};

use super::{PolicyConfig, PolicyKind};

/// Warm-up of a step or target-tracking policy: EstimatedInstanceWarmup, else the group's
/// DefaultInstanceWarmup, else DefaultCooldown (API PutScalingPolicy,
/// EstimatedInstanceWarmup) \[ms\]; `None` for simple and predictive policies.
pub fn policy_warmup_ms(group: &GroupConfig, kind: &PolicyKind) -> Option<SimDuration> {
    let own = match kind {
        PolicyKind::Step(s) => s.estimated_instance_warmup_ms,
        PolicyKind::TargetTracking(t) => t.estimated_instance_warmup_ms,
        PolicyKind::Simple(_) | PolicyKind::Predictive(_) => return None,
    };
    Some(
        own.or(group.default_instance_warmup_ms)
            .unwrap_or(group.default_cooldown_ms),
    )
}

/// How long a new InService instance stays out of aggregated EC2 metrics: the group's
/// DefaultInstanceWarmup, else the shortest warm-up of its step and target-tracking policies,
/// else none \[model\] \[ms\].
pub fn metric_warmup_ms(group: &GroupConfig, policies: &[PolicyConfig]) -> SimDuration {
    if let Some(w) = group.default_instance_warmup_ms {
        return w;
    }
    policies
        .iter()
        .filter_map(|p| policy_warmup_ms(group, &p.kind))
        .min()
        .unwrap_or(0)
}

/// The metric warm-up of an instance ended (the event warm-up schedules; the instance's index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WarmupDone(pub usize);

/// Recently InService instances, oldest first, and the metric warm-up.
#[derive(Debug, Clone, Default)]
pub struct Warmup {
    /// How long an instance stays out of aggregated metrics \[ms\].
    metric_warmup_ms: SimDuration,
    /// The longest warm-up any policy uses \[ms\]: older entries are dropped.
    longest_ms: SimDuration,
    /// InService instances still inside the metric warm-up \[instances\].
    warming_in_service: u32,
    /// Indices of instances that became InService within `longest_ms`, in that order.
    recent: VecDeque<usize>,
}

impl Warmup {
    /// Warm-up with `metric_warmup_ms` out of metrics, for policies whose longest warm-up is
    /// `longest_policy_ms`.
    pub fn new(metric_warmup_ms: SimDuration, longest_policy_ms: SimDuration) -> Self {
        Self {
            metric_warmup_ms,
            longest_ms: longest_policy_ms.max(metric_warmup_ms),
            ..Self::default()
        }
    }

    /// InService instances still out of aggregated EC2 metrics \[instances\].
    pub fn warming_in_service(&self) -> u32 {
        self.warming_in_service
    }

    /// An instance just became InService at `now_ms`: it starts warming up.
    pub fn start(
        &mut self,
        group: &mut Group,
        (index, now_ms): (usize, SimTime),
        events: &mut impl Scheduler<WarmupDone>,
    ) {
        if self.longest_ms > 0 {
            // An instance back from the warm pool (ReuseOnScaleIn) warms up anew: once.
            if group.instances[index].first_in_service_ms != Some(now_ms) {
                self.recent.retain(|&i| i != index);
            }
            self.recent.push_back(index);
        }
        if self.metric_warmup_ms > 0 {
            self.warming_in_service += 1;
            group.instances[index].warming = true;
            events.schedule(now_ms + self.metric_warmup_ms, WarmupDone(index));
        }
    }

    /// The metric warm-up of an instance ended, or it stopped serving before it did.
    pub fn end(&mut self, group: &mut Group, index: usize) {
        let inst = &mut group.instances[index];
        if inst.warming {
            inst.warming = false;
            self.warming_in_service -= 1;
        }
    }

    /// InService instances past `warmup_ms` at `now_ms`: the "current capacity" of step
    /// scale-outs and target tracking \[instances\].
    pub fn non_warming_capacity(
        &mut self,
        group: &Group,
        now_ms: SimTime,
        warmup_ms: SimDuration,
    ) -> u32 {
        group.in_service - self.warming_count(group, now_ms, warmup_ms)
    }

    /// Whether any instance is launching or warming up, by this policy's warm-up or by the
    /// warm-up of the policy that launched it: either blocks policy scale-in ("while a
    /// scale-out is warming, all policy-driven scale-ins are blocked").
    pub fn anything_warming(
        &mut self,
        group: &Group,
        now_ms: SimTime,
        warmup_ms: SimDuration,
    ) -> bool {
        if group.pending > 0 {
            return true;
        }
        self.prune(group, now_ms);
        self.recent.iter().any(|&i| {
            let inst = &group.instances[i];
            let warmup = warmup_ms.max(inst.launch_warmup_ms);
            inst.state == LifecycleState::InService
                && inst.in_service_ms.is_some_and(|t| t + warmup > now_ms)
        })
    }

    /// Drops the instances past the longest warm-up from the front of `recent`.
    fn prune(&mut self, group: &Group, now_ms: SimTime) {
        let since = |i: usize| group.instances[i].in_service_ms.unwrap_or(SimTime::MAX);
        while let Some(front) = self.recent.front() {
            if since(*front).saturating_add(self.longest_ms) <= now_ms {
                self.recent.pop_front();
            } else {
                break;
            }
        }
    }

    fn warming_count(&mut self, group: &Group, now_ms: SimTime, warmup_ms: SimDuration) -> u32 {
        self.prune(group, now_ms);
        let since = |i: usize| group.instances[i].in_service_ms.unwrap_or(SimTime::MAX);
        self.recent
            .iter()
            .filter(|i| {
                group.instances[**i].state == LifecycleState::InService
                    && since(**i) + warmup_ms > now_ms
            })
            .count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A group of `n` instances InService at 0 with `warmup`, and `new` more InService at
    /// 60 s.
    fn group_with_new(
        n: u32,
        new: u32,
        warmup: &mut Warmup,
    ) -> (Group, Vec<(SimTime, WarmupDone)>) {
        let mut g = Group::new(0, 20, n + new, 1);
        let mut events = Vec::new();
        for k in 0..n + new {
            let at = if k < n { 0 } else { 60_000 };
            let i = g.launch(at, false);
            g.set_in_service(i, at);
            if k >= n {
                warmup.start(&mut g, (i, at), &mut events);
            }
        }
        (g, events)
    }

    /// UG2018 as-scaling-simple-step: with 1 instance warming, the current capacity of a
    /// step scale-out is the 10 that are not (the base of the warm-up example of UG: as-scaling-simple-step: 10 + 1 = 11, not 12).
    #[test]
    fn warming_instances_are_not_current_capacity() {
        let mut w = Warmup::new(300_000, 300_000);
        let (g, events) = group_with_new(10, 1, &mut w);
        assert_eq!(w.non_warming_capacity(&g, 120_000, 300_000), 10);
        assert_eq!(
            w.non_warming_capacity(&g, 360_000, 300_000),
            11,
            "warm after 5 min"
        );
        assert_eq!(w.warming_in_service(), 1);
        assert_eq!(events, [(360_000, WarmupDone(10))]);
    }

    /// UG ec2-auto-scaling-default-instance-warmup: while a scale-out is warming, policy
    /// scale-ins wait; a launch warm-up longer than the asking policy's own counts too.
    #[test]
    fn scale_in_waits_for_any_warm_up() {
        let mut w = Warmup::new(0, 600_000);
        let (mut g, _) = group_with_new(2, 1, &mut w);
        assert!(
            !w.anything_warming(&g, 120_000, 60_000),
            "past this policy's 60 s"
        );
        g.instances[2].launch_warmup_ms = 600_000;
        assert!(
            w.anything_warming(&g, 120_000, 60_000),
            "inside its launcher's 10 min"
        );
        assert!(!w.anything_warming(&g, 660_000, 60_000));
        g.launch(700_000, false);
        assert!(
            w.anything_warming(&g, 700_000, 60_000),
            "a Pending instance blocks"
        );
    }

    /// EstimatedInstanceWarmup, else DefaultInstanceWarmup, else DefaultCooldown.
    #[test]
    fn policy_warm_up_falls_back_to_the_group() {
        let group = GroupConfig {
            min_size: 1,
            max_size: 4,
            desired_capacity: 1,
            availability_zones: vec!["a".into()],
            default_cooldown_ms: 300_000,
            default_instance_warmup_ms: None,
            health_check_type: crate::asg::HealthCheckType::Ec2,
            health_check_grace_period_ms: 0,
            termination_policies: vec![],
            new_instances_protected_from_scale_in: false,
            max_instance_lifetime_ms: None,
            suspended_processes: vec![],
            instance_maintenance_policy: None,
        };
        let step = |own| {
            PolicyKind::Step(super::super::StepPolicy {
                adjustment_type: super::super::AdjustmentType::ChangeInCapacity,
                step_adjustments: vec![],
                min_adjustment_magnitude: None,
                metric_aggregation_type: crate::cloudwatch::Statistic::Average,
                estimated_instance_warmup_ms: own,
            })
        };
        assert_eq!(policy_warmup_ms(&group, &step(Some(60_000))), Some(60_000));
        assert_eq!(policy_warmup_ms(&group, &step(None)), Some(300_000));
        let with_default = GroupConfig {
            default_instance_warmup_ms: Some(120_000),
            ..group
        };
        assert_eq!(policy_warmup_ms(&with_default, &step(None)), Some(120_000));
    }
}
