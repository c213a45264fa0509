//! `asgsim serve`: a playground on 127.0.0.1. A person chooses a scenario, moves a control
//! (a threshold, a cooldown, a boot time…), and the report view is drawn again from a new
//! run at once; the page's address holds the overrides (`?set=alarms.HighCPU.threshold=70`),
//! so a view can be bookmarked and shared.
//!
//! Safe by construction: the server listens on the loopback address only and answers only
//! requests that name it (`Host`); it reads only scenario files under the folder it was
//! given (`paths`), and only the files those name; it takes no request body, caps the
//! address, the overrides and the span it simulates per request (`play::Limits`); a bad
//! value comes back as the page's validation message, and the server goes on. It writes no
//! file.
//!
//! - `paths`: which scenario files a request may name;
//! - `query`: the request target, decoded;
//! - `knobs`: the controls a scenario offers, named by their `--set` keys;
//! - `play`: one run (checks, simulation, what the page draws);
//! - `handler`: requests to replies, without the network;
//! - `page`: the pages.

mod handler;
mod knobs;
mod page;
mod paths;
mod play;
mod query;

pub use handler::{Playground, Reply};
pub use play::Limits;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tiny_http::{Header, Response};

/// Threads answering requests: one run at a time each (the machine's cores do the rest).
const WORKERS: usize = 2;
/// How often a waiting worker looks whether the server is stopping.
const POLL: Duration = Duration::from_millis(200);

/// Why the playground could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The folder or file to serve cannot be read.
    #[error(
        "{path}: cannot serve it: {source}; give a folder of scenario files or one scenario file"
    )]
    Folder {
        /// As given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The port cannot be listened on.
    #[error(
        "cannot listen on 127.0.0.1:{port}: {message}; choose another with --port (0: any free port)"
    )]
    Listen {
        /// The port asked for.
        port: u16,
        /// Why.
        message: String,
    },
}

/// A playground listening on 127.0.0.1, not yet answering.
pub struct Server {
    http: Arc<tiny_http::Server>,
    playground: Arc<Playground>,
    address: SocketAddr,
    stopping: Arc<AtomicBool>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("address", &self.address)
            .field("folder", &self.playground.folder())
            .finish_non_exhaustive()
    }
}

/// Stops a running [`Server`] from another thread (the Ctrl-C handler).
#[derive(Debug, Clone)]
pub struct Stopper(Arc<AtomicBool>);

impl Stopper {
    /// Asks the server to stop: requests being answered are finished, then `run` returns.
    pub fn stop(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Server {
    /// Listens on 127.0.0.1:`port` (0: a free port) for the playground of `target` (a folder
    /// of scenarios, or one scenario file).
    ///
    /// # Errors
    ///
    /// The folder cannot be read, or the port cannot be listened on.
    pub fn bind(target: &Path, port: u16, limits: Limits) -> Result<Self, ServeError> {
        let root = paths::ScenarioRoot::new(target).map_err(|source| ServeError::Folder {
            path: target.display().to_string(),
            source,
        })?;
        // Loopback only, whatever the port: the playground is for the person at this machine.
        let http = tiny_http::Server::http(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).map_err(
            |e| ServeError::Listen {
                port,
                message: e.to_string(),
            },
        )?;
        let address = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| ServeError::Listen {
                port,
                message: "not an IP address".to_string(),
            })?;
        Ok(Self {
            http: Arc::new(http),
            playground: Arc::new(Playground::new(root, limits)),
            address,
            stopping: Arc::new(AtomicBool::new(false)),
        })
    }

    /// The address listened on (always 127.0.0.1).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The address to open in a browser: `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// The folder served (canonical).
    pub fn folder(&self) -> &Path {
        self.playground.folder()
    }

    /// What stops [`Server::run`].
    pub fn stopper(&self) -> Stopper {
        Stopper(Arc::clone(&self.stopping))
    }

    /// Answers requests until [`Stopper::stop`] is called.
    pub fn run(self) {
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                let http = Arc::clone(&self.http);
                let playground = Arc::clone(&self.playground);
                let stopping = Arc::clone(&self.stopping);
                std::thread::spawn(move || worker(&http, &playground, &stopping))
            })
            .collect();
        for w in workers {
            // A worker that panicked has already printed why; the others finish.
            let _ = w.join();
        }
    }
}

fn worker(http: &tiny_http::Server, playground: &Playground, stopping: &AtomicBool) {
    while !stopping.load(Ordering::SeqCst) {
        match http.recv_timeout(POLL) {
            Ok(Some(request)) => answer(request, playground),
            Ok(None) => {}
            Err(_) => return,
        }
    }
}

fn answer(request: tiny_http::Request, playground: &Playground) {
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    let reply = playground.handle(
        request.method().as_str(),
        request.url(),
        host.as_deref(),
        request.body_length().unwrap_or(0),
    );
    let mut response = Response::from_data(reply.body).with_status_code(reply.status);
    let mut headers = vec![
        ("Content-Type", reply.content_type.to_string()),
        ("Cache-Control", "no-store".to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
        ("Referrer-Policy", "no-referrer".to_string()),
        (
            "Content-Security-Policy",
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
             img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
             frame-ancestors 'none'"
                .to_string(),
        ),
    ];
    if let Some(name) = reply.download {
        let safe: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || "._-".contains(*c))
            .collect();
        headers.push((
            "Content-Disposition",
            format!("attachment; filename=\"{safe}\""),
        ));
    }
    for (field, value) in headers {
        if let Ok(h) = Header::from_bytes(field.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    // The browser may have gone away; nothing to do about it.
    let _ = request.respond(response);
}
