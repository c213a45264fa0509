//! What blocks a `SimpleScaling` policy (UG: ec2-auto-scaling-scaling-cooldowns): after it starts an activity it
//! ignores alarms until every instance of that activity has finished launching or terminating
//! *and* the cooldown that starts then has expired. One gate serves the whole group: whether one
//! simple policy's cooldown blocks another is not documented, so they share it \[model\].

use crate::time::{SimDuration, SimTime};

/// Whether a simple policy may act now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimpleOutcome {
    /// It may act.
    Ready,
    /// An activity it started is still running (instances launching or draining).
    ActivityInProgress,
    /// The cooldown runs until this time \[ms\].
    Cooldown(SimTime),
}

/// The group-level gate of simple policies.
#[derive(Debug, Clone, Default)]
pub struct SimpleGate {
    unfinished_instances: u32,
    pending_cooldown_ms: SimDuration,
    cooldown_until_ms: SimTime,
}

impl SimpleGate {
    /// Whether a simple policy may act at `now_ms`.
    pub fn check(&self, now_ms: SimTime) -> SimpleOutcome {
        if self.unfinished_instances > 0 {
            SimpleOutcome::ActivityInProgress
        } else if now_ms < self.cooldown_until_ms {
            SimpleOutcome::Cooldown(self.cooldown_until_ms)
        } else {
            SimpleOutcome::Ready
        }
    }

    /// A simple policy started an activity of `instances` launches or terminations at `now_ms`,
    /// with `cooldown_ms` to follow. With no instance to wait for, the cooldown starts at once.
    pub fn started(&mut self, instances: u32, cooldown_ms: SimDuration, now_ms: SimTime) {
        self.unfinished_instances = instances;
        self.pending_cooldown_ms = cooldown_ms;
        if instances == 0 {
            self.cooldown_until_ms = now_ms + cooldown_ms;
        }
    }

    /// One instance of the activity finished at `now_ms`; the last one starts the cooldown.
    pub fn instance_finished(&mut self, now_ms: SimTime) {
        if self.unfinished_instances == 0 {
            return;
        }
        self.unfinished_instances -= 1;
        if self.unfinished_instances == 0 {
            self.cooldown_until_ms = now_ms + self.pending_cooldown_ms;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cooldown_starts_when_the_last_instance_finishes() {
        let mut gate = SimpleGate::default();
        assert_eq!(gate.check(0), SimpleOutcome::Ready);
        gate.started(2, 300_000, 60_000);
        assert_eq!(gate.check(100_000), SimpleOutcome::ActivityInProgress);
        gate.instance_finished(150_000);
        assert_eq!(gate.check(160_000), SimpleOutcome::ActivityInProgress);
        gate.instance_finished(170_000);
        assert_eq!(gate.check(200_000), SimpleOutcome::Cooldown(470_000));
        assert_eq!(gate.check(470_000), SimpleOutcome::Ready);
    }
}
