//! Warm pools, instance refreshes, the application start time and overload health-check
//! failures: values, defaults and each rule.

use super::tests::{MINIMAL, parse, problems};
use super::tests_rules::{check_cases, edited};
use super::*;

/// A scenario using every key of this module's sections.
pub(super) const WARM: &str = r#"
duration = "6h"

[group]
min_size = 1
max_size = 8
desired_capacity = 2
health_check_type = "ELB"
health_check_grace_period = "60s"

[launch_template]
capacity_rps = 50
application_start_time = { distribution = "uniform", min = "30s", max = "90s" }

[load]
pattern = { kind = "constant", rate = 10 }

[load_balancer]
overload_fails_health_checks = true

[warm_pool]
min_size = 2
max_group_prepared_capacity = 6
pool_state = "Hibernated"
instance_reuse_policy = { reuse_on_scale_in = true }
warm_start_time = "45s"
stopped_price_per_hour = 0.02

[[events]]
at = "3h"
action = "instance_refresh"
instance_type = "x9.huge"
price_per_hour = 0.5
min_healthy_percentage = 50
instance_warmup = "2m"
checkpoint_percentages = [25, 50, 100]
checkpoint_delay = "10m"

[[events]]
at = "1h"
action = "instance_refresh"
instance_type = "c5.xlarge"
"#;

#[test]
fn the_new_keys_parse_to_the_values_written() {
    let s = parse(WARM, &[]).unwrap();
    assert_eq!(
        s.launch_template.application_start_time,
        BootTime::Uniform {
            min_ms: 30_000,
            max_ms: 90_000
        }
    );
    assert!(s.load_balancer.overload_fails_health_checks);
    assert_eq!(
        s.warm_pool,
        Some(WarmPoolConfig {
            min_size: 2,
            max_group_prepared_capacity: Some(6),
            pool_state: PoolState::Hibernated,
            reuse_on_scale_in: true,
            warm_start_time: BootTime::Constant { value_ms: 45_000 },
            stopped_price_per_hour_usd: 0.02,
        })
    );
    let actions: Vec<(u64, &EventAction)> = s.events.iter().map(|e| (e.at_ms, &e.action)).collect();
    let by_table = EventAction::InstanceRefresh(InstanceRefreshConfig {
        instance_type: Some("c5.xlarge".into()),
        price_per_hour_usd: Some(0.17),
        min_healthy_percentage: 90,
        instance_warmup_ms: None,
        checkpoint_percentages: vec![],
        checkpoint_delay_ms: 3_600_000,
    });
    let written = EventAction::InstanceRefresh(InstanceRefreshConfig {
        instance_type: Some("x9.huge".into()),
        price_per_hour_usd: Some(0.5),
        min_healthy_percentage: 50,
        instance_warmup_ms: Some(120_000),
        checkpoint_percentages: vec![25, 50, 100],
        checkpoint_delay_ms: 600_000,
    });
    assert_eq!(
        actions,
        [(3_600_000, &by_table), (10_800_000, &written)],
        "sorted by time; a type in the built-in table takes its price"
    );
}

#[test]
fn defaults_add_no_pool_no_start_time_and_no_overload_failures() {
    let s = parse(MINIMAL, &[]).unwrap();
    assert_eq!(s.warm_pool, None);
    assert_eq!(
        s.launch_template.application_start_time,
        BootTime::Constant { value_ms: 0 }
    );
    assert!(!s.load_balancer.overload_fails_health_checks);
}

#[test]
fn an_empty_warm_pool_takes_the_aws_defaults() {
    let text = format!("{MINIMAL}\n[warm_pool]\n");
    let s = parse(&text, &[]).unwrap();
    assert_eq!(
        s.warm_pool,
        Some(WarmPoolConfig {
            min_size: 0,
            max_group_prepared_capacity: None,
            pool_state: PoolState::Stopped,
            reuse_on_scale_in: false,
            warm_start_time: BootTime::Constant { value_ms: 60_000 },
            stopped_price_per_hour_usd: 0.01,
        })
    );
}

#[test]
fn the_warm_start_default_depends_on_the_pool_state() {
    let cases = [
        ("Running", 20_000),
        ("Hibernated", 40_000),
        ("Stopped", 60_000),
    ];
    for (state, value_ms) in cases {
        let over = format!("warm_pool.pool_state={state}");
        let s = parse(MINIMAL, &[&over]).unwrap();
        let pool = s.warm_pool.unwrap();
        assert_eq!(
            pool.warm_start_time,
            BootTime::Constant { value_ms },
            "{state}"
        );
    }
}

#[test]
fn minus_one_unsets_the_prepared_capacity_and_reuse_may_be_flat() {
    let text = edited(
        WARM,
        &[
            "warm_pool.max_group_prepared_capacity=-1",
            "-warm_pool.instance_reuse_policy",
            "warm_pool.reuse_on_scale_in=true",
        ],
    );
    let pool = parse(&text, &[]).unwrap().warm_pool.unwrap();
    assert_eq!(pool.max_group_prepared_capacity, None, "-1 means unset");
    assert!(pool.reuse_on_scale_in);
    let over = "warm_pool.instance_reuse_policy={}";
    let pool = parse(WARM, &[over]).unwrap().warm_pool.unwrap();
    assert!(!pool.reuse_on_scale_in, "an empty policy does not reuse");
}

#[test]
fn a_bare_refresh_takes_the_aws_defaults() {
    let text = format!("{MINIMAL}\n[[events]]\nat = \"10m\"\naction = \"instance_refresh\"\n");
    let s = parse(&text, &[]).unwrap();
    assert_eq!(
        s.events[0].action,
        EventAction::InstanceRefresh(InstanceRefreshConfig {
            instance_type: None,
            price_per_hour_usd: None,
            min_healthy_percentage: 90,
            instance_warmup_ms: None,
            checkpoint_percentages: vec![],
            checkpoint_delay_ms: 3_600_000,
        })
    );
    let s = parse(
        &text,
        &[
            "events[0].price_per_hour=0.2",
            "events[0].max_healthy_percentage=100",
        ],
    )
    .unwrap();
    let EventAction::InstanceRefresh(r) = &s.events[0].action else {
        panic!("a refresh")
    };
    assert_eq!(
        r.price_per_hour_usd,
        Some(0.2),
        "a new price for the same type"
    );
}

#[test]
fn warm_pool_rules() {
    check_cases(
        WARM,
        r#"
        warm_pool.min_size=-1 | warm_pool.min_size | expected a whole number ≥ 0, found the integer -1
        warm_pool.max_group_prepared_capacity=-2 | warm_pool.max_group_prepared_capacity | must be a whole number ≥ 0 (instances in the group and the pool together), or -1 for unset (max_size then applies), found -2
        warm_pool.max_group_prepared_capacity=1.5 | warm_pool.max_group_prepared_capacity | expected a whole number, found the number 1.5
        warm_pool.pool_state=stopped | warm_pool.pool_state | did you mean Stopped?; expected one of Stopped, Running, Hibernated
        warm_pool.pool_state=Warm | warm_pool.pool_state | expected one of Stopped, Running, Hibernated
        warm_pool.reuse_on_scale_in=true | warm_pool.reuse_on_scale_in | reuse_on_scale_in is also given in instance_reuse_policy; give only one
        warm_pool.instance_reuse_policy.reuse_on_scale_in=yes | warm_pool.instance_reuse_policy.reuse_on_scale_in | expected true or false
        warm_pool.instance_reuse_policy.reuse_on_scalein=true | warm_pool.instance_reuse_policy.reuse_on_scalein | did you mean reuse_on_scale_in?
        warm_pool.instance_reuse_policy=true | warm_pool.instance_reuse_policy | expected a table, found the boolean true
        warm_pool.warm_start_time=soon | warm_pool.warm_start_time | `soon` is not a duration
        warm_pool.warm_start_time=[1] | warm_pool.warm_start_time | or a table such as
        warm_pool.warm_start_time={ distribution = "uniform", min = "2m", max = "1m" } | warm_pool.warm_start_time.min | min 2m must not exceed max 1m
        warm_pool.stopped_price_per_hour=-0.5 | warm_pool.stopped_price_per_hour | must be ≥ 0
        warm_pool.pool_state=Running | warm_pool.stopped_price_per_hour | applies only to pool_state Stopped or Hibernated; a Running pool instance is billed at the launch template's price_per_hour
        warm_pool.min_sizee=1 | warm_pool.min_sizee | unknown key; did you mean min_size?
        warm_pool=3 | warm_pool | expected a table, found the integer 3
        "#,
    );
}

#[test]
fn start_time_and_overload_rules() {
    check_cases(
        WARM,
        r#"
        launch_template.application_start_time=fast | launch_template.application_start_time | `fast` is not a duration
        launch_template.application_start_time={ distribution = "lognormal", median = "1m", p95 = "30s" } | launch_template.application_start_time.p95 | p95 30s must be greater than median 1m
        launch_template.application_start_time={ value = "1m" } | launch_template.application_start_time.distribution | required key is missing
        launch_template.application_start=30s | launch_template.application_start | did you mean application_start_time?
        load_balancer.overload_fails_health_checks="yes" | load_balancer.overload_fails_health_checks | expected true or false, found the string "yes"
        load_balancer.overload_fails_health_check=true | load_balancer.overload_fails_health_check | did you mean overload_fails_health_checks?
        "#,
    );
}

#[test]
fn instance_refresh_rules() {
    check_cases(
        WARM,
        r#"
        -events[0].price_per_hour | events[0].price_per_hour | required for instance type x9.huge, which is not in the built-in price table (t3.micro, m5.large, c5.xlarge); give its On-Demand price in USD per hour
        events[0].price_per_hour=-1 | events[0].price_per_hour | must be ≥ 0, found -1
        events[0].instance_type="" | events[0].instance_type | must not be empty
        events[0].instance_type=5 | events[0].instance_type | expected a string, found the integer 5
        events[1].capacity_rps=100 | events[1].capacity_rps | an instance refresh cannot change capacity_rps in this version: the new instance type must serve the same load as launch_template.capacity_rps
        events[0].min_healthy_percentage=101 | events[0].min_healthy_percentage | must lie between 0 and 100 (the share of desired capacity kept healthy while instances are replaced), found 101
        events[0].min_healthy_percentage=-1 | events[0].min_healthy_percentage | expected a whole number ≥ 0
        events[0].instance_warmup=soon | events[0].instance_warmup | `soon` is not a duration
        events[0].checkpoint_percentages=[50, 25, 100] | events[0].checkpoint_percentages | must be strictly increasing, each checkpoint a larger share of the group than the one before; found [50, 25, 100]
        events[0].checkpoint_percentages=[50, 50, 100] | events[0].checkpoint_percentages | must be strictly increasing
        events[0].checkpoint_percentages=[0, 100] | events[0].checkpoint_percentages | item 0: 0 is not between 1 and 100
        events[0].checkpoint_percentages=[50, "x", 101] | events[0].checkpoint_percentages | item 1: expected a whole percentage 1–100, found the string "x"; item 2: 101 is not between 1 and 100
        events[0].checkpoint_percentages=50 | events[0].checkpoint_percentages | expected an array of whole percentages 1–100 in increasing order, such as [20, 50, 100]
        -events[0].checkpoint_percentages | events[0].checkpoint_delay | applies only with checkpoint_percentages (AWS requires them together)
        events[0].checkpoint_delay=later | events[0].checkpoint_delay | `later` is not a duration
        events[1].max_healthy_percentage=120 | events[1].max_healthy_percentage | only 100, AWS's default (terminate an instance, then launch its replacement), is modelled in this version; found 120, so remove it
        events[1].max_healthy_percentage=-1 | events[1].max_healthy_percentage | expected a whole number ≥ 0
        events[1].skip_matching=true | events[1].skip_matching | unknown key; known keys: action, at, checkpoint_delay, checkpoint_percentages, instance_type, instance_warmup, max_healthy_percentage, min_healthy_percentage, price_per_hour
        events[1].min_healthy_percent=50 | events[1].min_healthy_percent | did you mean min_healthy_percentage?
        events[1].action=refresh | events[1].action | expected one of set_desired_capacity, fail_instances, az_outage, launch_failures, suspend_processes, resume_processes, instance_refresh
        "#,
    );
}

#[test]
fn every_problem_of_the_new_keys_is_reported_at_once() {
    let text = edited(
        WARM,
        &[
            "launch_template.application_start_time=soon",
            "load_balancer.overload_fails_health_checks=1",
            "warm_pool.min_size=-1",
            "warm_pool.pool_state=Frozen",
            "warm_pool.stopped_price_per_hour=-1",
            "events[0].min_healthy_percentage=200",
            "events[0].checkpoint_percentages=[50, 40]",
            "events[1].capacity_rps=10",
        ],
    );
    let p = problems(&text, &[]);
    let paths = [
        "launch_template.application_start_time",
        "load_balancer.overload_fails_health_checks",
        "warm_pool.min_size",
        "warm_pool.pool_state",
        "warm_pool.stopped_price_per_hour",
        "events[0].min_healthy_percentage",
        "events[0].checkpoint_percentages",
        "events[1].capacity_rps",
    ];
    for path in paths {
        assert!(
            p.iter()
                .any(|p| p.location().ends_with(&format!(", {path}"))),
            "{path}: {p:#?}"
        );
    }
    assert_eq!(p.len(), paths.len(), "{p:#?}");
}
