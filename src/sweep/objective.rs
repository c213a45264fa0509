//! The objective of a sweep: which point is best.
//!
//! ```text
//! objective  := direction ":" figure \[ "where" condition { "and" condition } \]
//! direction  := "min" | "max"
//! condition  := figure ( "<=" | "<" | ">=" | ">" ) number
//! figure     := a figure column of results.csv (cost_usd, slo_violation_pct,
//!               elasticity_accuracy_under, elastic_speedup_fixed, ...)
//! ```
//!
//! For example `min:cost_usd where slo_violation_pct <= 1` is "lowest cost with SLO violation
//! at most 1% of the time". Each point is judged by the means over its seeds: the points whose
//! means meet every condition are feasible, and the best is the feasible point with the lowest
//! (`min`) or highest (`max`) mean of the figure; on a tie, the first in grid order.

use std::fmt;

use serde_json::{Value, json};

use super::figures::{self, columns};
use super::points::{PointStat, Points};
use super::stats::Estimate;

/// Name of the best-point file.
pub const BEST_FILE: &str = "best.json";

/// Lowest or highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The lowest mean wins.
    Min,
    /// The highest mean wins.
    Max,
}

/// A comparison of a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `<=`
    Le,
    /// `<`
    Lt,
    /// `>=`
    Ge,
    /// `>`
    Gt,
}

impl Op {
    fn holds(self, x: f64, limit: f64) -> bool {
        match self {
            Self::Le => x <= limit,
            Self::Lt => x < limit,
            Self::Ge => x >= limit,
            Self::Gt => x > limit,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Self::Le => "<=",
            Self::Lt => "<",
            Self::Ge => ">=",
            Self::Gt => ">",
        }
    }
}

/// One `where` condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The figure.
    pub figure: String,
    /// The comparison.
    pub op: Op,
    /// The limit.
    pub limit: f64,
}

/// A parsed objective.
#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    /// Lowest or highest.
    pub direction: Direction,
    /// The figure to optimise.
    pub figure: String,
    /// Conditions every candidate must meet.
    pub conditions: Vec<Condition>,
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = match self.direction {
            Direction::Min => "min",
            Direction::Max => "max",
        };
        write!(f, "{dir}:{}", self.figure)?;
        for (i, c) in self.conditions.iter().enumerate() {
            let word = if i == 0 { "where" } else { "and" };
            write!(f, " {word} {} {} {}", c.figure, c.op.symbol(), c.limit)?;
        }
        Ok(())
    }
}

/// A figure name, checked, with a suggestion when unknown.
fn figure(name: &str) -> Result<String, String> {
    if figures::column(name).is_some() {
        return Ok(name.to_string());
    }
    let names: Vec<&str> = columns().map(|c| c.name).collect();
    let close = crate::suggest::did_you_mean(name, &names)
        .map(|d| format!("\n{d}"))
        .unwrap_or_default();
    Err(format!(
        "`{name}` is not a figure of results.csv{close}\nthe figures are {}",
        names.join(", ")
    ))
}

impl Objective {
    /// Parses `min:figure [where figure op number \[and ...\]]`.
    ///
    /// # Errors
    ///
    /// What is wrong, with the grammar.
    pub fn parse(text: &str) -> Result<Self, String> {
        let grammar = "write min:FIGURE or max:FIGURE, optionally followed by `where FIGURE <= NUMBER and ...`, such as \"min:cost_usd where slo_violation_pct <= 1\"";
        let (head, rest) = text
            .split_once(':')
            .ok_or_else(|| format!("`{text}`: {grammar}"))?;
        let direction = match head.trim() {
            "min" => Direction::Min,
            "max" => Direction::Max,
            other => return Err(format!("`{other}` is not min or max; {grammar}")),
        };
        let (name, conditions) = match rest.split_once(" where ") {
            Some((name, conditions)) => (name, Some(conditions)),
            None => (rest, None),
        };
        let conditions = match conditions {
            None => Vec::new(),
            Some(text) => text
                .split(" and ")
                .map(condition)
                .collect::<Result<Vec<_>, _>>()?,
        };
        Ok(Self {
            direction,
            figure: figure(name.trim())?,
            conditions,
        })
    }

    /// The figures the objective reads.
    pub fn figures(&self) -> Vec<&str> {
        let mut names = vec![self.figure.as_str()];
        names.extend(self.conditions.iter().map(|c| c.figure.as_str()));
        names
    }

    /// Whether `stat` meets every condition.
    pub fn feasible(&self, points: &Points, stat: &PointStat) -> bool {
        self.conditions.iter().all(|c| {
            points
                .get(stat, &c.figure)
                .is_some_and(|e| c.op.holds(e.mean, c.limit))
        })
    }

    /// The best feasible point of `points`, if any.
    pub fn best(&self, points: &Points) -> Option<Best> {
        let mut best: Option<(&PointStat, Estimate)> = None;
        for stat in &points.stats {
            let Some(e) = points.get(stat, &self.figure) else {
                continue;
            };
            if !self.feasible(points, stat) || e.mean.is_nan() {
                continue;
            }
            let better = match (best, self.direction) {
                (None, _) => true,
                (Some((_, b)), Direction::Min) => e.mean < b.mean,
                (Some((_, b)), Direction::Max) => e.mean > b.mean,
            };
            if better {
                best = Some((stat, e));
            }
        }
        best.map(|(stat, estimate)| Best {
            point: stat.point,
            parameters: points
                .keys
                .iter()
                .cloned()
                .zip(stat.params.iter().cloned())
                .collect(),
            runs: stat.runs,
            estimate,
            conditions: self
                .conditions
                .iter()
                .map(|c| (c.figure.clone(), points.get(stat, &c.figure)))
                .collect(),
        })
    }

    /// The contents of `best.json`.
    pub fn best_json(&self, points: &Points, best: Option<&Best>) -> Vec<u8> {
        let estimate = |e: Option<Estimate>| match e {
            Some(e) => json!({"mean": e.mean, "ci95": e.interval.map(|(lo, hi)| [lo, hi])}),
            None => Value::Null,
        };
        let feasible = points
            .stats
            .iter()
            .filter(|s| self.feasible(points, s))
            .count();
        let best = best.map(|b| {
            let parameters: Vec<Value> = b
                .parameters
                .iter()
                .map(|(k, v)| json!({"key": k, "value": v}))
                .collect();
            let conditions: Vec<Value> = self
                .conditions
                .iter()
                .zip(&b.conditions)
                .map(|(c, (_, e))| {
                    json!({"figure": c.figure, "op": c.op.symbol(), "limit": c.limit, "estimate": estimate(*e)})
                })
                .collect();
            json!({
                "point": b.point,
                "parameters": parameters,
                "runs": b.runs,
                "figure": self.figure,
                "estimate": estimate(Some(b.estimate)),
                "conditions": conditions,
            })
        });
        let doc = json!({
            "objective": self.to_string(),
            "points": points.stats.len(),
            "feasible_points": feasible,
            "best": best,
        });
        crate::report::json::pretty(doc)
    }
}

/// `figure op number`.
fn condition(text: &str) -> Result<Condition, String> {
    let text = text.trim();
    let ops = [
        ("<=", Op::Le),
        ("≤", Op::Le),
        (">=", Op::Ge),
        ("≥", Op::Ge),
        ("<", Op::Lt),
        (">", Op::Gt),
    ];
    let (at, symbol, op) = ops
        .iter()
        .filter_map(|(s, op)| text.find(s).map(|at| (at, *s, *op)))
        .min_by_key(|(at, s, _)| (*at, std::cmp::Reverse(s.len())))
        .ok_or_else(|| {
            format!("`{text}` is not a condition; write FIGURE <= NUMBER (or <, >=, >)")
        })?;
    let name = text[..at].trim();
    let number = text[at + symbol.len()..].trim();
    let limit: f64 = number
        .parse()
        .map_err(|_| format!("`{number}` in `{text}` is not a number"))?;
    Ok(Condition {
        figure: figure(name)?,
        op,
        limit,
    })
}

/// The best point of an objective.
#[derive(Debug, Clone, PartialEq)]
pub struct Best {
    /// Its number, from 1.
    pub point: u64,
    /// (key, value as written) of each swept key.
    pub parameters: Vec<(String, String)>,
    /// Its runs.
    pub runs: usize,
    /// The objective figure over its seeds.
    pub estimate: Estimate,
    /// Each condition's figure over its seeds.
    pub conditions: Vec<(String, Option<Estimate>)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::stats::estimate;

    #[test]
    fn objectives_parse_and_print() {
        let o = Objective::parse("min:cost_usd where slo_violation_pct<=1").unwrap();
        assert_eq!(o.direction, Direction::Min);
        assert_eq!(o.figure, "cost_usd");
        assert_eq!(o.conditions[0].op, Op::Le);
        assert_eq!(o.to_string(), "min:cost_usd where slo_violation_pct <= 1");
        let o = Objective::parse(
            "max : elastic_speedup_fixed where requests_dropped_pct < 0.5 and cost_usd >= 2",
        )
        .unwrap();
        assert_eq!(o.conditions.len(), 2);
        assert_eq!(
            o.figures(),
            ["elastic_speedup_fixed", "requests_dropped_pct", "cost_usd"]
        );
        let e = Objective::parse("min:cots_usd").unwrap_err();
        assert!(e.contains("did you mean cost_usd?"), "{e}");
        let e = Objective::parse("min:cost").unwrap_err();
        assert!(e.contains("did you mean cost_usd?"), "{e}");
        assert!(
            Objective::parse("cost_usd")
                .unwrap_err()
                .contains("write min:FIGURE")
        );
        assert!(
            Objective::parse("low:cost_usd")
                .unwrap_err()
                .contains("not min or max")
        );
        let e = Objective::parse("min:cost_usd where slo_violation_pct = 1").unwrap_err();
        assert!(e.contains("not a condition"), "{e}");
        let e = Objective::parse("min:cost_usd where slo_violation_pct <= x").unwrap_err();
        assert!(e.contains("not a number"), "{e}");
    }

    #[test]
    fn the_best_feasible_point_wins_and_ties_go_to_the_first() {
        let stat = |point, cost: &[f64], slo: &[f64]| PointStat {
            point,
            params: vec![point.to_string()],
            runs: cost.len(),
            figures: vec![estimate(cost), estimate(slo)],
        };
        let points = Points {
            keys: vec!["k".into()],
            kept: vec!["cost_usd".into(), "slo_violation_pct".into()],
            stats: vec![
                stat(1, &[1.0, 1.0], &[5.0, 5.0]),
                stat(2, &[2.0, 2.0], &[0.5, 1.0]),
                stat(3, &[2.0, 2.0], &[0.0, 0.0]),
                stat(4, &[3.0, 3.0], &[0.0, 0.0]),
            ],
        };
        let o = Objective::parse("min:cost_usd where slo_violation_pct <= 1").unwrap();
        let best = o.best(&points).unwrap();
        assert_eq!(best.point, 2);
        assert_eq!(best.parameters, [("k".to_string(), "2".to_string())]);
        let json = String::from_utf8(o.best_json(&points, Some(&best))).unwrap();
        assert!(json.contains("\"feasible_points\": 3"), "{json}");
        assert!(json.contains("\"point\": 2"), "{json}");
        let none = Objective::parse("min:cost_usd where slo_violation_pct < 0").unwrap();
        assert_eq!(none.best(&points), None);
        let max = Objective::parse("max:cost_usd").unwrap();
        assert_eq!(max.best(&points).unwrap().point, 4);
    }
}
