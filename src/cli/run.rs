//! `asgsim run`: the outputs written as the run goes, the size check before it starts, and the
//! way to the report (`file://` address, `--open`).

use std::path::Path;

use anyhow::Context;

use super::CliError;
use super::args::RunArgs;
use super::commands::load_inputs_with_text;
use super::output::{Ui, summary_lines};
use crate::report;
use crate::run::{Both, FullRecorder, RunInfo, RunOutput, ScenarioText, simulate_with};
use crate::time::format_duration;

pub(super) fn run(args: &RunArgs, ui: Ui) -> Result<(), CliError> {
    let (scenario, trace, text) = load_inputs_with_text(&args.scenario, args.seed, ui)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&scenario.name));
    let context = || format!("writing the outputs to {}", out_dir.display());
    let info = RunInfo {
        source: Some(ScenarioText {
            file: args.scenario.scenario.display().to_string(),
            text,
            overrides: args.scenario.overrides.clone(),
        }),
        ..RunInfo::of(&scenario)
    };
    check_timeline_size(&info, args.max_timeline_rows).map_err(|e| {
        CliError::input(anyhow::anyhow!("{}: {e}", args.scenario.scenario.display()))
    })?;
    // Sentences are printed as the run makes them, through one buffer: on stdout, or on
    // stderr when stdout holds the JSON.
    let explain: Option<Box<dyn std::io::Write>> = args.explain.then(|| {
        if ui.json {
            let err = std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr().lock());
            Box::new(err) as Box<dyn std::io::Write>
        } else {
            let out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
            Box::new(out) as Box<dyn std::io::Write>
        }
    });
    // The folder is held (created, checked, locked) before the simulation: a bad --out is
    // found at once, and two runs never write one folder. Until run.json is written last, the
    // folder says it holds an interrupted run.
    let held = hold_output_dir(&out_dir)?;
    report::begin_run_set(held.path()).with_context(context)?;
    let mut writer =
        report::RunWriter::create(held.path(), &info, explain).with_context(context)?;
    // The AWS JSON files read whole tables: only then are the records also kept in memory.
    let mut kept = FullRecorder::default();
    let summary = if args.cloudwatch_json {
        simulate_with(&scenario, &trace, seed, &mut Both(&mut writer, &mut kept))
    } else {
        simulate_with(&scenario, &trace, seed, &mut writer)
    };
    let mut written = writer.finish(&summary).with_context(context)?;
    if args.cloudwatch_json {
        let clock = crate::aws_json::RunClock {
            start_epoch_ms: scenario.start_time.as_millisecond(),
            interval_ms: scenario.sample_interval_ms,
        };
        let output = RunOutput {
            alarm_names: info.alarm_names.clone(),
            az_names: info.az_names.clone(),
            start_time: info.start_time,
            records: kept,
            summary: summary.clone(),
        };
        let files = crate::aws_json::write_aws_json(&out_dir, &output, clock, &scenario.name)
            .with_context(|| format!("writing the AWS JSON to {}", out_dir.display()))?;
        written.extend(files);
    }
    report::end_run_set(held.path(), &summary, &mut written).with_context(context)?;
    if ui.json {
        ui.json_out(&report::summary_json(&summary))?;
    }
    ui.results(summary_lines(&summary))?;
    let url = file_url(&out_dir.join(report::REPORT_FILE));
    let mut notes = vec![
        format!("wrote {} files to {}", written.len(), out_dir.display()),
        format!("report: {url}"),
    ];
    if args.open
        && let Err(e) = open_in_browser(&url)
    {
        notes.push(format!(
            "(could not open a browser: {e}; open the address above)"
        ));
    }
    ui.notes(notes)
}

/// Creates, checks and locks an output folder: exit 2 when it cannot be written (a bad
/// `--out`), 1 when another process holds it.
fn hold_output_dir(dir: &Path) -> Result<report::OutputDir, CliError> {
    report::OutputDir::prepare(dir).map_err(|e| match e {
        report::OutputDirError::Busy { .. } => anyhow::Error::from(e).into(),
        _ => CliError::input(e),
    })
}

/// Bytes of a `timeline.csv` row: the fixed columns, then each AZ count and alarm state (a
/// rough mean, for the message of [`check_timeline_size`]).
fn timeline_row_bytes(info: &RunInfo) -> u64 {
    56 + 3 * info.az_names.len() as u64 + 10 * info.alarm_names.len() as u64
}

/// Refuses, before anything runs, a timeline of more than `max_rows` rows, with the numbers,
/// a sample interval that fits and the flag that allows it.
fn check_timeline_size(info: &RunInfo, max_rows: u64) -> Result<(), String> {
    let rows = info.timeline_rows();
    if rows <= max_rows {
        return Ok(());
    }
    let gib = (rows * timeline_row_bytes(info)) as f64 / (1u64 << 30) as f64;
    let fitting_s = (info.duration_ms / max_rows.max(1)).div_ceil(1_000).max(1);
    let fitting = [60, 300, 900, 3_600, 86_400]
        .into_iter()
        .find(|&s| s >= fitting_s)
        .unwrap_or(fitting_s);
    let fitting_rows = 1 + info.duration_ms / (fitting * 1_000);
    Err(format!(
        "timeline.csv would have {rows} rows ({} at sample_interval = {}), about {gib:.1} GiB; \
         runs write at most {max_rows} rows unless asked: set a longer sample interval \
         (--set sample_interval={} gives {fitting_rows} rows) or allow it with \
         --max-timeline-rows {rows}",
        format_duration(info.duration_ms),
        format_duration(info.sample_interval_ms),
        format_duration(fitting * 1_000),
    ))
}

/// A `file://` address of `path`, absolute, with the characters a URL cannot hold escaped.
fn file_url(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut url = String::from("file://");
    for byte in absolute.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(char::from(byte));
            }
            _ => url.push_str(&format!("%{byte:02X}")),
        }
    }
    url
}

/// Hands `url` to the desktop's opener (`xdg-open`, `open`, or `start` on Windows) without
/// waiting for the browser.
fn open_in_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_url_escapes_what_a_url_cannot_hold() {
        let url = file_url(Path::new("/tmp/a b/ré.html"));
        assert_eq!(url, "file:///tmp/a%20b/r%C3%A9.html");
    }
}
