//! CloudWatch JSON to series: `get-metric-data` (`MetricDataResults`) and
//! `get-metric-statistics` (`Datapoints`), pages and files joined by series.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::import::ImportError;
use crate::import::json::{Node, describe, parse_documents};
use crate::trace::{format_iso_ms, parse_iso_ms};

/// One metric series: its name and its datapoints, in time order, each time once.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The `Id` of a `get-metric-data` query, or the `Label` (with `_Statistic` when a
    /// `get-metric-statistics` output holds several statistics).
    pub id: String,
    /// The `Label` CloudWatch printed, if any (the metric's name unless the query set one).
    pub label: Option<String>,
    /// The statistic, when the output says (`get-metric-statistics`).
    pub statistic: Option<String>,
    /// (time \[ms since the Unix epoch\], value), sorted by time, each time once.
    pub points: Vec<(i64, f64)>,
    /// Where it was first read: `file: MetricDataResults[0]`.
    pub origin: String,
}

impl Series {
    /// Whether the series is a load balancer's request count: its id or label is
    /// `RequestCount` (or `requests`, `request_count`), and its statistic, when known, `Sum`.
    pub fn is_request_count(&self) -> bool {
        let named = |s: &str| {
            let s = s.to_ascii_lowercase().replace(['_', '-', ' '], "");
            s == "requestcount" || s == "requests" || s == "requestcountsum"
        };
        let sum = self.statistic.as_deref().is_none_or(|s| s == "Sum");
        sum && (named(&self.id) || self.label.as_deref().is_some_and(named))
    }

    /// The id and, when it differs, the label: `requests (RequestCount)`.
    pub fn display_name(&self) -> String {
        match &self.label {
            Some(label) if label != &self.id => format!("{} ({label})", self.id),
            _ => self.id.clone(),
        }
    }
}

/// Statistics `get-metric-statistics` prints per datapoint.
const STATISTICS: [&str; 5] = ["Sum", "Average", "Minimum", "Maximum", "SampleCount"];

/// Reads every series of every file, joining those of the same id across pages and files.
/// `warn` receives a sentence for each field left unread and each duplicated datapoint.
///
/// # Errors
///
/// Unreadable or malformed files, a file of another shape, timestamps that are not ISO-8601,
/// `Timestamps` and `Values` of different lengths, a time given twice with two values.
pub fn read_series(
    files: &[(String, String)],
    warn: &mut dyn FnMut(String),
) -> Result<Vec<Series>, ImportError> {
    let mut joined: BTreeMap<String, (Series, Vec<String>)> = BTreeMap::new();
    let mut order = Vec::new();
    for (file, text) in files {
        for (i, document) in parse_documents(text, file)?.iter().enumerate() {
            let path = if i == 0 {
                String::new()
            } else {
                format!("(document {})", i + 1)
            };
            for (series, source) in read_document(document, file, &path, warn)? {
                match joined.get_mut(&series.id) {
                    Some((existing, sources)) => {
                        existing.points.extend(series.points);
                        sources.push(source);
                    }
                    None => {
                        order.push(series.id.clone());
                        joined.insert(series.id.clone(), (series, vec![source]));
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for id in order {
        let Some((mut series, sources)) = joined.remove(&id) else {
            continue;
        };
        dedupe(&mut series, &sources, warn)?;
        out.push(series);
    }
    Ok(out)
}

/// The series of one JSON document, each with the place it was read from.
fn read_document(
    document: &Value,
    file: &str,
    path: &str,
    warn: &mut dyn FnMut(String),
) -> Result<Vec<(Series, String)>, ImportError> {
    let root = Node::root(document, file, path);
    root.expect_object()?;
    let series = if root.value().get("MetricDataResults").is_some() {
        read_metric_data(&root, warn)?
    } else if root.value().get("Datapoints").is_some() {
        read_statistics(&root)?
    } else {
        let keys: Vec<&str> = document
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        return Err(root.error(format!(
            "not CloudWatch metrics JSON: its top-level keys are [{}]; give the output of `aws cloudwatch get-metric-data` (MetricDataResults) or `get-metric-statistics` (Datapoints)",
            keys.join(", ")
        )));
    };
    for (field, value) in root.unread() {
        warn(format!(
            "{file}: {field}: {} not used (asgsim reads MetricDataResults or Datapoints)",
            describe(value)
        ));
    }
    Ok(series)
}

/// `get-metric-data`: one series per result; `NextToken` and `Messages` are the page's own.
fn read_metric_data(
    root: &Node<'_>,
    warn: &mut dyn FnMut(String),
) -> Result<Vec<(Series, String)>, ImportError> {
    root.mark("NextToken");
    for message in root.array("Messages")? {
        let code = message.str("Code")?.unwrap_or("");
        let text = message.str("Value")?.unwrap_or("");
        warn(format!(
            "{}: {}: CloudWatch says {code}: {text}",
            root.file(),
            message.path()
        ));
    }
    let mut out = Vec::new();
    for result in root.array("MetricDataResults")? {
        let id = result.req_str("Id")?.to_string();
        let label = result.str("Label")?.map(str::to_string);
        if result.str("StatusCode")? == Some("PartialData")
            && root.value().get("NextToken").is_none()
        {
            warn(format!(
                "{}: {}: StatusCode PartialData and no NextToken: CloudWatch returned part of the data; fetch the rest with a narrower time range",
                root.file(),
                result.path()
            ));
        }
        result.mark("Messages");
        let times = result.array("Timestamps")?;
        let values = result.array("Values")?;
        if times.len() != values.len() {
            return Err(result.error(format!(
                "{} Timestamps but {} Values; CloudWatch prints one value per timestamp (was the file cut?)",
                times.len(),
                values.len()
            )));
        }
        let mut points = Vec::with_capacity(times.len());
        for (t, v) in times.iter().zip(&values) {
            points.push((timestamp(t)?, v.as_f64()?));
        }
        let origin = format!("{}: {}", root.file(), result.path());
        for (field, value) in result.unread() {
            warn(format!(
                "{}: {field}: {} not used",
                root.file(),
                describe(value)
            ));
        }
        let series = Series {
            id,
            label,
            statistic: None,
            points,
            origin: origin.clone(),
        };
        out.push((series, origin));
    }
    Ok(out)
}

/// `get-metric-statistics`: one series per statistic the datapoints carry.
fn read_statistics(root: &Node<'_>) -> Result<Vec<(Series, String)>, ImportError> {
    let label = root.str("Label")?.unwrap_or("metric").to_string();
    let datapoints = root.array("Datapoints")?;
    let mut by_stat: BTreeMap<&str, Vec<(i64, f64)>> = BTreeMap::new();
    for point in &datapoints {
        point.expect_object()?;
        let t =
            timestamp(&point.get("Timestamp").ok_or_else(|| {
                point.error_at("Timestamp", "is missing; every datapoint has one")
            })?)?;
        point.mark("Unit");
        point.mark("ExtendedStatistics");
        for stat in STATISTICS {
            if let Some(v) = point.f64(stat)? {
                by_stat.entry(stat).or_default().push((t, v));
            }
        }
    }
    let several = by_stat.len() > 1;
    let origin = format!("{}: {}", root.file(), root.path());
    Ok(by_stat
        .into_iter()
        .map(|(stat, points)| {
            let id = if several {
                format!("{label}_{stat}")
            } else {
                label.clone()
            };
            let series = Series {
                id,
                label: Some(label.clone()),
                statistic: Some(stat.to_string()),
                points,
                origin: origin.clone(),
            };
            (series, origin.clone())
        })
        .collect())
}

/// A timestamp as the AWS CLI prints it \[ms since the Unix epoch\]: ISO-8601 (version 2,
/// and version 1 with `cli_timestamp_format = iso8601`) or seconds since the epoch (version 1
/// by default, for services whose wire format has numbers).
pub(crate) fn timestamp(node: &Node<'_>) -> Result<i64, ImportError> {
    if let Some(seconds) = node.value().as_f64() {
        let ms = (seconds * 1000.0).round();
        if seconds.is_finite() && (0.0..=253_402_207_200_000.0).contains(&ms) {
            return Ok(ms as i64);
        }
        return Err(node.error(format!("{seconds} is not a time in seconds since 1970")));
    }
    let text = node.value().as_str().ok_or_else(|| {
        node.error(format!(
            "expected a timestamp, found {}",
            describe(node.value())
        ))
    })?;
    parse_iso_ms(text.as_bytes()).ok_or_else(|| {
        node.error(format!(
            "{text:?} is not an ISO-8601 time; CloudWatch prints times such as \"2024-05-10T00:00:00+00:00\""
        ))
    })
}

/// Sorts the points by time and keeps each time once: the same value twice (overlapping
/// pages) is kept once with a warning; two values for one time are an error.
fn dedupe(
    series: &mut Series,
    sources: &[String],
    warn: &mut dyn FnMut(String),
) -> Result<(), ImportError> {
    series.points.sort_by_key(|p| p.0);
    let mut repeated = 0;
    let mut kept: Vec<(i64, f64)> = Vec::with_capacity(series.points.len());
    for &(t, v) in &series.points {
        match kept.last() {
            Some(&(lt, lv)) if lt == t => {
                if lv != v {
                    return Err(ImportError::file(
                        sources.join(", "),
                        format!(
                            "series {} has two values at {} ({lv} and {v}); each period has one datapoint: remove the duplicate page or file",
                            series.display_name(),
                            format_iso_ms(t)
                        ),
                    ));
                }
                repeated += 1;
            }
            _ => kept.push((t, v)),
        }
    }
    if repeated > 0 {
        warn(format!(
            "{}: series {}: {repeated} datapoint(s) given twice with the same value (overlapping pages?); each kept once",
            sources.join(", "),
            series.display_name()
        ));
    }
    series.points = kept;
    Ok(())
}
