//! The summary-only recorder that sweeps use (`asgsim::run::summarize`) and the full recorder of
//! `asgsim run` (`asgsim::run::simulate`) give the same `Summary` on every bundled scenario and
//! test fixture: keeping no records must not change a figure.

use asgsim::run::{load_trace, simulate, summarize};
use asgsim::scenario::load_scenario_file;

use crate::common::scenario_files;

#[test]
fn summary_only_and_full_recorders_give_identical_summaries() {
    let mut files = scenario_files("scenarios");
    files.extend(scenario_files("tests/scenarios"));
    assert!(files.len() >= 40, "{files:?}");
    for path in files {
        let scenario = load_scenario_file(&path, &[])
            .unwrap_or_else(|e| panic!("{} does not load:\n{e}", path.display()));
        // The scenario's own seed and one more, so that the random streams differ too.
        for seed in [scenario.seed, scenario.seed + 1] {
            let trace = load_trace(&scenario, seed).expect("trace");
            let full = simulate(&scenario, &trace, seed).summary;
            let only = summarize(&scenario, &trace, seed);
            let at = format!("{} seed {seed}", path.display());
            assert_eq!(only, full, "{at}");
            // To the last bit: the JSON writes every float in full.
            let json = |s: &asgsim::records::Summary| {
                serde_json::to_string(s).expect("a summary serialises")
            };
            assert_eq!(json(&only), json(&full), "{at}");
        }
    }
}
