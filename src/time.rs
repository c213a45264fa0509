//! Simulation time: integer milliseconds since t = 0, and durations like `90s`, `5m`, `7d`.
//!
//! Integer time keeps event order exact and runs byte-identical: no two events that should
//! coincide can drift apart by a rounding error.

use std::fmt;

/// Milliseconds in one second.
pub const MS_PER_S: u64 = 1_000;
/// Milliseconds in one minute.
pub const MS_PER_MIN: u64 = 60 * MS_PER_S;
/// Milliseconds in one hour.
pub const MS_PER_HOUR: u64 = 60 * MS_PER_MIN;
/// Milliseconds in one day.
pub const MS_PER_DAY: u64 = 24 * MS_PER_HOUR;

/// A point in simulated time \[ms since t = 0\].
pub type SimTime = u64;
/// A span of simulated time \[ms\].
pub type SimDuration = u64;

/// Why a duration string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{text}` is not a duration: {reason} (write a whole number with a unit, such as \"90s\", \"5m\", \"2h\", \"7d\" or \"250ms\", or an integer count of seconds)"
)]
pub struct DurationError {
    /// The text as written.
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// Parses `"250ms"`, `"90s"`, `"5m"`, `"2h"`, `"7d"` or a bare integer count of seconds.
///
/// Fractions are accepted when they give a whole number of milliseconds (`"1.5s"`, `"0.5h"`).
pub fn parse_duration(text: &str) -> Result<SimDuration, DurationError> {
    let err = |reason| DurationError {
        text: text.to_string(),
        reason,
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(err("it is empty"));
    }
    if trimmed.starts_with('-') {
        return Err(err("it is negative; durations are 0 or longer"));
    }
    let trimmed = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let split = number_end(trimmed);
    let (number, unit) = trimmed.split_at(split);
    if number.contains(['e', 'E']) {
        return Err(err(
            "it has an exponent; write the number out in a larger unit, such as \"7d\" for 604800s",
        ));
    }
    let unit_ms = match unit.trim() {
        "" | "s" => MS_PER_S,
        "ms" => 1,
        "m" | "min" => MS_PER_MIN,
        "h" => MS_PER_HOUR,
        "d" => MS_PER_DAY,
        _ => return Err(err("the unit is not one of ms, s, m, h, d")),
    };
    if number.is_empty() {
        return Err(err("it has no number"));
    }
    let value: f64 = number
        .parse()
        .map_err(|_| err("the number does not parse"))?;
    let ms = value * unit_ms as f64;
    if !ms.is_finite() || ms > 1e15 {
        return Err(err("it is too large"));
    }
    if (ms - ms.round()).abs() > 1e-6 {
        return Err(err("it is not a whole number of milliseconds"));
    }
    Ok(ms.round() as SimDuration)
}

/// Where the number at the start of `text` ends: digits and dots, and an exponent (`e5`,
/// `E-3`) when digits follow it, so that `1e30s` reads as a number with an exponent rather
/// than as the unit `e30s`.
fn number_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut end = bytes
        .iter()
        .position(|b| !(b.is_ascii_digit() || *b == b'.'))
        .unwrap_or(bytes.len());
    if end > 0 && matches!(bytes.get(end), Some(b'e' | b'E')) {
        let mut digits = end + 1;
        if matches!(bytes.get(digits), Some(b'+' | b'-')) {
            digits += 1;
        }
        if bytes.get(digits).is_some_and(u8::is_ascii_digit) {
            end = digits
                + bytes[digits..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
        }
    }
    end
}

/// Seconds as a float, for output columns \[s\].
pub fn ms_to_s(ms: SimTime) -> f64 {
    ms as f64 / MS_PER_S as f64
}

/// Renders a duration the way a user would write it: `90s`, `5m`, `2h`, `7d`, `250ms`.
pub fn format_duration(ms: SimDuration) -> String {
    for (unit, size) in [("d", MS_PER_DAY), ("h", MS_PER_HOUR), ("m", MS_PER_MIN)] {
        if ms >= size && ms.is_multiple_of(size) {
            return format!("{}{unit}", ms / size);
        }
    }
    if ms.is_multiple_of(MS_PER_S) {
        format!("{}s", ms / MS_PER_S)
    } else {
        format!("{ms}ms")
    }
}

/// A clock reading `HH:MM:SS` (with a day prefix `d3 ` past the first day), for explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock(pub SimTime);

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total_s = self.0 / MS_PER_S;
        let day = total_s / 86_400;
        let (h, m, s) = (total_s / 3600 % 24, total_s / 60 % 60, total_s % 60);
        if day > 0 {
            write!(f, "d{day} ")?;
        }
        write!(f, "{h:02}:{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit() {
        assert_eq!(parse_duration("250ms"), Ok(250));
        assert_eq!(parse_duration("90s"), Ok(90_000));
        assert_eq!(parse_duration("90"), Ok(90_000));
        assert_eq!(parse_duration("5m"), Ok(300_000));
        assert_eq!(parse_duration("2h"), Ok(7_200_000));
        assert_eq!(parse_duration("7d"), Ok(604_800_000));
        assert_eq!(parse_duration("1.5s"), Ok(1_500));
    }

    #[test]
    fn rejects_bad_text_with_a_reason() {
        for bad in ["", "5 parsecs", "m", "1.0001ms", "-5s", "5x"] {
            let e = parse_duration(bad).unwrap_err();
            assert!(e.to_string().contains("not a duration"), "{bad}: {e}");
        }
    }

    #[test]
    fn regression_misleading_duration_messages() {
        // "-5s" and "1e30s" were called a wrong unit.
        let why = |text: &str| parse_duration(text).unwrap_err().reason;
        assert_eq!(why("-5s"), "it is negative; durations are 0 or longer");
        assert!(
            why("1e30s").starts_with("it has an exponent"),
            "{}",
            why("1e30s")
        );
        assert!(why("2E-3h").starts_with("it has an exponent"));
        assert_eq!(why("5 parsecs"), "the unit is not one of ms, s, m, h, d");
        assert_eq!(why("5e"), "the unit is not one of ms, s, m, h, d");
        assert_eq!(parse_duration("+90s"), Ok(90_000));
        assert_eq!(why("99999999999999999999d"), "it is too large");
    }

    #[test]
    fn formats_round_trip() {
        for ms in [250, 90_000, 300_000, 7_200_000, 604_800_000] {
            assert_eq!(parse_duration(&format_duration(ms)), Ok(ms));
        }
        assert_eq!(Clock(12 * MS_PER_MIN).to_string(), "00:12:00");
        assert_eq!(Clock(MS_PER_DAY + 61_000).to_string(), "d1 00:01:01");
    }
}
