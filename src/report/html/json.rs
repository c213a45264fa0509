//! A small JSON writer for the report's data: numbers by the output tables' rules, strings
//! escaped so that the text can sit inside a `<script>` element of the page.

use crate::time::SimTime;

use super::super::format::{push_quantity, push_time_s};

/// A number: at most 4 decimals (as in `timeline.csv`); `null` when not finite.
pub(super) fn number(buf: &mut Vec<u8>, x: f64) {
    if x.is_finite() {
        push_quantity(buf, x);
    } else {
        buf.extend_from_slice(b"null");
    }
}

/// A time \[ms\] as seconds (integer when whole, else 3 decimals).
pub(super) fn seconds(buf: &mut Vec<u8>, ms: SimTime) {
    push_time_s(buf, ms);
}

/// An optional time \[ms\] as seconds, or `null`.
pub(super) fn opt_seconds(buf: &mut Vec<u8>, ms: Option<SimTime>) {
    match ms {
        Some(ms) => seconds(buf, ms),
        None => buf.extend_from_slice(b"null"),
    }
}

/// A string. Besides JSON's own escapes, `<` is written `\u003c` (no `</script>` can end the
/// data early) and the JavaScript line terminators U+2028 and U+2029 are escaped.
pub(super) fn string(buf: &mut Vec<u8>, text: &str) {
    buf.push(b'"');
    for c in text.chars() {
        match c {
            '"' => buf.extend_from_slice(b"\\\""),
            '\\' => buf.extend_from_slice(b"\\\\"),
            '\n' => buf.extend_from_slice(b"\\n"),
            '\r' => buf.extend_from_slice(b"\\r"),
            '\t' => buf.extend_from_slice(b"\\t"),
            '<' | '\u{2028}' | '\u{2029}' | '\u{0}'..='\u{1f}' => {
                buf.extend_from_slice(format!("\\u{:04x}", u32::from(c)).as_bytes());
            }
            c => {
                let mut utf8 = [0u8; 4];
                buf.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            }
        }
    }
    buf.push(b'"');
}

/// An optional string, or `null`.
pub(super) fn opt_string(buf: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => string(buf, text),
        None => buf.extend_from_slice(b"null"),
    }
}

/// `[a,b,…]` with each item written by `item`.
pub(super) fn array<T>(
    buf: &mut Vec<u8>,
    items: impl IntoIterator<Item = T>,
    mut item: impl FnMut(&mut Vec<u8>, T),
) {
    buf.push(b'[');
    for (i, x) in items.into_iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        item(buf, x);
    }
    buf.push(b']');
}

/// `"key":` (after a comma unless `first`).
pub(super) fn key(buf: &mut Vec<u8>, name: &str, first: bool) {
    if !first {
        buf.push(b',');
    }
    string(buf, name);
    buf.push(b':');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut buf = Vec::new();
        f(&mut buf);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn strings_cannot_end_the_script_element_and_parse_back() {
        let tricky = "a \"quote\", a \\ and </script><b> \u{2028} é → \u{1}";
        let json = text(|b| string(b, tricky));
        assert!(!json.contains('<'), "{json}");
        let back: String = serde_json::from_str(&json).unwrap();
        assert_eq!(back, tricky);
    }

    #[test]
    fn numbers_and_arrays() {
        assert_eq!(
            text(|b| array(b, [1.5, f64::NAN, 2.0], number)),
            "[1.5,null,2]"
        );
        assert_eq!(text(|b| opt_seconds(b, Some(90_250))), "90.250");
        assert_eq!(text(|b| opt_string(b, None)), "null");
    }
}
