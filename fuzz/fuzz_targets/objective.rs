//! A sweep's objective (`min:cost_usd where slo_violation_pct <= 1`): parsed objectives print
//! back to text that parses to the same objective.
#![no_main]

use asgsim::sweep::Objective;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(objective) = Objective::parse(&text) {
        let again = Objective::parse(&objective.to_string()).expect("printed objectives parse");
        assert_eq!(again.to_string(), objective.to_string());
    }
});
