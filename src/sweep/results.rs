//! The bytes of `results.csv`: the header and one row per run.
//!
//! Columns: `run`, one `parameter_<key>` per swept key (the key as written in the sweep file,
//! the value as written there), `seed`, then every figure of [`figures::columns`]. A row is a
//! pure function of the run, so the file is the same whatever the thread count, the sharding
//! or the interruptions. Values never hold line breaks (the sweep file parser refuses them),
//! so every record is one line.

use crate::records::Summary;
use crate::report::format::push_u64;

use super::baselines::Extras;
use super::figures::{self, push_value};
use super::spec::{RunSpec, SweepSpec};

/// Prefix of the swept-key columns.
pub const PARAMETER_PREFIX: &str = "parameter_";

/// Writing CSV into memory cannot fail.
const IN_MEMORY: &str = "writing CSV into memory cannot fail";

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::with_capacity(512))
}

fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().map_err(|e| e.into_error()).expect(IN_MEMORY)
}

/// The header line of `results.csv` for `spec`, with its line break.
pub fn header(spec: &SweepSpec) -> Vec<u8> {
    let mut w = writer();
    w.write_field("run").expect(IN_MEMORY);
    for p in &spec.parameters {
        w.write_field(format!("{PARAMETER_PREFIX}{}", p.key))
            .expect(IN_MEMORY);
    }
    w.write_field("seed").expect(IN_MEMORY);
    for column in figures::columns() {
        w.write_field(figures::name_for(column, spec.cpu_percent))
            .expect(IN_MEMORY);
    }
    w.write_record(None::<&[u8]>).expect(IN_MEMORY);
    finish(w)
}

/// The start of a run's row: `run,<parameter values>,seed,` (with the trailing comma), which
/// identifies the run and its place in the grid.
pub fn row_prefix(spec: &SweepSpec, run: &RunSpec) -> Vec<u8> {
    let mut w = writer();
    let mut cell = Vec::with_capacity(20);
    push_u64(&mut cell, run.run);
    w.write_field(&cell).expect(IN_MEMORY);
    for value in spec.point_values(run.point) {
        w.write_field(&value.written).expect(IN_MEMORY);
    }
    cell.clear();
    push_u64(&mut cell, run.seed);
    w.write_field(&cell).expect(IN_MEMORY);
    w.write_field("").expect(IN_MEMORY);
    let mut bytes = finish(w);
    // The empty last field leaves the prefix ending in its separator.
    if bytes.ends_with(b"\"\"") {
        bytes.truncate(bytes.len() - 2);
    }
    bytes
}

/// A run's whole row, with its line break.
pub fn row(spec: &SweepSpec, run: &RunSpec, summary: &Summary, extras: &Extras) -> Vec<u8> {
    let mut line = row_prefix(spec, run);
    let values = figures::values(summary, extras);
    for (i, (column, value)) in figures::columns().zip(values).enumerate() {
        if i > 0 {
            line.push(b',');
        }
        push_value(&mut line, column.format, value);
    }
    line.push(b'\n');
    line
}

/// The run number a row starts with, if it starts with one.
pub fn run_of(line: &[u8]) -> Option<u64> {
    let end = line.iter().position(|&b| b == b',')?;
    std::str::from_utf8(&line[..end]).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Elasticity;
    use crate::sweep::baselines::Oracle;
    use std::path::Path;

    fn spec() -> SweepSpec {
        let text = r#"
scenario = "s.toml"
seeds = [7]
[parameters]
"alarms.HighCPU.threshold" = [70]
"load.pattern" = ['{ kind = "constant", rate = 5 }']
"#;
        SweepSpec::parse(text, Path::new("sweep.toml"), &[]).unwrap()
    }

    #[test]
    fn header_and_rows_follow_the_contract() {
        let spec = spec();
        let header = String::from_utf8(header(&spec)).unwrap();
        assert!(header.starts_with(
            "run,parameter_alarms.HighCPU.threshold,parameter_load.pattern,seed,duration_s,cost_usd,"
        ));
        assert!(header.contains(",elasticity_jitter,slo_violation_pct,"));
        assert!(header.ends_with(",elastic_speedup_oracle\n"));
        let run = spec.run(1);
        let prefix = String::from_utf8(row_prefix(&spec, &run)).unwrap();
        assert_eq!(prefix, "1,70,\"{ kind = \"\"constant\"\", rate = 5 }\",7,");
        let summary = Summary {
            scenario: "s".into(),
            seed: 7,
            duration_s: 60.0,
            cost_usd: 0.1,
            instance_hours: 1.0,
            mean_in_service: 1.0,
            max_in_service: 1,
            scale_out_activities: 0,
            scale_in_activities: 0,
            replaced_unhealthy: 0,
            requests_total: 10.0,
            requests_dropped: 0.0,
            slo_violation_s: 0.0,
            instances_launched: 1,
            cpu_over: Default::default(),
            elasticity: Elasticity::default(),
        };
        let oracle = Oracle {
            peak_demand: 1,
            instance_hours: 1.0,
            cost_usd: 0.1,
        };
        let extras = Extras::new(&summary, &oracle, &summary);
        let line = row(&spec, &run, &summary, &extras);
        let text = String::from_utf8(line.clone()).unwrap();
        assert!(text.starts_with(&prefix), "{text}");
        assert!(text.contains(",60,0.100000,1,"), "{text}");
        assert!(text.ends_with(",1,1\n"), "{text}");
        assert_eq!(run_of(&line), Some(1));
        let fields = header.trim_end().split(',').count();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_slice());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(record.len(), fields);
    }
}
