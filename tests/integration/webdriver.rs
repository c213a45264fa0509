//! A minimal WebDriver client over chromedriver's HTTP API (W3C WebDriver), enough to open a
//! page in Debian's headless chromium, run scripts in it, click and take screenshots. Plain
//! HTTP/1.1 on a std `TcpStream`: no HTTP or browser crate, no downloaded browser.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A running chromedriver and one browser session; both end when dropped.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

impl Browser {
    /// Starts chromedriver on a free port and a headless chromium session in it.
    pub fn start() -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (Debian package chromium-driver)");
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while browser.request("GET", "/status", None).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1500,1100"]
            },
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let created = browser
            .request("POST", "/session", Some(&capabilities))
            .expect("a browser session");
        browser.session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        browser
    }

    /// Opens `url` and waits for the load to finish.
    pub fn open(&self, url: &str) {
        self.command("POST", "url", json!({ "url": url }));
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its value.
    pub fn run(&self, script: &str, args: Value) -> Value {
        self.command(
            "POST",
            "execute/sync",
            json!({"script": script, "args": args}),
        )
    }

    /// Clicks the first element matching the CSS `selector`, as a user would.
    pub fn click(&self, selector: &str) {
        let found = self.command(
            "POST",
            "element",
            json!({"using": "css selector", "value": selector}),
        );
        let id = found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {selector}: {found}"))
            .to_string();
        self.command("POST", &format!("element/{id}/click"), json!({}));
    }

    /// The page as a PNG.
    pub fn screenshot(&self) -> Vec<u8> {
        let encoded = self.command("GET", "screenshot", Value::Null);
        base64_decode(encoded.as_str().expect("a base64 screenshot"))
    }

    /// The browser console's entries since the last call (chromedriver's log endpoint).
    pub fn console(&self) -> Vec<Value> {
        let logs = self.command("POST", "se/log", json!({"type": "browser"}));
        logs.as_array().cloned().unwrap_or_default()
    }

    /// A session command; panics with the driver's message when it fails.
    fn command(&self, method: &str, path: &str, body: Value) -> Value {
        let path = format!("/session/{}/{path}", self.session);
        let body = (!body.is_null()).then_some(&body);
        let reply = self
            .request(method, &path, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        if let Some(error) = reply["value"].get("error") {
            panic!("{method} {path}: {error}: {}", reply["value"]["message"]);
        }
        reply["value"].clone()
    }

    /// One HTTP/1.1 request to chromedriver, the reply's JSON body.
    fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        let payload = body.map(Value::to_string).unwrap_or_default();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.port,
            payload.len()
        );
        stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(payload.as_bytes()))
            .map_err(|e| e.to_string())?;
        // chromedriver may keep the connection open despite `Connection: close`: the reply
        // ends where its Content-Length (or its last chunk) says, not at end of stream.
        let reply = read_reply(&mut stream)?;
        let text = String::from_utf8_lossy(&reply);
        let (headers, body) = text.split_once("\r\n\r\n").ok_or("no HTTP reply")?;
        let body = if headers
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            dechunk(body)
        } else {
            body.to_string()
        };
        serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let path = format!("/session/{}", self.session);
            let _ = self.request("DELETE", &path, None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Reads one HTTP reply: its head, then a body of Content-Length bytes, or chunks up to the
/// last (empty) one, or everything up to the end of the stream.
fn read_reply(stream: &mut TcpStream) -> Result<Vec<u8>, String> {
    let mut reply = Vec::new();
    let mut buffer = [0u8; 64 * 1024];
    loop {
        let complete = match reply.windows(4).position(|w| w == b"\r\n\r\n") {
            None => false,
            Some(end) => {
                let head = String::from_utf8_lossy(&reply[..end]).to_ascii_lowercase();
                let body = &reply[end + 4..];
                let length = head.lines().find_map(|l| {
                    l.strip_prefix("content-length:")
                        .and_then(|n| n.trim().parse::<usize>().ok())
                });
                match length {
                    Some(n) => body.len() >= n,
                    None if head.contains("transfer-encoding: chunked") => {
                        body.ends_with(b"\r\n0\r\n\r\n") || body.starts_with(b"0\r\n\r\n")
                    }
                    None => false,
                }
            }
        };
        if complete {
            return Ok(reply);
        }
        let read = stream.read(&mut buffer).map_err(|e| e.to_string())?;
        if read == 0 {
            return Ok(reply);
        }
        reply.extend_from_slice(&buffer[..read]);
    }
}

/// The body of a chunked HTTP reply.
fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

/// Standard base64 (with padding) to bytes.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => 0,
    };
    let clean: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    for quad in clean.chunks(4) {
        let n = quad
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &c)| n | u32::from(value(c)) << (18 - 6 * i));
        let pads = quad.iter().filter(|&&c| c == b'=').count();
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pads.min(2)]);
    }
    out
}

#[test]
fn base64_decodes_as_written() {
    assert_eq!(base64_decode("aGVsbG8="), b"hello");
    assert_eq!(base64_decode("aGk="), b"hi");
    assert_eq!(base64_decode("YWJj"), b"abc");
}
