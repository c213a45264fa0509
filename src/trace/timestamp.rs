//! ISO-8601 times in trace files: the `timestamp` column a CloudWatch export carries.
//!
//! Parsed by hand rather than through `jiff`: a trace may have millions of rows, the forms
//! a CSV export writes are few, and a byte-level parser says exactly what it refused. Every
//! form it accepts means the same instant as `jiff::Timestamp` reads it (a test checks).

/// Latest time accepted \[ms since the Unix epoch\]: the last `jiff::Timestamp` second,
/// 9999-12-30T22:00:00Z.
const MAX_EPOCH_MS: i64 = 253_402_207_200_000;

/// Milliseconds since 1970-01-01T00:00:00Z of an ISO-8601 time: `YYYY-MM-DDTHH:MM[:SS[.fff]]`
/// (a space may stand for the `T`), then `Z`, `+HH:MM`, `-HH:MM`, `+HHMM`, or nothing (UTC).
/// From 1970 to the end of 9999 (as far as `jiff` goes); fractions finer than a millisecond
/// must be zero.
pub(crate) fn parse_iso_ms(text: &[u8]) -> Option<i64> {
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = text.get(from..from + len)?;
        part.iter().try_fold(0i64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let at = |i: usize, c: u8| text.get(i) == Some(&c);
    if !(at(4, b'-') && at(7, b'-') && (at(10, b'T') || at(10, b't') || at(10, b' '))) {
        return None;
    }
    if !at(13, b':') {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    let (hour, minute) = (digits(11, 2)?, digits(14, 2)?);
    let mut i = 16;
    let mut second = 0;
    let mut millis = 0;
    if at(i, b':') {
        second = digits(i + 1, 2)?;
        i += 3;
        if at(i, b'.') || at(i, b',') {
            let (ms, used) = fraction_ms(&text[i + 1..])?;
            millis = ms;
            i += 1 + used;
        }
    }
    let offset_min = offset_minutes(&text[i..])?;
    if !(1970..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_min * 60;
    Some(seconds * 1000 + millis).filter(|ms| (0..=MAX_EPOCH_MS).contains(ms))
}

/// The digits of a fraction of a second: milliseconds and the bytes used. Digits past the
/// third must be zero (times are whole milliseconds).
fn fraction_ms(text: &[u8]) -> Option<(i64, usize)> {
    let used = text.iter().take_while(|c| c.is_ascii_digit()).count();
    if used == 0 {
        return None;
    }
    let mut ms = 0;
    for (k, &c) in text[..used].iter().enumerate() {
        let d = i64::from(c - b'0');
        match k {
            0..=2 => ms += d * [100, 10, 1][k],
            _ if d != 0 => return None,
            _ => {}
        }
    }
    Some((ms, used))
}

/// The offset at the end of a time \[minutes east of UTC\]: `Z`, `±HH:MM`, `±HHMM`, `±HH`, or
/// nothing (UTC).
fn offset_minutes(text: &[u8]) -> Option<i64> {
    match text {
        [] | [b'Z'] | [b'z'] => Some(0),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let two = |s: &[u8]| -> Option<i64> {
                match s {
                    [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
                        Some(i64::from(a - b'0') * 10 + i64::from(b - b'0'))
                    }
                    _ => None,
                }
            };
            let (h, m) = match rest.len() {
                2 => (two(rest)?, 0),
                4 => (two(&rest[..2])?, two(&rest[2..])?),
                5 if rest[2] == b':' => (two(&rest[..2])?, two(&rest[3..])?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = h * 60 + m;
            Some(if *sign == b'-' { -minutes } else { minutes })
        }
        _ => None,
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DDTHH:MM:SSZ` (with `.fff` when the milliseconds are not zero), in UTC.
pub(crate) fn format_iso_ms(epoch_ms: i64) -> String {
    let (seconds, millis) = (epoch_ms.div_euclid(1000), epoch_ms.rem_euclid(1000));
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (rest / 3600, rest % 3600 / 60, rest % 60);
    if millis == 0 {
        format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z")
    } else {
        format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{millis:03}Z")
    }
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jiff_ms(text: &str) -> i64 {
        text.parse::<jiff::Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn the_forms_an_export_writes_mean_what_jiff_reads() {
        for text in [
            "2024-05-10T00:00:00Z",
            "2024-05-10T00:00:00+00:00",
            "2024-05-10T02:30:00+02:30",
            "2024-05-09T19:00:00-05:00",
            "1970-01-01T00:00:00Z",
            "2000-02-29T23:59:59.250Z",
            "2024-12-31T23:59:00.000+00:00",
        ] {
            assert_eq!(parse_iso_ms(text.as_bytes()), Some(jiff_ms(text)), "{text}");
        }
        let utc = jiff_ms("2024-05-10T08:31:00Z");
        for text in [
            "2024-05-10 08:31:00",
            "2024-05-10T08:31",
            "2024-05-10T08:31:00+0000",
            "2024-05-10T10:31:00+02",
        ] {
            assert_eq!(parse_iso_ms(text.as_bytes()), Some(utc), "{text}");
        }
    }

    #[test]
    fn malformed_or_out_of_range_times_are_refused() {
        for text in [
            "",
            "2024-05-10",
            "2024/05/10T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-05-10T24:00:00Z",
            "2024-05-10T00:60:00Z",
            "2024-05-10T00:00:00.0001Z",
            "2024-05-10T00:00:00X",
            "2024-05-10T00:00:00+25:00",
            "1969-12-31T23:59:59Z",
            "1970-01-01T00:30:00+01:00",
            "9999-12-31T23:59:59Z",
            "60",
        ] {
            assert_eq!(parse_iso_ms(text.as_bytes()), None, "{text}");
        }
    }

    #[test]
    fn formatting_round_trips() {
        for ms in [0, 1_715_299_200_000, 951_868_799_250, MAX_EPOCH_MS] {
            let text = format_iso_ms(ms);
            assert_eq!(parse_iso_ms(text.as_bytes()), Some(ms), "{text}");
            assert_eq!(jiff_ms(&text), ms);
        }
        assert_eq!(format_iso_ms(1_715_299_200_000), "2024-05-10T00:00:00Z");
    }
}
