//! The rows of `timeline.csv`, `activities.csv` and `instances.csv`, appended to a byte buffer.
//!
//! One function per header and per row, shared by the in-memory tables
//! (`super::tables`) and the files a run streams as it goes (`super::stream`), so that both
//! give the same bytes. Numbers follow `super::format`; text is quoted as the `csv` crate
//! quotes it by default (only when it holds a comma, a quote or a line break, quotes doubled),
//! so the bytes are those the crate wrote before, without its per-field bookkeeping: a
//! timeline row is a few dozen pushes into a reused buffer.

use crate::records::{Activity, InstanceRecord, TimelineRow};

use super::format::{push_cost, push_quantity, push_time_s, push_u64};
use super::tables::{
    ACTIVITIES_COLUMNS, ALARM_COLUMN_PREFIX, AZ_COLUMN_PREFIX, FORECAST_COLUMN, INSTANCES_COLUMNS,
    TIMELINE_COLUMNS, WARM_POOL_COLUMN,
};

/// The columns a `timeline.csv` has beyond the fixed ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TimelineLayout {
    /// Whether the `forecast_capacity` column is there.
    pub(crate) forecast: bool,
    /// Whether the `warm_pool` column is there.
    pub(crate) warm_pool: bool,
    /// One `instances_<az>` column per AZ.
    pub(crate) az_names: Vec<String>,
    /// One `alarm_<name>` column per alarm.
    pub(crate) alarm_names: Vec<String>,
}

impl TimelineLayout {
    /// The header line.
    pub(crate) fn push_header(&self, buf: &mut Vec<u8>) {
        push_names(buf, &TIMELINE_COLUMNS);
        if self.forecast {
            buf.push(b',');
            buf.extend_from_slice(FORECAST_COLUMN.as_bytes());
        }
        if self.warm_pool {
            buf.push(b',');
            buf.extend_from_slice(WARM_POOL_COLUMN.as_bytes());
        }
        for (prefix, names) in [
            (AZ_COLUMN_PREFIX, &self.az_names),
            (ALARM_COLUMN_PREFIX, &self.alarm_names),
        ] {
            for name in names {
                buf.push(b',');
                push_text(buf, format!("{prefix}{name}").as_bytes());
            }
        }
        buf.push(b'\n');
    }

    /// One row: numbers by the rules of `super::format`; a forecast, a warm pool size, an AZ
    /// count or an alarm state the row lacks is an empty cell.
    pub(crate) fn push_row(&self, buf: &mut Vec<u8>, row: &TimelineRow) {
        push_time_s(buf, row.time_ms);
        for x in [row.load_rps, row.served_rps, row.dropped_rps] {
            buf.push(b',');
            push_quantity(buf, x);
        }
        for n in [
            row.desired_capacity,
            row.min_size,
            row.max_size,
            row.pending,
            row.in_service,
            row.terminating,
            row.unhealthy,
        ] {
            buf.push(b',');
            push_u64(buf, u64::from(n));
        }
        // Empty when nothing was served: no CPU or latency to report, which 0 would hide.
        for x in [row.cpu_avg_percent, row.cpu_max_percent, row.latency_ms] {
            buf.push(b',');
            if let Some(x) = x {
                push_quantity(buf, x);
            }
        }
        if self.forecast {
            buf.push(b',');
            if let Some(forecast) = row.forecast_capacity {
                push_quantity(buf, forecast);
            }
        }
        if self.warm_pool {
            buf.push(b',');
            if let Some(size) = row.warm_pool {
                push_u64(buf, u64::from(size));
            }
        }
        for i in 0..self.az_names.len() {
            buf.push(b',');
            if let Some(&n) = row.instances_by_az.get(i) {
                push_u64(buf, u64::from(n));
            }
        }
        for i in 0..self.alarm_names.len() {
            buf.push(b',');
            if let Some(state) = row.alarm_states.get(i) {
                buf.extend_from_slice(state.as_str().as_bytes());
            }
        }
        buf.push(b'\n');
    }
}

/// The header of `activities.csv`.
pub(crate) fn push_activities_header(buf: &mut Vec<u8>) {
    push_names(buf, &ACTIVITIES_COLUMNS);
    buf.push(b'\n');
}

/// One `activities.csv` row; no instance, no AZ give empty cells.
pub(crate) fn push_activity(buf: &mut Vec<u8>, activity: &Activity) {
    push_time_s(buf, activity.time_ms);
    buf.push(b',');
    buf.extend_from_slice(activity.kind.as_str().as_bytes());
    buf.push(b',');
    push_text(buf, activity.cause.as_bytes());
    for n in [activity.desired_before, activity.desired_after] {
        buf.push(b',');
        push_u64(buf, u64::from(n));
    }
    for text in [activity.instance_id.as_deref(), activity.az.as_deref()] {
        buf.push(b',');
        push_text(buf, text.unwrap_or("").as_bytes());
    }
    buf.push(b',');
    push_text(buf, activity.description.as_bytes());
    buf.push(b'\n');
}

/// The header of `instances.csv`.
pub(crate) fn push_instances_header(buf: &mut Vec<u8>) {
    push_names(buf, &INSTANCES_COLUMNS);
    buf.push(b'\n');
}

/// One `instances.csv` row; times and the reason are empty when they did not happen, the cost
/// has 6 decimals.
pub(crate) fn push_instance(buf: &mut Vec<u8>, instance: &InstanceRecord) {
    for text in [&instance.instance_id, &instance.az, &instance.instance_type] {
        push_text(buf, text.as_bytes());
        buf.push(b',');
    }
    push_time_s(buf, instance.launch_time_ms);
    for time in [instance.in_service_time_ms, instance.termination_time_ms] {
        buf.push(b',');
        if let Some(ms) = time {
            push_time_s(buf, ms);
        }
    }
    buf.push(b',');
    if let Some(reason) = instance.termination_reason {
        buf.extend_from_slice(reason.as_str().as_bytes());
    }
    buf.push(b',');
    push_cost(buf, instance.cost_usd);
    buf.push(b'\n');
}

/// Fixed column names, comma-separated (they never need quotes).
fn push_names(buf: &mut Vec<u8>, names: &[&str]) {
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.extend_from_slice(name.as_bytes());
    }
}

/// A text cell, in quotes (inner quotes doubled) when it holds a comma, a quote, a carriage
/// return or a line feed: the `csv` crate's `QuoteStyle::Necessary` with its default `\n`
/// terminator.
pub(crate) fn push_text(buf: &mut Vec<u8>, text: &[u8]) {
    if !needs_quotes(text) {
        buf.extend_from_slice(text);
        return;
    }
    buf.push(b'"');
    for part in text.split_inclusive(|&b| b == b'"') {
        buf.extend_from_slice(part);
        if part.last() == Some(&b'"') {
            buf.push(b'"');
        }
    }
    buf.push(b'"');
}

/// Whether `text` holds a comma, a quote, a carriage return or a line feed: eight bytes at a
/// time (causes and descriptions are long, and a scale-in of hundreds of instances writes
/// one per instance).
fn needs_quotes(text: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // Non-zero exactly when some byte of `v` is zero.
    let has_zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let mut chunks = text.chunks_exact(8);
    for chunk in &mut chunks {
        let v = u64::from_ne_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        let special = has_zero_byte(v ^ (ONES * u64::from(b',')))
            | has_zero_byte(v ^ (ONES * u64::from(b'"')))
            | has_zero_byte(v ^ (ONES * u64::from(b'\n')))
            | has_zero_byte(v ^ (ONES * u64::from(b'\r')));
        if special != 0 {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the `csv` crate writes for one field.
    fn csv_crate(text: &str) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([text, "x"]).unwrap();
        let mut bytes = w.into_inner().unwrap();
        bytes.truncate(bytes.len() - 3);
        bytes
    }

    fn ours(text: &str) -> Vec<u8> {
        let mut buf = Vec::new();
        push_text(&mut buf, text.as_bytes());
        buf
    }

    #[test]
    fn text_is_quoted_only_when_needed() {
        assert_eq!(ours("plain text"), b"plain text");
        assert_eq!(ours("a,b"), b"\"a,b\"");
        assert_eq!(ours("say \"hi\""), b"\"say \"\"hi\"\"\"");
        assert_eq!(ours("two\nlines"), b"\"two\nlines\"");
        assert_eq!(ours(""), b"");
    }

    proptest! {
        #[test]
        fn text_cells_match_the_csv_crate(text in "[a-z ,\"\r\n#'é→\u{2c}\u{ac}]{0,40}") {
            prop_assert_eq!(ours(&text), csv_crate(&text));
        }
    }
}
