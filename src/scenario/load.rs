//! `\[load\]`: a CSV trace or a synthetic pattern, scaled, with optional noise.

use std::path::Path;

use super::fields::Reader;
use super::model::{LoadConfig, LoadSource, Pattern};
use crate::time::{MS_PER_HOUR, MS_PER_S, SimDuration, format_duration};

/// Reads `\[load\]`; a relative `trace` is resolved against the folder of `origin`.
pub(super) fn read_load(mut r: Reader<'_>, origin: &Path) -> Option<LoadConfig> {
    let source = read_source(&mut r, origin);
    let scale = r.non_negative("scale").or(1.0);
    let noise = r
        .number("noise")
        .check(
            |x| (0.0..=1.0).contains(x),
            |x| format!("must lie between 0 and 1 (a relative standard deviation), found {x}"),
        )
        .or(0.0);
    let resolution_ms = r.positive_duration("resolution").or(60 * MS_PER_S);
    r.finish();
    Some(LoadConfig {
        source: source?,
        scale: scale?,
        noise: noise?,
        resolution_ms: resolution_ms?,
    })
}

/// Exactly one of `trace` (a path) or `pattern` (an inline table).
fn read_source(r: &mut Reader<'_>, origin: &Path) -> Option<LoadSource> {
    let trace = r.name("trace").optional();
    let trace_written = r.raw("trace").is_some();
    if r.raw("pattern").is_some() {
        if trace_written {
            r.report_here("give exactly one of trace or pattern, not both");
            return None;
        }
        let mut p = r.child("pattern")?;
        let pattern = read_pattern(&mut p);
        p.finish();
        return pattern.map(LoadSource::Pattern);
    }
    match trace? {
        // `-` is standard input, wherever the scenario is.
        Some(t) if t == "-" => Some(LoadSource::Trace { path: "-".into() }),
        Some(t) => {
            let folder = origin.parent().unwrap_or(Path::new(""));
            Some(LoadSource::Trace {
                path: folder.join(t),
            })
        }
        None => {
            r.report_here(
                "one of trace (a CSV file time_s,requests_per_s) or pattern (such as { kind = \"constant\", rate = 100 }) is required",
            );
            None
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Constant,
    Step,
    Ramp,
    Sine,
    Diurnal,
    Spike,
}

/// A pattern table, keyed by `kind`; each kind accepts only its own keys.
fn read_pattern(p: &mut Reader<'_>) -> Option<Pattern> {
    let kinds = [
        ("constant", Kind::Constant),
        ("step", Kind::Step),
        ("ramp", Kind::Ramp),
        ("sine", Kind::Sine),
        ("diurnal", Kind::Diurnal),
        ("spike", Kind::Spike),
    ];
    let Some(kind) = p.choice("kind", &kinds).required() else {
        p.allow_all();
        return None;
    };
    match kind {
        Kind::Constant => {
            let rate_rps = rate(p, "rate")?;
            Some(Pattern::Constant { rate_rps })
        }
        Kind::Step => read_step(p),
        Kind::Ramp => read_ramp(p),
        Kind::Sine | Kind::Diurnal => read_cycle(p, kind),
        Kind::Spike => read_spike(p),
    }
}

/// A required rate ≥ 0 \[req/s\].
fn rate(p: &mut Reader<'_>, key: &str) -> Option<f64> {
    p.non_negative(key).required()
}

fn read_step(p: &mut Reader<'_>) -> Option<Pattern> {
    let base_rps = rate(p, "base");
    let peak_rps = rate(p, "peak");
    let at_ms = p.duration("at").required();
    let until_ms = p.duration("until").optional();
    if let (Some(at), Some(Some(until))) = (at_ms, until_ms)
        && until <= at
    {
        later_than(p, "until", until, "at", at);
        return None;
    }
    Some(Pattern::Step {
        base_rps: base_rps?,
        peak_rps: peak_rps?,
        at_ms: at_ms?,
        until_ms: until_ms?,
    })
}

fn read_ramp(p: &mut Reader<'_>) -> Option<Pattern> {
    let base_rps = rate(p, "base");
    let peak_rps = rate(p, "peak");
    let start_ms = p.duration("start").required();
    let end_ms = p.duration("end").required();
    if let (Some(start), Some(end)) = (start_ms, end_ms)
        && end <= start
    {
        later_than(p, "end", end, "start", start);
        return None;
    }
    Some(Pattern::Ramp {
        base_rps: base_rps?,
        peak_rps: peak_rps?,
        start_ms: start_ms?,
        end_ms: end_ms?,
    })
}

/// `sine` and `diurnal`: same shape; the first peak defaults to period/4 and 14h.
fn read_cycle(p: &mut Reader<'_>, kind: Kind) -> Option<Pattern> {
    let base_rps = rate(p, "base");
    let peak_rps = rate(p, "peak");
    let period_ms = p.positive_duration("period").or(24 * MS_PER_HOUR);
    let peak_at_ms = p.duration("peak_at").optional();
    if let (Some(base), Some(peak)) = (base_rps, peak_rps)
        && peak < base
    {
        p.report("peak", format!("peak {peak} must be ≥ base {base} (base is the lowest rate of the cycle, peak the highest)"));
        return None;
    }
    let period_ms = period_ms?;
    let peak_at_ms = peak_at_ms?.unwrap_or(match kind {
        Kind::Diurnal => 14 * MS_PER_HOUR,
        _ => period_ms / 4,
    });
    Some(Pattern::Sine {
        base_rps: base_rps?,
        peak_rps: peak_rps?,
        period_ms,
        peak_at_ms,
    })
}

fn read_spike(p: &mut Reader<'_>) -> Option<Pattern> {
    let base_rps = rate(p, "base");
    let peak_rps = rate(p, "peak");
    let at_ms = p.duration("at").required();
    let duration_ms = p.positive_duration("duration").required();
    Some(Pattern::Spike {
        base_rps: base_rps?,
        peak_rps: peak_rps?,
        at_ms: at_ms?,
        duration_ms: duration_ms?,
    })
}

fn later_than(
    p: &Reader<'_>,
    key: &str,
    value: SimDuration,
    other: &str,
    other_value: SimDuration,
) {
    p.report(
        key,
        format!(
            "{key} {} must be later than {other} {}",
            format_duration(value),
            format_duration(other_value)
        ),
    );
}
