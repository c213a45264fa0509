//! Five-field Unix cron expressions, as Auto Scaling takes them in a scheduled action's
//! `Recurrence`: `\[Minute\] \[Hour\] \[Day_of_Month\] \[Month_of_Year\] \[Day_of_Week\]`.
//!
//! Each field is `*`, a number, a range `1-5`, a step `*/15`, `10-50/10` or `5/15` (from 5 to
//! the field's top), or a comma-separated list of those. Months may be written `JAN`–`DEC` and
//! days of the week `SUN`–`SAT`, in any case and also inside ranges (`MON-FRI`); day of week 0
//! and 7 are both Sunday.
//!
//! Day rule (Vixie cron, which POSIX follows): when both day of month and day of week are
//! restricted, a day matches when *either* matches (`0 0 1 * MON` = the 1st and every
//! Monday). A field counts as unrestricted when it starts with `*`, so `*/2` is unrestricted
//! as in Vixie cron and cronie; then a day must match both fields.
//!
//! Fields are kept as bitsets, so [`CronExpr::matches`] is a handful of bit tests and
//! [`CronExpr::next_after`] skips whole months and days that cannot match.

use std::fmt;

use jiff::civil::{Date, DateTime};

/// How many years [`CronExpr::next_after`] looks ahead before it decides that an expression
/// never fires (such as `0 0 30 2 *`, the 30th of February).
pub const SEARCH_YEARS: i16 = 5;

/// The form of a recurrence, quoted in error messages.
const FORM: &str = "[Minute] [Hour] [Day_of_Month] [Month_of_Year] [Day_of_Week]";

const MONTH_NAMES: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAY_NAMES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// One of the five fields of a cron expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CronField {
    /// Field 1: minute of the hour, 0–59.
    Minute,
    /// Field 2: hour of the day, 0–23.
    Hour,
    /// Field 3: day of the month, 1–31.
    DayOfMonth,
    /// Field 4: month of the year, 1–12 or `JAN`–`DEC`.
    Month,
    /// Field 5: day of the week, 0–7 (0 and 7 are Sunday) or `SUN`–`SAT`.
    DayOfWeek,
}

impl CronField {
    /// The five fields in the order they are written.
    pub const ALL: [CronField; 5] = [
        CronField::Minute,
        CronField::Hour,
        CronField::DayOfMonth,
        CronField::Month,
        CronField::DayOfWeek,
    ];

    /// Position of the field in the expression, counting from 1.
    pub fn number(self) -> usize {
        match self {
            CronField::Minute => 1,
            CronField::Hour => 2,
            CronField::DayOfMonth => 3,
            CronField::Month => 4,
            CronField::DayOfWeek => 5,
        }
    }

    /// Name of the field in plain words, such as `"day of week"`.
    pub fn name(self) -> &'static str {
        match self {
            CronField::Minute => "minute",
            CronField::Hour => "hour",
            CronField::DayOfMonth => "day of month",
            CronField::Month => "month",
            CronField::DayOfWeek => "day of week",
        }
    }

    /// The values the field accepts, as written in error messages, such as `"0-7 or SUN-SAT"`.
    pub fn valid(self) -> &'static str {
        match self {
            CronField::Minute => "0-59",
            CronField::Hour => "0-23",
            CronField::DayOfMonth => "1-31",
            CronField::Month => "1-12 or JAN-DEC",
            CronField::DayOfWeek => "0-7 or SUN-SAT",
        }
    }

    /// "is not …": what one value of this field is called.
    fn noun(self) -> &'static str {
        match self {
            CronField::Minute => "a minute",
            CronField::Hour => "an hour",
            CronField::DayOfMonth => "a day of the month",
            CronField::Month => "a month",
            CronField::DayOfWeek => "a day",
        }
    }

    /// Smallest and largest value that may be written.
    fn bounds(self) -> (u32, u32) {
        match self {
            CronField::Minute => (0, 59),
            CronField::Hour => (0, 23),
            CronField::DayOfMonth => (1, 31),
            CronField::Month => (1, 12),
            CronField::DayOfWeek => (0, 7),
        }
    }

    /// Where `*` and an open-ended step (`5/15`) stop: day of week stops at Saturday, since 7
    /// is only another name for Sunday.
    fn top(self) -> u32 {
        match self {
            CronField::DayOfWeek => 6,
            other => other.bounds().1,
        }
    }

    /// Names accepted for values, with the value of the first name.
    fn names(self) -> Option<(&'static [&'static str], u32)> {
        match self {
            CronField::Month => Some((&MONTH_NAMES, 1)),
            CronField::DayOfWeek => Some((&DAY_NAMES, 0)),
            _ => None,
        }
    }
}

/// Why a cron expression was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CronError {
    /// The expression does not have exactly five fields.
    #[error(
        "expected 5 fields, {FORM} (for example \"0 18 * * MON-FRI\"), but \"{expr}\" has {found}"
    )]
    FieldCount {
        /// The expression as written.
        expr: String,
        /// How many whitespace-separated fields it has.
        found: usize,
    },
    /// One field is malformed.
    #[error("field {} ({}) \"{text}\": {problem}", .field.number(), .field.name())]
    Field {
        /// Which field.
        field: CronField,
        /// The field as written.
        text: String,
        /// What is wrong and what would be right, such as
        /// `"FRY" is not a day; use 0-7 or SUN-SAT`.
        problem: String,
    },
}

/// A parsed five-field cron expression.
///
/// ```
/// use asgsim::schedule::CronExpr;
/// use jiff::civil::date;
///
/// let weekday_evenings = CronExpr::parse("0 18 * * MON-FRI")?;
/// // Friday 2025-01-10 19:00 → Monday 2025-01-13 18:00.
/// let next = weekday_evenings.next_after(date(2025, 1, 10).at(19, 0, 0, 0));
/// assert_eq!(next, Some(date(2025, 1, 13).at(18, 0, 0, 0)));
/// # Ok::<(), asgsim::schedule::CronError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronExpr {
    /// Bit m set: minute m matches.
    minutes: u64,
    /// Bit h set: hour h matches.
    hours: u64,
    /// Bit d set: day of month d (1–31) matches.
    days_of_month: u64,
    /// Bit m set: month m (1–12) matches.
    months: u64,
    /// Bit w set: weekday w (0 = Sunday … 6 = Saturday) matches; 7 is folded into 0.
    days_of_week: u64,
    /// Day of month starts with `*` (unrestricted for the day rule).
    dom_star: bool,
    /// Day of week starts with `*` (unrestricted for the day rule).
    dow_star: bool,
    /// The expression as written.
    source: String,
}

impl CronExpr {
    /// Parses a five-field expression; fields are separated by any whitespace.
    pub fn parse(expr: &str) -> Result<CronExpr, CronError> {
        let fields: Vec<&str> = expr.split_whitespace().collect();
        if fields.len() != 5 {
            return Err(CronError::FieldCount {
                expr: expr.to_owned(),
                found: fields.len(),
            });
        }
        let mut bits = [0u64; 5];
        for ((field, text), slot) in CronField::ALL.into_iter().zip(&fields).zip(&mut bits) {
            *slot = parse_field(field, text).map_err(|problem| CronError::Field {
                field,
                text: (*text).to_owned(),
                problem,
            })?;
        }
        Ok(CronExpr {
            minutes: bits[0],
            hours: bits[1],
            days_of_month: bits[2],
            months: bits[3],
            days_of_week: bits[4],
            dom_star: fields[2].starts_with('*'),
            dow_star: fields[4].starts_with('*'),
            source: fields.join(" "),
        })
    }

    /// The expression as written, with its fields separated by single spaces.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the expression fires in the minute of `civil`; seconds and below are ignored.
    pub fn matches(&self, civil: DateTime) -> bool {
        has(self.minutes, civil.minute())
            && has(self.hours, civil.hour())
            && has(self.months, civil.month())
            && self.day_matches(civil.date())
    }

    /// The first whole minute strictly after `after` at which the expression fires, or `None`
    /// when there is none within [`SEARCH_YEARS`] years (or before the year 9999 ends).
    ///
    /// Months and days that cannot match are skipped whole, and the hour and minute within a
    /// matching day are found with bit operations, so a call costs at most a few thousand
    /// cheap steps.
    pub fn next_after(&self, after: DateTime) -> Option<DateTime> {
        let start = after
            .with()
            .second(0)
            .subsec_nanosecond(0)
            .build()
            .ok()?
            .checked_add(jiff::SignedDuration::from_mins(1))
            .ok()?;
        let first = start.date();
        let limit = (
            first.year().checked_add(SEARCH_YEARS)?,
            first.month(),
            first.day(),
        );
        let mut date = first;
        let (mut from_hour, mut from_minute) = (start.hour(), start.minute());
        while (date.year(), date.month(), date.day()) <= limit {
            if !has(self.months, date.month()) {
                date = self.next_month_start(date)?;
                (from_hour, from_minute) = (0, 0);
                continue;
            }
            if self.day_matches(date)
                && let Some((hour, minute)) = self.first_time(from_hour, from_minute)
            {
                return Some(date.at(hour, minute, 0, 0));
            }
            date = date.tomorrow().ok()?;
            (from_hour, from_minute) = (0, 0);
        }
        None
    }

    /// Whether a date passes the month-independent day rule (day of month / day of week).
    fn day_matches(&self, date: Date) -> bool {
        let dom = has(self.days_of_month, date.day());
        let dow = has(self.days_of_week, date.weekday().to_sunday_zero_offset());
        if self.dom_star || self.dow_star {
            dom && dow
        } else {
            dom || dow
        }
    }

    /// The first (hour, minute) at or after `hour:minute` on a matching day.
    fn first_time(&self, hour: i8, minute: i8) -> Option<(i8, i8)> {
        let h = next_bit(self.hours, hour)?;
        if h == hour {
            if let Some(m) = next_bit(self.minutes, minute) {
                return Some((h, m));
            }
            let later = next_bit(self.hours, hour + 1)?;
            return Some((later, next_bit(self.minutes, 0)?));
        }
        Some((h, next_bit(self.minutes, 0)?))
    }

    /// The 1st of the next month that matches, after the month of `date`.
    fn next_month_start(&self, date: Date) -> Option<Date> {
        match next_bit(self.months, date.month() + 1) {
            Some(month) => Date::new(date.year(), month, 1).ok(),
            None => {
                let month = next_bit(self.months, 1)?;
                Date::new(date.year().checked_add(1)?, month, 1).ok()
            }
        }
    }
}

impl fmt::Display for CronExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl std::str::FromStr for CronExpr {
    type Err = CronError;

    fn from_str(s: &str) -> Result<CronExpr, CronError> {
        CronExpr::parse(s)
    }
}

/// Whether bit `value` is set.
fn has(bits: u64, value: i8) -> bool {
    (0..64).contains(&value) && bits & (1 << value) != 0
}

/// The smallest set bit at or above `from`.
fn next_bit(bits: u64, from: i8) -> Option<i8> {
    if !(0..64).contains(&from) {
        return None;
    }
    let above = bits & (u64::MAX << from);
    // A u64 has at most 64 trailing zeros, which fits an i8.
    (above != 0).then(|| above.trailing_zeros() as i8)
}

/// Parses one field (a comma-separated list) into a bitset; the error is the problem text.
fn parse_field(field: CronField, text: &str) -> Result<u64, String> {
    let mut bits = 0;
    for item in text.split(',') {
        bits |= parse_item(field, item)?;
    }
    if field == CronField::DayOfWeek && bits & (1 << 7) != 0 {
        bits = (bits & !(1 << 7)) | 1;
    }
    Ok(bits)
}

/// Parses one list item: `*`, `N`, `A-B`, each optionally followed by `/STEP`.
fn parse_item(field: CronField, item: &str) -> Result<u64, String> {
    if item.is_empty() {
        return Err(
            "a list has an empty item; separate values with single commas, like 1,15".into(),
        );
    }
    let (range, step) = match item.split_once('/') {
        Some((range, step)) => (range, Some(parse_step(step)?)),
        None => (item, None),
    };
    let (low, high) = if range == "*" {
        (field.bounds().0, field.top())
    } else if let Some((a, b)) = range.split_once('-') {
        let (low, high) = (parse_value(field, a, item)?, parse_value(field, b, item)?);
        if low > high {
            return Err(backwards(field, (a, low), (b, high), step.is_some()));
        }
        (low, high)
    } else {
        let value = parse_value(field, range, item)?;
        (value, if step.is_some() { field.top() } else { value })
    };
    let step = step.unwrap_or(1) as usize;
    Ok((low..=high)
        .step_by(step)
        .fold(0, |bits, v| bits | (1 << v)))
}

/// The problem of a range `A-B` whose end comes before its start. Cron ranges do not wrap
/// around, so the fix keeps the days (or hours, ...) the user meant, `FRI-MON` as
/// `FRI-SAT,SUN-MON`, never the reversed `MON-FRI`, a different set.
fn backwards(
    field: CronField,
    (a, low): (&str, u32),
    (b, high): (&str, u32),
    step: bool,
) -> String {
    let problem = format!("range \"{a}-{b}\" runs backwards, and cron ranges do not wrap around");
    if step {
        return format!(
            "{problem}; write it as two ranges, each from its smaller value to its larger one"
        );
    }
    let (bottom, top) = (field.bounds().0, field.top());
    if field == CronField::DayOfWeek && low == 7 {
        // 7 is Sunday too: `7-2` is Sunday to Tuesday.
        return format!("{problem}; 7 is Sunday, which is also 0: write 0-{b}");
    }
    // Names when the range was written with names.
    let named = |value: u32| match field.names() {
        Some((names, first)) if a.bytes().all(|c| c.is_ascii_alphabetic()) => {
            names[(value - first) as usize].to_string()
        }
        _ => value.to_string(),
    };
    let first = if low == top {
        a.to_string()
    } else {
        format!("{a}-{}", named(top))
    };
    let second = if high == bottom {
        b.to_string()
    } else {
        format!("{}-{b}", named(bottom))
    };
    format!("{problem}; for {a} through {b} write {first},{second}")
}

/// Parses the step after `/`: a whole number of 1 or more.
fn parse_step(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(step) if step >= 1 && text.bytes().all(|b| b.is_ascii_digit()) => Ok(step),
        _ => Err(format!(
            "\"{text}\" is not a step; write a whole number of 1 or more after /, like */15"
        )),
    }
}

/// Parses one value: a number within the field's bounds or, for months and days, a name.
fn parse_value(field: CronField, text: &str, item: &str) -> Result<u32, String> {
    let (min, max) = field.bounds();
    if text.is_empty() {
        return Err(format!(
            "\"{item}\" is missing a value; use {}",
            field.valid()
        ));
    }
    if text == "?" {
        return Err("\"?\" is not Unix cron (it belongs to EventBridge); use *".into());
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<u32>() {
            Ok(value) if (min..=max).contains(&value) => Ok(value),
            _ => Err(format!(
                "\"{text}\" is out of range for {}; use {}",
                field.noun(),
                field.valid()
            )),
        };
    }
    field
        .names()
        .and_then(|(names, first)| {
            let index = names.iter().position(|n| n.eq_ignore_ascii_case(text))?;
            u32::try_from(index).ok().map(|i| i + first)
        })
        .ok_or_else(|| {
            let hint = field
                .names()
                .and_then(|(names, _)| crate::suggest::did_you_mean(&text.to_uppercase(), names))
                .map(|d| format!("; {d}"))
                .unwrap_or_default();
            format!(
                "\"{text}\" is not {}{hint}; use {}",
                field.noun(),
                field.valid()
            )
        })
}

#[cfg(test)]
mod tests;
