//! `asgsim backtest --activities`: describe-scaling-activities JSON read into decisions (the
//! Cause sentences of AWS or of asgsim). Any input must give decisions in time order or an
//! error naming the file, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let start_epoch_ms = 1_736_121_600_000; // 2025-01-06T00:00:00Z, t = 0 of the bundled runs
    match asgsim::backtest::actual::read_decisions("fuzz.json", &text, start_epoch_ms, "code-api") {
        Ok(decisions) => {
            assert!(decisions.windows(2).all(|w| w[0].time_ms <= w[1].time_ms));
            for decision in &decisions {
                assert_ne!(decision.direction(), 0, "a decision changes capacity");
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
