//! What the real group did: its `GroupDesiredCapacity` and `GroupInServiceInstances` from
//! CloudWatch JSON (read by the importer's series reader), and its decisions from
//! `describe-scaling-activities` JSON.

use std::collections::BTreeSet;

use crate::aws_json::cause::{CauseTime, Trigger, parse_cause};
use crate::import::ImportError;
use crate::import::json::{Node, parse_documents};
use crate::import::metrics::Series;

/// A change of desired capacity: when (ms since the run's start), from, to, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// When \[ms since t = 0 of the run\] (negative: before the run).
    pub time_ms: i64,
    /// Desired capacity before \[instances\].
    pub before: u32,
    /// Desired capacity after \[instances\].
    pub after: u32,
    /// What set it going.
    pub trigger: Trigger,
}

impl Decision {
    /// +1 for a scale-out, −1 for a scale-in.
    pub fn direction(&self) -> i64 {
        (i64::from(self.after) - i64::from(self.before)).signum()
    }
}

/// Whether a series is one of `names` (its Id or Label, without case, `_`, spaces, or the
/// statistic CloudWatch appends to a default label).
pub(crate) fn is_series(series: &Series, ids: &[&str], metric: &str) -> bool {
    let norm = |s: &str| s.to_ascii_lowercase().replace(['_', '-', ' '], "");
    let metric = norm(metric);
    let label_is = series.label.as_deref().is_some_and(|l| {
        let l = norm(l);
        l == metric
            || l.strip_prefix(&metric).is_some_and(|rest| {
                ["average", "maximum", "minimum", "sum", "samplecount"].contains(&rest)
            })
    });
    label_is || norm(&series.id) == metric || ids.contains(&series.id.as_str())
}

/// The decisions in `describe-scaling-activities` JSON: the first sentence of each
/// activity's `Cause` (AWS's or asgsim's wording), one decision per distinct sentence that
/// changes desired capacity. `start_epoch_ms` is t = 0 of the run; `group` the group the
/// activities must be of.
///
/// # Errors
///
/// Malformed JSON, another shape, no activities, activities of another group.
pub fn read_decisions(
    file: &str,
    text: &str,
    start_epoch_ms: i64,
    group: &str,
) -> Result<Vec<Decision>, ImportError> {
    let mut decisions: Vec<Decision> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut count = 0;
    for (i, document) in parse_documents(text, file)?.iter().enumerate() {
        let root = Node::root(
            document,
            file,
            if i == 0 {
                String::new()
            } else {
                format!("(document {})", i + 1)
            },
        );
        if root.value().get("Activities").is_none() {
            return Err(root.error("not describe-scaling-activities JSON (it has no Activities); give the output of `aws autoscaling describe-scaling-activities --auto-scaling-group-name NAME`"));
        }
        for activity in root.array("Activities")? {
            count += 1;
            let Some(decision) = activity_decision(&activity, start_epoch_ms, group)? else {
                continue;
            };
            if seen.insert((decision.time_ms, decision.before, decision.after)) {
                decisions.push(decision);
            }
        }
    }
    if count == 0 {
        return Err(ImportError::file(
            file,
            "holds no activities: the group did nothing in that time, or the export is of the wrong time range; export the activities of the time the metrics cover",
        ));
    }
    decisions.sort_by_key(|d| d.time_ms);
    Ok(decisions)
}

/// The decision one activity records, `None` when it changed no desired capacity (or its
/// time is unknown). Its time is the cause's own, else the activity's `StartTime`, from
/// `start_epoch_ms` (t = 0 of the run). An activity of another group than `group` is an
/// error: comparing with another group's decisions would be meaningless.
fn activity_decision(
    activity: &Node<'_>,
    start_epoch_ms: i64,
    group: &str,
) -> Result<Option<Decision>, ImportError> {
    if let Some(other) = activity.str("AutoScalingGroupName")?
        && other != group
    {
        return Err(activity.error_at(
            "AutoScalingGroupName",
            format!("an activity of group {other}, but the scenario is group {group}; give the activities of {group} (or --group {other} if the scenario is that group)"),
        ));
    }
    let cause = activity.req_str("Cause")?;
    let Some(parsed) = parse_cause(cause) else {
        return Ok(None);
    };
    let Some((before, after)) = parsed.change.filter(|(b, a)| b != a) else {
        return Ok(None);
    };
    let time_ms = match parsed.time {
        Some(CauseTime::Epoch(ms)) => ms - start_epoch_ms,
        Some(CauseTime::Clock(ms)) => ms as i64,
        None => match activity.get("StartTime") {
            Some(t) => crate::import::metrics::timestamp_ms(&t)? - start_epoch_ms,
            None => return Ok(None),
        },
    };
    Ok(Some(Decision {
        time_ms,
        before,
        after,
        trigger: parsed.trigger,
    }))
}
