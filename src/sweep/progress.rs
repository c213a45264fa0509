//! How a sweep shows that it is alive: a progress bar on a terminal, and plain lines at a
//! steady pace otherwise, so that a long sweep shows life in the logs of Slurm, Kubernetes or
//! AWS Batch (which keep stderr as a file, where a bar's redraws would be noise).
//!
//! Lines go to stderr every [`DEFAULT_INTERVAL`] (`ASGSIM_PROGRESS_INTERVAL` changes it; `0`
//! turns the lines off), and also whenever another [`STEP_PERCENT`]% of the runs is done,
//! but then at most once a second:
//!
//! ```text
//! progress: 1260 of 4500 runs (28.0%) in 2m05s, 10.1 runs/s, about 5m21s left
//! ```

use std::io::{IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressState, ProgressStyle};

/// Time between two progress lines when nothing else prompts one.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(10);
/// A line is also written each time this share of the runs is done \[%\].
pub const STEP_PERCENT: u64 = 5;
/// The environment variable that sets the interval (a duration such as `30s` or `5m`).
pub const INTERVAL_VAR: &str = "ASGSIM_PROGRESS_INTERVAL";
/// Least time between two lines prompted by a step \[s\].
const MIN_STEP_GAP: Duration = Duration::from_secs(1);

/// The progress display of one sweep: call [`Progress::inc`] as runs finish and
/// [`Progress::finish`] at the end.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    lines: Option<Arc<Lines>>,
    ticker: Option<(Sender<()>, JoinHandle<()>)>,
}

impl Progress {
    /// The display for `total` runs: a bar when stderr is a terminal, lines when it is not;
    /// nothing unless `show`. `interval` is the time between lines (`None`: from
    /// [`INTERVAL_VAR`], else [`DEFAULT_INTERVAL`]).
    pub fn start(show: bool, total: u64, interval: Option<Duration>) -> Self {
        let none = || Self {
            bar: None,
            lines: None,
            ticker: None,
        };
        if !show || total == 0 {
            return none();
        }
        if std::io::stderr().is_terminal() {
            return Self {
                bar: Some(progress_bar(total)),
                lines: None,
                ticker: None,
            };
        }
        let interval = interval.unwrap_or_else(interval_from_env);
        if interval.is_zero() {
            return none();
        }
        let lines = Arc::new(Lines::new(total, Instant::now()));
        let (stop, wait) = mpsc::channel::<()>();
        let ticking = Arc::clone(&lines);
        let ticker = std::thread::Builder::new()
            .name("asgsim-progress".to_string())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = wait.recv_timeout(interval) {
                    ticking.write(Instant::now());
                }
            })
            .ok();
        Self {
            bar: None,
            lines: Some(lines),
            ticker: ticker.map(|t| (stop, t)),
        }
    }

    /// One more run is done.
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
        if let Some(lines) = &self.lines {
            lines.done_one(Instant::now());
        }
    }

    /// Clears the bar and stops the lines.
    pub fn finish(mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        self.stop_ticker();
    }

    fn stop_ticker(&mut self) {
        if let Some((stop, ticker)) = self.ticker.take() {
            drop(stop);
            let _ = ticker.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop_ticker();
    }
}

/// The interval of [`INTERVAL_VAR`], else [`DEFAULT_INTERVAL`] (also for a value that does not
/// parse: progress is never worth failing a sweep for).
fn interval_from_env() -> Duration {
    std::env::var(INTERVAL_VAR)
        .ok()
        .and_then(|text| crate::time::parse_duration(&text).ok())
        .map_or(DEFAULT_INTERVAL, Duration::from_millis)
}

/// A progress bar with an ETA on stderr.
fn progress_bar(len: u64) -> ProgressBar {
    let bar = ProgressBar::new(len);
    let rate = |state: &ProgressState, w: &mut dyn std::fmt::Write| {
        let _ = write!(w, "{:.0} runs/s", state.per_sec());
    };
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {rate}  ETA {eta}")
    {
        bar.set_style(style.with_key("rate", rate));
    }
    bar
}

/// The state of the plain lines.
#[derive(Debug)]
struct Lines {
    total: u64,
    started: Instant,
    state: Mutex<LineState>,
}

#[derive(Debug, Clone, Copy)]
struct LineState {
    done: u64,
    last_line: Instant,
}

impl Lines {
    fn new(total: u64, now: Instant) -> Self {
        Self {
            total,
            started: now,
            state: Mutex::new(LineState {
                done: 0,
                last_line: now,
            }),
        }
    }

    /// Counts one run; writes a line when it completes another step and the last line is
    /// at least [`MIN_STEP_GAP`] old.
    fn done_one(&self, now: Instant) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let before = step_of(state.done, self.total);
        state.done += 1;
        let crossed = step_of(state.done, self.total) > before;
        if crossed && state.done < self.total && now - state.last_line >= MIN_STEP_GAP {
            state.last_line = now;
            let line = self.line(state.done, now);
            drop(state);
            emit(&line);
        }
    }

    /// Writes a line now (the ticker's), unless every run is done.
    fn write(&self, now: Instant) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.done >= self.total {
            return;
        }
        state.last_line = now;
        let line = self.line(state.done, now);
        drop(state);
        emit(&line);
    }

    fn line(&self, done: u64, now: Instant) -> String {
        progress_line(done, self.total, now - self.started)
    }
}

/// How many whole steps of [`STEP_PERCENT`]% `done` of `total` makes.
fn step_of(done: u64, total: u64) -> u64 {
    (u128::from(done) * 100 / (u128::from(total.max(1)) * u128::from(STEP_PERCENT))) as u64
}

/// One line to stderr; a closed stderr is ignored.
fn emit(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// `progress: 1260 of 4500 runs (28.0%) in 2m05s, 10.1 runs/s, about 5m21s left`.
fn progress_line(done: u64, total: u64, elapsed: Duration) -> String {
    let pct = 100.0 * done as f64 / total.max(1) as f64;
    let secs = elapsed.as_secs_f64();
    let mut line = format!(
        "progress: {done} of {total} runs ({pct:.1}%) in {}",
        clock(secs)
    );
    if done > 0 && secs > 0.0 {
        let rate = done as f64 / secs;
        let left = (total - done.min(total)) as f64 / rate;
        line.push_str(&format!(", {rate:.1} runs/s, about {} left", clock(left)));
    }
    line
}

/// `42s`, `2m05s`, `3h07m`.
fn clock(secs: f64) -> String {
    let s = secs.round() as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, s / 60 % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_like_a_log() {
        let line = progress_line(1260, 4500, Duration::from_secs(125));
        assert_eq!(
            line,
            "progress: 1260 of 4500 runs (28.0%) in 2m05s, 10.1 runs/s, about 5m21s left"
        );
        assert_eq!(
            progress_line(0, 10, Duration::ZERO),
            "progress: 0 of 10 runs (0.0%) in 0s"
        );
        assert_eq!(clock(3.0 * 3600.0 + 7.0 * 60.0), "3h07m");
    }

    #[test]
    fn steps_are_whole_five_percents() {
        assert_eq!(step_of(0, 100), 0);
        assert_eq!(step_of(4, 100), 0);
        assert_eq!(step_of(5, 100), 1);
        assert_eq!(step_of(100, 100), 20);
        assert_eq!(step_of(1, 3), 6, "one run of three is 33%: six steps");
        assert_eq!(step_of(u64::MAX, u64::MAX), 20);
    }

    #[test]
    fn a_step_prompts_a_line_at_most_once_a_second() {
        let t0 = Instant::now();
        let lines = Lines::new(100, t0);
        let last = |l: &Lines| l.state.lock().unwrap().last_line;
        for _ in 0..5 {
            lines.done_one(t0 + Duration::from_millis(500));
        }
        assert_eq!(
            last(&lines),
            t0,
            "a step half a second after the start: no line"
        );
        for _ in 0..5 {
            lines.done_one(t0 + Duration::from_secs(2));
        }
        assert_eq!(
            last(&lines),
            t0 + Duration::from_secs(2),
            "a step after 2 s: a line"
        );
        lines.done_one(t0 + Duration::from_secs(4));
        assert_eq!(last(&lines), t0 + Duration::from_secs(2), "no step crossed");
    }

    #[test]
    fn nothing_is_shown_when_not_asked_or_with_no_runs() {
        let p = Progress::start(false, 10, Some(Duration::from_millis(1)));
        assert!(p.bar.is_none() && p.lines.is_none() && p.ticker.is_none());
        let p = Progress::start(true, 0, Some(Duration::from_millis(1)));
        assert!(p.lines.is_none());
        p.finish();
    }
}
