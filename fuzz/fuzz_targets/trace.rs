//! The CSV trace reader, with and without an extra column (as a customized metric reads one).
//! Any bytes must give a trace or an error naming the line, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(trace) = asgsim::trace::read_csv(data, "fuzz.csv") {
        assert!(!trace.is_empty());
        let _ = trace.rate_at(trace.span_ms() / 2);
        let _ = trace.max_rps();
        let _ = trace.mean_rps();
    }
    let _ = asgsim::trace::read_csv_with_column(data, "fuzz.csv", Some("queue_depth"));
});
