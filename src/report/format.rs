//! Number formatting for the output tables: deterministic, readable and allocation-free.
//!
//! One rule per kind of number, used in every file:
//! - times \[s\]: an integer when whole, else exactly 3 decimals (`90`, `90.250`);
//! - quantities (rates, CPU, latency, capacities): at most 4 decimals, trailing zeros and a
//!   trailing dot trimmed, never `-0` (`12.5`, `0.0001`, `3`);
//! - costs \[USD\]: exactly 6 decimals (`0.096000`).
//!
//! The digits are those of Rust's `{:.N}` formatting (correctly rounded from the exact binary
//! value); a fast integer path covers the usual magnitudes and falls back to `{:.N}` near a
//! rounding tie and for huge or non-finite values (`NaN`, `inf`).

use std::io::Write as _;

/// Decimals kept for rates, CPU, latency and capacities.
const QUANTITY_DECIMALS: usize = 4;
/// Decimals kept for costs \[USD\].
const COST_DECIMALS: usize = 6;
/// Powers of ten up to the most decimals used.
const POW10: [u64; 7] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
/// Largest scaled magnitude (2^43) for the integer path: the product `x * 10^d` is then exact
/// to within 2^-11, inside the tie margin below, so the integer path rounds as `{:.N}` does.
const FAST_LIMIT: f64 = 8_796_093_022_208.0;
/// Scaled values whose fraction is this close to one half go through `{:.N}`: twice the
/// largest error of the product (2^-11 ≈ 0.00049), so one value in a thousand takes the slow
/// path.
const TIE_MARGIN: f64 = 0.001;

/// Appends a time given in \[ms\] as seconds: integer when whole, else 3 decimals.
pub(crate) fn push_time_s(buf: &mut Vec<u8>, ms: u64) {
    push_u64(buf, ms / 1_000);
    let frac = ms % 1_000;
    if frac != 0 {
        buf.push(b'.');
        push_padded(buf, frac, 3);
    }
}

/// Appends a rate, CPU, latency or capacity: at most 4 decimals, trailing zeros trimmed.
#[inline]
pub(crate) fn push_quantity(buf: &mut Vec<u8>, x: f64) {
    // Nothing dropped, an idle minute: the commonest value, written at once (`-0` too).
    if x == 0.0 {
        buf.push(b'0');
        return;
    }
    push_fixed::<QUANTITY_DECIMALS>(buf, x, true);
}

/// Appends a cost \[USD\] with exactly 6 decimals.
pub(crate) fn push_cost(buf: &mut Vec<u8>, x: f64) {
    push_fixed::<COST_DECIMALS>(buf, x, false);
}

/// Appends an unsigned integer.
#[inline]
pub(crate) fn push_u64(buf: &mut Vec<u8>, n: u64) {
    // Instance counts and capacities are mostly one or two digits: no copy call for them.
    if n < 10 {
        buf.push(b'0' + n as u8);
    } else if n < 100 {
        buf.push(b'0' + (n / 10) as u8);
        buf.push(b'0' + (n % 10) as u8);
    } else {
        push_u64_long(buf, n);
    }
}

/// [`push_u64`] of a number of three digits or more: the digits left-aligned in a fixed
/// array, copied whole (an inline copy, where a copy of a varying length calls `memcpy`), then
/// the surplus cut off.
fn push_u64_long(buf: &mut Vec<u8>, mut n: u64) {
    let len = n.ilog10() as usize + 1;
    let mut digits = [0u8; 20];
    let mut i = len;
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        i -= 2;
        digits[i..i + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        digits[0..2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    } else {
        digits[0] = b'0' + n as u8;
    }
    let start = buf.len();
    buf.extend_from_slice(&digits);
    buf.truncate(start + len);
}

/// "00", "01", … "99": two digits per lookup.
const DIGIT_PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// A quantity as a `String`, by the same rule as [`push_quantity`] (for labels and tests).
pub(crate) fn quantity_string(x: f64) -> String {
    let mut buf = Vec::with_capacity(24);
    push_quantity(&mut buf, x);
    // Only ASCII digits, '-', '.', "NaN" and "inf" are ever pushed.
    String::from_utf8(buf).unwrap_or_default()
}

/// Appends `n` left-padded with zeros to `width` digits (`n < 10^width`, `width <= 6`).
fn push_padded(buf: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = [b'0'; 6];
    let mut rest = n;
    for slot in digits[..width].iter_mut().rev() {
        *slot = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    buf.extend_from_slice(&digits[..width]);
}

/// Appends `x` rounded to `DECIMALS` places, optionally trimmed; `-0` is written `0`.
///
/// Generic over the decimals so that the divisions below are by constants (multiplications).
fn push_fixed<const DECIMALS: usize>(buf: &mut Vec<u8>, x: f64, trim: bool) {
    const { assert!(DECIMALS.is_multiple_of(2) && DECIMALS <= 8) };
    let decimals = DECIMALS;
    let scale = POW10[DECIMALS];
    let scaled = x * scale as f64;
    let magnitude = scaled.abs();
    // Casts truncate in one instruction, where `round` and `fract` may call libm.
    if magnitude.is_nan() || magnitude >= FAST_LIMIT {
        push_fixed_slow(buf, x, decimals, trim);
        return;
    }
    let whole = magnitude as u64;
    let fraction = magnitude - whole as f64;
    if (fraction - 0.5).abs() <= TIE_MARGIN {
        push_fixed_slow(buf, x, decimals, trim);
        return;
    }
    let units = whole + u64::from(fraction > 0.5);
    if scaled < 0.0 && units != 0 {
        buf.push(b'-');
    }
    push_u64(buf, units / scale);
    let frac = units % scale;
    if frac == 0 && trim {
        return;
    }
    // The decimals two at a time into a small array, trailing zeros trimmed there: no loop
    // over the output buffer.
    let mut digits = [0u8; 8];
    let mut rest = frac;
    for pair in (0..DECIMALS / 2).rev() {
        let two = (rest % 100) as usize * 2;
        rest /= 100;
        digits[pair * 2..pair * 2 + 2].copy_from_slice(&DIGIT_PAIRS[two..two + 2]);
    }
    let mut len = decimals;
    if trim {
        while digits[len - 1] == b'0' {
            len -= 1;
        }
    }
    // The whole array at once (an inline copy), then the surplus cut off.
    let start = buf.len();
    buf.push(b'.');
    buf.extend_from_slice(&digits);
    buf.truncate(start + 1 + len);
}

/// `{:.N}` formatting, then the same trimming and `-0` rule as the integer path.
fn push_fixed_slow(buf: &mut Vec<u8>, x: f64, decimals: usize, trim: bool) {
    let start = buf.len();
    // Writing into a Vec<u8> cannot fail.
    let _ = write!(buf, "{x:.decimals$}");
    if trim && x.is_finite() {
        trim_zeros(buf);
    }
    let written = &buf[start..];
    if written.first() == Some(&b'-') && written[1..].iter().all(|&b| b == b'0' || b == b'.') {
        buf.remove(start);
    }
}

/// Removes trailing zeros after a decimal point, then a trailing dot.
fn trim_zeros(buf: &mut Vec<u8>) {
    while buf.last() == Some(&b'0') {
        buf.pop();
    }
    if buf.last() == Some(&b'.') {
        buf.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn quantity(x: f64) -> String {
        quantity_string(x)
    }

    fn cost(x: f64) -> String {
        let mut buf = Vec::new();
        push_cost(&mut buf, x);
        String::from_utf8(buf).unwrap()
    }

    fn time(ms: u64) -> String {
        let mut buf = Vec::new();
        push_time_s(&mut buf, ms);
        String::from_utf8(buf).unwrap()
    }

    /// The reference rule: `{:.N}`, trimmed, `-0` as `0`.
    fn reference(x: f64, decimals: usize, trim: bool) -> String {
        let mut s = format!("{x:.decimals$}");
        if trim && s.contains('.') {
            s = s.trim_end_matches('0').trim_end_matches('.').to_string();
        }
        if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s.remove(0);
        }
        s
    }

    #[test]
    fn times_are_integers_when_whole_else_three_decimals() {
        assert_eq!(time(0), "0");
        assert_eq!(time(60_000), "60");
        assert_eq!(time(90_250), "90.250");
        assert_eq!(time(1), "0.001");
        assert_eq!(time(31_536_000_000), "31536000");
        assert_eq!(time(u64::MAX), "18446744073709551.615");
    }

    #[test]
    fn quantities_keep_at_most_four_decimals_without_trailing_zeros() {
        assert_eq!(quantity(0.0), "0");
        assert_eq!(quantity(-0.0), "0");
        assert_eq!(quantity(-0.00001), "0");
        assert_eq!(quantity(3.0), "3");
        assert_eq!(quantity(12.5), "12.5");
        assert_eq!(quantity(1.0 / 3.0), "0.3333");
        assert_eq!(quantity(2.0 / 3.0), "0.6667");
        assert_eq!(quantity(99.99999), "100");
        assert_eq!(quantity(-1.25), "-1.25");
        assert_eq!(quantity(1e-4), "0.0001");
        assert_eq!(quantity(123_456.789_01), "123456.789");
        assert_eq!(quantity(1e20), "100000000000000000000");
        assert_eq!(quantity(f64::NAN), "NaN");
        assert_eq!(quantity(f64::INFINITY), "inf");
        assert_eq!(quantity(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn costs_have_six_decimals() {
        assert_eq!(cost(0.0), "0.000000");
        assert_eq!(cost(0.096), "0.096000");
        assert_eq!(cost(1.0 / 3.0), "0.333333");
        assert_eq!(cost(1234.5), "1234.500000");
        assert_eq!(cost(-0.0000001), "0.000000");
    }

    #[test]
    fn ties_follow_std_rounding() {
        for x in [0.00005, 1.00005, 2.5e-5, 0.12345, 7.77775, 1e-7, 0.5e-4] {
            assert_eq!(quantity(x), reference(x, 4, true), "x = {x}");
            assert_eq!(cost(x), reference(x, 6, false), "x = {x}");
        }
    }

    proptest! {
        #[test]
        fn quantity_matches_the_reference(x in -1e9f64..1e9) {
            prop_assert_eq!(quantity(x), reference(x, 4, true));
        }

        #[test]
        fn small_quantities_match_the_reference(x in -2.0f64..2.0) {
            prop_assert_eq!(quantity(x), reference(x, 4, true));
        }

        #[test]
        fn cost_matches_the_reference(x in 0.0f64..1e7) {
            prop_assert_eq!(cost(x), reference(x, 6, false));
        }

        #[test]
        fn quantities_parse_back_within_half_a_unit(x in -1e6f64..1e6) {
            let back: f64 = quantity(x).parse().unwrap();
            prop_assert!((back - x).abs() <= 0.5e-4 + 1e-9);
        }
    }
}
