//! `\[launch_template\]`: what each instance is, what it costs, how long it boots and how long
//! its application then takes to answer health checks.

use toml::Value;

use super::fields::{Reader, as_duration};
use super::model::{BootTime, LaunchTemplate};
use crate::time::{MS_PER_S, format_duration};

/// Built-in On-Demand prices, us-east-1, Linux \[USD per hour\] (Amazon EC2 On-Demand Pricing page).
pub(super) const PRICES: [(&str, f64); 3] = [
    ("t3.micro", 0.0104),
    ("m5.large", 0.096),
    ("c5.xlarge", 0.17),
];

/// Instance type when none is given.
const DEFAULT_INSTANCE_TYPE: &str = "m5.large";

/// Reads `\[launch_template\]`.
pub(super) fn read_launch_template(mut r: Reader<'_>) -> Option<LaunchTemplate> {
    let instance_type = r
        .name("instance_type")
        .or_else(|| DEFAULT_INSTANCE_TYPE.to_string());
    let price = r.non_negative("price_per_hour").optional();
    let price_per_hour_usd = match (&instance_type, price) {
        (_, Some(Some(p))) => Some(p),
        (Some(t), Some(None)) => built_in_price(&r, t),
        _ => None,
    };
    let capacity_rps = r
        .number("capacity_rps")
        .check(
            |x| *x > 0.0,
            |x| format!("must be > 0 requests/s, found {x}"),
        )
        .required();
    let idle_cpu_percent = r
        .number("idle_cpu_percent")
        .check(
            |x| (0.0..100.0).contains(x),
            |x| format!("must be ≥ 0 and < 100 (percent), found {x}"),
        )
        .or(2.0);
    let boot_time = read_boot_time(&mut r);
    let application_start_time = read_time_distribution(&mut r, "application_start_time")
        .map(|t| t.unwrap_or(BootTime::Constant { value_ms: 0 }));
    let network_in = r.non_negative("network_in_bytes_per_request").or(2000.0);
    let network_out = r.non_negative("network_out_bytes_per_request").or(20000.0);
    r.finish();
    Some(LaunchTemplate {
        instance_type: instance_type?,
        price_per_hour_usd: price_per_hour_usd?,
        capacity_rps: capacity_rps?,
        idle_cpu_percent: idle_cpu_percent?,
        boot_time: boot_time?,
        network_in_bytes_per_request: network_in?,
        network_out_bytes_per_request: network_out?,
        application_start_time: application_start_time?,
    })
}

/// The built-in price of `instance_type`, or a problem at `price_per_hour` of `r` saying it
/// is needed (shared with the `instance_refresh` event).
pub(super) fn built_in_price(r: &Reader<'_>, instance_type: &str) -> Option<f64> {
    let found = PRICES.iter().find(|(t, _)| *t == instance_type);
    if found.is_none() {
        let known: Vec<&str> = PRICES.iter().map(|(t, _)| *t).collect();
        r.report(
            "price_per_hour",
            format!(
                "required for instance type {instance_type}, which is not in the built-in price table ({}); give its On-Demand price in USD per hour",
                known.join(", ")
            ),
        );
    }
    found.map(|(_, p)| *p)
}

/// `boot_time`: a time distribution (see [`read_time_distribution`]); default 90 s.
fn read_boot_time(r: &mut Reader<'_>) -> Option<BootTime> {
    let default = BootTime::Constant {
        value_ms: 90 * MS_PER_S,
    };
    read_time_distribution(r, "boot_time").map(|boot| boot.unwrap_or(default))
}

/// A time drawn from a distribution at `key` (`boot_time`, `application_start_time`, a hook's
/// `work_time`, a warm pool's `warm_start_time`): a
/// duration (constant) or a `{ distribution = "constant" | "uniform" | "lognormal", ... }`
/// table. `Some(None)` when absent, `None` when bad (reported).
pub(super) fn read_time_distribution(r: &mut Reader<'_>, key: &str) -> Option<Option<BootTime>> {
    match r.raw(key) {
        None => Some(None),
        Some(Value::Table(_)) => {
            let mut table = r.child(key)?;
            let time = read_distribution(&mut table);
            table.finish();
            time.map(Some)
        }
        Some(value) => match as_duration(value) {
            Ok(value_ms) => Some(Some(BootTime::Constant { value_ms })),
            Err(message) => {
                let message = match value {
                    Value::String(_) => message,
                    _ => format!(
                        "{message}, or a table such as {{ distribution = \"lognormal\", median = \"90s\", p95 = \"150s\" }}"
                    ),
                };
                r.report(key, message);
                None
            }
        },
    }
}

/// The keys of a time-distribution table (`boot_time`, `work_time`), per `distribution`.
fn read_distribution(t: &mut Reader<'_>) -> Option<BootTime> {
    #[derive(Clone, Copy)]
    enum Kind {
        Constant,
        Uniform,
        LogNormal,
    }
    let kinds = [
        ("constant", Kind::Constant),
        ("uniform", Kind::Uniform),
        ("lognormal", Kind::LogNormal),
    ];
    let Some(kind) = t.choice("distribution", &kinds).required() else {
        t.allow_all();
        return None;
    };
    match kind {
        Kind::Constant => {
            let value_ms = t.duration("value").required()?;
            Some(BootTime::Constant { value_ms })
        }
        Kind::Uniform => {
            let min_ms = t.duration("min").required();
            let max_ms = t.duration("max").required();
            let (min_ms, max_ms) = (min_ms?, max_ms?);
            if min_ms > max_ms {
                let (lo, hi) = (format_duration(min_ms), format_duration(max_ms));
                t.report("min", format!("min {lo} must not exceed max {hi}"));
                return None;
            }
            Some(BootTime::Uniform { min_ms, max_ms })
        }
        Kind::LogNormal => {
            let median_ms = t.positive_duration("median").required();
            let p95_ms = t.duration("p95").required();
            let (median_ms, p95_ms) = (median_ms?, p95_ms?);
            if p95_ms <= median_ms {
                let (p95, median) = (format_duration(p95_ms), format_duration(median_ms));
                t.report(
                    "p95",
                    format!("p95 {p95} must be greater than median {median}"),
                );
                return None;
            }
            Some(BootTime::LogNormal { median_ms, p95_ms })
        }
    }
}
