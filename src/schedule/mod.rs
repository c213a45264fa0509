//! When scheduled actions fire: AWS `PutScheduledUpdateGroupAction` timing (UG: ec2-auto-scaling-scheduled-scaling).
//!
//! A [`Schedule`] is the timing part of a scheduled action: an optional five-field cron
//! `Recurrence` read in an IANA `TimeZone` (default `"UTC"`, following daylight saving), and
//! optional `StartTime` and `EndTime` instants in UTC. [`Schedule::next_fire`] answers the one
//! question the simulation asks: when does it fire next? Sizes, jitter and the order of actions
//! in a group belong to the caller.
//!
//! - With a recurrence and a start time, the action runs at the start time and then per cron.
//! - With a recurrence only, it runs per cron.
//! - Without a recurrence it runs once, at the start time.
//! - It never runs after the end time.
//!
//! The time zone database is compiled into the binary (jiff's `tzdb-bundle-always`), so nothing
//! is read from the system and a scenario gives the same schedule everywhere.
//!
//! This module is pure: no I/O, no clock.

pub mod cron;
mod zone;

pub use cron::{CronError, CronExpr, CronField};
pub use zone::{sim_ms_to_timestamp, timestamp_to_sim_ms};

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The time zone of a scheduled action that names none.
pub const DEFAULT_TIME_ZONE: &str = "UTC";

/// Why a scheduled action's timing was rejected. Messages use the scenario's key names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScheduleError {
    /// The recurrence is not a valid cron expression.
    #[error("recurrence: {0}")]
    Recurrence(#[from] CronError),
    /// The time zone is not in the IANA time zone database.
    #[error(
        "time_zone \"{name}\" is not an IANA time zone name; use a name such as \"UTC\", \"America/New_York\" or \"Europe/Paris\""
    )]
    UnknownTimeZone {
        /// The name as written.
        name: String,
    },
    /// A start or end time is not an RFC 3339 time in UTC.
    #[error(
        "{key} \"{text}\" is not an RFC 3339 time in UTC; write it like \"2025-01-06T08:00:00Z\" ({reason})"
    )]
    BadTime {
        /// `"start_time"` or `"end_time"`.
        key: &'static str,
        /// The time as written.
        text: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A well-formed time beyond the calendar asgsim computes in.
    #[error(
        "{key} \"{text}\" is later than {}, the last instant asgsim can compute with; use an earlier time",
        LAST_INSTANT
    )]
    OutOfRange {
        /// `"start_time"` or `"end_time"`.
        key: &'static str,
        /// The time as written.
        text: String,
    },
    /// The end time is not after the start time.
    #[error("end_time {end} must be after start_time {start}")]
    EndNotAfterStart {
        /// The start time.
        start: Timestamp,
        /// The end time.
        end: Timestamp,
    },
    /// Neither a recurrence nor a start time: the action would never run.
    #[error(
        "a scheduled action without a recurrence runs once, at its start_time; give a start_time or a recurrence"
    )]
    MissingStartTime,
}

/// The timing of one scheduled action: when it fires.
///
/// ```
/// use asgsim::schedule::Schedule;
/// use jiff::Timestamp;
///
/// // 08:00 in New York is 13:00 UTC in winter (EST) and 12:00 UTC in summer (EDT).
/// let morning = Schedule::new(Some("0 8 * * *"), "America/New_York", None, None)?;
/// let jan: Timestamp = "2025-01-15T00:00:00Z".parse()?;
/// let jul: Timestamp = "2025-07-15T00:00:00Z".parse()?;
/// assert_eq!(morning.next_fire(jan), Some("2025-01-15T13:00:00Z".parse()?));
/// assert_eq!(morning.next_fire(jul), Some("2025-07-15T12:00:00Z".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    cron: Option<CronExpr>,
    time_zone: TimeZone,
    /// The IANA name as written, for sentences.
    zone_name: String,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
}

impl Schedule {
    /// Builds a schedule from a scheduled action's `recurrence`, `time_zone` (an IANA name;
    /// pass [`DEFAULT_TIME_ZONE`] when the action names none), `start_time` and `end_time`
    /// (RFC 3339 in UTC, such as `"2025-01-06T08:00:00Z"`, as AWS takes them).
    ///
    /// Errors: a malformed recurrence, an unknown time zone, a time that is not RFC 3339 UTC,
    /// an end time not after the start time, or neither a recurrence nor a start time.
    pub fn new(
        recurrence: Option<&str>,
        time_zone: &str,
        start_time: Option<&str>,
        end_time: Option<&str>,
    ) -> Result<Schedule, ScheduleError> {
        let cron = recurrence.map(CronExpr::parse).transpose()?;
        let name = time_zone;
        let time_zone = zone::lookup(name).ok_or_else(|| ScheduleError::UnknownTimeZone {
            name: name.to_owned(),
        })?;
        let start = start_time.map(|t| parse_utc("start_time", t)).transpose()?;
        let end = end_time.map(|t| parse_utc("end_time", t)).transpose()?;
        if let (Some(start), Some(end)) = (start, end)
            && end <= start
        {
            return Err(ScheduleError::EndNotAfterStart { start, end });
        }
        if cron.is_none() && start.is_none() {
            return Err(ScheduleError::MissingStartTime);
        }
        Ok(Schedule {
            cron,
            zone_name: time_zone.iana_name().unwrap_or(name).to_owned(),
            time_zone,
            start,
            end,
        })
    }

    /// The recurrence, if the action recurs.
    pub fn cron(&self) -> Option<&CronExpr> {
        self.cron.as_ref()
    }

    /// The time zone the recurrence is read in.
    pub fn time_zone(&self) -> &TimeZone {
        &self.time_zone
    }

    /// The time zone's IANA name, as the scenario wrote it (`America/New_York`).
    pub fn time_zone_name(&self) -> &str {
        &self.zone_name
    }

    /// The start time: the first run of the action, if given.
    pub fn start(&self) -> Option<Timestamp> {
        self.start
    }

    /// The end time: the action never runs after it, if given.
    pub fn end(&self) -> Option<Timestamp> {
        self.end
    }

    /// The first instant strictly after `after` at which the action fires, or `None` if it
    /// never fires again.
    ///
    /// The start time comes first if it is still ahead; then the next cron match in the zone's
    /// local time (a local time skipped by daylight saving runs at the instant the gap ends; one
    /// that occurs twice runs once, at the earlier instant); nothing after the end time (a fire
    /// exactly at the end time still runs).
    pub fn next_fire(&self, after: Timestamp) -> Option<Timestamp> {
        if let Some(start) = self.start.filter(|&start| start > after) {
            return Some(start);
        }
        let cron = self.cron.as_ref()?;
        let next = zone::next_local_match(cron, &self.time_zone, after)?;
        match self.end {
            Some(end) if next > end => None,
            _ => Some(next),
        }
    }

    /// The first instant at or after `at` at which the action fires: what a simulation starting
    /// at `at` should schedule first (at [`Timestamp::MIN`], strictly after it).
    pub fn first_fire_from(&self, at: Timestamp) -> Option<Timestamp> {
        let before = at
            .checked_sub(jiff::SignedDuration::from_nanos(1))
            .unwrap_or(at);
        self.next_fire(before)
    }
}

/// Parses an RFC 3339 time that is in UTC (`Z` or a zero offset), as AWS requires.
fn parse_utc(key: &'static str, text: &str) -> Result<Timestamp, ScheduleError> {
    let bad = |reason: String| ScheduleError::BadTime {
        key,
        text: text.to_owned(),
        reason,
    };
    let trimmed = text.trim_end();
    let ts: Timestamp = text.parse().map_err(|e: jiff::Error| {
        if is_civil_utc(trimmed) {
            ScheduleError::OutOfRange {
                key,
                text: text.to_owned(),
            }
        } else {
            bad(e.to_string())
        }
    })?;
    let utc =
        trimmed.ends_with(['Z', 'z']) || trimmed.ends_with("+00:00") || trimmed.ends_with("-00:00");
    if !utc {
        return Err(bad("it must end in Z".into()));
    }
    Ok(ts)
}

/// The last instant jiff's timestamps reach, as a user would write it (years past it, such as
/// 9999-12-31, are well-formed RFC 3339 but cannot be computed with).
pub const LAST_INSTANT: &str = "9999-12-30T22:00:00Z";

/// Whether `text` is a well-formed UTC date-time (`…Z` or `…+00:00`) whatever its range: a
/// time that does not parse as a timestamp but is this is out of range, not malformed.
pub fn is_civil_utc(text: &str) -> bool {
    let civil = text
        .strip_suffix(['Z', 'z'])
        .or_else(|| text.strip_suffix("+00:00"))
        .or_else(|| text.strip_suffix("-00:00"));
    civil.is_some_and(|c| c.parse::<jiff::civil::DateTime>().is_ok())
}

#[cfg(test)]
mod tests;
