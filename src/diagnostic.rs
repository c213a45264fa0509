//! How a problem is written for people and for their editors: `FILE:LINE:COL: message` on
//! its first line, the fix and "did you mean" lines indented below it.
//!
//! The first line is the form compilers use (`gcc`, `rustc --error-format=short`), so that an
//! editor or a CI annotation can jump to the spot; the command line adds the severity after
//! the position (`FILE:LINE:COL: error: …`).

/// A problem at a position of `file`: `FILE:LINE:COL: first line`, then the hints.
pub(crate) fn at(file: &str, (line, column): (usize, usize), message: &str) -> String {
    indent(&format!("{file}:{line}:{column}: "), message)
}

/// `head` followed by the first line of `message`, then each further line of it indented
/// by two spaces. Lines are the message's own, and its parts after a `; ` that is not
/// inside quotes or brackets: "what is wrong; what would be right" becomes two lines.
pub(crate) fn indent(head: &str, message: &str) -> String {
    let mut lines = split(message).into_iter();
    let mut out = format!("{head}{}", lines.next().unwrap_or_default());
    for line in lines {
        out.push_str("\n  ");
        out.push_str(&line);
    }
    out
}

/// The lines of a message: split at line breaks and at each `; ` outside quotes, backticks,
/// parentheses and brackets.
fn split(message: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for text in message.lines() {
        let mut depth = 0i32;
        let mut quoted = false;
        let mut ticked = false;
        let mut current = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if !ticked => quoted = !quoted,
                '`' if !quoted => ticked = !ticked,
                '(' | '[' | '{' if !quoted && !ticked => depth += 1,
                ')' | ']' | '}' if !quoted && !ticked => depth -= 1,
                ';' if !quoted && !ticked && depth <= 0 && chars.peek() == Some(&' ') => {
                    chars.next();
                    lines.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            }
            current.push(c);
        }
        lines.push(current);
    }
    lines.retain(|l| !l.trim().is_empty());
    lines
}

/// Whether `line` starts with a position in the editors' form, `FILE:LINE:COL: `, and if so
/// where that prefix ends (after the `: `).
pub(crate) fn position_prefix(line: &str) -> Option<usize> {
    // The file name is everything up to the colon followed by `LINE:COL: `; it may itself
    // hold colons (`C:\…`), so every colon is tried from the left, but never `: `, which
    // ends a message's head (`error: …`).
    for (i, _) in line.match_indices(':').filter(|(i, _)| *i > 0) {
        if line[..i].contains(": ") {
            return None;
        }
        let rest = &line[i + 1..];
        let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
        let l = digits(rest);
        if l == 0 || !rest[l..].starts_with(':') {
            continue;
        }
        let after_line = &rest[l + 1..];
        let c = digits(after_line);
        if c > 0 && after_line[c..].starts_with(": ") {
            return Some(i + 1 + l + 1 + c + 2);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_is_the_editors_form_and_fixes_go_below() {
        let text = at(
            "a.toml",
            (5, 1),
            "group.max_sise: unknown key\ndid you mean max_size?",
        );
        assert_eq!(
            text,
            "a.toml:5:1: group.max_sise: unknown key\n  did you mean max_size?"
        );
        let text = at(
            "a.toml",
            (3, 1),
            "required key is missing; expected a number ≥ 0",
        );
        assert_eq!(
            text,
            "a.toml:3:1: required key is missing\n  expected a number ≥ 0"
        );
    }

    #[test]
    fn semicolons_in_quotes_or_brackets_stay() {
        assert_eq!(
            split(r#""a; b" is bad; fix it"#),
            [r#""a; b" is bad"#, "fix it"]
        );
        assert_eq!(split("x (known: a; b); y"), ["x (known: a; b)", "y"]);
        assert_eq!(split("`a; b` no"), ["`a; b` no"]);
        assert_eq!(split("a;b"), ["a;b"]);
    }

    #[test]
    fn positions_are_found_at_the_start() {
        assert_eq!(position_prefix("a.toml:5:1: x"), Some(12));
        assert_eq!(position_prefix("C:\\s\\a.toml:5:12: x"), Some(18));
        assert_eq!(position_prefix("a.toml: line 5: x"), None);
        assert_eq!(position_prefix("a.toml:5: x"), None);
        assert_eq!(position_prefix("error: a:1:1: x"), None);
    }
}
