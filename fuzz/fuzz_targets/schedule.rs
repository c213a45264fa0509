//! Scheduled actions' timing: a cron recurrence, a time zone, a start and an end time (one per
//! line), then the next firings from a fixed instant, as the simulator asks for them.
#![no_main]

use asgsim::schedule::{CronExpr, Schedule};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let recurrence = lines.next().filter(|l| !l.is_empty());
    let zone = lines.next().filter(|l| !l.is_empty()).unwrap_or("UTC");
    let start = lines.next().filter(|l| !l.is_empty());
    let end = lines.next().filter(|l| !l.is_empty());
    if let Some(r) = recurrence
        && let Ok(cron) = CronExpr::parse(r)
    {
        let from = jiff::civil::date(2025, 1, 6).at(0, 0, 0, 0);
        let _ = cron.next_after(from);
    }
    if let Ok(schedule) = Schedule::new(recurrence, zone, start, end) {
        let mut at = jiff::Timestamp::from_second(1_736_121_600).unwrap();
        for _ in 0..3 {
            match schedule.next_fire(at) {
                Some(next) => {
                    assert!(next > at);
                    at = next;
                }
                None => break,
            }
        }
    }
});
