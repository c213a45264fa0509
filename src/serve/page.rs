//! The playground's pages: the list of scenarios, and the report view of one scenario with
//! its controls. The report view is the page of `report.html`; the playground adds its panel
//! (controls, overrides, the comparison, the TOML) at the top and its script at the end, and
//! the script redraws the view through `window.asgsimReport.render(data)` after each change.

use serde_json::Value;

/// The playground's styles and script.
const STYLE: &str = include_str!("play.css");
const SCRIPT: &str = include_str!("play.js");

/// The page listing `scenarios` (names relative to the folder served).
pub(crate) fn index(scenarios: &[String]) -> String {
    let items: String = scenarios
        .iter()
        .map(|name| {
            format!(
                "<li><a href=\"/play?scenario={}\" data-scenario=\"{}\">{}</a></li>\n",
                super::query::encode(name),
                escape(name),
                escape(name)
            )
        })
        .collect();
    let empty = if scenarios.is_empty() {
        "<p>No scenario (.toml) in this folder.</p>"
    } else {
        ""
    };
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>asgsim playground</title>\
         <style>{STYLE}</style></head><body class=\"play-index\"><h1>asgsim playground</h1>\
         <p>Choose a scenario: its run is shown with controls for its main settings; each change runs it again.</p>\
         {empty}<ul id=\"scenarios\">\n{items}</ul></body></html>\n"
    )
}

/// The `report` page (`report.html` of the first run) with the playground's panel; `boot`
/// holds the knobs, the scenarios and the first run but its data, which the page holds (see
/// `handler`).
pub(crate) fn play(report: &str, boot: &Value) -> String {
    inject(report, &script_json(boot))
}

/// Puts the panel after `<body…>` and the styles and script before `</body>`.
fn inject(report: &str, boot_json: &str) -> String {
    let panel = format!(
        "<section id=\"playground\" aria-label=\"playground\"></section>\n\
         <script type=\"application/json\" id=\"playground-boot\">{boot_json}</script>\n"
    );
    let tail = format!("<style>{STYLE}</style>\n<script>{SCRIPT}</script>\n");
    let body_at = report
        .find("<body")
        .and_then(|i| report[i..].find('>').map(|j| i + j + 1))
        .unwrap_or(0);
    let end_at = report.rfind("</body>").unwrap_or(report.len());
    let mut page = String::with_capacity(report.len() + panel.len() + tail.len());
    page.push_str(&report[..body_at]);
    page.push_str(&panel);
    page.push_str(&report[body_at..end_at]);
    page.push_str(&tail);
    page.push_str(&report[end_at..]);
    page
}

/// JSON that can sit inside a `<script>` element: `</` never appears in it.
fn script_json(value: &Value) -> String {
    value.to_string().replace("</", "<\\/")
}

/// Text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panel_goes_after_body_and_the_script_before_its_end() {
        let page = inject("<html><body class=\"x\"><p>r</p></body></html>", "{}");
        let panel = page.find("id=\"playground\"").unwrap();
        assert!(page.find("<body class=\"x\">").unwrap() < panel);
        assert!(panel < page.find("<p>r</p>").unwrap());
        assert!(page.find("<script>").unwrap() < page.find("</body>").unwrap());
    }

    #[test]
    fn json_in_a_script_cannot_close_it() {
        let v = serde_json::json!({"text": "</script><script>alert(1)</script>"});
        assert!(!script_json(&v).contains("</"));
        let list = index(&["a<b>.toml".to_string()]);
        assert!(list.contains("a&lt;b&gt;.toml") && list.contains("a%3Cb%3E.toml"));
    }
}
