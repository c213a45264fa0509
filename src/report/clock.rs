//! Time-axis ticks and labels in the `--explain` clock, so that "look at 07:50 on the plot"
//! finds the sentence `07:50:00 HighCPU → ALARM …`.
//!
//! The clock counts from the start of the run: `HH:MM` on the first day, `dN HH:MM` after it,
//! and day numbers `dN` when the ticks are a day or more apart (`--explain` writes
//! `d3 07:50:00`). Ticks fall on round multiples of a step from the start of the run (a
//! minute to a year), at most about a dozen along the axis. When the scenario sets
//! `start_time`, day ticks also carry the calendar date (`d31 Feb 6`) and the axis
//! description names the date of d0.

use jiff::Timestamp;

use crate::time::{MS_PER_DAY, MS_PER_HOUR, MS_PER_MIN, SimTime};

/// Tick steps to choose from, smallest first \[ms\].
const STEPS_MS: [SimTime; 20] = [
    MS_PER_MIN,
    2 * MS_PER_MIN,
    5 * MS_PER_MIN,
    10 * MS_PER_MIN,
    15 * MS_PER_MIN,
    30 * MS_PER_MIN,
    MS_PER_HOUR,
    2 * MS_PER_HOUR,
    3 * MS_PER_HOUR,
    6 * MS_PER_HOUR,
    12 * MS_PER_HOUR,
    MS_PER_DAY,
    2 * MS_PER_DAY,
    7 * MS_PER_DAY,
    14 * MS_PER_DAY,
    30 * MS_PER_DAY,
    60 * MS_PER_DAY,
    90 * MS_PER_DAY,
    180 * MS_PER_DAY,
    365 * MS_PER_DAY,
];

/// Most tick intervals along an axis.
pub(crate) const MAX_TICK_INTERVALS: u64 = 12;

/// The ticks of a time axis over `[0, span_ms]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClockTicks {
    /// Distance between ticks \[ms\].
    pub(crate) step_ms: SimTime,
    /// Where the ticks are \[ms\], from 0.
    pub(crate) at_ms: Vec<SimTime>,
}

/// Ticks at multiples of the smallest step that gives at most [`MAX_TICK_INTERVALS`]
/// intervals over `span_ms` (multiples of a year beyond the list).
pub(crate) fn clock_ticks(span_ms: SimTime) -> ClockTicks {
    let step_ms = STEPS_MS
        .iter()
        .copied()
        .find(|&step| span_ms / step <= MAX_TICK_INTERVALS)
        .unwrap_or_else(|| {
            let year = STEPS_MS[STEPS_MS.len() - 1];
            year * (span_ms / year).div_ceil(MAX_TICK_INTERVALS)
        });
    let at_ms = (0..=span_ms / step_ms).map(|i| i * step_ms).collect();
    ClockTicks { step_ms, at_ms }
}

/// The label of a tick at `t_ms` on an axis whose ticks are `step_ms` apart: the `--explain`
/// clock to the minute (`07:50`, `d3 07:50`), to the second when ticks are closer than a minute,
/// and the day number (`d3`) when they are a day or more apart, then the date of that day
/// when the run has a `start` time (`d3 Mar 10`).
pub(crate) fn clock_label(t_ms: SimTime, step_ms: SimTime, start: Option<Timestamp>) -> String {
    let total_s = t_ms / 1_000;
    let day = total_s / 86_400;
    let (h, m, s) = (total_s / 3_600 % 24, total_s / 60 % 60, total_s % 60);
    if step_ms >= MS_PER_DAY {
        return match start.and_then(|start| date_of(start, t_ms)) {
            Some(date) => format!("d{day} {date}"),
            None => format!("d{day}"),
        };
    }
    let prefix = if day > 0 {
        format!("d{day} ")
    } else {
        String::new()
    };
    if step_ms < MS_PER_MIN {
        format!("{prefix}{h:02}:{m:02}:{s:02}")
    } else {
        format!("{prefix}{h:02}:{m:02}")
    }
}

/// `Mar 10`: the UTC calendar day of `start` + `t_ms`.
fn date_of(start: Timestamp, t_ms: SimTime) -> Option<String> {
    let at = start.checked_add(jiff::SignedDuration::from_millis(i64::try_from(t_ms).ok()?));
    Some(at.ok()?.strftime("%b %-d").to_string())
}

/// The description of a time axis: how to read its labels, and the date of d0 when the run
/// has a `start` time.
pub(crate) fn clock_axis_description(start: Option<Timestamp>) -> String {
    match start {
        Some(start) => format!(
            "time, as --explain prints it (d0 = {} UTC)",
            start.strftime("%Y-%m-%d %H:%M")
        ),
        None => "time, as --explain prints it (dN = day N of the run)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Clock;

    fn labels(span_ms: SimTime, start: Option<Timestamp>) -> Vec<String> {
        let ticks = clock_ticks(span_ms);
        ticks
            .at_ms
            .iter()
            .map(|&t| clock_label(t, ticks.step_ms, start))
            .collect()
    }

    #[test]
    fn a_tick_reads_as_the_explain_clock() {
        // --explain writes "07:50:00 …" and "d3 07:50:00 …"; the axis, "07:50" and "d3 07:50".
        let t = 7 * MS_PER_HOUR + 50 * MS_PER_MIN;
        assert_eq!(Clock(t).to_string(), "07:50:00");
        assert_eq!(clock_label(t, 10 * MS_PER_MIN, None), "07:50");
        let later = 3 * MS_PER_DAY + t;
        assert_eq!(Clock(later).to_string(), "d3 07:50:00");
        assert_eq!(clock_label(later, 10 * MS_PER_MIN, None), "d3 07:50");
        assert_eq!(clock_label(later + 5_000, 30_000, None), "d3 07:50:05");
    }

    #[test]
    fn ticks_go_from_an_hour_to_a_year() {
        assert_eq!(
            labels(MS_PER_HOUR, None),
            [
                "00:00", "00:05", "00:10", "00:15", "00:20", "00:25", "00:30", "00:35", "00:40",
                "00:45", "00:50", "00:55", "01:00"
            ]
        );
        assert_eq!(
            labels(MS_PER_DAY, None),
            [
                "00:00", "02:00", "04:00", "06:00", "08:00", "10:00", "12:00", "14:00", "16:00",
                "18:00", "20:00", "22:00", "d1 00:00"
            ]
        );
        assert_eq!(
            labels(4 * MS_PER_DAY, None)[..4],
            ["00:00", "12:00", "d1 00:00", "d1 12:00"]
        );
        let week = labels(7 * MS_PER_DAY, None);
        assert_eq!(week, ["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7"]);
        let year = labels(365 * MS_PER_DAY, None);
        assert_eq!(year[..3], ["d0", "d30", "d60"]);
        assert_eq!(year.len(), 13);
        assert!(clock_ticks(10 * 365 * MS_PER_DAY).at_ms.len() <= 13);
    }

    #[test]
    fn day_ticks_carry_the_date_when_the_run_has_a_start_time() {
        let start: Timestamp = "2025-03-07T00:00:00Z".parse().unwrap();
        let year = labels(365 * MS_PER_DAY, Some(start));
        assert_eq!(year[..3], ["d0 Mar 7", "d30 Apr 6", "d60 May 6"]);
        assert_eq!(labels(MS_PER_DAY, Some(start))[1], "02:00");
        assert_eq!(
            clock_axis_description(Some(start)),
            "time, as --explain prints it (d0 = 2025-03-07 00:00 UTC)"
        );
    }
}
