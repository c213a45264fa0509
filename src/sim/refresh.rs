//! Instance refresh (asg-semantics.md §10): a new launch template (a new instance type, as one
//! changes the type of a live group) replaces the old instances in batches of about
//! (100 − MinHealthyPercentage)% of desired capacity, terminating first and then launching,
//! in termination-policy order; after each batch it waits for the new instances to be
//! InService and warmed up. A checkpoint is reached when the replaced share is at least its
//! percentage (a lower one may be skipped); the refresh then pauses for CheckpointDelay.
//!
//! It starts no batch while Launch, Terminate or InstanceRefresh is suspended (§1.5: with
//! Launch suspended InstanceRefresh stops, with Terminate suspended it cannot terminate) and
//! continues when they resume. An old instance goes only once its successor has launched:
//! when no AZ accepts the launch, it stays and the refresh tries again with the group's
//! launch retry.

use crate::asg::TerminationReason;
use crate::asg::choose_among;
use crate::asg::{InstanceRefreshConfig, ScalingProcess};
use crate::records::{ActivityKind, ActivityOrigin, EpisodeKind, Recorder};
use crate::time::{SimDuration, SimTime, format_duration};

use super::{Event, Simulation};

/// A refresh under way.
#[derive(Debug, Clone)]
pub(super) struct Refresh {
    config: InstanceRefreshConfig,
    /// Instances of older templates when it started \[instances\].
    to_replace: u32,
    /// New instances InService and warmed up \[instances\].
    replaced: u32,
    /// New instances launched and not yet warmed up.
    in_flight: Vec<usize>,
    /// Index of the next checkpoint not yet reached.
    next_checkpoint: usize,
    /// Paused at a checkpoint until then \[ms\].
    paused_until: SimTime,
    /// The template version being rolled out.
    version: u32,
    warmup_ms: SimDuration,
    /// When it started \[ms\].
    started_ms: SimTime,
    /// What the plot calls it: `instance refresh to c5.xlarge`.
    label: String,
    /// Why it is waiting, once said: it is said again only when the reason changes.
    waiting: Option<Wait>,
}

/// What holds a refresh back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    /// A process it needs is suspended.
    Suspended(ScalingProcess),
    /// No AZ accepted a successor's launch.
    NoLaunch,
}

/// The processes a refresh needs, in the order a wait names them.
const NEEDED: [ScalingProcess; 3] = [
    ScalingProcess::InstanceRefresh,
    ScalingProcess::Launch,
    ScalingProcess::Terminate,
];

impl<R: Recorder> Simulation<'_, R> {
    /// An `instance_refresh` event: a new template version, then the first batch.
    pub(super) fn start_refresh(&mut self, config: &InstanceRefreshConfig) {
        if self.suspended(ScalingProcess::InstanceRefresh) || self.refresh.is_some() {
            self.explain("instance refresh not started: InstanceRefresh is suspended or a refresh is under way".to_string());
            return;
        }
        let lt = &self.scenario.launch_template;
        let instance_type = config
            .instance_type
            .clone()
            .unwrap_or_else(|| lt.instance_type.clone());
        let price = config.price_per_hour_usd.unwrap_or(lt.price_per_hour_usd);
        self.group.templates.push((instance_type.clone(), price));
        self.group.current_template_version = self.group.templates.len() as u32;
        let version = self.group.current_template_version;
        let to_replace = self.old_instances(version).len() as u32;
        let g = &self.scenario.group;
        let warmup_ms = config
            .instance_warmup_ms
            .or(g.default_instance_warmup_ms)
            .unwrap_or(g.health_check_grace_period_ms);
        self.refresh = Some(Refresh {
            config: config.clone(),
            to_replace,
            replaced: 0,
            in_flight: Vec::new(),
            next_checkpoint: 0,
            paused_until: 0,
            version,
            warmup_ms,
            started_ms: self.now_ms,
            label: format!("instance refresh to {instance_type}"),
            waiting: None,
        });
        self.explain(format!(
            "instance refresh to template version {version} ({instance_type}): {to_replace} instances to replace, min healthy {}%",
            config.min_healthy_percentage
        ));
        self.refresh_step();
    }

    fn old_instances(&self, version: u32) -> Vec<usize> {
        let g = &self.group;
        let old = |i: &usize| g.instances[*i].template_version < version;
        g.active_indices().iter().copied().filter(old).collect()
    }

    /// Replaces the next batch, unless a batch is still warming or a checkpoint pauses it.
    pub(super) fn refresh_step(&mut self) {
        let Some(r) = &mut self.refresh else {
            return;
        };
        let group = &self.group;
        r.in_flight.retain(|i| group.instances[*i].is_active());
        if !r.in_flight.is_empty() || self.now_ms < r.paused_until {
            return;
        }
        let cps = &r.config.checkpoint_percentages;
        if r.next_checkpoint >= cps.len() && cps.last().is_some_and(|last| *last < 100) {
            // A partial refresh: it stops at its last checkpoint.
            self.close_refresh(self.now_ms);
            self.explain(
                "instance refresh stops at its last checkpoint (the list does not end at 100)"
                    .to_string(),
            );
            return;
        }
        let version = r.version;
        let desired = self.group.desired;
        let min_healthy =
            (f64::from(desired) * f64::from(r.config.min_healthy_percentage) / 100.0).ceil() as u32;
        let mut batch = desired.saturating_sub(min_healthy).max(1);
        if let Some(cp) = r.config.checkpoint_percentages.get(r.next_checkpoint) {
            let target = (f64::from(*cp) * f64::from(r.to_replace) / 100.0).ceil() as u32;
            batch = batch.min(target.saturating_sub(r.replaced).max(1));
        }
        let policies = &self.scenario.group.termination_policies;
        let choice = choose_among(
            &self.group,
            policies,
            (self.now_ms, batch as usize),
            &mut self.termination_rng,
            |inst| inst.template_version < version,
        );
        if choice.chosen.is_empty() {
            self.explain("instance refresh complete: 100%".to_string());
            self.close_refresh(self.now_ms);
            return;
        }
        if let Some(process) = NEEDED.into_iter().find(|p| self.suspended(*p)) {
            self.refresh_waits(Wait::Suspended(process));
            return;
        }
        if matches!(self.refresh_waiting(), Some(Wait::Suspended(_))) {
            self.refresh_continues();
        }
        for old in choice.chosen {
            if !self.refresh_replace(old) {
                // No AZ accepts a launch now; the group's launch retry brings the refresh back.
                self.refresh_waits(Wait::NoLaunch);
                return;
            }
        }
    }

    fn refresh_waiting(&self) -> Option<Wait> {
        self.refresh.as_ref().and_then(|r| r.waiting)
    }

    /// The refresh waits: said once per reason, not at every retry.
    fn refresh_waits(&mut self, why: Wait) {
        let Some(r) = &mut self.refresh else {
            return;
        };
        if r.waiting == Some(why) {
            return;
        }
        r.waiting = Some(why);
        let text = match why {
            Wait::Suspended(p) => format!("instance refresh waits: {} is suspended", p.aws_name()),
            Wait::NoLaunch => "instance refresh waits: no Availability Zone accepts a launch, so no old instance goes yet".to_string(),
        };
        self.explain(text);
    }

    fn refresh_continues(&mut self) {
        if let Some(r) = &mut self.refresh
            && r.waiting.take().is_some()
        {
            self.explain("instance refresh continues".to_string());
        }
    }

    /// Launches the successor of one old instance on the new template, then terminates the
    /// old one (the successor's AZ is chosen as if the old one were already gone, as AWS
    /// terminates first). False, and nothing terminated, when the successor cannot launch.
    fn refresh_replace(&mut self, old: usize) -> bool {
        let Some(new) = self.try_launch_leaving(false, Some(old)) else {
            return false;
        };
        if self.refresh_waiting() == Some(Wait::NoLaunch) {
            self.refresh_continues();
        }
        let id = self.id_of(old);
        self.terminate_one(old, TerminationReason::InstanceRefresh, false);
        let origin = ActivityOrigin::InstanceRefresh;
        let why = format_args!("taken out of service in response to an instance refresh");
        self.record_instance_activity((ActivityKind::Terminate, origin), old, why);
        let why = format_args!("launched in response to an instance refresh");
        self.record_instance_activity((ActivityKind::Launch, origin), new, why);
        let text = format!(
            "instance refresh: terminating {id}, launching {} in {}",
            self.id_of(new),
            self.az_name(new)
        );
        self.explain(text);
        if let Some(r) = &mut self.refresh {
            r.in_flight.push(new);
        }
        true
    }

    /// Ends the refresh under way, if any, and reports its span up to `end_ms`.
    pub(super) fn close_refresh(&mut self, end_ms: SimTime) {
        if let Some(r) = self.refresh.take() {
            let span = (r.started_ms, end_ms);
            self.record_episode(EpisodeKind::InstanceRefresh, span, r.label);
        }
    }

    /// A new instance of the refresh is InService: it counts once warmed up.
    pub(super) fn refresh_in_service(&mut self, index: usize) {
        let Some(r) = &self.refresh else {
            return;
        };
        if r.in_flight.contains(&index) {
            let at = self.now_ms + r.warmup_ms;
            let _ = self.queue.schedule(at, Event::RefreshWarm(index));
        }
    }

    /// A new instance finished warming up: progress, checkpoints, the next batch.
    pub(super) fn on_refresh_warm(&mut self, index: usize) {
        let now = self.now_ms;
        let Some(r) = &mut self.refresh else {
            return;
        };
        r.in_flight.retain(|i| *i != index);
        r.replaced += 1;
        let percent = f64::from(r.replaced) * 100.0 / f64::from(r.to_replace.max(1));
        let cps = &r.config.checkpoint_percentages;
        let mut reached = None;
        // Checkpoints count when a batch is complete; the highest one passed is reported.
        while let Some(cp) = cps
            .get(r.next_checkpoint)
            .filter(|cp| r.in_flight.is_empty() && f64::from(**cp) <= percent)
        {
            reached = Some(*cp);
            r.next_checkpoint += 1;
        }
        let delay = r.config.checkpoint_delay_ms;
        let partial_done = r.next_checkpoint >= cps.len() && cps.last().is_some_and(|l| *l < 100);
        let more = !partial_done && (r.next_checkpoint < cps.len() || r.replaced < r.to_replace);
        if let Some(cp) = reached {
            if more {
                r.paused_until = now + delay;
                let _ = self.queue.schedule(now + delay, Event::RefreshResume);
                if delay > 0 {
                    let label = format!("checkpoint {cp}%: pause");
                    self.record_episode(EpisodeKind::RefreshCheckpoint, (now, now + delay), label);
                }
            }
            let text = format!(
                "instance refresh: checkpoint {cp}% reached ({percent:.0}% replaced){}",
                if more {
                    format!("; pausing {}", format_duration(delay))
                } else {
                    String::new()
                }
            );
            self.explain(text);
        }
        self.refresh_step();
    }
}
