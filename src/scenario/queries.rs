//! Questions the rest of the crate asks of a validated [`Scenario`].

use super::{PolicyKind, Scenario, TrackedMetric};

impl Scenario {
    /// The load trace column a customized target-tracking metric reads: the `column` of the
    /// first enabled `TargetTrackingScaling` policy with a `customized_metric`, or `None` when
    /// no enabled policy tracks one (validation allows at most one such column per scenario).
    pub fn custom_metric_column(&self) -> Option<&str> {
        self.scaling_policies
            .iter()
            .filter(|policy| policy.enabled)
            .find_map(|policy| match &policy.kind {
                PolicyKind::TargetTracking(tt) => match &tt.metric {
                    TrackedMetric::Custom { column, .. } => Some(column.as_str()),
                    _ => None,
                },
                _ => None,
            })
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::tests::{MINIMAL, parse};
    use crate::scenario::tests_policies::POLICIES;

    #[test]
    fn the_column_of_the_first_enabled_customized_metric() {
        let enable = "scaling_policies.queue-tt.enabled=true";
        let s = parse(POLICIES, &[enable]).unwrap();
        assert_eq!(s.custom_metric_column(), Some("queue_depth"));
    }

    #[test]
    fn none_when_disabled_or_absent() {
        // The customized policy of POLICIES is disabled; the others track predefined metrics.
        let s = parse(POLICIES, &[]).unwrap();
        assert!(s.scaling_policies.iter().any(|p| !p.enabled));
        assert_eq!(s.custom_metric_column(), None);
        assert_eq!(parse(MINIMAL, &[]).unwrap().custom_metric_column(), None);
    }
}
