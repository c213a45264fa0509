//! Instance warm-up: new InService instances stay out of aggregated EC2 metrics for the
//! group's metric warm-up, and out of the "current capacity" of step and target-tracking
//! policies for each policy's own warm-up (asg-semantics.md §3.3, §3.4).

use std::collections::VecDeque;

use crate::records::Recorder;
use crate::time::{SimDuration, SimTime};

use super::{Event, Simulation};

/// Recently InService instances, oldest first, and the metric warm-up.
#[derive(Debug, Clone, Default)]
pub(super) struct Warmup {
    /// How long an instance stays out of aggregated metrics \[ms\].
    pub(super) metric_warmup_ms: SimDuration,
    /// The longest warm-up any policy uses \[ms\]: older entries are dropped.
    pub(super) longest_ms: SimDuration,
    /// InService instances still inside the metric warm-up \[instances\].
    pub(super) warming_in_service: u32,
    /// Indices of instances that became InService within `longest_ms`, in that order.
    pub(super) recent: VecDeque<usize>,
}

impl<R: Recorder> Simulation<'_, R> {
    /// An instance just became InService: it starts warming up.
    pub(super) fn start_warmup(&mut self, index: usize) {
        let w = &mut self.warmup;
        if w.longest_ms > 0 {
            w.recent.push_back(index);
        }
        if w.metric_warmup_ms > 0 {
            w.warming_in_service += 1;
            self.group.instances[index].warming = true;
            let at = self.now_ms + w.metric_warmup_ms;
            let _ = self.queue.schedule(at, Event::WarmupDone(index));
        }
    }

    /// The metric warm-up of an instance ended, or it stopped serving before it did.
    pub(super) fn end_warmup(&mut self, index: usize) {
        let inst = &mut self.group.instances[index];
        if inst.warming {
            inst.warming = false;
            self.warmup.warming_in_service -= 1;
        }
    }

    /// InService instances past `warmup_ms`: the "current capacity" of step scale-outs and
    /// target tracking \[instances\].
    pub(super) fn non_warming_capacity(&mut self, warmup_ms: SimDuration) -> u32 {
        self.group.in_service - self.warming_count(warmup_ms)
    }

    /// Whether any instance is launching or warming up, by this policy's warm-up or by the
    /// warm-up of the policy that launched it: either blocks policy scale-in (§3.3: "while a
    /// scale-out is warming, all policy-driven scale-ins are blocked").
    pub(super) fn anything_warming(&mut self, warmup_ms: SimDuration) -> bool {
        if self.group.pending > 0 {
            return true;
        }
        self.prune_recent();
        let now = self.now_ms;
        let instances = &self.group.instances;
        self.warmup.recent.iter().any(|&i| {
            let inst = &instances[i];
            let warmup = warmup_ms.max(inst.launch_warmup_ms);
            inst.state == crate::asg::Lifecycle::InService
                && inst.in_service_ms.is_some_and(|t| t + warmup > now)
        })
    }

    /// Drops the instances past the longest warm-up from the front of `recent`.
    fn prune_recent(&mut self) {
        let now = self.now_ms;
        let longest = self.warmup.longest_ms;
        let instances = &self.group.instances;
        let since = |i: usize| instances[i].in_service_ms.unwrap_or(SimTime::MAX);
        while let Some(front) = self.warmup.recent.front() {
            if since(*front).saturating_add(longest) <= now {
                self.warmup.recent.pop_front();
            } else {
                break;
            }
        }
    }

    fn warming_count(&mut self, warmup_ms: SimDuration) -> u32 {
        self.prune_recent();
        let now = self.now_ms;
        let instances = &self.group.instances;
        let since = |i: usize| instances[i].in_service_ms.unwrap_or(SimTime::MAX);
        let in_service = crate::asg::Lifecycle::InService;
        self.warmup
            .recent
            .iter()
            .filter(|i| instances[**i].state == in_service && since(**i) + warmup_ms > now)
            .count() as u32
    }
}
