//! Series on one time grid: the period they share, the time window, and the gaps.

use super::read::Series;
use crate::import::ImportError;
use crate::time::format_duration;
use crate::trace::format_iso_ms;

/// The period of a set of series \[ms\]: the shortest gap between two datapoints of any
/// series; every series must have it (CloudWatch never mixes periods in one query), and every
/// datapoint must lie on one grid of it.
pub(crate) fn common_period(series: &[Series], files: &str) -> Result<i64, ImportError> {
    let mut found: Option<(i64, &Series)> = None;
    for s in series {
        let Some(p) = s.points.windows(2).map(|w| w[1].0 - w[0].0).min() else {
            continue;
        };
        match found {
            None => found = Some((p, s)),
            Some((q, other)) if q != p => {
                return Err(ImportError::file(
                    files,
                    format!(
                        "mixed periods: series {} has datapoints every {} and series {} every {}; export every metric with the same --period (60 for one minute)",
                        other.display_name(),
                        period_text(q),
                        s.display_name(),
                        period_text(p)
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    let Some((period, _)) = found else {
        return Err(ImportError::file(
            files,
            "no series has two datapoints, so the period cannot be told; export a longer time range",
        ));
    };
    let anchor = series
        .iter()
        .find_map(|s| s.points.first())
        .map_or(0, |p| p.0);
    for s in series {
        if let Some(&(t, _)) = s.points.iter().find(|p| (p.0 - anchor) % period != 0) {
            return Err(ImportError::file(
                files,
                format!(
                    "series {} has a datapoint at {}, off the {} grid of the others (which has {}); export every metric with the same --period and start time",
                    s.display_name(),
                    format_iso_ms(t),
                    period_text(period),
                    format_iso_ms(anchor)
                ),
            ));
        }
    }
    Ok(period)
}

/// `60 s`, `5m`.
pub(crate) fn period_text(ms: i64) -> String {
    format_duration(ms.unsigned_abs())
}

/// Keeps the datapoints in `[from, to)`.
pub(crate) fn window(series: &mut [Series], from: Option<i64>, to: Option<i64>) {
    for s in series {
        s.points
            .retain(|&(t, _)| from.is_none_or(|f| t >= f) && to.is_none_or(|end| t < end));
    }
}

/// A run of periods with no datapoint in one series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gap {
    /// The first missing period \[ms since the Unix epoch\].
    pub(crate) from_ms: i64,
    /// How many periods are missing.
    pub(crate) periods: u64,
}

/// One series laid on the grid `start + i × period`, `rows` long: its values where it has
/// datapoints, and its gaps. Missing values are filled by `fill` (given the last value before,
/// if any).
pub(crate) fn lay_on_grid(
    series: &Series,
    start_ms: i64,
    period_ms: i64,
    rows: usize,
    fill: impl Fn(Option<f64>) -> f64,
) -> (Vec<f64>, Vec<Gap>) {
    let mut values: Vec<Option<f64>> = vec![None; rows];
    for &(t, v) in &series.points {
        let i = (t - start_ms) / period_ms;
        if let Some(slot) = usize::try_from(i).ok().and_then(|i| values.get_mut(i)) {
            *slot = Some(v);
        }
    }
    let mut gaps: Vec<Gap> = Vec::new();
    for (i, v) in values.iter().enumerate() {
        if v.is_some() {
            continue;
        }
        let t = start_ms + i as i64 * period_ms;
        match gaps.last_mut() {
            Some(g) if g.from_ms + g.periods as i64 * period_ms == t => g.periods += 1,
            _ => gaps.push(Gap {
                from_ms: t,
                periods: 1,
            }),
        }
    }
    // A leading gap takes the first value there is, so it does not start from nothing.
    let first = values.iter().flatten().next().copied();
    let mut last = None;
    let filled = values
        .into_iter()
        .map(|v| match v {
            Some(v) => {
                last = Some(v);
                v
            }
            None => fill(last.or(first)),
        })
        .collect();
    (filled, gaps)
}

/// The gaps of a series in words, the first few with their times.
pub(crate) fn describe_gaps(gaps: &[Gap], period_ms: i64) -> String {
    const SHOWN: usize = 5;
    let total: u64 = gaps.iter().map(|g| g.periods).sum();
    let mut parts: Vec<String> = gaps
        .iter()
        .take(SHOWN)
        .map(|g| {
            let last = g.from_ms + (g.periods as i64 - 1) * period_ms;
            if g.periods == 1 {
                format_iso_ms(g.from_ms)
            } else {
                format!(
                    "{} to {} ({} periods)",
                    format_iso_ms(g.from_ms),
                    format_iso_ms(last),
                    g.periods
                )
            }
        })
        .collect();
    if gaps.len() > SHOWN {
        parts.push(format!("and {} more", gaps.len() - SHOWN));
    }
    format!(
        "{total} period(s) without a datapoint in {} gap(s): {}",
        gaps.len(),
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(id: &str, times_min: &[i64]) -> Series {
        Series {
            id: id.to_string(),
            label: None,
            statistic: None,
            points: times_min.iter().map(|t| (t * 60_000, *t as f64)).collect(),
            origin: "x".to_string(),
        }
    }

    #[test]
    fn the_period_is_the_shortest_gap_and_must_be_shared() {
        let a = series("a", &[0, 1, 2, 5]);
        let b = series("b", &[3]);
        assert_eq!(common_period(&[a.clone(), b], "f").unwrap(), 60_000);
        let c = series("c", &[0, 5, 10]);
        let e = common_period(&[a.clone(), c], "f").unwrap_err();
        assert!(
            e.message
                .contains("mixed periods: series a has datapoints every 1m and series c every 5m"),
            "{e}"
        );
        let mut d = series("d", &[0, 1]);
        d.points[1].0 += 30_000;
        let e = common_period(&[a, d], "f").unwrap_err();
        assert!(
            e.message.contains("mixed periods") || e.message.contains("off the"),
            "{e}"
        );
    }

    #[test]
    fn gaps_are_found_and_filled() {
        let s = series("a", &[1, 2, 5]);
        let (values, gaps) = lay_on_grid(&s, 0, 60_000, 7, |last| last.unwrap_or(0.0));
        assert_eq!(values, [1.0, 1.0, 2.0, 2.0, 2.0, 5.0, 5.0]);
        assert_eq!(
            gaps,
            [
                Gap {
                    from_ms: 0,
                    periods: 1
                },
                Gap {
                    from_ms: 180_000,
                    periods: 2
                },
                Gap {
                    from_ms: 360_000,
                    periods: 1
                }
            ]
        );
        let text = describe_gaps(&gaps, 60_000);
        assert!(text.starts_with("4 period(s) without a datapoint in 3 gap(s): 1970-01-01T00:00:00Z, 1970-01-01T00:03:00Z to 1970-01-01T00:04:00Z (2 periods)"), "{text}");
    }
}
