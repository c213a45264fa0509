//! The group's instances and counts. Counts are kept up to date on every transition so the
//! workload integration between events is O(1), whatever the group's size.

use crate::rng::{SimRng, Stream, stream};
use crate::time::SimTime;

use super::instance::{Instance, LifecycleState};
use super::termination::{TerminationChoice, choose_among};
use super::{FailureMode, ScalingProcess, TerminationPolicy, TerminationReason};

/// The Auto Scaling group's state.
#[derive(Debug, Clone)]
pub struct Group {
    /// Lower bound of desired capacity \[instances\].
    pub min_size: u32,
    /// Upper bound of desired capacity \[instances\].
    pub max_size: u32,
    /// Desired capacity \[instances\].
    pub desired: u32,
    /// Every instance ever launched, in launch order (index = number − 1).
    pub instances: Vec<Instance>,
    /// Indices of the Pending and InService instances.
    active: Vec<usize>,
    /// Per instance, its position in `active` while it is active (O(1) removal).
    active_slot: Vec<usize>,
    /// Pending count \[instances\].
    pub pending: u32,
    /// InService count \[instances\].
    pub in_service: u32,
    /// Terminating count \[instances\].
    pub terminating: u32,
    /// InService instances the load balancer no longer routes to \[instances\].
    pub out_of_lb: u32,
    /// Failed InService instances the load balancer still routes to: their share of the load
    /// fails \[instances\].
    pub broken_routed: u32,
    /// Failed instances not yet terminated \[instances\].
    pub failed: u32,
    /// Active instances per AZ, in scenario order \[instances\].
    pub az_active: Vec<u32>,
    /// How many times `az_active` has changed: a cheap test of "nothing moved since".
    az_changes: u64,
    /// The launch template version new instances get.
    pub current_template_version: u32,
    /// Per template version (from 1): its instance type and price \[USD per hour\].
    pub templates: Vec<(String, f64)>,
    /// Indices of the instances in the warm pool.
    pub pool: Vec<usize>,
    /// Instances draining back to the warm pool (ReuseOnScaleIn) \[instances\].
    pub pool_returning: u32,
    /// When the last instance finished launching or terminating \[ms\].
    pub last_capacity_change_ms: SimTime,
    /// Processes suspended now (UG: as-suspend-resume-processes).
    suspended: Vec<ScalingProcess>,
    /// Termination policies in order (UG: ec2-auto-scaling-termination-policies).
    termination_policies: Vec<TerminationPolicy>,
    /// The Default policy's random tie-break, from its own stream.
    termination_rng: SimRng,
}

impl Group {
    /// An empty group over `az_count` AZs.
    pub fn new(min_size: u32, max_size: u32, desired: u32, az_count: usize) -> Self {
        Self {
            min_size,
            max_size,
            desired,
            instances: Vec::new(),
            active: Vec::new(),
            active_slot: Vec::new(),
            pending: 0,
            in_service: 0,
            terminating: 0,
            out_of_lb: 0,
            broken_routed: 0,
            failed: 0,
            az_active: vec![0; az_count],
            az_changes: 0,
            current_template_version: 1,
            templates: Vec::new(),
            pool: Vec::new(),
            pool_returning: 0,
            last_capacity_change_ms: 0,
            suspended: Vec::new(),
            termination_policies: Vec::new(),
            termination_rng: stream(0, Stream::Termination),
        }
    }

    /// The same group terminating by `policies`, its random tie-break drawn from `seed`'s
    /// termination stream.
    pub fn with_termination(mut self, policies: &[TerminationPolicy], seed: u64) -> Self {
        self.termination_policies = policies.to_vec();
        self.termination_rng = stream(seed, Stream::Termination);
        self
    }

    /// How many times the per-AZ counts have changed.
    pub fn az_changes(&self) -> u64 {
        self.az_changes
    }

    /// Whether `process` is suspended now.
    pub fn suspended(&self, process: ScalingProcess) -> bool {
        self.suspended.contains(&process)
    }

    /// Suspends (`true`) or resumes (`false`) `processes`.
    pub fn suspend(&mut self, processes: &[ScalingProcess], suspend: bool) {
        for p in processes {
            self.suspended.retain(|q| q != p);
            if suspend {
                self.suspended.push(*p);
            }
        }
    }

    /// Up to `count` instances for a scale-in at `now_ms`, by the termination policies.
    pub fn choose_for_scale_in(&mut self, now_ms: SimTime, count: usize) -> TerminationChoice {
        self.choose_among(now_ms, count, |_| true)
    }

    /// As [`Self::choose_for_scale_in`], among the instances `keep` accepts (an instance
    /// refresh replaces only those of an older launch template).
    pub fn choose_among(
        &mut self,
        now_ms: SimTime,
        count: usize,
        keep: impl Fn(&Instance) -> bool,
    ) -> TerminationChoice {
        let mut rng = self.termination_rng.clone();
        let policies = &self.termination_policies;
        let choice = choose_among(self, policies, (now_ms, count), &mut rng, keep);
        self.termination_rng = rng;
        choice
    }

    /// Puts a new instance into the warm pool at `now_ms`, ready at `ready_ms`; it is not part
    /// of the group's capacity.
    pub fn launch_to_pool(&mut self, az: usize, now_ms: SimTime, ready_ms: SimTime) -> usize {
        let index = self.launch_in(az, now_ms, false);
        // Undo the capacity counting of launch_in: a pool instance is outside the group.
        self.remove_active(index);
        self.pending -= 1;
        let inst = &mut self.instances[index];
        inst.state = LifecycleState::Warmed;
        inst.pool_ready_ms = Some(ready_ms);
        // Billed as running while it prepares; at the pool's rate once ready.
        inst.pool_since_ms = Some(ready_ms);
        self.pool.push(index);
        index
    }

    /// Takes a pool instance into the group: it is Pending until its warm start ends.
    pub fn take_from_pool(&mut self, index: usize, now_ms: SimTime) {
        self.pool.retain(|i| *i != index);
        let inst = &mut self.instances[index];
        inst.pool_total_ms += inst.pool_since_ms.map_or(0, |s| now_ms.saturating_sub(s));
        inst.pool_since_ms = None;
        inst.state = LifecycleState::Pending;
        let az = inst.az;
        self.active_slot[index] = self.active.len();
        self.active.push(index);
        self.az_active[az] += 1;
        self.az_changes += 1;
        self.pending += 1;
    }

    /// A drained instance goes back to the pool instead of terminating (ReuseOnScaleIn). It is
    /// deregistered and stopped (or held Running, unregistered): it serves nothing, and comes
    /// back as it would from a fresh start (UG: ec2-auto-scaling-warm-pools).
    pub fn return_to_pool(&mut self, index: usize, now_ms: SimTime) {
        let inst = &mut self.instances[index];
        debug_assert_eq!(inst.state, LifecycleState::Terminating);
        inst.state = LifecycleState::Warmed;
        inst.termination_reason = None;
        inst.terminating_ms = None;
        inst.in_service_ms = None;
        // Its load-balancer and health flags were counted out when it began terminating; it
        // re-enters the group with none, as a new instance does.
        inst.out_of_lb = false;
        inst.warming = false;
        inst.failure = None;
        inst.failed_ms = None;
        inst.marked_unhealthy = false;
        inst.marked_unhealthy_ms = None;
        inst.pool_ready_ms = Some(now_ms);
        inst.pool_since_ms = Some(now_ms);
        self.terminating -= 1;
        self.pool.push(index);
    }

    /// A pool instance is terminated (the pool is too large).
    pub fn terminate_from_pool(&mut self, index: usize, now_ms: SimTime) {
        self.pool.retain(|i| *i != index);
        let inst = &mut self.instances[index];
        inst.pool_total_ms += inst.pool_since_ms.map_or(0, |s| now_ms.saturating_sub(s));
        inst.pool_since_ms = None;
        inst.state = LifecycleState::Terminated;
        inst.terminated_ms = Some(now_ms);
        inst.terminating_ms = Some(now_ms);
        inst.termination_reason = Some(TerminationReason::ScaleIn);
    }

    fn remove_active(&mut self, index: usize) {
        let az = self.instances[index].az;
        self.az_active[az] -= 1;
        self.az_changes += 1;
        let slot = self.active_slot[index];
        self.active.swap_remove(slot);
        if let Some(moved) = self.active.get(slot) {
            self.active_slot[*moved] = slot;
        }
    }

    /// The instance type and price \[USD per hour\] of an instance's template version.
    pub fn template_of(&self, index: usize) -> Option<&(String, f64)> {
        let version = self.instances[index].template_version as usize;
        self.templates.get(version.checked_sub(1)?)
    }

    /// Pending plus InService \[instances\].
    pub fn active_count(&self) -> u32 {
        self.active.len() as u32
    }

    /// Indices of the Pending and InService instances.
    pub fn active_indices(&self) -> &[usize] {
        &self.active
    }

    /// The AZ a launch goes to: the one with the fewest active instances, first in the
    /// scenario's order on a tie.
    pub fn launch_az(&self) -> usize {
        let mut best = 0;
        for (az, count) in self.az_active.iter().enumerate() {
            if *count < self.az_active[best] {
                best = az;
            }
        }
        best
    }

    /// Launches one instance at `now_ms` into the emptiest AZ; returns its index.
    pub fn launch(&mut self, now_ms: SimTime, protected: bool) -> usize {
        self.launch_in(self.launch_az(), now_ms, protected)
    }

    /// The AZs that `usable` accepts, emptiest first (scenario order on a tie): the order in
    /// which a launch tries them. `leaving` is an AZ counted one instance lighter (an
    /// instance there is about to terminate).
    pub fn launch_order(
        &self,
        usable: impl Fn(usize) -> bool,
        leaving: Option<usize>,
    ) -> Vec<usize> {
        let count = |az: usize| self.az_active[az] - u32::from(leaving == Some(az));
        let mut azs: Vec<usize> = (0..self.az_active.len()).filter(|az| usable(*az)).collect();
        azs.sort_by_key(|az| (count(*az), *az));
        azs
    }

    /// Launches one instance at `now_ms` into `az`; returns its index.
    pub fn launch_in(&mut self, az: usize, now_ms: SimTime, protected: bool) -> usize {
        let index = self.instances.len();
        self.instances.push(Instance {
            number: index as u32 + 1,
            az,
            state: LifecycleState::Pending,
            launch_ms: now_ms,
            in_service_ms: None,
            first_in_service_ms: None,
            terminating_ms: None,
            terminated_ms: None,
            termination_reason: None,
            protected_from_scale_in: protected,
            template_version: self.current_template_version,
            in_simple_activity: false,
            warming: false,
            failure: None,
            failed_ms: None,
            out_of_lb: false,
            marked_unhealthy: false,
            marked_unhealthy_ms: None,
            pending_replacement: false,
            rebalance_launch: false,
            pool_ready_ms: None,
            pool_since_ms: None,
            pool_total_ms: 0,
            replaces: None,
            launch_warmup_ms: 0,
        });
        self.active_slot.push(self.active.len());
        self.active.push(index);
        self.az_active[az] += 1;
        self.az_changes += 1;
        self.pending += 1;
        index
    }

    /// Moves a Pending instance to InService; false if it is no longer Pending.
    pub fn set_in_service(&mut self, index: usize, now_ms: SimTime) -> bool {
        let inst = &mut self.instances[index];
        if inst.state != LifecycleState::Pending {
            return false;
        }
        inst.state = LifecycleState::InService;
        inst.in_service_ms = Some(now_ms);
        inst.first_in_service_ms.get_or_insert(now_ms);
        self.pending -= 1;
        self.in_service += 1;
        if inst.failure.is_some() {
            self.broken_routed += 1;
        }
        true
    }

    /// Starts terminating an active instance. An InService one drains (returns true); a
    /// Pending one, never registered for traffic, is Terminated at once (returns false).
    pub fn begin_termination(
        &mut self,
        index: usize,
        now_ms: SimTime,
        reason: TerminationReason,
    ) -> bool {
        self.leave_load_balancer(index);
        if self.instances[index].failure.is_some() {
            self.failed -= 1;
        }
        let inst = &mut self.instances[index];
        debug_assert!(inst.is_active(), "terminating an inactive instance");
        let was = inst.state;
        inst.termination_reason = Some(reason);
        inst.terminating_ms = Some(now_ms);
        self.remove_active(index);
        if was == LifecycleState::Pending {
            self.pending -= 1;
            let inst = &mut self.instances[index];
            inst.state = LifecycleState::Terminated;
            inst.terminated_ms = Some(now_ms);
            false
        } else {
            self.in_service -= 1;
            self.out_of_lb -= 1;
            self.terminating += 1;
            self.instances[index].state = LifecycleState::Terminating;
            true
        }
    }

    /// InService instances the load balancer routes to \[instances\].
    pub fn routed(&self) -> u32 {
        self.in_service - self.out_of_lb
    }

    /// The instance fails now: it serves nothing from then on.
    pub fn fail(&mut self, index: usize, now_ms: SimTime, mode: FailureMode) {
        let inst = &mut self.instances[index];
        if inst.failure.is_some() || !inst.is_active() {
            return;
        }
        inst.failure = Some(mode);
        inst.failed_ms = Some(now_ms);
        self.failed += 1;
        if inst.state == LifecycleState::InService && !inst.out_of_lb {
            self.broken_routed += 1;
        }
    }

    /// A failure ends (an application that finished starting): the instance serves again
    /// once the load balancer routes to it.
    pub fn recover(&mut self, index: usize) {
        let inst = &mut self.instances[index];
        if inst.failure.take().is_none() {
            return;
        }
        inst.failed_ms = None;
        self.failed -= 1;
        if inst.state == LifecycleState::InService && !inst.out_of_lb {
            self.broken_routed -= 1;
        }
    }

    /// The load balancer routes to an InService instance again (after AddToLoadBalancer was
    /// suspended); failed instances stay out.
    pub fn join_load_balancer(&mut self, index: usize) {
        let inst = &mut self.instances[index];
        if inst.state != LifecycleState::InService || !inst.out_of_lb || inst.failure.is_some() {
            return;
        }
        inst.out_of_lb = false;
        self.out_of_lb -= 1;
    }

    /// The load balancer stops routing to an InService instance (idempotent).
    pub fn leave_load_balancer(&mut self, index: usize) {
        let inst = &mut self.instances[index];
        if inst.state != LifecycleState::InService || inst.out_of_lb {
            return;
        }
        inst.out_of_lb = true;
        self.out_of_lb += 1;
        if inst.failure.is_some() {
            self.broken_routed -= 1;
        }
    }

    /// A draining instance reaches Terminated.
    pub fn finish_termination(&mut self, index: usize, now_ms: SimTime) {
        let inst = &mut self.instances[index];
        debug_assert_eq!(inst.state, LifecycleState::Terminating);
        inst.state = LifecycleState::Terminated;
        inst.terminated_ms = Some(now_ms);
        self.terminating -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launches_balance_azs_and_counts_follow_transitions() {
        let mut g = Group::new(0, 10, 0, 2);
        let a = g.launch(0, false);
        let b = g.launch(0, false);
        let c = g.launch(0, false);
        assert_eq!(
            [g.instances[a].az, g.instances[b].az, g.instances[c].az],
            [0, 1, 0]
        );
        assert!(g.set_in_service(a, 10));
        assert_eq!((g.pending, g.in_service), (2, 1));
        assert!(g.begin_termination(a, 20, TerminationReason::ScaleIn));
        assert!(!g.begin_termination(b, 20, TerminationReason::ScaleIn));
        assert_eq!((g.pending, g.in_service, g.terminating), (1, 0, 1));
        assert_eq!(g.instances[b].state, LifecycleState::Terminated);
        g.finish_termination(a, 30);
        assert_eq!(g.terminating, 0);
        assert_eq!(g.active_count(), 1);
        assert_eq!(g.az_active, vec![1, 0]);
    }

    /// UG as-suspend-resume-processes: suspending is idempotent and resuming lifts only the
    /// named processes.
    #[test]
    fn processes_are_suspended_and_resumed_by_name() {
        let mut g = Group::new(0, 4, 0, 1);
        let both = [ScalingProcess::Launch, ScalingProcess::Terminate];
        g.suspend(&both, true);
        g.suspend(&[ScalingProcess::Launch], true);
        assert!(g.suspended(ScalingProcess::Launch) && g.suspended(ScalingProcess::Terminate));
        g.suspend(&[ScalingProcess::Launch], false);
        assert!(!g.suspended(ScalingProcess::Launch));
        assert!(g.suspended(ScalingProcess::Terminate));
    }

    /// UG ec2-auto-scaling-termination-policies: the group's own policies choose whom a
    /// scale-in terminates (OldestInstance: the first launched), AZ balance first.
    #[test]
    fn scale_in_follows_the_groups_termination_policies() {
        let mut g =
            Group::new(0, 10, 4, 2).with_termination(&[TerminationPolicy::OldestInstance], 3);
        for t in [0, 10, 20, 30] {
            let i = g.launch(t, false);
            g.set_in_service(i, t);
        }
        let choice = g.choose_for_scale_in(40, 2);
        assert_eq!(choice.chosen, [0, 1], "the oldest of each AZ, a first");
        let newer = g.choose_among(40, 1, |inst| inst.launch_ms >= 20);
        assert_eq!(newer.chosen, [2]);
    }
}
