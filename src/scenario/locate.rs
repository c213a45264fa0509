//! Turning key paths into places a user (and an editor) can find: the line and column of
//! the key in the file, or `--set group.min_size` for a value that came from the command line.

use std::collections::HashMap;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::fields::{entry_labels, join};

/// The byte offsets where the lines of a text start, found once, so that a byte offset turns
/// into a line by binary search (a file with thousands of keys stays linear to index).
#[derive(Debug)]
pub(super) struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    /// Indexes the lines of `text`.
    pub(super) fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    /// 1-based line of a byte offset.
    pub(super) fn line(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&start| start <= offset.min(self.text.len()))
    }

    /// 1-based line and column (in chars) of a byte offset.
    pub(super) fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line(offset);
        let line_start = self.starts[line - 1];
        (line, self.text[line_start..offset].chars().count() + 1)
    }
}

/// 1-based line and column (in chars) of a byte offset in `text` (one look-up; index the
/// text with [`LineIndex`] for many).
pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(offset)
}

/// Maps each key path of the file to the line and column it is written at.
#[derive(Debug, Default)]
pub(super) struct Locator {
    positions: HashMap<String, (usize, usize)>,
    overridden: Vec<String>,
}

impl Locator {
    /// Indexes the keys of `text` (empty if it does not parse); `overridden` are the
    /// canonical key paths set by `--set`.
    pub(super) fn new(text: &str, overridden: Vec<String>) -> Self {
        let mut locator = Locator {
            positions: HashMap::new(),
            overridden,
        };
        if let Ok(doc) = DeTable::parse(text) {
            locator.index_table(&LineIndex::new(text), "", doc.get_ref());
        }
        locator
    }

    fn index_table(&mut self, lines: &LineIndex<'_>, path: &str, table: &DeTable<'_>) {
        for (key, value) in table.iter() {
            let key_path = join(path, key.get_ref());
            let position = lines.line_col(key.span().start);
            self.positions.entry(key_path.clone()).or_insert(position);
            self.index_value(lines, &key_path, value);
        }
    }

    fn index_value(&mut self, lines: &LineIndex<'_>, path: &str, value: &Spanned<DeValue<'_>>) {
        match value.get_ref() {
            DeValue::Table(t) => self.index_table(lines, path, t),
            DeValue::Array(items) => {
                let names: Vec<Option<&str>> = items
                    .iter()
                    .map(|v| {
                        let table = v.get_ref();
                        let name = table.get("name").or_else(|| table.get("alarm_name"));
                        name.and_then(|n| n.get_ref().as_str())
                    })
                    .collect();
                for (item, label) in items.iter().zip(entry_labels(path, &names)) {
                    let position = lines.line_col(item.span().start);
                    self.positions.entry(label.clone()).or_insert(position);
                    self.index_value(lines, &label, item);
                }
            }
            _ => {}
        }
    }

    /// Where a problem at `path` is: `--set KEY` (no position) for values from the command
    /// line, else the key path with the position of the key (or of the nearest enclosing
    /// table written in the file; a missing top-level key is at the file's start).
    pub(super) fn locate(&self, path: &str) -> (String, Option<(usize, usize)>) {
        if path.is_empty() {
            return (String::new(), Some((1, 1)));
        }
        let set_by = self
            .overridden
            .iter()
            .filter(|k| is_within(path, k))
            .max_by_key(|k| k.len());
        // A key the file does not have, made by a longer --set key (`--set group.foo.bar=1`
        // creates the table group.foo): the --set is to blame, not the enclosing line.
        let created_by = || {
            self.overridden
                .iter()
                .find(|k| is_within(k, path))
                .filter(|_| !self.positions.contains_key(path))
        };
        match set_by {
            Some(k) if k == path => (format!("--set {k}"), None),
            Some(k) => (format!("{path} (from --set {k})"), None),
            None => match created_by() {
                Some(k) => (format!("{path} (from --set {k})"), None),
                None => (
                    path.to_string(),
                    Some(self.position_of(path).unwrap_or((1, 1))),
                ),
            },
        }
    }

    fn position_of(&self, path: &str) -> Option<(usize, usize)> {
        let mut candidate = path;
        loop {
            if let Some(position) = self.positions.get(candidate) {
                return Some(*position);
            }
            let cut = candidate.rfind(['.', '['])?;
            candidate = &candidate[..cut];
        }
    }
}

/// Whether `path` is `ancestor` or lies inside it.
fn is_within(path: &str, ancestor: &str) -> bool {
    path.strip_prefix(ancestor)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é\nx", 1), (1, 1));
        assert_eq!(line_col("ab\ncd", 3), (2, 1));
        assert_eq!(line_col("ab\ncd", 2), (1, 3));
        assert_eq!(line_col("ab\ncd\n", 99), (3, 1));
        let index = LineIndex::new("a\n\nb\n");
        let lines: Vec<usize> = (0..6).map(|offset| index.line(offset)).collect();
        assert_eq!(lines, [1, 1, 2, 3, 3, 4]);
    }

    #[test]
    fn keys_map_to_their_lines_and_columns() {
        let text = "name = \"x\"\n\n[group]\nmin_size = 1\n\n[[alarms]]\nname = \"A\"\n  threshold = 3\n\n[[alarms]]\nthreshold = 4\n";
        let loc = Locator::new(text, vec!["group.max_size".into()]);
        let at = |path: &str| loc.locate(path);
        let key = |path: &str, line, column| (path.to_string(), Some((line, column)));
        assert_eq!(at("name"), key("name", 1, 1));
        assert_eq!(at("group.min_size"), key("group.min_size", 4, 1));
        assert_eq!(
            at("group.desired_capacity"),
            key("group.desired_capacity", 3, 2)
        );
        assert_eq!(at("alarms.A.threshold"), key("alarms.A.threshold", 8, 3));
        assert_eq!(at("alarms[1].threshold"), key("alarms[1].threshold", 11, 1));
        assert_eq!(at("alarms.A.period").1.map(|p| p.0), Some(6));
        // A missing top-level key: the start of the file.
        assert_eq!(at("duration"), key("duration", 1, 1));
        assert_eq!(
            at("group.max_size"),
            ("--set group.max_size".to_string(), None)
        );
    }

    #[test]
    fn regression_unknown_dotted_set_key_is_blamed_on_the_set() {
        // `--set group.foo.bar=1` made group.foo, an unknown key, which was reported at the
        // line of [group], as if the file had it.
        let loc = Locator::new("[group]\nmin_size = 1\n", vec!["group.foo.bar".into()]);
        assert_eq!(
            loc.locate("group.foo"),
            ("group.foo (from --set group.foo.bar)".to_string(), None)
        );
        assert_eq!(
            loc.locate("group.min_size"),
            ("group.min_size".to_string(), Some((2, 1)))
        );
        assert_eq!(loc.locate("group"), ("group".to_string(), Some((1, 2))));
    }

    #[test]
    fn values_inside_an_override_name_it() {
        let loc = Locator::new("", vec!["load.pattern".into()]);
        assert_eq!(
            loc.locate("load.pattern.rate"),
            (
                "load.pattern.rate (from --set load.pattern)".to_string(),
                None
            )
        );
        assert_eq!(loc.locate("load.patternx").0, "load.patternx");
    }
}
