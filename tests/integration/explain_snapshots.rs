//! The `--explain` sentences, snapshot-tested so that a change of wording is reviewed as
//! wording: every bundled scenario (`scenarios/`), every test fixture (`tests/scenarios/`) and
//! the fixture runs under overrides whose wording an integration test used to check. The rules
//! themselves are asserted on the records (decisions, activities, episodes, timeline,
//! instances) by the other tests; these snapshots are where "a step sentence names its
//! interval", "a simple policy says `cooldown until`", "a refresh says once why it waits" and
//! the AWS terms are checked.
//!
//! Each snapshot is `asgsim run --explain`'s output, line for line (`hh:mm:ss text`), under
//! `tests/integration/snapshots/`. After a deliberate change of wording, review the new text
//! with `cargo insta review` (or `INSTA_UPDATE=always cargo test --test integration
//! explain_snapshots` and `git diff`), and commit the snapshots with the change. Unless
//! `INSTA_UPDATE` says otherwise, a difference fails the test: locally insta also writes a
//! `.snap.new` beside each snapshot that differs; under `CI=true` it writes nothing.

use std::panic::catch_unwind;

use asgsim::scenario::load_scenario_file;

use crate::common::{explain_lines, repo_root, scenario_files, simulate};

/// Scenarios shortened for a readable snapshot, with the `duration` they run for: the week of
/// `llm-inference-week.toml` says the same kinds of thing every day; its first day (a Friday)
/// and the quiet Saturday after it show them all.
const SHORTENED: [(&str, &str); 1] = [("llm-inference-week", "2d")];

/// One snapshot: a scenario file (relative to the crate) run with its own seed and `--set`
/// overrides.
struct Case {
    name: String,
    path: String,
    sets: Vec<String>,
}

impl Case {
    fn new(name: &str, path: &str, sets: &[&str]) -> Self {
        Self {
            name: name.to_string(),
            path: path.to_string(),
            sets: sets.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Runs the case and compares its `--explain` lines with its snapshot.
    fn check(&self) {
        let path = repo_root().join(&self.path);
        let scenario = load_scenario_file(&path, &self.sets)
            .unwrap_or_else(|e| panic!("{} does not load:\n{e}", self.path));
        let out = simulate(&scenario, scenario.seed);
        let mut command = format!("asgsim run {} --explain", self.path);
        for set in &self.sets {
            command.push_str(&format!(" --set '{set}'"));
        }
        let mut settings = insta::Settings::clone_current();
        settings.set_description(command);
        settings.set_omit_expression(true);
        let text = explain_lines(&out).join("\n");
        settings.bind(|| insta::assert_snapshot!(self.name.as_str(), text));
    }
}

/// Checks every case, then fails naming each one whose snapshot differs, so that one run
/// shows (and, locally, writes a `.snap.new` for) every changed snapshot.
fn check_all(cases: &[Case]) {
    let failed: Vec<&str> = cases
        .iter()
        .filter(|case| catch_unwind(|| case.check()).is_err())
        .map(|case| case.name.as_str())
        .collect();
    assert!(
        failed.is_empty(),
        "--explain differs from its snapshot for {failed:?}: if the new wording is meant, \
         review it with `cargo insta review` and commit the snapshots"
    );
}

/// A case per scenario file of `dir`, named by its file stem.
fn folder(dir: &str) -> Vec<Case> {
    let files = scenario_files(dir);
    assert!(files.len() >= 10, "{dir}: {files:?}");
    let cases = files.iter().map(|file| {
        let stem = file.file_stem().unwrap().to_string_lossy();
        let name = file.file_name().unwrap().to_string_lossy();
        let path = format!("{dir}/{name}");
        let duration = SHORTENED.iter().find(|(s, _)| *s == stem);
        let set = duration.map(|(_, d)| format!("duration={d}"));
        let sets: Vec<&str> = set.iter().map(String::as_str).collect();
        Case::new(&stem, &path, &sets)
    });
    cases.collect()
}

#[test]
fn every_bundled_scenario() {
    check_all(&folder("scenarios"));
}

#[test]
fn every_test_fixture() {
    let fixtures = folder("tests/scenarios");
    // Snapshots are named by file stem: a fixture must not share one with a bundled scenario.
    let bundled = folder("scenarios");
    let shared = fixtures
        .iter()
        .filter(|f| bundled.iter().any(|b| b.name == f.name));
    let shared: Vec<&str> = shared.map(|f| f.name.as_str()).collect();
    assert!(shared.is_empty(), "{shared:?}");
    check_all(&fixtures);
}

/// Fixture runs under overrides, for the wording of the cases the integration tests assert on
/// the records: each comment names what its sentences must say.
#[test]
fn fixture_variants() {
    let mut cases = Vec::new();
    // policy_examples.rs: HonorMaxCapacity holds the forecast of 50 at max_size 40, and says so.
    let honor = "scaling_policies.forecast.predictive_scaling_configuration={ metric_specification = { target_value = 3600, predefined_metric_pair_specification = { predefined_metric_type = \"ALBRequestCount\" } }, mode = \"ForecastAndScale\", scheduling_buffer_time = \"300s\" }";
    cases.push(Case::new(
        "aws-12-7-predictive-honor-max",
        "tests/scenarios/aws-12-7-predictive.toml",
        &[honor],
    ));
    // basic_monitoring.rs: AlarmLow counts "15 of 15 five-minute periods".
    cases.push(Case::new(
        "basic-monitoring-tt-scale-in",
        "tests/scenarios/basic-monitoring-tt.toml",
        &[
            "group.desired_capacity=10",
            r#"load.pattern={ kind = "step", base = 400, peak = 200, at = "30m" }"#,
        ],
    ));
    // refresh_pool.rs: 10% is skipped and "checkpoint 40% reached (50% replaced)" is said.
    cases.push(Case::new(
        "aws-12-11-refresh-skipped-checkpoint",
        "tests/scenarios/aws-12-11-refresh.toml",
        &[
            "group.desired_capacity=2",
            "events[0].checkpoint_percentages=[10, 40, 100]",
        ],
    ));
    // refresh_pool.rs: a refresh says once which suspended process it waits for (the fixture
    // itself suspends Launch).
    for process in ["Terminate", "InstanceRefresh"] {
        let sets = [
            format!("events[1].processes=[\"{process}\"]"),
            format!("events[2].processes=[\"{process}\"]"),
        ];
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        let name = format!("refresh-suspended-{}", process.to_lowercase());
        cases.push(Case::new(
            &name,
            "tests/scenarios/refresh-suspended.toml",
            &sets,
        ));
    }
    // az_recovery.rs: unmarked instances "recover with us-east-1a before its health checks
    // failed"; a suspended process keeps the group from rebalancing, and the sentence says
    // which.
    cases.push(Case::new(
        "az-outage-90s-ec2-checks",
        "scenarios/az-outage.toml",
        &["events[0].duration=90s", "group.health_check_type=EC2"],
    ));
    for process in ["AZRebalance", "Launch"] {
        let set = format!("group.suspended_processes=[\"{process}\"]");
        let name = format!("az-outage-{}-suspended", process.to_lowercase());
        cases.push(Case::new(
            &name,
            "scenarios/az-outage.toml",
            &[set.as_str()],
        ));
    }
    check_all(&cases);
}
