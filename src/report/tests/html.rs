//! `report.html` and the two functions a live page reuses: the data blob and the page.

use crate::report::{info_of, render_report_html, report_data_json, report_html};

use super::fixtures::diurnal;

#[test]
fn the_data_blob_is_json_of_the_run() {
    let output = diurnal(24, 60, true);
    let info = info_of(&output);
    let data: serde_json::Value =
        serde_json::from_str(&report_data_json(&output, &info)).expect("the data blob is JSON");
    assert_eq!(data["name"], output.summary.scenario.as_str());
    assert_eq!(data["duration_s"], 86_400);
    assert_eq!(data["summary"]["seed"], output.summary.seed);
    assert!(data["counts"]["desired"].is_object(), "{}", data["counts"]);
    assert!(data["rates"]["load"].is_array(), "{}", data["rates"]);
    assert_eq!(
        data["lanes"].as_array().unwrap().len(),
        output.records.instances.len()
    );
}

#[test]
fn the_page_embeds_the_blob_and_the_script_that_draws_it() {
    let output = diurnal(6, 60, false);
    let info = info_of(&output);
    let page = render_report_html(&output, &info);
    let data = report_data_json(&output, &info);
    assert!(page.contains(&format!(
        "<script type=\"application/json\" id=\"data\">{data}</script>"
    )));
    assert!(page.contains("window.asgsimReport = { render };"));
    assert!(!page.contains("{{"), "every slot of the template is filled");
    assert!(
        !page.contains("src=\"http") && !page.contains("href=\"http"),
        "nothing is fetched from the network"
    );
    assert_eq!(report_html(&output), page.into_bytes());
}
