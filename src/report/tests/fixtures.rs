//! Synthetic run outputs for the report tests: a diurnal load that a small target-tracking-like
//! rule follows, with boot delays, a load spike, alarms, drops and costs.

use std::f64::consts::TAU;

use crate::asg::TerminationReason;

use crate::cloudwatch::AlarmState;

use crate::records::{
    Activity, ActivityKind, ActivityOrigin, Elasticity, Episode, EpisodeKind, InstanceRecord,
    Summary, TimelineRow,
};

use crate::run::{FullRecorder, RunOutput};

const BOOT_MS: u64 = 180_000;
const COOLDOWN_MS: u64 = 300_000;
const CAPACITY_RPS: f64 = 100.0;
const PRICE_PER_HOUR: f64 = 0.096;
const MIN_SIZE: u32 = 2;
const MAX_SIZE: u32 = 12;
const AZS: [&str; 2] = ["us-east-1a", "us-east-1b"];

/// The daily wave of the load \[req/s\]: from 150 at midnight to 850 at noon.
fn wave_at(t_ms: u64) -> f64 {
    let day = t_ms as f64 / 86_400_000.0;
    150.0 + 700.0 * (0.5 - 0.5 * (TAU * day).cos())
}

/// Offered load at `t_ms` \[req/s\]: the wave, ripples, noise, and a spike at 14:00.
fn load_at(t_ms: u64) -> f64 {
    let day = t_ms as f64 / 86_400_000.0;
    let wave = wave_at(t_ms);
    let wiggle = 25.0 * (TAU * day * 37.0).sin();
    let hour_of_day = (t_ms % 86_400_000) as f64 / 3_600_000.0;
    let minute = t_ms / 60_000;
    let noise = (minute.wrapping_mul(2_654_435_761) % 1_000) as f64 / 1_000.0 - 0.5;
    let spike = if (14.0..14.4).contains(&hour_of_day) {
        450.0
    } else {
        0.0
    };
    (wave + wiggle + 40.0 * noise + spike).max(0.0)
}

/// The group's state while the fixture runs.
struct Group {
    desired: u32,
    in_service: Vec<usize>,
    pending: Vec<(usize, u64)>,
    last_change: Option<u64>,
    instances: Vec<InstanceRecord>,
    activities: Vec<Activity>,
}

impl Group {
    fn launch(&mut self, t: u64, desired_before: u32, cause: &str) {
        let index = self.instances.len();
        let id = format!("i-{:08}", index + 1);
        let az = AZS[index % AZS.len()].to_string();
        self.activities.push(Activity {
            time_ms: t,
            kind: ActivityKind::Launch,
            origin: ActivityOrigin::Scaling,
            cause: cause.to_string(),
            desired_before,
            desired_after: self.desired,
            instance_id: Some(id.clone()),
            az: Some(az.clone()),
            description: format!("Launching a new EC2 instance: {id}, in {az}"),
        });
        self.instances.push(InstanceRecord {
            instance_id: id,
            az,
            instance_type: "m5.large".into(),
            launch_time_ms: t,
            in_service_time_ms: (t == 0).then_some(0),
            termination_time_ms: None,
            termination_reason: None,
            cost_usd: 0.0,
        });
        if t == 0 {
            self.in_service.push(index);
        } else {
            self.pending.push((index, t + BOOT_MS));
        }
    }

    fn terminate(&mut self, t: u64, desired_before: u32, cause: &str) {
        let Some(index) = self.in_service.pop() else {
            return;
        };
        let record = &mut self.instances[index];
        record.termination_time_ms = Some(t + 30_000);
        record.termination_reason = Some(TerminationReason::ScaleIn);
        self.activities.push(Activity {
            time_ms: t,
            kind: ActivityKind::Terminate,
            origin: ActivityOrigin::Scaling,
            cause: cause.to_string(),
            desired_before,
            desired_after: self.desired,
            instance_id: Some(record.instance_id.clone()),
            az: Some(record.az.clone()),
            description: format!("Terminating EC2 instance: {}", record.instance_id),
        });
    }

    /// Moves booted instances to InService.
    fn boot(&mut self, t: u64) {
        let (ready, waiting): (Vec<_>, Vec<_>) =
            self.pending.iter().partition(|&&(_, ready)| ready <= t);
        self.pending = waiting;
        for (index, ready_at) in ready {
            self.instances[index].in_service_time_ms = Some(ready_at);
            self.in_service.push(index);
        }
    }

    /// A target-tracking-like rule at 60% CPU, with a cooldown.
    fn decide(&mut self, t: u64, load: f64, cpu: f64) {
        let needed =
            |share: f64| ((load / (share * CAPACITY_RPS)).ceil() as u32).clamp(MIN_SIZE, MAX_SIZE);
        // Scale out to 60% CPU, scale in only below 45%, as target tracking is slow to scale in.
        let target = if needed(0.6) > self.desired {
            needed(0.6)
        } else if needed(0.45) < self.desired {
            needed(0.45)
        } else {
            return;
        };
        let cooled = self.last_change.is_none_or(|last| t >= last + COOLDOWN_MS);
        if !cooled {
            return;
        }
        let before = self.desired;
        self.desired = target;
        self.last_change = Some(t);
        let cause = format!(
            "At {}s an alarm, \"TargetTracking-cpu\", changed the desired capacity from {before} to {target} (CPU {cpu:.1}% against a target of 60%)",
            t / 1_000
        );
        for _ in before..target {
            self.launch(t, before, &cause);
        }
        for _ in target..before {
            self.terminate(t, before, &cause);
        }
    }
}

/// A run of `hours` sampled every `interval_s`, with two alarms, optionally a forecast.
pub(super) fn diurnal(hours: u64, interval_s: u64, forecast: bool) -> RunOutput {
    let mut group = Group {
        desired: 3,
        in_service: Vec::new(),
        pending: Vec::new(),
        last_change: None,
        instances: Vec::new(),
        activities: Vec::new(),
    };
    for _ in 0..3 {
        group.launch(
            0,
            3,
            "An instance was started to reach the initial desired capacity",
        );
    }
    group.activities.clear();
    let end_ms = hours * 3_600_000;
    let mut timeline = Vec::with_capacity((end_ms / (interval_s * 1_000)) as usize + 1);
    let mut t = 0;
    while t <= end_ms {
        group.boot(t);
        let row = sample(&group, t, forecast);
        group.decide(t, row.load_rps, row.cpu_avg_percent.unwrap_or(0.0));
        timeline.push(row);
        t += interval_s * 1_000;
    }
    finish(group, timeline, end_ms)
}

fn sample(group: &Group, t: u64, forecast: bool) -> TimelineRow {
    let load = load_at(t);
    let capacity = group.in_service.len() as f64 * CAPACITY_RPS;
    let served = load.min(capacity);
    let cpu = if capacity > 0.0 {
        2.0 + 98.0 * served / capacity
    } else {
        0.0
    };
    let state = |alarm: bool| {
        if alarm {
            AlarmState::Alarm
        } else {
            AlarmState::Ok
        }
    };
    TimelineRow {
        time_ms: t,
        load_rps: load,
        served_rps: served,
        dropped_rps: load - served,
        desired_capacity: group.desired,
        min_size: MIN_SIZE,
        max_size: MAX_SIZE,
        pending: group.pending.len() as u32,
        in_service: group.in_service.len() as u32,
        in_service_max: group.in_service.len() as u32,
        terminating: 0,
        unhealthy: 0,
        cpu_avg_percent: Some(cpu),
        cpu_max_percent: Some((cpu * 1.1).min(100.0)),
        latency_ms: Some(40.0 + 200.0 * (cpu / 100.0).powi(4)),
        forecast_capacity: forecast.then(|| wave_at(t + 1_800_000) / 60.0),
        warm_pool: None,
        instances_by_az: Vec::new(),
        alarm_states: if t == 0 {
            vec![AlarmState::InsufficientData; 2]
        } else {
            vec![state(cpu > 70.0), state(cpu < 45.0)]
        },
    }
}

fn finish(mut group: Group, timeline: Vec<TimelineRow>, end_ms: u64) -> RunOutput {
    let mut cost = 0.0;
    for record in &mut group.instances {
        let end = record.termination_time_ms.unwrap_or(end_ms);
        let billed_s = ((end - record.launch_time_ms) as f64 / 1_000.0).max(60.0);
        record.cost_usd = billed_s / 3_600.0 * PRICE_PER_HOUR;
        cost += record.cost_usd;
    }
    let interval_s = timeline
        .get(1)
        .map_or(0.0, |row| row.time_ms as f64 / 1_000.0);
    let requests_total: f64 = timeline.iter().map(|r| r.load_rps * interval_s).sum();
    let requests_dropped: f64 = timeline.iter().map(|r| r.dropped_rps * interval_s).sum();
    let summary = Summary {
        scenario: "diurnal-demo".into(),
        seed: 7,
        duration_s: end_ms as f64 / 1_000.0,
        cost_usd: cost,
        instance_hours: cost / PRICE_PER_HOUR,
        mean_in_service: timeline
            .iter()
            .map(|r| f64::from(r.in_service))
            .sum::<f64>()
            / timeline.len().max(1) as f64,
        max_in_service: timeline.iter().map(|r| r.in_service).max().unwrap_or(0),
        scale_out_activities: count_decisions(&group.activities, true),
        scale_in_activities: count_decisions(&group.activities, false),
        replaced_unhealthy: 0,
        requests_total,
        requests_dropped,
        slo_violation_s: timeline.iter().filter(|r| r.dropped_rps > 0.0).count() as f64
            * interval_s,
        instances_launched: group.instances.len() as u32,
        cpu_over: Default::default(),
        elasticity: Elasticity::default(),
    };
    RunOutput {
        start_time: None,
        alarm_names: vec!["HighCPU".into(), "LowCPU".into()],
        az_names: Vec::new(),
        records: FullRecorder {
            timeline,
            activities: group.activities,
            instances: group.instances,
            explanations: Vec::new(),
            decisions: Vec::new(),
            episodes: Vec::new(),
        },
        summary,
    }
}

fn count_decisions(activities: &[Activity], out: bool) -> u32 {
    let mut times: Vec<u64> = activities
        .iter()
        .filter(|a| {
            (a.desired_after > a.desired_before) == out && a.desired_after != a.desired_before
        })
        .map(|a| a.time_ms)
        .collect();
    times.dedup();
    times.len() as u32
}

/// `output` with what goes wrong in the failure scenarios: from 1/6 to 2/6 of the run one
/// instance is unhealthy, then an AZ is down for 40/360 of the run (its instances replaced,
/// then rebalanced), then an instance refresh with a checkpoint pause and a replacement at
/// max instance lifetime; a warm pool of `max − desired` throughout.
pub(super) fn with_incidents(mut output: RunOutput) -> RunOutput {
    let end_ms = (output.summary.duration_s * 1_000.0) as u64;
    let at = |share: f64| (end_ms as f64 * share) as u64;
    for row in &mut output.records.timeline {
        if (at(1.0 / 6.0)..at(2.0 / 6.0)).contains(&row.time_ms) {
            row.unhealthy = 1;
        }
        row.warm_pool = Some(row.max_size - row.desired_capacity);
    }
    let desired_at = |t: u64, rows: &[TimelineRow]| {
        rows.iter()
            .take_while(|r| r.time_ms <= t)
            .last()
            .map_or(3, |r| r.desired_capacity)
    };
    let incidents = [
        (at(1.0 / 6.0), ActivityOrigin::HealthReplacement),
        (at(0.5), ActivityOrigin::HealthReplacement),
        (at(0.5 + 40.0 / 360.0), ActivityOrigin::AzRebalance),
        (at(0.75), ActivityOrigin::InstanceRefresh),
        (at(0.9), ActivityOrigin::MaxInstanceLifetime),
    ];
    for (time_ms, origin) in incidents {
        let desired = desired_at(time_ms, &output.records.timeline);
        for kind in [ActivityKind::Terminate, ActivityKind::Launch] {
            output.records.activities.push(Activity {
                time_ms,
                kind,
                origin,
                cause: format!("At {time_ms} ms an instance was replaced."),
                desired_before: desired,
                desired_after: desired,
                instance_id: Some("i-99999999".into()),
                az: Some(AZS[0].into()),
                description: String::new(),
            });
        }
    }
    output.records.activities.sort_by_key(|a| a.time_ms);
    let episode = |kind, (start_ms, end_ms), label: &str| Episode {
        kind,
        start_ms,
        end_ms,
        label: label.into(),
    };
    output.records.episodes = vec![
        episode(
            EpisodeKind::AzOutage,
            (at(0.5), at(0.5 + 40.0 / 360.0)),
            "us-east-1a down",
        ),
        episode(
            EpisodeKind::RefreshCheckpoint,
            (at(0.8), at(0.85)),
            "checkpoint 50%: pause",
        ),
        episode(
            EpisodeKind::InstanceRefresh,
            (at(0.75), at(0.95)),
            "instance refresh to c5.xlarge",
        ),
    ];
    output
}

/// A run with no rows, activities or instances.
pub(super) fn empty() -> RunOutput {
    let mut output = diurnal(0, 60, false);
    output.records = FullRecorder::default();
    output
}

/// A small, fully specified row for exact table tests.
pub(super) fn row(time_ms: u64) -> TimelineRow {
    TimelineRow {
        time_ms,
        load_rps: 123.45678,
        served_rps: 100.0,
        dropped_rps: 23.45678,
        desired_capacity: 3,
        min_size: 2,
        max_size: 6,
        pending: 1,
        in_service: 2,
        in_service_max: 2,
        terminating: 0,
        unhealthy: 0,
        cpu_avg_percent: Some(66.666666),
        cpu_max_percent: Some(100.0),
        latency_ms: Some(0.1),
        forecast_capacity: None,
        warm_pool: None,
        instances_by_az: Vec::new(),
        alarm_states: vec![AlarmState::Alarm],
    }
}
