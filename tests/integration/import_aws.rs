//! `asgsim import aws` end to end: the real AWS CLI's JSON (tests/fixtures/aws) becomes a
//! scenario that validates and runs, and in the run the imported policies act: their names
//! are in the causes of activities.csv. Random and truncated JSON never panics an importer.

use std::path::PathBuf;

use proptest::prelude::*;

use crate::common::{asgsim, repo_root, texts};

fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures/aws")
}

const CALLS: [&str; 8] = [
    "describe-auto-scaling-groups.json",
    "describe-policies.json",
    "describe-scheduled-actions.json",
    "describe-lifecycle-hooks.json",
    "describe-warm-pool.json",
    "describe-alarms.json",
    "describe-launch-template-versions.json",
    "describe-subnets.json",
];

#[test]
fn an_imported_group_validates_runs_and_its_policies_act() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("code-api.toml");
    let mut args = vec!["import", "aws", "--group", "code-api", "--out"];
    let out_text = out_path.to_str().unwrap().to_string();
    args.push(&out_text);
    // The files in another order than the calls: recognised by their keys.
    let files: Vec<String> = CALLS
        .iter()
        .rev()
        .map(|c| fixtures().join(c).display().to_string())
        .collect();
    args.extend(files.iter().map(String::as_str));
    let out = asgsim(dir.path(), &args);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.starts_with("wrote group code-api: 3 scaling policies, 2 alarms, 2 scheduled actions, 1 lifecycle hooks, a warm pool to "), "{stdout}");
    assert!(
        stderr.contains("warning: ") && stderr.contains("OKActions"),
        "{stderr}"
    );
    let out = asgsim(dir.path(), &["validate", "code-api.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", texts(&out).1);
    // A day with a four-hour surge: the CPU step policies and the ALB target tracking act.
    // (reuse_on_scale_in = false: with it, a relaunch from the warm pool of an instance still
    // draining underflows the group's counters, a core bug reported to the lead.)
    let out = asgsim(
        dir.path(),
        &[
            "run",
            "code-api.toml",
            "--set",
            "load.pattern={ kind = \"spike\", base = 150, peak = 1500, at = \"6h\", duration = \"4h\" }",
            "--set",
            "warm_pool.reuse_on_scale_in=false",
            "--out",
            "out",
        ],
    );
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let activities = std::fs::read_to_string(dir.path().join("out/activities.csv")).unwrap();
    for policy in ["alb-requests", "cpu-step-in"] {
        assert!(
            activities.contains(&format!(
                "triggered policy {policy} changing the desired capacity"
            )),
            "{policy} never acted:\n{activities}"
        );
    }
    let scheduled = activities.lines().any(|l| l.contains("workday-"));
    assert!(scheduled, "the schedules act too:\n{activities}");
}

#[test]
fn several_groups_without_group_exit_2_listing_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = fixtures().join(CALLS[0]).display().to_string();
    let out = asgsim(dir.path(), &["import", "aws", &file]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains(
            "the files hold 2 groups (code-api, batch-workers); pick one with --group NAME"
        ),
        "{stderr}"
    );
}

fn fixture_texts() -> Vec<(String, String)> {
    CALLS
        .iter()
        .map(|c| {
            (
                c.to_string(),
                std::fs::read_to_string(fixtures().join(c)).unwrap(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Each file cut short anywhere, or with a byte changed: an error or a scenario, never a
    /// panic, and a scenario that comes out validates.
    #[test]
    fn truncated_or_altered_aws_json_never_panics(
        file in 0usize..8,
        cut in 0.0f64..1.0,
        flip in proptest::option::of((0.0f64..1.0, any::<u8>())),
    ) {
        let mut texts = fixture_texts();
        let text = &mut texts[file].1;
        let mut bytes = text.clone().into_bytes();
        if let Some((at, byte)) = flip {
            let i = ((bytes.len() - 1) as f64 * at) as usize;
            bytes[i] = byte;
        } else {
            bytes.truncate((bytes.len() as f64 * cut) as usize);
        }
        *text = String::from_utf8_lossy(&bytes).into_owned();
        if let Ok(imported) = asgsim::import::aws::import_aws_texts(&texts, Some("code-api"), None) {
            let parsed = asgsim::scenario::parse_scenario(&imported.scenario, std::path::Path::new("x.toml"), &[]);
            prop_assert!(parsed.is_ok(), "{}", imported.scenario);
        }
    }

    /// Random JSON values under each key the importer recognises: never a panic.
    #[test]
    fn random_json_never_panics(value in arb_json(), key in 0usize..9) {
        let keys = ["AutoScalingGroups", "ScalingPolicies", "ScheduledUpdateGroupActions", "LifecycleHooks", "WarmPoolConfiguration", "MetricAlarms", "LaunchTemplateVersions", "Subnets", "MetricDataResults"];
        let doc = serde_json::json!({ keys[key]: value });
        let texts = vec![("r.json".to_string(), doc.to_string())];
        let _ = asgsim::import::aws::import_aws_texts(&texts, None, None);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        std::fs::write(&path, doc.to_string()).unwrap();
        let _ = asgsim::import::metrics::import_metrics(&asgsim::import::metrics::MetricsOptions {
            files: vec![path],
            ..Default::default()
        });
    }
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1e6f64..1e6).prop_map(serde_json::Value::from),
        prop_oneof![
            Just("AutoScalingGroupName".to_string()),
            Just("2024-05-10T00:00:00Z".to_string()),
            Just("arn:aws:autoscaling:us-east-1:1:scalingPolicy:x:autoScalingGroupName/g:policyName/p".to_string()),
            "[a-zA-Z$]{0,8}",
        ]
        .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let names = prop_oneof![
            Just("AutoScalingGroupName".to_string()),
            Just("MinSize".to_string()),
            Just("MaxSize".to_string()),
            Just("PolicyName".to_string()),
            Just("PolicyType".to_string()),
            Just("StepAdjustments".to_string()),
            Just("AlarmActions".to_string()),
            Just("AlarmName".to_string()),
            Just("MetricName".to_string()),
            Just("Timestamps".to_string()),
            Just("Values".to_string()),
            Just("Id".to_string()),
            "[A-Z][a-z]{0,6}",
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(names, inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A Terraform module whose main.tf is cut short or has a byte changed: an error naming
    /// the file, or a scenario that validates; never a panic.
    #[test]
    fn truncated_or_altered_terraform_never_panics(cut in 0.0f64..1.0, flip in proptest::option::of((0.0f64..1.0, any::<u8>()))) {
        let module = repo_root().join("tests/fixtures/terraform/module");
        let dir = tempfile::tempdir().unwrap();
        for name in ["variables.tf", "terraform.tfvars", "prod.auto.tfvars", "main.tf"] {
            let mut bytes = std::fs::read(module.join(name)).unwrap();
            if name == "main.tf" {
                match flip {
                    Some((at, byte)) => {
                        let i = ((bytes.len() - 1) as f64 * at) as usize;
                        bytes[i] = byte;
                    }
                    None => bytes.truncate((bytes.len() as f64 * cut) as usize),
                }
            }
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        match asgsim::import::terraform::import_terraform(&[dir.path().to_path_buf()], None, &[], None) {
            Ok(imported) => {
                let parsed = asgsim::scenario::parse_scenario(&imported.scenario, std::path::Path::new("x.toml"), &[]);
                prop_assert!(parsed.is_ok(), "{}", imported.scenario);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
