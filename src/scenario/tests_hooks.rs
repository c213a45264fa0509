//! Lifecycle hooks, suspended processes, launch failures, and the events that disturb the
//! group (`az_outage`, `launch_failures`, `suspend_processes`, `resume_processes`): values,
//! defaults and each rule.

use super::tests::{MINIMAL, parse, problems};
use super::tests_rules::{check_cases, edited};
use super::*;

/// A scenario using every key of this module's sections.
pub(super) const HOOKS: &str = r#"
duration = "6h"

[group]
min_size = 1
max_size = 6
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
suspended_processes = ["AZRebalance", "ScheduledActions"]

[launch_template]
capacity_rps = 50

[load]
pattern = { kind = "constant", rate = 10 }

[failures]
launch_failure_probability = 0.05

[[lifecycle_hooks]]
name = "launch-wait"
lifecycle_transition = "autoscaling:EC2_INSTANCE_LAUNCHING"
heartbeat_timeout = "10m"
default_result = "CONTINUE"
work_time = { distribution = "lognormal", median = "2m", p95 = "5m" }
work_result = "ABANDON"
heartbeat_interval = "1m"

[[lifecycle_hooks]]
name = "drain"
lifecycle_transition = "terminating"

[[events]]
at = "2h"
action = "az_outage"
az = "us-east-1b"
duration = "30m"

[[events]]
at = "1h"
action = "launch_failures"
az = "us-east-1a"
duration = "20m"
probability = 0.5

[[events]]
at = "3h"
action = "launch_failures"
duration = "5m"

[[events]]
at = "4h"
action = "suspend_processes"
processes = ["Launch", "Terminate"]

[[events]]
at = "5h"
action = "resume_processes"
processes = ["Launch", "AZRebalance"]
"#;

#[test]
fn hooks_and_disruptions_parse_to_the_values_written() {
    let s = parse(HOOKS, &[]).unwrap();
    assert_eq!(
        s.group.suspended_processes,
        [
            ScalingProcess::AzRebalance,
            ScalingProcess::ScheduledActions
        ]
    );
    assert_eq!(s.failures.launch_failure_probability, 0.05);
    assert_eq!(
        s.lifecycle_hooks,
        [
            LifecycleHookConfig {
                name: "launch-wait".into(),
                transition: LifecycleTransition::Launching,
                heartbeat_timeout_ms: 600_000,
                default_result: HookResult::Continue,
                work_time: Some(BootTime::LogNormal {
                    median_ms: 120_000,
                    p95_ms: 300_000
                }),
                work_result: HookResult::Abandon,
                heartbeat_interval_ms: Some(60_000),
                heartbeats_ms: Vec::new(),
            },
            LifecycleHookConfig {
                name: "drain".into(),
                transition: LifecycleTransition::Terminating,
                heartbeat_timeout_ms: 3_600_000,
                default_result: HookResult::Abandon,
                work_time: None,
                work_result: HookResult::Continue,
                heartbeat_interval_ms: None,
                heartbeats_ms: Vec::new(),
            },
        ]
    );
}

#[test]
fn disruption_events_parse_to_the_values_written() {
    let s = parse(HOOKS, &[]).unwrap();
    let actions: Vec<(u64, &EventAction)> = s
        .events
        .iter()
        .map(|e| (e.at_ms / 60_000, &e.action))
        .collect();
    let expected = [
        EventAction::LaunchFailures {
            az: Some("us-east-1a".into()),
            duration_ms: 20 * 60_000,
            probability: 0.5,
        },
        EventAction::AzOutage {
            az: "us-east-1b".into(),
            duration_ms: 30 * 60_000,
        },
        EventAction::LaunchFailures {
            az: None,
            duration_ms: 5 * 60_000,
            probability: 1.0,
        },
        EventAction::SuspendProcesses {
            processes: vec![ScalingProcess::Launch, ScalingProcess::Terminate],
        },
        EventAction::ResumeProcesses {
            processes: vec![ScalingProcess::Launch, ScalingProcess::AzRebalance],
        },
    ];
    let expected: Vec<(u64, &EventAction)> = [60, 120, 180, 240, 300]
        .into_iter()
        .zip(&expected)
        .collect();
    assert_eq!(actions, expected, "sorted by time");
}

#[test]
fn defaults_leave_everything_running() {
    let s = parse(MINIMAL, &[]).unwrap();
    assert!(s.group.suspended_processes.is_empty());
    assert_eq!(s.failures.launch_failure_probability, 0.0);
    assert!(s.lifecycle_hooks.is_empty());
    let s = parse(&edited(HOOKS, &["group.suspended_processes=[]"]), &[]).unwrap();
    assert!(
        s.group.suspended_processes.is_empty(),
        "an empty list is none"
    );
}

#[test]
fn work_time_takes_the_forms_of_boot_time() {
    let cases = [
        ("\"45s\"", BootTime::Constant { value_ms: 45_000 }),
        ("90", BootTime::Constant { value_ms: 90_000 }),
        (
            "{ distribution = \"constant\", value = \"2m\" }",
            BootTime::Constant { value_ms: 120_000 },
        ),
        (
            "{ distribution = \"uniform\", min = \"1m\", max = \"3m\" }",
            BootTime::Uniform {
                min_ms: 60_000,
                max_ms: 180_000,
            },
        ),
    ];
    for (value, expected) in cases {
        let over = format!("lifecycle_hooks.drain.work_time={value}");
        let s = parse(HOOKS, &[&over]).unwrap();
        assert_eq!(s.lifecycle_hooks[1].work_time, Some(expected), "{value}");
    }
}

#[test]
fn hooks_are_addressed_by_name_in_overrides() {
    let s = parse(
        HOOKS,
        &[
            "lifecycle_hooks.drain.heartbeat_timeout=2h",
            "lifecycle_hooks[0].lifecycle_transition=terminating",
        ],
    )
    .unwrap();
    assert_eq!(s.lifecycle_hooks[1].heartbeat_timeout_ms, 7_200_000);
    assert_eq!(
        s.lifecycle_hooks[0].transition,
        LifecycleTransition::Terminating
    );
    let p = problems(MINIMAL, &["lifecycle_hooks.drain.heartbeat_timeout=2h"]);
    assert_eq!(
        p[0].location(),
        "--set lifecycle_hooks.drain.heartbeat_timeout"
    );
    assert!(
        p[0].message.contains("no [[lifecycle_hooks]] entries"),
        "{p:?}"
    );
}

#[test]
fn lifecycle_hook_rules() {
    check_cases(
        HOOKS,
        r#"
        -lifecycle_hooks.drain.name | lifecycle_hooks[1].name | required key is missing
        lifecycle_hooks.drain.name="" | lifecycle_hooks[1].name | must not be empty
        lifecycle_hooks.drain.name=launch-wait | lifecycle_hooks[1].name | another lifecycle hook is already named launch-wait; names must be unique
        -lifecycle_hooks.drain.lifecycle_transition | lifecycle_hooks.drain.lifecycle_transition | required key is missing
        lifecycle_hooks.drain.lifecycle_transition=autoscaling:EC2_INSTANCE_TERMINATE | lifecycle_hooks.drain.lifecycle_transition | did you mean autoscaling:EC2_INSTANCE_TERMINATING?
        lifecycle_hooks.drain.lifecycle_transition=launch | lifecycle_hooks.drain.lifecycle_transition | expected one of autoscaling:EC2_INSTANCE_LAUNCHING, autoscaling:EC2_INSTANCE_TERMINATING, launching, terminating
        lifecycle_hooks.drain.heartbeat_timeout=10s | lifecycle_hooks.drain.heartbeat_timeout | between 30s and 7200s (2h), as AWS requires of HeartbeatTimeout
        lifecycle_hooks.drain.heartbeat_timeout=3h | lifecycle_hooks.drain.heartbeat_timeout | between 30s and 7200s
        lifecycle_hooks.drain.heartbeat_timeout=90500ms | lifecycle_hooks.drain.heartbeat_timeout | whole number of seconds
        lifecycle_hooks.drain.heartbeat_timeout=soon | lifecycle_hooks.drain.heartbeat_timeout | not a duration
        lifecycle_hooks.drain.default_result=continue | lifecycle_hooks.drain.default_result | did you mean CONTINUE?; expected one of CONTINUE, ABANDON
        lifecycle_hooks.drain.work_result=RETRY | lifecycle_hooks.drain.work_result | expected one of CONTINUE, ABANDON
        lifecycle_hooks.drain.work_time=fast | lifecycle_hooks.drain.work_time | `fast` is not a duration
        lifecycle_hooks.drain.work_time=[1] | lifecycle_hooks.drain.work_time | or a table such as
        lifecycle_hooks.drain.work_time={ distribution = "uniform", min = "2m", max = "1m" } | lifecycle_hooks.drain.work_time.min | min 2m must not exceed max 1m
        lifecycle_hooks.drain.work_time={ distribution = "gamma" } | lifecycle_hooks.drain.work_time.distribution | expected one of constant, uniform, lognormal
        lifecycle_hooks.drain.work_time={ distribution = "constant", value = "1m", spread = 1 } | lifecycle_hooks.drain.work_time.spread | unknown key
        lifecycle_hooks.launch-wait.heartbeat_interval=10m | lifecycle_hooks.launch-wait.heartbeat_interval | heartbeat_interval 10m must be shorter than heartbeat_timeout 10m, or the wait times out before the first heartbeat
        lifecycle_hooks.drain.heartbeat_interval=2h | lifecycle_hooks.drain.heartbeat_interval | shorter than heartbeat_timeout 1h (the default)
        lifecycle_hooks.drain.heartbeat_interval=0 | lifecycle_hooks.drain.heartbeat_interval | longer than 0
        lifecycle_hooks.drain.heartbeats=["80m", "30m"] | lifecycle_hooks.drain.heartbeats | heartbeats must be in increasing order
        lifecycle_hooks.drain.heartbeats=["30m", "soon"] | lifecycle_hooks.drain.heartbeats | item 1: `soon` is not a duration
        lifecycle_hooks.drain.heartbeats="30m" | lifecycle_hooks.drain.heartbeats | expected an array of durations
        lifecycle_hooks.launch-wait.heartbeats=["5m"] | lifecycle_hooks.launch-wait.heartbeats | give heartbeats (a list of times) or heartbeat_interval (a regular beat), not both
        lifecycle_hooks.drain.heartbeat_timout=1h | lifecycle_hooks.drain.heartbeat_timout | did you mean heartbeat_timeout?
        lifecycle_hooks=3 | lifecycle_hooks | expected an array of tables (write [[lifecycle_hooks]] sections)
        lifecycle_hooks=[3] | lifecycle_hooks[0] | expected a table
        "#,
    );
}

#[test]
fn at_most_fifty_hooks() {
    let hooks: Vec<String> = (0..51)
        .map(|i| format!("{{ name = \"h{i}\", lifecycle_transition = \"launching\" }}"))
        .collect();
    let over = format!("lifecycle_hooks=[{}]", hooks.join(", "));
    let p = problems(MINIMAL, &[&over]);
    assert!(
        p.iter().any(|p| p.location() == "--set lifecycle_hooks"
            && p.message == "51 lifecycle hooks; AWS allows at most 50 per group"),
        "{p:?}"
    );
    let over = format!("lifecycle_hooks=[{}]", hooks[..50].join(", "));
    assert_eq!(parse(MINIMAL, &[&over]).unwrap().lifecycle_hooks.len(), 50);
}

#[test]
fn disruption_event_rules() {
    check_cases(
        HOOKS,
        r#"
        -events[0].az | events[0].az | required key is missing; expected a string
        events[0].az="us-west-2a" | events[0].az | "us-west-2a" is not one of the group's availability_zones; they are: us-east-1a, us-east-1b, us-east-1c
        -events[0].duration | events[0].duration | required key is missing
        events[0].duration=0 | events[0].duration | must be longer than 0
        events[0].probability=0.5 | events[0].probability | unknown key; known keys: action, at, az, duration
        events[1].az="us-east-1d" | events[1].az | not one of the group's availability_zones
        events[1].probability=0 | events[1].probability | must be > 0 and ≤ 1
        events[1].probability=1.01 | events[1].probability | found 1.01
        events[1].probability=likely | events[1].probability | expected a finite number
        -events[2].duration | events[2].duration | required key is missing
        events[2].duration=later | events[2].duration | not a duration
        events[2].value=3 | events[2].value | unknown key; known keys: action, at, az, duration, probability
        -events[3].processes | events[3].processes | required key is missing; expected an array of process names
        events[3].processes=[] | events[3].processes | must name at least one process
        events[3].processes=["Launch", "Launch"] | events[3].processes | Launch is listed twice
        events[3].processes=["Scheduled"] | events[3].processes | expected one of Launch, Terminate, AddToLoadBalancer, AlarmNotification, AZRebalance, HealthCheck, InstanceRefresh, ReplaceUnhealthy, ScheduledActions
        events[4].processes=["RemoveFromLoadBalancerLowPriority"] | events[4].processes | RemoveFromLoadBalancerLowPriority is deprecated
        events[4].processes="AZRebalance" | events[4].processes | expected an array of process names
        events[4].process=["Launch"] | events[4].process | did you mean processes?
        "#,
    );
}

#[test]
fn every_problem_of_the_new_sections_is_reported_at_once() {
    let text = edited(
        HOOKS,
        &[
            "group.suspended_processes=[\"Lanch\"]",
            "failures.launch_failure_probability=2",
            "lifecycle_hooks.drain.heartbeat_timeout=1s",
            "lifecycle_hooks.launch-wait.default_result=maybe",
            "events[0].duration=0",
            "events[3].processes=[]",
        ],
    );
    let p = problems(&text, &[]);
    let paths = [
        "group.suspended_processes",
        "failures.launch_failure_probability",
        "lifecycle_hooks.drain.heartbeat_timeout",
        "lifecycle_hooks.launch-wait.default_result",
        "events[0].duration",
        "events[3].processes",
    ];
    for path in paths {
        assert!(
            p.iter()
                .any(|p| p.location().ends_with(&format!(", {path}"))),
            "{path}: {p:#?}"
        );
    }
    assert_eq!(p.len(), paths.len(), "{p:#?}");
}
