//! Durations as written in scenarios and on the command line (`90s`, `5m`, `1.5h`, ...). A
//! parsed duration must format and parse back to itself.
#![no_main]

use asgsim::time::{format_duration, parse_duration};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(ms) = parse_duration(&text) {
        assert_eq!(parse_duration(&format_duration(ms)), Ok(ms));
    }
});
