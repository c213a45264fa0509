//! The request line's target: its path and its query, decoded once (`%2e` is `.`, `+` is a
//! space). A name decoded here is checked by `paths` like any other: encoding `..` as
//! `%2e%2e` changes nothing, and a doubly encoded one (`%252e`) stays the literal text `%2e`,
//! which names no file.

/// A request target: the path (decoded) and the query's pairs (decoded, in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// `/`, `/play`, `/api/run`, ….
    pub(crate) path: String,
    /// `scenario=…`, `set=…` (repeated), in order.
    pub(crate) pairs: Vec<(String, String)>,
}

impl Target {
    /// Splits and decodes `url` (`/api/run?scenario=a.toml&set=x%3D1`).
    pub(crate) fn parse(url: &str) -> Result<Self, String> {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let path = decode(path, false)?;
        let mut pairs = Vec::new();
        for part in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            pairs.push((decode(name, true)?, decode(value, true)?));
        }
        Ok(Self { path, pairs })
    }

    /// The first value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// Percent-decoding (and `+` as a space in a query), to UTF-8 text.
fn decode(text: &str, plus_is_space: bool) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| {
                        "a % in the address is not followed by two hex digits".to_string()
                    })?;
                out.push(hex);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "the address is not UTF-8 once decoded".to_string())
}

/// Percent-encoding of a query value (what the page's `URLSearchParams` writes, near enough).
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_pairs_decode_once() {
        let t = Target::parse(
            "/api/run?scenario=sub%2Fa.toml&set=alarms.High.threshold%3D70&set=group.max_size=8&x",
        )
        .unwrap();
        assert_eq!(t.path, "/api/run");
        assert_eq!(t.get("scenario"), Some("sub/a.toml"));
        assert_eq!(
            t.all("set"),
            ["alarms.High.threshold=70", "group.max_size=8"]
        );
        assert_eq!(t.get("x"), Some(""));
        let t = Target::parse("/play?scenario=%2e%2e%2F%2e%2e%2Fetc%2Fpasswd&d=%252e+x").unwrap();
        assert_eq!(t.get("scenario"), Some("../../etc/passwd"));
        assert_eq!(t.get("d"), Some("%2e x"));
    }

    #[test]
    fn bad_escapes_and_bytes_are_errors() {
        assert!(Target::parse("/play?scenario=%zz").is_err());
        assert!(Target::parse("/play?scenario=%ff").is_err());
        assert!(Target::parse("/play?scenario=%4").is_err());
    }

    #[test]
    fn encoding_round_trips() {
        let text = "alarms.High CPU.threshold=70&x=é/%";
        let t = Target::parse(&format!("/?v={}", encode(text))).unwrap();
        assert_eq!(t.get("v"), Some(text));
    }
}
