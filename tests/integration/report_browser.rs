//! `report.html` in a real headless browser (Debian's chromium through chromedriver): no
//! console errors, one mark per decision of activities.csv, a clicked sentence selects its mark,
//! one lane per instance of instances.csv; screenshots are saved for a person to look at.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{asgsim, repo_root, texts};
use crate::webdriver::Browser;

/// Scenarios whose reports are checked: each teaches something else.
const SCENARIOS: [&str; 6] = [
    "scenarios/seed-workflow.toml",
    "scenarios/scheduled-scaling.toml",
    "scenarios/target-tracking.toml",
    "scenarios/predictive-scaling.toml",
    "scenarios/elb-cascade.toml",
    "scenarios/warm-pool.toml",
];

/// Where the screenshots go: `target/report-screenshots/`.
fn screenshot_dir() -> PathBuf {
    let dir = repo_root().join("target").join("report-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a scenario into `out` and returns the report's file:// address.
fn run(scenario: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "run",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let result = asgsim(&repo_root(), &args);
    let (stdout, stderr) = texts(&result);
    assert!(result.status.success(), "{}: {stderr}", scenario.display());
    let url = stdout
        .lines()
        .find_map(|l| l.strip_prefix("report: "))
        .expect("run prints the report's address");
    assert!(
        url.starts_with("file:///") && url.ends_with("/report.html"),
        "{url}"
    );
    url.to_string()
}

/// Decisions in activities.csv: changes of desired capacity, one per run of consecutive rows
/// with the same time, cause and capacities.
fn decisions_in(activities: &Path) -> usize {
    let mut reader = csv::Reader::from_path(activities).unwrap();
    let mut last: Option<Vec<String>> = None;
    let mut count = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let key: Vec<String> = [0, 2, 3, 4]
            .iter()
            .map(|&i| record[i].to_string())
            .collect();
        if key[2] != key[3] && last.as_ref() != Some(&key) {
            count += 1;
        }
        last = Some(key);
    }
    count
}

/// Opens `url` and waits until the page's script has drawn it; returns how long that took.
fn open_and_wait(browser: &Browser, url: &str) -> Duration {
    let started = Instant::now();
    browser.open(url);
    let deadline = started + Duration::from_secs(60);
    loop {
        let ready = browser.run(
            "return document.body.getAttribute('data-ready');",
            json!([]),
        );
        if ready == json!("1") {
            return started.elapsed();
        }
        let errors = browser.run("return window.__asgsim.errors;", json!([]));
        assert_eq!(errors, json!([]), "{url}: the page's script failed");
        assert!(Instant::now() < deadline, "{url} never got ready");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn count(browser: &Browser, selector: &str) -> usize {
    let script = "return document.querySelectorAll(arguments[0]).length;";
    browser.run(script, json!([selector])).as_u64().unwrap() as usize
}

fn severe(entries: &[Value]) -> Vec<&Value> {
    entries.iter().filter(|e| e["level"] == "SEVERE").collect()
}

#[test]
#[ignore = "needs Debian's chromium and chromium-driver: run by .ci/run"]
fn reports_open_in_a_browser_with_linked_decisions_and_a_lane_per_instance() {
    let browser = Browser::start();
    let dir = tempfile::tempdir().unwrap();
    for scenario in SCENARIOS {
        let name = Path::new(scenario).file_stem().unwrap().to_str().unwrap();
        let out = dir.path().join(name);
        let url = run(&repo_root().join(scenario), &out, &[]);
        let took = open_and_wait(&browser, &url);
        let size = std::fs::metadata(out.join("report.html")).unwrap().len();
        eprintln!("{name}: report.html {size} bytes, ready in {took:?}");
        let errors = browser.run("return window.__asgsim.errors;", json!([]));
        assert_eq!(errors, json!([]), "{name}: script errors");
        assert!(
            severe(&browser.console()).is_empty(),
            "{name}: console errors"
        );
        assert_eq!(count(&browser, "[data-chart='capacity']"), 1, "{name}");
        let decisions = decisions_in(&out.join("activities.csv"));
        let marks = count(&browser, "[data-chart='capacity'] [data-decision]");
        assert_eq!(marks, decisions, "{name}: one mark per decision");
        assert_eq!(
            count(&browser, "#sentences [data-decision]"),
            decisions,
            "{name}: one sentence per decision"
        );
        let instances = csv::Reader::from_path(out.join("instances.csv"))
            .unwrap()
            .records()
            .count();
        assert_eq!(
            count(&browser, "[data-instance]"),
            instances,
            "{name}: one lane per instance"
        );
        if decisions > 0 {
            let n = decisions.div_ceil(2);
            browser.click(&format!("#sentences li[data-decision='{n}']"));
            let selected = browser.run(
                "return [...document.querySelectorAll('.selected')].map(e => e.tagName.toLowerCase() + ':' + e.getAttribute('data-decision'));",
                json!([]),
            );
            let mut selected: Vec<String> =
                serde_json::from_value(selected).expect("a list of selected elements");
            selected.sort();
            assert_eq!(
                selected,
                [format!("li:{n}"), format!("path:{n}")],
                "{name}: the sentence selects its mark"
            );
            // And back: a click on another mark selects its sentence.
            let other = if n > 1 { 1 } else { decisions };
            browser.run(
                "document.querySelector(`[data-chart='capacity'] [data-decision='${arguments[0]}']`).dispatchEvent(new MouseEvent('click', {bubbles: true}));",
                json!([other]),
            );
            let li = browser.run(
                "return document.querySelector('#sentences li.selected').getAttribute('data-decision');",
                json!([]),
            );
            assert_eq!(
                li,
                json!(other.to_string()),
                "{name}: the mark selects its sentence"
            );
        }
        // A live page redraws from new data: the same data drawn again gives the same page.
        let again = browser.run(
            "const d = JSON.parse(document.getElementById('data').textContent); window.asgsimReport.render(d, {keepView: true}); return [document.querySelectorAll(\"[data-chart='capacity'] [data-decision]\").length, document.querySelectorAll('[data-instance]').length, window.__asgsim.errors.length];",
            json!([]),
        );
        assert_eq!(
            again,
            json!([decisions, instances, 0]),
            "{name}: render(data) again"
        );
        let png = browser.screenshot();
        assert!(png.starts_with(b"\x89PNG"), "{name}: a PNG screenshot");
        let path = screenshot_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        eprintln!("{name}: screenshot {}", path.display());
    }
}

/// A year of one-minute rows: the report stays near 3 MB and opens promptly (measured and
/// printed, not asserted: the host may be shared).
#[test]
#[ignore = "needs Debian's chromium and chromium-driver: run by .ci/run"]
fn the_report_of_a_year_opens_in_a_browser() {
    let browser = Browser::start();
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo_root().join("benches/scenarios/peer-year.toml");
    let url = run(&scenario, dir.path(), &[]);
    let size = std::fs::metadata(dir.path().join("report.html"))
        .unwrap()
        .len();
    let took = open_and_wait(&browser, &url);
    eprintln!("a year: report.html {size} bytes, ready in {took:?}");
    let timings = browser.run(
        "const n = performance.getEntriesByType('navigation')[0]; return [window.__asgsim.timings, Math.round(n.responseEnd), Math.round(n.domInteractive), Math.round(n.loadEventEnd), Math.round(performance.now())];",
        json!([]),
    );
    eprintln!(
        "a year: the script's steps, then response end, DOM interactive, load end, now [ms]: {timings}"
    );
    assert!(size < 3_500_000, "the year's report has {size} bytes");
    assert!(severe(&browser.console()).is_empty(), "console errors");
    let decisions = decisions_in(&dir.path().join("activities.csv"));
    assert_eq!(
        count(&browser, "[data-chart='capacity'] [data-decision]"),
        decisions
    );
    // Zoomed to one day the chart still draws (full resolution of the counts).
    let zoom = browser.run(
        "const c = document.getElementById('chart'); const r = c.getBoundingClientRect(); for (let i = 0; i < 24; i++) c.dispatchEvent(new WheelEvent('wheel', {deltaY: -100, clientX: r.left + r.width / 2, clientY: r.top + 40, bubbles: true, cancelable: true})); return document.getElementById('range').textContent;",
        json!([]),
    );
    std::thread::sleep(Duration::from_millis(300));
    let zoomed = browser.run(
        "return document.getElementById('range').textContent;",
        json!([]),
    );
    eprintln!("a year, zoomed: {zoom} → {zoomed}");
    assert_ne!(zoom, zoomed, "the wheel zooms in");
    assert!(
        severe(&browser.console()).is_empty(),
        "console errors after zooming"
    );
    let png = browser.screenshot();
    std::fs::write(screenshot_dir().join("peer-year.png"), png).unwrap();
}
