//! The bytes of `timeline.csv`, `activities.csv`, `instances.csv` and `summary.json`.
//!
//! Each function serializes a whole [`RunOutput`] to memory (tests, small runs); `asgsim run`
//! streams the same rows to its files as they are produced (`super::stream`). Both go through
//! the row functions of `super::csv_rows`, so they give the same bytes.

use crate::records::Summary;

use crate::run::RunOutput;

use super::csv_rows::{
    TimelineLayout, push_activities_header, push_activity, push_instance, push_instances_header,
};

/// The fixed leading columns of `timeline.csv`, in order. `forecast_capacity` follows when any
/// row has a forecast, then one `alarm_<name>` column per alarm.
pub const TIMELINE_COLUMNS: [&str; 14] = [
    "time_s",
    "load_rps",
    "served_rps",
    "dropped_rps",
    "desired_capacity",
    "min_size",
    "max_size",
    "pending",
    "in_service",
    "terminating",
    "unhealthy",
    "cpu_avg",
    "cpu_max",
    "latency_ms",
];

/// The optional `timeline.csv` column of a predictive policy's forecast \[instances\].
pub const FORECAST_COLUMN: &str = "forecast_capacity";

/// The column of `timeline.csv` with the warm pool's size, when the group has a pool.
pub const WARM_POOL_COLUMN: &str = "warm_pool";

/// Prefix of the per-AZ columns of `timeline.csv`: `instances_us-east-1a`.
pub const AZ_COLUMN_PREFIX: &str = "instances_";

/// Prefix of the per-alarm `timeline.csv` columns (`alarm_HighCPU`).
pub const ALARM_COLUMN_PREFIX: &str = "alarm_";

/// The columns of `activities.csv`, in order.
pub const ACTIVITIES_COLUMNS: [&str; 8] = [
    "time_s",
    "kind",
    "cause",
    "desired_before",
    "desired_after",
    "instance_id",
    "az",
    "description",
];

/// The columns of `instances.csv`, in order.
pub const INSTANCES_COLUMNS: [&str; 8] = [
    "instance_id",
    "az",
    "instance_type",
    "launch_time_s",
    "in_service_time_s",
    "termination_time_s",
    "termination_reason",
    "cost_usd",
];

/// The layout of `output`'s timeline: a forecast column if any row has a forecast, a warm pool
/// column if any row has a pool size.
pub(crate) fn timeline_layout(output: &RunOutput) -> TimelineLayout {
    let rows = &output.records.timeline;
    TimelineLayout {
        forecast: rows.iter().any(|row| row.forecast_capacity.is_some()),
        warm_pool: rows.iter().any(|row| row.warm_pool.is_some()),
        az_names: output.az_names.clone(),
        alarm_names: output.alarm_names.clone(),
    }
}

/// `timeline.csv`: one row per sample, with the columns of [`TIMELINE_COLUMNS`], then
/// `forecast_capacity` if any row has a forecast, `warm_pool` if the group has a warm pool,
/// one `instances_<az>` column per AZ (Pending and InService there), then one
/// `alarm_<name>` column per alarm
/// (`OK`, `ALARM` or `INSUFFICIENT_DATA`; empty if a row lacks that alarm's state).
pub fn timeline_csv(output: &RunOutput) -> Vec<u8> {
    let rows = &output.records.timeline;
    let layout = timeline_layout(output);
    let mut out = Vec::with_capacity(256 + rows.len() * (80 + 10 * layout.alarm_names.len()));
    layout.push_header(&mut out);
    for row in rows {
        layout.push_row(&mut out, row);
    }
    out
}

/// `activities.csv`: one row per activity, columns [`ACTIVITIES_COLUMNS`]; no instance, no AZ
/// give empty cells.
pub fn activities_csv(output: &RunOutput) -> Vec<u8> {
    let activities = &output.records.activities;
    let mut out = Vec::with_capacity(128 + activities.len() * 160);
    push_activities_header(&mut out);
    for activity in activities {
        push_activity(&mut out, activity);
    }
    out
}

/// `instances.csv`: one row per instance, columns [`INSTANCES_COLUMNS`]; times and the reason
/// are empty when they did not happen, costs have 6 decimals.
pub fn instances_csv(output: &RunOutput) -> Vec<u8> {
    let instances = &output.records.instances;
    let mut out = Vec::with_capacity(128 + instances.len() * 96);
    push_instances_header(&mut out);
    for instance in instances {
        push_instance(&mut out, instance);
    }
    out
}

/// `summary.json`: the [`Summary`] pretty-printed (two-space indent, keys in field order), with
/// a newline at the end; figures rounded as in the CSV tables (costs to 6 decimals, the rest
/// to at most 4). Non-finite numbers, which JSON cannot hold, become `null`.
pub fn summary_json(summary: &Summary) -> Vec<u8> {
    super::json::summary(summary)
}
