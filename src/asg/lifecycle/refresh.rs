//! Instance refresh (UG: asg-instance-refresh; UG: asg-adding-checkpoints-instance-refresh): a
//! new launch template (a new instance type, as one changes the type of a live group) replaces
//! the old instances in batches of about (100 − MinHealthyPercentage)% of desired capacity,
//! terminating first and then launching, in termination-policy order; after each batch it
//! waits for the new instances to be InService and warmed up. A checkpoint is reached when the
//! replaced share is at least its percentage (a lower one may be skipped); the refresh then
//! pauses for CheckpointDelay. It starts no batch while Launch, Terminate or InstanceRefresh is
//! suspended (UG: as-suspend-resume-processes).

use crate::time::{SimDuration, SimTime};

use super::super::{Group, ScalingProcess};
use super::InstanceRefreshConfig;

/// The processes a refresh needs, in the order a wait names them.
pub const REFRESH_NEEDS: [ScalingProcess; 3] = [
    ScalingProcess::InstanceRefresh,
    ScalingProcess::Launch,
    ScalingProcess::Terminate,
];

/// What holds a refresh back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshWait {
    /// A process it needs is suspended.
    Suspended(ScalingProcess),
    /// No AZ accepted a successor's launch.
    NoLaunch,
}

/// What a new instance finishing its warm-up did to the refresh.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Warmed {
    /// The highest checkpoint passed now, if any \[%\].
    pub checkpoint: Option<u32>,
    /// The share replaced so far \[%\].
    pub percent: f64,
    /// Whether anything is left to do after this checkpoint.
    pub more: bool,
}

/// A refresh under way.
#[derive(Debug, Clone)]
pub struct Refresh {
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
    pub version: u32,
    /// How long a new instance warms up before it counts \[ms\].
    warmup_ms: SimDuration,
    /// When it started \[ms\].
    pub started_ms: SimTime,
    /// What the plot calls it: `instance refresh to c5.xlarge`.
    pub label: String,
    /// Why it is waiting, once said: it is said again only when the reason changes.
    waiting: Option<RefreshWait>,
}

impl Refresh {
    /// A refresh by `config` to template `version`, of the `to_replace` instances on older
    /// templates, started at `started_ms`; new instances warm up for `warmup_ms`.
    pub fn new(
        config: InstanceRefreshConfig,
        (version, to_replace): (u32, u32),
        (started_ms, warmup_ms): (SimTime, SimDuration),
        label: String,
    ) -> Self {
        Self {
            config,
            to_replace,
            replaced: 0,
            in_flight: Vec::new(),
            next_checkpoint: 0,
            paused_until: 0,
            version,
            warmup_ms,
            started_ms,
            label,
            waiting: None,
        }
    }

    /// Whether a batch may start at `now_ms`: the last batch has warmed up (new instances
    /// that stopped no longer count) and no checkpoint pauses it.
    pub fn ready_for_batch(&mut self, group: &Group, now_ms: SimTime) -> bool {
        self.in_flight.retain(|i| group.instances[*i].is_active());
        self.in_flight.is_empty() && now_ms >= self.paused_until
    }

    /// Whether a partial refresh (its checkpoints end below 100) has passed its last one.
    pub fn partial_done(&self) -> bool {
        let cps = &self.config.checkpoint_percentages;
        self.next_checkpoint >= cps.len() && cps.last().is_some_and(|last| *last < 100)
    }

    /// How many instances the next batch replaces with `desired` capacity: the share above
    /// MinHealthyPercentage (at least one), no further than the next checkpoint
    /// \[instances\].
    pub fn batch_size(&self, desired: u32) -> u32 {
        let min_healthy = (f64::from(desired) * f64::from(self.config.min_healthy_percentage)
            / 100.0)
            .ceil() as u32;
        let mut batch = desired.saturating_sub(min_healthy).max(1);
        if let Some(cp) = self.config.checkpoint_percentages.get(self.next_checkpoint) {
            let target = (f64::from(*cp) * f64::from(self.to_replace) / 100.0).ceil() as u32;
            batch = batch.min(target.saturating_sub(self.replaced).max(1));
        }
        batch
    }

    /// Why it waits now, if it does.
    pub fn waiting(&self) -> Option<RefreshWait> {
        self.waiting
    }

    /// It waits for `why`; true when that is news (said once per reason).
    pub fn wait(&mut self, why: RefreshWait) -> bool {
        let news = self.waiting != Some(why);
        self.waiting = Some(why);
        news
    }

    /// It continues; true when it had been waiting.
    pub fn resume(&mut self) -> bool {
        self.waiting.take().is_some()
    }

    /// A successor was launched.
    pub fn launched(&mut self, index: usize) {
        self.in_flight.push(index);
    }

    /// When a new instance that just became InService at `now_ms` counts, if it is one of
    /// the refresh's \[ms\].
    pub fn warm_at(&self, index: usize, now_ms: SimTime) -> Option<SimTime> {
        self.in_flight
            .contains(&index)
            .then_some(now_ms + self.warmup_ms)
    }

    /// A new instance finished warming up at `now_ms`: it counts, and checkpoints are passed
    /// once the batch is complete (the highest one passed is reported, so a lower one can be
    /// skipped). A checkpoint with more to do pauses the refresh for CheckpointDelay.
    pub fn warmed(&mut self, index: usize, now_ms: SimTime) -> Warmed {
        self.in_flight.retain(|i| *i != index);
        self.replaced += 1;
        let percent = f64::from(self.replaced) * 100.0 / f64::from(self.to_replace.max(1));
        let cps = &self.config.checkpoint_percentages;
        let mut checkpoint = None;
        while let Some(cp) = cps
            .get(self.next_checkpoint)
            .filter(|cp| self.in_flight.is_empty() && f64::from(**cp) <= percent)
        {
            checkpoint = Some(*cp);
            self.next_checkpoint += 1;
        }
        let partial_done = self.partial_done();
        let more =
            !partial_done && (self.next_checkpoint < cps.len() || self.replaced < self.to_replace);
        if checkpoint.is_some() && more {
            self.paused_until = now_ms + self.config.checkpoint_delay_ms;
        }
        Warmed {
            checkpoint,
            percent,
            more,
        }
    }

    /// CheckpointDelay \[ms\].
    pub fn checkpoint_delay_ms(&self) -> SimDuration {
        self.config.checkpoint_delay_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refresh(desired_old: u32, checkpoints: Vec<u32>, min_healthy: u32) -> Refresh {
        let config = InstanceRefreshConfig {
            instance_type: None,
            price_per_hour_usd: None,
            min_healthy_percentage: min_healthy,
            instance_warmup_ms: None,
            checkpoint_percentages: checkpoints,
            checkpoint_delay_ms: 900_000,
        };
        Refresh::new(config, (2, desired_old), (0, 600_000), "r".into())
    }

    /// UG asg-adding-checkpoints-instance-refresh: 10 instances, checkpoints [20, 50],
    /// MinHealthy 80%: batches of two, then stop at 20% and pause 15 minutes; then two more,
    /// then one, to reach 50%.
    #[test]
    fn batches_stop_at_checkpoints() {
        let mut r = refresh(10, vec![20, 50], 80);
        assert_eq!(r.batch_size(10), 2);
        r.launched(10);
        r.launched(11);
        assert_eq!(r.warm_at(10, 0), Some(600_000));
        let first = r.warmed(10, 600_000);
        assert_eq!(first.checkpoint, None, "the batch is not complete yet");
        let second = r.warmed(11, 600_000);
        assert_eq!((second.checkpoint, second.percent), (Some(20), 20.0));
        assert!(second.more);
        assert_eq!(r.batch_size(10), 2, "up to the next checkpoint");
        r.replaced = 4;
        assert_eq!(r.batch_size(10), 1, "50% of 10 is 5: one more");
    }

    /// With 2 instances and checkpoints [10, 40, 100], the first replacement reports 50%: 10
    /// is skipped and 40 is reported.
    #[test]
    fn a_lower_checkpoint_can_be_skipped() {
        let mut r = refresh(2, vec![10, 40, 100], 90);
        r.launched(5);
        let w = r.warmed(5, 60_000);
        assert_eq!((w.checkpoint, w.percent), (Some(40), 50.0));
    }

    /// A partial refresh (checkpoints ending below 100) stops at its last checkpoint.
    #[test]
    fn a_partial_refresh_ends_at_its_last_checkpoint() {
        let mut r = refresh(4, vec![50], 50);
        for i in 0..2 {
            r.launched(i);
        }
        r.warmed(0, 0);
        let w = r.warmed(1, 0);
        assert_eq!(w.checkpoint, Some(50));
        assert!(!w.more);
        assert!(r.partial_done());
    }
}
