//! An instance refresh in the run (the rules: `crate::asg::Refresh`; UG: asg-instance-refresh):
//! each batch's old instances are chosen by the termination policies, each successor launches
//! into the AZ its predecessor leaves, and the old one goes only once its successor has
//! launched: when no AZ accepts the launch, it stays and the refresh tries again with the
//! group's launch retry.

use crate::asg::{
    InstanceRefreshConfig, LifecycleEvent, REFRESH_NEEDS, Refresh, RefreshWait, ScalingProcess,
    TerminationReason,
};
use crate::records::{ActivityKind, ActivityOrigin, EpisodeKind, Recorder};
use crate::time::{SimTime, format_duration};

use super::{Event, Simulation};

impl<R: Recorder> Simulation<'_, R> {
    /// An `instance_refresh` event: a new template version, then the first batch.
    pub(super) fn start_refresh(&mut self, config: &InstanceRefreshConfig) {
        let suspended = self.group.suspended(ScalingProcess::InstanceRefresh);
        if suspended || self.lifecycle.refresh.is_some() {
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
        let to_replace = self.old_instances(version);
        let g = &self.scenario.group;
        let warmup_ms = config
            .instance_warmup_ms
            .or(g.default_instance_warmup_ms)
            .unwrap_or(g.health_check_grace_period_ms);
        let label = format!("instance refresh to {instance_type}");
        let refresh = Refresh::new(
            config.clone(),
            (version, to_replace),
            (self.now_ms, warmup_ms),
            label,
        );
        self.lifecycle.refresh = Some(refresh);
        self.explain(format!(
            "instance refresh to template version {version} ({instance_type}): {to_replace} instances to replace, min healthy {}%",
            config.min_healthy_percentage
        ));
        self.refresh_step();
    }

    /// Active instances of templates older than `version` \[instances\].
    fn old_instances(&self, version: u32) -> u32 {
        let g = &self.group;
        let old = |i: &&usize| g.instances[**i].template_version < version;
        g.active_indices().iter().filter(old).count() as u32
    }

    /// Replaces the next batch, unless a batch is still warming or a checkpoint pauses it.
    pub(super) fn refresh_step(&mut self) {
        let now = self.now_ms;
        let Some(r) = &mut self.lifecycle.refresh else {
            return;
        };
        if !r.ready_for_batch(&self.group, now) {
            return;
        }
        if r.partial_done() {
            self.close_refresh(now);
            self.explain(
                "instance refresh stops at its last checkpoint (the list does not end at 100)"
                    .to_string(),
            );
            return;
        }
        let (version, batch) = (r.version, r.batch_size(self.group.desired));
        let older = |inst: &crate::asg::Instance| inst.template_version < version;
        let choice = self.group.choose_among(now, batch as usize, older);
        if choice.chosen.is_empty() {
            self.explain("instance refresh complete: 100%".to_string());
            self.close_refresh(now);
            return;
        }
        if let Some(process) = REFRESH_NEEDS.into_iter().find(|p| self.group.suspended(*p)) {
            self.refresh_waits(RefreshWait::Suspended(process));
            return;
        }
        if matches!(self.refresh_waiting(), Some(RefreshWait::Suspended(_))) {
            self.refresh_continues();
        }
        for old in choice.chosen {
            if !self.refresh_replace(old) {
                // No AZ accepts a launch now; the group's launch retry brings the refresh back.
                self.refresh_waits(RefreshWait::NoLaunch);
                return;
            }
        }
    }

    fn refresh_waiting(&self) -> Option<RefreshWait> {
        self.lifecycle.refresh.as_ref().and_then(|r| r.waiting())
    }

    /// The refresh waits: said once per reason, not at every retry.
    fn refresh_waits(&mut self, why: RefreshWait) {
        let Some(r) = &mut self.lifecycle.refresh else {
            return;
        };
        if !r.wait(why) {
            return;
        }
        let text = match why {
            RefreshWait::Suspended(p) => {
                format!("instance refresh waits: {} is suspended", p.aws_name())
            }
            RefreshWait::NoLaunch => "instance refresh waits: no Availability Zone accepts a launch, so no old instance goes yet".to_string(),
        };
        self.explain(text);
    }

    fn refresh_continues(&mut self) {
        if let Some(r) = &mut self.lifecycle.refresh
            && r.resume()
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
        if self.refresh_waiting() == Some(RefreshWait::NoLaunch) {
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
        if let Some(r) = &mut self.lifecycle.refresh {
            r.launched(new);
        }
        true
    }

    /// Ends the refresh under way, if any, and reports its span up to `end_ms`.
    pub(super) fn close_refresh(&mut self, end_ms: SimTime) {
        if let Some(r) = self.lifecycle.refresh.take() {
            let span = (r.started_ms, end_ms);
            self.record_episode(EpisodeKind::InstanceRefresh, span, r.label);
        }
    }

    /// A new instance of the refresh is InService: it counts once warmed up.
    pub(super) fn refresh_in_service(&mut self, index: usize) {
        let Some(r) = &self.lifecycle.refresh else {
            return;
        };
        if let Some(at) = r.warm_at(index, self.now_ms) {
            let warm = LifecycleEvent::RefreshWarm(index);
            self.queue.schedule(at, Event::Lifecycle(warm));
        }
    }

    /// A new instance finished warming up: progress, checkpoints, the next batch.
    pub(super) fn on_refresh_warm(&mut self, index: usize) {
        let now = self.now_ms;
        let Some(r) = &mut self.lifecycle.refresh else {
            return;
        };
        let warmed = r.warmed(index, now);
        let delay = r.checkpoint_delay_ms();
        if let Some(cp) = warmed.checkpoint {
            if warmed.more {
                let resume = LifecycleEvent::RefreshResume;
                self.queue.schedule(now + delay, Event::Lifecycle(resume));
                if delay > 0 {
                    let label = format!("checkpoint {cp}%: pause");
                    self.record_episode(EpisodeKind::RefreshCheckpoint, (now, now + delay), label);
                }
            }
            let pause = if warmed.more {
                format!("; pausing {}", format_duration(delay))
            } else {
                String::new()
            };
            let percent = warmed.percent;
            let text = format!(
                "instance refresh: checkpoint {cp}% reached ({percent:.0}% replaced){pause}"
            );
            self.explain(text);
        }
        self.refresh_step();
    }
}
