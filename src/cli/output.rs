//! What the commands print, and how: tables of figures, lines about files, severities.
//!
//! Results (a run's summary, the comparison table) go to stdout; with `--json` stdout holds
//! the JSON alone and the notes (files written, run counts) go to stderr; `-q` leaves only
//! what was asked for (`--json`, `--explain`), warnings and errors.

use std::path::{Path, PathBuf};

use super::CliError;
use crate::records::Summary;
use crate::sweep::{Best, Objective};

/// How the commands print: quietly or not, with colours on stderr or not, JSON or text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ui {
    /// `-q`: no results in words, no notes.
    pub(super) quiet: bool,
    /// Colour `error:` and `warning:` on stderr.
    pub(super) colour: bool,
    /// `--json`: stdout is the JSON alone.
    pub(super) json: bool,
}

impl Ui {
    /// The result in words: stdout, unless quiet or JSON.
    pub(super) fn results(&self, lines: Vec<String>) -> Result<(), CliError> {
        if self.quiet || self.json {
            return Ok(());
        }
        print_lines(lines.into_iter())
    }

    /// Notes about what was done: stdout, stderr under `--json`, nothing when quiet.
    pub(super) fn notes(&self, lines: Vec<String>) -> Result<(), CliError> {
        if self.quiet {
            return Ok(());
        }
        if self.json {
            lines.iter().for_each(|l| eprintln!("{l}"));
            return Ok(());
        }
        print_lines(lines.into_iter())
    }

    /// JSON bytes on stdout.
    pub(super) fn json_out(&self, bytes: &[u8]) -> Result<(), CliError> {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        match out.write_all(bytes).and_then(|()| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(anyhow::Error::from(e).context("writing to stdout").into())
            }
            _ => Ok(()),
        }
    }

    /// A warning on stderr, its first line in the editors' form when it has a position.
    pub(super) fn warn(&self, text: &str) {
        eprintln!("{}", severity_lines(text, "warning", self.colour));
    }
}

/// `wrote a.csv, b.csv to DIR`.
pub(super) fn wrote_line(files: &[PathBuf], dir: &Path) -> String {
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            f.file_name().map_or_else(
                || f.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    format!("wrote {} to {}", names.join(", "), dir.display())
}

/// The best point of an objective, in words.
pub(super) fn best_lines(best: Option<&(Objective, Option<Best>)>) -> Vec<String> {
    let Some((objective, best)) = best else {
        return Vec::new();
    };
    let Some(b) = best else {
        return vec![format!(
            "objective {objective}: no point meets its conditions"
        )];
    };
    let params: Vec<String> = b
        .parameters
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    let estimate = |name: &str, e: &crate::sweep::stats::Estimate| match e.interval {
        Some((lo, hi)) => format!("{name} {:.4} (95% CI {lo:.4} to {hi:.4})", e.mean),
        None => format!("{name} {:.4}", e.mean),
    };
    let mut parts = vec![estimate(&objective.figure, &b.estimate)];
    for (name, e) in &b.conditions {
        if let Some(e) = e {
            parts.push(estimate(name, e));
        }
    }
    vec![
        format!(
            "best for {objective}: point {} ({})",
            b.point,
            params.join(", ")
        ),
        format!("  {} over {} seeds", parts.join(", "), b.runs),
    ]
}

/// Marks every line that starts a problem with `severity`: after its position when it has
/// one in the editors' form (`FILE:LINE:COL: error: …`, the form gcc and rustc print, which
/// editors and CI annotations jump to), else before it. Indented lines are the fixes of the
/// problem above and stay as they are; a position's message is split into its first line
/// and its fixes.
pub(super) fn severity_lines(text: &str, severity: &str, colour: bool) -> String {
    let label = match (colour, severity) {
        (false, _) => format!("{severity}:"),
        (true, "error") => format!("\x1b[1;31m{severity}:\x1b[0m"),
        (true, _) => format!("\x1b[1;33m{severity}:\x1b[0m"),
    };
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with(' ') || line.is_empty() {
            out.push(line.to_string());
            continue;
        }
        out.push(match crate::diagnostic::position_prefix(line) {
            Some(end) => {
                crate::diagnostic::indent(&format!("{}{label} ", &line[..end]), &line[end..])
            }
            None => format!("{label} {line}"),
        });
    }
    out.join("\n")
}

/// Prints lines to stdout; a closed pipe (`| head`) ends printing quietly, as success.
pub(super) fn print_lines(lines: impl Iterator<Item = String>) -> Result<(), CliError> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in lines {
        if let Err(e) = writeln!(out, "{line}") {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(());
            }
            return Err(anyhow::Error::from(e).context("writing to stdout").into());
        }
    }
    Ok(())
}

pub(super) fn summary_lines(s: &Summary) -> Vec<String> {
    let first = format!(
        "{} (seed {}): {:.1} h simulated, cost ${:.2}, {:.1} instance-hours, in service mean {:.2} / max {}",
        s.scenario,
        s.seed,
        s.duration_s / 3600.0,
        s.cost_usd,
        s.instance_hours,
        s.mean_in_service,
        s.max_in_service
    );
    let dropped_pct = if s.requests_total > 0.0 {
        100.0 * s.requests_dropped / s.requests_total
    } else {
        0.0
    };
    let second = format!(
        "  scale-outs {}, scale-ins {}, requests {:.0} ({:.3}% dropped), SLO violated {:.0} s, CPU above {}% for {:.0} s",
        s.scale_out_activities,
        s.scale_in_activities,
        s.requests_total,
        dropped_pct,
        s.slo_violation_s,
        s.cpu_over.percent,
        s.cpu_over.seconds
    );
    vec![first, second]
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn severities_follow_positions() {
        let text =
            "a.toml:3:1: group.x: unknown key\n  did you mean y?\na.toml: --set z: bad; use 1";
        assert_eq!(
            severity_lines(text, "error", false),
            "a.toml:3:1: error: group.x: unknown key\n  did you mean y?\nerror: a.toml: --set z: bad; use 1"
        );
        assert_eq!(
            severity_lines(
                "t.csv:4:1: x \"a\" is not a number; write 12.5",
                "error",
                false
            ),
            "t.csv:4:1: error: x \"a\" is not a number\n  write 12.5"
        );
        assert_eq!(
            severity_lines("a:1:1: bad", "warning", true),
            "a:1:1: \x1b[1;33mwarning:\x1b[0m bad"
        );
    }
}
