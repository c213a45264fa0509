//! `points.csv`: one row per parameter point, the mean and 95% interval of each figure over
//! the point's seeds, computed from the rows of `results.csv` (so a merged sweep gives the
//! same bytes as an unsharded one).
//!
//! Columns: `point` (from 1, in grid order), one `parameter_<key>` per swept key, `runs`, then
//! for each figure of `results.csv` `<figure>_mean`, `<figure>_ci95_low`, `<figure>_ci95_high`
//! (Student's t interval, see [`super::stats`]; empty with a single seed).

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

use super::SweepError;
use super::figures::{Format, push_value};
use super::results::PARAMETER_PREFIX;
use super::stats::{Estimate, estimate};

/// Name of the per-point file.
pub const POINTS_FILE: &str = "points.csv";

/// The estimates of the figures asked for, of one point.
#[derive(Debug, Clone, PartialEq)]
pub struct PointStat {
    /// The point's number, from 1.
    pub point: u64,
    /// Its parameter values as written.
    pub params: Vec<String>,
    /// Runs (seeds) it has.
    pub runs: usize,
    /// One estimate per kept figure (see [`Points::kept`]); `None` without values.
    pub figures: Vec<Option<Estimate>>,
}

/// What [`write_points`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct Points {
    /// The swept keys.
    pub keys: Vec<String>,
    /// The figures kept in [`PointStat::figures`], in that order.
    pub kept: Vec<String>,
    /// Every point, in order.
    pub stats: Vec<PointStat>,
}

impl Points {
    /// The estimate of figure `name` at `stat`, if kept and present.
    pub fn get(&self, stat: &PointStat, name: &str) -> Option<Estimate> {
        let i = self.kept.iter().position(|k| k == name)?;
        stat.figures[i]
    }
}

/// The format of a figure column by its name: costs end in `_usd`.
fn format_of(name: &str) -> Format {
    if name.ends_with("_usd") {
        Format::Cost
    } else {
        Format::Quantity
    }
}

/// Reads `results` (rows in run order, `seeds` runs per point), writes `points` atomically,
/// and returns the estimates of the figures named in `keep`.
///
/// # Errors
///
/// [`SweepError::Input`] when `results` is not a results file; [`SweepError::Failed`] when a
/// file cannot be read or written.
pub fn write_points(
    results: &Path,
    points: &Path,
    seeds: u64,
    keep: &[&str],
) -> Result<Points, SweepError> {
    let read_err = |e: csv::Error| SweepError::Input(format!("{}: {e}", results.display()));
    let file = File::open(results).map_err(|e| SweepError::io("cannot read", results, e))?;
    let mut reader = csv::Reader::from_reader(BufReader::new(file));
    let layout = Layout::of(reader.headers().map_err(read_err)?, results)?;
    let kept_at: Vec<Option<usize>> = keep
        .iter()
        .map(|k| layout.figures.iter().position(|f| f == k))
        .collect();
    let mut out = Vec::new();
    crate::report::with_temp_file(points, |temp| {
        let file = BufWriter::new(temp);
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(file);
        w.write_record(layout.points_header())?;
        let mut group = Group::default();
        for record in reader.records() {
            let record = record.map_err(|e| std::io::Error::other(read_err(e)))?;
            let run: u64 = record.get(0).and_then(|r| r.parse().ok()).unwrap_or(0);
            let point = run.saturating_sub(1) / seeds.max(1) + 1;
            if group.point != point && group.runs > 0 {
                out.push(group.flush(&mut w, &layout.figures, &kept_at)?);
            }
            group.add(point, &record, layout.seed_at, layout.figures.len());
        }
        if group.runs > 0 {
            out.push(group.flush(&mut w, &layout.figures, &kept_at)?);
        }
        let mut file = w.into_inner().map_err(|e| e.into_error())?;
        file.flush()
    })
    .map_err(|e| SweepError::io("cannot write", points, e))?;
    Ok(Points {
        keys: layout.keys,
        kept: keep.iter().map(|k| k.to_string()).collect(),
        stats: out,
    })
}

/// The columns of a `results.csv`.
#[derive(Debug)]
struct Layout {
    /// The swept keys.
    keys: Vec<String>,
    /// Where the `seed` column is.
    seed_at: usize,
    /// The figure columns after it.
    figures: Vec<String>,
}

impl Layout {
    fn of(header: &csv::StringRecord, results: &Path) -> Result<Self, SweepError> {
        let seed_at = header
            .iter()
            .position(|h| h == "seed")
            .ok_or_else(|| SweepError::Input(format!("{}: no seed column", results.display())))?;
        let keys = header
            .iter()
            .take(seed_at)
            .skip(1)
            .map(|h| h.strip_prefix(PARAMETER_PREFIX).unwrap_or(h).to_string())
            .collect();
        let figures = header
            .iter()
            .skip(seed_at + 1)
            .map(str::to_string)
            .collect();
        Ok(Self {
            keys,
            seed_at,
            figures,
        })
    }

    /// The header of `points.csv`.
    fn points_header(&self) -> Vec<String> {
        let mut head = vec!["point".to_string()];
        head.extend(self.keys.iter().map(|k| format!("{PARAMETER_PREFIX}{k}")));
        head.push("runs".to_string());
        for f in &self.figures {
            head.extend([
                format!("{f}_mean"),
                format!("{f}_ci95_low"),
                format!("{f}_ci95_high"),
            ]);
        }
        head
    }
}

/// The rows of one point, as they are read.
#[derive(Debug, Default)]
struct Group {
    point: u64,
    params: Vec<String>,
    runs: usize,
    values: Vec<Vec<f64>>,
}

impl Group {
    fn add(&mut self, point: u64, record: &csv::StringRecord, seed_at: usize, figures: usize) {
        if self.runs == 0 {
            self.point = point;
            self.params = record
                .iter()
                .take(seed_at)
                .skip(1)
                .map(str::to_string)
                .collect();
            self.values = vec![Vec::new(); figures];
        }
        self.runs += 1;
        for (i, cell) in record.iter().skip(seed_at + 1).take(figures).enumerate() {
            if let Ok(x) = cell.parse::<f64>() {
                self.values[i].push(x);
            }
        }
    }

    /// Writes the point's row and returns its kept estimates; the group is then empty.
    fn flush<W: std::io::Write>(
        &mut self,
        w: &mut csv::Writer<W>,
        figures: &[String],
        kept_at: &[Option<usize>],
    ) -> std::io::Result<PointStat> {
        let estimates: Vec<Option<Estimate>> = self.values.iter().map(|v| estimate(v)).collect();
        let mut cell = Vec::with_capacity(24);
        w.write_field(self.point.to_string())?;
        for p in &self.params {
            w.write_field(p)?;
        }
        w.write_field(self.runs.to_string())?;
        for (name, e) in figures.iter().zip(&estimates) {
            let format = format_of(name);
            let (mean, interval) = match e {
                Some(e) => (Some(e.mean), e.interval),
                None => (None, None),
            };
            for x in [mean, interval.map(|i| i.0), interval.map(|i| i.1)] {
                cell.clear();
                if let Some(x) = x {
                    push_value(&mut cell, format, x);
                }
                w.write_field(&cell)?;
            }
        }
        w.write_record(None::<&[u8]>)?;
        let stat = PointStat {
            point: self.point,
            params: std::mem::take(&mut self.params),
            runs: self.runs,
            figures: kept_at
                .iter()
                .map(|at| at.and_then(|i| estimates[i]))
                .collect(),
        };
        self.runs = 0;
        Ok(stat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_average_their_seeds() {
        let dir = tempfile::tempdir().unwrap();
        let results = dir.path().join("results.csv");
        std::fs::write(
            &results,
            "run,parameter_a,seed,cost_usd,x\n1,1,1,1.000000,2\n2,1,2,3.000000,4\n3,2,1,5.000000,\n4,2,2,5.000000,6\n",
        )
        .unwrap();
        let path = dir.path().join(POINTS_FILE);
        let p = write_points(&results, &path, 2, &["cost_usd", "x", "nope"]).unwrap();
        assert_eq!(p.keys, ["a"]);
        assert_eq!(p.stats.len(), 2);
        assert_eq!(p.stats[0].params, ["1"]);
        let cost = p.get(&p.stats[0], "cost_usd").unwrap();
        assert_eq!((cost.n, cost.mean), (2, 2.0));
        assert_eq!(p.get(&p.stats[1], "x").unwrap().n, 1);
        assert_eq!(p.get(&p.stats[1], "nope"), None);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next().unwrap(),
            "point,parameter_a,runs,cost_usd_mean,cost_usd_ci95_low,cost_usd_ci95_high,x_mean,x_ci95_low,x_ci95_high"
        );
        // 1 and 3: mean 2, s = √2, half-width t(1) · √2 / √2 = 12.7062047; x likewise around 3.
        assert_eq!(
            lines.next().unwrap(),
            "1,1,2,2.000000,-10.706205,14.706205,3,-9.7062,15.7062"
        );
        assert_eq!(
            lines.next().unwrap(),
            "2,2,2,5.000000,5.000000,5.000000,6,,"
        );
    }
}
