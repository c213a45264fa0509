//! Reading the arguments and nested blocks of a Terraform block, each evaluated in scope,
//! with the file, line and scenario key of what cannot be known.

use std::cell::RefCell;
use std::collections::BTreeSet;

use hcl::edit::structure::Body;

use super::eval::{Scope, Val};
use super::{Resource, Source, attributes};
use crate::import::ImportError;
use crate::import::notes::Notes;

/// Arguments that are not settings of the group's behaviour (meta-arguments, tags, names of
/// things asgsim models as its one load balancer, waits of the provider).
const NOT_SETTINGS: [&str; 20] = [
    "tags",
    "tag",
    "tags_all",
    "lifecycle",
    "depends_on",
    "provider",
    "timeouts",
    "target_group_arns",
    "load_balancers",
    "traffic_source",
    "enabled_metrics",
    "metrics_granularity",
    "wait_for_capacity_timeout",
    "wait_for_elb_capacity",
    "min_elb_capacity",
    "force_delete",
    "force_delete_warm_pool",
    "service_linked_role_arn",
    "alarm_description",
    "region",
];

/// Reads the arguments and nested blocks of one block, remembering which were read.
pub(super) struct Args<'a, 's> {
    body: &'a Body,
    pub(super) source: &'a Source,
    pub(super) scope: &'s Scope<'a>,
    /// `aws_autoscaling_group.web` or `aws_autoscaling_group.web.warm_pool`.
    pub(super) label: String,
    /// The scenario table its values go to (`group`, `scaling_policies.up`).
    set_prefix: String,
    read: RefCell<BTreeSet<String>>,
}

impl<'a, 's> Args<'a, 's> {
    pub(super) fn of(r: &Resource<'a>, scope: &'s Scope<'a>, set_prefix: &str) -> Self {
        Args {
            body: &r.block.body,
            source: r.source,
            scope,
            label: r.address(),
            set_prefix: set_prefix.to_string(),
            read: RefCell::new(BTreeSet::new()),
        }
    }

    /// A named resource's arguments: its name (the `name_key` argument, else the resource's
    /// Terraform name) and its arguments, whose `--set` keys are `section.NAME.…`; the name
    /// counts as read.
    pub(super) fn named(
        r: &Resource<'a>,
        scope: &'s Scope<'a>,
        (name_key, section): (&str, &str),
        notes: &mut Notes,
    ) -> Result<(String, Self), ImportError> {
        let name = Args::of(r, scope, "")
            .string(name_key, "", notes)?
            .unwrap_or_else(|| r.name.to_string());
        let args = Args::of(r, scope, &format!("{section}.{name}"));
        args.value(name_key, None, false, notes)?;
        Ok((name, args))
    }

    /// The nested blocks named `key`.
    pub(super) fn blocks(&self, key: &str) -> Vec<Args<'a, 's>> {
        self.read.borrow_mut().insert(key.to_string());
        let body: &'a Body = self.body;
        body.iter()
            .filter_map(|s| match s {
                hcl::edit::structure::Structure::Block(b) if b.ident.as_str() == key => Some(b),
                _ => None,
            })
            .map(|b| Args {
                body: &b.body,
                source: self.source,
                scope: self.scope,
                label: format!("{}.{key}", self.label),
                set_prefix: self.set_prefix.clone(),
                read: RefCell::new(BTreeSet::new()),
            })
            .collect()
    }

    pub(super) fn block(&self, key: &str) -> Option<Args<'a, 's>> {
        self.blocks(key).into_iter().next()
    }

    /// The value of `key`: `Ok(None)` when absent; unresolved → a warning naming the file,
    /// line and the scenario key to `--set`, then `Ok(None)`; `required` makes it an error.
    pub(super) fn value(
        &self,
        key: &str,
        set_key: Option<&str>,
        required: bool,
        notes: &mut Notes,
    ) -> Result<Option<Val>, ImportError> {
        self.read.borrow_mut().insert(key.to_string());
        let Some(attr) = attributes(self.body).find(|a| a.key.as_str() == key) else {
            return Ok(None);
        };
        match self.scope.eval(&attr.value) {
            Ok(Val::Null) => Ok(None),
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                let set = set_key.map_or(String::new(), |k| {
                    format!(
                        "; set it with --set {}.{k}=... when you run",
                        self.set_prefix
                    )
                });
                let message = format!("{}.{key} = {}: {}{set}", self.label, e.what, e.why);
                if required {
                    return Err(ImportError::file(
                        self.source.at(attr),
                        format!("{message}; asgsim needs this value"),
                    ));
                }
                notes.warn(
                    &self.source.at(attr),
                    &format!("{}.{key}", self.label),
                    format!("{} ({}); left out{set}", e.what, e.why),
                );
                Ok(None)
            }
        }
    }

    fn typed<T>(
        &self,
        key: &str,
        set_key: Option<&str>,
        required: bool,
        notes: &mut Notes,
        what: &str,
        convert: impl Fn(&Val) -> Option<T>,
    ) -> Result<Option<T>, ImportError> {
        match self.value(key, set_key, required, notes)? {
            None if required => Err(ImportError::file(
                self.source.at(self.body),
                format!("{} has no {key}; asgsim needs it", self.label),
            )),
            None => Ok(None),
            Some(v) => convert(&v).map(Some).ok_or_else(|| {
                let line = attributes(self.body).find(|a| a.key.as_str() == key);
                let at = line.map_or_else(|| self.source.path.clone(), |a| self.source.at(a));
                ImportError::file(
                    at,
                    format!("{}.{key} is {v:?}; expected {what}", self.label),
                )
            }),
        }
    }

    pub(super) fn u64(
        &self,
        key: &str,
        set_key: &str,
        notes: &mut Notes,
    ) -> Result<Option<u64>, ImportError> {
        self.typed(
            key,
            Some(set_key),
            false,
            notes,
            "a whole number ≥ 0",
            whole,
        )
    }

    pub(super) fn req_u64(
        &self,
        key: &str,
        set_key: &str,
        notes: &mut Notes,
    ) -> Result<u64, ImportError> {
        Ok(self
            .typed(key, Some(set_key), true, notes, "a whole number ≥ 0", whole)?
            .unwrap_or(0))
    }

    pub(super) fn i64(
        &self,
        key: &str,
        set_key: &str,
        notes: &mut Notes,
    ) -> Result<Option<i64>, ImportError> {
        self.typed(key, Some(set_key), false, notes, "a whole number", |v| {
            v.as_f64().filter(|x| x.fract() == 0.0).map(|x| x as i64)
        })
    }

    pub(super) fn f64(
        &self,
        key: &str,
        set_key: &str,
        notes: &mut Notes,
    ) -> Result<Option<f64>, ImportError> {
        self.typed(key, Some(set_key), false, notes, "a number", Val::as_f64)
    }

    pub(super) fn string(
        &self,
        key: &str,
        set_key: &str,
        notes: &mut Notes,
    ) -> Result<Option<String>, ImportError> {
        self.typed(key, Some(set_key), false, notes, "a string", Val::as_string)
    }

    pub(super) fn bool(
        &self,
        key: &str,
        set_key: &str,
        notes: &mut Notes,
    ) -> Result<Option<bool>, ImportError> {
        self.typed(
            key,
            Some(set_key),
            false,
            notes,
            "true or false",
            Val::as_bool,
        )
    }

    pub(super) fn strings(
        &self,
        key: &str,
        set_key: &str,
        notes: &mut Notes,
    ) -> Result<Vec<String>, ImportError> {
        Ok(self
            .typed(
                key,
                Some(set_key),
                false,
                notes,
                "a list of strings",
                |v| match v {
                    Val::List(items) => items.iter().map(Val::as_string).collect(),
                    _ => None,
                },
            )?
            .unwrap_or_default())
    }

    /// Arguments and blocks no reader took: meta-arguments and tags are left out quietly
    /// listed, the rest are warnings.
    pub(super) fn leftovers(&self, notes: &mut Notes) {
        let read = self.read.borrow();
        for s in self.body.iter() {
            let (key, item): (&str, &dyn hcl::edit::Span) = match s {
                hcl::edit::structure::Structure::Attribute(a) => (a.key.as_str(), a),
                hcl::edit::structure::Structure::Block(b) => (b.ident.as_str(), b),
            };
            // count and for_each are warned about once, for the resource.
            if read.contains(key) || key == "count" || key == "for_each" {
                continue;
            }
            if NOT_SETTINGS.contains(&key) {
                notes.ignore(
                    &self.source.path,
                    format!(
                        "{}.{key} (line {})",
                        self.label,
                        self.source.line(&SpanOf(item))
                    ),
                );
            } else {
                notes.warn(
                    &self.source.at(&SpanOf(item)),
                    &format!("{}.{key}", self.label),
                    "not modelled by asgsim; left out",
                );
            }
        }
    }
}

/// A `&dyn Span` as a `Span`.
struct SpanOf<'x>(&'x dyn hcl::edit::Span);

impl hcl::edit::Span for SpanOf<'_> {
    fn span(&self) -> Option<std::ops::Range<usize>> {
        self.0.span()
    }
}

pub(super) fn whole(v: &Val) -> Option<u64> {
    v.as_f64()
        .filter(|x| *x >= 0.0 && x.fract() == 0.0)
        .map(|x| x as u64)
}
