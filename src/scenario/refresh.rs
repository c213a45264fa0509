//! The `instance_refresh` event (UG: asg-instance-refresh): the new launch template's type and
//! price, and the `RefreshPreferences` asgsim models, with AWS's defaults (API: StartInstanceRefresh, RefreshPreferences).

use toml::Value;

use super::fields::{Reader, expected};
use super::model::{EventAction, InstanceRefreshConfig};
use super::template::built_in_price;
use crate::time::{MS_PER_S, SimDuration};

/// `MinHealthyPercentage` when none is given \[%\].
const DEFAULT_MIN_HEALTHY_PERCENTAGE: u32 = 90;

/// `CheckpointDelay` when none is given \[ms\].
const DEFAULT_CHECKPOINT_DELAY_MS: SimDuration = 3600 * MS_PER_S;

const CHECKPOINTS: &str =
    "an array of whole percentages 1–100 in increasing order, such as [20, 50, 100]";

/// `instance_refresh`: `instance_type`, `price_per_hour` (required for a type outside the
/// built-in price table), `min_healthy_percentage` (0–100, default 90), `instance_warmup`,
/// `checkpoint_percentages` and `checkpoint_delay` (default 1h). `capacity_rps` is refused,
/// and `max_healthy_percentage` may only be 100.
pub(super) fn read_instance_refresh(e: &mut Reader<'_>) -> Option<EventAction> {
    let instance_type = e.name("instance_type").optional();
    let price_per_hour_usd = read_price(e, instance_type.as_ref());
    let same_capacity = refuse_capacity(e);
    let max_healthy = read_max_healthy(e);
    let min_healthy_percentage = e
        .count("min_healthy_percentage")
        .check(
            |p| *p <= 100,
            |p| format!("must lie between 0 and 100 (the share of desired capacity kept healthy while instances are replaced), found {p}"),
        )
        .or(DEFAULT_MIN_HEALTHY_PERCENTAGE);
    let instance_warmup_ms = e.duration("instance_warmup").optional();
    let checkpoint_percentages = read_checkpoints(e);
    let checkpoint_delay_ms = read_checkpoint_delay(e);
    let config = InstanceRefreshConfig {
        instance_type: instance_type?,
        price_per_hour_usd: price_per_hour_usd?,
        min_healthy_percentage: min_healthy_percentage?,
        instance_warmup_ms: instance_warmup_ms?,
        checkpoint_percentages: checkpoint_percentages?,
        checkpoint_delay_ms: checkpoint_delay_ms?,
    };
    max_healthy?;
    same_capacity.then_some(EventAction::InstanceRefresh(config))
}

/// `price_per_hour` \[USD per hour\], ≥ 0; when absent, a new `instance_type` takes its price
/// from the built-in table, and one outside the table is a problem.
fn read_price(e: &mut Reader<'_>, instance_type: Option<&Option<String>>) -> Option<Option<f64>> {
    let price = e.non_negative("price_per_hour").optional()?;
    match (price, instance_type) {
        (Some(p), _) => Some(Some(p)),
        (None, Some(Some(t))) => built_in_price(e, t).map(Some),
        (None, _) => Some(None),
    }
}

/// Whether `capacity_rps` is absent: a refresh cannot change it in this version.
fn refuse_capacity(e: &mut Reader<'_>) -> bool {
    if e.peek("capacity_rps").is_none() {
        return true;
    }
    e.raw("capacity_rps");
    e.report(
        "capacity_rps",
        "an instance refresh cannot change capacity_rps in this version: the new instance type must serve the same load as launch_template.capacity_rps; remove capacity_rps",
    );
    false
}

/// `max_healthy_percentage`: only AWS's default, 100 (terminate, then launch), is modelled;
/// it is read so that it is not taken for a misspelt `min_healthy_percentage`.
fn read_max_healthy(e: &mut Reader<'_>) -> Option<u32> {
    e.count("max_healthy_percentage")
        .check(
            |p| *p == 100,
            |p| format!("only 100, AWS's default (terminate an instance, then launch its replacement), is modelled in this version; found {p}, so remove it"),
        )
        .or(100)
}

/// One checkpoint: a whole percentage 1–100.
fn as_checkpoint(value: &Value) -> Result<u32, String> {
    match value {
        Value::Integer(i) if (1..=100).contains(i) => Ok(*i as u32),
        Value::Integer(i) => Err(format!("{i} is not between 1 and 100")),
        other => Err(expected("a whole percentage 1–100", other)),
    }
}

/// `checkpoint_percentages`: whole percentages 1–100, strictly increasing. AWS: "to replace
/// all instances, the final number must be 100"; a list ending lower is a partial refresh,
/// which stops at its last checkpoint (the user guide's example uses \[20, 50\]). Every bad
/// item is named in one problem. Absent or empty: no checkpoints.
fn read_checkpoints(e: &mut Reader<'_>) -> Option<Vec<u32>> {
    e.get("checkpoint_percentages", CHECKPOINTS, |v| {
        let items = v.as_array().ok_or_else(|| expected(CHECKPOINTS, v))?;
        let mut good = Vec::new();
        let mut bad = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match as_checkpoint(item) {
                Ok(c) => good.push(c),
                Err(m) => bad.push(format!("item {i}: {m}")),
            }
        }
        if bad.is_empty() {
            Ok(good)
        } else {
            Err(bad.join("; "))
        }
    })
    .check(
        |p| p.windows(2).all(|w| w[0] < w[1]),
        |p| format!("must be strictly increasing, each checkpoint a larger share of the group than the one before; found {p:?}"),
    )
    .or_else(Vec::new)
}

/// `checkpoint_delay` \[ms\], default 1h; AWS accepts it only with `checkpoint_percentages`.
fn read_checkpoint_delay(e: &mut Reader<'_>) -> Option<SimDuration> {
    let has_checkpoints = e.peek("checkpoint_percentages").is_some();
    e.duration("checkpoint_delay")
        .check(
            |_| has_checkpoints,
            |_| {
                "applies only with checkpoint_percentages (AWS requires them together); add checkpoint_percentages such as [50, 100], or remove checkpoint_delay"
                    .to_string()
            },
        )
        .or(DEFAULT_CHECKPOINT_DELAY_MS)
}
