//! Mixed instances and Spot in the run: which pool each launch goes to, and what a rebalance
//! recommendation, an interruption notice and an interruption do (the rules:
//! `crate::asg::mixed`; UG: ec2-auto-scaling-mixed-instances-groups,
//! ec2-auto-scaling-capacity-rebalancing).

use crate::asg::{
    INTERRUPTION_NOTICE_MS, Kind, LifecycleState, Market, OnDemandStrategy, ScalingProcess,
    SpotEvent, SpotNotice, SpotStrategy, TerminationPolicy, TerminationReason, choose_on_demand,
    choose_spot, next_market,
};
use crate::records::{ActivityKind, ActivityOrigin, Recorder};
use crate::time::Clock;

use super::{Event, EventAction, Events, Simulation};

impl<R: Recorder> Simulation<'_, R> {
    /// What the next launch into `az` is: without a mixed instances policy, the launch
    /// template's instance (and no reason to give); with one, the market the distribution
    /// asks for and the pool its strategy picks there, or `None` when no pool of that market
    /// has room in `az` (insufficient capacity: the launch tries the next AZ). `avoid` is a
    /// pool (type, AZ) left out, the one a Capacity Rebalancing replacement leaves.
    pub(super) fn pick_kind(
        &self,
        az: usize,
        market: Option<Market>,
        avoid: Option<(usize, usize)>,
    ) -> Option<(Kind, Option<String>)> {
        let Some(policy) = &self.scenario.mixed_instances_policy else {
            return Some((Kind::default(), None));
        };
        let d = &policy.distribution;
        let market =
            market.unwrap_or_else(|| next_market(d, self.group.desired, self.staying_units().0));
        let choice = match market {
            Market::OnDemand => choose_on_demand(policy, |_| true)?,
            Market::Spot => {
                let mut views = self.spot.views(az);
                views.retain(|v| avoid != Some((v.type_index, az)));
                choose_spot(policy, &views)?
            }
        };
        let weight = policy.overrides[choice.type_index].weighted_capacity;
        let kind = Kind {
            type_index: choice.type_index,
            market,
            weight,
        };
        Some((kind, Some(choice.why)))
    }

    /// A Spot instance's instance type, for sentences.
    fn type_of(&self, index: usize) -> String {
        self.instance_type_of(index)
    }

    /// How far an instance is from what the allocation strategy would launch now (higher:
    /// terminated first): On-Demand prioritized, its override's place in the list; On-Demand
    /// lowest-price and Spot lowest-price or price-capacity-optimized, its price per unit;
    /// Spot capacity-optimized(-prioritized), its pool's interruption rate (UG:
    /// ec2-auto-scaling-termination-policies, AllocationStrategy: "terminates … to align the
    /// remaining instances to the allocation strategy").
    pub(super) fn allocation_rank(&self, inst: &crate::asg::Instance) -> f64 {
        let Some(policy) = &self.scenario.mixed_instances_policy else {
            return 0.0;
        };
        let d = &policy.distribution;
        let (t, az) = (inst.kind.type_index, inst.az);
        let weight = f64::from(inst.kind.weight);
        let o = &policy.overrides[t];
        match (
            inst.kind.market,
            d.on_demand_allocation_strategy,
            d.spot_allocation_strategy,
        ) {
            (Market::OnDemand, OnDemandStrategy::Prioritized, _) => t as f64,
            (Market::OnDemand, OnDemandStrategy::LowestPrice, _) => o.price_per_hour_usd / weight,
            (Market::Spot, _, SpotStrategy::LowestPrice | SpotStrategy::PriceCapacityOptimized) => {
                self.spot.price(t, az) / weight
            }
            (Market::Spot, _, _) => self.spot.rate(t, az),
        }
    }

    /// The highest [`Self::allocation_rank`] among the unprotected active instances `fits`
    /// accepts, when the termination policies let the allocation strategy decide (`Default`
    /// alone, or `AllocationStrategy` named).
    pub(super) fn least_aligned(
        &self,
        fits: &dyn Fn(&crate::asg::Instance) -> bool,
    ) -> Option<f64> {
        let policies = &self.scenario.group.termination_policies;
        let by_strategy = policies.contains(&TerminationPolicy::AllocationStrategy)
            || policies.iter().all(|p| *p == TerminationPolicy::Default);
        if !by_strategy {
            return None;
        }
        let g = &self.group;
        let candidates = g.active_indices().iter().map(|&i| &g.instances[i]);
        candidates
            .filter(|i| !i.is_protected() && fits(i))
            .map(|i| self.allocation_rank(i))
            .max_by(f64::total_cmp)
    }

    /// A Spot event happens.
    pub(super) fn on_spot(&mut self, event: SpotEvent) {
        match event {
            SpotEvent::Rebalance(index) => self.on_rebalance_recommendation(index),
            SpotEvent::Notice(index) => self.on_interruption_notice(index),
            SpotEvent::Interrupt(index) => self.on_interrupted(index),
            SpotEvent::Scripted(i) => self.on_scripted_spot(i),
        }
    }

    /// EC2 says the instance is at elevated risk of interruption. With Capacity Rebalancing
    /// the group launches a replacement now and terminates the instance once the replacement
    /// is InService; without it, nothing happens until EC2 interrupts it.
    fn on_rebalance_recommendation(&mut self, index: usize) {
        let inst = &self.group.instances[index];
        if !inst.is_active() || inst.spot_notice != SpotNotice::None {
            return;
        }
        self.group.instances[index].spot_notice = SpotNotice::Rebalance;
        let head = format!(
            "{} ({} Spot in {}) gets a rebalance recommendation",
            self.id_of(index),
            self.type_of(index),
            self.az_name(index)
        );
        if !self.scenario.group.capacity_rebalance {
            self.explain(format!(
                "{head}; Capacity Rebalancing is off, so it serves on until EC2 interrupts it"
            ));
            return;
        }
        match self.launch_rebalance_replacement(index, true) {
            Ok(new) => self.explain(format!(
                "{head}: Capacity Rebalancing launches {} ({} Spot in {}) first; {} goes once that one is InService",
                self.id_of(new),
                self.type_of(new),
                self.az_name(new),
                self.id_of(index)
            )),
            Err(why) => self.explain(format!("{head}: {why}")),
        }
    }

    /// Launches a Spot replacement for `old` in another pool; with `check_risk`, only into a
    /// pool whose interruption rate is no higher than `old`'s (UG:
    /// ec2-auto-scaling-capacity-rebalancing: otherwise it waits for the interruption notice).
    fn launch_rebalance_replacement(
        &mut self,
        old: usize,
        check_risk: bool,
    ) -> Result<usize, String> {
        if self.group.suspended(ScalingProcess::Launch) {
            return Err("Launch is suspended, so nothing replaces it".to_string());
        }
        let (old_kind, old_az) = (self.group.instances[old].kind, self.group.instances[old].az);
        let old_rate = self.spot.rate(old_kind.type_index, old_az);
        let now = self.now_ms;
        let order = self
            .group
            .launch_order(|az| self.zones.is_up(az, now), Some(old_az));
        let avoid = Some((old_kind.type_index, old_az));
        for az in order {
            let Some((kind, why)) = self.pick_kind(az, Some(Market::Spot), avoid) else {
                continue;
            };
            if check_risk && self.spot.rate(kind.type_index, az) > old_rate {
                return Err(format!(
                    "the pool the strategy would use ({}) is at a higher risk, so the group waits for the interruption notice",
                    self.scenario
                        .mixed_instances_policy
                        .as_ref()
                        .map_or("", |p| p.overrides[kind.type_index].instance_type.as_str())
                ));
            }
            if self.zones.launch_attempt_fails(az, now) {
                continue;
            }
            let new = self.launch_into(az, false, (kind, why));
            self.group.instances[new].replaces = Some((old, TerminationReason::CapacityRebalance));
            let old_id = self.id_of(old);
            let what = format_args!(
                "launched to replace {old_id}, which received a rebalance recommendation (Capacity Rebalancing)"
            );
            let row = (ActivityKind::Launch, ActivityOrigin::CapacityRebalance);
            self.record_instance_activity(row, new, what);
            return Ok(new);
        }
        Err("no Spot pool has room for a replacement now (insufficient capacity)".to_string())
    }

    /// Active capacity units per market (On-Demand, Spot), without the instances a Capacity
    /// Rebalancing replacement is about to take out: a scale-out while replacements are on
    /// their way counts them gone (UG: ec2-auto-scaling-capacity-rebalancing, "scales out
    /// first before terminating the old instances").
    pub(super) fn staying_units(&self) -> (u32, u32) {
        let (mut on_demand, mut spot) = self.group.units;
        if !self.scenario.group.capacity_rebalance {
            return (on_demand, spot);
        }
        for &i in self.group.active_indices() {
            if let Some((old, TerminationReason::CapacityRebalance)) =
                self.group.instances[i].replaces
            {
                let old = &self.group.instances[old];
                if old.is_active() {
                    match old.kind.market {
                        Market::OnDemand => on_demand -= old.kind.weight,
                        Market::Spot => spot -= old.kind.weight,
                    }
                }
            }
        }
        (on_demand, spot)
    }

    /// Whether a Capacity Rebalancing replacement is on its way (AZ rebalancing waits: the
    /// AZ counts still hold the instances it replaces).
    pub(super) fn capacity_rebalancing(&self) -> bool {
        self.scenario.group.capacity_rebalance
            && self.group.active_indices().iter().any(|&i| {
                let replaces = self.group.instances[i].replaces;
                matches!(replaces, Some((_, TerminationReason::CapacityRebalance)))
            })
    }

    /// A Capacity Rebalancing replacement is InService: the instance it replaces goes now,
    /// through draining and terminate hooks (it may be interrupted before it is done).
    pub(super) fn capacity_rebalance_ready(&mut self, index: usize) {
        let Some((old, TerminationReason::CapacityRebalance)) =
            self.group.instances[index].replaces
        else {
            return;
        };
        self.group.instances[index].replaces = None;
        if !self.group.instances[old].is_active() {
            // EC2 or a scale-in took it first: the replacement, counted since its launch,
            // stands in for it.
            return;
        }
        self.terminate_one(old, TerminationReason::CapacityRebalance, false);
        let what = format_args!(
            "taken out of service after its Capacity Rebalancing replacement became InService"
        );
        let row = (ActivityKind::Terminate, ActivityOrigin::CapacityRebalance);
        self.record_instance_activity(row, old, what);
        self.explain(format!(
            "Capacity Rebalancing: {} is InService, so {} terminates before EC2 interrupts it",
            self.id_of(index),
            self.id_of(old)
        ));
        // A scale-out counted the old instance while it stood beside its replacement: the
        // group launches what desired capacity misses without it (UG:
        // ec2-auto-scaling-capacity-rebalancing, "scales out first").
        self.restore_capacity("Capacity Rebalancing terminated a Spot instance");
    }

    /// Launches what desired capacity misses now, as a capacity restore; `why` says which
    /// instance left (AWS's sentence, then asgsim's reason in parentheses).
    fn restore_capacity(&mut self, why: &str) {
        if self.group.active_units() < self.group.desired {
            let cause = format!(
                "At {} an instance was started in response to a difference between desired and actual capacity ({why}).",
                self.aws_time(self.now_ms)
            );
            let desired = self.group.desired;
            self.set_desired(desired, super::capacity::Cause::plain(&cause), false);
        }
    }

    /// The two-minute interruption notice: EC2 reclaims the instance at its end. With
    /// Capacity Rebalancing and no replacement yet, the group launches one now (UG:
    /// ec2-auto-scaling-capacity-rebalancing: it "attempts to launch a replacement
    /// immediately").
    fn on_interruption_notice(&mut self, index: usize) {
        let inst = &self.group.instances[index];
        let alive = inst.is_active() || inst.state == LifecycleState::Terminating;
        if !alive
            || matches!(
                inst.spot_notice,
                SpotNotice::Interruption | SpotNotice::Interrupted
            )
        {
            return;
        }
        let had_recommendation = inst.spot_notice == SpotNotice::Rebalance;
        self.group.instances[index].spot_notice = SpotNotice::Interruption;
        let at = self.now_ms + INTERRUPTION_NOTICE_MS;
        self.queue
            .schedule(at, Event::Spot(SpotEvent::Interrupt(index)));
        let replaced = self.group.instances.iter().any(|i| {
            i.is_active() && i.replaces == Some((index, TerminationReason::CapacityRebalance))
        });
        let mut text = format!(
            "{} ({} Spot in {}) gets its two-minute interruption notice: EC2 reclaims it at {}",
            self.id_of(index),
            self.type_of(index),
            self.az_name(index),
            Clock(at)
        );
        let active = self.group.instances[index].is_active();
        if self.scenario.group.capacity_rebalance && active && !replaced {
            match self.launch_rebalance_replacement(index, false) {
                Ok(new) => text.push_str(&format!(
                    "; Capacity Rebalancing launches {} now",
                    self.id_of(new)
                )),
                Err(why) => text.push_str(&format!("; {why}")),
            }
        } else if replaced {
            text.push_str("; its replacement is already launching");
        } else if !had_recommendation || !self.scenario.group.capacity_rebalance {
            text.push_str("; the group replaces it once it is gone");
        }
        self.explain(text);
    }

    /// EC2 reclaims the instance: it stops serving and is Terminated at once; the group
    /// launches what desired capacity now misses (UG: ec2-auto-scaling-capacity-rebalancing:
    /// without Capacity Rebalancing, replacement comes after the interruption). One already
    /// draining is left to finish.
    fn on_interrupted(&mut self, index: usize) {
        let inst = &self.group.instances[index];
        if inst.spot_notice == SpotNotice::Interrupted {
            return;
        }
        let active = inst.is_active();
        self.group.instances[index].spot_notice = SpotNotice::Interrupted;
        if !active {
            return;
        }
        self.meter.totals.spot_interruptions += 1;
        self.terminate_with(index, TerminationReason::SpotInterruption, false, false);
        let what = format_args!("taken out of service in response to a Spot interruption");
        let row = (ActivityKind::Terminate, ActivityOrigin::SpotInterruption);
        self.record_instance_activity(row, index, what);
        self.explain(format!(
            "EC2 interrupts {} ({} Spot in {}): it stops serving now",
            self.id_of(index),
            self.type_of(index),
            self.az_name(index)
        ));
        self.restore_capacity("a Spot instance was interrupted");
    }

    /// A scripted `spot_interruption`: its instances get their rebalance recommendation now
    /// and their notice at the event's time.
    fn on_scripted_spot(&mut self, i: usize) {
        let event = &self.scenario.events[i];
        let EventAction::SpotInterruption {
            count,
            instance_type,
            az,
        } = &event.action
        else {
            return;
        };
        let notice_at = event.at_ms.max(self.now_ms);
        let victims: Vec<usize> = self
            .group
            .active_indices()
            .iter()
            .copied()
            .filter(|&i| {
                let inst = &self.group.instances[i];
                inst.kind.market == Market::Spot
                    && inst.spot_notice == SpotNotice::None
                    && instance_type.as_ref().is_none_or(|t| *t == self.type_of(i))
                    && az.as_ref().is_none_or(|a| a == self.az_name(i))
            })
            .collect();
        let mut victims = victims;
        victims.sort_unstable();
        victims.truncate(*count as usize);
        if victims.is_empty() {
            self.explain("scripted Spot interruption: no Spot instance matches it".to_string());
        }
        for index in victims {
            self.queue
                .schedule(notice_at, Event::Spot(SpotEvent::Notice(index)));
            self.on_rebalance_recommendation(index);
        }
    }

    /// Schedules the rebalance recommendations of the scripted `spot_interruption` events,
    /// `rebalance_notice` before each.
    pub(super) fn schedule_scripted_spot(&mut self) {
        let notice = self.spot.rebalance_notice_ms();
        for (i, event) in self.scenario.events.iter().enumerate() {
            if matches!(event.action, EventAction::SpotInterruption { .. }) {
                let at = event.at_ms.saturating_sub(notice);
                self.queue.schedule(at, Event::Spot(SpotEvent::Scripted(i)));
            }
        }
    }

    /// The initial instances of a mixed group, InService at t = 0: each AZ in turn (the
    /// emptiest first), each from the market and pool the policy picks, until desired
    /// capacity is met (a weighted launch may overshoot it).
    pub(super) fn start_mixed(&mut self) {
        let protected = self.scenario.group.new_instances_protected_from_scale_in;
        while self.group.active_units() < self.group.desired {
            let order = self.group.launch_order(|_| true, None);
            let Some((az, kind)) = order
                .into_iter()
                .find_map(|az| self.pick_kind(az, None, None).map(|k| (az, k)))
            else {
                return; // no pool has room anywhere: the group starts short
            };
            let index = self.group.launch_kind(az, 0, protected, kind.0);
            self.group.set_in_service(index, 0);
            self.spot_launched(index);
            self.schedule_random_failure(index);
            self.schedule_lifetime(index);
        }
    }

    /// A new Spot instance's interruption is drawn, and it takes room in its pool.
    pub(super) fn spot_launched(&mut self, index: usize) {
        let inst = &self.group.instances[index];
        let (kind, az) = (inst.kind, inst.az);
        self.spot.occupy(kind, az, true);
        let mut events = Events(&mut self.queue);
        self.spot
            .draw_interruption((index, kind, az), self.now_ms, &mut events);
    }
}
