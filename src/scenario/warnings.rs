//! Valid settings that rarely do what their author meant: the CLI prints these as warnings
//! (AWS accepts them too, and a teaching scenario may use one on purpose).

use super::{BootTime, HealthCheckType, LoadSource, MetricName, Scenario};
use crate::time::{SimDuration, format_duration};
use crate::trace::Trace;

impl Scenario {
    /// One sentence per doubtful setting, naming the key and what would be usual.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = self.basic_monitoring_warnings();
        out.extend(self.grace_warning());
        out.extend(self.never_firing_warnings());
        out
    }

    /// A scheduled action whose recurrence never fires from the run's start: a cron that no
    /// date matches (`0 0 30 2 *`, February 30), or an end time before the run. AWS accepts
    /// such an action too; it just never runs.
    fn never_firing_warnings(&self) -> Vec<String> {
        self.scheduled_actions
            .iter()
            .filter_map(|action| {
                let cron = action.schedule.cron()?;
                if action.schedule.first_fire_from(self.start_time).is_some() {
                    return None;
                }
                let year_one = jiff::civil::date(1, 1, 1).at(0, 0, 0, 0);
                let why = if cron.next_after(year_one).is_none() {
                    "no date matches it (a day that no month has, such as February 30?)".to_string()
                } else {
                    let end = action.schedule.end().map_or(String::new(), |e| e.to_string());
                    format!("its end_time {end} comes before the run's start_time {}", self.start_time)
                };
                Some(format!(
                    "scheduled_actions.{}: recurrence \"{cron}\" never fires: {why}; the action will do nothing",
                    action.name
                ))
            })
            .collect()
    }

    /// Doubtful things about the scenario's trace as loaded: it ends before the run does (its
    /// last rate is then held), or it has timestamps that disagree with `start_time` (the
    /// schedules then run against another part of the load than their clock says).
    pub fn trace_warnings(&self, trace: &Trace) -> Vec<String> {
        let LoadSource::Trace { path } = &self.load.source else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let span_ms = trace.span_ms();
        if span_ms < self.duration_ms {
            let last = trace.rates_rps().last().copied().unwrap_or(0.0);
            out.push(format!(
                "load.trace: {} covers {} but the scenario runs for {}: the last rate is held from {} on ({last} req/s); shorten duration or give a longer trace",
                path.display(),
                format_duration(span_ms),
                format_duration(self.duration_ms),
                format_duration(span_ms),
            ));
        }
        if let Some(start) = trace.start_timestamp()
            && start != self.start_time
        {
            out.push(format!(
                "start_time: {} differs from the first timestamp of {} ({start}); the trace still starts at t = 0, so scheduled actions meet another part of the load than their clock says. Remove start_time to take it from the trace",
                self.start_time,
                path.display(),
            ));
        }
        out
    }

    /// An alarm on an EC2 metric with a period shorter than basic monitoring's 5 minutes
    /// sees a datapoint only now and then: CloudWatch warns that such alarms "might often
    /// lapse into INSUFFICIENT_DATA".
    fn basic_monitoring_warnings(&self) -> Vec<String> {
        let resolution = self.monitoring.resolution_ms();
        let ec2 = |m: MetricName| {
            matches!(
                m,
                MetricName::CpuUtilization | MetricName::NetworkIn | MetricName::NetworkOut
            )
        };
        self.alarms
            .iter()
            .filter(|a| ec2(a.metric_name) && a.period_ms < resolution)
            .map(|a| {
                format!(
                    "alarms.{}: a {} period on {}, but with basic monitoring ([monitoring] detailed = false) EC2 publishes it every {}; the alarm will mostly see missing data (INSUFFICIENT_DATA). Use period = \"{}\" or detailed = true",
                    a.name,
                    format_duration(a.period_ms),
                    a.metric_name.aws_name(),
                    format_duration(resolution),
                    format_duration(resolution),
                )
            })
            .collect()
    }

    /// ELB health checks with a grace period shorter than a typical boot plus application
    /// start: new instances can be replaced before they ever serve (a replacement loop).
    fn grace_warning(&self) -> Option<String> {
        if self.group.health_check_type != HealthCheckType::Elb {
            return None;
        }
        let template = &self.launch_template;
        let ready_ms =
            typical_ms(&template.boot_time) + typical_ms(&template.application_start_time);
        let grace = self.group.health_check_grace_period_ms;
        (grace < ready_ms).then(|| {
            format!(
                "group.health_check_grace_period: {} is shorter than a typical boot plus application start ({}); with ELB health checks new instances may be replaced before they serve (a replacement loop). Use a grace period of at least {}",
                format_duration(grace),
                format_duration(ready_ms),
                format_duration(ready_ms),
            )
        })
    }
}

/// The median of a time distribution \[ms\].
fn typical_ms(time: &BootTime) -> SimDuration {
    match *time {
        BootTime::Constant { value_ms } => value_ms,
        BootTime::Uniform { min_ms, max_ms } => min_ms + (max_ms - min_ms) / 2,
        BootTime::LogNormal { median_ms, .. } => median_ms,
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::tests::{MINIMAL, parse};

    #[test]
    fn a_one_minute_cpu_alarm_under_basic_monitoring_is_doubtful() {
        let text = format!(
            "{MINIMAL}\n[[alarms]]\nname = \"High\"\nmetric_name = \"CPUUtilization\"\nevaluation_periods = 2\nthreshold = 70\ncomparison_operator = \"GreaterThanThreshold\"\n"
        );
        let basic = parse(&text, &["monitoring.detailed=false"]).unwrap();
        let w = basic.warnings();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].starts_with("alarms.High: a 1m period on CPUUtilization"),
            "{}",
            w[0]
        );
        assert!(
            w[0].contains("Use period = \"5m\" or detailed = true"),
            "{}",
            w[0]
        );
        assert!(
            parse(&text, &[]).unwrap().warnings().is_empty(),
            "detailed: fine"
        );
        let five = parse(
            &text,
            &["monitoring.detailed=false", "alarms.High.period=300s"],
        );
        assert!(
            five.unwrap().warnings().is_empty(),
            "a 5-minute period: fine"
        );
    }

    #[test]
    fn regression_cron_that_never_fires_is_warned_about() {
        let action = |recurrence: &str, end: &str| {
            format!(
                "{MINIMAL}\n[[scheduled_actions]]\nname = \"a\"\nrecurrence = \"{recurrence}\"\ndesired_capacity = 1\n{end}"
            )
        };
        let w = parse(&action("0 0 30 2 *", ""), &[]).unwrap().warnings();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].starts_with(
                "scheduled_actions.a: recurrence \"0 0 30 2 *\" never fires: no date matches it"
            ),
            "{}",
            w[0]
        );
        let ended = action("0 8 * * *", "end_time = \"2024-01-01T00:00:00Z\"\n");
        let w = parse(&ended, &[]).unwrap().warnings();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains("its end_time 2024-01-01T00:00:00Z comes before"),
            "{}",
            w[0]
        );
        let daily = parse(&action("0 8 * * *", ""), &[]).unwrap();
        assert!(daily.warnings().is_empty(), "a daily action fires");
    }

    #[test]
    fn a_grace_period_shorter_than_the_boot_is_doubtful_with_elb_checks() {
        let sets = [
            "group.health_check_type=ELB",
            "group.health_check_grace_period=30s",
            "launch_template.boot_time=90s",
        ];
        let w = parse(MINIMAL, &sets).unwrap().warnings();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains("30s is shorter than a typical boot plus application start (90s)"),
            "{}",
            w[0]
        );
        let ec2 = parse(MINIMAL, &sets[1..]).unwrap().warnings();
        assert!(ec2.is_empty(), "EC2 checks: boot does not fail them");
    }
}
