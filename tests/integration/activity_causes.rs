//! `activities.csv`'s cause is the `Cause` AWS writes in `describe-scaling-activities` (UG:
//! as-verify-scaling-activity): the decision, then each instance's own sentence, with UTC
//! times; asgsim's detail (the alarm's reading, the scheduled action's name) follows them.

use crate::common::{asgsim, repo_root, texts};

/// The `cause` cells of `activities.csv` of `scenarios/<name>` run through the CLI.
fn causes(name: &str) -> Vec<String> {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().display().to_string();
    let scenario = format!("scenarios/{name}");
    let run = asgsim(&repo_root(), &["run", &scenario, "--out", &dir, "-q"]);
    assert_eq!(run.status.code(), Some(0), "{}", texts(&run).1);
    let mut reader = csv::Reader::from_path(out.path().join("activities.csv")).unwrap();
    let column = reader.headers().unwrap().iter().position(|h| h == "cause");
    let column = column.unwrap();
    let rows = reader.records().map(|r| r.unwrap()[column].to_string());
    rows.collect()
}

#[test]
fn an_alarm_scale_out_reads_as_the_console_shows_it() {
    let causes = causes("step-scaling.toml");
    let first = causes
        .iter()
        .find(|c| c.contains("a monitor alarm"))
        .unwrap();
    let (aws, detail) = first.split_at(first.find(" The alarm read ").unwrap());
    let (decision, instance) = aws.split_at(aws.find(". At ").unwrap() + 1);
    let words = |s: &str| s.split(' ').skip(2).collect::<Vec<_>>().join(" ");
    assert!(decision.starts_with("At 2025-"), "{decision}");
    assert!(
        words(decision).starts_with("a monitor alarm ")
            && decision.contains(" in state ALARM triggered policy ")
            && decision.contains(" changing the desired capacity from "),
        "{decision}"
    );
    assert!(
        words(instance.trim()).starts_with(
            "an instance was started in response to a difference between desired and actual capacity, increasing the capacity from "
        ),
        "{instance}"
    );
    assert!(detail.contains('%'), "{detail}");
}

#[test]
fn a_scheduled_action_names_the_sizes_it_sets_and_asgsim_names_the_action() {
    let causes = causes("scheduled-scaling.toml");
    let up = causes
        .iter()
        .find(|c| c.contains("The scheduled action business-hours-up"))
        .unwrap();
    assert!(
        up.starts_with("At 2025-03-07T13:00:00Z a scheduled action update of AutoScalingGroup constraints to min: 4, desired: 6 changing the desired capacity from "),
        "{up}"
    );
}

#[test]
fn a_user_request_and_a_scale_in_read_as_aws_writes_them() {
    let causes = causes("seed-workflow.toml");
    let scale_in = causes
        .iter()
        .find(|c| c.contains("shrinking the capacity"))
        .unwrap();
    assert!(
        scale_in.contains(
            "an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from "
        ),
        "{scale_in}"
    );
    assert!(
        causes.iter().all(|c| c.starts_with("At 20")),
        "every cause starts with its UTC time: {causes:#?}"
    );
}
