//! Ranges of parameter values: `{ from = 4, to = 10, step = 2 }` gives 4, 6, 8, 10.
//!
//! `from`, `to` and `step` are all integers (integer values), all numbers with at least one
//! float (float values, written with as many decimals as `from` and `step` have), or all
//! duration strings (duration values, written in the unit of `step` when every value is a
//! whole number of it, else in the largest unit that is). `to` is included when the steps
//! reach it; the step must be positive and `from` must not exceed `to`.

use std::ops::Range;

use toml::Spanned;
use toml::de::DeValue;

use super::MAX_RUNS;
use super::spec::ParamValue;
use crate::time::{SimDuration, format_duration, parse_duration};

/// The three ends of a range, as parsed.
pub(super) struct RangeEnds<'a, 'i> {
    /// `from`.
    pub(super) from: &'a Spanned<DeValue<'i>>,
    /// `to`.
    pub(super) to: &'a Spanned<DeValue<'i>>,
    /// `step`.
    pub(super) step: &'a Spanned<DeValue<'i>>,
}

/// The values of a range; `text` is the sweep file (to read numbers as written).
pub(super) fn expand(ends: &RangeEnds<'_, '_>, text: &str) -> Result<Vec<ParamValue>, String> {
    let raw = |v: &Spanned<DeValue<'_>>| text[v.span()].trim().to_string();
    let all = [ends.from, ends.to, ends.step];
    if all.iter().all(|v| v.get_ref().is_integer()) {
        let [from, to, step] = all.map(|v| integer(&raw(v)));
        return integers(from?, to?, step?);
    }
    if all
        .iter()
        .all(|v| v.get_ref().is_integer() || v.get_ref().is_float())
    {
        let [from, to, step] = all.map(raw);
        return floats(&from, &to, &step);
    }
    if all.iter().all(|v| v.get_ref().is_str()) {
        let [from, to, step] = all.map(|v| v.get_ref().as_str().unwrap_or_default().to_string());
        return durations(&from, &to, &step);
    }
    Err(format!(
        "from, to and step must all be numbers or all durations (such as \"60s\"); found {}, {} and {}",
        ends.from.get_ref().type_str(),
        ends.to.get_ref().type_str(),
        ends.step.get_ref().type_str()
    ))
}

/// An integer as written (decimal, hex, octal or binary, underscores allowed).
fn integer(raw: &str) -> Result<i64, String> {
    let clean: String = raw.chars().filter(|c| *c != '_').collect();
    let (sign, body) = match clean.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, clean.strip_prefix('+').unwrap_or(&clean)),
    };
    let parsed = match body.get(..2) {
        Some("0x") => i64::from_str_radix(&body[2..], 16),
        Some("0o") => i64::from_str_radix(&body[2..], 8),
        Some("0b") => i64::from_str_radix(&body[2..], 2),
        _ => body.parse::<i64>(),
    };
    parsed
        .map(|n| sign * n)
        .map_err(|_| format!("{raw} is not an integer asgsim can use"))
}

/// How many values from `from` to `to` by `step` (> 0), at most [`MAX_RUNS`] + 1.
fn count(from: f64, to: f64, step: f64) -> Result<u64, String> {
    if step.is_nan() || step <= 0.0 {
        return Err(format!("the step must be greater than 0, found {step}"));
    }
    if from > to {
        return Err(format!(
            "the range is empty: from {from} is greater than to {to}; write from ≤ to"
        ));
    }
    let n = ((to - from) / step + 1e-9).floor() + 1.0;
    if n > MAX_RUNS as f64 {
        return Err(format!(
            "the range has {n} values, more than the {MAX_RUNS} runs a sweep may have; use a larger step"
        ));
    }
    Ok(n as u64)
}

fn integers(from: i64, to: i64, step: i64) -> Result<Vec<ParamValue>, String> {
    let n = count(from as f64, to as f64, step as f64)?;
    let values = (0..n as i64)
        .map(|i| from + i * step)
        .take_while(|v| *v <= to)
        .map(|v| ParamValue::plain(v.to_string()))
        .collect();
    Ok(values)
}

/// Decimals written after the point of a number (0 without a point; 6 with an exponent).
fn decimals(raw: &str) -> usize {
    if raw.contains(['e', 'E']) {
        return 6;
    }
    raw.split_once('.').map_or(0, |(_, frac)| {
        frac.chars().filter(char::is_ascii_digit).count()
    })
}

fn floats(from: &str, to: &str, step: &str) -> Result<Vec<ParamValue>, String> {
    let number = |raw: &str| {
        let clean: String = raw.chars().filter(|c| *c != '_').collect();
        clean
            .parse::<f64>()
            .map_err(|_| format!("{raw} is not a number asgsim can use"))
    };
    let (a, b, s) = (number(from)?, number(to)?, number(step)?);
    let n = count(a, b, s)?;
    let places = decimals(from).max(decimals(step)).max(1);
    let values = (0..n)
        .map(|i| {
            let text = format!("{:.places$}", a + i as f64 * s);
            ParamValue::plain(text)
        })
        .collect();
    Ok(values)
}

fn durations(from: &str, to: &str, step: &str) -> Result<Vec<ParamValue>, String> {
    let parse = |raw: &str| parse_duration(raw).map_err(|e| e.to_string());
    let (a, b, s) = (parse(from)?, parse(to)?, parse(step)?);
    let n = count(a as f64, b as f64, s as f64)?;
    let unit = unit_of(step);
    let values: Vec<SimDuration> = (0..n).map(|i| a + i * s).collect();
    let in_unit = unit.filter(|(_, ms)| values.iter().all(|v| v % ms == 0));
    Ok(values
        .into_iter()
        .map(|v| {
            let written = match in_unit {
                Some((suffix, ms)) => format!("{}{suffix}", v / ms),
                None => format_duration(v),
            };
            ParamValue::string(written)
        })
        .collect())
}

/// The unit suffix a duration is written in and its size \[ms\]; none for a bare number.
fn unit_of(raw: &str) -> Option<(&'static str, SimDuration)> {
    let suffix = raw
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    const UNITS: [(&str, SimDuration); 6] = [
        ("ms", 1),
        ("s", 1_000),
        ("m", 60_000),
        ("min", 60_000),
        ("h", 3_600_000),
        ("d", 86_400_000),
    ];
    UNITS.iter().copied().find(|(u, _)| *u == suffix.trim())
}

/// 1-based line and column (in chars) of a byte offset in `text`.
pub(super) fn position_of(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// The span's text, trimmed.
pub(super) fn raw_text(text: &str, span: Range<usize>) -> &str {
    text.get(span).unwrap_or_default().trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(body: &str) -> Result<Vec<String>, String> {
        let text = format!("r = {{ {body} }}\n");
        let table = toml::de::DeTable::parse(&text).unwrap();
        let r = table.get_ref().get("r").unwrap();
        let t = r.get_ref().as_table().unwrap();
        let ends = RangeEnds {
            from: t.get("from").unwrap(),
            to: t.get("to").unwrap(),
            step: t.get("step").unwrap(),
        };
        expand(&ends, &text).map(|v| v.into_iter().map(|p| p.written).collect())
    }

    #[test]
    fn integer_ranges_include_the_end_they_reach() {
        assert_eq!(
            range("from = 4, to = 10, step = 2").unwrap(),
            ["4", "6", "8", "10"]
        );
        assert_eq!(
            range("from = 4, to = 9, step = 2").unwrap(),
            ["4", "6", "8"]
        );
        assert_eq!(range("from = 5, to = 5, step = 1").unwrap(), ["5"]);
        assert_eq!(
            range("from = -2, to = 1_0, step = 6").unwrap(),
            ["-2", "4", "10"]
        );
    }

    #[test]
    fn float_ranges_keep_the_written_decimals() {
        assert_eq!(
            range("from = 0.1, to = 0.5, step = 0.1").unwrap(),
            ["0.1", "0.2", "0.3", "0.4", "0.5"]
        );
        assert_eq!(range("from = 1, to = 2, step = 0.25").unwrap().len(), 5);
    }

    #[test]
    fn duration_ranges_are_written_in_the_unit_of_the_step() {
        assert_eq!(
            range(r#"from = "60s", to = "180s", step = "60s""#).unwrap(),
            ["60s", "120s", "180s"]
        );
        assert_eq!(
            range(r#"from = "1m", to = "2m", step = "30s""#).unwrap(),
            ["60s", "90s", "120s"]
        );
        let values = range(r#"from = "1m", to = "2m", step = "30s""#).unwrap();
        assert_eq!(values.len(), 3);
    }

    #[test]
    fn bad_ranges_say_what_is_wrong() {
        let e = range("from = 10, to = 4, step = 2").unwrap_err();
        assert!(e.contains("the range is empty"), "{e}");
        let e = range("from = 1, to = 4, step = 0").unwrap_err();
        assert!(e.contains("step must be greater than 0"), "{e}");
        let e = range("from = 1, to = 4, step = -1").unwrap_err();
        assert!(e.contains("step must be greater than 0"), "{e}");
        let e = range(r#"from = 1, to = "4m", step = 1"#).unwrap_err();
        assert!(e.contains("numbers or all durations"), "{e}");
        let e = range(r#"from = "1x", to = "4m", step = "1m""#).unwrap_err();
        assert!(e.contains("not a duration"), "{e}");
        let e = range("from = 0, to = 1000000, step = 1").unwrap_err();
        assert!(e.contains("more than the 100000 runs"), "{e}");
    }
}
