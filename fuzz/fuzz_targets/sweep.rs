//! The sweep file parser (grid, ranges, seeds, `[set]`, objective), then every view of the
//! grid a sweep takes: the first and last run, their overrides and descriptions.
#![no_main]

use std::path::Path;

use asgsim::sweep::SweepSpec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(spec) = SweepSpec::parse(&text, Path::new("fuzz/sweep.toml"), &[]) else {
        return;
    };
    let total = spec.total_runs();
    assert!(total >= 1 && total <= asgsim::sweep::MAX_RUNS);
    for run in [1, total] {
        let r = spec.run(run);
        let _ = spec.overrides(r.point);
        let _ = spec.describe_point(r.point);
    }
});
