//! CloudWatch in plain words: metric values with their units, thresholds, and what an alarm
//! saw, for `--explain` and activity causes.

use crate::time::format_duration;

use super::{AlarmConfig, AlarmEvaluation, AlarmState, MetricName, Statistic, TreatMissingData};

/// `average CPU 81.2%`, `sum RequestCountPerTarget 5230`, in the metric's unit.
pub fn metric_value(config: &AlarmConfig, value: f64) -> String {
    let stat = statistic_word(config.statistic);
    let label = config
        .metric_label
        .as_deref()
        .unwrap_or("customized metric");
    match config.metric_name {
        MetricName::CpuUtilization => format!("{stat} CPU {}%", one_decimal(value)),
        MetricName::Latency => format!("{stat} latency {} s", round3(value)),
        MetricName::NetworkIn | MetricName::NetworkOut => {
            format!(
                "{stat} {} {} bytes",
                config.metric_name.aws_name(),
                value.round()
            )
        }
        MetricName::RequestCountPerTarget => {
            format!("{stat} RequestCountPerTarget {}", round1(value))
        }
        MetricName::CustomColumn => format!("{stat} {label} {}", round3(value)),
        MetricName::CustomColumnPerInstance => {
            format!("{stat} {label} per instance {}", round3(value))
        }
    }
}

/// The threshold with the metric's unit: `75%`, `0.2 s`.
pub fn threshold_text(metric: MetricName, threshold: f64) -> String {
    match metric {
        MetricName::CpuUtilization => format!("{threshold}%"),
        MetricName::Latency => format!("{threshold} s"),
        MetricName::NetworkIn | MetricName::NetworkOut => format!("{threshold} bytes"),
        MetricName::RequestCountPerTarget
        | MetricName::CustomColumn
        | MetricName::CustomColumnPerInstance => format!("{threshold}"),
    }
}

fn statistic_word(statistic: Statistic) -> &'static str {
    match statistic {
        Statistic::Average => "average",
        Statistic::Sum => "sum",
        Statistic::Minimum => "minimum",
        Statistic::Maximum => "maximum",
        Statistic::SampleCount => "sample count",
    }
}

/// A metric's value as a formula shows it: CPU to one decimal, bytes whole, others to three
/// decimals (`31.25`, not `31.2`).
pub fn formula_number(metric: MetricName, v: f64) -> String {
    match metric {
        MetricName::CpuUtilization => one_decimal(v),
        MetricName::NetworkIn | MetricName::NetworkOut => format!("{}", v.round()),
        _ => format!("{}", round3(v)),
    }
}

/// One decimal, or as many as it takes to tell 75.04 from 75.
pub fn one_decimal(v: f64) -> String {
    let short = format!("{v:.1}");
    if short.ends_with(".0") && v.fract() != 0.0 {
        format!("{v:.2}")
    } else {
        short
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// A number with a true minus sign: `−10`, `2.5`.
pub fn signed(v: f64) -> String {
    if v < 0.0 {
        format!("−{}", -v)
    } else {
        format!("{v}")
    }
}

/// `one-minute`, `five-minute`, `10-minute`, `2h`, for periods.
fn period_words(period_ms: u64) -> String {
    match period_ms {
        60_000 => "one-minute".to_string(),
        300_000 => "five-minute".to_string(),
        ms if ms.is_multiple_of(60_000) && ms < 3_600_000 => format!("{}-minute", ms / 60_000),
        ms => format_duration(ms),
    }
}

/// How the alarm's TreatMissingData reads missing datapoints, for sentences.
fn missing_rule(treat: TreatMissingData) -> &'static str {
    match treat {
        TreatMissingData::Missing => "",
        TreatMissingData::Breaching => " (missing datapoints treated as breaching)",
        TreatMissingData::NotBreaching => " (missing datapoints treated as not breaching)",
        TreatMissingData::Ignore => " (missing datapoints ignored)",
    }
}

/// What an alarm saw: `HighCPU → ALARM: average CPU 81.2% > 75% in 2 of 2 one-minute periods`,
/// or `HighCPU in ALARM: ...` when the state did not change.
pub fn alarm_sentence(config: &AlarmConfig, eval: &AlarmEvaluation) -> String {
    let head = if eval.state == eval.previous {
        format!("{} in {}", config.name, eval.state.as_str())
    } else {
        format!("{} → {}", config.name, eval.state.as_str())
    };
    let Some(value) = eval.newest_value else {
        return format!(
            "{head}: no {} datapoint yet{}",
            config.metric_name.aws_name(),
            missing_rule(config.treat_missing_data)
        );
    };
    let observed = metric_value(config, value);
    let threshold = threshold_text(config.metric_name, config.threshold);
    let periods = period_words(config.period_ms);
    match eval.state {
        AlarmState::Alarm => {
            let n = config.evaluation_periods as usize;
            let missing = if eval.considered < n {
                match config.treat_missing_data {
                    TreatMissingData::Missing => {
                        " (the others missing: CloudWatch's rule for missing data)"
                    }
                    _ => missing_rule(config.treat_missing_data),
                }
            } else {
                ""
            };
            format!(
                "{head}: {observed} {} {threshold} in {} of {n} {periods} periods{missing}",
                config.comparison_operator.symbol(),
                eval.breaching,
            )
        }
        _ => format!(
            "{head}: {observed}, {} of the last {} {periods} datapoints {} {threshold} ({} needed)",
            eval.breaching,
            eval.considered,
            config.comparison_operator.symbol(),
            config.datapoints_to_alarm
        ),
    }
}
