//! One lane per instance: when it was launched, InService, terminating and terminated, and why.

use std::collections::{BTreeMap, HashMap};

use crate::records::{Activity, ActivityKind, ActivityOrigin, InstanceRecord};
use crate::time::SimTime;

/// Most lanes a report draws (the instances with the lowest ids); more are counted.
pub(super) const MAX_LANES: usize = 5_000;

/// One instance's lane.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Lane {
    pub(super) az: usize,
    pub(super) launch_ms: SimTime,
    pub(super) in_service_ms: Option<SimTime>,
    /// When it began terminating (its terminate activity).
    pub(super) terminating_ms: Option<SimTime>,
    pub(super) terminated_ms: Option<SimTime>,
    pub(super) reason: Option<&'static str>,
    /// Taken out of service because it was found unhealthy.
    pub(super) unhealthy: bool,
}

/// Collects lanes as instances end.
#[derive(Debug, Default)]
pub(super) struct LaneLog {
    az_names: Vec<String>,
    /// When each instance began terminating, and whether as unhealthy, until its record comes.
    terminating: HashMap<String, (SimTime, bool)>,
    lanes: BTreeMap<String, Lane>,
    total: usize,
}

impl LaneLog {
    /// An empty log over the AZs `az_names` (lanes are coloured by AZ).
    pub(super) fn new(az_names: Vec<String>) -> Self {
        Self {
            az_names,
            ..Self::default()
        }
    }

    /// One activity: a terminate activity starts an instance's Terminating stretch.
    pub(super) fn push_activity(&mut self, activity: &Activity) {
        if activity.kind != ActivityKind::Terminate {
            return;
        }
        if let Some(id) = &activity.instance_id {
            let unhealthy = activity.origin == ActivityOrigin::HealthReplacement;
            self.terminating
                .entry(id.clone())
                .or_insert((activity.time_ms, unhealthy));
        }
    }

    /// One instance, when it has ended or the run has.
    pub(super) fn push_instance(&mut self, record: &InstanceRecord) {
        self.total += 1;
        let (terminating_ms, unhealthy) = match self.terminating.remove(&record.instance_id) {
            Some((t, unhealthy)) => (Some(t), unhealthy),
            None => (None, false),
        };
        let lane = Lane {
            az: self
                .az_names
                .iter()
                .position(|az| *az == record.az)
                .unwrap_or(0),
            launch_ms: record.launch_time_ms,
            in_service_ms: record.in_service_time_ms,
            terminating_ms,
            terminated_ms: record.termination_time_ms,
            reason: record.termination_reason.map(|r| r.as_str()),
            unhealthy,
        };
        self.lanes.insert(record.instance_id.clone(), lane);
        if self.lanes.len() > MAX_LANES {
            self.lanes.pop_last();
        }
    }

    /// The lanes by instance id, and how many instances there were in all.
    pub(super) fn finish(self) -> (BTreeMap<String, Lane>, usize) {
        (self.lanes, self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_keep_the_lowest_ids_and_their_terminating_start() {
        let mut log = LaneLog::new(vec!["a".into(), "b".into()]);
        let record = |n: usize| InstanceRecord {
            instance_id: format!("i-{n:08}"),
            az: "b".into(),
            instance_type: "m5.large".into(),
            launch_time_ms: 0,
            in_service_time_ms: Some(90_000),
            termination_time_ms: Some(600_000),
            termination_reason: None,
            cost_usd: 0.0,
        };
        log.push_activity(&Activity {
            time_ms: 300_000,
            kind: ActivityKind::Terminate,
            origin: ActivityOrigin::HealthReplacement,
            cause: String::new(),
            desired_before: 2,
            desired_after: 2,
            instance_id: Some("i-00000003".into()),
            az: None,
            description: String::new(),
        });
        for n in (1..=MAX_LANES + 2).rev() {
            log.push_instance(&record(n));
        }
        let (lanes, total) = log.finish();
        assert_eq!((lanes.len(), total), (MAX_LANES, MAX_LANES + 2));
        assert!(
            lanes.contains_key("i-00000001")
                && !lanes.contains_key(&format!("i-{:08}", MAX_LANES + 1))
        );
        let third = &lanes["i-00000003"];
        assert_eq!(
            (third.az, third.terminating_ms, third.unhealthy),
            (1, Some(300_000), true)
        );
    }
}
