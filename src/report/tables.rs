//! The bytes of `timeline.csv`, `activities.csv`, `instances.csv` and `summary.json`.
//!
//! Each function serializes to memory, so the same output always gives the same bytes and the
//! caller decides where (and how atomically) to write them. Cells are formatted into one reused
//! buffer and handed to the `csv` writer, which quotes causes and descriptions that hold commas,
//! quotes or line breaks.

use crate::records::Summary;

use crate::run::RunOutput;

use super::format::{push_cost, push_quantity, push_time_s, push_u64};

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

/// A CSV writer into memory with one reused cell buffer.
struct CsvOut {
    writer: csv::Writer<Vec<u8>>,
    cell: Vec<u8>,
}

/// Writing CSV into a `Vec<u8>` cannot fail: there is no I/O, and every record of one table has
/// the same number of fields.
const IN_MEMORY: &str = "writing CSV into memory cannot fail";

impl CsvOut {
    fn with_capacity(bytes: usize) -> Self {
        Self {
            writer: csv::WriterBuilder::new()
                .buffer_capacity(64 * 1024)
                .from_writer(Vec::with_capacity(bytes)),
            cell: Vec::with_capacity(64),
        }
    }

    fn text(&mut self, text: &str) {
        self.writer.write_field(text).expect(IN_MEMORY);
    }

    fn empty(&mut self) {
        self.text("");
    }

    /// Formats one cell with `fill` into the reused buffer and writes it.
    fn cell(&mut self, fill: impl FnOnce(&mut Vec<u8>)) {
        self.cell.clear();
        fill(&mut self.cell);
        self.writer.write_field(&self.cell).expect(IN_MEMORY);
    }

    fn time(&mut self, ms: u64) {
        self.cell(|b| push_time_s(b, ms));
    }

    fn opt_time(&mut self, ms: Option<u64>) {
        match ms {
            Some(ms) => self.time(ms),
            None => self.empty(),
        }
    }

    fn quantity(&mut self, x: f64) {
        self.cell(|b| push_quantity(b, x));
    }

    fn count(&mut self, n: u32) {
        self.cell(|b| push_u64(b, u64::from(n)));
    }

    fn opt_text(&mut self, text: Option<&str>) {
        self.text(text.unwrap_or(""));
    }

    fn end_record(&mut self) {
        self.writer.write_record(None::<&[u8]>).expect(IN_MEMORY);
    }

    fn header(&mut self, names: &[&str]) {
        for name in names {
            self.text(name);
        }
    }

    fn finish(self) -> Vec<u8> {
        self.writer
            .into_inner()
            .map_err(|e| e.into_error())
            .expect(IN_MEMORY)
    }
}

/// `timeline.csv`: one row per sample, with the columns of [`TIMELINE_COLUMNS`], then
/// `forecast_capacity` if any row has a forecast, `warm_pool` if the group has a warm pool,
/// one `instances_<az>` column per AZ (Pending and InService there), then one
/// `alarm_<name>` column per alarm
/// (`OK`, `ALARM` or `INSUFFICIENT_DATA`; empty if a row lacks that alarm's state).
pub fn timeline_csv(output: &RunOutput) -> Vec<u8> {
    let rows = &output.records.timeline;
    let alarms = output.alarm_names.len();
    let has_forecast = rows.iter().any(|row| row.forecast_capacity.is_some());
    let has_pool = rows.iter().any(|row| row.warm_pool.is_some());
    let mut out = CsvOut::with_capacity(256 + rows.len() * (80 + 10 * alarms));
    out.header(&TIMELINE_COLUMNS);
    if has_forecast {
        out.text(FORECAST_COLUMN);
    }
    if has_pool {
        out.text(WARM_POOL_COLUMN);
    }
    for name in &output.az_names {
        out.cell(|b| {
            b.extend_from_slice(AZ_COLUMN_PREFIX.as_bytes());
            b.extend_from_slice(name.as_bytes());
        });
    }
    for name in &output.alarm_names {
        out.cell(|b| {
            b.extend_from_slice(ALARM_COLUMN_PREFIX.as_bytes());
            b.extend_from_slice(name.as_bytes());
        });
    }
    out.end_record();
    for row in rows {
        out.time(row.time_ms);
        out.quantity(row.load_rps);
        out.quantity(row.served_rps);
        out.quantity(row.dropped_rps);
        for n in [
            row.desired_capacity,
            row.min_size,
            row.max_size,
            row.pending,
            row.in_service,
            row.terminating,
            row.unhealthy,
        ] {
            out.count(n);
        }
        out.quantity(row.cpu_avg_percent);
        out.quantity(row.cpu_max_percent);
        out.quantity(row.latency_ms);
        if has_forecast {
            match row.forecast_capacity {
                Some(forecast) => out.quantity(forecast),
                None => out.empty(),
            }
        }
        if has_pool {
            match row.warm_pool {
                Some(size) => out.count(size),
                None => out.empty(),
            }
        }
        for i in 0..output.az_names.len() {
            match row.instances_by_az.get(i) {
                Some(n) => out.count(*n),
                None => out.empty(),
            }
        }
        for i in 0..alarms {
            out.opt_text(row.alarm_states.get(i).map(|state| state.as_str()));
        }
        out.end_record();
    }
    out.finish()
}

/// `activities.csv`: one row per activity, columns [`ACTIVITIES_COLUMNS`]; no instance, no AZ
/// give empty cells.
pub fn activities_csv(output: &RunOutput) -> Vec<u8> {
    let activities = &output.records.activities;
    let mut out = CsvOut::with_capacity(128 + activities.len() * 160);
    out.header(&ACTIVITIES_COLUMNS);
    out.end_record();
    for activity in activities {
        out.time(activity.time_ms);
        out.text(activity.kind.as_str());
        out.text(&activity.cause);
        out.count(activity.desired_before);
        out.count(activity.desired_after);
        out.opt_text(activity.instance_id.as_deref());
        out.opt_text(activity.az.as_deref());
        out.text(&activity.description);
        out.end_record();
    }
    out.finish()
}

/// `instances.csv`: one row per instance, columns [`INSTANCES_COLUMNS`]; times and the reason
/// are empty when they did not happen, costs have 6 decimals.
pub fn instances_csv(output: &RunOutput) -> Vec<u8> {
    let instances = &output.records.instances;
    let mut out = CsvOut::with_capacity(128 + instances.len() * 96);
    out.header(&INSTANCES_COLUMNS);
    out.end_record();
    for instance in instances {
        out.text(&instance.instance_id);
        out.text(&instance.az);
        out.text(&instance.instance_type);
        out.time(instance.launch_time_ms);
        out.opt_time(instance.in_service_time_ms);
        out.opt_time(instance.termination_time_ms);
        out.opt_text(instance.termination_reason.map(|reason| reason.as_str()));
        out.cell(|b| push_cost(b, instance.cost_usd));
        out.end_record();
    }
    out.finish()
}

/// `summary.json`: the [`Summary`] pretty-printed (two-space indent, keys in field order), with
/// a newline at the end; figures rounded as in the CSV tables (costs to 6 decimals, the rest
/// to at most 4). Non-finite numbers, which JSON cannot hold, become `null`.
pub fn summary_json(summary: &Summary) -> Vec<u8> {
    super::json::summary(summary)
}
