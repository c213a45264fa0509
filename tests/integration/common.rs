//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use asgsim::records::{ActivityKind, ActivityOrigin, Decision, Outcome};
use asgsim::run::RunOutput;
use asgsim::scenario::parse_scenario;
use asgsim::sim::Scenario;
use asgsim::time::Clock;

/// The crate's root folder.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A bundled scenario file.
pub fn scenario_path(name: &str) -> PathBuf {
    repo_root().join("scenarios").join(name)
}

/// Parses scenario text as if it were `scenarios/test.toml`, panicking with every problem.
pub fn scenario_from(text: &str) -> Scenario {
    let origin = scenario_path("test.toml");
    match parse_scenario(text, &origin, &[]) {
        Ok(s) => s,
        Err(e) => panic!("scenario does not parse:\n{e}\n---\n{text}"),
    }
}

/// Loads the scenario's load and runs it with a full recorder.
pub fn simulate(scenario: &Scenario, seed: u64) -> RunOutput {
    let trace = asgsim::run::load_trace(scenario, seed).expect("trace");
    asgsim::run::simulate(scenario, &trace, seed)
}

/// Loads a scenario file (a path relative to the crate) with `--set` overrides and runs it
/// with its own seed and a full recorder.
pub fn run_file(path: &str, sets: &[&str]) -> RunOutput {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let scenario = asgsim::scenario::load_scenario_file(&repo_root().join(path), &sets)
        .unwrap_or_else(|e| panic!("{path} does not load:\n{e}"));
    simulate(&scenario, scenario.seed)
}

/// The scenario files of `dir` (relative to the crate), sorted, without sweep files
/// (`sweep-*.toml`, which are not scenarios).
pub fn scenario_files(dir: &str) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(repo_root().join(dir)).expect("a scenario folder");
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            !name.starts_with("sweep-")
        })
        .collect();
    files.sort();
    files
}

/// The `--explain` lines of a run, exactly as `asgsim run --explain` prints them.
pub fn explain_lines(out: &RunOutput) -> Vec<String> {
    let records = out.records.explanations.iter();
    records
        .map(|e| format!("{} {}", Clock(e.time_ms), e.text))
        .collect()
}

/// The decision records of policy `name`, in time order.
pub fn decisions_of<'a>(out: &'a RunOutput, name: &str) -> Vec<&'a Decision> {
    let all = out.records.decisions.iter();
    all.filter(|d| d.policy == name).collect()
}

/// The decisions whose proposal was applied (the ones that changed desired capacity).
pub fn applied(out: &RunOutput) -> Vec<&Decision> {
    let all = out.records.decisions.iter();
    all.filter(|d| d.outcome == Outcome::Applied).collect()
}

/// Checks a target-tracking decision against its rule, from the record's own numbers: it
/// proposes ⌈C × metric / target⌉ clamped to `(min, max)`, with C the capacity past warm-up
/// (UG: as-scaling-target-tracking).
pub fn assert_tracks(d: &Decision, target: f64, (min, max): (u32, u32)) {
    let c = d.base_capacity.unwrap_or_else(|| panic!("no base: {d:?}"));
    let metric = d.metric_value.unwrap_or_else(|| panic!("no metric: {d:?}"));
    let wanted = (f64::from(c) * metric / target).ceil() as u32;
    assert_eq!(d.proposed, Some(wanted.clamp(min, max)), "{d:?}");
}

/// Times \[ms\] of the activities of `origin` and `kind`, in order.
pub fn activity_times(out: &RunOutput, origin: ActivityOrigin, kind: ActivityKind) -> Vec<u64> {
    let all = out.records.activities.iter();
    let hits = all.filter(|a| a.origin == origin && a.kind == kind);
    hits.map(|a| a.time_ms).collect()
}

/// Runs the `asgsim` binary with `args` in `dir`.
pub fn asgsim(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_asgsim"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the asgsim binary runs")
}

/// Stdout and stderr of a finished command, as text.
pub fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A small scenario with one simple policy driven by one CPU alarm under a constant load.
pub struct SimpleCase<'a> {
    /// min_size, max_size, desired_capacity.
    pub sizes: (u32, u32, u32),
    /// Constant load [req/s] (each instance serves 100 req/s).
    pub load_rps: f64,
    /// `GreaterThanThreshold` or `LessThanThreshold`.
    pub operator: &'a str,
    /// The alarm threshold [%].
    pub threshold: f64,
    /// The policy's adjustment type.
    pub adjustment_type: &'a str,
    /// The policy's adjustment.
    pub adjustment: i64,
    /// Extra policy lines, such as `min_adjustment_magnitude = 2`.
    pub extra_policy: &'a str,
}

impl SimpleCase<'_> {
    /// The scenario text.
    pub fn toml(&self) -> String {
        let (min, max, desired) = self.sizes;
        format!(
            r#"
name = "case"
duration = "30m"
[group]
min_size = {min}
max_size = {max}
desired_capacity = {desired}
availability_zones = ["us-east-1a", "us-east-1b"]
[launch_template]
capacity_rps = 100
boot_time = "60s"
[load]
pattern = {{ kind = "constant", rate = {load} }}
[[alarms]]
name = "Trigger"
metric_name = "CPUUtilization"
evaluation_periods = 2
threshold = {threshold}
comparison_operator = "{op}"
alarm_actions = ["policy"]
[[scaling_policies]]
name = "policy"
adjustment_type = "{adj_type}"
scaling_adjustment = {adj}
{extra}
"#,
            load = self.load_rps,
            threshold = self.threshold,
            op = self.operator,
            adj_type = self.adjustment_type,
            adj = self.adjustment,
            extra = self.extra_policy,
        )
    }

    /// (desired before, desired after) of the first decision the simulator takes.
    pub fn first_decision(&self) -> (u32, u32) {
        let out = simulate(&scenario_from(&self.toml()), 1);
        let first = out.records.activities.first().expect("the policy acted");
        (first.desired_before, first.desired_after)
    }
}
