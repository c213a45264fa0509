//! AWS's own spellings in the scenario format: values copied from the console, the CLI or
//! Terraform work as they are (AWS API Reference: TargetTrackingConfiguration,
//! CustomizedMetricSpecification, PutMetricAlarm; Terraform: aws_autoscaling_group).

use std::io::Write;

use super::tests::{MINIMAL, parse, problems};
use super::*;

fn with(extra: &str) -> String {
    format!("{MINIMAL}\n{extra}")
}

const ALB_NESTED: &str = r#"
[[scaling_policies]]
name = "alb-target"
policy_type = "TargetTrackingScaling"
estimated_instance_warmup = "120s"
[scaling_policies.target_tracking_configuration]
target_value = 1000
disable_scale_in = false
predefined_metric_specification = { predefined_metric_type = "ALBRequestCountPerTarget", resource_label = "app/web/50dc6c495c0c9188/targetgroup/web/943f017f100becff" }
"#;

#[test]
fn nested_predefined_metric_specification_reads_as_the_flat_type() {
    let s = parse(&with(ALB_NESTED), &[]).unwrap();
    let PolicyKind::TargetTracking(tt) = &s.scaling_policies[0].kind else {
        panic!("{:?}", s.scaling_policies[0]);
    };
    assert_eq!(tt.metric, TrackedMetric::AlbRequestCountPerTarget);
    assert_eq!(tt.target_value, 1000.0);
    let flat = ALB_NESTED.replace(
        "predefined_metric_specification = { predefined_metric_type = \"ALBRequestCountPerTarget\", resource_label = \"app/web/50dc6c495c0c9188/targetgroup/web/943f017f100becff\" }",
        "predefined_metric_type = \"ALBRequestCountPerTarget\"",
    );
    assert_eq!(parse(&with(&flat), &[]).unwrap(), s);
}

#[test]
fn two_metric_spellings_at_once_are_one_problem() {
    let both = ALB_NESTED.replace(
        "disable_scale_in = false",
        "predefined_metric_type = \"ASGAverageCPUUtilization\"",
    );
    let p = problems(&with(&both), &[]);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].message
            .contains("exactly one of predefined_metric_type, predefined_metric_specification"),
        "{}",
        p[0].message
    );
    let typo = ALB_NESTED.replace("ALBRequestCountPerTarget\"", "ALBRequestCountPerTargt\"");
    let p = problems(&with(&typo), &[]);
    assert!(
        p[0].key.ends_with(
            "target_tracking_configuration.predefined_metric_specification.predefined_metric_type"
        ),
        "{p:?}"
    );
}

#[test]
fn customized_metric_specification_reads_a_trace_column() {
    let text = r#"
duration = "1h"
[group]
min_size = 1
max_size = 4
[launch_template]
capacity_rps = 50
[load]
trace = "traces/queue.csv"
[[scaling_policies]]
name = "backlog"
policy_type = "TargetTrackingScaling"
[scaling_policies.target_tracking_configuration]
target_value = 100
[scaling_policies.target_tracking_configuration.customized_metric_specification]
metric_name = "ApproximateNumberOfMessagesVisible"
namespace = "AWS/SQS"
dimensions = [{ name = "QueueName", value = "jobs" }]
statistic = "Average"
unit = "Count"
"#;
    let s = parse(text, &[]).unwrap();
    let PolicyKind::TargetTracking(tt) = &s.scaling_policies[0].kind else {
        panic!();
    };
    assert_eq!(
        tt.metric,
        TrackedMetric::Custom {
            metric_name: "ApproximateNumberOfMessagesVisible".into(),
            column: "ApproximateNumberOfMessagesVisible".into(),
            per_instance: false,
        }
    );
    let s = parse(
        text,
        &[
            "scaling_policies.backlog.target_tracking_configuration.customized_metric_specification.column=queue",
            "scaling_policies.backlog.target_tracking_configuration.customized_metric_specification.per_instance=true",
        ],
    )
    .unwrap();
    let PolicyKind::TargetTracking(tt) = &s.scaling_policies[0].kind else {
        panic!();
    };
    assert!(
        matches!(&tt.metric, TrackedMetric::Custom { column, per_instance: true, .. } if column == "queue")
    );
    let p = problems(
        text,
        &[
            "scaling_policies.backlog.target_tracking_configuration.customized_metric_specification.dimensions=[{ name = \"QueueName\" }]",
        ],
    );
    assert!(
        p[0].message
            .contains("exactly a string name and a string value"),
        "{p:?}"
    );
}

const CPU_ALARM_AWS: &str = r#"
[[alarms]]
alarm_name = "web-cpu-high"
namespace = "AWS/EC2"
metric_name = "CPUUtilization"
dimensions = [{ name = "AutoScalingGroupName", value = "web" }]
statistic = "Average"
period = 60
evaluation_periods = 2
threshold = 70
comparison_operator = "GreaterThanThreshold"
alarm_actions = ["out"]

[[scaling_policies]]
name = "out"
adjustment_type = "ChangeInCapacity"
scaling_adjustment = 1
"#;

#[test]
fn alarms_carry_alarm_name_namespace_and_dimensions_as_aws_prints_them() {
    let s = parse(&with(CPU_ALARM_AWS), &[]).unwrap();
    assert_eq!(s.alarms[0].name, "web-cpu-high");
    assert_eq!(s.alarms[0].threshold, 70.0);
    // Addressed by its alarm_name.
    let s = parse(&with(CPU_ALARM_AWS), &["alarms.web-cpu-high.threshold=75"]).unwrap();
    assert_eq!(s.alarms[0].threshold, 75.0);
    // Terraform's map of dimensions.
    let terraform = CPU_ALARM_AWS.replace(
        "dimensions = [{ name = \"AutoScalingGroupName\", value = \"web\" }]",
        "dimensions = { AutoScalingGroupName = \"web\" }",
    );
    assert!(parse(&with(&terraform), &[]).is_ok());
    // Both names, agreeing: fine; differing: one problem.
    let both = CPU_ALARM_AWS.replace(
        "alarm_name = \"web-cpu-high\"",
        "alarm_name = \"web-cpu-high\"\nname = \"web-cpu-high\"",
    );
    assert!(parse(&with(&both), &[]).is_ok());
    let differ = CPU_ALARM_AWS.replace(
        "alarm_name = \"web-cpu-high\"",
        "alarm_name = \"web-cpu-high\"\nname = \"other\"",
    );
    let p = problems(&with(&differ), &[]);
    assert!(p[0].message.contains("differs from name"), "{p:?}");
}

#[test]
fn a_namespace_that_does_not_publish_the_metric_is_a_problem() {
    let rds = CPU_ALARM_AWS.replace("AWS/EC2", "AWS/RDS");
    let p = problems(&with(&rds), &[]);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].key.ends_with("alarms.web-cpu-high.namespace"), "{p:?}");
    assert!(
        p[0].message.contains("published in AWS/EC2, not AWS/RDS"),
        "{p:?}"
    );
}

#[test]
fn terraform_protect_from_scale_in_is_accepted() {
    let s = parse(MINIMAL, &["group.protect_from_scale_in=true"]).unwrap();
    assert!(s.group.new_instances_protected_from_scale_in);
    let p = problems(
        MINIMAL,
        &[
            "group.protect_from_scale_in=true",
            "group.new_instances_protected_from_scale_in=true",
        ],
    );
    assert!(p[0].message.contains("give only one"), "{p:?}");
}

#[test]
fn a_trace_with_timestamps_gives_start_time_unless_one_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("week.csv");
    let mut f = std::fs::File::create(&trace).unwrap();
    writeln!(
        f,
        "timestamp,time_s,requests_per_s\n2024-05-10T00:00:00Z,0,10\n2024-05-10T00:01:00Z,60,12"
    )
    .unwrap();
    let text = MINIMAL.replace(
        "pattern = { kind = \"constant\", rate = 10 }",
        "trace = \"week.csv\"",
    );
    let origin = dir.path().join("s.toml");
    let s = parse_scenario(&text, &origin, &[]).unwrap();
    assert_eq!(s.start_time.to_string(), "2024-05-10T00:00:00Z");
    let set = ["start_time=2025-03-01T00:00:00Z".to_string()];
    let s = parse_scenario(&text, &origin, &set).unwrap();
    assert_eq!(s.start_time.to_string(), "2025-03-01T00:00:00Z");
    // A trace set on the command line replaces the pattern, and gives its start.
    let set = [format!("load.trace={}", trace.display())];
    let s = parse_scenario(MINIMAL, &origin, &set).unwrap();
    assert_eq!(s.start_time.to_string(), "2024-05-10T00:00:00Z");
    assert!(matches!(s.load.source, LoadSource::Trace { .. }));
}

#[test]
fn a_short_trace_and_a_differing_start_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(
        &path,
        "timestamp,requests_per_s\n2024-05-10T00:00:00Z,10\n2024-05-10T00:10:00Z,12\n",
    )
    .unwrap();
    let text = MINIMAL.replace(
        "pattern = { kind = \"constant\", rate = 10 }",
        "trace = \"t.csv\"",
    );
    let origin = dir.path().join("s.toml");
    let s = parse_scenario(&text, &origin, &[]).unwrap();
    let trace = crate::trace::load(&s.load, s.duration_ms, 1).unwrap();
    let w = s.trace_warnings(&trace);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains(
            "covers 20m but the scenario runs for 1h: the last rate is held from 20m on (12 req/s)"
        ),
        "{}",
        w[0]
    );
    let s = parse_scenario(
        &text,
        &origin,
        &[
            "duration=20m".into(),
            "start_time=2024-05-11T00:00:00Z".into(),
        ],
    )
    .unwrap();
    let w = s.trace_warnings(&trace);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("start_time: 2024-05-11T00:00:00Z differs from the first timestamp"),
        "{}",
        w[0]
    );
}
