//! `report.html`: one self-contained page a teacher can hand out.
//!
//! The page holds its styles, its script and the run's data inline (no network, no external
//! font): the capacity, load and CPU chart with zoom, pan and a hover read-out; a lane per
//! instance; alarm state strips; episode, cooldown and warm-up spans; the decisions as the
//! `--explain` sentences, linked both ways with the chart's marks; the summary figures and
//! the scenario's TOML. DESIGN.md's "Reports for people" fixes the attributes tests rely on:
//! `data-decision="N"` on a decision's sentence and mark, `data-instance="i-…"` on each lane,
//! `data-chart="capacity"` on the chart, `selected` on the selected decision.
//!
//! A `ReportBuilder` is fed as the run goes and keeps bounded data: counts (desired, in
//! service, pending…) as their change points, exact up to 20,000 changes a series; load, CPU
//! and latency as every row up to 12,000 rows, else the lowest and highest value of each of
//! 6,000 columns of the run (a year: one column per 88 minutes); alarm states as spans;
//! decisions, sentences and lanes up to caps that keep a year's page near 3 MB. The script
//! reduces what it draws to one column per pixel, so zooming shows the finest data kept.

mod decisions;
mod json;
mod lanes;

use crate::cloudwatch::AlarmState;
use crate::records::{
    Activity, ActivityOrigin, Episode, Explanation, InstanceRecord, Summary, TimelineRow,
};
use crate::run::{RunInfo, RunOutput};
use crate::time::SimTime;

use super::decimate::{SeriesBuilder, SeriesSet, SpanBuilder};
use super::plot_marks::MarkKind;
use decisions::DecisionLog;
use json::{array, key, number, opt_seconds, opt_string, seconds, string};
use lanes::LaneLog;

/// Name of the report file.
pub const REPORT_FILE: &str = "report.html";

/// Change points kept exactly per count series; beyond, columns (half as many).
const COUNT_BUDGET: usize = 20_000;
/// Rows of load, CPU and latency kept exactly; beyond, columns (half as many).
const RATE_BUDGET: usize = 12_000;
/// Alarm spans closer than this share of the run are merged.
const ALARM_MERGE_SHARE: f64 = 1.0 / 100_000.0;
/// Most marks of replacements (health, refresh, rebalancing…) kept.
const MAX_MARKS: usize = 20_000;

/// The count series, in the order of [`COUNT_NAMES`].
const COUNTS: usize = 10;
/// Their names in the page's data.
const COUNT_NAMES: [&str; COUNTS] = [
    "desired",
    "min",
    "max",
    "in_service",
    "pending",
    "terminating",
    "unhealthy",
    "warm_pool",
    "in_service_spot",
    "forecast",
];
/// The rate series, in the order of [`RATE_NAMES`].
const RATES: usize = 6;
/// Their names in the page's data.
const RATE_NAMES: [&str; RATES] = ["load", "served", "dropped", "cpu", "cpu_max", "latency"];

/// The page: template, styles and script, filled in by [`ReportBuilder::finish`].
const PAGE: &str = include_str!("page.html");
const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Gathers a run's report as the run goes (see the module docs).
#[derive(Debug)]
pub(crate) struct ReportBuilder {
    info: RunInfo,
    counts: Vec<SeriesBuilder>,
    last_counts: [Option<f64>; COUNTS],
    rates: SeriesSet<RATES>,
    alarms: Vec<[SpanBuilder; 2]>,
    decisions: DecisionLog,
    marks: Vec<(SimTime, MarkKind, u32)>,
    marks_omitted: usize,
    lanes: LaneLog,
    episodes: Vec<Episode>,
}

impl ReportBuilder {
    /// An empty report of a run of `info`.
    pub(crate) fn new(info: &RunInfo) -> Self {
        let span = info.duration_ms;
        let gap = (span as f64 * ALARM_MERGE_SHARE) as SimTime;
        Self {
            counts: (0..COUNTS)
                .map(|_| SeriesBuilder::new(span, COUNT_BUDGET, true))
                .collect(),
            last_counts: [None; COUNTS],
            rates: SeriesSet::new(span, RATE_BUDGET),
            alarms: (0..info.alarm_names.len())
                .map(|_| [SpanBuilder::new(gap), SpanBuilder::new(gap)])
                .collect(),
            decisions: DecisionLog::new(info.policies.clone()),
            marks: Vec::new(),
            marks_omitted: 0,
            lanes: LaneLog::new(info.az_names.clone()),
            episodes: Vec::new(),
            info: info.clone(),
        }
    }

    /// One timeline row (in time order).
    pub(crate) fn push_row(&mut self, row: &TimelineRow) {
        let t = row.time_ms;
        let counts = [
            Some(row.desired_capacity),
            Some(row.min_size),
            Some(row.max_size),
            Some(row.in_service),
            Some(row.pending),
            Some(row.terminating),
            Some(row.unhealthy),
            row.warm_pool,
            row.in_service_spot,
        ]
        .map(|n| n.map(f64::from));
        let values = counts.iter().copied().chain([row.forecast_capacity]);
        for (i, value) in values.enumerate() {
            // Change points only: a count holds until it changes.
            if let Some(v) = value
                && self.last_counts[i] != Some(v)
            {
                self.last_counts[i] = Some(v);
                self.counts[i].push(t, v);
            }
        }
        let missing = f64::NAN;
        self.rates.push(
            t,
            [
                row.load_rps,
                row.served_rps,
                row.dropped_rps,
                row.cpu_avg_percent.unwrap_or(missing),
                row.cpu_max_percent.unwrap_or(missing),
                row.latency_ms.unwrap_or(missing),
            ],
        );
        for (i, [alarm, insufficient]) in self.alarms.iter_mut().enumerate() {
            let state = row.alarm_states.get(i);
            alarm.push(t, state == Some(&AlarmState::Alarm));
            insufficient.push(t, state == Some(&AlarmState::InsufficientData));
        }
    }

    /// One activity (in time order).
    pub(crate) fn push_activity(&mut self, activity: &Activity) {
        self.decisions.push_activity(activity);
        self.lanes.push_activity(activity);
        let replacement = activity.desired_after == activity.desired_before
            && activity.instance_id.is_some()
            && activity.origin != ActivityOrigin::Scaling;
        if replacement && let Some(kind) = MarkKind::of_activity(activity) {
            let same = self
                .marks
                .last()
                .is_some_and(|&(t, k, _)| t == activity.time_ms && k == kind);
            if same {
                return;
            }
            if self.marks.len() < MAX_MARKS {
                self.marks
                    .push((activity.time_ms, kind, activity.desired_after));
            } else {
                self.marks_omitted += 1;
            }
        }
    }

    /// One scaling policy's decision record (in time order).
    pub(crate) fn push_decision(&mut self, decision: &crate::records::Decision) {
        self.decisions.push_decision(decision);
        // A simple policy held by its cooldown: the span from when it was told to its end.
        if let crate::records::Outcome::Cooldown(until_ms) = decision.outcome
            && self.episodes.len() < MAX_MARKS
        {
            self.episodes.push(Episode {
                kind: crate::records::EpisodeKind::Cooldown,
                start_ms: decision.time_ms,
                end_ms: until_ms,
                label: format!(
                    "{}: cooldown until {}",
                    decision.policy,
                    crate::time::Clock(until_ms)
                ),
            });
        }
    }

    /// One `--explain` sentence (in time order).
    pub(crate) fn push_explanation(&mut self, explanation: Explanation) {
        self.decisions.push_sentence(explanation);
    }

    /// One instance, when it has ended or the run has.
    pub(crate) fn push_instance(&mut self, record: &InstanceRecord) {
        self.lanes.push_instance(record);
    }

    /// One scripted episode (any order).
    pub(crate) fn push_episode(&mut self, episode: Episode) {
        self.episodes.push(episode);
    }

    /// The page, with the run's `summary` and `summary_json` (the bytes of `summary.json`).
    pub(crate) fn finish(self, summary: &Summary, summary_json: &[u8]) -> Vec<u8> {
        let data = self.data(summary_json);
        page(&summary.scenario, &data)
    }

    /// The page's data as JSON.
    fn data(self, summary_json: &[u8]) -> Vec<u8> {
        let info = &self.info;
        let mut b = Vec::with_capacity(1 << 20);
        b.push(b'{');
        key(&mut b, "name", true);
        string(&mut b, &info.name);
        key(&mut b, "duration_s", false);
        seconds(&mut b, info.duration_ms);
        key(&mut b, "interval_s", false);
        seconds(&mut b, info.sample_interval_ms);
        key(&mut b, "start", false);
        opt_string(&mut b, info.start_time.map(|t| t.to_string()).as_deref());
        let source = info.source.as_ref();
        key(&mut b, "file", false);
        opt_string(&mut b, source.map(|s| s.file.as_str()));
        key(&mut b, "toml", false);
        opt_string(&mut b, source.map(|s| s.text.as_str()));
        key(&mut b, "overrides", false);
        array(&mut b, source.map_or(&[][..], |s| &s.overrides), |b, o| {
            string(b, o)
        });
        key(&mut b, "summary", false);
        b.extend_from_slice(summary_json.trim_ascii_end());
        key(&mut b, "azs", false);
        array(&mut b, &info.az_names, |b, n| string(b, n));
        key(&mut b, "alarms", false);
        array(&mut b, &info.alarm_names, |b, n| string(b, n));
        key(&mut b, "counts", false);
        b.push(b'{');
        for (i, (name, series)) in COUNT_NAMES.iter().zip(&self.counts).enumerate() {
            key(&mut b, name, i == 0);
            if series.len() == 0 {
                b.extend_from_slice(b"null");
            } else {
                write_series(&mut b, series.set(), &[("v", 0)], info.duration_ms);
            }
        }
        b.push(b'}');
        key(&mut b, "rates", false);
        let rates: Vec<(&str, usize)> = RATE_NAMES.iter().copied().zip(0..).collect();
        write_series(&mut b, &self.rates, &rates, info.duration_ms);
        key(&mut b, "alarm_spans", false);
        array(&mut b, self.alarms, |b, [alarm, insufficient]| {
            b.push(b'[');
            write_spans(b, alarm.finish());
            b.push(b',');
            write_spans(b, insufficient.finish());
            b.push(b']');
        });
        let (decisions, sentences, decisions_omitted) = {
            let omitted = self.decisions.sentences_omitted;
            let (d, s, o) = self.decisions.finish();
            key(&mut b, "sentences_omitted", false);
            number(&mut b, omitted as f64);
            (d, s, o)
        };
        key(&mut b, "decisions", false);
        array(&mut b, &decisions, |b, d| {
            b.push(b'[');
            seconds(b, d.time_ms);
            for n in [d.desired_before, d.desired_after] {
                b.push(b',');
                number(b, f64::from(n));
            }
            b.push(b',');
            string(b, d.source.as_str());
            b.push(b']');
        });
        key(&mut b, "decisions_omitted", false);
        number(&mut b, decisions_omitted as f64);
        key(&mut b, "sentences", false);
        array(&mut b, &sentences, |b, s| {
            b.push(b'[');
            seconds(b, s.time_ms);
            b.push(b',');
            string(b, &s.text);
            b.push(b',');
            number(b, s.decision.unwrap_or(0) as f64);
            b.push(b']');
        });
        key(&mut b, "marks", false);
        array(&mut b, &self.marks, |b, &(t, kind, desired)| {
            b.push(b'[');
            seconds(b, t);
            b.push(b',');
            string(b, kind.label());
            b.push(b',');
            number(b, f64::from(desired));
            b.push(b']');
        });
        key(&mut b, "marks_omitted", false);
        number(&mut b, self.marks_omitted as f64);
        let (lanes, total) = self.lanes.finish();
        key(&mut b, "lanes", false);
        array(&mut b, &lanes, |b, (id, lane)| {
            b.push(b'[');
            string(b, id);
            b.push(b',');
            number(b, lane.az as f64);
            for t in [
                Some(lane.launch_ms),
                lane.in_service_ms,
                lane.terminating_ms,
                lane.terminated_ms,
            ] {
                b.push(b',');
                opt_seconds(b, t);
            }
            b.push(b',');
            opt_string(b, lane.reason);
            b.push(b',');
            b.extend_from_slice(if lane.unhealthy { b"1" } else { b"0" });
            b.push(b']');
        });
        key(&mut b, "lanes_total", false);
        number(&mut b, total as f64);
        key(&mut b, "episodes", false);
        let mut episodes = self.episodes;
        episodes.sort_by(|a, b| {
            (a.start_ms, a.end_ms, &a.label).cmp(&(b.start_ms, b.end_ms, &b.label))
        });
        array(&mut b, &episodes, |b, e| {
            b.push(b'[');
            string(b, e.kind.as_str());
            b.push(b',');
            seconds(b, e.start_ms);
            b.push(b',');
            seconds(b, e.end_ms);
            b.push(b',');
            string(b, &e.label);
            b.push(b']');
        });
        b.push(b'}');
        b
    }
}

/// The page of a whole in-memory `output` (no scenario text; decisions of alarm-triggered
/// policies are drawn as "other", the output not knowing the policies' kinds).
pub fn report_html(output: &RunOutput) -> Vec<u8> {
    render_report_html(output, &info_of(output)).into_bytes()
}

/// The report's data blob of an in-memory run: the JSON object the page's script draws
/// (`window.asgsimReport.render(data)`), as `report.html` embeds it. `info` gives what the
/// records do not: the scenario's text, its policies' kinds, the run's span.
pub fn report_data_json(output: &RunOutput, info: &RunInfo) -> String {
    let summary_json = super::summary_json(&output.summary);
    let data = builder_of(output, info).data(&summary_json);
    // The builder writes only UTF-8 (JSON text of Rust strings).
    String::from_utf8_lossy(&data).into_owned()
}

/// The whole `report.html` page of an in-memory run: the template with its styles, script
/// and [`report_data_json`] inline.
pub fn render_report_html(output: &RunOutput, info: &RunInfo) -> String {
    let data = report_data_json(output, info);
    String::from_utf8_lossy(&page(&output.summary.scenario, data.as_bytes())).into_owned()
}

/// The shape of an in-memory `output` as the writers see it, read back from its records.
pub fn info_of(output: &RunOutput) -> RunInfo {
    let rows = &output.records.timeline;
    let duration_ms = (output.summary.duration_s.max(0.0) * 1_000.0) as SimTime;
    RunInfo {
        name: output.summary.scenario.clone(),
        alarm_names: output.alarm_names.clone(),
        az_names: output.az_names.clone(),
        duration_ms: duration_ms.max(rows.last().map_or(0, |r| r.time_ms)),
        sample_interval_ms: match rows.as_slice() {
            [first, second, ..] => second.time_ms - first.time_ms,
            _ => 0,
        },
        forecast_possible: rows.iter().any(|r| r.forecast_capacity.is_some()),
        warm_pool: rows.iter().any(|r| r.warm_pool.is_some()),
        spot: rows.iter().any(|r| r.in_service_spot.is_some()),
        start_time: output.start_time,
        policies: Vec::new(),
        source: None,
    }
}

/// A report fed with every record of `output`.
fn builder_of(output: &RunOutput, info: &RunInfo) -> ReportBuilder {
    let mut report = ReportBuilder::new(info);
    for row in &output.records.timeline {
        report.push_row(row);
    }
    for activity in &output.records.activities {
        report.push_activity(activity);
    }
    for decision in &output.records.decisions {
        report.push_decision(decision);
    }
    for explanation in &output.records.explanations {
        report.push_explanation(explanation.clone());
    }
    for instance in &output.records.instances {
        report.push_instance(instance);
    }
    for episode in &output.records.episodes {
        report.push_episode(episode.clone());
    }
    report
}

/// The page: the template filled with the title, styles, `data` and script. The data goes
/// inside a `<script type="application/json">`; its strings hold no `<` (written `\u003c`),
/// so nothing in them can end the element.
fn page(scenario: &str, data: &[u8]) -> Vec<u8> {
    let title = html_escape(&format!("{scenario}: asgsim report"));
    let mut page = Vec::with_capacity(data.len() + PAGE.len() + STYLE.len() + SCRIPT.len());
    for (i, part) in PAGE.split("{{").enumerate() {
        if i == 0 {
            page.extend_from_slice(part.as_bytes());
            continue;
        }
        let (name, rest) = part.split_once("}}").unwrap_or(("", part));
        match name {
            "TITLE" => page.extend_from_slice(title.as_bytes()),
            "STYLE" => page.extend_from_slice(STYLE.as_bytes()),
            "DATA" => page.extend_from_slice(data),
            "SCRIPT" => page.extend_from_slice(SCRIPT.as_bytes()),
            _ => page.extend_from_slice(b"{{"),
        }
        page.extend_from_slice(rest.as_bytes());
    }
    page
}

/// A set of series sharing their times: `{"t":[…],"<name>":[…],…}` while exact, else
/// `{"col_s":W,"<name>":{"lo":[…],"hi":[…]},…}` with one value per column of W seconds.
fn write_series<const N: usize>(
    b: &mut Vec<u8>,
    set: &SeriesSet<N>,
    names: &[(&str, usize)],
    span_ms: SimTime,
) {
    b.push(b'{');
    if let Some(points) = set.exact() {
        key(b, "t", true);
        array(b, points, |b, (t, _)| seconds(b, *t));
        for &(name, index) in names {
            key(b, name, false);
            array(b, points, |b, (_, values)| number(b, values[index]));
        }
    } else {
        let (columns, _) = set.columns(0);
        key(b, "col_s", true);
        number(b, span_ms as f64 / 1_000.0 / columns.max(1) as f64);
        for &(name, index) in names {
            let (_, extremes) = set.columns(index);
            key(b, name, false);
            b.push(b'{');
            key(b, "lo", true);
            array(b, &extremes, |b, e| number(b, e.map_or(f64::NAN, |e| e.0)));
            key(b, "hi", false);
            array(b, &extremes, |b, e| number(b, e.map_or(f64::NAN, |e| e.1)));
            b.push(b'}');
        }
    }
    b.push(b'}');
}

/// `[start, end, start, end, …]` in seconds.
fn write_spans(b: &mut Vec<u8>, spans: Vec<(SimTime, SimTime)>) {
    array(b, spans.iter().flat_map(|&(a, z)| [a, z]), seconds);
}

/// Text for an HTML element or attribute.
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
