//! The simulation core: one run of a scenario against a trace with a seed.
//!
//! The loop pops events in (time, sequence) order; before each, `Simulation::advance_to`
//! integrates the workload from the previous event, so nothing is computed per instance or
//! per simulated second between events.

mod alarms;
mod explain;
mod gates;
mod health;
mod hooks;
mod integrate;
mod lifecycle;
mod predictive;
mod proposals;
mod refresh;
mod scaling;
mod scenario;
mod scheduled;
mod warm_pool;
mod warmup;
mod zones;

pub use alarms::alarm_names;
pub use hooks::{hook_cap_ms, hook_deadline_ms, hook_outcome};
pub use scenario::{EventAction, Scenario, ScriptedEvent};
pub use warm_pool::warm_pool_size;
pub use zones::rebalance_allowance;

use crate::asg::Group;
use crate::asg::{HookResult, LifecycleTransition};
use crate::cloudwatch::{
    AlarmEvaluation, AlarmRuntime, Bucket, BucketLog, MetricUnits, evaluation_range_len,
};
use crate::elasticity::ElasticityAccumulator;
use crate::engine::EventQueue;
use crate::policy::PolicyKind;
use crate::policy::SimpleGate;
use crate::records::{Recorder, Summary};
use crate::rng::{SimRng, Stream, stream};
use crate::time::{MS_PER_MIN, SimDuration, SimTime};
use crate::trace::{Trace, TraceCursor};
use crate::workload::InstanceModel;

use alarms::{AlarmOwner, SimAlarm, build_alarms, metric_warmup_ms, policy_warmup_ms};
use health::Finding;
use integrate::{SampleAccumulator, Totals};
use predictive::PredictiveState;
use scheduled::ScheduledState;
use warmup::Warmup;

/// Things that happen at a point in simulated time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    /// An instance finished booting (index into the group's instances).
    BootDone(usize),
    /// A terminating instance finished draining.
    DrainDone(usize),
    /// A timeline row is due.
    Sample,
    /// A scripted event (index into the scenario's events).
    Scripted(usize),
    /// An instance's metric warm-up ended.
    WarmupDone(usize),
    /// The scheduled actions due at a nominal time run (that time \[ms\]; the event comes
    /// up to `scheduled_action_max_delay` later).
    Scheduled(SimTime),
    /// An hour ended: predictive scaling records it and plans the next hour.
    HourTick,
    /// A predictive policy raises capacity for the hour starting at the given time \[ms\].
    PredictiveScale(SimTime),
    /// An instance fails at random (`instance_mtbf`).
    InstanceFails(usize),
    /// The load balancer's health checks of a failed instance have failed enough times (the
    /// instance, when its failure began \[ms\]).
    LbHealthFail(usize, SimTime),
    /// EC2 status checks of an impaired instance fail (the instance, when it failed \[ms\]).
    Ec2StatusFail(usize, SimTime),
    /// The grace period of an instance found unhealthy during it ends (the instance, the
    /// finding, when its failure began \[ms\]).
    GraceEnd(usize, Finding, SimTime),
    /// The load balancer's health checks of an instance that recovered have passed enough
    /// times: it routes to it again.
    LbHealthPass(usize),
    /// Launches that failed in every AZ are tried again.
    RetryLaunch,
    /// An AZ outage ends (index of the AZ).
    AzRecovered(usize),
    /// A lifecycle action completes or times out.
    HookDone(usize, LifecycleTransition, HookResult),
    /// An instance reaches the group's MaxInstanceLifetime.
    LifetimeReached(usize),
    /// An instance's application has started: it answers health checks.
    ApplicationReady(usize),
    /// A new instance of an instance refresh finished its warm-up.
    RefreshWarm(usize),
    /// An instance refresh resumes after a checkpoint.
    RefreshResume,
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
    sim.finish()
}

/// How many closed metric buckets the alarms can need: their evaluation ranges, plus one
/// coarse datapoint that may start in the oldest window and end after it.
fn buckets_to_keep(
    alarms: &[SimAlarm],
    resolution_ms: SimDuration,
    ec2_datapoint_ms: SimDuration,
    delay_ms: SimDuration,
) -> usize {
    let coarse = ec2_datapoint_ms.div_ceil(resolution_ms) as usize;
    alarms
        .iter()
        .map(|a| {
            let c = &a.config;
            let range = evaluation_range_len(c.evaluation_periods, c.period_ms, delay_ms);
            (range as u64 * c.period_ms).div_ceil(resolution_ms) as usize + coarse + 2
        })
        .max()
        .unwrap_or(1)
}

/// Per policy: the indices of its managed (high, low) alarms, for target tracking.
fn target_tracking_alarms(alarms: &[SimAlarm], policies: usize) -> Vec<Option<(usize, usize)>> {
    let mut tt_alarms = vec![None; policies];
    for (i, def) in alarms.iter().enumerate() {
        if let AlarmOwner::TargetTrackingHigh(p) = def.owner {
            tt_alarms[p] = Some((i, i + 1));
        }
    }
    tt_alarms
}

/// Target-tracking policies that may scale in (all must agree before one does).
fn scale_in_target_trackers(scenario: &Scenario) -> usize {
    let may_scale_in = |p: &crate::policy::PolicyConfig| match &p.kind {
        PolicyKind::TargetTracking(tt) => p.enabled && !tt.disable_scale_in,
        _ => false,
    };
    scenario
        .scaling_policies
        .iter()
        .filter(|p| may_scale_in(p))
        .count()
}

/// The state of one run.
struct Simulation<'a, R: Recorder> {
    scenario: &'a Scenario,
    seed: u64,
    cursor: TraceCursor<'a>,
    recorder: &'a mut R,
    /// Whether the trace has an extra column (a customized metric) to integrate.
    has_column: bool,
    /// Whether the recorder keeps timeline rows (else interval averages are not integrated).
    wants_timeline: bool,
    queue: EventQueue<Event>,
    now_ms: SimTime,
    /// The next minute tick \[ms\].
    next_tick_ms: SimTime,
    group: Group,
    model: InstanceModel,
    /// Load one instance carries within the SLO, for the exact demand \[req/s\].
    slo_capacity_rps: f64,
    /// The last load seen and its demand: loads repeat between events \[req/s, instances\].
    demand_cache: (f64, u32),
    units: MetricUnits,
    open_bucket: Bucket,
    buckets: BucketLog,
    alarm_defs: Vec<SimAlarm>,
    alarms: Vec<AlarmRuntime>,
    evals_scratch: Vec<AlarmEvaluation>,
    /// Per policy: its managed (high, low) alarm indices, for target tracking.
    tt_alarms: Vec<Option<(usize, usize)>>,
    /// Target-tracking policies that may scale in: all must agree \[policies\].
    tt_scale_in_policies: usize,
    /// Per policy: its warm-up, 0 for simple and predictive ones \[ms\].
    policy_warmups: Vec<SimDuration>,
    warmup: Warmup,
    /// Per step policy: the step whose "no change" was last explained.
    step_noted: Vec<Option<usize>>,
    /// Instances draining back to the warm pool (ReuseOnScaleIn) \[instances\].
    pool_returning: u32,
    /// The (policy, capacity) last explained as not applied (held, or blocked by a suspended
    /// process): said once, not every minute.
    unapplied_noted: Option<(usize, u32)>,
    /// When the last instance finished launching or terminating \[ms\].
    last_capacity_change_ms: SimTime,
    scheduled: ScheduledState,
    predictive: PredictiveState,
    simple_gate: SimpleGate,
    /// Instances found unhealthy by the load balancer, waiting for their batch.
    replace_queue: std::collections::VecDeque<(usize, Finding)>,
    /// Replacements launched and not yet InService \[instances\].
    replacements_in_flight: u32,
    failure_rng: SimRng,
    /// Launch failure draws.
    health_rng: SimRng,
    /// Lifecycle hook work times.
    hooks_rng: SimRng,
    zones: zones::Zones,
    /// The instance refresh under way, if any.
    refresh: Option<refresh::Refresh>,
    /// Since when the fleet has been saturated (or since its last instance failed for it),
    /// for `overload_fails_health_checks` \[ms\]; `None` while it is not.
    overload_since_ms: Option<SimTime>,
    sample: SampleAccumulator,
    totals: Totals,
    elasticity: ElasticityAccumulator,
    boot_rng: SimRng,
    termination_rng: SimRng,
}

impl<'a, R: Recorder> Simulation<'a, R> {
    fn new(scenario: &'a Scenario, trace: &'a Trace, seed: u64, recorder: &'a mut R) -> Self {
        let g = &scenario.group;
        let lt = &scenario.launch_template;
        // One-minute buckets whatever the monitoring: only EC2 metrics are coarser under basic
        // monitoring, and the log aggregates them when asked.
        let resolution_ms = MS_PER_MIN;
        let ec2_datapoint_ms = scenario.monitoring.resolution_ms();
        let delay_ms = scenario.monitoring.metric_delay_ms;
        let model = InstanceModel {
            capacity_rps: lt.capacity_rps,
            idle_cpu_percent: lt.idle_cpu_percent,
        };
        let alarm_defs = build_alarms(scenario);
        let keep = buckets_to_keep(&alarm_defs, resolution_ms, ec2_datapoint_ms, delay_ms);
        let tt_alarms = target_tracking_alarms(&alarm_defs, scenario.scaling_policies.len());
        let tt_scale_in_policies = scale_in_target_trackers(scenario);
        let policy_warmups: Vec<SimDuration> = scenario
            .scaling_policies
            .iter()
            .map(|p| policy_warmup_ms(scenario, &p.kind).unwrap_or(0))
            .collect();
        let metric_warmup = metric_warmup_ms(scenario);
        let longest_policy_warmup = policy_warmups.iter().copied().max().unwrap_or(0);
        let warmup = Warmup {
            metric_warmup_ms: metric_warmup,
            longest_ms: longest_policy_warmup.max(metric_warmup),
            ..Warmup::default()
        };
        Self {
            scenario,
            seed,
            cursor: trace.cursor(),
            has_column: trace.column_name().is_some(),
            wants_timeline: recorder.wants_timeline(),
            recorder,
            queue: EventQueue::new(),
            now_ms: 0,
            next_tick_ms: MS_PER_MIN,
            group: Group::new(
                g.min_size,
                g.max_size,
                g.desired_capacity,
                g.availability_zones.len(),
            ),
            model,
            slo_capacity_rps: model.slo_capacity_rps(scenario.slo.latency_ms),
            demand_cache: (0.0, 0),
            units: MetricUnits {
                network_in_bytes_per_request: lt.network_in_bytes_per_request,
                network_out_bytes_per_request: lt.network_out_bytes_per_request,
            },
            open_bucket: Bucket::default(),
            buckets: BucketLog::new(resolution_ms, delay_ms, keep)
                .with_ec2_datapoint_ms(ec2_datapoint_ms),
            alarms: vec![AlarmRuntime::new(); alarm_defs.len()],
            alarm_defs,
            evals_scratch: Vec::new(),
            tt_alarms,
            tt_scale_in_policies,
            policy_warmups,
            warmup,
            step_noted: vec![None; scenario.scaling_policies.len()],
            unapplied_noted: None,
            pool_returning: 0,
            last_capacity_change_ms: 0,
            scheduled: ScheduledState::new(scenario, seed),
            predictive: PredictiveState::new(scenario),
            simple_gate: SimpleGate::default(),
            replace_queue: std::collections::VecDeque::new(),
            replacements_in_flight: 0,
            failure_rng: stream(seed, Stream::Failure),
            health_rng: stream(seed, Stream::Health),
            hooks_rng: stream(seed, Stream::Hooks),
            zones: zones::Zones::new(g.availability_zones.len(), &g.suspended_processes),
            refresh: None,
            overload_since_ms: None,
            sample: SampleAccumulator::default(),
            totals: Totals::default(),
            elasticity: ElasticityAccumulator::default(),
            boot_rng: stream(seed, Stream::Boot),
            termination_rng: stream(seed, Stream::Termination),
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
        let _ = self.queue.schedule(0, Event::Sample);
        for (i, event) in self.scenario.events.iter().enumerate() {
            let _ = self.queue.schedule(event.at_ms, Event::Scripted(i));
        }
        self.schedule_first_actions();
        if self.predictive.is_active() {
            let _ = self
                .queue
                .schedule(crate::time::MS_PER_HOUR, Event::HourTick);
        }
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
            Event::BootDone(index) => self.on_boot_done(index),
            Event::DrainDone(index) => self.on_drain_done(index),
            Event::Sample => {
                self.emit_sample();
                if !self.samples_on_ticks() {
                    let next = self.now_ms + self.scenario.sample_interval_ms;
                    let _ = self.queue.schedule(next, Event::Sample);
                }
            }
            Event::Scripted(i) => self.on_scripted(i),
            Event::WarmupDone(index) => self.end_warmup(index),
            Event::Scheduled(at_ms) => self.on_scheduled(at_ms),
            Event::HourTick => {
                self.on_hour_tick();
                let _ = self
                    .queue
                    .schedule(self.now_ms + crate::time::MS_PER_HOUR, Event::HourTick);
            }
            Event::PredictiveScale(hour_ms) => self.on_predictive_scale(hour_ms),
            Event::InstanceFails(index) => {
                self.fail_instance(index, crate::asg::FailureMode::Impaired, "random failure")
            }
            Event::LbHealthFail(index, at) => self.on_lb_health_fail(index, at),
            Event::Ec2StatusFail(index, at) => self.on_ec2_status_fail(index, at),
            Event::GraceEnd(index, finding, at) => self.on_grace_end(index, finding, at),
            Event::LbHealthPass(index) => self.on_lb_health_pass(index),
            Event::RetryLaunch => self.on_retry_launch(),
            Event::AzRecovered(az) => self.on_az_recovered(az),
            Event::HookDone(index, transition, result) => {
                self.on_hook_done(index, transition, result)
            }
            Event::LifetimeReached(index) => self.on_lifetime_reached(index),
            Event::ApplicationReady(index) => self.on_application_ready(index),
            Event::RefreshWarm(index) => self.on_refresh_warm(index),
            Event::RefreshResume => self.refresh_step(),
        }
    }
}
