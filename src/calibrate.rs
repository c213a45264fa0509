//! `asgsim calibrate`: fits the instance model's two guesses, `idle_cpu_percent` and
//! `capacity_rps`, from the group's CloudWatch metrics.
//!
//! The model's CPU of an instance that serves `x` requests/s is
//! `cpu = idle + (100 − idle) × x / capacity_rps` (README, "The model"): a line in `x`. So
//! with `x = requests / period / in_service` and `cpu` the group's average CPUUtilization of
//! each period, least squares gives the intercept `idle` and the slope `b`, and
//! `capacity_rps = (100 − idle) / b`. Periods with no instance in service, CPU saturated at
//! 100% (the line no longer holds), an InService count that changed during the period, or a
//! missing series are left out, and counted.

use std::path::{Path, PathBuf};

use crate::backtest::actual::is_series;
use crate::import::metrics::{Series, read_series_files};
use crate::import::{ImportError, read_text};

/// Fewest periods a fit is made from.
const MIN_POINTS: usize = 10;

/// CPU at or above this is taken as saturated \[%\].
const SATURATED_PERCENT: f64 = 99.5;

/// The fitted values and how good the fit is.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Intercept \[%\].
    pub idle_cpu_percent: f64,
    /// (100 − idle) / slope \[req/s\].
    pub capacity_rps: f64,
    /// Coefficient of determination.
    pub r_squared: f64,
    /// |residual| percentiles p50, p90, p99 \[percentage points\].
    pub residual_percentiles: [f64; 3],
    /// Periods used.
    pub points_used: usize,
    /// Periods seen.
    pub points_total: usize,
    /// Periods left out, with why.
    pub left_out: LeftOut,
}

/// What `asgsim calibrate` prints (and did).
#[derive(Debug, Clone)]
pub struct CalibrateOutcome {
    /// The fit.
    pub fit: Fit,
    /// Lines for stdout.
    pub lines: Vec<String>,
    /// Lines for stderr.
    pub warnings: Vec<String>,
}

/// Periods left out of a fit: (count, why).
pub type LeftOut = Vec<(usize, &'static str)>;

/// Points (x = requests/s per instance, cpu), the periods seen, and what was left out.
fn points(
    cpu: &Series,
    requests: &Series,
    in_service: &Series,
) -> (Vec<(f64, f64)>, usize, LeftOut) {
    let find = |s: &Series, t: i64| {
        s.points
            .binary_search_by_key(&t, |p| p.0)
            .ok()
            .map(|i| s.points[i].1)
    };
    let period_ms = requests
        .points
        .windows(2)
        .map(|w| w[1].0 - w[0].0)
        .min()
        .unwrap_or(60_000)
        .max(1);
    let mut times: Vec<i64> = cpu
        .points
        .iter()
        .chain(&requests.points)
        .chain(&in_service.points)
        .map(|p| p.0)
        .collect();
    times.sort_unstable();
    times.dedup();
    let (mut missing, mut empty, mut saturated, mut changed) = (0, 0, 0, 0);
    let mut out = Vec::new();
    for &t in &times {
        let (Some(c), Some(r), Some(n)) = (find(cpu, t), find(requests, t), find(in_service, t))
        else {
            missing += 1;
            continue;
        };
        if n < 0.5 {
            empty += 1;
        } else if c >= SATURATED_PERCENT {
            saturated += 1;
        } else if find(in_service, t - period_ms).is_some_and(|before| (before - n).abs() > 1e-9) {
            changed += 1;
        } else {
            out.push((r / (period_ms as f64 / 1000.0) / n, c));
        }
    }
    let left = vec![
        (saturated, "CPU saturated (≥ 99.5%)"),
        (empty, "no instance in service"),
        (changed, "the InService count changed in the period"),
        (missing, "a series has no datapoint"),
    ];
    (out, times.len(), left)
}

/// Least squares of cpu on x, with the refusals the data can call for.
pub fn fit(
    points: &[(f64, f64)],
    total: usize,
    left_out: Vec<(usize, &'static str)>,
) -> Result<Fit, String> {
    let n = points.len();
    if n < MIN_POINTS {
        return Err(format!(
            "only {n} usable periods (of {total}); a fit needs at least {MIN_POINTS}: export a longer time range"
        ));
    }
    let mean = |f: &dyn Fn(&(f64, f64)) -> f64| points.iter().map(f).sum::<f64>() / n as f64;
    let (mx, my) = (mean(&|p| p.0), mean(&|p| p.1));
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let syy: f64 = points.iter().map(|p| (p.1 - my).powi(2)).sum();
    if sxx <= 1e-12 * (1.0 + mx * mx) * n as f64 {
        return Err(format!(
            "the load per instance does not vary (always {mx:.3} requests/s): the slope of CPU over load cannot be told; use a time range with busier and quieter periods"
        ));
    }
    let slope = sxy / sxx;
    let idle = my - slope * mx;
    if slope <= 0.0 {
        return Err(format!(
            "CPU falls as the load per instance rises (slope {slope:.4} % per request/s): the metrics do not follow the model; check that CPUUtilization and RequestCount are of the same group"
        ));
    }
    if !(0.0..100.0).contains(&idle) {
        return Err(format!(
            "the fitted idle CPU is {idle:.2}%, outside 0–100: the metrics do not follow the model's straight line; check the series"
        ));
    }
    let mut residuals: Vec<f64> = points
        .iter()
        .map(|p| (p.1 - (idle + slope * p.0)).abs())
        .collect();
    residuals.sort_by(f64::total_cmp);
    let pct = |q: f64| residuals[((residuals.len() - 1) as f64 * q).round() as usize];
    let ss_res: f64 = residuals.iter().map(|r| r * r).sum();
    let r_squared = if syy > 0.0 { 1.0 - ss_res / syy } else { 1.0 };
    Ok(Fit {
        idle_cpu_percent: idle,
        capacity_rps: (100.0 - idle) / slope,
        r_squared,
        residual_percentiles: [pct(0.5), pct(0.9), pct(0.99)],
        points_used: n,
        points_total: total,
        left_out,
    })
}

/// Reads the metrics, fits, prints, and with `write` updates the scenario file.
///
/// # Errors
///
/// Unreadable files, missing series, data that cannot support a fit, a scenario that
/// cannot be written.
pub fn calibrate(
    scenario: &Path,
    metrics: &[PathBuf],
    write: bool,
) -> Result<CalibrateOutcome, ImportError> {
    let mut warnings = Vec::new();
    let (series, files) = read_series_files(metrics, &mut warnings)?;
    let cpu = required_series(&series, &["cpu"], "CPUUtilization", &files)?;
    let requests = required_series(&series, &["requests"], "RequestCount", &files)?;
    let in_service = required_series(&series, &["in_service"], "GroupInServiceInstances", &files)?;
    let (points, total, left_out) = points(cpu, requests, in_service);
    let fit = fit(&points, total, left_out)
        .map_err(|why| ImportError::file(&files, format!("cannot calibrate: {why}")))?;
    let (capacity, idle) = (round2(fit.capacity_rps), round2(fit.idle_cpu_percent));
    let mut lines = fit_lines(&fit, capacity, idle);
    if write {
        write_fit(scenario, capacity, idle, &fit)?;
        lines.push(format!(
            "wrote capacity_rps = {capacity} and idle_cpu_percent = {idle} to {}",
            scenario.display()
        ));
    } else {
        lines.push(format!(
            "--set launch_template.capacity_rps={capacity} --set launch_template.idle_cpu_percent={idle}"
        ));
    }
    Ok(CalibrateOutcome {
        fit,
        lines,
        warnings,
    })
}

/// The series of `metric` (or named by one of `ids`); an error naming the series there are
/// and the three to export, since the fit needs all of them.
fn required_series<'s>(
    series: &'s [Series],
    ids: &[&str],
    metric: &str,
    files: &str,
) -> Result<&'s Series, ImportError> {
    series.iter().find(|s| is_series(s, ids, metric)).ok_or_else(|| {
        let names: Vec<String> = series.iter().map(Series::display_name).collect();
        ImportError::file(files, format!("no {metric} series (the series are: {}); export CPUUtilization (Average), the load balancer's RequestCount (Sum) and GroupInServiceInstances with the same period", names.join(", ")))
    })
}

/// The lines that report the fit: its values (`capacity` [req/s] and `idle` [%], rounded as
/// they are written), how good it is, and the periods left out, if any.
fn fit_lines(fit: &Fit, capacity: f64, idle: f64) -> Vec<String> {
    let mut lines = vec![
        format!(
            "fit of {} periods (of {}): idle_cpu_percent {idle}, capacity_rps {capacity} requests/s per instance at 100% CPU",
            fit.points_used, fit.points_total
        ),
        format!(
            "R² {:.4}; |CPU − fit| p50 {:.2}, p90 {:.2}, p99 {:.2} percentage points",
            fit.r_squared,
            fit.residual_percentiles[0],
            fit.residual_percentiles[1],
            fit.residual_percentiles[2]
        ),
    ];
    let left: Vec<String> = fit
        .left_out
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, why)| format!("{n} ({why})"))
        .collect();
    if !left.is_empty() {
        lines.push(format!("left out: {}", left.join(", ")));
    }
    lines
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Sets `capacity_rps` and `idle_cpu_percent` in the `[launch_template]` table of the file,
/// line by line so that every comment stays, checks the result parses to those values, and
/// writes it atomically.
fn write_fit(scenario: &Path, capacity: f64, idle: f64, fit: &Fit) -> Result<(), ImportError> {
    let name = scenario.display().to_string();
    let text = read_text(scenario)?;
    let note = format!(
        "# fitted by asgsim calibrate from {} periods (R² {:.4})",
        fit.points_used, fit.r_squared
    );
    let updated = set_keys(
        &text,
        &[("capacity_rps", capacity), ("idle_cpu_percent", idle)],
        &note,
    )
    .map_err(|why| ImportError::file(&name, why))?;
    let parsed = crate::scenario::parse_scenario(&updated, scenario, &[]).map_err(|e| {
        ImportError::file(
            &name,
            format!("the updated scenario does not validate, so it was not written:\n{e}"),
        )
    })?;
    let template = &parsed.launch_template;
    if (template.capacity_rps - capacity).abs() > 1e-9
        || (template.idle_cpu_percent - idle).abs() > 1e-9
    {
        return Err(ImportError::file(
            &name,
            "the values could not be written in place (an override elsewhere?); set them with --set",
        ));
    }
    crate::report::write_atomic(scenario, updated.as_bytes())
        .map_err(|e| ImportError::file(&name, format!("cannot write: {e}")))
}

/// The text with each key of `[launch_template]` set (its line replaced, the comment after it
/// becoming `note`), or added after the table's header.
fn set_keys(text: &str, keys: &[(&str, f64)], note: &str) -> Result<String, String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header = lines
        .iter()
        .position(|l| l.trim_start().starts_with("[launch_template]"))
        .ok_or_else(|| {
            if text.contains("launch_template =") || text.contains("launch_template.") {
                "launch_template is written inline; write it as a [launch_template] table to use --write, or use the --set lines".to_string()
            } else {
                "the scenario has no [launch_template] table".to_string()
            }
        })?;
    let end = lines[header + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .map_or(lines.len(), |i| header + 1 + i);
    for (key, value) in keys {
        let line = format!("{key} = {value}  {note}");
        let found = (header + 1..end).find(|&i| {
            let t = lines[i].trim_start();
            t.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        });
        match found {
            Some(i) => lines[i] = line,
            None => lines.insert(header + 1, line),
        }
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_line_is_recovered_exactly() {
        let points: Vec<(f64, f64)> = (0..50)
            .map(|i| {
                let x = 5.0 + i as f64;
                (x, 4.0 + 96.0 * x / 80.0)
            })
            .collect();
        let f = fit(&points, 50, Vec::new()).unwrap();
        assert!(
            (f.capacity_rps - 80.0).abs() < 1e-9 && (f.idle_cpu_percent - 4.0).abs() < 1e-9,
            "{f:?}"
        );
        assert!((f.r_squared - 1.0).abs() < 1e-12);
    }

    #[test]
    fn flat_too_short_or_falling_data_is_refused_with_why() {
        let flat: Vec<(f64, f64)> = (0..50).map(|i| (10.0, 20.0 + (i % 3) as f64)).collect();
        assert!(
            fit(&flat, 50, Vec::new())
                .unwrap_err()
                .contains("does not vary")
        );
        let short: Vec<(f64, f64)> = (0..5).map(|i| (i as f64, i as f64)).collect();
        assert!(
            fit(&short, 5, Vec::new())
                .unwrap_err()
                .contains("only 5 usable periods")
        );
        let falling: Vec<(f64, f64)> = (0..50).map(|i| (i as f64, 90.0 - i as f64)).collect();
        assert!(
            fit(&falling, 50, Vec::new())
                .unwrap_err()
                .contains("CPU falls")
        );
    }

    #[test]
    fn keys_are_set_in_place_keeping_comments() {
        let text = "# top\n[launch_template]\ninstance_type = \"m5.large\"  # type\ncapacity_rps = 100.0  # asgsim default\n\n[load]\nscale = 1\n";
        let out = set_keys(
            text,
            &[("capacity_rps", 80.5), ("idle_cpu_percent", 3.25)],
            "# fitted",
        )
        .unwrap();
        assert_eq!(
            out,
            "# top\n[launch_template]\nidle_cpu_percent = 3.25  # fitted\ninstance_type = \"m5.large\"  # type\ncapacity_rps = 80.5  # fitted\n\n[load]\nscale = 1\n"
        );
        assert!(
            set_keys(
                "launch_template = { capacity_rps = 1 }\n",
                &[("capacity_rps", 2.0)],
                ""
            )
            .unwrap_err()
            .contains("inline")
        );
    }
}
