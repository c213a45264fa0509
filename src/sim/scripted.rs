//! Scripted events: a user's SetDesiredCapacity, failures, AZ outages, launch failures,
//! suspended and resumed processes, an instance refresh.

use crate::asg::ScalingProcess;
use crate::records::Recorder;
use crate::sim::EventAction;

use super::Simulation;
use super::capacity::Cause;

impl<R: Recorder> Simulation<'_, R> {
    /// Suspends or resumes processes; on resume the group catches up (UG: as-suspend-resume-processes): it launches or
    /// terminates to desired capacity, replaces what was marked, checks failed instances,
    /// and an instance refresh that waited continues.
    fn suspend(&mut self, processes: &[ScalingProcess], suspend: bool) {
        let names: Vec<&str> = processes.iter().map(|p| p.aws_name()).collect();
        self.group.suspend(processes, suspend);
        let verb = if suspend { "suspended" } else { "resumed" };
        self.explain(format!("processes {verb}: {}", names.join(", ")));
        if suspend {
            return;
        }
        let desired = self.group.desired;
        let cause = format!(
            "At {} processes were resumed ({}): the group catches up with desired capacity.",
            self.aws_time(self.now_ms),
            names.join(", ")
        );
        self.set_desired(desired, Cause::plain(&cause), false);
        if processes.contains(&ScalingProcess::AddToLoadBalancer) {
            let active: Vec<usize> = self.group.active_indices().to_vec();
            for index in active {
                self.group.join_load_balancer(index);
            }
        }
        if processes.contains(&ScalingProcess::HealthCheck) {
            let failed: Vec<usize> = self.group.active_indices().to_vec();
            for index in failed {
                self.redetect(index);
            }
        }
        self.process_replacements();
        // A refresh waiting for Launch, Terminate or InstanceRefresh continues.
        self.refresh_step();
    }

    /// A scripted event happens.
    pub(super) fn on_scripted(&mut self, i: usize) {
        match &self.scenario.events[i].action {
            EventAction::SetDesiredCapacity { value } => {
                let before = self.group.desired;
                let cause = format!(
                    "At {} a user request explicitly set group desired capacity changing the desired capacity from {before} to {value}.",
                    self.aws_time(self.now_ms)
                );
                let change = self.set_desired(*value, Cause::plain(&cause), false);
                let text = format!(
                    "scripted SetDesiredCapacity {value}: desired {before} → {value}{}",
                    self.change_text(&change)
                );
                self.explain(text);
            }
            EventAction::FailInstances { count, az, mode } => {
                self.fail_scripted(*count, az.as_deref(), *mode);
            }
            EventAction::AzOutage { az, duration_ms } => self.start_az_outage(az, *duration_ms),
            EventAction::LaunchFailures {
                az,
                duration_ms,
                probability,
            } => self.start_launch_failures(az.as_deref(), *duration_ms, *probability),
            EventAction::SuspendProcesses { processes } => self.suspend(processes, true),
            EventAction::InstanceRefresh(refresh) => self.start_refresh(refresh),
            EventAction::ResumeProcesses { processes } => self.suspend(processes, false),
        }
    }
}
