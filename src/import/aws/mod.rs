//! `asgsim import aws`: the JSON the AWS CLI prints for a group's `describe-*` calls, in any
//! order, one or several per file, recognised by their top-level keys, written as a scenario.
//!
//! | call | top-level key | gives |
//! |---|---|---|
//! | `autoscaling describe-auto-scaling-groups` | `AutoScalingGroups` | `[group]` |
//! | `autoscaling describe-policies` | `ScalingPolicies` | `[[scaling_policies]]` |
//! | `autoscaling describe-scheduled-actions` | `ScheduledUpdateGroupActions` | `[[scheduled_actions]]` |
//! | `autoscaling describe-lifecycle-hooks` | `LifecycleHooks` | `[[lifecycle_hooks]]` |
//! | `autoscaling describe-warm-pool` | `WarmPoolConfiguration` | `[warm_pool]` |
//! | `cloudwatch describe-alarms` | `MetricAlarms` | `[[alarms]]` (through the policy ARNs in `AlarmActions`) |
//! | `ec2 describe-launch-template-versions` | `LaunchTemplateVersions` | `[launch_template]`, `[monitoring]` |
//! | `ec2 describe-subnets` | `Subnets` | Availability Zones of `VPCZoneIdentifier` |

mod alarms;
mod group;
mod policies;
mod schedules;

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::json::{Node, parse_documents};
use super::model::ImportedGroup;
use super::notes::Notes;
use super::{ImportError, read_text};

/// A scenario imported from the AWS CLI's JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The scenario text (TOML, with comments).
    pub scenario: String,
    /// The group's name.
    pub group: String,
    /// Counts of what was imported, for a summary line.
    pub summary: String,
    /// Fields that could not be mapped, with their JSON paths.
    pub warnings: Vec<String>,
}

/// The kinds of document the importer reads, by top-level key.
const SHAPES: [(&str, &str); 8] = [
    ("AutoScalingGroups", "describe-auto-scaling-groups"),
    ("ScalingPolicies", "describe-policies"),
    ("ScheduledUpdateGroupActions", "describe-scheduled-actions"),
    ("LifecycleHooks", "describe-lifecycle-hooks"),
    ("WarmPoolConfiguration", "describe-warm-pool"),
    ("MetricAlarms", "cloudwatch describe-alarms"),
    (
        "LaunchTemplateVersions",
        "ec2 describe-launch-template-versions",
    ),
    ("Subnets", "ec2 describe-subnets"),
];

/// The documents of the files, sorted by kind.
#[derive(Debug, Default)]
struct Documents<'a> {
    groups: Vec<Node<'a>>,
    policies: Vec<Node<'a>>,
    schedules: Vec<Node<'a>>,
    hooks: Vec<Node<'a>>,
    warm_pools: Vec<Node<'a>>,
    alarms: Vec<Node<'a>>,
    templates: Vec<Node<'a>>,
    subnets: Vec<Node<'a>>,
    /// The roots, to report their unread top-level keys at the end.
    roots: Vec<Node<'a>>,
}

/// Imports the group of `files` (the one named `group` when they hold several); `out` is where
/// the scenario will be written (to check it the way it will be read).
///
/// # Errors
///
/// Unreadable or malformed files, a file of an unknown shape, no group or several without
/// `group`, a group name not found, an alarm naming a policy of the group that no file holds,
/// and an imported scenario that does not validate.
pub fn import_aws(
    files: &[PathBuf],
    group: Option<&str>,
    out: Option<&Path>,
) -> Result<Imported, ImportError> {
    let mut texts = Vec::new();
    for path in files {
        texts.push((path.display().to_string(), read_text(path)?));
    }
    import_aws_texts(&texts, group, out)
}

/// As [`import_aws`], from (file name, text) pairs already read.
///
/// # Errors
///
/// As [`import_aws`].
pub fn import_aws_texts(
    texts: &[(String, String)],
    group: Option<&str>,
    out: Option<&Path>,
) -> Result<Imported, ImportError> {
    let mut parsed: Vec<(String, Vec<Value>)> = Vec::new();
    for (name, text) in texts {
        parsed.push((name.clone(), parse_documents(text, name)?));
    }
    let docs = sort_documents(&parsed)?;
    let mut notes = Notes::default();
    let chosen = group::choose(&docs.groups, group, &docs)?;
    let mut imported = group::read_group(chosen, &docs, &mut notes)?;
    imported.origin = origin_text(texts);
    policies::read_policies(&mut imported, &docs.policies, &mut notes)?;
    alarms::read_alarms(&mut imported, &docs.alarms, &mut notes)?;
    schedules::read_schedules(&mut imported, &docs.schedules, &mut notes)?;
    schedules::read_hooks(&mut imported, &docs.hooks, &mut notes)?;
    for root in &docs.roots {
        notes.leftovers(root, &["NextToken", "Instances", "ResponseMetadata"]);
    }
    finish(imported, notes, out, "asgsim import aws")
}

/// Renders an imported group, and checks that the scenario reads back as asgsim reads it.
pub(crate) fn finish(
    imported: ImportedGroup,
    notes: Notes,
    out: Option<&Path>,
    command: &str,
) -> Result<Imported, ImportError> {
    let scenario = super::render::render(&imported, command);
    let origin = out.map_or_else(|| PathBuf::from("imported.toml"), Path::to_path_buf);
    if let Err(e) = crate::scenario::parse_scenario(&scenario, &origin, &[]) {
        return Err(ImportError::file(
            imported.source.clone(),
            format!(
                "the group's settings give a scenario asgsim cannot use:\n{e}\nfix the value at its source, or write the scenario with the rest and edit it (the problem names the key)"
            ),
        ));
    }
    let summary = format!(
        "group {}: {} scaling policies, {} alarms, {} scheduled actions, {} lifecycle hooks{}",
        imported.name,
        imported.policies.len(),
        imported.alarms.len(),
        imported.schedules.len(),
        imported.hooks.len(),
        if imported.warm_pool.is_some() {
            ", a warm pool"
        } else {
            ""
        }
    );
    Ok(Imported {
        scenario,
        group: imported.name,
        summary,
        warnings: notes.finish(),
    })
}

fn origin_text(texts: &[(String, String)]) -> String {
    let names: Vec<&str> = texts.iter().map(|(f, _)| f.as_str()).collect();
    format!("the AWS CLI's JSON ({})", names.join(", "))
}

/// Sorts every document by its top-level key; a document of another shape is an error.
fn sort_documents(parsed: &[(String, Vec<Value>)]) -> Result<Documents<'_>, ImportError> {
    let mut docs = Documents::default();
    for (file, documents) in parsed {
        for (i, document) in documents.iter().enumerate() {
            let path = if documents.len() > 1 {
                format!("(document {})", i + 1)
            } else {
                String::new()
            };
            let root = Node::root(document, file, path);
            root.expect_object()?;
            let mut recognised = false;
            for (key, _) in SHAPES {
                let Some(node) = root.get(key) else {
                    continue;
                };
                recognised = true;
                let list = match key {
                    "AutoScalingGroups" => &mut docs.groups,
                    "ScalingPolicies" => &mut docs.policies,
                    "ScheduledUpdateGroupActions" => &mut docs.schedules,
                    "LifecycleHooks" => &mut docs.hooks,
                    "WarmPoolConfiguration" => {
                        docs.warm_pools.push(node);
                        continue;
                    }
                    "MetricAlarms" => &mut docs.alarms,
                    "LaunchTemplateVersions" => &mut docs.templates,
                    _ => &mut docs.subnets,
                };
                list.extend(node.items()?);
            }
            // describe-alarms prints CompositeAlarms beside MetricAlarms (asgsim does not model
            // them: listed as left out when there are any).
            if !recognised && root.value().get("CompositeAlarms").is_none() {
                return Err(unknown_shape(&root, document));
            }
            docs.roots.push(root);
        }
    }
    Ok(docs)
}

fn unknown_shape(root: &Node<'_>, document: &Value) -> ImportError {
    let keys: Vec<&str> = document
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let known: Vec<String> = SHAPES
        .iter()
        .map(|(key, call)| format!("{call} ({key})"))
        .collect();
    root.error(format!(
        "not a shape asgsim knows: its top-level keys are [{}]; asgsim reads the JSON of {}",
        keys.join(", "),
        known.join(", ")
    ))
}

/// `2024-05-10T00:00:00+00:00` (or epoch seconds) as `2024-05-10T00:00:00Z`.
pub(crate) fn utc_time(node: &Node<'_>) -> Result<String, ImportError> {
    let ms = super::metrics::timestamp_ms(node)?;
    let text = crate::trace::format_iso_ms(ms - ms.rem_euclid(1000));
    Ok(text)
}

#[cfg(test)]
mod tests;
