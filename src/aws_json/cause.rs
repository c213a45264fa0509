//! Scaling-activity causes, in AWS's wording (`describe-scaling-activities`' `Cause`) and in
//! asgsim's (`activities.csv`), read into one shape: when, what triggered it, and the change
//! of desired capacity it made. asgsim writes AWS's sentences and adds its detail after them;
//! causes of earlier asgsim versions (`At d1 07:08:00 alarm …`) still read.
//!
//! AWS (UG: as-verify-scaling-activity) writes, for example,
//! "At 2024-05-10T07:08:00Z a monitor alarm HighCPU in state ALARM triggered policy scale-out
//! changing the desired capacity from 3 to 5. At 2024-05-10T07:08:07Z an instance was started
//! in response to a difference between desired and actual capacity, increasing the capacity
//! from 3 to 5." The first sentence is the decision; the second, the instance's own.

/// What set a decision going.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    /// An alarm invoked a policy (target tracking's managed alarms included).
    Alarm {
        /// The alarm's name.
        alarm: String,
        /// The policy's name.
        policy: String,
    },
    /// A scheduled action (AWS's cause does not name it).
    Scheduled {
        /// Its name, when the cause says it.
        name: Option<String>,
    },
    /// A predictive policy.
    Predictive {
        /// Its name.
        policy: String,
    },
    /// Someone set the capacity (a user request, a scripted event).
    User,
    /// Anything else: a replacement, a rebalancing, a resumed process.
    Other,
}

impl Trigger {
    /// A short name for reports: `alarm HighCPU → policy scale-out`, `scheduled action evening`.
    pub fn describe(&self) -> String {
        match self {
            Trigger::Alarm { alarm, policy } => format!("alarm {alarm} → policy {policy}"),
            Trigger::Scheduled { name: Some(n) } => format!("scheduled action {n}"),
            Trigger::Scheduled { name: None } => "a scheduled action".to_string(),
            Trigger::Predictive { policy } => format!("predictive policy {policy}"),
            Trigger::User => "a user request".to_string(),
            Trigger::Other => "the group itself".to_string(),
        }
    }
}

/// When a cause says it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CauseTime {
    /// An ISO-8601 time \[ms since the Unix epoch\] (AWS, and asgsim's scheduled actions).
    Epoch(i64),
    /// asgsim's clock, `d1 07:08:00` \[ms since the start of the run\].
    Clock(u64),
}

/// A cause, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// When, if the cause starts with "At …".
    pub time: Option<CauseTime>,
    /// What triggered it.
    pub trigger: Trigger,
    /// The change of desired capacity (before, after), if the decision made one.
    pub change: Option<(u32, u32)>,
}

/// The decision sentence of a cause: up to the first ". At " (AWS appends the instance's).
fn first_sentence(text: &str) -> &str {
    text.find(". At ").map_or(text, |i| &text[..=i])
}

/// Reads a cause written by AWS or by asgsim; `None` for text of neither shape.
pub fn parse_cause(text: &str) -> Option<Cause> {
    let sentence = first_sentence(text.trim());
    let rest = sentence.strip_prefix("At ")?;
    let (time, rest) = parse_time(rest)?;
    let trigger = match parse_trigger(rest) {
        // AWS does not name the action; asgsim's detail sentence does.
        Trigger::Scheduled { name: None } => Trigger::Scheduled {
            name: between(text, " The scheduled action ", " ").map(str::to_string),
        },
        trigger => trigger,
    };
    Some(Cause {
        time: Some(time),
        trigger,
        change: parse_change(rest),
    })
}

/// `2024-05-10T07:08:00Z rest`, or asgsim's `d1 07:08:00 rest` / `07:08:00 rest`.
fn parse_time(text: &str) -> Option<(CauseTime, &str)> {
    let (first, rest) = text.split_once(' ')?;
    if let Some(ms) = crate::trace::parse_iso_ms(first.as_bytes()) {
        return Some((CauseTime::Epoch(ms), rest));
    }
    let (days, clock, rest) = match first.strip_prefix('d') {
        Some(d) => {
            let (clock, rest) = rest.split_once(' ')?;
            (d.parse::<u64>().ok()?, clock, rest)
        }
        None => (0, first, rest),
    };
    let parts: Vec<u64> = clock
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s] = parts[..] else {
        return None;
    };
    Some((
        CauseTime::Clock(((days * 24 + h) * 3600 + m * 60 + s) * 1000),
        rest,
    ))
}

/// The text between `start` and the next `end`.
fn between<'t>(text: &'t str, start: &str, end: &str) -> Option<&'t str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

fn parse_trigger(rest: &str) -> Trigger {
    if let (Some(alarm), Some(policy)) = (
        between(rest, "alarm ", " in state ALARM"),
        between(rest, "triggered policy ", " changing the desired capacity"),
    ) {
        return Trigger::Alarm {
            alarm: alarm.to_string(),
            policy: policy.to_string(),
        };
    }
    if let Some(policy) = between(rest, "predictive policy ", " ") {
        return Trigger::Predictive {
            policy: policy.to_string(),
        };
    }
    if rest.starts_with("scheduled action ") || rest.starts_with("a scheduled action") {
        let name = rest
            .strip_prefix("scheduled action ")
            .and_then(|r| r.split([' ', '.']).next())
            .filter(|n| *n != "update")
            .map(str::to_string);
        return Trigger::Scheduled { name };
    }
    if rest.starts_with("a user request") {
        return Trigger::User;
    }
    Trigger::Other
}

/// "desired capacity from X to Y", or asgsim's scheduled "desired X → Y".
fn parse_change(rest: &str) -> Option<(u32, u32)> {
    let numbers = |from: &str, to: &str| -> Option<(u32, u32)> {
        Some((from.trim().parse().ok()?, to.trim().parse().ok()?))
    };
    if let Some(i) = rest.find("desired capacity from ") {
        let tail = &rest[i + "desired capacity from ".len()..];
        let (from, tail) = tail.split_once(" to ")?;
        let to: String = tail.chars().take_while(char::is_ascii_digit).collect();
        return numbers(from, &to);
    }
    if let Some(i) = rest.find("desired ") {
        let tail = &rest[i + "desired ".len()..];
        let (from, tail) = tail.split_once(" → ")?;
        let to: String = tail.chars().take_while(char::is_ascii_digit).collect();
        return numbers(from, &to);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_causes_read() {
        let c = parse_cause("At 2024-05-10T07:08:00Z a monitor alarm TargetTracking-web-AlarmHigh-1a2b in state ALARM triggered policy alb-requests changing the desired capacity from 3 to 5. At 2024-05-10T07:08:07Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 3 to 5.").unwrap();
        assert_eq!(c.time, Some(CauseTime::Epoch(1_715_324_880_000)));
        assert_eq!(
            c.trigger,
            Trigger::Alarm {
                alarm: "TargetTracking-web-AlarmHigh-1a2b".into(),
                policy: "alb-requests".into()
            }
        );
        assert_eq!(c.change, Some((3, 5)));
        let s = parse_cause("At 2019-06-25T14:00:00Z a scheduled action update of AutoScalingGroup constraints to min: 2, max: 6, desired: 4 changing the desired capacity from 2 to 4. At 2019-06-25T14:00:23Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 4.").unwrap();
        assert_eq!(
            (s.trigger, s.change),
            (Trigger::Scheduled { name: None }, Some((2, 4)))
        );
        let u = parse_cause("At 2020-01-01T00:00:00Z a user request explicitly set group desired capacity changing the desired capacity from 1 to 2.").unwrap();
        assert_eq!((u.trigger, u.change), (Trigger::User, Some((1, 2))));
        let h = parse_cause("At 2020-01-01T00:10:00Z an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.").unwrap();
        assert_eq!((h.trigger, h.change), (Trigger::Other, None));
    }

    #[test]
    fn asgsim_causes_read() {
        let c = parse_cause("At d1 07:08:00 alarm HighCPU in state ALARM (average CPU 76.1% > 75%) triggered policy scale-out changing the desired capacity from 3 to 5.").unwrap();
        assert_eq!(c.time, Some(CauseTime::Clock((31 * 3600 + 8 * 60) * 1000)));
        assert_eq!(
            c.trigger,
            Trigger::Alarm {
                alarm: "HighCPU".into(),
                policy: "scale-out".into()
            }
        );
        assert_eq!(c.change, Some((3, 5)));
        let s = parse_cause("At 2025-03-07T13:00:00Z scheduled action business-hours-up (0 8 * * MON-FRI, America/New_York) set min 2 → 4, desired 3 → 6.").unwrap();
        assert_eq!(
            s.trigger,
            Trigger::Scheduled {
                name: Some("business-hours-up".into())
            }
        );
        assert_eq!(s.change, Some((3, 6)));
        let p = parse_cause("At 01:00:00 predictive policy forecast raised the desired capacity from 2 to 4 for the hour starting 01:10:00 (forecast 3.50 instances).").unwrap();
        assert_eq!(
            (p.trigger, p.change),
            (
                Trigger::Predictive {
                    policy: "forecast".into()
                },
                Some((2, 4))
            )
        );
        let u = parse_cause(
            "At 03:00:00 a user request (scripted event) set the desired capacity from 4 to 6.",
        )
        .unwrap();
        assert_eq!((u.trigger, u.change), (Trigger::User, Some((4, 6))));
        assert_eq!(parse_cause("nothing like a cause"), None);
        let named = parse_cause("At 2025-03-07T13:00:00Z a scheduled action update of AutoScalingGroup constraints to min: 4, desired: 6 changing the desired capacity from 3 to 6. At 2025-03-07T13:00:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 3 to 6. The scheduled action business-hours-up (0 8 * * MON-FRI, America/New_York) set min 2 → 4, desired 3 → 6.").unwrap();
        assert_eq!(
            (named.trigger, named.change),
            (
                Trigger::Scheduled {
                    name: Some("business-hours-up".into())
                },
                Some((3, 6))
            )
        );
    }
}
