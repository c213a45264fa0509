//! A valid scenario all the way through: parsed as in the `scenario` target, then its load
//! built and the simulation run, shortened to at most two simulated hours (so that a run stays
//! around a millisecond), with the full recorder and the file serializers. Finds overflows
//! and panics in the core that validation lets through (issue 14, defect 1).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

/// Longest simulated span per input \[ms\].
const MAX_SPAN_MS: u64 = 2 * 3_600_000;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (scenario, sets) = text.split_once('\0').unwrap_or((&text, ""));
    let overrides: Vec<String> = sets.lines().map(str::to_string).collect();
    let origin = Path::new("fuzz/scenario.toml");
    let Ok(mut parsed) = asgsim::scenario::parse_scenario(scenario, origin, &overrides) else {
        return;
    };
    parsed.duration_ms = parsed.duration_ms.min(MAX_SPAN_MS);
    // Huge groups are valid but would spend the whole budget launching instances.
    if parsed.group.max_size > 200 {
        return;
    }
    let Ok(trace) = asgsim::run::load_trace(&parsed, parsed.seed) else {
        return;
    };
    let output = asgsim::run::simulate(&parsed, &trace, parsed.seed);
    let _ = asgsim::report::timeline_csv(&output);
    let _ = asgsim::report::activities_csv(&output);
    let _ = asgsim::report::instances_csv(&output);
    let _ = asgsim::report::summary_json(&output.summary);
});
