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

fuzz_target!(|data: &[u8]| {
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
