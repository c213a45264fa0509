//! CloudWatch as one run sees it: the open one-minute period that the meter fills between
//! events, the log of closed periods published `metric_delay` later, and the alarms that
//! evaluate the published datapoints every minute (CloudWatch UG: AlarmThatSendsEmail).

use crate::time::{MS_PER_MIN, SimDuration, SimTime};
use crate::workload::Segment;

use super::{
    AlarmConfig, AlarmEvaluation, AlarmRuntime, AlarmState, Bucket, BucketLog, MetricName,
    MetricQuery, MetricUnits, Monitoring, evaluation_range_len,
};

/// An alarm as a run evaluates it.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchedAlarm {
    /// What it watches and how it decides.
    pub config: AlarmConfig,
    /// Whether its EC2 metric leaves out instances in warm-up (the alarms of step and
    /// target-tracking policies: UG as-scaling-simple-step, "instance warmup").
    pub exclude_warming: bool,
}

/// The CloudWatch of one run: metric periods, their publication, and the alarms.
#[derive(Debug, Clone)]
pub struct CloudWatch {
    units: MetricUnits,
    delay_ms: SimDuration,
    /// The one-minute period being filled.
    open: Bucket,
    log: BucketLog,
    alarms: Vec<WatchedAlarm>,
    runtimes: Vec<AlarmRuntime>,
    /// The evaluations of the current minute, kept to reuse their allocation.
    scratch: Vec<AlarmEvaluation>,
}

impl CloudWatch {
    /// CloudWatch for `alarms` under `monitoring`: one-minute buckets whatever the monitoring
    /// (only EC2 metrics are coarser under basic monitoring, and the log aggregates them), kept
    /// as long as the longest evaluation range needs.
    pub fn new(alarms: Vec<WatchedAlarm>, monitoring: &Monitoring, units: MetricUnits) -> Self {
        let delay_ms = monitoring.metric_delay_ms;
        let ec2_datapoint_ms = monitoring.resolution_ms();
        let keep = buckets_to_keep(&alarms, MS_PER_MIN, ec2_datapoint_ms, delay_ms);
        Self {
            units,
            delay_ms,
            open: Bucket::default(),
            log: BucketLog::new(MS_PER_MIN, delay_ms, keep).with_ec2_datapoint_ms(ec2_datapoint_ms),
            runtimes: vec![AlarmRuntime::new(); alarms.len()],
            alarms,
            scratch: Vec::new(),
        }
    }

    /// Adds a stretch of constant load to the open period.
    #[inline]
    pub fn record(&mut self, s: &Segment) {
        if let Some(column) = s.column {
            self.open.add_column(s.dt_ms, column, s.fleet.serving);
        }
        let f = &s.fleet;
        self.open
            .add(s.dt_ms, f.serving, f.settled, s.load_rps, &s.spread);
    }

    /// The minute tick at `now_ms`: closes the open period when one ends now and evaluates
    /// every alarm. Hand the evaluations back with [`Self::recycle`].
    pub fn evaluate(&mut self, now_ms: SimTime) -> Vec<AlarmEvaluation> {
        if now_ms.is_multiple_of(self.log.resolution_ms()) {
            let closed = std::mem::take(&mut self.open);
            self.log.push(closed);
        }
        let mut evals = std::mem::take(&mut self.scratch);
        evals.clear();
        for (alarm, runtime) in self.alarms.iter().zip(self.runtimes.iter_mut()) {
            let eval = runtime.evaluate(
                &alarm.config,
                alarm.exclude_warming,
                &self.log,
                &self.units,
                now_ms,
                self.delay_ms,
            );
            evals.push(eval);
        }
        evals
    }

    /// Takes back the evaluations of [`Self::evaluate`].
    pub fn recycle(&mut self, evals: Vec<AlarmEvaluation>) {
        self.scratch = evals;
    }

    /// Alarm `i`, in scenario order (the scenario's own first, then the managed ones).
    pub fn alarm(&self, i: usize) -> &WatchedAlarm {
        &self.alarms[i]
    }

    /// Every alarm, in order.
    pub fn alarms(&self) -> &[WatchedAlarm] {
        &self.alarms
    }

    /// The alarms' states now, in order.
    pub fn states(&self) -> impl Iterator<Item = AlarmState> + '_ {
        self.runtimes.iter().map(|r| r.state)
    }

    /// The newest datapoint of alarm `i`'s metric in its window `[start_ms, end_ms)`,
    /// aggregated by `statistic` instead of the alarm's own (a step policy's
    /// MetricAggregationType), as seen at `now_ms`.
    pub fn datapoint_as(
        &self,
        i: usize,
        statistic: super::Statistic,
        (start_ms, end_ms): (SimTime, SimTime),
        now_ms: SimTime,
    ) -> Option<f64> {
        let alarm = &self.alarms[i];
        let query = MetricQuery {
            metric: alarm.config.metric_name,
            statistic,
            exclude_warming: alarm.exclude_warming,
        };
        self.log
            .datapoint(query, start_ms, end_ms, now_ms, &self.units)
    }

    /// End of the newest datapoint of `metric` published at `now_ms` \[ms\].
    pub fn published_through_ms(&self, metric: MetricName, now_ms: SimTime) -> SimTime {
        self.log.published_through_ms(metric, now_ms)
    }
}

/// How many closed metric buckets the alarms can need: their evaluation ranges, plus one
/// coarse datapoint that may start in the oldest window and end after it.
fn buckets_to_keep(
    alarms: &[WatchedAlarm],
    resolution_ms: SimDuration,
    ec2_datapoint_ms: SimDuration,
    delay_ms: SimDuration,
) -> usize {
    let coarse = ec2_datapoint_ms.div_ceil(resolution_ms) as usize;
    alarms
        .iter()
        .map(|a| {
            let c = &a.config;
            let range = evaluation_range_len(c.evaluation_periods, c.period_ms, delay_ms);
            (range as u64 * c.period_ms).div_ceil(resolution_ms) as usize + coarse + 2
        })
        .max()
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloudwatch::{ComparisonOperator, Statistic, TreatMissingData};
    use crate::workload::{Fleet, InstanceModel};

    fn alarm(metric_name: MetricName, exclude_warming: bool) -> WatchedAlarm {
        WatchedAlarm {
            config: AlarmConfig {
                name: "a".into(),
                metric_name,
                statistic: Statistic::Average,
                period_ms: 2 * MS_PER_MIN,
                evaluation_periods: 2,
                datapoints_to_alarm: 2,
                threshold: 60.0,
                comparison_operator: ComparisonOperator::GreaterThanOrEqualToThreshold,
                treat_missing_data: TreatMissingData::NotBreaching,
                alarm_actions: vec![],
                metric_label: None,
            },
            exclude_warming,
        }
    }

    /// A minute of `load_rps` on `serving` instances (`settled` past their warm-up), 100
    /// req/s each at 100% CPU.
    fn minute(watch: &mut CloudWatch, load_rps: f64, (serving, settled): (u32, u32)) {
        let model = InstanceModel {
            capacity_rps: 100.0,
            idle_cpu_percent: 0.0,
        };
        let segment = Segment {
            dt_ms: MS_PER_MIN,
            load_rps,
            column: None,
            spread: model.spread(load_rps, serving),
            fleet: Fleet {
                in_service: serving,
                serving,
                broken: 0,
                settled,
            },
        };
        watch.record(&segment);
    }

    const DETAILED: Monitoring = Monitoring {
        detailed: true,
        metric_delay_ms: 2 * MS_PER_MIN,
    };
    const UNITS: MetricUnits = MetricUnits {
        network_in_bytes_per_request: 0.0,
        network_out_bytes_per_request: 0.0,
    };

    /// CloudWatch UG AlarmThatSendsEmail: a 2-minute period, 2 of 2 datapoints, evaluated every
    /// minute on a sliding window, each datapoint published `metric_delay` after its period.
    /// CPU 80% from minute 0 on: the periods [0, 2) and [1, 3) are both published at minute 5.
    #[test]
    fn alarms_evaluate_published_periods_every_minute() {
        let mut watch = CloudWatch::new(
            vec![alarm(MetricName::CpuUtilization, false)],
            &DETAILED,
            UNITS,
        );
        let mut states = Vec::new();
        for m in 1..=6 {
            minute(&mut watch, 320.0, (4, 4));
            let evals = watch.evaluate(m * MS_PER_MIN);
            states.push((evals[0].state, evals[0].newest_value));
            watch.recycle(evals);
        }
        let alarm_at = states.iter().position(|(s, _)| *s == AlarmState::Alarm);
        assert_eq!(alarm_at, Some(4), "minute 5: {states:?}");
        assert_eq!(states[4].1, Some(80.0));
        assert_eq!(watch.states().collect::<Vec<_>>(), [AlarmState::Alarm]);
        assert_eq!(
            watch.published_through_ms(MetricName::CpuUtilization, 6 * MS_PER_MIN),
            4 * MS_PER_MIN
        );
    }

    /// UG as-scaling-simple-step: the EC2 metric of a step policy leaves instances in warm-up
    /// out: of 4 serving instances, 2 in warm-up, it samples 2.
    #[test]
    fn warming_instances_are_left_out_when_asked() {
        let alarms = vec![
            alarm(MetricName::CpuUtilization, true),
            alarm(MetricName::CpuUtilization, false),
        ];
        let mut watch = CloudWatch::new(alarms, &DETAILED, UNITS);
        for m in 1..=4 {
            minute(&mut watch, 360.0, (4, 2));
            let evals = watch.evaluate(m * MS_PER_MIN);
            watch.recycle(evals);
        }
        let window = (0, MS_PER_MIN);
        let now = 4 * MS_PER_MIN;
        let count = |a| watch.datapoint_as(a, Statistic::SampleCount, window, now);
        assert_eq!((count(0), count(1)), (Some(2.0), Some(4.0)));
        let cpu = watch.datapoint_as(0, Statistic::Average, window, now);
        assert_eq!(cpu, Some(90.0));
        assert_eq!(watch.alarms().len(), 2);
        assert!(watch.alarm(0).exclude_warming);
    }
}
