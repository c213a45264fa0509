//! Reading JSON as the AWS CLI prints it, with a JSON path for every problem and every field
//! left unread.
//!
//! A [`Node`] is one value and where it is (`AutoScalingGroups[0].MixedInstancesPolicy`).
//! Readers ask a node for its fields by name; each field asked for is remembered, so that
//! [`Node::unread`] can list what no reader took, for the `warning:` lines that make sure
//! nothing is dropped silently.

use std::cell::RefCell;
use std::collections::BTreeSet;

use serde_json::Value;

use super::ImportError;

/// Every JSON document in `text`: one, or several back to back (`aws ... >> file` twice).
///
/// # Errors
///
/// Malformed JSON, with its line and column, and an empty file.
pub(crate) fn parse_documents(text: &str, file: &str) -> Result<Vec<Value>, ImportError> {
    let mut documents = Vec::new();
    for document in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        match document {
            Ok(value) => documents.push(value),
            Err(e) => {
                let what = if e.is_eof() {
                    "the JSON ends early (a truncated file?)"
                } else {
                    "malformed JSON"
                };
                return Err(ImportError::at(
                    file,
                    format!("line {}, column {}", e.line(), e.column()),
                    format!(
                        "{what}: {e}; give the output of the AWS CLI as it printed it (--output json)"
                    ),
                ));
            }
        }
    }
    if documents.is_empty() {
        return Err(ImportError::at(
            file,
            "(file)",
            "the file holds no JSON; give the output of the AWS CLI (--output json)",
        ));
    }
    Ok(documents)
}

/// What a JSON value is, for messages: `a string`, `the number 3`, `an array of 2 items`.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => {
            let shown: String = s.chars().take(60).collect();
            format!("the string {shown:?}")
        }
        Value::Array(a) => format!("an array of {} item(s)", a.len()),
        Value::Object(_) => "an object".to_string(),
    }
}

/// Whether a value sets nothing: null, false, an empty string, list or object.
pub(crate) fn is_unset(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// One JSON value and its path, remembering which of its fields were read.
#[derive(Debug)]
pub(crate) struct Node<'a> {
    value: &'a Value,
    path: String,
    file: &'a str,
    read: RefCell<BTreeSet<&'a str>>,
}

impl<'a> Node<'a> {
    /// The root of a document of `file`; `path` names it (empty, or `[1]` for the second
    /// document of a file).
    pub(crate) fn root(value: &'a Value, file: &'a str, path: impl Into<String>) -> Self {
        Node {
            value,
            path: path.into(),
            file,
            read: RefCell::new(BTreeSet::new()),
        }
    }

    /// The value itself.
    pub(crate) fn value(&self) -> &'a Value {
        self.value
    }

    /// Its JSON path (`AutoScalingGroups[0].MinSize`; `(top level)` for a root).
    pub(crate) fn path(&self) -> &str {
        if self.path.is_empty() {
            "(top level)"
        } else {
            &self.path
        }
    }

    /// The file it came from.
    pub(crate) fn file(&self) -> &'a str {
        self.file
    }

    /// The path of its field `key`.
    pub(crate) fn path_of(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// An error at this node.
    pub(crate) fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError::at(self.file, self.path(), message)
    }

    /// An error at its field `key`.
    pub(crate) fn error_at(&self, key: &str, message: impl Into<String>) -> ImportError {
        ImportError::at(self.file, self.path_of(key), message)
    }

    /// Its field `key` as a node (marked read), if present and not null.
    pub(crate) fn get(&self, key: &'a str) -> Option<Node<'a>> {
        self.mark(key);
        match self.value.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(Node {
                value: v,
                path: self.path_of(key),
                file: self.file,
                read: RefCell::new(BTreeSet::new()),
            }),
        }
    }

    /// Marks `key` as read without reading it (a field the caller maps by other means).
    pub(crate) fn mark(&self, key: &'a str) {
        if let Some(object) = self.value.as_object()
            && let Some((k, _)) = object.get_key_value(key)
        {
            self.read.borrow_mut().insert(k.as_str());
        }
    }

    /// Its field `key` as a string.
    pub(crate) fn str(&self, key: &'a str) -> Result<Option<&'a str>, ImportError> {
        match self.get(key) {
            None => Ok(None),
            Some(n) => {
                n.value.as_str().map(Some).ok_or_else(|| {
                    n.error(format!("expected a string, found {}", describe(n.value)))
                })
            }
        }
    }

    /// Its field `key` as a string, required.
    pub(crate) fn req_str(&self, key: &'a str) -> Result<&'a str, ImportError> {
        self.str(key)?
            .ok_or_else(|| self.error_at(key, "is missing; the AWS CLI always prints it"))
    }

    /// Its field `key` as a finite number.
    pub(crate) fn f64(&self, key: &'a str) -> Result<Option<f64>, ImportError> {
        match self.get(key) {
            None => Ok(None),
            Some(n) => n.as_f64().map(Some),
        }
    }

    /// Its field `key` as a whole number ≥ 0.
    pub(crate) fn u64(&self, key: &'a str) -> Result<Option<u64>, ImportError> {
        match self.get(key) {
            None => Ok(None),
            Some(n) => n.value.as_u64().map(Some).ok_or_else(|| {
                n.error(format!(
                    "expected a whole number ≥ 0, found {}",
                    describe(n.value)
                ))
            }),
        }
    }

    /// Its field `key` as a whole number (negative allowed).
    pub(crate) fn i64(&self, key: &'a str) -> Result<Option<i64>, ImportError> {
        match self.get(key) {
            None => Ok(None),
            Some(n) => n.value.as_i64().map(Some).ok_or_else(|| {
                n.error(format!(
                    "expected a whole number, found {}",
                    describe(n.value)
                ))
            }),
        }
    }

    /// Its field `key` as true or false.
    pub(crate) fn bool(&self, key: &'a str) -> Result<Option<bool>, ImportError> {
        match self.get(key) {
            None => Ok(None),
            Some(n) => n.value.as_bool().map(Some).ok_or_else(|| {
                n.error(format!(
                    "expected true or false, found {}",
                    describe(n.value)
                ))
            }),
        }
    }

    /// This value as a finite number.
    pub(crate) fn as_f64(&self) -> Result<f64, ImportError> {
        self.value
            .as_f64()
            .filter(|x| x.is_finite())
            .ok_or_else(|| self.error(format!("expected a number, found {}", describe(self.value))))
    }

    /// Its field `key` as an array of nodes (empty when absent).
    pub(crate) fn array(&self, key: &'a str) -> Result<Vec<Node<'a>>, ImportError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(n) => n.items(),
        }
    }

    /// This value's items, when it is an array.
    pub(crate) fn items(&self) -> Result<Vec<Node<'a>>, ImportError> {
        let Value::Array(items) = self.value else {
            return Err(self.error(format!("expected an array, found {}", describe(self.value))));
        };
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, v)| Node {
                value: v,
                path: format!("{}[{i}]", self.path),
                file: self.file,
                read: RefCell::new(BTreeSet::new()),
            })
            .collect())
    }

    /// Its field `key` as an array of strings (empty when absent).
    pub(crate) fn strings(&self, key: &'a str) -> Result<Vec<&'a str>, ImportError> {
        self.array(key)?
            .iter()
            .map(|n| {
                n.value.as_str().ok_or_else(|| {
                    n.error(format!("expected a string, found {}", describe(n.value)))
                })
            })
            .collect()
    }

    /// This value must be an object.
    pub(crate) fn expect_object(&self) -> Result<(), ImportError> {
        match self.value {
            Value::Object(_) => Ok(()),
            other => Err(self.error(format!("expected an object, found {}", describe(other)))),
        }
    }

    /// The fields of this object that were never read and set something (not null, false or
    /// empty), as (path, value) in key order.
    pub(crate) fn unread(&self) -> Vec<(String, &'a Value)> {
        let Some(object) = self.value.as_object() else {
            return Vec::new();
        };
        let read = self.read.borrow();
        object
            .iter()
            .filter(|(k, v)| !read.contains(k.as_str()) && !is_unset(v))
            .map(|(k, v)| (self.path_of(k), v))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_json_names_line_and_column() {
        let e = parse_documents("{\n  \"a\": 1,\n  \"b\": }\n", "x.json").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("x.json: line 3, column 8: malformed JSON"),
            "{e}"
        );
        let e = parse_documents("{\"a\": [1, 2", "x.json").unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
        let e = parse_documents("  \n", "x.json").unwrap_err();
        assert!(e.to_string().contains("holds no JSON"), "{e}");
        assert_eq!(
            parse_documents("{} {\"a\": 1}\n", "x.json").unwrap().len(),
            2
        );
    }

    #[test]
    fn paths_follow_the_fields_and_items_read() {
        let v: Value = serde_json::from_str(
            r#"{"Groups": [{"Name": "web", "Size": "three", "Tags": [], "Extra": 5}]}"#,
        )
        .unwrap();
        let root = Node::root(&v, "g.json", "");
        let groups = root.array("Groups").unwrap();
        assert_eq!(groups[0].req_str("Name").unwrap(), "web");
        let e = groups[0].f64("Size").unwrap_err();
        assert_eq!(
            e.to_string(),
            "g.json: Groups[0].Size: expected a number, found the string \"three\""
        );
        let unread: Vec<String> = groups[0].unread().into_iter().map(|(p, _)| p).collect();
        assert_eq!(unread, ["Groups[0].Extra"], "empty lists set nothing");
        let e = groups[0].req_str("Missing").unwrap_err();
        assert!(
            e.to_string().contains("Groups[0].Missing: is missing"),
            "{e}"
        );
    }
}
