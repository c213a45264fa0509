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
        out
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
