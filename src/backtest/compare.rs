//! The model against the group: capacity minute by minute, decision by decision, and the
//! first moment they part.

use serde::Serialize;

use super::actual::Decision;
use crate::time::Clock;

/// One period of `backtest.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// End of the period, when the capacities are read \[ms since t = 0\] (CloudWatch stamps
    /// the period with its start, `time_ms` − the period).
    pub time_ms: u64,
    /// The group's desired capacity, when CloudWatch has it \[instances\].
    pub desired_actual: Option<f64>,
    /// The model's \[instances\].
    pub desired_simulated: u32,
    /// The group's InService count, when CloudWatch has it \[instances\].
    pub in_service_actual: Option<f64>,
    /// The model's \[instances\].
    pub in_service_simulated: u32,
}

/// Capacity figures over the periods where both sides have a value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CapacityFit {
    /// Periods compared.
    pub periods_compared: usize,
    /// Mean |actual − simulated| desired capacity \[instances\].
    pub capacity_mae: f64,
    /// Share of periods where desired capacity is the same \[%\].
    pub capacity_match_pct: f64,
    /// Mean |actual − simulated| InService count \[instances\].
    pub in_service_mae: f64,
    /// Share of periods where the InService count is the same \[%\].
    pub in_service_match_pct: f64,
}

/// Compares the rows' capacities.
pub fn capacity_fit(rows: &[Row]) -> CapacityFit {
    let pairs = |f: &dyn Fn(&Row) -> Option<(f64, f64)>| -> (usize, f64, f64) {
        let (mut n, mut abs, mut same) = (0usize, 0.0, 0usize);
        for (a, s) in rows.iter().filter_map(f) {
            n += 1;
            abs += (a - s).abs();
            same += usize::from((a - s).abs() < 0.5);
        }
        let mae = if n > 0 { abs / n as f64 } else { 0.0 };
        let pct = if n > 0 {
            100.0 * same as f64 / n as f64
        } else {
            0.0
        };
        (n, mae, pct)
    };
    let (n, capacity_mae, capacity_match_pct) = pairs(&|r| {
        r.desired_actual
            .map(|a| (a, f64::from(r.desired_simulated)))
    });
    let (_, in_service_mae, in_service_match_pct) = pairs(&|r| {
        r.in_service_actual
            .map(|a| (a, f64::from(r.in_service_simulated)))
    });
    CapacityFit {
        periods_compared: n,
        capacity_mae: round4(capacity_mae),
        capacity_match_pct: round4(capacity_match_pct),
        in_service_mae: round4(in_service_mae),
        in_service_match_pct: round4(in_service_match_pct),
    }
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// A decision as `backtest.json` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionEntry {
    /// When \[s since t = 0\].
    pub time_s: f64,
    /// Desired before \[instances\].
    pub from: u32,
    /// Desired after \[instances\].
    pub to: u32,
    /// What set it going, in words.
    pub trigger: String,
}

impl DecisionEntry {
    fn of(d: &Decision) -> Self {
        DecisionEntry {
            time_s: d.time_ms as f64 / 1000.0,
            from: d.before,
            to: d.after,
            trigger: d.trigger.describe(),
        }
    }

    /// `07:08:00 3 → 5 by alarm HighCPU → policy scale-out`.
    pub fn sentence(&self) -> String {
        format!(
            "{} {} → {} by {}",
            clock(self.time_s),
            self.from,
            self.to,
            self.trigger
        )
    }
}

fn clock(time_s: f64) -> String {
    if time_s < 0.0 {
        format!("−{}", Clock((-time_s * 1000.0) as u64))
    } else {
        Clock((time_s * 1000.0) as u64).to_string()
    }
}

/// A real decision and the model's that matched it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// The group's decision.
    pub actual: DecisionEntry,
    /// The model's.
    pub simulated: DecisionEntry,
    /// Simulated minus actual time \[s\].
    pub lag_s: f64,
    /// Simulated minus actual change of desired capacity \[instances\].
    pub size_difference: i64,
}

/// The decisions of both sides, matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionFit {
    /// Pairs, in the group's order.
    pub matched: Vec<Match>,
    /// The group's decisions the model did not take.
    pub missed: Vec<DecisionEntry>,
    /// The model's decisions the group did not take.
    pub added: Vec<DecisionEntry>,
}

/// Matches each real decision to the nearest unmatched simulated one in the same direction
/// within `window_ms`, in time order.
pub fn match_decisions(actual: &[Decision], simulated: &[Decision], window_ms: i64) -> DecisionFit {
    let mut used = vec![false; simulated.len()];
    let mut matched = Vec::new();
    let mut missed = Vec::new();
    for a in actual {
        let best = simulated
            .iter()
            .enumerate()
            .filter(|(i, s)| {
                !used[*i]
                    && s.direction() == a.direction()
                    && (s.time_ms - a.time_ms).abs() <= window_ms
            })
            .min_by_key(|(_, s)| ((s.time_ms - a.time_ms).abs(), s.time_ms));
        match best {
            Some((i, s)) => {
                used[i] = true;
                let size = |d: &Decision| i64::from(d.after) - i64::from(d.before);
                matched.push(Match {
                    actual: DecisionEntry::of(a),
                    simulated: DecisionEntry::of(s),
                    lag_s: (s.time_ms - a.time_ms) as f64 / 1000.0,
                    size_difference: size(s) - size(a),
                });
            }
            None => missed.push(DecisionEntry::of(a)),
        }
    }
    let added = simulated
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(s, _)| DecisionEntry::of(s))
        .collect();
    DecisionFit {
        matched,
        missed,
        added,
    }
}

/// The first period where desired capacity differs, and what caused it: the latest decision
/// up to the end of that period that one side took and the other did not (or took otherwise).
pub fn first_divergence(rows: &[Row], fit: &DecisionFit) -> Option<(f64, String)> {
    let row = rows.iter().find(|r| {
        r.desired_actual
            .is_some_and(|a| (a - f64::from(r.desired_simulated)).abs() >= 0.5)
    })?;
    let until_s = row.time_ms as f64 / 1000.0;
    let why = divergence_causes(fit)
        .into_iter()
        .filter(|(t, _)| *t <= until_s)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or_else(
            || "no decision explains it (the capacities differed from the start)".to_string(),
            |(_, w)| w,
        );
    let time_s = row.time_ms as f64 / 1000.0;
    let text = format!(
        "at {} desired capacity differs (actual {}, simulated {}): {why}",
        clock(time_s),
        row.desired_actual.unwrap_or_default(),
        row.desired_simulated
    );
    Some((time_s, text))
}

/// Every decision that could make the two capacities differ, with its time [s since t = 0]
/// and a sentence: the group's missed ones, the model's added ones, and matched pairs that
/// differ in time or size. In this order, which settles a tie between equal times (the
/// latest listed wins).
fn divergence_causes(fit: &DecisionFit) -> Vec<(f64, String)> {
    let mut causes: Vec<(f64, String)> = Vec::new();
    for d in &fit.missed {
        causes.push((
            d.time_s,
            format!(
                "the group scaled {} → {} at {} ({}), which the model did not",
                d.from,
                d.to,
                clock(d.time_s),
                d.trigger
            ),
        ));
    }
    for d in &fit.added {
        causes.push((
            d.time_s,
            format!(
                "the model scaled {} → {} at {} ({}), which the group did not",
                d.from,
                d.to,
                clock(d.time_s),
                d.trigger
            ),
        ));
    }
    for m in fit
        .matched
        .iter()
        .filter(|m| m.lag_s != 0.0 || m.size_difference != 0)
    {
        causes.push((
            m.actual.time_s.min(m.simulated.time_s),
            format!(
                "the group scaled {} → {} at {} ({}) and the model {} → {} at {} ({})",
                m.actual.from,
                m.actual.to,
                clock(m.actual.time_s),
                m.actual.trigger,
                m.simulated.from,
                m.simulated.to,
                clock(m.simulated.time_s),
                m.simulated.trigger
            ),
        ));
    }
    causes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws_json::cause::Trigger;

    fn d(t_min: i64, before: u32, after: u32) -> Decision {
        Decision {
            time_ms: t_min * 60_000,
            before,
            after,
            trigger: Trigger::Alarm {
                alarm: "High".into(),
                policy: "out".into(),
            },
        }
    }

    #[test]
    fn decisions_match_in_direction_within_the_window() {
        let actual = [d(10, 2, 4), d(30, 4, 3), d(50, 3, 5)];
        let simulated = [d(12, 2, 3), d(31, 3, 2), d(200, 2, 4)];
        let fit = match_decisions(&actual, &simulated, 10 * 60_000);
        assert_eq!(fit.matched.len(), 2);
        assert_eq!(fit.matched[0].lag_s, 120.0);
        assert_eq!(fit.matched[0].size_difference, -1);
        assert_eq!(fit.missed.len(), 1);
        assert_eq!(fit.missed[0].time_s, 3000.0);
        assert_eq!(fit.added.len(), 1);
        assert_eq!(fit.added[0].time_s, 12000.0);
    }

    #[test]
    fn the_first_divergence_names_its_decision() {
        let rows: Vec<Row> = (0..5)
            .map(|i| Row {
                time_ms: i * 60_000,
                desired_actual: Some(if i >= 2 { 4.0 } else { 2.0 }),
                desired_simulated: 2,
                in_service_actual: None,
                in_service_simulated: 2,
            })
            .collect();
        let fit = match_decisions(&[d(2, 2, 4)], &[], 600_000);
        let (t, text) = first_divergence(&rows, &fit).unwrap();
        assert_eq!(t, 120.0);
        assert!(text.contains("actual 4, simulated 2"), "{text}");
        assert!(text.contains("the group scaled 2 → 4 at 00:02:00 (alarm High → policy out), which the model did not"), "{text}");
        let fit_c = capacity_fit(&rows);
        assert_eq!(
            (
                fit_c.periods_compared,
                fit_c.capacity_mae,
                fit_c.capacity_match_pct
            ),
            (5, 1.2, 40.0)
        );
    }
}
