//! The exact bytes of the tables.

use crate::asg::TerminationReason;

use crate::records::{Activity, ActivityKind, ActivityOrigin, InstanceRecord};
use crate::report::{activities_csv, instances_csv, summary_json, timeline_csv};

use super::fixtures::{diurnal, empty, row};

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

fn one_row_output() -> crate::run::RunOutput {
    let mut output = empty();
    output.alarm_names = vec!["HighCPU".into()];
    output.records.timeline = vec![row(90_250)];
    output
}

#[test]
fn timeline_header_is_exact_without_forecast_or_alarms() {
    let mut output = empty();
    output.alarm_names.clear();
    assert_eq!(
        text(timeline_csv(&output)),
        "time_s,load_rps,served_rps,dropped_rps,desired_capacity,min_size,max_size,pending,\
         in_service,terminating,unhealthy,cpu_avg,cpu_max,latency_ms\n"
    );
}

#[test]
fn timeline_rows_follow_the_number_rules() {
    assert_eq!(
        text(timeline_csv(&one_row_output())),
        "time_s,load_rps,served_rps,dropped_rps,desired_capacity,min_size,max_size,pending,\
         in_service,terminating,unhealthy,cpu_avg,cpu_max,latency_ms,alarm_HighCPU\n\
         90.250,123.4568,100,23.4568,3,2,6,1,2,0,0,66.6667,100,0.1,ALARM\n"
    );
}

#[test]
fn forecast_column_appears_when_any_row_has_one_and_is_empty_elsewhere() {
    let mut output = one_row_output();
    output.records.timeline.push(row(120_000));
    output.records.timeline[1].forecast_capacity = Some(4.5);
    output.records.timeline[1].alarm_states.clear();
    let csv = text(timeline_csv(&output));
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].ends_with(",latency_ms,forecast_capacity,alarm_HighCPU"));
    assert!(lines[1].ends_with(",0.1,,ALARM"), "{}", lines[1]);
    assert!(lines[2].starts_with("120,"));
    assert!(lines[2].ends_with(",0.1,4.5,"), "{}", lines[2]);
}

#[test]
fn warm_pool_column_follows_the_forecast_when_the_group_has_a_pool() {
    let mut output = one_row_output();
    output.records.timeline[0].forecast_capacity = Some(4.5);
    output.records.timeline[0].warm_pool = Some(3);
    let csv = text(timeline_csv(&output));
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].ends_with(",latency_ms,forecast_capacity,warm_pool,alarm_HighCPU"));
    assert!(lines[1].ends_with(",0.1,4.5,3,ALARM"), "{}", lines[1]);
}

#[test]
fn az_columns_count_each_zone_before_the_alarms() {
    let mut output = one_row_output();
    output.az_names = vec!["us-east-1a".into(), "us-east-1b".into()];
    output.records.timeline[0].instances_by_az = vec![2, 1];
    let csv = text(timeline_csv(&output));
    let lines: Vec<&str> = csv.lines().collect();
    let header = ",latency_ms,instances_us-east-1a,instances_us-east-1b,alarm_HighCPU";
    assert!(lines[0].ends_with(header), "{}", lines[0]);
    assert!(lines[1].ends_with(",0.1,2,1,ALARM"), "{}", lines[1]);
}

#[test]
fn alarm_columns_name_every_alarm_and_hold_cloudwatch_states() {
    let csv = text(timeline_csv(&diurnal(6, 60, false)));
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(",latency_ms,alarm_HighCPU,alarm_LowCPU"));
    let states: Vec<&str> = csv
        .lines()
        .skip(1)
        .flat_map(|l| l.rsplit(',').take(2))
        .collect();
    assert!(states.contains(&"INSUFFICIENT_DATA"));
    assert!(states.contains(&"ALARM"));
    assert!(states.contains(&"OK"));
    assert_eq!(csv.lines().count(), 1 + 6 * 60 + 1);
}

fn activity(description: &str) -> Activity {
    Activity {
        time_ms: 60_000,
        kind: ActivityKind::Capacity,
        origin: ActivityOrigin::Scaling,
        cause: "alarm HighCPU: CPU 80.5 > 75, 2 of 2 datapoints".into(),
        desired_before: 2,
        desired_after: 4,
        instance_id: None,
        az: None,
        description: description.into(),
    }
}

#[test]
fn activities_escape_commas_and_quotes_and_leave_none_empty() {
    let mut output = empty();
    output.records.activities = vec![
        activity(r#"Set desired capacity to 4, because "HighCPU" fired"#),
        Activity {
            kind: ActivityKind::Launch,
            instance_id: Some("i-00000004".into()),
            az: Some("us-east-1b".into()),
            ..activity("Launching i-00000004")
        },
    ];
    assert_eq!(
        text(activities_csv(&output)),
        "time_s,kind,cause,desired_before,desired_after,instance_id,az,description\n\
         60,capacity,\"alarm HighCPU: CPU 80.5 > 75, 2 of 2 datapoints\",2,4,,,\
         \"Set desired capacity to 4, because \"\"HighCPU\"\" fired\"\n\
         60,launch,\"alarm HighCPU: CPU 80.5 > 75, 2 of 2 datapoints\",2,4,i-00000004,us-east-1b,\
         Launching i-00000004\n"
    );
}

#[test]
fn activities_round_trip_through_a_csv_reader() {
    let mut output = empty();
    let tricky = "line one\nline \"two\", with a comma";
    output.records.activities = vec![activity(tricky)];
    let bytes = activities_csv(&output);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let record = reader.records().next().unwrap().unwrap();
    assert_eq!(&record[7], tricky);
    assert_eq!(&record[5], "");
}

#[test]
fn instances_have_empty_cells_for_what_did_not_happen_and_six_decimal_costs() {
    let mut output = empty();
    output.records.instances = vec![
        InstanceRecord {
            instance_id: "i-00000001".into(),
            az: "us-east-1a".into(),
            instance_type: "m5.large".into(),
            launch_time_ms: 0,
            in_service_time_ms: Some(0),
            termination_time_ms: Some(3_600_500),
            termination_reason: Some(TerminationReason::ScaleIn),
            cost_usd: 0.096_013_3,
        },
        InstanceRecord {
            instance_id: "i-00000002".into(),
            az: "us-east-1b".into(),
            instance_type: "m5.large".into(),
            launch_time_ms: 1_800_000,
            in_service_time_ms: None,
            termination_time_ms: None,
            termination_reason: None,
            cost_usd: 0.0016,
        },
    ];
    assert_eq!(
        text(instances_csv(&output)),
        "instance_id,az,instance_type,launch_time_s,in_service_time_s,termination_time_s,\
         termination_reason,cost_usd\n\
         i-00000001,us-east-1a,m5.large,0,0,3600.500,scale_in,0.096013\n\
         i-00000002,us-east-1b,m5.large,1800,,,,0.001600\n"
    );
}

#[test]
fn summary_is_pretty_json_with_a_final_newline() {
    let output = diurnal(6, 60, false);
    let json = text(summary_json(&output.summary));
    assert!(json.starts_with("{\n  \"scenario\": \"diurnal-demo\",\n  \"seed\": 7,\n"));
    assert!(json.ends_with("}\n") && !json.ends_with("}\n\n"));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    for key in [
        "scenario",
        "seed",
        "duration_s",
        "cost_usd",
        "instance_hours",
        "mean_in_service",
        "max_in_service",
        "scale_out_activities",
        "scale_in_activities",
        "replaced_unhealthy",
        "requests_total",
        "requests_dropped",
        "slo_violation_s",
    ] {
        assert!(value.get(key).is_some(), "missing {key}");
    }
    for key in [
        "accuracy_under",
        "accuracy_over",
        "timeshare_under",
        "timeshare_over",
        "instability",
        "jitter",
    ] {
        assert!(
            value["elasticity"].get(key).is_some(),
            "missing elasticity.{key}"
        );
    }
}

#[test]
fn non_finite_summary_figures_become_null() {
    let mut summary = empty().summary;
    summary.cost_usd = f64::NAN;
    let json = text(summary_json(&summary));
    assert!(json.contains("\"cost_usd\": null,"), "{json}");
}

#[test]
fn tables_are_deterministic() {
    let a = diurnal(24, 60, true);
    let b = diurnal(24, 60, true);
    assert_eq!(timeline_csv(&a), timeline_csv(&b));
    assert_eq!(activities_csv(&a), activities_csv(&b));
    assert_eq!(instances_csv(&a), instances_csv(&b));
}

#[test]
fn cpu_and_latency_are_empty_when_nothing_was_served() {
    let mut output = one_row_output();
    let row = &mut output.records.timeline[0];
    (row.cpu_avg_percent, row.cpu_max_percent, row.latency_ms) = (None, None, None);
    let csv = text(timeline_csv(&output));
    let line = csv.lines().nth(1).unwrap();
    assert!(line.ends_with(",2,0,0,,,,ALARM"), "{line}");
}
