//! The report view's data for one run: what the page's `asgsimReport.render(data)` draws.

use super::play::Source;
use crate::run::RunOutput;
use crate::sim::Scenario;

/// The data of the report view of `output`, a run of `scenario` (from `source` with
/// `overrides`), as JSON.
pub(crate) fn data_json(
    scenario: &Scenario,
    source: &Source,
    overrides: &[String],
    output: &RunOutput,
) -> String {
    let rows = &output.records.timeline;
    let sentences: Vec<(f64, &str)> = output
        .records
        .explanations
        .iter()
        .map(|e| (e.time_ms as f64 / 1000.0, e.text.as_str()))
        .collect();
    serde_json::json!({
        "name": scenario.name,
        "duration_s": scenario.duration_ms as f64 / 1000.0,
        "file": source.name,
        "overrides": overrides,
        "summary": output.summary,
        "sentences": sentences,
        "series": {
            "t": rows.iter().map(|r| r.time_ms as f64 / 1000.0).collect::<Vec<_>>(),
            "desired": rows.iter().map(|r| r.desired_capacity).collect::<Vec<_>>(),
            "in_service": rows.iter().map(|r| r.in_service).collect::<Vec<_>>(),
            "load": rows.iter().map(|r| r.load_rps).collect::<Vec<_>>(),
        },
    })
    .to_string()
}
