//! The capacity plot: what it shows, on the SVG backend and as a PNG.

use std::time::Instant;

use plotters::prelude::*;

use crate::report::plot::unit_of;
use crate::report::plot_data::TimeUnit;
use crate::report::plot_title::{human_duration, summary_line};
use crate::report::{CAPACITY_PLOT_SIZE, capacity_png, capacity_svg, draw_capacity, timeline_csv};
use crate::run::RunOutput;

use super::fixtures::{diurnal, empty, with_incidents};

fn svg_of(output: &RunOutput) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, CAPACITY_PLOT_SIZE).into_drawing_area();
        draw_capacity(root, output).unwrap();
    }
    svg
}

#[test]
fn the_svg_has_its_axes_and_legend() {
    let svg = svg_of(&diurnal(24, 60, true));
    for text in [
        "diurnal-demo: capacity, load and CPU",
        "seed 7",
        "capacity [instances]",
        "load [req/s]",
        "CPU [%]",
        "time, as --explain prints it",
        // Ticks of a day every two hours, in the --explain clock.
        "06:00",
        "d1 00:00",
        "desired capacity",
        "in service",
        "pending",
        "min / max size",
        "forecast",
        "scale-out",
        "scale-in",
        "HighCPU in ALARM",
        "LowCPU in ALARM",
        "served",
        "dropped",
        "average CPU (right axis)",
    ] {
        assert!(svg.contains(text), "the SVG lacks {text:?}");
    }
    assert_eq!(capacity_svg(&diurnal(24, 60, true)).unwrap(), svg);
}

/// What only runs with failures, replacements, a warm pool or scripted episodes draw: legend
/// entries and span labels.
const INCIDENT_TEXTS: [&str; 10] = [
    "unhealthy (not serving)",
    "warm pool",
    "health replacement",
    "max lifetime replacement",
    "refresh replacement",
    "AZ rebalancing",
    "launch to restore desired",
    "us-east-1a down",
    "instance refresh to c5.xlarge",
    "checkpoint 50%: pause",
];

/// How many SVG elements are filled with `colour` (`#RRGGBB`) at `opacity`.
fn filled(svg: &str, colour: &str, opacity: &str) -> usize {
    svg.matches(&format!(r#"opacity="{opacity}" fill="{colour}""#))
        .count()
}

#[test]
fn failures_replacements_the_warm_pool_and_episodes_are_drawn_and_named() {
    let output = with_incidents(diurnal(6, 60, false));
    let svg = svg_of(&output);
    for text in INCIDENT_TEXTS {
        let expected = text != "launch to restore desired";
        assert_eq!(svg.contains(text), expected, "{text:?}");
    }
    assert_eq!(svg_of(&output), svg, "same input, same bytes");
    // The unhealthy band and its legend swatch.
    assert_eq!(filled(&svg, "#D62728", "0.6"), 2);
    // One health-replacement diamond per distinct time, and the legend's.
    assert_eq!(filled(&svg, "#A50F15", "1"), 3);
    // One rebalancing circle and the legend's.
    assert_eq!(filled(&svg, "#6A3D9A", "1"), 2);
}

#[test]
fn a_run_without_them_draws_none_of_them() {
    let svg = svg_of(&diurnal(24, 60, true));
    for text in INCIDENT_TEXTS {
        assert!(!svg.contains(text), "the SVG has {text:?}");
    }
    assert_eq!(filled(&svg, "#D62728", "0.6"), 0);
    assert_eq!(filled(&svg, "#A50F15", "1"), 0);
}

#[test]
fn marks_tell_decisions_from_replacements() {
    use crate::records::{ActivityOrigin as O, Episode, EpisodeKind};
    use crate::report::plot_marks::{MarkBuilder, MarkKind};
    use crate::report::plot_spans::episode_spans;
    let mut output = empty();
    let mut activity = diurnal(1, 60, false).records.activities[0].clone();
    activity.instance_id = Some("i-00000001".into());
    output.records.activities = [
        (3_600, (3, 3), O::HealthReplacement),
        (3_600, (3, 3), O::HealthReplacement),
        (3_600, (3, 4), O::Scaling),
        (7_200, (4, 4), O::AzRebalance),
        (9_000, (4, 2), O::Scaling),
    ]
    .into_iter()
    .map(|(time_s, (before, after), origin)| {
        let mut a = activity.clone();
        (a.time_ms, a.desired_before, a.desired_after, a.origin) =
            (time_s * 1_000, before, after, origin);
        a
    })
    .collect();
    let mut marks = MarkBuilder::new(3 * 3_600_000);
    for activity in &output.records.activities {
        marks.push(activity);
    }
    assert_eq!(
        marks.finish(TimeUnit::Hours),
        [
            (MarkKind::ScaleOut, vec![(1.0, 4.0)]),
            (MarkKind::ScaleIn, vec![(2.5, 2.0)]),
            (MarkKind::HealthReplacement, vec![(1.0, 3.0)]),
            (MarkKind::AzRebalance, vec![(2.0, 4.0)]),
        ]
    );
    let episode = |start_s: u64, end_s: u64, label: &str| Episode {
        kind: EpisodeKind::AzOutage,
        start_ms: start_s * 1_000,
        end_ms: end_s * 1_000,
        label: label.into(),
    };
    output.records.episodes = vec![episode(7_200, 18_000, "b"), episode(3_600, 5_400, "a")];
    let spans = episode_spans(&output.records.episodes, TimeUnit::Hours, 3.0);
    let ends: Vec<_> = spans
        .iter()
        .map(|s| (s.start, s.end, s.label.as_str()))
        .collect();
    assert_eq!(
        ends,
        [(1.0, 1.5, "a"), (2.0, 3.0, "b")],
        "sorted, clipped to the axis"
    );
}

#[test]
fn an_empty_timeline_draws() {
    let svg = svg_of(&empty());
    assert!(svg.contains("capacity [instances]"));
    assert!(!svg.contains(">scale-out<"));
}

#[test]
fn a_one_row_timeline_draws() {
    let mut output = diurnal(0, 60, false);
    assert_eq!(output.records.timeline.len(), 1);
    output.summary.duration_s = 0.0;
    svg_of(&output);
}

#[test]
fn a_small_canvas_draws() {
    let output = diurnal(6, 60, false);
    let mut svg = String::new();
    let root = SVGBackend::with_string(&mut svg, (300, 200)).into_drawing_area();
    draw_capacity(root, &output).unwrap();
}

#[test]
fn a_year_of_minutes_draws_in_days_and_stays_small() {
    let output = with_incidents(diurnal(365 * 24, 60, true));
    assert_eq!(output.records.timeline.len(), 525_601);
    assert_eq!(unit_of(&output), TimeUnit::Days);
    let started = Instant::now();
    let svg = capacity_svg(&output).unwrap();
    let plotted = started.elapsed();
    let started = Instant::now();
    let csv = timeline_csv(&output);
    let serialized = started.elapsed();
    eprintln!(
        "a year of 60 s rows: SVG {} bytes in {plotted:?}; timeline.csv {} bytes in {serialized:?}",
        svg.len(),
        csv.len()
    );
    let ticks = ["d0", "d30", "d60", "d360"].map(|t| format!("\n{t}\n"));
    assert!(ticks.iter().all(|t| svg.contains(t.as_str())), "day ticks");
    assert!(svg.contains("us-east-1a down") && svg.contains("warm pool"));
    assert!(svg.len() < 2_000_000, "the SVG has {} bytes", svg.len());
}

#[test]
fn the_png_is_a_png() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("capacity.png");
    capacity_png(&diurnal(24, 60, false), &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn the_summary_line_reads_well() {
    let output = diurnal(24, 60, false);
    let line = summary_line(&output.summary);
    assert!(
        line.starts_with("seed 7  ·  1d simulated  ·  cost $"),
        "{line}"
    );
    assert!(line.contains("% of the time)"), "{line}");
    assert_eq!(human_duration(0.0), "0s");
    assert_eq!(human_duration(750.0), "12m 30s");
    assert_eq!(human_duration(7_200.0), "2h");
    assert_eq!(human_duration(90_000.0), "1d 1h");
}

/// Writes the plots of realistic runs to `ASGSIM_PLOT_DIR` to look at them.
#[test]
#[ignore = "writes files for a person to look at"]
fn write_sample_plots() {
    let dir = std::env::var("ASGSIM_PLOT_DIR").unwrap_or_else(|_| "/tmp/asgsim-plots".into());
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    for (name, output) in [
        ("six-hours", diurnal(6, 60, false)),
        ("day", diurnal(24, 60, false)),
        ("day-forecast", diurnal(24, 60, true)),
        ("week", diurnal(7 * 24, 60, false)),
        ("year", diurnal(365 * 24, 60, false)),
        ("six-hours-incidents", with_incidents(diurnal(6, 60, false))),
        (
            "year-incidents",
            with_incidents(diurnal(365 * 24, 60, false)),
        ),
        ("empty", empty()),
    ] {
        capacity_png(&output, &dir.join(format!("{name}.png"))).unwrap();
        std::fs::write(
            dir.join(format!("{name}.svg")),
            capacity_svg(&output).unwrap(),
        )
        .unwrap();
    }
}

/// Times every part of writing a year of 60 s rows (run it with `--release`).
#[test]
#[ignore = "a timing, meaningful in release builds only"]
fn time_a_year_of_minutes() {
    use crate::report::{activities_csv, instances_csv, write_run};
    let output = diurnal(365 * 24, 60, true);
    let time = |name: &str, f: &mut dyn FnMut() -> usize| {
        let started = Instant::now();
        let size = f();
        eprintln!("{name}: {size} bytes in {:?}", started.elapsed());
    };
    time("timeline.csv", &mut || timeline_csv(&output).len());
    time("activities.csv", &mut || activities_csv(&output).len());
    time("instances.csv", &mut || instances_csv(&output).len());
    time("capacity.svg", &mut || capacity_svg(&output).unwrap().len());
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("capacity.png");
    time("capacity.png", &mut || {
        capacity_png(&output, &png).unwrap();
        std::fs::metadata(&png).unwrap().len() as usize
    });
    time("write_run (all six)", &mut || {
        write_run(dir.path(), &output).unwrap().len()
    });
}
