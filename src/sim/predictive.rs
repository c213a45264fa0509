//! Predictive scaling in the run (asg-semantics.md §3.5, simplified): each hour's load metric
//! is recorded as the capacity it needed (load / target); every 6 hours, once a day of history
//! exists, a 48-hour forecast is made; with ForecastAndScale, desired capacity is raised to the
//! forecast `scheduling_buffer_time` before each hour, never lowered. HonorMaxCapacity holds it
//! at max_size; IncreaseMaxCapacity first raises max_size to the buffered forecast, and the
//! raised max stays (it is never lowered by the policy).

use crate::cloudwatch::Bucket;
use crate::policy::clamp_capacity;
use crate::policy::predictive::forecast_hours;
use crate::policy::{PolicyKind, PredictiveMetric, PredictiveMode, PredictivePolicy};
use crate::records::{ActivityKind, ActivityOrigin, Recorder};
use crate::sim::Scenario;
use crate::time::{Clock, MS_PER_HOUR, SimTime};

use super::{Event, Simulation};

/// Hours between forecasts.
const REFRESH_HOURS: u64 = 6;

/// The predictive policy of a run and its history. Only the first policy with
/// ForecastAndScale (else the first predictive policy) is modelled: AWS lets one scale.
#[derive(Debug, Clone, Default)]
pub(super) struct PredictiveState {
    policy: Option<(usize, PredictivePolicy)>,
    /// Integrals of the current hour.
    pub(super) hour: Bucket,
    /// Capacity each completed hour needed \[instances\].
    history: Vec<f64>,
    /// Capacity forecast per hour, from `forecast_start_hour` on \[instances\].
    forecast: Vec<f64>,
    forecast_start_hour: u64,
    last_refresh_hour: Option<u64>,
}

impl PredictiveState {
    pub(super) fn new(scenario: &Scenario) -> Self {
        let predictive = |mode: Option<PredictiveMode>| {
            scenario
                .scaling_policies
                .iter()
                .enumerate()
                .find_map(|(i, p)| match &p.kind {
                    PolicyKind::Predictive(pp)
                        if p.enabled && mode.is_none_or(|m| m == pp.mode) =>
                    {
                        Some((i, pp.clone()))
                    }
                    _ => None,
                })
        };
        Self {
            policy: predictive(Some(PredictiveMode::ForecastAndScale)).or_else(|| predictive(None)),
            ..Self::default()
        }
    }

    /// Whether a predictive policy is in the run.
    pub(super) fn is_active(&self) -> bool {
        self.policy.is_some()
    }

    /// The capacity forecast for the hour holding `t_ms`, if any \[instances\].
    pub(super) fn forecast_at(&self, t_ms: SimTime) -> Option<f64> {
        let hour = t_ms / MS_PER_HOUR;
        let i = hour.checked_sub(self.forecast_start_hour)?;
        self.forecast.get(i as usize).copied()
    }

    /// The capacity a ForecastAndScale policy holds for the hour holding `t_ms`: dynamic
    /// scale-ins may not go below it, as the larger of the policies' capacities wins
    /// (asg-semantics.md §3.5) \[instances\].
    pub(super) fn scale_in_floor(&self, t_ms: SimTime) -> Option<u32> {
        let (_, policy) = self.policy.as_ref()?;
        if policy.mode != PredictiveMode::ForecastAndScale {
            return None;
        }
        let forecast = self.forecast_at(t_ms)?;
        Some((forecast - 1e-9).ceil().max(0.0) as u32)
    }

    /// The capacity the hour in `self.hour` needed: load / target \[instances\].
    fn needed_capacity(&self, policy: &PredictivePolicy, bytes: (f64, f64)) -> f64 {
        let h = &self.hour;
        let per_minute = |total: f64| total / 60.0;
        let load = match policy.metric {
            // Average total CPU over the hour [%·instances].
            PredictiveMetric::AsgCpuUtilization => h.cpu_instance_ms / MS_PER_HOUR as f64,
            PredictiveMetric::AlbRequestCount => per_minute(h.offered_requests),
            PredictiveMetric::AsgNetworkIn => per_minute(h.served_requests * bytes.0),
            PredictiveMetric::AsgNetworkOut => per_minute(h.served_requests * bytes.1),
        };
        load / policy.target_value
    }
}

impl<R: Recorder> Simulation<'_, R> {
    /// An hour ended: record what it needed, refresh the forecast, plan the next hour.
    pub(super) fn on_hour_tick(&mut self) {
        let Some((_, policy)) = self.predictive.policy.clone() else {
            return;
        };
        let bytes = (
            self.units.network_in_bytes_per_request,
            self.units.network_out_bytes_per_request,
        );
        let needed = self.predictive.needed_capacity(&policy, bytes);
        self.predictive.history.push(needed);
        self.predictive.hour = Bucket::default();
        let hour = self.now_ms / MS_PER_HOUR;
        let due = self
            .predictive
            .last_refresh_hour
            .is_none_or(|h| hour >= h + REFRESH_HOURS);
        let first = self.predictive.last_refresh_hour.is_none();
        if due && let Some(forecast) = forecast_hours(&self.predictive.history) {
            self.predictive.forecast = forecast;
            self.predictive.forecast_start_hour = hour;
            self.predictive.last_refresh_hour = Some(hour);
            if first && policy.mode == PredictiveMode::ForecastAndScale {
                self.on_predictive_scale(self.now_ms);
            }
        }
        if policy.mode == PredictiveMode::ForecastAndScale {
            let next_hour = self.now_ms + MS_PER_HOUR;
            let at = next_hour - policy.scheduling_buffer_time_ms.min(MS_PER_HOUR);
            let _ = self.queue.schedule(at, Event::PredictiveScale(next_hour));
        }
    }

    /// Raises desired capacity to the forecast for the hour starting at `hour_ms` \[ms\]; with
    /// IncreaseMaxCapacity first raises max_size to the buffered forecast, for good.
    pub(super) fn on_predictive_scale(&mut self, hour_ms: SimTime) {
        let Some((p, policy)) = self.predictive.policy.clone() else {
            return;
        };
        let Some(forecast) = self.predictive.forecast_at(hour_ms) else {
            return;
        };
        let needed = (forecast - 1e-9).ceil().max(0.0) as i64;
        let raised = if policy.increase_max_capacity {
            self.raise_max(p, &policy, forecast, hour_ms)
        } else {
            None
        };
        let max = self.group.max_size;
        let target = clamp_capacity(needed, self.group.min_size, max);
        let before = self.group.desired;
        let name = &self.scenario.scaling_policies[p].name;
        let why = format!(
            "predictive policy {name}: forecast {forecast:.2} instances for {} (buffer {})",
            Clock(hour_ms),
            crate::time::format_duration(policy.scheduling_buffer_time_ms)
        );
        let held = if needed > i64::from(max) {
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
                Clock(self.now_ms),
                Clock(hour_ms)
            )
        } else {
            String::new()
        };
        let change = self.set_desired(target, &cause, false);
        if self.recorder.wants_explanations() {
            let change = self.change_text(&change);
            self.explain(format!("{why} ⇒ desired {before} → {target}{change}"));
        }
    }

    /// IncreaseMaxCapacity: raises max_size to ⌈forecast × (1 + buffer / 100)⌉ if that is
    /// above it, records the change as a capacity activity, and returns `max 40 → 55 (…)`. The
    /// raised max stays until the user changes it; it never falls back by itself (API
    /// PredictiveScalingConfiguration, MaxCapacityBreachBehavior).
    fn raise_max(
        &mut self,
        p: usize,
        policy: &PredictivePolicy,
        forecast: f64,
        hour_ms: SimTime,
    ) -> Option<String> {
        let buffer = policy.max_capacity_buffer_percent;
        let product = forecast * (1.0 + buffer / 100.0);
        let wanted = (product - 1e-9).ceil().max(0.0) as u32;
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
                Clock(self.now_ms),
                Clock(hour_ms)
            );
            let desired = self.group.desired;
            let description = format!("Setting max size from {before} to {wanted}");
            let row = (ActivityKind::Capacity, ActivityOrigin::Scaling, None);
            self.record_row(row, (desired, desired), &cause, description);
        }
        Some(text)
    }
}
