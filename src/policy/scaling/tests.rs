//! The scaling component's rules, each named after the AWS page it follows.

use super::*;

fn proposal(capacity: u32, source: Source) -> Proposal {
    Proposal {
        policy: 0,
        alarm: 0,
        capacity,
        rule: String::new(),
        source,
    }
}

fn win<const N: usize>(desired: u32, proposals: &[Proposal; N], tt: usize) -> Option<usize> {
    let mut round = Round {
        proposals: proposals.to_vec(),
        ..Round::default()
    };
    winner(desired, &mut round, tt)
}

/// §12.5: CPU step +1 and SQS target tracking +2 ⇒ +2; scale-in at 8: −3 vs −2 ⇒ −2.
#[test]
fn the_largest_resulting_capacity_wins() {
    let out = [
        proposal(9, Source::Step),
        proposal(10, Source::TargetTrackingOut),
    ];
    assert_eq!(win(8, &out, 1), Some(1));
    let inn = [proposal(5, Source::Step), proposal(6, Source::Simple)];
    assert_eq!(win(8, &inn, 0), Some(1));
    let mixed = [proposal(6, Source::Step), proposal(9, Source::Simple)];
    assert_eq!(win(8, &mixed, 0), Some(1), "scale-out beats scale-in");
}

#[test]
fn target_tracking_scales_in_only_when_all_agree() {
    let one = [proposal(5, Source::TargetTrackingIn)];
    assert_eq!(win(8, &one, 2), None);
    assert_eq!(win(8, &one, 1), Some(0));
    let with_step = [
        proposal(5, Source::TargetTrackingIn),
        proposal(7, Source::Step),
    ];
    assert_eq!(
        win(8, &with_step, 2),
        Some(1),
        "a step scale-in is not blocked by TT"
    );
}
