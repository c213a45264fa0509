//! Properties of the scenario parser: whatever the text and the `--set` strings, it never
//! panics, every error carries located problems, and every scenario it accepts keeps the
//! invariants the simulation relies on. The scenario edited (in `scenario_props_gen.rs`, with
//! the strategies) covers every policy type, scheduled actions, lifecycle hooks, suspended
//! processes, a warm pool, the application start time, overload health-check failures and
//! every kind of event.

use std::path::Path;

use asgsim::asg::{BootTime, InstanceRefreshConfig, PoolState};

use asgsim::policy::{PolicyKind, PredictiveMode};

use asgsim::scenario::{ScenarioError, parse_scenario};

use asgsim::sim::{EventAction, Scenario};
use proptest::prelude::*;
use toml::Table;

#[path = "scenario_props_gen.rs"]
mod props_gen;

use props_gen::{VALID, edit, edited, override_string};

fn parse(text: &str, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    parse_scenario(text, Path::new("dir/props.toml"), overrides)
}

/// The checks every outcome must pass.
fn check_outcome(outcome: Result<Scenario, ScenarioError>) -> Result<(), TestCaseError> {
    match outcome {
        Ok(s) => check_invariants(&s),
        Err(e) => {
            prop_assert!(!e.problems.is_empty(), "an error with no problem");
            for p in &e.problems {
                prop_assert!(!p.location().trim().is_empty(), "empty location: {p:?}");
                prop_assert!(!p.message.trim().is_empty(), "empty message: {p:?}");
            }
            prop_assert!(!e.to_string().is_empty());
            Ok(())
        }
    }
}

/// What the simulation may assume of an accepted scenario.
fn check_invariants(s: &Scenario) -> Result<(), TestCaseError> {
    let g = &s.group;
    prop_assert!(g.min_size <= g.desired_capacity && g.desired_capacity <= g.max_size);
    prop_assert!(!g.availability_zones.is_empty());
    prop_assert!(s.duration_ms > 0 && s.sample_interval_ms >= 1000);
    prop_assert!(s.launch_template.capacity_rps > 0.0);
    prop_assert!(s.launch_template.price_per_hour_usd >= 0.0);
    for a in &s.alarms {
        prop_assert!(a.period_ms > 0 && a.period_ms % 60_000 == 0);
        prop_assert!(1 <= a.datapoints_to_alarm && a.datapoints_to_alarm <= a.evaluation_periods);
        prop_assert!(
            a.alarm_actions
                .iter()
                .all(|i| *i < s.scaling_policies.len())
        );
    }
    prop_assert!(s.events.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
    prop_assert!(s.events.iter().all(|e| e.at_ms <= s.duration_ms));
    for p in &s.scaling_policies {
        check_policy(&p.kind)?;
    }
    check_disruptions(s)?;
    check_warm_pool(s)?;
    let managed = |i: &usize| {
        matches!(
            s.scaling_policies[*i].kind,
            PolicyKind::TargetTracking(_) | PolicyKind::Predictive(_)
        )
    };
    prop_assert!(
        s.alarms
            .iter()
            .all(|a| !a.alarm_actions.iter().any(managed))
    );
    let scaling = s.scaling_policies.iter().filter(|p| {
        matches!(&p.kind, PolicyKind::Predictive(pp) if pp.mode == PredictiveMode::ForecastAndScale)
    });
    prop_assert!(scaling.count() <= 1);
    for a in &s.scheduled_actions {
        prop_assert!(a.min_size.is_some() || a.max_size.is_some() || a.desired_capacity.is_some());
        prop_assert!(a.schedule.cron().is_some() || a.schedule.start().is_some());
        if let (Some(lo), Some(hi)) = (a.min_size, a.max_size) {
            prop_assert!(lo <= hi);
        }
        prop_assert!(a.desired_capacity.is_none_or(
            |d| a.min_size.is_none_or(|lo| lo <= d) && a.max_size.is_none_or(|hi| d <= hi)
        ));
        if let (Some(from), Some(to)) = (a.schedule.start(), a.schedule.end()) {
            prop_assert!(from < to);
        }
    }
    Ok(())
}

/// What the simulation may assume of each policy's settings.
fn check_policy(kind: &PolicyKind) -> Result<(), TestCaseError> {
    match kind {
        PolicyKind::Simple(_) => {}
        PolicyKind::Step(st) => {
            let steps = &st.step_adjustments;
            prop_assert!(!steps.is_empty());
            prop_assert!(
                steps
                    .windows(2)
                    .all(|w| w[0].upper_bound.is_some() && w[0].upper_bound == w[1].lower_bound)
            );
            prop_assert!(
                steps
                    .iter()
                    .all(|s| s.lower_bound.is_some() || s.upper_bound.is_some())
            );
        }
        PolicyKind::TargetTracking(tt) => {
            prop_assert!(tt.target_value > 0.0);
            prop_assert!(tt.scale_in_ratio > 0.0 && tt.scale_in_ratio < 1.0);
        }
        PolicyKind::Predictive(pp) => {
            prop_assert!(pp.target_value > 0.0);
            prop_assert!(pp.scheduling_buffer_time_ms < 3_600_000);
            prop_assert!((0.0..=100.0).contains(&pp.max_capacity_buffer_percent));
            prop_assert!(pp.increase_max_capacity || pp.max_capacity_buffer_percent == 0.0);
        }
    }
    Ok(())
}

/// What the simulation may assume of hooks, processes, launch failures and events.
fn check_disruptions(s: &Scenario) -> Result<(), TestCaseError> {
    let unique = |names: &[&str]| (1..names.len()).all(|i| !names[..i].contains(&names[i]));
    let processes: Vec<&str> = s
        .group
        .suspended_processes
        .iter()
        .map(|p| p.aws_name())
        .collect();
    prop_assert!(unique(&processes));
    prop_assert!((0.0..=1.0).contains(&s.failures.launch_failure_probability));
    check_time(&s.launch_template.boot_time)?;
    prop_assert!(s.lifecycle_hooks.len() <= 50);
    let names: Vec<&str> = s.lifecycle_hooks.iter().map(|h| h.name.as_str()).collect();
    prop_assert!(unique(&names) && names.iter().all(|n| !n.trim().is_empty()));
    for h in &s.lifecycle_hooks {
        prop_assert!((30_000..=7_200_000).contains(&h.heartbeat_timeout_ms));
        prop_assert!(h.heartbeat_timeout_ms % 1000 == 0);
        prop_assert!(
            h.heartbeat_interval_ms
                .is_none_or(|i| i > 0 && i < h.heartbeat_timeout_ms)
        );
        if let Some(t) = &h.work_time {
            check_time(t)?;
        }
    }
    let zones = &s.group.availability_zones;
    let known = |az: &String| zones.contains(az);
    for e in &s.events {
        match &e.action {
            EventAction::SetDesiredCapacity { value } => {
                prop_assert!(s.group.min_size <= *value && *value <= s.group.max_size);
            }
            EventAction::FailInstances { count, az, .. } => {
                prop_assert!(*count >= 1 && az.as_ref().is_none_or(known));
            }
            EventAction::AzOutage { az, duration_ms } => {
                prop_assert!(known(az) && *duration_ms > 0);
            }
            EventAction::LaunchFailures {
                az,
                duration_ms,
                probability,
            } => {
                prop_assert!(az.as_ref().is_none_or(known) && *duration_ms > 0);
                prop_assert!(*probability > 0.0 && *probability <= 1.0);
            }
            EventAction::InstanceRefresh(r) => check_refresh(r)?,
            EventAction::SuspendProcesses { processes }
            | EventAction::ResumeProcesses { processes } => {
                let names: Vec<&str> = processes.iter().map(|p| p.aws_name()).collect();
                prop_assert!(!names.is_empty() && unique(&names));
            }
        }
    }
    Ok(())
}

/// What the simulation may assume of the warm pool and the application start time.
fn check_warm_pool(s: &Scenario) -> Result<(), TestCaseError> {
    check_time(&s.launch_template.application_start_time)?;
    if let Some(pool) = &s.warm_pool {
        check_time(&pool.warm_start_time)?;
        let price = pool.stopped_price_per_hour_usd;
        prop_assert!(price.is_finite() && price >= 0.0);
    }
    Ok(())
}

/// What the simulation may assume of an instance refresh.
fn check_refresh(r: &InstanceRefreshConfig) -> Result<(), TestCaseError> {
    prop_assert!(r.min_healthy_percentage <= 100);
    prop_assert!(
        r.instance_type
            .as_ref()
            .is_none_or(|t| !t.trim().is_empty())
    );
    prop_assert!(
        r.instance_type.is_none() || r.price_per_hour_usd.is_some(),
        "a new type always has a price"
    );
    prop_assert!(
        r.price_per_hour_usd
            .is_none_or(|p| p.is_finite() && p >= 0.0)
    );
    let points = &r.checkpoint_percentages;
    prop_assert!(points.iter().all(|p| (1..=100).contains(p)));
    prop_assert!(points.windows(2).all(|w| w[0] < w[1]));
    // A list ending below 100 is valid: a partial refresh, which stops at its last one.
    Ok(())
}

/// What the simulation may assume of a boot or work time distribution.
fn check_time(time: &BootTime) -> Result<(), TestCaseError> {
    match *time {
        BootTime::Constant { .. } => {}
        BootTime::Uniform { min_ms, max_ms } => prop_assert!(min_ms <= max_ms),
        BootTime::LogNormal { median_ms, p95_ms } => {
            prop_assert!(median_ms > 0 && p95_ms > median_ms);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        check_outcome(parse(&text, &[]))?;
    }

    #[test]
    fn random_toml_like_text_never_panics(text in "([a-z_\\[\\]]{1,12}( = |=)(\"[^\"\n]{0,8}\"|[0-9.-]{1,5}|true|\\[[0-9, ]{0,6}\\]|\\{ [a-z]{1,4} = [0-9]{1,2} \\})?\n){0,12}") {
        check_outcome(parse(&text, &[]))?;
    }

    #[test]
    fn edited_scenarios_never_panic(edits in prop::collection::vec((any::<prop::sample::Index>(), edit()), 1..5)) {
        check_outcome(parse(&edited(&edits), &[]))?;
    }

    #[test]
    fn random_overrides_never_panic(overrides in prop::collection::vec(override_string(), 0..5)) {
        check_outcome(parse(VALID, &overrides))?;
    }
}

#[test]
fn the_valid_scenario_is_valid() {
    let s = parse(VALID, &[]).unwrap();
    assert_eq!(s.alarms[0].alarm_actions, [0]);
    assert_eq!(s.alarms[2].alarm_actions, [2]);
    assert_eq!(s.scaling_policies.len(), 5);
    assert_eq!(s.scheduled_actions.len(), 2);
    assert_eq!(s.scheduled_action_max_delay_ms, 90_000);
    let counts = (s.lifecycle_hooks.len(), s.group.suspended_processes.len());
    assert_eq!((counts, s.events.len()), ((2, 1), 8));
    let pool = s.warm_pool.as_ref().unwrap();
    assert_eq!(pool.pool_state, PoolState::Hibernated);
    assert!(pool.reuse_on_scale_in && s.load_balancer.overload_fails_health_checks);
    let refresh = s.events.iter().find_map(|e| match &e.action {
        EventAction::InstanceRefresh(r) => Some(r),
        _ => None,
    });
    assert_eq!(refresh.unwrap().price_per_hour_usd, Some(0.096));
    assert_eq!(s.failures.launch_failure_probability, 0.1);
    check_invariants(&s).unwrap();
    assert_eq!(s.events[0].at_ms, 30 * 60_000);
    assert_eq!(
        s.load.source,
        asgsim::trace::LoadSource::Pattern(asgsim::trace::Pattern::Step {
            base_rps: 100.0,
            peak_rps: 400.0,
            at_ms: 3_600_000,
            until_ms: Some(7_200_000),
        })
    );
    assert_eq!(
        edited(&[]),
        toml::to_string(&VALID.parse::<Table>().unwrap()).unwrap()
    );
}
