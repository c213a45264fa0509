//! What makes compared figures hard to compare: scenarios of different durations (every
//! total grows with the time simulated) or of different loads (their costs and SLO figures
//! answer different traffic). Said as warnings; the comparison still runs.

use crate::sim::Scenario;
use crate::time::format_duration;
use crate::trace::{LoadConfig, LoadSource, Pattern};

/// One warning per kind of difference among the `(label, scenario)` pairs.
pub(super) fn differences(scenarios: &[(&str, &Scenario)]) -> Vec<String> {
    let mut out = Vec::new();
    let duration = |s: &Scenario| format_duration(s.duration_ms);
    if let Some(listed) = differing(scenarios, |s| s.duration_ms.to_string(), duration) {
        let longest = scenarios
            .iter()
            .map(|(_, s)| s.duration_ms)
            .max()
            .unwrap_or(0);
        out.push(format!(
            "the scenarios run for different durations ({listed}); cost, instance-hours, requests and SLO seconds grow with the time simulated, so compare them over one duration: add --set duration={}",
            format_duration(longest)
        ));
    }
    // Any difference counts (a spike at another time too); the list says it in words.
    if let Some(listed) = differing(
        scenarios,
        |s| format!("{:?}", s.load),
        |s| describe(&s.load),
    ) {
        out.push(format!(
            "the scenarios have different loads ({listed}); their costs and SLO figures answer different traffic"
        ));
    }
    out
}

/// `a: 24h, b: 6h` (each scenario's `words`) when `key` differs between the scenarios,
/// else `None`.
fn differing(
    scenarios: &[(&str, &Scenario)],
    key: impl Fn(&Scenario) -> String,
    words: impl Fn(&Scenario) -> String,
) -> Option<String> {
    let keys: Vec<String> = scenarios.iter().map(|(_, s)| key(s)).collect();
    if keys.windows(2).all(|w| w[0] == w[1]) {
        return None;
    }
    let listed: Vec<String> = scenarios
        .iter()
        .map(|(label, s)| format!("{label}: {}", words(s)))
        .collect();
    Some(listed.join(", "))
}

/// A load in a few words: its source, and its scale and noise when not the defaults.
fn describe(load: &LoadConfig) -> String {
    let mut text = match &load.source {
        LoadSource::Trace { path } => format!("trace {}", path.display()),
        LoadSource::Pattern(p) => format!("pattern {}", pattern_words(p)),
    };
    if load.scale != 1.0 {
        text.push_str(&format!(" × {}", load.scale));
    }
    if load.noise != 0.0 {
        text.push_str(&format!(" with noise {}", load.noise));
    }
    text
}

fn pattern_words(p: &Pattern) -> String {
    match *p {
        Pattern::Constant { rate_rps } => format!("constant {rate_rps} req/s"),
        Pattern::Step {
            base_rps, peak_rps, ..
        } => format!("step {base_rps}–{peak_rps} req/s"),
        Pattern::Ramp {
            base_rps, peak_rps, ..
        } => format!("ramp {base_rps}–{peak_rps} req/s"),
        Pattern::Sine {
            base_rps,
            peak_rps,
            period_ms,
            ..
        } => format!(
            "cycle {base_rps}–{peak_rps} req/s every {}",
            format_duration(period_ms)
        ),
        Pattern::Spike {
            base_rps, peak_rps, ..
        } => format!("spike {base_rps}–{peak_rps} req/s"),
    }
}
