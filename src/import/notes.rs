//! What an importer could not map: one warning per setting asgsim does not model, and per
//! file one line listing what it left out because it is not a setting (identity, state,
//! tags, times). Nothing is dropped silently.

use std::collections::BTreeMap;

use serde_json::Value;

use super::json::{Node, describe};

/// The warnings of one import, in the order found.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    warnings: Vec<String>,
    /// Per file, the paths left out because they are not settings.
    ignored: BTreeMap<String, Vec<String>>,
}

impl Notes {
    /// A warning about `path` of `file`.
    pub(crate) fn warn(&mut self, file: &str, path: &str, message: impl AsRef<str>) {
        self.warnings
            .push(format!("{file}: {path}: {}", message.as_ref()));
    }

    /// A warning not tied to one place.
    pub(crate) fn warn_plain(&mut self, message: impl Into<String>) {
        self.warnings.push(message.into());
    }

    /// The fields of `node` no reader took: those named in `not_settings` are listed as left
    /// out; every other one is a warning that asgsim does not model it.
    pub(crate) fn leftovers(&mut self, node: &Node<'_>, not_settings: &[&str]) {
        for (path, value) in node.unread() {
            let key = path.rsplit('.').next().unwrap_or(&path);
            if not_settings.contains(&key) {
                self.ignored
                    .entry(node.file().to_string())
                    .or_default()
                    .push(path);
            } else {
                self.warn(
                    node.file(),
                    &path,
                    format!("not modelled by asgsim; left out ({})", shown(value)),
                );
            }
        }
    }

    /// Lists a field as left out, not being a setting.
    pub(crate) fn ignore(&mut self, file: &str, path: String) {
        self.ignored.entry(file.to_string()).or_default().push(path);
    }

    /// Every warning, then one line per file for what was left out.
    pub(crate) fn finish(self) -> Vec<String> {
        let mut out = self.warnings;
        for (file, paths) in self.ignored {
            out.push(format!(
                "{file}: left out, not settings of the group (identity, state, tags, times): {}",
                paths.join(", ")
            ));
        }
        out
    }
}

/// A value in a warning: short scalars as they are, the rest described.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) if s.chars().count() <= 60 => format!("{s:?}"),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => describe(other),
    }
}
