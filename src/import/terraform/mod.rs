//! `asgsim import terraform`: `.tf` files (or folders of them), with their `*.tfvars`, parsed
//! with hcl-rs (its `hcl-edit` parser, which keeps every item's position, so that what cannot
//! be resolved is reported with its file and line).
//!
//! Read: `aws_autoscaling_group`, `aws_launch_template`, `aws_autoscaling_policy`,
//! `aws_cloudwatch_metric_alarm`, `aws_autoscaling_schedule`, `aws_autoscaling_lifecycle_hook`
//! (and `aws_subnet`, for the zones of `vpc_zone_identifier`); `variable` defaults, then
//! `terraform.tfvars`, `*.auto.tfvars`, `.tfvars` files given, then `--var`; `locals`; and
//! references between these resources. `count`, `for_each`, data sources, functions and
//! conditions are not evaluated: each value that needs one is a warning with its file, line
//! and the scenario key to `--set` instead.

mod args;
mod eval;
mod map;
mod resources;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl::edit::Span;
use hcl::edit::structure::{Block, Body, Structure};

use super::aws::Imported;
use super::notes::Notes;
use super::{ImportError, read_text};
use eval::{ResourceAttrs, Scope, Val};

/// One `.tf` or `.tfvars` file, parsed.
#[derive(Debug)]
pub(crate) struct Source {
    /// The path as given.
    pub(crate) path: String,
    /// Byte offset of each line's start.
    line_starts: Vec<usize>,
    /// The parsed body.
    pub(crate) body: Body,
}

impl Source {
    fn parse(path: &Path) -> Result<Source, ImportError> {
        let name = path.display().to_string();
        let text = read_text(path)?;
        let body = hcl::edit::parser::parse_body(&text).map_err(|e| {
            let at = e.location();
            ImportError::at(
                &name,
                format!("line {}, column {}", at.line(), at.column()),
                format!("HCL syntax error: {}", e.message()),
            )
        })?;
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Ok(Source {
            path: name,
            line_starts,
            body,
        })
    }

    /// The line \[1-based\] of something with a span.
    pub(crate) fn line(&self, item: &impl Span) -> usize {
        let offset = item.span().map_or(0, |s| s.start);
        self.line_starts.partition_point(|&s| s <= offset)
    }

    /// `main.tf:12`.
    pub(crate) fn at(&self, item: &impl Span) -> String {
        format!("{}:{}", self.path, self.line(item))
    }
}

/// A resource block and the file it is in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resource<'a> {
    /// `aws_autoscaling_group`.
    pub(crate) kind: &'a str,
    /// Its local name, `web`.
    pub(crate) name: &'a str,
    /// The block.
    pub(crate) block: &'a Block,
    /// Its file.
    pub(crate) source: &'a Source,
}

impl Resource<'_> {
    /// `aws_autoscaling_group.web`.
    pub(crate) fn address(&self) -> String {
        format!("{}.{}", self.kind, self.name)
    }
}

/// The `.tf` and `.tfvars` files of `paths`: folders give their `*.tf`, `terraform.tfvars` and
/// `*.auto.tfvars` (in name order), files are taken as given.
fn collect(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<PathBuf>), ImportError> {
    let (mut tf, mut auto_vars, mut given_vars) = (Vec::new(), Vec::new(), Vec::new());
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| {
                ImportError::file(
                    path.display().to_string(),
                    format!("cannot read the folder: {e}"),
                )
            })?;
            let mut names: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            names.sort();
            for p in names {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name.ends_with(".tf") {
                    tf.push(p);
                } else if name == "terraform.tfvars" || name.ends_with(".auto.tfvars") {
                    auto_vars.push(p);
                }
            }
        } else if path.extension().is_some_and(|e| e == "tfvars") {
            given_vars.push(path.clone());
        } else {
            tf.push(path.clone());
        }
    }
    if tf.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(ImportError::file(
            shown.join(", "),
            "no .tf file here; give the folder of the Terraform module or its .tf files",
        ));
    }
    // terraform.tfvars first, then *.auto.tfvars, then the files given, as Terraform orders them.
    auto_vars.sort_by_key(|p| p.file_name().map(|n| n != "terraform.tfvars"));
    auto_vars.extend(given_vars);
    Ok((tf, auto_vars))
}

/// Imports the group of the Terraform files at `paths` (`group` picks one of several, by its
/// resource name or its `name`); `vars` are `--var NAME=VALUE`.
///
/// # Errors
///
/// Unreadable files, HCL syntax errors (file, line, column), no group or several without
/// `group`, a required value that cannot be resolved, a scenario that does not validate.
pub fn import_terraform(
    paths: &[PathBuf],
    group: Option<&str>,
    vars: &[String],
    out: Option<&Path>,
) -> Result<Imported, ImportError> {
    let (tf_paths, var_paths) = collect(paths)?;
    let sources: Vec<Source> = tf_paths
        .iter()
        .map(|p| Source::parse(p))
        .collect::<Result<_, _>>()?;
    let var_sources: Vec<Source> = var_paths
        .iter()
        .map(|p| Source::parse(p))
        .collect::<Result<_, _>>()?;
    let mut notes = Notes::default();
    let mut scope = Scope::default();
    declare_variables(&sources, &mut scope, &mut notes);
    assign_variables(&var_sources, vars, &mut scope, &mut notes)?;
    for source in &sources {
        for block in blocks(&source.body, "locals") {
            for attr in attributes(&block.body) {
                scope
                    .locals
                    .insert(attr.key.as_str().to_string(), &attr.value);
            }
        }
    }
    let resources = resources(&sources);
    register_references(&resources, &mut scope);
    let mut imported = map::import(&resources, &scope, group, &mut notes)?;
    let names: Vec<&str> = sources
        .iter()
        .chain(&var_sources)
        .map(|s| s.path.as_str())
        .collect();
    imported.origin = format!("Terraform ({})", names.join(", "));
    super::aws::finish(imported, notes, out, "asgsim import terraform")
}

/// The attributes of a body.
pub(crate) fn attributes(body: &Body) -> impl Iterator<Item = &hcl::edit::structure::Attribute> {
    body.iter().filter_map(|s| match s {
        Structure::Attribute(a) => Some(a),
        Structure::Block(_) => None,
    })
}

/// The blocks of a body named `ident`.
pub(crate) fn blocks<'b>(body: &'b Body, ident: &'b str) -> impl Iterator<Item = &'b Block> + 'b {
    body.iter().filter_map(move |s| match s {
        Structure::Block(b) if b.ident.as_str() == ident => Some(b),
        _ => None,
    })
}

/// `variable "x" { default = ... }`: the defaults, and the names that have none.
fn declare_variables(sources: &[Source], scope: &mut Scope<'_>, notes: &mut Notes) {
    for source in sources {
        for block in blocks(&source.body, "variable") {
            let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
                continue;
            };
            let default = attributes(&block.body).find(|a| a.key.as_str() == "default");
            match default.map(|d| Scope::default().eval(&d.value)) {
                Some(Ok(v)) => {
                    scope.vars.insert(name, v);
                }
                Some(Err(e)) => {
                    notes.warn(
                        &source.at(block),
                        &format!("variable {name}"),
                        format!("its default {} cannot be evaluated ({})", e.what, e.why),
                    );
                    scope.unset_vars.push(name);
                }
                None => scope.unset_vars.push(name),
            }
        }
    }
}

/// Values from `*.tfvars` files, then `--var NAME=VALUE` (read as HCL, else as a string).
fn assign_variables(
    var_sources: &[Source],
    vars: &[String],
    scope: &mut Scope<'_>,
    notes: &mut Notes,
) -> Result<(), ImportError> {
    for source in var_sources {
        for attr in attributes(&source.body) {
            match Scope::default().eval(&attr.value) {
                Ok(v) => {
                    let name = attr.key.as_str().to_string();
                    scope.unset_vars.retain(|n| n != &name);
                    scope.vars.insert(name, v);
                }
                Err(e) => notes.warn(
                    &source.at(attr),
                    attr.key.as_str(),
                    format!("{} cannot be evaluated ({}); left out", e.what, e.why),
                ),
            }
        }
    }
    for text in vars {
        let Some((name, value)) = text.split_once('=') else {
            return Err(ImportError::file(
                "--var",
                format!("{text:?}: write NAME=VALUE, such as --var min_size=2"),
            ));
        };
        let value = hcl::edit::parser::parse_expr(value)
            .ok()
            .and_then(|e| Scope::default().eval(&e).ok())
            .unwrap_or_else(|| Val::Str(value.to_string()));
        let name = name.trim().to_string();
        scope.unset_vars.retain(|n| n != &name);
        scope.vars.insert(name, value);
    }
    Ok(())
}

/// Every `resource` block, in file order.
fn resources(sources: &[Source]) -> Vec<Resource<'_>> {
    let mut out = Vec::new();
    for source in sources {
        for block in blocks(&source.body, "resource") {
            if let [kind, name, ..] = &block.labels[..] {
                out.push(Resource {
                    kind: kind.as_str(),
                    name: name.as_str(),
                    block,
                    source,
                });
            }
        }
    }
    out
}

/// What references to the imported resources read as: names where they can be evaluated,
/// and ARNs and IDs that name the resource (`arn:terraform:aws_autoscaling_policy.up`).
fn register_references<'a>(resources: &[Resource<'a>], scope: &mut Scope<'a>) {
    let mut all = BTreeMap::new();
    for r in resources {
        let address = r.address();
        let reference = Val::Str(format!("arn:terraform:{address}"));
        let mut attrs = ResourceAttrs::new();
        attrs.insert("arn".into(), reference.clone());
        attrs.insert("id".into(), reference);
        let name_key = match r.kind {
            "aws_autoscaling_schedule" => "scheduled_action_name",
            "aws_cloudwatch_metric_alarm" => "alarm_name",
            _ => "name",
        };
        if let Some(attr) = attributes(&r.block.body).find(|a| a.key.as_str() == name_key)
            && let Ok(v) = scope.eval(&attr.value)
        {
            attrs.insert("name".into(), v);
        }
        if r.kind == "aws_subnet"
            && let Some(attr) =
                attributes(&r.block.body).find(|a| a.key.as_str() == "availability_zone")
            && let Ok(v) = scope.eval(&attr.value)
        {
            attrs.insert("availability_zone".into(), v);
        }
        if r.kind == "aws_launch_template" {
            attrs.insert("latest_version".into(), Val::Str("$Latest".into()));
            attrs.insert("default_version".into(), Val::Str("$Default".into()));
        }
        all.insert(address, attrs);
    }
    scope.resources = all;
}

#[cfg(test)]
mod tests;
