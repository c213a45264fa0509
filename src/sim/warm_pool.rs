//! The warm pool in the run: it grows toward its size or is trimmed as desired capacity
//! changes, and scale-outs take its ready instances first (the rules:
//! `crate::asg::lifecycle::warm_pool`; UG: ec2-auto-scaling-warm-pools).

use crate::asg::{LifecycleEvent, pool_az, pool_target, ready_instance};
use crate::records::Recorder;

use super::{Event, Simulation};

impl<R: Recorder> Simulation<'_, R> {
    /// Grows the pool toward its size (new instances boot, then stop) or trims it.
    pub(super) fn maintain_pool(&mut self, ready_at_once: bool) {
        let Some(config) = &self.scenario.warm_pool else {
            return;
        };
        let target = pool_target(config, &self.group);
        // Instances draining back to the pool (ReuseOnScaleIn) are already counted.
        let current = self.group.pool.len() as u32 + self.group.pool_returning;
        if current < target {
            for _ in current..target {
                let az = pool_az(&self.group);
                let boot = self
                    .lifecycle
                    .boot_ms(&self.scenario.launch_template.boot_time);
                let ready = if ready_at_once {
                    self.now_ms
                } else {
                    self.now_ms + boot
                };
                self.group.launch_to_pool(az, self.now_ms, ready);
            }
        } else {
            for _ in target..current.min(target + self.group.pool.len() as u32) {
                let Some(index) = self.group.pool.last().copied() else {
                    break;
                };
                self.group.terminate_from_pool(index, self.now_ms);
                self.report_instance(index);
            }
        }
        if current != target {
            self.explain(format!("warm pool: {current} → {target} instances (max(min_size, prepared capacity − desired {}))", self.group.desired));
        }
    }

    /// Starts a ready pool instance (the one in the AZ a launch would pick first); `None`
    /// when none is ready.
    pub(super) fn take_warm(
        &mut self,
        in_simple_activity: bool,
        leaving_az: Option<usize>,
    ) -> Option<usize> {
        let start = self.scenario.warm_pool.as_ref()?.warm_start_time;
        let now = self.now_ms;
        let order = self.group.launch_order(|_| true, leaving_az);
        let index = ready_instance(&self.group, now, &order)?;
        self.group.take_from_pool(index, now);
        self.group.instances[index].in_simple_activity = in_simple_activity;
        let start_ms = self.lifecycle.boot_ms(&start);
        let done = LifecycleEvent::BootDone(index);
        self.queue.schedule(now + start_ms, Event::Lifecycle(done));
        Some(index)
    }
}
