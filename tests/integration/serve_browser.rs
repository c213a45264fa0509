//! `asgsim serve` in a real browser (Debian's headless chromium through chromedriver): the
//! list of scenarios, a bundled scenario's report view, a threshold control moved, the
//! decisions and the chart redrawn, the address holding the override, a reload restoring the
//! same view, a bad value's message and the next change working, the comparison overlay.
//! Also prints the time from a control change to the redrawn chart (not asserted: the host
//! may be shared); with `ASGSIM_BIN` set to a release build, the figures of the README.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::serve::Serve;
use crate::webdriver::Browser;

/// What the view shows: the decisions' sentences, the chart's marks, the chart itself.
fn view(browser: &Browser) -> Value {
    browser.run(
        "return {
            sentences: [...document.querySelectorAll('#sentences li')].map(e => e.textContent),
            marks: document.querySelectorAll(\"[data-chart='capacity'] [data-decision]\").length,
            chart: document.querySelector(\"[data-chart='capacity']\").innerHTML,
            threshold: document.querySelector(\"[data-key='alarms.HighCPU.threshold']\").value,
        };",
        json!([]),
    )
}

/// Waits for the page to be drawn and the playground to be ready.
fn wait_ready(browser: &Browser) {
    wait(
        browser,
        "return document.body.getAttribute('data-ready') === '1' && !!(window.__asgsimPlay && window.__asgsimPlay.ready);",
    );
}

/// Waits until the run asked for by the last change has been drawn; its latency [ms].
fn wait_redrawn(browser: &Browser) -> f64 {
    wait(browser, "return window.__asgsimPlay.pending === false;");
    browser
        .run("return window.__asgsimPlay.lastMs;", json!([]))
        .as_f64()
        .unwrap_or(f64::NAN)
}

fn wait(browser: &Browser, condition: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while browser.run(condition, json!([])) != json!(true) {
        let errors = browser.run(
            "return window.__asgsim ? window.__asgsim.errors : [];",
            json!([]),
        );
        assert_eq!(errors, json!([]), "the page's script failed");
        assert!(
            Instant::now() < deadline,
            "timed out waiting for: {condition}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Moves the control of `key` to `value` as dragging the slider does.
fn slide(browser: &Browser, key: &str, value: f64) {
    browser.run(
        "const r = document.querySelector(`[data-key='${arguments[0]}']`); r.value = arguments[1]; r.dispatchEvent(new Event('input', {bubbles: true}));",
        json!([key, value]),
    );
}

/// Types `value` in the box of `key` and leaves it.
fn type_in(browser: &Browser, key: &str, value: f64) {
    browser.run(
        "const b = document.querySelector(`[data-box='${arguments[0]}']`); b.value = arguments[1]; b.dispatchEvent(new Event('change', {bubbles: true}));",
        json!([key, value]),
    );
}

#[test]
#[ignore = "needs Debian's chromium and chromium-driver: run by .ci/run"]
fn moving_a_threshold_redraws_the_view_and_the_address_keeps_it() {
    let serve = Serve::start(&["scenarios"]);
    let browser = Browser::start();
    browser.open(&format!("{}/", serve.base()));
    browser.click("a[data-scenario='seed-workflow.toml']");
    wait_ready(&browser);
    let before = view(&browser);
    assert_eq!(before["threshold"], "75");
    assert!(before["marks"].as_u64().unwrap() > 0, "{before}");

    slide(&browser, "alarms.HighCPU.threshold", 55.0);
    let took_ms = wait_redrawn(&browser);
    eprintln!("seed-workflow: threshold moved, chart redrawn {took_ms} ms after the change");
    let after = view(&browser);
    assert_ne!(
        after["sentences"], before["sentences"],
        "the decisions changed"
    );
    assert_ne!(after["chart"], before["chart"], "the chart changed");
    let url = browser.run("return location.href;", json!([]));
    let url = url.as_str().unwrap().to_string();
    let sets = browser.run(
        "return new URLSearchParams(location.search).getAll('set');",
        json!([]),
    );
    assert_eq!(sets, json!(["alarms.HighCPU.threshold=55"]), "{url}");

    // A reload of that address shows the same view.
    browser.open(&url);
    wait_ready(&browser);
    let reloaded = view(&browser);
    assert_eq!(reloaded["threshold"], "55");
    assert_eq!(reloaded["sentences"], after["sentences"]);
    assert_eq!(reloaded["marks"], after["marks"]);
    assert_eq!(reloaded["chart"], after["chart"], "the same chart");

    a_bad_value_shows_its_message_and_the_next_change_works(&browser);
    the_comparison_overlays_the_original(&browser);
    let png = browser.screenshot();
    let dir = crate::common::repo_root().join("target/report-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("serve-seed-workflow.png"), png).unwrap();
}

/// A bad value: its message in the page; the next change works.
fn a_bad_value_shows_its_message_and_the_next_change_works(browser: &Browser) {
    type_in(browser, "alarms.HighCPU.datapoints_to_alarm", 5.0);
    wait_redrawn(browser);
    let problems = browser.run(
        "const p = document.getElementById('play-problems'); return p.hidden ? '' : p.textContent;",
        json!([]),
    );
    assert!(
        problems
            .as_str()
            .unwrap()
            .contains("must not exceed evaluation_periods"),
        "{problems}"
    );
    type_in(browser, "alarms.HighCPU.datapoints_to_alarm", 2.0);
    slide(browser, "alarms.HighCPU.threshold", 60.0);
    wait_redrawn(browser);
    let problems = browser.run(
        "return document.getElementById('play-problems').hidden;",
        json!([]),
    );
    assert_eq!(
        problems,
        json!(true),
        "the problem is gone once the value is valid"
    );
    let sets = browser.run(
        "return new URLSearchParams(location.search).getAll('set');",
        json!([]),
    );
    assert_eq!(sets, json!(["alarms.HighCPU.threshold=60"]));
}

/// The comparison overlays the original run.
fn the_comparison_overlays_the_original(browser: &Browser) {
    browser.click("#play-compare");
    wait_redrawn(browser);
    let overlay = browser.run(
        "return document.querySelectorAll(\"[data-compare='capacity'] path[data-run]\").length;",
        json!([]),
    );
    assert_eq!(overlay, json!(2));
    assert!(
        browser
            .run("return location.search;", json!([]))
            .as_str()
            .unwrap()
            .contains("compare=1")
    );
    let errors = browser.run("return window.__asgsim.errors;", json!([]));
    assert_eq!(errors, json!([]));
}

/// The time from a control change to the redrawn chart, for the seed workflow and for a week
/// of a real trace (printed; the README's figures come from a release build: `ASGSIM_BIN`).
#[test]
#[ignore = "needs Debian's chromium and chromium-driver: run by .ci/run"]
fn time_from_a_change_to_the_redrawn_chart() {
    let serve = Serve::start(&["scenarios"]);
    let browser = Browser::start();
    let views = [
        (
            "seed-workflow (1 day)",
            "seed-workflow.toml",
            "",
            "alarms.HighCPU.threshold",
        ),
        (
            "code-api, a week of real requests",
            "imported/code-api.toml",
            "&set=load.trace=requests.csv&set=duration=7d",
            "alarms.code-api-cpu-high.threshold",
        ),
        (
            "llm-inference-week (7 days)",
            "llm-inference-week.toml",
            "",
            "seed",
        ),
    ];
    for (label, scenario, sets, key) in views {
        browser.open(&format!("{}/play?scenario={scenario}{sets}", serve.base()));
        wait_ready(&browser);
        let base = browser
            .run(
                "return parseFloat(document.querySelector(`[data-key='${arguments[0]}']`).value);",
                json!([key]),
            )
            .as_f64()
            .unwrap();
        let mut times = Vec::new();
        for step in 1..=5 {
            slide(&browser, key, base - f64::from(step));
            let total = wait_redrawn(&browser);
            let parts = browser.run(
                "return [window.__asgsimPlay.fetchMs, window.__asgsimPlay.renderMs];",
                json!([]),
            );
            times.push((total, parts));
        }
        times.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Each: change to redrawn chart [ms], then [request and JSON, render] [ms].
        eprintln!(
            "{label}: change to redrawn chart, median {} ms; each (total, [request, render]): {times:?}",
            times[2].0
        );
    }
}
