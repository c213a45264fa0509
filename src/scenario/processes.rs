//! Scaling process names (UG: as-suspend-resume-processes), shared by `\[group\] suspended_processes`
//! and the `suspend_processes` / `resume_processes` events.

use toml::Value;

use super::fields::{Field, Reader, as_choice, expected};
use super::group::first_duplicate;
use super::model::ScalingProcess;

/// AWS `ScalingProcesses` values, as spelled in the API.
const PROCESSES: [(&str, ScalingProcess); 9] = [
    ("Launch", ScalingProcess::Launch),
    ("Terminate", ScalingProcess::Terminate),
    ("AddToLoadBalancer", ScalingProcess::AddToLoadBalancer),
    ("AlarmNotification", ScalingProcess::AlarmNotification),
    ("AZRebalance", ScalingProcess::AzRebalance),
    ("HealthCheck", ScalingProcess::HealthCheck),
    ("InstanceRefresh", ScalingProcess::InstanceRefresh),
    ("ReplaceUnhealthy", ScalingProcess::ReplaceUnhealthy),
    ("ScheduledActions", ScalingProcess::ScheduledActions),
];

/// A process AWS still accepts but no longer uses.
const DEPRECATED: &str = "RemoveFromLoadBalancerLowPriority";

const WHAT: &str = "an array of process names, such as [\"Launch\", \"AZRebalance\"]";

/// One process name; the deprecated one is refused with a word on why.
fn as_process(value: &Value) -> Result<ScalingProcess, String> {
    if let Some(name) = value.as_str()
        && name.eq_ignore_ascii_case(DEPRECATED)
    {
        return Err(format!(
            "{name} is deprecated (AWS no longer uses it) and asgsim does not model it; remove it"
        ));
    }
    as_choice(value, &PROCESSES)
}

/// The process names at `key`: every bad item is named in one problem, then a name listed
/// twice is a problem. An empty list is good (callers that need one check it).
pub(super) fn read_processes<'a>(r: &mut Reader<'a>, key: &str) -> Field<'a, Vec<ScalingProcess>> {
    r.get(key, WHAT, |v| {
        let items = v.as_array().ok_or_else(|| expected(WHAT, v))?;
        let mut good = Vec::new();
        let mut bad = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match as_process(item) {
                Ok(p) => good.push(p),
                Err(e) => bad.push(format!("item {i}: {e}")),
            }
        }
        if bad.is_empty() {
            Ok(good)
        } else {
            Err(bad.join("; "))
        }
    })
    .check(
        |p| first_duplicate(p).is_none(),
        |p| {
            let dup = first_duplicate(p).map_or("", |d| d.aws_name());
            format!("{dup} is listed twice; each process may appear once")
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_process_reads_back_as_its_aws_name() {
        for (name, process) in PROCESSES {
            assert_eq!(process.aws_name(), name);
            assert_eq!(as_process(&Value::String(name.into())), Ok(process));
        }
    }

    #[test]
    fn the_deprecated_process_is_named_as_such() {
        let e = as_process(&Value::String(DEPRECATED.into())).unwrap_err();
        assert!(e.contains("is deprecated"), "{e}");
        let e = as_process(&Value::String("azrebalance".into())).unwrap_err();
        assert!(e.contains("did you mean AZRebalance?"), "{e}");
    }
}
