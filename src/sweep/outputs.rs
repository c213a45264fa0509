//! What a whole sweep writes after `results.csv`, all computed from that file: `points.csv`,
//! `best.json` (with an objective) and the plots. `asgsim merge` calls the same code, so a
//! merged sweep writes the same bytes.

use std::path::{Path, PathBuf};

use super::SweepError;
use super::manifest::Manifest;
use super::objective::{BEST_FILE, Best, Objective};
use super::plots::{Cell, HeatMap, PLOT_SIZE, Pareto, save};
use super::points::{POINTS_FILE, Points, write_points};

/// Name of the per-run file.
pub const RESULTS_FILE: &str = "results.csv";
/// Stem of the heat map files (`.png`, `.svg`).
pub const HEATMAP_STEM: &str = "heatmap";
/// Stem of the cost-against-SLO files (`.png`, `.svg`).
pub const PARETO_STEM: &str = "pareto";

/// The figures every sweep summary reads.
const COST: &str = "cost_usd";
const SLO: &str = "slo_violation_pct";

/// Files written and the best point found.
#[derive(Debug, Clone)]
pub struct Written {
    /// The files, in the order written.
    pub files: Vec<PathBuf>,
    /// The best point, when there is an objective and a feasible point.
    pub best: Option<Best>,
}

/// Writes `points.csv`, `best.json` and (with `plots`) the plots of the `results.csv` in
/// `dir`.
///
/// # Errors
///
/// Those of reading `results.csv` and writing the files.
pub fn write(
    dir: &Path,
    manifest: &Manifest,
    objective: Option<&Objective>,
    plots: bool,
) -> Result<Written, SweepError> {
    let mut keep = vec![COST, SLO];
    if let Some(o) = objective {
        keep.extend(o.figures());
    }
    keep.dedup();
    let seeds = manifest.seeds.len() as u64;
    let points_path = dir.join(POINTS_FILE);
    let points = write_points(&dir.join(RESULTS_FILE), &points_path, seeds, &keep)?;
    let mut files = vec![points_path];
    let best = objective.and_then(|o| o.best(&points));
    if let Some(o) = objective {
        let path = dir.join(BEST_FILE);
        crate::report::write_atomic(&path, &o.best_json(&points, best.as_ref()))
            .map_err(|e| SweepError::io("cannot write", &path, e))?;
        files.push(path);
    }
    if !plots {
        return Ok(Written { files, best });
    }
    let subtitle = match objective {
        Some(o) => format!("objective {o}"),
        None => "no objective".to_string(),
    };
    if points.keys.len() == 2 {
        let heat = heat_map(
            &points,
            objective,
            best.as_ref().map(|b| b.point),
            &subtitle,
        );
        files.extend(save(&heat, dir, HEATMAP_STEM, PLOT_SIZE)?);
    }
    let pareto = Pareto {
        subtitle: format!(
            "{subtitle}; red: the Pareto front, labelled with point numbers; ringed: the best point"
        ),
        points: points
            .stats
            .iter()
            .filter_map(|s| {
                let cost = points.get(s, COST)?.mean;
                let slo = points.get(s, SLO)?.mean;
                Some((s.point, cost, slo))
            })
            .collect(),
        best: best.as_ref().map(|b| b.point),
    };
    files.extend(save(&pareto, dir, PARETO_STEM, PLOT_SIZE)?);
    Ok(Written { files, best })
}

/// The heat map of two swept keys: the objective's figure (cost without one).
fn heat_map(
    points: &Points,
    objective: Option<&Objective>,
    best: Option<u64>,
    subtitle: &str,
) -> HeatMap {
    let figure = objective.map_or(COST, |o| o.figure.as_str());
    let distinct = |i: usize| {
        let mut values: Vec<String> = Vec::new();
        for s in &points.stats {
            if !values.contains(&s.params[i]) {
                values.push(s.params[i].clone());
            }
        }
        values
    };
    let (rows, columns) = (distinct(0), distinct(1));
    let mut cells = vec![vec![None; columns.len()]; rows.len()];
    let mut best_cell = None;
    for s in &points.stats {
        let r = rows.iter().position(|v| *v == s.params[0]).unwrap_or(0);
        let c = columns.iter().position(|v| *v == s.params[1]).unwrap_or(0);
        if let Some(e) = points.get(s, figure) {
            let feasible = objective.is_none_or(|o| o.feasible(points, s));
            cells[r][c] = Some(Cell {
                value: e.mean,
                feasible,
            });
        }
        if Some(s.point) == best {
            best_cell = Some((r, c));
        }
    }
    HeatMap {
        title: format!("{figure}: mean over the seeds of each point"),
        subtitle: format!("{subtitle}; grey: conditions not met; outlined: the best point"),
        rows: (points.keys[0].clone(), rows),
        columns: (points.keys[1].clone(), columns),
        cells,
        best: best_cell,
    }
}
