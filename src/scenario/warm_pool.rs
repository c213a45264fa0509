//! `\[warm_pool\]`: pre-initialized instances that wait beside the group (UG: ec2-auto-scaling-warm-pools),
//! with AWS's `PutWarmPool` keys and defaults, and asgsim's model of how long a warm start
//! takes and what a stopped instance costs.

use super::fields::Reader;
use super::model::{BootTime, PoolState, WarmPoolConfig};
use super::template::read_time_distribution;
use crate::time::{MS_PER_S, SimDuration};

/// `pool_state` values, as spelled in the API.
const POOL_STATES: [(&str, PoolState); 3] = [
    ("Stopped", PoolState::Stopped),
    ("Running", PoolState::Running),
    ("Hibernated", PoolState::Hibernated),
];

/// Cost of a stopped or hibernated pool instance's volumes when none is given
/// \[USD per hour\] \[model\].
const DEFAULT_STOPPED_PRICE_PER_HOUR_USD: f64 = 0.01;

/// Time from leaving the pool to InService when `warm_start_time` is not given \[ms\] \[model\]:
/// a running instance only has to join, a hibernated one restores its memory, a stopped
/// one boots its operating system again.
fn default_warm_start_ms(state: PoolState) -> SimDuration {
    let seconds = match state {
        PoolState::Running => 20,
        PoolState::Hibernated => 40,
        PoolState::Stopped => 60,
    };
    seconds * MS_PER_S
}

/// Reads `\[warm_pool\]`: `Some(None)` when there is none, `None` when it is wrong (reported).
pub(super) fn read_warm_pool(r: &mut Reader<'_>) -> Option<Option<WarmPoolConfig>> {
    if r.raw("warm_pool").is_none() {
        return Some(None);
    }
    let mut w = r.child("warm_pool")?;
    let min_size = w.count("min_size").or(0);
    let max_group_prepared_capacity = read_max_prepared(&mut w);
    let pool_state = w.choice("pool_state", &POOL_STATES).or(PoolState::Stopped);
    let reuse_on_scale_in = read_reuse(&mut w);
    let warm_start_time = read_time_distribution(&mut w, "warm_start_time");
    let stopped_price_per_hour_usd = read_stopped_price(&mut w, pool_state);
    w.finish();
    let pool_state = pool_state?;
    let default_start = BootTime::Constant {
        value_ms: default_warm_start_ms(pool_state),
    };
    Some(Some(WarmPoolConfig {
        min_size: min_size?,
        max_group_prepared_capacity: max_group_prepared_capacity?,
        pool_state,
        reuse_on_scale_in: reuse_on_scale_in?,
        warm_start_time: warm_start_time?.unwrap_or(default_start),
        stopped_price_per_hour_usd: stopped_price_per_hour_usd?,
    }))
}

/// `max_group_prepared_capacity`: a whole number, or -1 for unset as in AWS (then the
/// group's max_size bounds the prepared capacity). `Some(None)` when unset.
fn read_max_prepared(w: &mut Reader<'_>) -> Option<Option<u32>> {
    w.integer("max_group_prepared_capacity")
        .check(
            |n| *n == -1 || u32::try_from(*n).is_ok(),
            |n| {
                format!(
                    "must be a whole number ≥ 0 (instances in the group and the pool together), or -1 for unset (max_size then applies), found {n}"
                )
            },
        )
        .optional()
        .map(|n| n.and_then(|n| u32::try_from(n).ok()))
}

/// `reuse_on_scale_in`, written flat or nested as AWS does,
/// `instance_reuse_policy = { reuse_on_scale_in = true }`; default false.
fn read_reuse(w: &mut Reader<'_>) -> Option<bool> {
    let flat = w.boolean("reuse_on_scale_in");
    let mut policy = w.child("instance_reuse_policy")?;
    let nested = policy.boolean("reuse_on_scale_in");
    policy.finish();
    if flat.is_present() && nested.is_present() {
        w.report(
            "reuse_on_scale_in",
            "reuse_on_scale_in is also given in instance_reuse_policy; give only one",
        );
        return None;
    }
    let (flat, nested) = (flat.optional(), nested.optional());
    Some(flat?.or(nested?).unwrap_or(false))
}

/// `stopped_price_per_hour` \[USD per hour\], ≥ 0: what a stopped or hibernated pool instance
/// costs. A Running pool is billed as running, so the key does not apply to it.
fn read_stopped_price(w: &mut Reader<'_>, state: Option<PoolState>) -> Option<f64> {
    w.non_negative("stopped_price_per_hour")
        .check(
            |_| state != Some(PoolState::Running),
            |_| {
                "applies only to pool_state Stopped or Hibernated; a Running pool instance is billed at the launch template's price_per_hour, so remove it"
                    .to_string()
            },
        )
        .or(DEFAULT_STOPPED_PRICE_PER_HOUR_USD)
}
