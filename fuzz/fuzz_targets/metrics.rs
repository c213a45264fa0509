//! `asgsim import metrics`: get-metric-data or get-metric-statistics JSON (pages separated by
//! NUL bytes, each a file) to a trace. Any input must give a trace CSV that asgsim reads back,
//! or an error naming a file, never a panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use asgsim::import::metrics::{MetricsOptions, import_metrics};
use libfuzzer_sys::fuzz_target;

/// One folder for every input (the importer reads files).
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("asgsim-fuzz-metrics-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

/// Longest span of datapoints worth importing here \[ms\]: a longer one is valid (up to ten
/// years of minutes) but only makes a long CSV, slowly under the sanitizer (two years of
/// minutes, a million rows, timed out at 10 s); reading the pages is what is fuzzed, and the
/// span limit has its own test.
const MAX_SPAN_MS: i64 = 24 * 3_600_000;

fuzz_target!(|data: &[u8]| {
    let texts: Vec<(String, String)> = data
        .split(|b| *b == 0)
        .take(4)
        .enumerate()
        .map(|(i, page)| {
            (
                format!("page{i}.json"),
                String::from_utf8_lossy(page).into(),
            )
        })
        .collect();
    if let Ok(series) = asgsim::import::metrics::read_series(&texts, &mut |_| {}) {
        let times = || series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
        if let (Some(first), Some(last)) = (times().min(), times().max())
            && last - first > MAX_SPAN_MS
        {
            return;
        }
    }
    let mut files = Vec::new();
    // At most four pages: more only repeats what two do.
    for (i, page) in data.split(|b| *b == 0).take(4).enumerate() {
        let path = dir().join(format!("page{i}.json"));
        std::fs::write(&path, page).unwrap();
        files.push(path);
    }
    let options = MetricsOptions {
        files,
        ..MetricsOptions::default()
    };
    match import_metrics(&options) {
        Ok(trace) => {
            asgsim::trace::read_csv(trace.csv.as_bytes(), "imported.csv")
                .expect("an imported trace reads back");
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
