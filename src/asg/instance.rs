//! One instance and its lifecycle: Pending → InService → Terminating → Terminated.

use crate::asg::FailureMode;
use crate::asg::TerminationReason;
use crate::time::{SimDuration, SimTime};

/// Lifecycle states modelled (AWS `LifecycleState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifecycleState {
    /// Launched and booting; billed, not serving.
    Pending,
    /// Serving its share of the load.
    InService,
    /// Deregistered from the load balancer and draining; billed, not serving.
    Terminating,
    /// Gone; billing stopped.
    Terminated,
    /// In the warm pool (Warmed:Stopped, Running or Hibernated): not part of the group's
    /// capacity; ready from `pool_ready_ms` on.
    Warmed,
}

/// The AWS-looking id of the `number`-th launched instance: `i-00000004`.
pub fn instance_id(number: u32) -> String {
    format!("i-{number:08}")
}

/// One instance of the group.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// Launch order, from 1.
    pub number: u32,
    /// Index of its Availability Zone in the scenario's list.
    pub az: usize,
    /// Current lifecycle state.
    pub state: LifecycleState,
    /// Launch time, when billing starts \[ms\].
    pub launch_ms: SimTime,
    /// When it became InService \[ms\].
    pub in_service_ms: Option<SimTime>,
    /// When it first became InService (a reused warm-pool instance keeps it) \[ms\].
    pub first_in_service_ms: Option<SimTime>,
    /// When it began terminating \[ms\].
    pub terminating_ms: Option<SimTime>,
    /// When it reached Terminated \[ms\].
    pub terminated_ms: Option<SimTime>,
    /// Why it is terminating or terminated.
    pub termination_reason: Option<TerminationReason>,
    /// Scale-in protection flag (takes effect at InService, as in AWS).
    pub protected_from_scale_in: bool,
    /// Launch template version it was launched from.
    pub template_version: u32,
    /// Whether a simple policy's activity waits for this instance to finish.
    pub in_simple_activity: bool,
    /// Whether it is InService but still in its warm-up, out of aggregated EC2 metrics.
    pub warming: bool,
    /// How it failed, if it has: it serves nothing from then on.
    pub failure: Option<FailureMode>,
    /// When it failed \[ms\].
    pub failed_ms: Option<SimTime>,
    /// Whether the load balancer has stopped routing to it (its health checks failed).
    pub out_of_lb: bool,
    /// Whether the group has marked it Unhealthy.
    pub marked_unhealthy: bool,
    /// When the group marked it Unhealthy \[ms\].
    pub marked_unhealthy_ms: Option<SimTime>,
    /// Whether it was launched to replace an unhealthy instance and is not InService yet.
    pub pending_replacement: bool,
    /// Whether it was launched to rebalance AZs (an instance of the fullest AZ goes when it
    /// is InService).
    pub rebalance_launch: bool,
    /// In the warm pool: when it is (or was) ready to start \[ms\].
    pub pool_ready_ms: Option<SimTime>,
    /// When it last entered the warm pool \[ms\].
    pub pool_since_ms: Option<SimTime>,
    /// Time spent in the warm pool before `pool_since_ms`, billed at the pool's rate \[ms\].
    pub pool_total_ms: SimTime,
    /// A launch-first replacement: the instance it replaces once InService, and why.
    pub replaces: Option<(usize, TerminationReason)>,
    /// The warm-up of the policy whose scale-out launched it (0 otherwise): while it is
    /// inside it, every policy scale-in waits (UG: as-scaling-simple-step) \[ms\].
    pub launch_warmup_ms: SimDuration,
}

impl Instance {
    /// Whether it counts toward the group's capacity (Pending or InService).
    pub fn is_active(&self) -> bool {
        matches!(
            self.state,
            LifecycleState::Pending | LifecycleState::InService
        )
    }

    /// Whether scale-in must skip it: protection applies from InService on.
    pub fn is_protected(&self) -> bool {
        self.protected_from_scale_in && self.state == LifecycleState::InService
    }

    /// Time in the warm pool up to `now_ms` \[ms\].
    pub fn pool_ms(&self, now_ms: SimTime) -> SimTime {
        let current = match (self.state, self.pool_since_ms) {
            (LifecycleState::Warmed, Some(since)) => {
                self.terminated_ms.unwrap_or(now_ms).saturating_sub(since)
            }
            _ => 0,
        };
        self.pool_total_ms + current
    }

    /// Billed time up to `now_ms` (or termination): per second, with a 60 s minimum once it
    /// has stopped \[ms\]; warm-pool time included (priced apart, see `pool_ms`).
    pub fn billed_ms(&self, now_ms: SimTime) -> SimTime {
        let elapsed = match self.terminated_ms {
            Some(end) => (end - self.launch_ms).max(60_000),
            None => now_ms.saturating_sub(self.launch_ms),
        };
        elapsed.div_ceil(1_000) * 1_000
    }
}
