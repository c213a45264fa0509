//! "Did you mean …?": the known word a mistyped one most likely meant.
//!
//! Distances are `strsim`'s optimal string alignment (Damerau–Levenshtein without repeated
//! edits of one substring: a swap of two neighbours is one edit, the commonest typo), over
//! lowercase text. A suggestion must be a likely typo, never a word of another meaning: a
//! candidate that trades one of the word's parts for its opposite (`min` ↔ `max`, `in` ↔
//! `out`, `Oldest` ↔ `Newest`, …) is never offered, however close (`max_sise` suggests
//! `max_size`, never `min_size`), and two candidates equally close are both named rather
//! than one picked at random.

/// Pairs of word parts of opposite meaning; a suggestion never swaps one for the other.
const OPPOSITES: [(&str, &str); 18] = [
    ("min", "max"),
    ("minimum", "maximum"),
    ("lower", "upper"),
    ("low", "high"),
    ("in", "out"),
    ("increase", "decrease"),
    ("greater", "less"),
    ("oldest", "newest"),
    ("old", "new"),
    ("first", "last"),
    ("start", "end"),
    ("enable", "disable"),
    ("launch", "terminate"),
    ("launching", "terminating"),
    ("healthy", "unhealthy"),
    ("continue", "abandon"),
    ("before", "after"),
    ("on", "off"),
];

/// `did you mean X?` (or `did you mean X or Y?` when two are equally likely) for `word`
/// among `known`, or `None` when nothing known is close enough.
pub(crate) fn did_you_mean(word: &str, known: &[&str]) -> Option<String> {
    match suggest(word, known)[..] {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [a, b, ..] => Some(format!("did you mean {a} or {b}?")),
    }
}

/// The known words `word` most likely meant, best first: none, one, or the two (at most)
/// that are equally close. Exact matches (ignoring case) come alone.
pub(crate) fn suggest<'k>(word: &str, known: &[&'k str]) -> Vec<&'k str> {
    let lower = word.to_lowercase();
    let mut ranked: Vec<(Rank, &'k str)> = known
        .iter()
        .filter_map(|k| rank(&lower, k).map(|r| (r, *k)))
        .filter(|((_, distance), k)| !means_the_opposite(&lower, k, *distance))
        .collect();
    ranked.sort_by_key(|(r, _)| *r);
    let Some((best, _)) = ranked.first().copied() else {
        return Vec::new();
    };
    let mut out: Vec<&str> = Vec::new();
    for (r, k) in ranked {
        if r == best && !out.contains(&k) && out.len() < 2 {
            out.push(k);
        }
    }
    out
}

/// How likely a candidate is, lower first: (not a completion of the word, edit distance).
type Rank = (bool, usize);

/// The rank of `known` for the lowercase `word`, if it is a likely typo or a completion.
fn rank(word: &str, known: &str) -> Option<Rank> {
    let candidate = known.to_lowercase();
    let distance = strsim::osa_distance(word, &candidate);
    let (word_len, known_len) = (word.chars().count(), candidate.chars().count());
    let typo = distance <= (known_len / 3).max(1) && distance < word_len.min(known_len);
    // `cost` for `cost_usd`, `application_start` for `application_start_time`.
    let completion = word_len >= 3 && candidate.starts_with(word) && known_len > word_len;
    (typo || completion).then_some((!completion, distance))
}

/// The parts of a name as byte ranges: split at anything not a letter or digit and where a
/// lowercase letter meets an uppercase one (`NewestInstance` → `Newest`, `Instance`).
fn parts(name: &str) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut previous_lower = false;
    for (i, c) in name.char_indices() {
        if !c.is_alphanumeric() {
            parts.push(start..i);
            start = i + c.len_utf8();
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            parts.push(start..i);
            start = i;
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    parts.push(start..name.len());
    parts.retain(|r| !r.is_empty());
    parts
}

/// Whether `known` holds a part whose opposite brings it closer to `word` (lowercase): the
/// word then means the opposite, whatever else is mistyped (`NetworkInn` is closer to
/// `NetworkIn` than to `NetworkOut`, so `NetworkOut` is not what it meant).
fn means_the_opposite(word: &str, known: &str, distance: usize) -> bool {
    parts(known).into_iter().any(|range| {
        let part = known[range.clone()].to_lowercase();
        OPPOSITES
            .iter()
            .filter_map(|&(a, b)| match part.as_str() {
                p if p == a => Some(b),
                p if p == b => Some(a),
                _ => None,
            })
            .any(|opposite| {
                let flipped = format!(
                    "{}{opposite}{}",
                    known[..range.start].to_lowercase(),
                    known[range.end..].to_lowercase()
                );
                strsim::osa_distance(word, &flipped) < distance
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_word() {
        assert_eq!(suggest("max_sise", &["min_size", "max_size"]), ["max_size"]);
        assert_eq!(suggest("valeu", &["value", "at"]), ["value"]);
        assert_eq!(suggest("Missing", &["missing", "breaching"]), ["missing"]);
        assert_eq!(
            suggest("CPUUtilisation", &["CPUUtilization", "NetworkIn"]),
            ["CPUUtilization"]
        );
        // A swap of neighbours is one edit.
        assert_eq!(suggest("duartion", &["duration", "seed"]), ["duration"]);
        assert_eq!(
            suggest("cost", &["fixed_cost_usd", "cost_usd"]),
            ["cost_usd"]
        );
    }

    #[test]
    fn far_words_get_nothing() {
        assert!(suggest("zzzzzz", &["min_size", "max_size"]).is_empty());
        assert!(suggest("xy", &["value", "at"]).is_empty());
        assert_eq!(did_you_mean("zzzzzz", &["min_size"]), None);
    }

    /// A close word of another meaning is never offered: the user would get a valid file
    /// that does something else.
    #[test]
    fn opposites_are_never_suggested() {
        assert!(suggest("min_sise", &["max_size"]).is_empty());
        assert!(suggest("maxsize", &["min_size"]).is_empty());
        assert!(suggest("NetworkInn", &["NetworkOut"]).is_empty());
        assert!(suggest("OldestInstanse", &["NewestInstance"]).is_empty());
        assert!(suggest("GreaterThanThreshhold", &["LessThanThreshold"]).is_empty());
        assert_eq!(
            suggest(
                "OldestInstanse",
                &["NewestInstance", "OldestInstance", "OldestLaunchTemplate"]
            ),
            ["OldestInstance"]
        );
        assert_eq!(
            suggest("scale_outt", &["scale-in", "scale-out"]),
            ["scale-out"]
        );
    }

    /// Two words equally close are both named: picking one would be a guess.
    #[test]
    fn ties_name_both() {
        assert_eq!(
            did_you_mean("mix_size", &["min_size", "max_size"]).as_deref(),
            Some("did you mean min_size or max_size?")
        );
        assert_eq!(
            did_you_mean("valeu", &["value"]).as_deref(),
            Some("did you mean value?")
        );
    }

    #[test]
    fn names_split_into_parts() {
        let split = |name: &'static str| -> Vec<&'static str> {
            parts(name).into_iter().map(|r| &name[r]).collect()
        };
        assert_eq!(split("NewestInstance"), ["Newest", "Instance"]);
        assert_eq!(split("min_size"), ["min", "size"]);
        assert_eq!(split("scale-out"), ["scale", "out"]);
        assert_eq!(split("CPUUtilization"), ["CPUUtilization"]);
        assert_eq!(
            split("autoscaling:EC2_INSTANCE_LAUNCHING"),
            ["autoscaling", "EC2", "INSTANCE", "LAUNCHING"]
        );
    }
}
