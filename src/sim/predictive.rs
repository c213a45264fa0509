//! The predictive policy's hours in the run: the policy (`crate::policy`) records and
//! forecasts; here its scale-ups change the group and are told.

use crate::policy::{PredictivePolicy, buffered_max, clamp_capacity, whole_instances};
use crate::records::{ActivityKind, ActivityOrigin, Recorder};
use crate::time::{Clock, SimTime, format_duration};

use super::{Events, Simulation};

impl<R: Recorder> Simulation<'_, R> {
    /// An hour ended: the policy records it and refreshes its forecast; the first forecast
    /// scales at once; the next hour is planned.
    pub(super) fn on_hour_tick(&mut self) {
        let lt = &self.scenario.launch_template;
        let bytes = (
            lt.network_in_bytes_per_request,
            lt.network_out_bytes_per_request,
        );
        let now = self.now_ms;
        if self.scaling.predictive.hour_ended(now, bytes) {
            self.on_predictive_scale(now);
        }
        let mut events = Events(&mut self.queue);
        self.scaling.predictive.plan_next_hour(now, &mut events);
    }

    /// Raises desired capacity to the forecast for the hour starting at `hour_ms` \[ms\]; with
    /// IncreaseMaxCapacity first raises max_size to the buffered forecast, for good.
    pub(super) fn on_predictive_scale(&mut self, hour_ms: SimTime) {
        let predictive = &self.scaling.predictive;
        let Some((p, policy)) = predictive.policy().cloned() else {
            return;
        };
        let Some(forecast) = predictive.forecast_at(hour_ms) else {
            return;
        };
        let needed = whole_instances(forecast);
        let raised = if policy.increase_max_capacity {
            self.raise_max(p, &policy, forecast, hour_ms)
        } else {
            None
        };
        let max = self.group.max_size;
        let target = clamp_capacity(i64::from(needed), self.group.min_size, max);
        let before = self.group.desired;
        let name = &self.scenario.scaling_policies[p].name;
        let why = format!(
            "predictive policy {name}: forecast {forecast:.2} instances for {} (buffer {})",
            Clock(hour_ms),
            format_duration(policy.scheduling_buffer_time_ms)
        );
        let held = if needed > max {
            format!(", held at max_size {max} (HonorMaxCapacity)")
        } else {
            String::new()
        };
        if target <= before {
            if let Some(raised) = raised {
                self.explain(format!("{why} ⇒ {raised}; desired stays {before}"));
            }
            return;
        }
        let raised = raised.map(|r| format!(" ⇒ {r}")).unwrap_or_default();
        let why = format!("{why}{raised}{held}");
        if let Some(process) = self.blocking_process(before, target) {
            let process = process.aws_name();
            self.explain(format!(
                "{why} ⇒ desired {target}, not applied: {process} is suspended"
            ));
            return;
        }
        let cause = if self.recorder.wants_records() {
            format!(
                "At {} predictive policy {name} raised the desired capacity from {before} to {target} for the hour starting {} (forecast {forecast:.2} instances{held}).",
                self.aws_time(self.now_ms),
                self.aws_time(hour_ms)
            )
        } else {
            String::new()
        };
        let change = self.set_desired(target, super::capacity::Cause::plain(&cause), false);
        if self.recorder.wants_explanations() {
            let change = self.change_text(&change);
            self.explain(format!("{why} ⇒ desired {before} → {target}{change}"));
        }
    }

    /// IncreaseMaxCapacity: raises max_size to the buffered forecast if that is above it,
    /// records the change as a capacity activity, and returns `max 40 → 55 (…)`. The raised
    /// max stays until the user changes it; it never falls back by itself.
    fn raise_max(
        &mut self,
        p: usize,
        policy: &PredictivePolicy,
        forecast: f64,
        hour_ms: SimTime,
    ) -> Option<String> {
        let buffer = policy.max_capacity_buffer_percent;
        let (wanted, product) = buffered_max(forecast, buffer);
        let before = self.group.max_size;
        if wanted <= before {
            return None;
        }
        self.group.max_size = wanted;
        let rounded = if (product - f64::from(wanted)).abs() < 1e-9 {
            String::new()
        } else {
            format!(" = {product:.2}, rounded up to {wanted}")
        };
        let arithmetic = if rounded.is_empty() {
            format!("forecast {forecast:.2} × (1 + {buffer}%) = {wanted}")
        } else {
            format!("forecast {forecast:.2} × (1 + {buffer}%){rounded}")
        };
        let text = format!("max {before} → {wanted} (IncreaseMaxCapacity: {arithmetic})");
        if self.recorder.wants_records() {
            let name = &self.scenario.scaling_policies[p].name;
            let cause = format!(
                "At {} predictive policy {name} raised the maximum capacity from {before} to {wanted} for the hour starting {} (IncreaseMaxCapacity: {arithmetic}).",
                self.aws_time(self.now_ms),
                self.aws_time(hour_ms)
            );
            let desired = self.group.desired;
            let description = format!("Setting max size from {before} to {wanted}");
            let row = (ActivityKind::Capacity, ActivityOrigin::Scaling, None);
            self.record_row(row, (desired, desired), &cause, description);
        }
        Some(text)
    }
}
