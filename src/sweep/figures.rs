//! The figures of one run, as the columns of `results.csv` and `compare.csv`.
//!
//! First every figure of `summary.json` but the scenario name and the seed (the elasticity
//! ones as `elasticity_<name>`), in `summary.json`'s order; then the [`EXTRA_COLUMNS`]:
//! shares, the fixed and oracle baselines and the elastic speedups over them.

use crate::records::Summary;
use crate::report::format::{push_cost, push_quantity};

use super::baselines::Extras;

/// How a column's numbers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// At most 4 decimals, trailing zeros trimmed (counts come out whole).
    Quantity,
    /// Exactly 6 decimals \[USD\].
    Cost,
}

/// One figure column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Its name in the CSV header.
    pub name: &'static str,
    /// How its numbers are written.
    pub format: Format,
    /// A short label with its unit, for printed tables.
    pub label: &'static str,
}

const fn q(name: &'static str, label: &'static str) -> Column {
    Column {
        name,
        format: Format::Quantity,
        label,
    }
}

const fn c(name: &'static str, label: &'static str) -> Column {
    Column {
        name,
        format: Format::Cost,
        label,
    }
}

/// The name of the [`CpuOver`](crate::records::CpuOver) column in the lists below; the
/// tables write it with the threshold in place of `<X>` ([`name_for`]).
pub const CPU_OVER_COLUMN: &str = "cpu_over_<X>_s";

/// The figures of `summary.json`, in its order (without `scenario` and `seed`).
pub const SUMMARY_COLUMNS: [Column; 19] = [
    q("duration_s", "simulated [s]"),
    c("cost_usd", "cost [USD]"),
    q("instance_hours", "instance-hours [h]"),
    q("mean_in_service", "mean in service"),
    q("max_in_service", "max in service"),
    q("scale_out_activities", "scale-out activities"),
    q("scale_in_activities", "scale-in activities"),
    q("replaced_unhealthy", "replaced unhealthy"),
    q("requests_total", "requests"),
    q("requests_dropped", "dropped requests"),
    q("slo_violation_s", "SLO violation [s]"),
    q("instances_launched", "instances launched"),
    q(CPU_OVER_COLUMN, "above <X>% CPU [s]"),
    q("elasticity_accuracy_under", "accuracy under θU [%]"),
    q("elasticity_accuracy_over", "accuracy over θO [%]"),
    q("elasticity_timeshare_under", "timeshare under τU [%]"),
    q("elasticity_timeshare_over", "timeshare over τO [%]"),
    q("elasticity_instability", "instability υ [%]"),
    q("elasticity_jitter", "jitter [1/h]"),
];

/// Columns after the summary figures: shares, the baselines and the speedups.
pub const EXTRA_COLUMNS: [Column; 8] = [
    q("slo_violation_pct", "SLO violation [%]"),
    q("requests_dropped_pct", "dropped [%]"),
    q("fixed_size", "fixed group size"),
    c("fixed_cost_usd", "fixed group cost [USD]"),
    q("fixed_slo_violation_s", "fixed group SLO violation [s]"),
    c("oracle_cost_usd", "oracle cost [USD]"),
    q("elastic_speedup_fixed", "elastic speedup vs fixed"),
    q("elastic_speedup_oracle", "elastic speedup vs oracle"),
];

/// Every figure column in order: [`SUMMARY_COLUMNS`] then [`EXTRA_COLUMNS`].
pub fn columns() -> impl Iterator<Item = &'static Column> {
    SUMMARY_COLUMNS.iter().chain(EXTRA_COLUMNS.iter())
}

/// The column named `name`, if any (`cpu_over_90_s` is the `cpu_over_<X>_s` column).
pub fn column(name: &str) -> Option<&'static Column> {
    let name = if cpu_over_percent(name).is_some() {
        CPU_OVER_COLUMN
    } else {
        name
    };
    columns().find(|c| c.name == name)
}

/// The threshold in a `cpu_over_<X>_s` name: 90 for `cpu_over_90_s`.
pub fn cpu_over_percent(name: &str) -> Option<f64> {
    let x = name.strip_prefix("cpu_over_")?.strip_suffix("_s")?;
    x.parse::<f64>()
        .ok()
        .filter(|p| p.is_finite() && x.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// A column's name as the tables write it, with `cpu_percent` in `cpu_over_<X>_s`.
pub fn name_for(column: &Column, cpu_percent: f64) -> String {
    if column.name == CPU_OVER_COLUMN {
        crate::records::CpuOver {
            percent: cpu_percent,
            seconds: 0.0,
        }
        .name()
    } else {
        column.name.to_string()
    }
}

/// A column's label as printed tables show it, with `cpu_percent` in place of `<X>`.
pub fn label_for(column: &Column, cpu_percent: f64) -> String {
    column.label.replace("<X>", &cpu_percent.to_string())
}

/// The numbers of one run, in the order of [`columns`].
pub fn values(summary: &Summary, extras: &Extras) -> Vec<f64> {
    let e = &summary.elasticity;
    vec![
        summary.duration_s,
        summary.cost_usd,
        summary.instance_hours,
        summary.mean_in_service,
        f64::from(summary.max_in_service),
        f64::from(summary.scale_out_activities),
        f64::from(summary.scale_in_activities),
        f64::from(summary.replaced_unhealthy),
        summary.requests_total,
        summary.requests_dropped,
        summary.slo_violation_s,
        f64::from(summary.instances_launched),
        summary.cpu_over.seconds,
        e.accuracy_under,
        e.accuracy_over,
        e.timeshare_under,
        e.timeshare_over,
        e.instability,
        e.jitter,
        extras.slo_violation_pct,
        extras.requests_dropped_pct,
        f64::from(extras.fixed_size),
        extras.fixed_cost_usd,
        extras.fixed_slo_violation_s,
        extras.oracle_cost_usd,
        extras.elastic_speedup_fixed,
        extras.elastic_speedup_oracle,
    ]
}

/// Appends `value` as `format` writes it.
pub fn push_value(buf: &mut Vec<u8>, format: Format, value: f64) {
    match format {
        Format::Quantity => push_quantity(buf, value),
        Format::Cost => push_cost(buf, value),
    }
}

/// `value` as `format` writes it.
pub fn value_string(format: Format, value: f64) -> String {
    let mut buf = Vec::with_capacity(24);
    push_value(&mut buf, format, value);
    String::from_utf8(buf).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Elasticity;

    fn summary() -> Summary {
        Summary {
            scenario: "s".into(),
            seed: 1,
            duration_s: 3600.0,
            cost_usd: 0.5,
            instance_hours: 5.0,
            mean_in_service: 4.5,
            max_in_service: 6,
            scale_out_activities: 2,
            scale_in_activities: 1,
            replaced_unhealthy: 0,
            requests_total: 1000.0,
            requests_dropped: 10.0,
            slo_violation_s: 36.0,
            instances_launched: 3,
            cpu_over: crate::records::CpuOver {
                percent: 90.0,
                seconds: 120.0,
            },
            elasticity: Elasticity::default(),
        }
    }

    /// Every figure of `summary.json` has a column, in `summary.json`'s order.
    #[test]
    fn the_columns_cover_summary_json() {
        let json = crate::report::summary_json(&summary());
        let text = String::from_utf8(json).unwrap();
        let mut keys = Vec::new();
        for line in text.lines() {
            let Some((key, value)) = line.trim().split_once("\": ") else {
                continue;
            };
            let key = key.trim_start_matches('"');
            if value.starts_with('{') {
                continue;
            }
            let nested = line.starts_with("    ");
            keys.push(if nested {
                format!("elasticity_{key}")
            } else {
                key.to_string()
            });
        }
        keys.retain(|k| k != "scenario" && k != "seed");
        let names: Vec<String> = SUMMARY_COLUMNS.iter().map(|c| name_for(c, 90.0)).collect();
        assert_eq!(keys, names);
    }

    #[test]
    fn the_cpu_column_is_named_by_its_threshold() {
        assert_eq!(cpu_over_percent("cpu_over_90_s"), Some(90.0));
        assert_eq!(cpu_over_percent("cpu_over_87.5_s"), Some(87.5));
        assert_eq!(cpu_over_percent("cpu_over_x_s"), None);
        assert_eq!(cpu_over_percent("cpu_over_-1_s"), None);
        assert_eq!(
            column("cpu_over_80_s").map(|c| c.name),
            Some(CPU_OVER_COLUMN)
        );
        let c = column(CPU_OVER_COLUMN).unwrap();
        assert_eq!(name_for(c, 87.5), "cpu_over_87.5_s");
        assert_eq!(label_for(c, 90.0), "above 90% CPU [s]");
    }

    #[test]
    fn values_follow_the_columns() {
        let s = summary();
        let oracle = super::super::baselines::Oracle {
            peak_demand: 5,
            instance_hours: 4.0,
            cost_usd: 0.4,
        };
        let extras = Extras::new(&s, &oracle, &s);
        let v = values(&s, &extras);
        assert_eq!(v.len(), columns().count());
        let at = |name: &str| v[columns().position(|c| c.name == name).unwrap()];
        assert_eq!(at("slo_violation_pct"), 1.0);
        assert_eq!(at("requests_dropped_pct"), 1.0);
        assert_eq!(at("fixed_size"), 5.0);
        assert_eq!(at("oracle_cost_usd"), 0.4);
        assert_eq!(at("elastic_speedup_fixed"), 1.0);
        assert_eq!(value_string(Format::Cost, 0.4), "0.400000");
    }
}
