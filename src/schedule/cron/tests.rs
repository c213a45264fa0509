use jiff::civil::{DateTime, date};

use super::*;

fn cron(expr: &str) -> CronExpr {
    CronExpr::parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"))
}

fn at(y: i16, mo: i8, d: i8, h: i8, mi: i8) -> DateTime {
    date(y, mo, d).at(h, mi, 0, 0)
}

/// The values of a bitset, for readable assertions.
fn values(bits: u64) -> Vec<u32> {
    (0..64).filter(|b| bits & (1 << b) != 0).collect()
}

fn field_error(expr: &str) -> (CronField, String) {
    match CronExpr::parse(expr) {
        Err(CronError::Field { field, problem, .. }) => (field, problem),
        other => panic!("{expr}: expected a field error, got {other:?}"),
    }
}

/// The first `n` fire times after `from`.
fn fires(expr: &str, from: DateTime, n: usize) -> Vec<DateTime> {
    let c = cron(expr);
    let mut out = Vec::new();
    let mut t = from;
    for _ in 0..n {
        t = c.next_after(t).expect("fires");
        out.push(t);
    }
    out
}

#[test]
fn parses_star_number_list_range_and_steps() {
    let c = cron("*/15 0,12 1-5 */3 *");
    assert_eq!(values(c.minutes), [0, 15, 30, 45]);
    assert_eq!(values(c.hours), [0, 12]);
    assert_eq!(values(c.days_of_month), [1, 2, 3, 4, 5]);
    assert_eq!(values(c.months), [1, 4, 7, 10]);
    assert_eq!(values(c.days_of_week), [0, 1, 2, 3, 4, 5, 6]);
    assert_eq!(
        values(cron("10-50/10 * * * *").minutes),
        [10, 20, 30, 40, 50]
    );
    assert_eq!(values(cron("5/20 * * * *").minutes), [5, 25, 45]);
    assert_eq!(values(cron("0 1-3,20-22/2 * * *").hours), [1, 2, 3, 20, 22]);
    assert_eq!(values(cron("0 0 * * *").minutes), [0]);
    assert_eq!(values(cron("59 23 31 12 7").minutes), [59]);
}

#[test]
fn parses_month_and_day_names_in_any_case_and_in_ranges() {
    assert_eq!(values(cron("0 0 * JAN,jun,Dec *").months), [1, 6, 12]);
    assert_eq!(values(cron("0 0 * mar-MAY *").months), [3, 4, 5]);
    assert_eq!(
        values(cron("0 18 * * MON-FRI").days_of_week),
        [1, 2, 3, 4, 5]
    );
    assert_eq!(values(cron("0 18 * * sun,Sat").days_of_week), [0, 6]);
    assert_eq!(
        values(cron("0 18 * * SUN-SAT/2").days_of_week),
        [0, 2, 4, 6]
    );
    assert_eq!(values(cron("0 18 * * 1-FRI").days_of_week), [1, 2, 3, 4, 5]);
}

#[test]
fn day_of_week_seven_is_sunday() {
    assert_eq!(values(cron("0 0 * * 7").days_of_week), [0]);
    assert_eq!(values(cron("0 0 * * 0").days_of_week), [0]);
    assert_eq!(values(cron("0 0 * * 5-7").days_of_week), [0, 5, 6]);
    assert_eq!(
        values(cron("0 0 * * 0-7").days_of_week),
        [0, 1, 2, 3, 4, 5, 6]
    );
    // An open-ended step stops at Saturday rather than wrapping to Sunday through 7.
    assert_eq!(values(cron("0 0 * * 1/2").days_of_week), [1, 3, 5]);
}

#[test]
fn extra_whitespace_is_allowed_and_normalised() {
    let c = cron("  0\t18  * *   MON-FRI ");
    assert_eq!(c.as_str(), "0 18 * * MON-FRI");
    assert_eq!(c.to_string(), "0 18 * * MON-FRI");
    assert_eq!("0 18 * * MON-FRI".parse::<CronExpr>(), Ok(c));
}

#[test]
fn wrong_field_count_shows_the_form() {
    for (expr, found) in [
        ("0 18 * *", 4),
        ("0 0 18 * * MON", 6),
        ("", 0),
        ("@daily", 1),
    ] {
        let err = CronExpr::parse(expr).unwrap_err();
        assert_eq!(
            err,
            CronError::FieldCount {
                expr: expr.into(),
                found
            }
        );
        let msg = err.to_string();
        assert!(msg.contains("expected 5 fields"), "{msg}");
        assert!(
            msg.contains("[Minute] [Hour] [Day_of_Month] [Month_of_Year] [Day_of_Week]"),
            "{msg}"
        );
        assert!(msg.contains(&format!("has {found}")), "{msg}");
    }
}

#[test]
fn bad_day_name_says_which_field_and_what_is_valid() {
    let err = CronExpr::parse("0 18 * * MON-FRY").unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"field 5 (day of week) "MON-FRY": "FRY" is not a day; did you mean FRI?; use 0-7 or SUN-SAT"#
    );
    assert_eq!(
        CronExpr::parse("0 0 * JANUARY *").unwrap_err().to_string(),
        r#"field 4 (month) "JANUARY": "JANUARY" is not a month; use 1-12 or JAN-DEC"#
    );
}

#[test]
fn out_of_range_values_are_rejected_per_field() {
    let cases = [
        ("60 * * * *", CronField::Minute, "0-59"),
        ("* 24 * * *", CronField::Hour, "0-23"),
        ("* * 0 * *", CronField::DayOfMonth, "1-31"),
        ("* * 32 * *", CronField::DayOfMonth, "1-31"),
        ("* * * 13 *", CronField::Month, "1-12 or JAN-DEC"),
        ("* * * 0 *", CronField::Month, "1-12 or JAN-DEC"),
        ("* * * * 8", CronField::DayOfWeek, "0-7 or SUN-SAT"),
        ("99999999999 * * * *", CronField::Minute, "0-59"),
    ];
    for (expr, field, valid) in cases {
        let (got, problem) = field_error(expr);
        assert_eq!(got, field, "{expr}");
        assert!(problem.contains("out of range"), "{expr}: {problem}");
        assert!(
            problem.ends_with(&format!("use {valid}")),
            "{expr}: {problem}"
        );
    }
}

#[test]
fn names_are_only_for_months_and_days() {
    let (field, problem) = field_error("MON * * * *");
    assert_eq!(field, CronField::Minute);
    assert_eq!(problem, r#""MON" is not a minute; use 0-59"#);
    let (field, problem) = field_error("0 0 * * JAN");
    assert_eq!(field, CronField::DayOfWeek);
    assert_eq!(problem, r#""JAN" is not a day; use 0-7 or SUN-SAT"#);
    let (field, _) = field_error("0 0 MON * *");
    assert_eq!(field, CronField::DayOfMonth);
    let (_, problem) = field_error("-5 * * * *");
    assert_eq!(problem, r#""-5" is missing a value; use 0-59"#);
}

#[test]
fn bad_ranges_steps_and_lists_are_rejected() {
    let (field, problem) = field_error("0 0 * * FRI-MON");
    assert_eq!(field, CronField::DayOfWeek);
    // The fix keeps Friday to Monday; MON-FRI would be another set of days.
    assert_eq!(
        problem,
        r#"range "FRI-MON" runs backwards, and cron ranges do not wrap around; for FRI through MON write FRI-SAT,SUN-MON"#
    );
    let fix_of = |expr: &str| {
        let (_, problem) = field_error(expr);
        problem.rsplit(" write ").next().unwrap().to_string()
    };
    assert_eq!(fix_of("0 0 * * SAT-SUN"), "SAT,SUN");
    assert_eq!(fix_of("0 0 * * 5-1"), "5-6,0-1");
    assert_eq!(fix_of("0 0 * * 7-2"), "0-2");
    assert_eq!(fix_of("0 22-2 * * *"), "22-23,0-2");
    assert_eq!(fix_of("0 0 * NOV-FEB *"), "NOV-DEC,JAN-FEB");
    assert_eq!(fix_of("0 0 * DEC-JAN *"), "DEC,JAN");
    // Every fix means what the backwards range was meant to: the same hours or days.
    for (backwards, meant) in [
        ("0 0 * * FRI-MON", "0 0 * * 5,6,0,1"),
        ("0 22-2 * * *", "0 22,23,0,1,2 * * *"),
        ("0 0 * NOV-FEB *", "0 0 * 11,12,1,2 *"),
    ] {
        let fixed = backwards.replace(
            backwards.split(' ').find(|f| f.contains('-')).unwrap(),
            &fix_of(backwards),
        );
        let (a, b) = (cron(&fixed), cron(meant));
        let bits = |c: &CronExpr| {
            (
                c.minutes,
                c.hours,
                c.days_of_month,
                c.months,
                c.days_of_week,
            )
        };
        assert_eq!(bits(&a), bits(&b), "{backwards} → {fixed}");
    }
    let (_, problem) = field_error("0 0 * * FRI-MON/2");
    assert!(problem.contains("two ranges"), "{problem}");
    let (_, problem) = field_error("0 0 * * MOM");
    assert!(problem.contains("did you mean MON?"), "{problem}");
    for expr in [
        "*/0 * * * *",
        "*/x * * * *",
        "*/ * * * *",
        "*/-1 * * * *",
        "*/+2 * * * *",
    ] {
        let (field, problem) = field_error(expr);
        assert_eq!(field, CronField::Minute);
        assert!(problem.contains("is not a step"), "{expr}: {problem}");
    }
    for expr in ["1,,2 * * * *", "1, * * * *", ", * * * *"] {
        let (_, problem) = field_error(expr);
        assert!(problem.contains("empty item"), "{expr}: {problem}");
    }
    let (field, problem) = field_error("0 0 ? * MON");
    assert_eq!(field, CronField::DayOfMonth);
    assert!(problem.contains("use *"), "{problem}");
    assert!(CronExpr::parse("0 0 1-2-3 * *").is_err());
    assert!(CronExpr::parse("0 0 */2/2 * *").is_err());
    assert!(CronExpr::parse("L * * * *").is_err());
}

#[test]
fn tuesdays_at_six_thirty() {
    // 2025-01-06 is a Monday.
    let got = fires("30 6 * * 2", at(2025, 1, 6, 0, 0), 3);
    assert_eq!(
        got,
        [
            at(2025, 1, 7, 6, 30),
            at(2025, 1, 14, 6, 30),
            at(2025, 1, 21, 6, 30)
        ]
    );
    let c = cron("30 6 * * 2");
    assert!(c.matches(at(2025, 1, 7, 6, 30)));
    assert!(!c.matches(at(2025, 1, 8, 6, 30)));
    assert!(!c.matches(at(2025, 1, 7, 6, 31)));
}

#[test]
fn daily_at_nine() {
    let got = fires("0 9 * * *", at(2025, 1, 31, 9, 0), 3);
    assert_eq!(
        got,
        [
            at(2025, 2, 1, 9, 0),
            at(2025, 2, 2, 9, 0),
            at(2025, 2, 3, 9, 0)
        ]
    );
    // Strictly after: from 08:59:59.9 the same day's 09:00 is next.
    let just_before = date(2025, 1, 31).at(8, 59, 59, 900_000_000);
    assert_eq!(
        cron("0 9 * * *").next_after(just_before),
        Some(at(2025, 1, 31, 9, 0))
    );
    let just_after = date(2025, 1, 31).at(9, 0, 0, 1);
    assert_eq!(
        cron("0 9 * * *").next_after(just_after),
        Some(at(2025, 2, 1, 9, 0))
    );
}

#[test]
fn weekday_evenings_skip_weekends() {
    // Thursday 2025-01-09 → Thu, Fri, then Mon and Tue.
    let got = fires("0 18 * * MON-FRI", at(2025, 1, 9, 12, 0), 4);
    assert_eq!(
        got,
        [
            at(2025, 1, 9, 18, 0),
            at(2025, 1, 10, 18, 0),
            at(2025, 1, 13, 18, 0),
            at(2025, 1, 14, 18, 0)
        ]
    );
    let c = cron("0 18 * * MON-FRI");
    assert!(!c.matches(at(2025, 1, 11, 18, 0)), "Saturday");
    assert!(!c.matches(at(2025, 1, 12, 18, 0)), "Sunday");
}

#[test]
fn every_fifteen_minutes_across_hour_and_year() {
    let got = fires("*/15 * * * *", at(2024, 12, 31, 23, 20), 4);
    assert_eq!(
        got,
        [
            at(2024, 12, 31, 23, 30),
            at(2024, 12, 31, 23, 45),
            at(2025, 1, 1, 0, 0),
            at(2025, 1, 1, 0, 15)
        ]
    );
}

#[test]
fn restricted_day_of_month_and_week_match_either() {
    // The 13th, or any Friday: 2025-06 has Fridays 6, 13, 20, 27; the 13th is itself a Friday.
    let c = cron("0 0 13 * FRI");
    assert!(
        c.matches(at(2025, 6, 6, 0, 0)),
        "a Friday that is not the 13th"
    );
    assert!(c.matches(at(2025, 7, 13, 0, 0)), "a 13th that is a Sunday");
    assert!(!c.matches(at(2025, 7, 14, 0, 0)), "neither");
    let got = fires("0 0 13 * FRI", at(2025, 6, 1, 0, 0), 5);
    let days: Vec<i8> = got.iter().map(|t| t.day()).collect();
    assert_eq!(days, [6, 13, 20, 27, 4]);
    // A full range still counts as restricted: every day of the month OR Monday = every day.
    assert!(cron("0 0 1-31 * MON").matches(at(2025, 7, 15, 0, 0)));
}

#[test]
fn a_star_day_field_means_both_must_match() {
    // Day of week `*`: only the day of month matters.
    assert!(!cron("0 0 13 * *").matches(at(2025, 6, 6, 0, 0)));
    // Day of month `*`: only the weekday matters.
    assert!(!cron("0 0 * * FRI").matches(at(2025, 7, 13, 0, 0)));
    // `*/2` starts with `*`, so as in Vixie cron it is unrestricted and the rule is AND:
    // odd days of the month that are Mondays. 2025-09-01 is Monday the 1st.
    let c = cron("0 0 */2 * MON");
    assert!(c.matches(at(2025, 9, 1, 0, 0)));
    assert!(!c.matches(at(2025, 9, 8, 0, 0)), "Monday the 8th: even day");
    assert!(
        !c.matches(at(2025, 9, 3, 0, 0)),
        "Wednesday the 3rd: not Monday"
    );
}

#[test]
fn months_without_a_match_are_skipped() {
    assert_eq!(
        cron("0 12 * JUN,DEC *").next_after(at(2025, 6, 30, 12, 0)),
        Some(at(2025, 12, 1, 12, 0))
    );
    assert_eq!(
        cron("0 12 * JUN *").next_after(at(2025, 6, 30, 12, 0)),
        Some(at(2026, 6, 1, 12, 0))
    );
    assert_eq!(
        cron("0 0 31 * *").next_after(at(2025, 1, 31, 0, 0)),
        Some(at(2025, 3, 31, 0, 0))
    );
    // Leap day: from 2025 the next 29 February is in 2028.
    assert_eq!(
        cron("0 0 29 2 *").next_after(at(2025, 1, 1, 0, 0)),
        Some(at(2028, 2, 29, 0, 0))
    );
}

#[test]
fn impossible_dates_give_none_quickly() {
    let started = std::time::Instant::now();
    for expr in ["0 0 30 2 *", "0 0 31 4 *", "0 0 31 APR,JUN,SEP,NOV *"] {
        assert_eq!(cron(expr).next_after(at(2025, 1, 1, 0, 0)), None, "{expr}");
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    // Near the end of the calendar the search stops instead of overflowing.
    assert_eq!(cron("0 0 30 2 *").next_after(at(9998, 1, 1, 0, 0)), None);
    assert_eq!(cron("* * * * *").next_after(at(9999, 12, 31, 23, 59)), None);
}

#[test]
fn next_after_agrees_with_stepping_minute_by_minute() {
    // Brute force over eight days for a mix of expressions.
    let exprs = [
        "*/7 */5 * * *",
        "0 0 13 * FRI",
        "45 23 * * SAT,SUN",
        "10-50/20 1-4 1,15 * *",
        "0 12 */3 * MON",
    ];
    for expr in exprs {
        let c = cron(expr);
        let mut t = at(2025, 2, 25, 0, 0);
        let end = at(2025, 3, 5, 0, 0);
        let mut expected = Vec::new();
        let mut probe = t;
        while probe < end {
            probe = probe
                .checked_add(jiff::SignedDuration::from_mins(1))
                .unwrap();
            if c.matches(probe) && probe < end {
                expected.push(probe);
            }
        }
        let mut got = Vec::new();
        while let Some(next) = c.next_after(t).filter(|&n| n < end) {
            got.push(next);
            t = next;
        }
        assert_eq!(got, expected, "{expr}");
    }
}
