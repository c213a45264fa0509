//! The simulation core: one run of a scenario against a trace with a seed.
//!
//! `Simulation` is a thin loop: it owns the clock and the event queue and dispatches each
//! event to the component that owns its rules:
//!
//! | component | folder | owns |
//! |---|---|---|
//! | the group (`asg::Group`) | `asg/` | instances, capacity, AZ counts, termination choice, suspended processes |
//! | health (`asg::Health`) | `asg/health.rs` | failures, detection, grace, replacement batches |
//! | zones (`asg::Zones`) | `asg/zones.rs` | AZ outages, launch failures, rebalancing |
//! | lifecycle (`asg::Lifecycle`) | `asg/lifecycle/` | boot times, lifecycle hooks, warm pool, instance refresh |
//! | CloudWatch (`cloudwatch::CloudWatch`) | `cloudwatch/` | metric periods, publication delay, alarms |
//! | scaling (`policy::Scaling`) | `policy/` | proposals, warm-up, cooldown, scheduled actions, predictive |
//! | the meter (`workload::Meter`) | `workload/` | load between events, totals, elasticity |
//!
//! The files of this folder are the choreography between them: an instance launched, InService,
//! terminated; a decision applied; each step recorded and told. Before each event,
//! `Simulation::advance_to` integrates the workload from the previous one, so nothing is
//! computed per instance or per simulated second between events. The core never prints, reads
//! files or the clock: it reports to a [`Recorder`].

/// What the scaling rules read at the minute tick (`crate::policy::View`), borrowed field by
/// field so that the scaling component itself stays free to change.
macro_rules! view {
    ($sim:ident) => {
        crate::policy::View {
            now_ms: $sim.now_ms,
            group: &$sim.group,
            watch: &$sim.watch,
            policies: &$sim.scenario.scaling_policies,
            explain: $sim.recorder.wants_explanations() || $sim.recorder.wants_records(),
        }
    };
}

mod capacity;
mod decide;
mod health;
mod hooks;
mod integrate;
mod lifecycle;
mod predictive;
mod record;
mod refresh;
mod scenario;
mod scheduled;
mod scripted;
mod warm_pool;
mod zones;

pub use scenario::{EventAction, Scenario, ScriptedEvent};

use crate::asg::{Group, Health, HealthEvent, Lifecycle, LifecycleEvent, ZoneEvent, Zones};
use crate::cloudwatch::{CloudWatch, MetricUnits, WatchedAlarm};
use crate::engine::{EventQueue, Scheduler};
use crate::policy::{
    Predictive, PredictiveEvent, Scaling, ScheduledRun, Schedules, WarmupDone, run_alarms,
};
use crate::records::{Recorder, Summary};
use crate::rng::{Stream, stream};
use crate::time::{MS_PER_MIN, SimTime};
use crate::trace::Trace;
use crate::workload::{InstanceModel, Meter};

/// Things that happen at a point in simulated time: the run's own (a timeline row, a scripted
/// event) and each component's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    /// A timeline row is due.
    Sample,
    /// A scripted event (index into the scenario's events).
    Scripted(usize),
    /// Boots, draining, lifecycle hooks, instance refresh.
    Lifecycle(LifecycleEvent),
    /// Failures and health checks.
    Health(HealthEvent),
    /// Launch retries and AZ outages.
    Zone(ZoneEvent),
    /// An instance's metric warm-up ended.
    Warmup(WarmupDone),
    /// The scheduled actions due at a nominal time run.
    Scheduled(ScheduledRun),
    /// The predictive policy's hours.
    Predictive(PredictiveEvent),
}

/// The run's queue, as the scheduler of each component's events.
struct Events<'q>(&'q mut EventQueue<Event>);

macro_rules! component_events {
    ($($event:ty => $variant:ident),* $(,)?) => {$(
        impl Scheduler<$event> for Events<'_> {
            fn schedule(&mut self, at_ms: SimTime, event: $event) {
                self.0.schedule(at_ms, Event::$variant(event));
            }
        }
    )*};
}

component_events! {
    LifecycleEvent => Lifecycle,
    HealthEvent => Health,
    ZoneEvent => Zone,
    WarmupDone => Warmup,
    ScheduledRun => Scheduled,
    PredictiveEvent => Predictive,
}

/// The names of every alarm of a run, in timeline column order: the scenario's own, then the
/// two each target-tracking policy's managed alarms.
pub fn alarm_names(scenario: &Scenario) -> Vec<String> {
    run_alarms(
        &scenario.alarms,
        &scenario.scaling_policies,
        &scenario.monitoring,
    )
    .into_iter()
    .map(|(a, _)| a.config.name)
    .collect()
}

/// Runs `scenario` over `trace` with `seed`, reporting to `recorder`; returns the figures.
pub fn run<R: Recorder>(
    scenario: &Scenario,
    trace: &Trace,
    seed: u64,
    recorder: &mut R,
) -> Summary {
    let mut sim = Simulation::new(scenario, trace, seed, recorder);
    sim.start();
    sim.run_to_end();
    sim.finish(seed)
}

/// The state of one run: the clock, the queue, the recorder and the components.
struct Simulation<'a, R: Recorder> {
    scenario: &'a Scenario,
    recorder: &'a mut R,
    queue: EventQueue<Event>,
    now_ms: SimTime,
    /// The next minute tick \[ms\].
    next_tick_ms: SimTime,
    group: Group,
    health: Health,
    zones: Zones,
    lifecycle: Lifecycle,
    watch: CloudWatch,
    scaling: Scaling,
    meter: Meter<'a>,
}

impl<'a, R: Recorder> Simulation<'a, R> {
    fn new(scenario: &'a Scenario, trace: &'a Trace, seed: u64, recorder: &'a mut R) -> Self {
        let g = &scenario.group;
        let lt = &scenario.launch_template;
        let model = InstanceModel {
            capacity_rps: lt.capacity_rps,
            idle_cpu_percent: lt.idle_cpu_percent,
        };
        let policies = &scenario.scaling_policies;
        let (alarms, owners): (Vec<WatchedAlarm>, Vec<_>) =
            run_alarms(&scenario.alarms, policies, &scenario.monitoring)
                .into_iter()
                .unzip();
        let units = MetricUnits {
            network_in_bytes_per_request: lt.network_in_bytes_per_request,
            network_out_bytes_per_request: lt.network_out_bytes_per_request,
        };
        let scheduled = Schedules::new(
            &scenario.scheduled_actions,
            scenario.start_time,
            (scenario.duration_ms, scenario.scheduled_action_max_delay_ms),
            seed,
        );
        let predictive = Predictive::new(policies);
        let mut group = Group::new(
            g.min_size,
            g.max_size,
            g.desired_capacity,
            g.availability_zones.len(),
        )
        .with_termination(&g.termination_policies, seed);
        group.suspend(&g.suspended_processes, true);
        let launch_failure = scenario.failures.launch_failure_probability;
        let mut scaling = Scaling::new(g, policies, owners, (scheduled, predictive));
        scaling.narrate = recorder.wants_explanations() || recorder.wants_records();
        Self {
            scenario,
            meter: Meter::new(
                trace,
                model,
                (scenario.slo.latency_ms, scenario.slo.cpu_percent),
                recorder.wants_timeline(),
            ),
            recorder,
            queue: EventQueue::new(),
            now_ms: 0,
            next_tick_ms: MS_PER_MIN,
            group,
            health: Health::new(stream(seed, Stream::Failure)),
            zones: Zones::new(
                g.availability_zones.len(),
                launch_failure,
                stream(seed, Stream::Health),
            ),
            lifecycle: Lifecycle::new(seed),
            watch: CloudWatch::new(alarms, &scenario.monitoring, units),
            scaling,
        }
    }

    /// The initial instances are InService at t = 0; the first events are scheduled.
    fn start(&mut self) {
        let lt = &self.scenario.launch_template;
        self.group.templates = vec![(lt.instance_type.clone(), lt.price_per_hour_usd)];
        let protected = self.scenario.group.new_instances_protected_from_scale_in;
        for _ in 0..self.group.desired {
            let index = self.group.launch(0, protected);
            self.group.set_in_service(index, 0);
            self.schedule_random_failure(index);
            self.schedule_lifetime(index);
        }
        self.maintain_pool(true);
        self.queue.schedule(0, Event::Sample);
        for (i, event) in self.scenario.events.iter().enumerate() {
            self.queue.schedule(event.at_ms, Event::Scripted(i));
        }
        let mut events = Events(&mut self.queue);
        self.scaling.scheduled.start(&mut events);
        self.scaling.predictive.start(&mut events);
    }

    /// Whether timeline rows are taken on the minute ticks (a sample interval of whole minutes)
    /// rather than by events of their own: one event a minute instead of two.
    fn samples_on_ticks(&self) -> bool {
        self.scenario.sample_interval_ms.is_multiple_of(MS_PER_MIN)
    }

    /// Pops events in (time, sequence) order. The minute tick is not a queue entry (it would
    /// be one push and one pop a minute): it runs after the events of its own millisecond.
    fn run_to_end(&mut self) {
        let end_ms = self.scenario.duration_ms;
        loop {
            let tick_ms = self.next_tick_ms;
            match self.queue.peek_time() {
                Some(t) if t <= tick_ms && t <= end_ms => {
                    let Some((t, event)) = self.queue.pop() else {
                        break;
                    };
                    self.advance_to(t);
                    self.handle(event);
                }
                _ if tick_ms <= end_ms => {
                    self.advance_to(tick_ms);
                    self.on_minute_tick();
                    self.next_tick_ms += MS_PER_MIN;
                }
                _ => break,
            }
        }
        self.advance_to(end_ms);
    }

    /// Alarms every minute, and the timeline row when one is due on the minute.
    fn on_minute_tick(&mut self) {
        self.on_alarm_tick();
        self.rebalance();
        self.check_overload();
        let interval = self.scenario.sample_interval_ms;
        if self.samples_on_ticks() && self.now_ms.is_multiple_of(interval) {
            self.emit_sample();
        }
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Sample => {
                self.emit_sample();
                if !self.samples_on_ticks() {
                    let next = self.now_ms + self.scenario.sample_interval_ms;
                    self.queue.schedule(next, Event::Sample);
                }
            }
            Event::Scripted(i) => self.on_scripted(i),
            Event::Lifecycle(e) => self.on_lifecycle(e),
            Event::Health(e) => self.on_health(e),
            Event::Zone(e) => self.on_zone(e),
            Event::Warmup(WarmupDone(index)) => self.scaling.warmup.end(&mut self.group, index),
            Event::Scheduled(ScheduledRun(at_ms)) => self.on_scheduled(at_ms),
            Event::Predictive(PredictiveEvent::HourTick) => self.on_hour_tick(),
            Event::Predictive(PredictiveEvent::Scale(hour_ms)) => self.on_predictive_scale(hour_ms),
        }
    }

    fn on_lifecycle(&mut self, event: LifecycleEvent) {
        match event {
            LifecycleEvent::BootDone(index) => self.on_boot_done(index),
            LifecycleEvent::DrainDone(index) => self.on_drain_done(index),
            LifecycleEvent::HookDone(index, transition, result) => {
                self.on_hook_done(index, transition, result)
            }
            LifecycleEvent::RefreshWarm(index) => self.on_refresh_warm(index),
            LifecycleEvent::RefreshResume => self.refresh_step(),
        }
    }

    /// A suspended process that blocks a change from `from` to `to` instances.
    fn blocking_process(&self, from: u32, to: u32) -> Option<crate::asg::ScalingProcess> {
        crate::policy::blocking_process(|p| self.group.suspended(p), from, to)
    }
}
