//! A run in the AWS CLI's JSON shapes (`asgsim run --cloudwatch-json`): its metrics as
//! `cloudwatch get-metric-data` prints them (`cloudwatch.json`), its activities as
//! `autoscaling describe-scaling-activities` prints them (`activities.json`, with AWS's
//! `Cause` wording), so that any run can be the "actual" side of a backtest. And the reading
//! of `Cause` sentences, AWS's and asgsim's ([`cause`]).

pub mod cause;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::records::ActivityKind;
use crate::report::{ReportError, write_atomic};
use crate::run::RunOutput;
use crate::time::SimTime;
use crate::trace::format_iso_ms;

/// The metrics file of `--cloudwatch-json`.
pub const CLOUDWATCH_FILE: &str = "cloudwatch.json";

/// The activities file of `--cloudwatch-json`.
pub const ACTIVITIES_FILE: &str = "activities.json";

/// The series of `cloudwatch.json`: (Id, Label).
pub const SERIES: [(&str, &str); 4] = [
    ("desired", "GroupDesiredCapacity"),
    ("in_service", "GroupInServiceInstances"),
    ("cpu", "CPUUtilization"),
    ("requests", "RequestCount"),
];

/// The wall clock of a run's instants.
#[derive(Debug, Clone, Copy)]
pub struct RunClock {
    /// t = 0 \[ms since the Unix epoch\].
    pub start_epoch_ms: i64,
    /// The timeline's sample interval, the metrics' period \[ms\].
    pub interval_ms: u64,
}

impl RunClock {
    /// `t_ms` of the run as AWS prints a time: `2024-05-10T07:08:00+00:00`.
    pub fn aws_time(&self, t_ms: SimTime) -> String {
        let iso = format_iso_ms(self.start_epoch_ms + t_ms as i64);
        format!("{}+00:00", iso.trim_end_matches('Z'))
    }
}

/// `cloudwatch.json`: per timeline row, `GroupDesiredCapacity` and `GroupInServiceInstances`
/// (at the end of the period), `CPUUtilization` (Average) and `RequestCount` (Sum), each
/// stamped with the start of its period, newest first as CloudWatch returns them.
pub fn cloudwatch_json(output: &RunOutput, clock: RunClock) -> Value {
    // The row at t = 0 is the state the run starts from, not a period.
    let first = output
        .records
        .timeline
        .iter()
        .position(|r| r.time_ms >= clock.interval_ms)
        .unwrap_or(output.records.timeline.len());
    let rows = &output.records.timeline[first..];
    let period_s = clock.interval_ms as f64 / 1000.0;
    let stamps: Vec<String> = rows
        .iter()
        .rev()
        .map(|r| clock.aws_time(r.time_ms.saturating_sub(clock.interval_ms)))
        .collect();
    let values = |f: &dyn Fn(&crate::records::TimelineRow) -> f64| -> Vec<f64> {
        rows.iter().rev().map(f).collect()
    };
    let results: Vec<Value> = SERIES
        .iter()
        .map(|(id, label)| {
            let v = match *id {
                "desired" => values(&|r| f64::from(r.desired_capacity)),
                "in_service" => values(&|r| f64::from(r.in_service)),
                // A minute with no instance serving has no CPU; written 0 as before.
                "cpu" => values(&|r| round6(r.cpu_avg_percent.unwrap_or(0.0))),
                _ => values(&|r| round6(r.load_rps * period_s)),
            };
            json!({
                "Id": id,
                "Label": label,
                "Timestamps": stamps,
                "Values": v,
                "StatusCode": "Complete",
            })
        })
        .collect();
    json!({ "MetricDataResults": results, "Messages": [] })
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// `activities.json`: one activity per `activities.csv` row, newest first, with AWS's
/// fields and `Cause` wording (the decision's sentence, then the instance's).
pub fn activities_json(output: &RunOutput, clock: RunClock, group: &str) -> Value {
    let times = |id: &str| {
        output
            .records
            .instances
            .iter()
            .find(|i| i.instance_id == id)
            .map(|i| (i.in_service_time_ms, i.termination_time_ms))
    };
    let mut activities: Vec<Value> = output
        .records
        .activities
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let start = clock.aws_time(a.time_ms);
            let end = match (a.kind, a.instance_id.as_deref().and_then(times)) {
                (ActivityKind::Launch, Some((Some(t), _))) => clock.aws_time(t),
                (ActivityKind::Terminate, Some((_, Some(t)))) => clock.aws_time(t),
                _ => start.clone(),
            };
            let mut details = serde_json::Map::new();
            if let Some(az) = &a.az {
                details.insert("Availability Zone".into(), Value::from(az.as_str()));
            }
            json!({
                "ActivityId": format!("{:08x}-5a1e-4a5e-9e1e-{:012x}", i + 1, a.time_ms),
                "AutoScalingGroupName": group,
                "Description": a.description,
                "Cause": aws_cause(&a.cause),
                "StartTime": start,
                "EndTime": end,
                "StatusCode": "Successful",
                "Progress": 100,
                "Details": Value::Object(details).to_string(),
            })
        })
        .collect();
    activities.reverse();
    json!({ "Activities": activities })
}

/// An activity's cause as AWS writes it: asgsim's causes already are AWS's sentences ("At … a
/// monitor alarm … changing the desired capacity from 3 to 5. At … an instance was started …")
/// followed by asgsim's own detail ("The alarm read …", "The scheduled action …"), which AWS
/// does not write and is left out here.
fn aws_cause(cause: &str) -> &str {
    cause.find(" The ").map_or(cause, |i| &cause[..i])
}

/// Writes `cloudwatch.json` and `activities.json` into `dir`, atomically.
///
/// # Errors
///
/// A file that cannot be written.
pub fn write_aws_json(
    dir: &Path,
    output: &RunOutput,
    clock: RunClock,
    group: &str,
) -> Result<Vec<PathBuf>, ReportError> {
    let files = [
        (CLOUDWATCH_FILE, cloudwatch_json(output, clock)),
        (ACTIVITIES_FILE, activities_json(output, clock, group)),
    ];
    let mut written = Vec::new();
    for (name, value) in files {
        let path = dir.join(name);
        let mut bytes = serde_json::to_vec_pretty(&value).unwrap_or_default();
        bytes.push(b'\n');
        write_atomic(&path, &bytes).map_err(|cause| ReportError::Write {
            path: path.clone(),
            cause,
        })?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_leave_out_asgsim_detail() {
        let csv = "At 2025-01-06T00:03:00Z a monitor alarm High in state ALARM triggered policy step-out changing the desired capacity from 10 to 11. At 2025-01-06T00:03:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 10 to 11. The alarm read average CPU 60.0% ≥ 50%.";
        assert_eq!(
            aws_cause(csv),
            "At 2025-01-06T00:03:00Z a monitor alarm High in state ALARM triggered policy step-out changing the desired capacity from 10 to 11. At 2025-01-06T00:03:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 10 to 11."
        );
        let plain = "At 2025-01-07T00:48:00Z an instance was taken out of service in response to an EC2 instance status checks failure.";
        assert_eq!(aws_cause(plain), plain);
    }
}
