//! Requests to replies, without the network: what each address of the playground answers.
//! The HTTP server (`mod.rs`) only hands the method, the target, the `Host` header and the
//! body's length here, and sends back what it gets; tests call [`Playground::handle`] directly.
//!
//! - `GET /`: the scenarios of the folder;
//! - `GET /play?scenario=NAME&set=KEY=VALUE…[&compare=1]`: the report view with its controls;
//! - `GET /api/run?…` (the same query): the run as JSON, for the page to redraw;
//! - `GET /api/toml?…`: the scenario with the overrides written in, as a download.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::page;
use super::paths::ScenarioRoot;
use super::play::{Limits, PlayError, Played, Source, View, check, play, source};
use super::query::Target;

/// Longest request target \[bytes\]: room for 64 overrides of a hundred bytes, encoded.
pub(crate) const MAX_TARGET_LEN: usize = 16 * 1024;

/// The playground: the folder it serves, its limits, and the runs of unmodified scenarios
/// (the "original" of a comparison), kept while their file is unchanged.
#[derive(Debug)]
pub struct Playground {
    root: ScenarioRoot,
    limits: Limits,
    originals: Mutex<HashMap<String, Original>>,
}

/// An unmodified run, with the modification time of its file when it was made.
type Original = (Option<SystemTime>, Arc<Played>);

/// A reply: status, content type, body, and a file name when it is a download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// `Content-Disposition: attachment; filename=…`, for a download.
    pub download: Option<String>,
}

impl Reply {
    fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type,
            body: body.into(),
            download: None,
        }
    }

    fn text(status: u16, body: impl Into<String>) -> Self {
        Self::new(status, "text/plain; charset=utf-8", body.into())
    }

    fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::new(status, "application/json", value.to_string())
    }
}

impl Playground {
    /// The playground of the folder (or the one scenario file) `root`.
    pub(crate) fn new(root: ScenarioRoot, limits: Limits) -> Self {
        Self {
            root,
            limits,
            originals: Mutex::new(HashMap::new()),
        }
    }

    /// The folder served.
    pub fn folder(&self) -> &std::path::Path {
        self.root.path()
    }

    /// The reply to one request: `method`, the request `target` (path and query, as sent),
    /// the `Host` header, and the length of the body.
    pub fn handle(&self, method: &str, target: &str, host: Option<&str>, body_len: usize) -> Reply {
        if !host.is_some_and(is_loopback_host) {
            // A page elsewhere may point a name of its own at 127.0.0.1 (DNS rebinding): only
            // requests that name the loopback address itself are answered.
            return Reply::text(
                403,
                "the playground answers requests to 127.0.0.1 or localhost only",
            );
        }
        if method != "GET" && method != "HEAD" {
            return Reply::text(405, "the playground reads only: GET");
        }
        if body_len > 0 {
            return Reply::text(413, "the playground takes no request body");
        }
        if target.len() > MAX_TARGET_LEN {
            return Reply::text(
                414,
                format!("the address is longer than {MAX_TARGET_LEN} bytes"),
            );
        }
        let target = match Target::parse(target) {
            Ok(t) => t,
            Err(e) => return Reply::text(400, e),
        };
        match target.path.as_str() {
            "/" => Reply::new(
                200,
                "text/html; charset=utf-8",
                page::index(&self.root.list()),
            ),
            "/play" => self.play_page(&target),
            "/api/run" => self.run_json(&target),
            "/api/toml" => self.toml_download(&target),
            _ => Reply::text(404, "no such page; start at /"),
        }
    }

    /// The scenario a query names, and its overrides.
    fn request(&self, target: &Target) -> Result<(Source, Vec<String>), PlayError> {
        let name = target.get("scenario").unwrap_or_default();
        let source = source(&self.root, name, &self.limits)?;
        Ok((source, target.all("set")))
    }

    fn run_json(&self, target: &Target) -> Reply {
        let (status, value) = self.run_value(target, View::Data);
        Reply::json(status, &value)
    }

    /// The run a query asks for, as the page reads it: `{ok, scenario, overrides, toml, data,
    /// summary, capacity, original}` or `{ok: false, problems}`; with [`View::Page`], the
    /// page of the report view in place of `data` (returned beside the value).
    fn run_value(&self, target: &Target, view: View) -> (u16, serde_json::Value) {
        let (source, overrides) = match self.request(target) {
            Ok(r) => r,
            Err(e) => return failure(target, e),
        };
        let played = match play(&source, &overrides, &self.limits, view) {
            Ok(p) => p,
            Err(e) => return failure(target, e),
        };
        let original = if target.get("compare").is_some_and(|c| c == "1") {
            self.original(&source)
                .ok()
                .map(|o| serde_json::json!({ "summary": o.summary, "capacity": o.capacity }))
        } else {
            None
        };
        let report = match view {
            View::Data => serde_json::from_str(&played.view).unwrap_or(serde_json::Value::Null),
            View::Page => serde_json::Value::String(played.view),
        };
        let value = serde_json::json!({
            "ok": true,
            "scenario": source.name,
            "overrides": played.overrides,
            "toml": played.toml,
            "data": report,
            "summary": played.summary,
            "capacity": played.capacity,
            "original": original,
        });
        (200, value)
    }

    /// The unmodified run of `source`, from the cache while its file is unchanged.
    fn original(&self, source: &Source) -> Result<Arc<Played>, PlayError> {
        let modified = self
            .root
            .resolve(&source.name)
            .ok()
            .and_then(|p| std::fs::metadata(p).ok())
            .and_then(|m| m.modified().ok());
        let cache = |m: &mut HashMap<_, _>| -> Option<Arc<Played>> {
            match m.get(&source.name) {
                Some((when, played)) if *when == modified => Some(Arc::clone(played)),
                _ => None,
            }
        };
        if let Some(found) = cache(&mut self.originals.lock().expect("not poisoned")) {
            return Ok(found);
        }
        let played = Arc::new(play(source, &[], &self.limits, View::Data)?);
        let mut originals = self.originals.lock().expect("not poisoned");
        if originals.len() > 64 {
            originals.clear();
        }
        originals.insert(source.name.clone(), (modified, Arc::clone(&played)));
        Ok(played)
    }

    fn play_page(&self, target: &Target) -> Reply {
        let (source, _) = match self.request(target) {
            Ok(r) => r,
            Err(e) => return Reply::text(404, problems_text(e)),
        };
        let (_, mut run) = self.run_value(target, View::Page);
        if run["ok"] != true {
            // A bad override in the address still shows the page: the file's own run, and the
            // problems where the controls are.
            let file_only = Target {
                path: target.path.clone(),
                pairs: vec![("scenario".into(), source.name.clone())],
            };
            let (_, mut base) = self.run_value(&file_only, View::Page);
            base["problems"] = run["problems"].take();
            base["overrides"] = serde_json::json!(target.all("set"));
            run = base;
        }
        let report = match run["data"].take() {
            serde_json::Value::String(page) => page,
            _ => {
                return Reply::text(
                    422,
                    problems_text(PlayError::Invalid(vec![run.to_string()])),
                );
            }
        };
        let boot = serde_json::json!({
            "scenario": source.name,
            "scenarios": self.root.list(),
            "knobs": super::knobs::knobs(&source.table),
            "compare": target.get("compare") == Some("1"),
            "run": run,
        });
        Reply::new(200, "text/html; charset=utf-8", page::play(&report, &boot))
    }

    fn toml_download(&self, target: &Target) -> Reply {
        let (source, overrides) = match self.request(target) {
            Ok(r) => r,
            Err(e) => return Reply::text(404, problems_text(e)),
        };
        // The text is only handed out for overrides the scenario accepts.
        if let Err(e) = check(&source, &overrides, &self.limits) {
            return Reply::text(422, problems_text(e));
        }
        match crate::scenario::apply_overrides_to_text(&source.text, &overrides) {
            Ok(text) => {
                let stem = source.name.rsplit('/').next().unwrap_or("scenario");
                let mut reply = Reply::new(200, "application/toml; charset=utf-8", text);
                reply.download = Some(stem.to_string());
                reply
            }
            Err(e) => Reply::text(422, e),
        }
    }
}

/// The problems of a run that could not be made, a line each.
fn problems_text(error: PlayError) -> String {
    match error {
        PlayError::Refused(why) => why,
        PlayError::Invalid(problems) => problems.join("\n"),
    }
}

/// The reply to a run that could not be made.
fn failure(target: &Target, error: PlayError) -> (u16, serde_json::Value) {
    let (status, problems, refused) = match error {
        PlayError::Refused(why) => (404, vec![why], true),
        PlayError::Invalid(problems) => (422, problems, false),
    };
    let value = serde_json::json!({
        "ok": false,
        "refused": refused,
        "scenario": target.get("scenario"),
        "overrides": target.all("set"),
        "problems": problems,
    });
    (status, value)
}

/// `127.0.0.1`, `127.0.0.1:PORT`, `localhost`, `localhost:PORT`, `[::1]:PORT`.
fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                h
            } else {
                host
            }
        }),
    };
    matches!(name, "127.0.0.1" | "localhost" | "::1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_hosts_are_answered() {
        for host in [
            "127.0.0.1",
            "127.0.0.1:8765",
            "localhost:80",
            "localhost",
            "[::1]:8765",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "attacker.example",
            "127.0.0.1.attacker.example:8765",
            "localhost.attacker.example",
            "10.0.0.1:8765",
            "",
            "[::2]:1",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn a_request_without_a_loopback_host_is_refused_before_anything_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = ScenarioRoot::new(dir.path()).unwrap();
        let playground = Playground::new(root, Limits::default());
        assert_eq!(playground.handle("GET", "/", None, 0).status, 403);
        assert_eq!(
            playground
                .handle("GET", "/", Some("evil.example"), 0)
                .status,
            403
        );
        assert_eq!(
            playground.handle("GET", "/", Some("127.0.0.1:1"), 0).status,
            200
        );
        assert_eq!(
            playground
                .handle("DELETE", "/", Some("localhost"), 0)
                .status,
            405
        );
        assert_eq!(
            playground
                .handle("GET", "/nope", Some("localhost"), 0)
                .status,
            404
        );
    }
}
