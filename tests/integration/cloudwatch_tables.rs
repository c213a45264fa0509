//! CloudWatch UG: AlarmThatSendsEmail: every row of CloudWatch's missing-data tables, in all four
//! TreatMissingData modes (missing / ignore / breaching / notBreaching).

use asgsim::cloudwatch::AlarmState::{self, Alarm, InsufficientData, Ok as Good};
use asgsim::cloudwatch::TreatMissingData::{self, Breaching, Ignore, Missing, NotBreaching};
use asgsim::cloudwatch::evaluate_points;

/// `0 - X - X` → points oldest first; 0 = OK, X = breaching, - = missing.
fn points(row: &str) -> Vec<Option<bool>> {
    row.split_whitespace()
        .map(|c| match c {
            "0" => Some(false),
            "X" => Some(true),
            "-" => None,
            other => panic!("bad cell {other}"),
        })
        .collect()
}

/// `None` in an expectation means "keeps its current state".
fn check(row: &str, n: usize, m: usize, expected: [Option<AlarmState>; 4]) {
    let modes: [TreatMissingData; 4] = [Missing, Ignore, Breaching, NotBreaching];
    for (mode, want) in modes.iter().zip(expected) {
        for current in [Good, Alarm, InsufficientData] {
            let got = evaluate_points(&points(row), n, m, *mode, current);
            let want = want.unwrap_or(current);
            assert_eq!(
                got, want,
                "row `{row}` N={n} M={m} {mode:?} from {current:?}"
            );
        }
    }
}

const OK: Option<AlarmState> = Some(Good);
const ALARM: Option<AlarmState> = Some(Alarm);
const KEEP: Option<AlarmState> = None;

#[test]
fn n3_m3_range5() {
    check("0 - X - X", 3, 3, [OK, OK, OK, OK]);
    check("0 - - - -", 3, 3, [OK, OK, OK, OK]);
    check("- - - - -", 3, 3, [Some(InsufficientData), KEEP, ALARM, OK]);
    check("0 X X - X", 3, 3, [ALARM, ALARM, ALARM, ALARM]);
    check("- - X - -", 3, 3, [ALARM, KEEP, ALARM, OK]);
}

#[test]
fn n3_m2_range5() {
    check("0 - X - X", 3, 2, [ALARM, ALARM, ALARM, ALARM]);
    check("0 0 X 0 X", 3, 2, [ALARM, ALARM, ALARM, ALARM]);
    check("0 - X - -", 3, 2, [OK, OK, ALARM, OK]);
    check("- - - - 0", 3, 2, [OK, OK, ALARM, OK]);
    check("- - - X -", 3, 2, [ALARM, KEEP, ALARM, OK]);
}

/// CloudWatch UG: AlarmThatSendsEmail: with M = 3, `- - - - X` and `- - - X -` must not alarm
/// yet; `- - X - -` does.
#[test]
fn premature_alarm_guard() {
    for row in ["- - - - X", "- - - X -"] {
        assert_eq!(
            evaluate_points(&points(row), 3, 3, Missing, Good),
            Good,
            "{row}"
        );
    }
    assert_eq!(
        evaluate_points(&points("- - X - -"), 3, 3, Missing, Good),
        Alarm
    );
}
