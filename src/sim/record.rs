//! What the run hands the recorder: sentences, activity rows in AWS's words, episodes.

use crate::asg::instance_id;
use crate::records::{
    Activity, ActivityKind, ActivityOrigin, Episode, EpisodeKind, Explanation, Recorder,
};
use crate::schedule::sim_ms_to_timestamp;
use crate::time::SimTime;

use super::Simulation;

impl<R: Recorder> Simulation<'_, R> {
    pub(super) fn explain(&mut self, text: String) {
        if self.recorder.wants_explanations() {
            let time_ms = self.now_ms;
            self.recorder.explain(Explanation { time_ms, text });
        }
    }

    /// Run time `t_ms` \[ms\] as AWS writes the time of a cause: `2025-01-06T07:08:00Z`.
    pub(super) fn aws_time(&self, t_ms: SimTime) -> jiff::Timestamp {
        sim_ms_to_timestamp(self.scenario.start_time, t_ms)
    }

    /// `i-00000004`.
    pub(super) fn id_of(&self, index: usize) -> String {
        instance_id(self.group.instances[index].number)
    }

    /// Records the activity of one instance launched or terminated while desired capacity
    /// stays (replacement, refresh, rebalancing, lifecycle hooks), in AWS's words: cause
    /// "At <time> an instance was <what>.", description "Launching a new EC2 instance: <id>" or
    /// "Terminating EC2 instance: <id>". `origin` says which of these it is, for the plot.
    /// Nothing is formatted unless the recorder keeps rows.
    pub(super) fn record_instance_activity(
        &mut self,
        (kind, origin): (ActivityKind, ActivityOrigin),
        index: usize,
        what: std::fmt::Arguments<'_>,
    ) {
        if !self.recorder.wants_records() {
            return;
        }
        let desired = self.group.desired;
        let cause = format!("At {} an instance was {what}.", self.aws_time(self.now_ms));
        let verb = if kind == ActivityKind::Launch {
            "Launching a new"
        } else {
            "Terminating"
        };
        let description = format!("{verb} EC2 instance: {}", self.id_of(index));
        let row = (kind, origin, Some(index));
        self.record_row(row, (desired, desired), &cause, description);
    }

    /// Hands one activity row to the recorder: its kind, origin and instance, desired
    /// capacity before and after \[instances\], cause and description.
    pub(super) fn record_row(
        &mut self,
        (kind, origin, index): (ActivityKind, ActivityOrigin, Option<usize>),
        (desired_before, desired_after): (u32, u32),
        cause: &str,
        description: String,
    ) {
        let (instance_id, az) = match index {
            Some(i) => {
                let az = self.group.instances[i].az;
                let az = self.scenario.group.availability_zones[az].clone();
                (Some(self.id_of(i)), Some(az))
            }
            None => (None, None),
        };
        self.recorder.activity(Activity {
            time_ms: self.now_ms,
            kind,
            origin,
            cause: cause.to_string(),
            desired_before,
            desired_after,
            instance_id,
            az,
            description,
        });
    }

    /// Reports a scripted episode lasting `(start_ms, end_ms)` \[ms\], if the recorder keeps
    /// records.
    pub(super) fn record_episode(
        &mut self,
        kind: EpisodeKind,
        (start_ms, end_ms): (SimTime, SimTime),
        label: String,
    ) {
        if self.recorder.wants_records() {
            let episode = Episode {
                kind,
                start_ms,
                end_ms,
                label,
            };
            self.recorder.episode(episode);
        }
    }
}
