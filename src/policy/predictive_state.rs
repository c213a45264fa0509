//! The predictive policy over a run (UG: ec2-auto-scaling-predictive-scaling, simplified):
//! each hour's load metric is recorded as the capacity it needed (load / target); every 6
//! hours, once a day of history exists, a 48-hour forecast is made; with ForecastAndScale,
//! desired capacity is raised to the forecast `SchedulingBufferTime` before each hour, never
//! lowered. HonorMaxCapacity holds it at max_size; IncreaseMaxCapacity first raises max_size
//! to the buffered forecast, and the raised max stays (API PredictiveScalingConfiguration,
//! MaxCapacityBreachBehavior).

use crate::cloudwatch::Bucket;
use crate::engine::Scheduler;
use crate::time::{MS_PER_HOUR, SimTime};

use super::predictive::forecast_hours;
use super::{PolicyConfig, PolicyKind, PredictiveMetric, PredictiveMode, PredictivePolicy};

/// Hours between forecasts.
const REFRESH_HOURS: u64 = 6;

/// What the predictive policy schedules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PredictiveEvent {
    /// An hour ended: record it and plan the next hour.
    HourTick,
    /// Raise capacity for the hour starting at this time \[ms\].
    Scale(SimTime),
}

/// The predictive policy of a run and its history. Only the first policy with
/// ForecastAndScale (else the first predictive policy) is modelled: AWS lets one scale.
#[derive(Debug, Clone, Default)]
pub struct Predictive {
    policy: Option<(usize, PredictivePolicy)>,
    /// Integrals of the current hour.
    pub hour: Bucket,
    /// Capacity each completed hour needed \[instances\].
    history: Vec<f64>,
    /// Capacity forecast per hour, from `forecast_start_hour` on \[instances\].
    forecast: Vec<f64>,
    forecast_start_hour: u64,
    last_refresh_hour: Option<u64>,
}

impl Predictive {
    /// The predictive policy among `policies`, if any.
    pub fn new(policies: &[PolicyConfig]) -> Self {
        let predictive = |mode: Option<PredictiveMode>| {
            policies
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
    pub fn is_active(&self) -> bool {
        self.policy.is_some()
    }

    /// The policy (its index and settings), if any.
    pub fn policy(&self) -> Option<&(usize, PredictivePolicy)> {
        self.policy.as_ref()
    }

    /// The first hour tick, if a predictive policy is in the run.
    pub fn start(&self, events: &mut impl Scheduler<PredictiveEvent>) {
        if self.is_active() {
            events.schedule(MS_PER_HOUR, PredictiveEvent::HourTick);
        }
    }

    /// The capacity forecast for the hour holding `t_ms`, if any \[instances\].
    pub fn forecast_at(&self, t_ms: SimTime) -> Option<f64> {
        let hour = t_ms / MS_PER_HOUR;
        let i = hour.checked_sub(self.forecast_start_hour)?;
        self.forecast.get(i as usize).copied()
    }

    /// The capacity a ForecastAndScale policy holds for the hour holding `t_ms`: dynamic
    /// scale-ins may not go below it, as the larger of the policies' capacities wins
    /// \[instances\].
    pub fn scale_in_floor(&self, t_ms: SimTime) -> Option<u32> {
        let (_, policy) = self.policy.as_ref()?;
        if policy.mode != PredictiveMode::ForecastAndScale {
            return None;
        }
        Some(whole_instances(self.forecast_at(t_ms)?))
    }

    /// The hour ending at `now_ms` is over: its need is recorded and the forecast refreshed
    /// when due. Returns whether to scale now (the first forecast of a ForecastAndScale policy
    /// applies to the hour starting now). `bytes_per_request` are (in, out), for the network
    /// metrics. Then call [`Self::plan_next_hour`].
    pub fn hour_ended(&mut self, now_ms: SimTime, bytes_per_request: (f64, f64)) -> bool {
        let Some((_, policy)) = self.policy.clone() else {
            return false;
        };
        let needed = self.needed_capacity(&policy, bytes_per_request);
        self.history.push(needed);
        self.hour = Bucket::default();
        let hour = now_ms / MS_PER_HOUR;
        let due = self
            .last_refresh_hour
            .is_none_or(|h| hour >= h + REFRESH_HOURS);
        let first = self.last_refresh_hour.is_none();
        let mut scale_now = false;
        if due && let Some(forecast) = forecast_hours(&self.history) {
            self.forecast = forecast;
            self.forecast_start_hour = hour;
            self.last_refresh_hour = Some(hour);
            scale_now = first && policy.mode == PredictiveMode::ForecastAndScale;
        }
        scale_now
    }

    /// Plans the hour after `now_ms`: its scale-up `SchedulingBufferTime` before it (with
    /// ForecastAndScale), and the tick at its end.
    pub fn plan_next_hour(&self, now_ms: SimTime, events: &mut impl Scheduler<PredictiveEvent>) {
        let Some((_, policy)) = &self.policy else {
            return;
        };
        let next_hour = now_ms + MS_PER_HOUR;
        if policy.mode == PredictiveMode::ForecastAndScale {
            let at = next_hour - policy.scheduling_buffer_time_ms.min(MS_PER_HOUR);
            events.schedule(at, PredictiveEvent::Scale(next_hour));
        }
        events.schedule(next_hour, PredictiveEvent::HourTick);
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

/// Whole instances for a forecast: ⌈forecast⌉, without float noise making 6.000000001 into 7
/// \[instances\].
pub fn whole_instances(forecast: f64) -> u32 {
    (forecast - 1e-9).ceil().max(0.0) as u32
}

/// IncreaseMaxCapacity: the max a forecast needs, ⌈forecast × (1 + buffer / 100)⌉, and the
/// unrounded product (UG: ec2-auto-scaling-predictive-scaling: forecast 50, buffer 10 ⇒ 55)
/// \[instances\].
pub fn buffered_max(forecast: f64, buffer_percent: f64) -> (u32, f64) {
    let product = forecast * (1.0 + buffer_percent / 100.0);
    (whole_instances(product), product)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// UG ec2-auto-scaling-predictive-scaling: forecast 50 with a 10% buffer ⇒ max 55; a
    /// buffer of 0 allows up to the forecast itself.
    #[test]
    fn increase_max_capacity_buffers_the_forecast() {
        assert_eq!(buffered_max(50.0, 10.0).0, 55);
        assert_eq!(buffered_max(50.0, 0.0).0, 50);
        assert_eq!(buffered_max(4.2, 0.0).0, 5);
        assert_eq!(whole_instances(6.000_000_000_1), 6);
    }

    fn policy(mode: PredictiveMode) -> PolicyConfig {
        PolicyConfig {
            name: "p".into(),
            enabled: true,
            kind: PolicyKind::Predictive(PredictivePolicy {
                metric: PredictiveMetric::AlbRequestCount,
                target_value: 100.0,
                mode,
                scheduling_buffer_time_ms: 300_000,
                increase_max_capacity: false,
                max_capacity_buffer_percent: 0.0,
            }),
        }
    }

    /// A day of history is needed before the first forecast; then each hour's scale-up is
    /// planned `SchedulingBufferTime` before the hour (UG: predictive-scaling: 5 minutes by
    /// default), and ForecastOnly plans nothing.
    #[test]
    fn forecasts_after_a_day_and_scales_before_each_hour() {
        let mut p = Predictive::new(&[policy(PredictiveMode::ForecastAndScale)]);
        let mut events = Vec::new();
        for h in 1..=23 {
            assert!(!p.hour_ended(h * MS_PER_HOUR, (0.0, 0.0)));
        }
        assert_eq!(p.forecast_at(23 * MS_PER_HOUR), None);
        assert!(p.hour_ended(24 * MS_PER_HOUR, (0.0, 0.0)), "first forecast");
        assert_eq!(p.forecast_at(24 * MS_PER_HOUR), Some(0.0));
        p.plan_next_hour(24 * MS_PER_HOUR, &mut events);
        assert_eq!(
            events,
            [
                (
                    25 * MS_PER_HOUR - 300_000,
                    PredictiveEvent::Scale(25 * MS_PER_HOUR)
                ),
                (25 * MS_PER_HOUR, PredictiveEvent::HourTick),
            ]
        );
        let mut only = Predictive::new(&[policy(PredictiveMode::ForecastOnly)]);
        let mut events = Vec::new();
        only.hour_ended(MS_PER_HOUR, (0.0, 0.0));
        only.plan_next_hour(MS_PER_HOUR, &mut events);
        assert_eq!(events, [(2 * MS_PER_HOUR, PredictiveEvent::HourTick)]);
        assert_eq!(only.scale_in_floor(0), None);
    }
}
