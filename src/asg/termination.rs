//! Which instances a scale-in terminates (UG: ec2-auto-scaling-termination-policies): AZ balance first, then the
//! listed termination policies in order, each narrowing the candidates, then `Default`
//! (oldest launch template, then closest to the next instance hour, then random).
//!
//! Narrowing by each policy in turn is a lexicographic order on the policies' keys, so the
//! candidates of each AZ are sorted once by that composite key (a seeded random draw last, for
//! the Default policy's random tie-break) and a scale-in of k instances takes k heads: the
//! work is O(n log n) per scale-in, not per terminated instance.

use rand::Rng;

use crate::asg::TerminationPolicy;
use crate::rng::SimRng;
use crate::time::{MS_PER_HOUR, SimTime};

use super::group::Group;

/// The instances a scale-in terminates.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TerminationChoice {
    /// Indices of the chosen instances, in termination order.
    pub chosen: Vec<usize>,
    /// Whether fewer than asked were found because the rest are protected from scale-in.
    pub all_protected: bool,
}

/// The ordering keys of one policy, smallest terminated first.
fn policy_keys(policy: TerminationPolicy) -> &'static [Key] {
    match policy {
        TerminationPolicy::OldestInstance => &[Key::LaunchTime],
        TerminationPolicy::NewestInstance => &[Key::NewestFirst],
        TerminationPolicy::OldestLaunchTemplate => &[Key::TemplateVersion],
        TerminationPolicy::ClosestToNextInstanceHour => &[Key::ToNextHour],
        // A single-template, single-type group has no launch configuration and no
        // allocation strategy to restore: these policies leave every candidate.
        TerminationPolicy::OldestLaunchConfiguration | TerminationPolicy::AllocationStrategy => &[],
        TerminationPolicy::Default => &[Key::TemplateVersion, Key::ToNextHour],
    }
}

#[derive(Debug, Clone, Copy)]
enum Key {
    LaunchTime,
    NewestFirst,
    TemplateVersion,
    ToNextHour,
}

/// Chooses up to `count` instances for a scale-in at `now_ms`.
pub fn choose_for_scale_in(
    group: &Group,
    policies: &[TerminationPolicy],
    now_ms: SimTime,
    count: usize,
    rng: &mut SimRng,
) -> TerminationChoice {
    choose_among(group, policies, (now_ms, count), rng, |_| true)
}

/// As [`choose_for_scale_in`], among the instances `keep` accepts (an instance refresh
/// replaces only those of an older launch template).
pub fn choose_among(
    group: &Group,
    policies: &[TerminationPolicy],
    (now_ms, count): (SimTime, usize),
    rng: &mut SimRng,
    keep: impl Fn(&super::Instance) -> bool,
) -> TerminationChoice {
    let keys: Vec<Key> = policies
        .iter()
        .filter(|p| **p != TerminationPolicy::Default)
        .chain(std::iter::once(&TerminationPolicy::Default))
        .flat_map(|p| policy_keys(*p).iter().copied())
        .collect();
    let mut eligible: Vec<usize> = group
        .active_indices()
        .iter()
        .copied()
        // Termination policies skip protected instances and those already marked Unhealthy
        // (their replacement is under way).
        .filter(|i| {
            let inst = &group.instances[*i];
            !inst.is_protected() && !inst.marked_unhealthy && keep(inst)
        })
        .collect();
    eligible.sort_unstable();
    let stride = keys.len() + 1;
    let sort_keys = sort_keys(group, &keys, &eligible, now_ms, rng);
    let key_of = |slot: usize| &sort_keys[slot * stride..(slot + 1) * stride];
    let mut per_az: Vec<Vec<usize>> = vec![Vec::new(); group.az_active.len()];
    for slot in 0..eligible.len() {
        per_az[group.instances[eligible[slot]].az].push(slot);
    }
    for slots in &mut per_az {
        // No AZ gives more than `count`: keep its `count` first in O(n), then sort those
        // descending so the next to terminate is popped from the end.
        if slots.len() > count && count > 0 {
            slots.select_nth_unstable_by(count - 1, |a, b| key_of(*a).cmp(key_of(*b)));
            slots.truncate(count);
        }
        slots.sort_unstable_by(|a, b| key_of(*b).cmp(key_of(*a)));
    }
    let mut az_count = group.az_active.clone();
    let mut choice = TerminationChoice::default();
    while choice.chosen.len() < count {
        // AZ balance: the AZs with the most instances that still hold a candidate; on a tie,
        // the policies decide across them.
        let best_az = (0..per_az.len())
            .filter(|az| !per_az[*az].is_empty())
            .max_by(|a, b| {
                let heads = (per_az[*a].last(), per_az[*b].last());
                az_count[*a].cmp(&az_count[*b]).then_with(|| match heads {
                    (Some(x), Some(y)) => key_of(*y).cmp(key_of(*x)),
                    _ => std::cmp::Ordering::Equal,
                })
            });
        let Some(az) = best_az else {
            choice.all_protected = true;
            break;
        };
        let slot = per_az[az].pop().unwrap_or_default();
        az_count[az] -= 1;
        choice.chosen.push(eligible[slot]);
    }
    choice
}

/// One row of keys per eligible instance (flat, `keys.len() + 1` wide): the policies' keys in
/// order, then a seeded random draw for the Default policy's final tie-break.
fn sort_keys(
    group: &Group,
    keys: &[Key],
    eligible: &[usize],
    now_ms: SimTime,
    rng: &mut SimRng,
) -> Vec<u64> {
    let stride = keys.len() + 1;
    let mut sort_keys = vec![0u64; eligible.len() * stride];
    for (slot, index) in eligible.iter().enumerate() {
        let inst = &group.instances[*index];
        let row = &mut sort_keys[slot * stride..(slot + 1) * stride];
        for (k, key) in keys.iter().enumerate() {
            row[k] = match key {
                Key::LaunchTime => inst.launch_ms,
                Key::NewestFirst => u64::MAX - inst.launch_ms,
                Key::TemplateVersion => u64::from(inst.template_version),
                Key::ToNextHour => {
                    MS_PER_HOUR - now_ms.saturating_sub(inst.launch_ms) % MS_PER_HOUR
                }
            };
        }
        row[keys.len()] = rng.random();
    }
    sort_keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Stream, stream};

    fn group_with_launches(azs: usize, launches: &[SimTime]) -> Group {
        let mut g = Group::new(0, 20, 0, azs);
        for t in launches {
            let i = g.launch(*t, false);
            g.set_in_service(i, *t);
        }
        g
    }

    fn choose(g: &Group, policies: &[TerminationPolicy], now: SimTime, count: usize) -> Vec<usize> {
        let mut rng = stream(1, Stream::Termination);
        choose_for_scale_in(g, policies, now, count, &mut rng).chosen
    }

    #[test]
    fn az_balance_comes_first() {
        // AZ a gets instances 0 and 2, AZ b gets 1: the first scale-in comes from AZ a.
        let g = group_with_launches(2, &[0, 1_000, 2_000]);
        assert_eq!(
            choose(&g, &[TerminationPolicy::NewestInstance], 10_000, 1),
            vec![2]
        );
        assert_eq!(
            choose(&g, &[TerminationPolicy::OldestInstance], 10_000, 1),
            vec![0]
        );
        // Then the AZs are balanced (1 + 1) and the policy decides across them.
        assert_eq!(
            choose(&g, &[TerminationPolicy::OldestInstance], 10_000, 2),
            vec![0, 1]
        );
        assert_eq!(
            choose(&g, &[TerminationPolicy::NewestInstance], 10_000, 3),
            vec![2, 1, 0]
        );
    }

    /// UG: ec2-auto-scaling-termination-policies, its example: two AZs, 1 + 1, scale out to 3 (2 + 1), scale in: the AZ with 2 loses one;
    /// with the same template, the one closest to its next billing hour.
    #[test]
    fn worked_example_12_10() {
        let mut g = group_with_launches(2, &[0, 0]);
        let third = g.launch(600_000, false);
        g.set_in_service(third, 600_000);
        assert_eq!(g.instances[third].az, 0);
        // At 50 min: instance 0 is 10 min from its hour, instance 2 is 50 min from it.
        assert_eq!(
            choose(&g, &[TerminationPolicy::Default], 3_000_000, 1),
            vec![0]
        );
        g.instances[2].template_version = 0;
        assert_eq!(
            choose(&g, &[TerminationPolicy::Default], 3_000_000, 1),
            vec![2],
            "an older template goes first"
        );
    }

    #[test]
    fn closest_to_next_hour_and_protection() {
        let mut g = group_with_launches(1, &[0, 1_800_000, 3_000_000]);
        // At 3,500 s: to next hour 100 s, 1,900 s, 3,100 s.
        let policy = [TerminationPolicy::ClosestToNextInstanceHour];
        assert_eq!(choose(&g, &policy, 3_500_000, 1), vec![0]);
        for inst in &mut g.instances {
            inst.protected_from_scale_in = true;
        }
        let mut rng = stream(1, Stream::Termination);
        let out = choose_for_scale_in(&g, &[TerminationPolicy::Default], 0, 1, &mut rng);
        assert!(out.chosen.is_empty() && out.all_protected);
    }

    #[test]
    fn random_tie_break_is_seeded() {
        let g = group_with_launches(1, &[0, 0, 0, 0]);
        let pick = |seed| {
            let mut rng = stream(seed, Stream::Termination);
            choose_for_scale_in(&g, &[TerminationPolicy::Default], 0, 1, &mut rng).chosen
        };
        assert_eq!(pick(1), pick(1));
        assert!(
            (1..20).any(|s| pick(s) != pick(1)),
            "the tie-break depends on the seed"
        );
    }
}
