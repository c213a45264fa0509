//! `asgsim serve` end to end without a browser: the binary started on a free port, spoken to
//! over plain HTTP/1.1 on a `TcpStream`. Names out of the folder are refused however they
//! are written, a bad value gives its validation message and the next request works, the
//! server listens on 127.0.0.1 only, the TOML handed out runs as the overrides do, Ctrl-C
//! stops it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::repo_root;

/// A running `asgsim serve`, stopped when dropped.
pub struct Serve {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: SocketAddr,
}

impl Serve {
    /// `asgsim serve ARGS… --port 0`, once it has printed its address.
    pub fn start(args: &[&str]) -> Serve {
        // ASGSIM_BIN: another build to measure (a release one), else the tests' own.
        let binary = std::env::var("ASGSIM_BIN")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_asgsim").to_string());
        let mut child = Command::new(binary)
            .arg("serve")
            .args(args)
            .args(["--port", "0"])
            .current_dir(repo_root())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("asgsim serve starts");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        BufReader::new(stdout).read_line(&mut line).expect("a line");
        let url = line.trim();
        let address = url
            .strip_prefix("http://")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("not an address: {url:?}"))
            .parse()
            .expect("an IP address and port");
        Serve { child, address }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("http://{}", self.address)
    }

    /// GET `target` with the Host the browser would send: status and body.
    pub fn get(&self, target: &str) -> (u16, String) {
        http(self.address, "GET", target, &self.address.to_string())
    }

    /// GET `target` and read the body as JSON.
    pub fn json(&self, target: &str) -> (u16, Value) {
        let (status, body) = self.get(target);
        let value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        (status, value)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request, `Connection: close`: the status and the body.
pub fn http(address: SocketAddr, method: &str, target: &str, host: &str) -> (u16, String) {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("a reply");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head and a body");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = &raw[split + 4..];
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        unchunk(body)
    } else {
        body.to_vec()
    };
    (status, String::from_utf8(body).expect("a UTF-8 body"))
}

/// The bytes of a chunked body.
fn unchunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&body[..end]).unwrap_or("0");
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&body[start..start + n]);
        body = &body[start + n + 2..];
    }
    out
}

const SEED: &str = "/api/run?scenario=seed-workflow.toml";

#[test]
fn names_out_of_the_folder_are_refused_however_written() {
    let serve = Serve::start(&["scenarios"]);
    for name in [
        "../../etc/passwd",
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "%252e%252e%252fetc%252fpasswd",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
        "..%5C..%5Cetc%5Cpasswd",
        "traces/../../Cargo.toml",
        "imported/../../Cargo.toml",
        "%2e%2e/Cargo.toml",
        "../scenarios/seed-workflow.toml",
    ] {
        for page in ["/api/run", "/api/toml", "/play"] {
            let (status, body) = serve.get(&format!("{page}?scenario={name}"));
            assert_eq!(status, 404, "{page} {name}: {body}");
            assert!(!body.contains("root:"), "{page} {name}: {body}");
            assert!(!body.contains("[package]"), "{page} {name}: {body}");
        }
    }
    let (status, run) = serve.json("/api/run?scenario=..%2F..%2Fetc%2Fpasswd");
    assert_eq!(
        (status, &run["ok"], &run["refused"]),
        (404, &Value::Bool(false), &Value::Bool(true))
    );
    assert!(
        run["problems"][0].as_str().unwrap().contains("refused"),
        "{run}"
    );
    // A file it serves still works after all that.
    assert_eq!(serve.get(SEED).0, 200);
}

#[test]
fn a_bad_value_gives_its_message_and_the_next_request_works() {
    let serve = Serve::start(&[]);
    let (status, bad) = serve.json(&format!("{SEED}&set=alarms.HighCPU.datapoints_to_alarm=5"));
    assert_eq!(status, 422, "{bad}");
    assert_eq!(bad["ok"], false);
    let message = bad["problems"][0].as_str().unwrap();
    assert!(
        message.contains("alarms.HighCPU.datapoints_to_alarm")
            && message.contains("must not exceed evaluation_periods 2"),
        "{message}"
    );
    let (status, typo) = serve.json(&format!("{SEED}&set=alarms.HihgCPU.threshold=70"));
    assert_eq!(status, 422);
    assert!(
        typo["problems"][0]
            .as_str()
            .unwrap()
            .contains("did you mean HighCPU?"),
        "{typo}"
    );
    for refused in [
        "load.trace=/etc/passwd",
        "load.trace=../../Cargo.toml",
        "load.trace=../Cargo.toml",
        "load.trace=imported/../../Cargo.toml",
        "load.trace=-",
        "load={trace=\"/etc/passwd\"}",
        "duration=400d",
        "sample_interval=1ms",
    ] {
        let (status, v) = serve.json(&format!(
            "{SEED}&set={}",
            refused
                .replace('{', "%7B")
                .replace('}', "%7D")
                .replace('"', "%22")
        ));
        assert_eq!(status, 422, "{refused}: {v}");
        assert!(!v.to_string().contains("root:"), "{v}");
    }
    // A trace under the folder served may replace the load: a week of real traffic.
    let week =
        "/api/run?scenario=imported/code-api.toml&set=load.trace=requests.csv&set=duration=7d";
    let (status, v) = serve.json(week);
    assert_eq!(status, 200, "{v}");
    let (status, good) = serve.json(&format!("{SEED}&set=alarms.HighCPU.threshold=70"));
    assert_eq!(status, 200, "{good}");
    assert_eq!(good["ok"], true);
    assert_eq!(good["overrides"][0], "alarms.HighCPU.threshold=70");
    assert!(good["toml"].as_str().unwrap().contains("threshold = 70"));
}

#[test]
fn requests_are_capped() {
    let serve = Serve::start(&[]);
    let many: String = (0..65).map(|i| format!("&set=seed={i}")).collect();
    let (status, v) = serve.json(&format!("{SEED}{many}"));
    assert_eq!(status, 422, "{v}");
    assert!(
        v["problems"][0].as_str().unwrap().contains("at most 64"),
        "{v}"
    );
    let long = format!("{SEED}&set=description={}", "x".repeat(600));
    assert_eq!(serve.json(&long).0, 422);
    let huge = format!("{SEED}&set=description={}", "x".repeat(20_000));
    assert_eq!(serve.get(&huge).0, 414);
    // A body is never read: a request that announces one is refused.
    let mut stream = TcpStream::connect(serve.address).unwrap();
    let host = serve.address;
    write!(
        stream,
        "GET /api/run HTTP/1.1\r\nHost: {host}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    assert_eq!(serve.get(SEED).0, 200, "and it goes on serving");
}

#[test]
fn it_listens_on_127_0_0_1_only_and_answers_requests_that_name_it() {
    let serve = Serve::start(&[]);
    assert_eq!(serve.address.ip().to_string(), "127.0.0.1");
    // 127.0.0.2 is this machine too: a server bound to every address would answer there.
    let other = SocketAddr::from(([127, 0, 0, 2], serve.address.port()));
    assert!(
        TcpStream::connect_timeout(&other, Duration::from_secs(2)).is_err(),
        "the server answered on 127.0.0.2"
    );
    let (status, _) = http(serve.address, "GET", "/", "attacker.example");
    assert_eq!(
        status, 403,
        "a Host that is not the loopback address is refused (DNS rebinding)"
    );
    assert_eq!(
        http(
            serve.address,
            "POST",
            "/api/run",
            &serve.address.to_string()
        )
        .0,
        405
    );
    let (status, index) = serve.get("/");
    assert_eq!(status, 200);
    assert!(
        index.contains("data-scenario=\"seed-workflow.toml\""),
        "{index}"
    );
    assert!(index.contains("imported/code-api.toml"));
    assert!(
        !index.contains("sweep-seed-workflow"),
        "sweep files are not listed"
    );
}

#[test]
fn the_toml_handed_out_runs_as_the_overrides_do() {
    let serve = Serve::start(&[]);
    let sets = "&set=alarms.HighCPU.threshold=65&set=launch_template.boot_time.median=60s&set=group.max_size=8";
    let (status, run) = serve.json(&format!("{SEED}{sets}"));
    assert_eq!(status, 200, "{run}");
    let (status, toml) = serve.get(&format!("/api/toml?scenario=seed-workflow.toml{sets}"));
    assert_eq!(status, 200);
    assert!(toml.contains("max_size = 8"), "{toml}");
    assert!(toml.contains("# The seed workflow"), "comments are kept");
    let origin = repo_root().join("scenarios/seed-workflow.toml");
    let scenario = asgsim::scenario::parse_scenario(&toml, &origin, &[])
        .expect("the TOML handed out is valid");
    let output = crate::common::simulate(&scenario, scenario.seed);
    let summary = serde_json::to_value(&output.summary).unwrap();
    assert_eq!(summary, run["summary"]);
    // The page of that view holds the overrides and the controls' keys.
    let (status, page) = serve.get(&format!("/play?scenario=seed-workflow.toml{sets}"));
    assert_eq!(status, 200);
    assert!(page.contains("\"alarms.HighCPU.threshold=65\""));
    assert!(page.contains("\"key\":\"alarms.HighCPU.threshold\""));
    assert!(page.contains("data-chart=\"capacity\""));
}

#[test]
fn compare_adds_the_original_run() {
    let serve = Serve::start(&["scenarios/seed-workflow.toml"]);
    let (_, run) = serve.json(&format!("{SEED}&set=alarms.HighCPU.threshold=60&compare=1"));
    let (_, base) = serve.json(SEED);
    assert_eq!(run["original"]["summary"], base["summary"]);
    assert_ne!(run["summary"], base["summary"]);
    assert!(base["original"].is_null());
    // Given one file, the playground serves that one alone.
    assert_eq!(serve.get("/api/run?scenario=target-tracking.toml").0, 404);
}

#[test]
fn a_missing_folder_is_bad_input() {
    let out = Command::new(env!("CARGO_BIN_EXE_asgsim"))
        .args(["serve", "no-such-folder", "--port", "0"])
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no-such-folder: cannot serve it"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_it() {
    let mut serve = Serve::start(&[]);
    assert_eq!(serve.get("/").0, 200);
    let pid = serve.child.id().to_string();
    let sent = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = serve.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(Instant::now() < deadline, "still running 10 s after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
}
