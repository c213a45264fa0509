//! Which instance a scale-in terminates (asg-semantics.md §7): AZ balance first, then the
//! listed termination policies in order, each narrowing the candidates, then `Default`
//! (oldest launch template, then closest to the next instance hour, then random).

use rand::Rng;

use crate::rng::SimRng;
use crate::scenario::TerminationPolicy;
use crate::time::{MS_PER_HOUR, SimTime};

use super::group::Group;

/// The outcome of a scale-in choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TerminationChoice {
    /// Terminate this instance (index into `Group::instances`); `rule` names what decided.
    Instance {
        /// Index of the chosen instance.
        index: usize,
        /// The policy step that left a single candidate.
        rule: &'static str,
    },
    /// Every remaining instance is protected from scale-in.
    AllProtected,
}

/// Chooses the instance a scale-in terminates at `now_ms`.
pub fn choose_for_scale_in(
    group: &Group,
    policies: &[TerminationPolicy],
    now_ms: SimTime,
    rng: &mut SimRng,
) -> TerminationChoice {
    let eligible: Vec<usize> = group
        .active_indices()
        .iter()
        .copied()
        .filter(|i| !group.instances[*i].is_protected())
        .collect();
    if eligible.is_empty() {
        return TerminationChoice::AllProtected;
    }
    let mut candidates = in_most_loaded_azs(group, &eligible);
    candidates.sort_unstable();
    if candidates.len() == 1 {
        return single(candidates[0], "AZ balance");
    }
    let listed = policies
        .iter()
        .filter(|p| **p != TerminationPolicy::Default);
    for policy in listed.chain([TerminationPolicy::Default].iter()) {
        let rule = narrow(group, *policy, &mut candidates, now_ms, rng);
        if candidates.len() == 1 {
            return single(candidates[0], rule);
        }
    }
    single(candidates[0], "Default")
}

fn single(index: usize, rule: &'static str) -> TerminationChoice {
    TerminationChoice::Instance { index, rule }
}

/// The eligible instances of the AZ(s) with the most active instances among the AZs that
/// hold an eligible one.
fn in_most_loaded_azs(group: &Group, eligible: &[usize]) -> Vec<usize> {
    let most = eligible
        .iter()
        .map(|i| group.az_active[group.instances[*i].az])
        .max()
        .unwrap_or(0);
    eligible
        .iter()
        .copied()
        .filter(|i| group.az_active[group.instances[*i].az] == most)
        .collect()
}

/// Keeps the candidates with the smallest key.
fn keep_min_by_key<K: Ord + Copy>(candidates: &mut Vec<usize>, key: impl Fn(usize) -> K) {
    if let Some(best) = candidates.iter().map(|i| key(*i)).min() {
        candidates.retain(|i| key(*i) == best);
    }
}

/// Applies one policy; returns the name of the rule that applied last.
fn narrow(
    group: &Group,
    policy: TerminationPolicy,
    candidates: &mut Vec<usize>,
    now_ms: SimTime,
    rng: &mut SimRng,
) -> &'static str {
    let inst = |i: usize| &group.instances[i];
    let to_next_hour = |i: usize| {
        let elapsed = now_ms.saturating_sub(inst(i).launch_ms);
        MS_PER_HOUR - elapsed % MS_PER_HOUR
    };
    match policy {
        TerminationPolicy::OldestInstance => keep_min_by_key(candidates, |i| inst(i).launch_ms),
        TerminationPolicy::NewestInstance => {
            keep_min_by_key(candidates, |i| std::cmp::Reverse(inst(i).launch_ms))
        }
        TerminationPolicy::OldestLaunchTemplate => {
            keep_min_by_key(candidates, |i| inst(i).template_version)
        }
        TerminationPolicy::ClosestToNextInstanceHour => keep_min_by_key(candidates, to_next_hour),
        // A single-template, single-type group has no launch configurations and no
        // allocation strategy to restore: these policies leave every candidate.
        TerminationPolicy::OldestLaunchConfiguration | TerminationPolicy::AllocationStrategy => {}
        TerminationPolicy::Default => {
            keep_min_by_key(candidates, |i| inst(i).template_version);
            if candidates.len() == 1 {
                return "Default: oldest launch template";
            }
            keep_min_by_key(candidates, to_next_hour);
            if candidates.len() == 1 {
                return "Default: closest to the next instance hour";
            }
            let pick = candidates[rng.random_range(0..candidates.len())];
            candidates.retain(|i| *i == pick);
            return "Default: random tie-break";
        }
    }
    policy.aws_name()
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

    fn choose(g: &Group, policies: &[TerminationPolicy], now: SimTime) -> usize {
        let mut rng = stream(1, Stream::Termination);
        match choose_for_scale_in(g, policies, now, &mut rng) {
            TerminationChoice::Instance { index, .. } => index,
            TerminationChoice::AllProtected => panic!("expected a choice"),
        }
    }

    #[test]
    fn az_balance_comes_first() {
        // AZ a gets instances 0 and 2, AZ b gets 1: the scale-in must come from AZ a.
        let g = group_with_launches(2, &[0, 1_000, 2_000]);
        let idx = choose(&g, &[TerminationPolicy::NewestInstance], 10_000);
        assert_eq!(idx, 2);
        let idx = choose(&g, &[TerminationPolicy::OldestInstance], 10_000);
        assert_eq!(idx, 0);
    }

    #[test]
    fn closest_to_next_hour_and_protection() {
        let mut g = group_with_launches(1, &[0, 1_800_000, 3_000_000]);
        // At 3,500 s: to next hour 100 s, 1,900 s, 3,100 s.
        assert_eq!(
            choose(
                &g,
                &[TerminationPolicy::ClosestToNextInstanceHour],
                3_500_000
            ),
            0
        );
        for inst in &mut g.instances {
            inst.protected_from_scale_in = true;
        }
        let mut rng = stream(1, Stream::Termination);
        let out = choose_for_scale_in(&g, &[TerminationPolicy::Default], 0, &mut rng);
        assert_eq!(out, TerminationChoice::AllProtected);
    }
}
