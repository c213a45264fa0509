//! Time zones and instants: the bundled IANA database, local cron times to instants across
//! daylight-saving changes, and simulation milliseconds to wall-clock instants and back.

use jiff::tz::{AmbiguousOffset, TimeZone, TimeZoneDatabase};
use jiff::{SignedDuration, Timestamp};

use super::cron::CronExpr;
use crate::time::SimTime;

/// Looks up an IANA time zone name (case-insensitive) in the database compiled into the
/// binary, never in the system's `/usr/share/zoneinfo` or `TZDIR`: the same scenario then gives
/// the same schedule on every machine.
pub(super) fn lookup(name: &str) -> Option<TimeZone> {
    TimeZoneDatabase::bundled().get(name).ok()
}

/// The first instant strictly after `after` at which `cron`, read in the local time of `tz`,
/// fires.
///
/// Local times that do not exist (the spring-forward gap) fire at the instant the gap ends;
/// local times that occur twice (the fall-back fold) fire once, at the earlier instant.
pub(super) fn next_local_match(
    cron: &CronExpr,
    tz: &TimeZone,
    after: Timestamp,
) -> Option<Timestamp> {
    let mut local = tz.to_datetime(after);
    // Local time to instant is non-decreasing under the rules above, so the first candidate
    // past `after` is the answer. Candidates at or before `after` come only from a fold that
    // `after` sits in (its local times already fired at their earlier instant): skip them.
    loop {
        let candidate = cron.next_after(local)?;
        let instant = local_to_instant(tz, candidate)?;
        if instant > after {
            return Some(instant);
        }
        local = candidate;
    }
}

/// The instant at which a scheduled local time runs in `tz`.
///
/// In a gap this is the instant of the transition (2025-03-09 02:30 in America/New_York runs
/// at 07:00 UTC = 03:00 EDT); in a fold it is the earlier of the two instants.
pub(super) fn local_to_instant(tz: &TimeZone, civil: jiff::civil::DateTime) -> Option<Timestamp> {
    match tz.to_ambiguous_timestamp(civil).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(civil).ok(),
        AmbiguousOffset::Fold { before, .. } => before.to_timestamp(civil).ok(),
        AmbiguousOffset::Gap { after, .. } => {
            // Read with the later offset, `civil` lands before the transition (inside the
            // gap's span of instants); the next transition is where the gap ends.
            let inside = after.to_timestamp(civil).ok()?;
            tz.following(inside).next().map(|t| t.timestamp())
        }
    }
}

/// The wall-clock instant of simulation time `ms` \[ms since t = 0\], where t = 0 is `t0`.
///
/// Saturates at [`Timestamp::MAX`] for times beyond the year 9999.
pub fn sim_ms_to_timestamp(t0: Timestamp, ms: SimTime) -> Timestamp {
    i64::try_from(ms)
        .ok()
        .and_then(|ms| t0.checked_add(SignedDuration::from_millis(ms)).ok())
        .unwrap_or(Timestamp::MAX)
}

/// The simulation time \[ms since t = 0\] of instant `ts`, where t = 0 is `t0`; `None` before
/// `t0`.
///
/// A fraction of a millisecond rounds *up*, so that the simulation never acts before the
/// instant, and `sim_ms_to_timestamp` of the result is never earlier than `ts`: asking a
/// [`Schedule`](super::Schedule) for the next fire after that time cannot return `ts` again.
pub fn timestamp_to_sim_ms(t0: Timestamp, ts: Timestamp) -> Option<SimTime> {
    let nanos = ts.as_nanosecond().checked_sub(t0.as_nanosecond())?;
    if nanos < 0 {
        return None;
    }
    // Instants span less than 20,000 years, about 6.3e14 ms, well inside a u64.
    SimTime::try_from((nanos + 999_999) / 1_000_000).ok()
}
