//! The two references an autoscaler is judged against, computed by asgsim itself:
//!
//! - **fixed**: the same scenario with `min_size = max_size = desired_capacity` = the peak
//!   demand of its trace and no scaling policies, alarms or scheduled actions (set through
//!   overrides), run through the simulator with the same trace and seed;
//! - **oracle**: a group whose InService count is exactly the demand at every moment,
//!   computed in closed form from the trace and the instance model: cost = Σ demand · Δt ·
//!   price, nothing dropped, the SLO always met, every elasticity metric 0.
//!
//! The demand is the one of the elasticity metrics: the smallest instance count that serves
//! the load with no drop and a latency within the SLO ([`demand_at`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::elasticity::elastic_speedup;
use crate::records::{Elasticity, Summary};
use crate::scenario::ScenarioError;
use crate::sim::Scenario;
use crate::time::MS_PER_HOUR;
use crate::trace::Trace;
use crate::workload::{InstanceModel, demand_at};

use super::source::ScenarioSource;

/// Most fixed baselines a [`FixedCache`] keeps before it starts over (bounds its memory).
const CACHE_CAPACITY: usize = 4_096;

/// The oracle: capacity equal to the demand at every moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Oracle {
    /// Highest demand over the run \[instances\]: the size of the fixed group.
    pub peak_demand: u32,
    /// Σ demand · Δt \[h\].
    pub instance_hours: f64,
    /// Instance-hours times the hourly price \[USD\].
    pub cost_usd: f64,
}

/// The oracle of `scenario` over `trace`: the demand integrated over `[0, duration)`.
pub fn oracle(scenario: &Scenario, trace: &Trace) -> Oracle {
    let template = &scenario.launch_template;
    let model = InstanceModel {
        capacity_rps: template.capacity_rps,
        idle_cpu_percent: template.idle_cpu_percent,
    };
    let per_instance = model.slo_capacity_rps(scenario.slo.latency_ms);
    let mut cursor = trace.cursor();
    let (mut t, mut instance_ms, mut peak) = (0, 0.0, 0);
    while t < scenario.duration_ms {
        let (rate, end) = cursor.segment_at(t);
        let end = end.min(scenario.duration_ms);
        let demand = demand_at(rate, per_instance);
        instance_ms += f64::from(demand) * (end - t) as f64;
        peak = peak.max(demand);
        t = end;
    }
    let instance_hours = instance_ms / MS_PER_HOUR as f64;
    Oracle {
        peak_demand: peak,
        instance_hours,
        cost_usd: instance_hours * template.price_per_hour_usd,
    }
}

/// The overrides that turn a scenario into the fixed group of `size` instances.
pub fn fixed_overrides(size: u32) -> [String; 6] {
    [
        format!("group.min_size={size}"),
        format!("group.max_size={size}"),
        format!("group.desired_capacity={size}"),
        "scaling_policies=[]".to_string(),
        "alarms=[]".to_string(),
        "scheduled_actions=[]".to_string(),
    ]
}

/// Runs the fixed group of `size` instances: the scenario of `source` with `overrides`, then
/// [`fixed_overrides`], over `trace` with `seed`. If the scenario's scripted events do not fit
/// a fixed group (a `set_desired_capacity` outside its size), it runs without events.
///
/// # Errors
///
/// The scenario's problems when even the group without events does not validate.
pub fn fixed_baseline(
    source: &ScenarioSource,
    overrides: &[String],
    size: u32,
    trace: &Trace,
    seed: u64,
) -> Result<Summary, ScenarioError> {
    let mut all: Vec<String> = overrides.to_vec();
    all.extend(fixed_overrides(size));
    let scenario = match source.parse(&all) {
        Ok(scenario) => scenario,
        Err(first) => {
            all.push("events=[]".to_string());
            source.parse(&all).map_err(|_| first)?
        }
    };
    Ok(crate::run::summarize(&scenario, trace, seed))
}

/// Figures computed beside a run's summary: shares, the two baselines and the speedups.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extras {
    /// SLO violation time as a share of the run \[%\].
    pub slo_violation_pct: f64,
    /// Dropped requests as a share of those offered \[%\].
    pub requests_dropped_pct: f64,
    /// Size of the fixed group: the peak demand \[instances\].
    pub fixed_size: u32,
    /// What the fixed group cost \[USD\].
    pub fixed_cost_usd: f64,
    /// SLO violation time of the fixed group \[s\].
    pub fixed_slo_violation_s: f64,
    /// What the oracle cost \[USD\].
    pub oracle_cost_usd: f64,
    /// Elastic speedup of the run over the fixed group.
    pub elastic_speedup_fixed: f64,
    /// Elastic speedup of the run over the oracle (at most 1).
    pub elastic_speedup_oracle: f64,
}

impl Extras {
    /// The extras of a run with `summary`, given its oracle and fixed group.
    pub fn new(summary: &Summary, oracle: &Oracle, fixed: &Summary) -> Self {
        let share = |part: f64, whole: f64| {
            if whole > 0.0 {
                100.0 * part / whole
            } else {
                0.0
            }
        };
        Extras {
            slo_violation_pct: share(summary.slo_violation_s, summary.duration_s),
            requests_dropped_pct: share(summary.requests_dropped, summary.requests_total),
            fixed_size: oracle.peak_demand,
            fixed_cost_usd: fixed.cost_usd,
            fixed_slo_violation_s: fixed.slo_violation_s,
            oracle_cost_usd: oracle.cost_usd,
            elastic_speedup_fixed: elastic_speedup(&fixed.elasticity, &summary.elasticity),
            elastic_speedup_oracle: elastic_speedup(&Elasticity::default(), &summary.elasticity),
        }
    }
}

/// One cache slot: filled once by whichever run needs it first.
type Slot = Arc<OnceLock<Result<Summary, ScenarioError>>>;

/// Fixed groups already run in a sweep, shared by its threads: runs that differ only in
/// their policies (the usual sweep) share one fixed group per seed.
///
/// The key is the seed and the overrides that can change the fixed group: all but those of
/// `alarms`, `scaling_policies`, `scheduled_actions` and the three sizes, which the fixed
/// group replaces. The result does not depend on which thread computes it. At most
/// `CACHE_CAPACITY` entries are kept; then the cache starts over.
#[derive(Debug, Default)]
pub struct FixedCache {
    slots: Mutex<HashMap<(u64, Vec<String>), Slot>>,
}

impl FixedCache {
    /// The fixed group for a run (see [`fixed_baseline`]), computed at most once per key.
    ///
    /// # Errors
    ///
    /// Those of [`fixed_baseline`].
    pub fn get(
        &self,
        source: &ScenarioSource,
        overrides: &[String],
        size: u32,
        trace: &Trace,
        seed: u64,
    ) -> Result<Summary, ScenarioError> {
        let key = (seed, relevant_overrides(overrides));
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            if slots.len() >= CACHE_CAPACITY && !slots.contains_key(&key) {
                slots.clear();
            }
            Arc::clone(slots.entry(key).or_default())
        };
        slot.get_or_init(|| fixed_baseline(source, overrides, size, trace, seed))
            .clone()
    }
}

/// The overrides that can change the fixed group (see [`FixedCache`]).
fn relevant_overrides(overrides: &[String]) -> Vec<String> {
    const REPLACED: [&str; 3] = ["alarms", "scaling_policies", "scheduled_actions"];
    const SIZES: [&str; 3] = ["group.min_size", "group.max_size", "group.desired_capacity"];
    overrides
        .iter()
        .filter(|text| {
            let key = text
                .split_once('=')
                .map_or(text.as_str(), |(k, _)| k)
                .trim();
            let root = key.split(['.', '[']).next().unwrap_or(key);
            !REPLACED.contains(&root) && !SIZES.contains(&key)
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const SCENARIO: &str = r#"
name = "t"
duration = "4h"
[group]
min_size = 1
max_size = 10
availability_zones = ["a"]
[launch_template]
capacity_rps = 100
price_per_hour = 1.0
boot_time = "60s"
[load]
pattern = { kind = "step", base = 50, peak = 250, at = "1h", until = "3h" }
[slo]
latency_ms = 200
[[alarms]]
name = "High"
metric_name = "CPUUtilization"
evaluation_periods = 2
threshold = 70
comparison_operator = "GreaterThanThreshold"
alarm_actions = ["out"]
[[scaling_policies]]
name = "out"
adjustment_type = "ChangeInCapacity"
scaling_adjustment = 1
"#;

    fn source() -> ScenarioSource {
        ScenarioSource::new(Path::new("t.toml"), SCENARIO.to_string())
    }

    /// 95 req/s per instance (SLO 200 ms, 10 ms service): 50 req/s needs 1 instance for 2 h,
    /// 250 req/s needs 3 for 2 h: 8 instance-hours at 1 USD, peak 3.
    #[test]
    fn the_oracle_integrates_the_demand_by_hand() {
        let scenario = source().parse(&[]).unwrap();
        let trace = crate::trace::load(&scenario.load, scenario.duration_ms, 1).unwrap();
        let o = oracle(&scenario, &trace);
        assert_eq!(o.peak_demand, 3);
        assert!((o.instance_hours - 8.0).abs() < 1e-9, "{o:?}");
        assert!((o.cost_usd - 8.0).abs() < 1e-9);
    }

    /// The fixed group of 3 keeps 3 instances for 4 h: 12 instance-hours, no scaling, no SLO
    /// violation, never under-provisioned.
    #[test]
    fn the_fixed_group_runs_through_the_simulator() {
        let src = source();
        let scenario = src.parse(&[]).unwrap();
        let trace = crate::trace::load(&scenario.load, scenario.duration_ms, 1).unwrap();
        let fixed = fixed_baseline(&src, &[], 3, &trace, 1).unwrap();
        assert!((fixed.instance_hours - 12.0).abs() < 1e-9, "{fixed:?}");
        assert_eq!(fixed.scale_out_activities + fixed.scale_in_activities, 0);
        assert_eq!(fixed.slo_violation_s, 0.0);
        assert_eq!(fixed.elasticity.timeshare_under, 0.0);
        let cache = FixedCache::default();
        let cached = cache.get(&src, &[], 3, &trace, 1).unwrap();
        assert_eq!(cached, fixed);
    }

    #[test]
    fn policy_overrides_do_not_split_the_cache() {
        let overrides = [
            "alarms.High.threshold=80".to_string(),
            "scaling_policies[0].cooldown=120s".to_string(),
            "group.max_size=8".to_string(),
            "group.default_cooldown=60s".to_string(),
            "launch_template.capacity_rps=50".to_string(),
        ];
        assert_eq!(
            relevant_overrides(&overrides),
            [
                "group.default_cooldown=60s",
                "launch_template.capacity_rps=50"
            ]
        );
    }
}
