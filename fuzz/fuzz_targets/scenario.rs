//! The scenario parser: TOML text, then `--set` overrides (the lines after a NUL byte), then
//! validation and the warnings. Any input must give a scenario or a located error, never a
//! panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (scenario, sets) = text.split_once('\0').unwrap_or((&text, ""));
    let overrides: Vec<String> = sets.lines().map(str::to_string).collect();
    let origin = Path::new("fuzz/scenario.toml");
    match asgsim::scenario::parse_scenario(scenario, origin, &overrides) {
        Ok(parsed) => {
            let _ = parsed.warnings();
        }
        Err(e) => {
            assert!(!e.problems.is_empty());
            let _ = e.to_string();
        }
    }
});
