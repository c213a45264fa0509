//! Mixed instances groups and Spot end to end, each test naming the AWS page it follows: the
//! On-Demand/Spot split, weights and overshoot, Capacity Rebalancing's launch-before-terminate
//! order against replacement after the interruption, Spot billing, routing over unequal
//! instances, and the same bytes at any thread count.

use std::fs;

use asgsim::asg::{Market, TerminationReason};
use asgsim::records::{ActivityKind, ActivityOrigin, InstanceRecord};

use crate::common::{asgsim, repo_root, run_file, scenario_from, scenario_path, simulate, texts};

const S: u64 = 1_000;

fn instance<'a>(instances: &'a [InstanceRecord], id: &str) -> &'a InstanceRecord {
    instances.iter().find(|i| i.instance_id == id).expect(id)
}

/// UG ec2-auto-scaling-capacity-rebalancing: on a rebalance recommendation the group launches
/// a new Spot instance first and terminates the old one only once the new one is in service
/// (2:00 recommendation, replacement launched at once, before the 2-minute notice). The
/// scenario's two at-risk instances get their recommendation at 01:50, 10 minutes before the
/// notice at 02:00.
#[test]
fn capacity_rebalancing_launches_first_and_terminates_after() {
    let out = run_file("scenarios/spot-capacity-rebalancing.toml", &[]);
    let rec = &out.records;
    let rebalance_launches: Vec<_> = rec
        .activities
        .iter()
        .filter(|a| a.origin == ActivityOrigin::CapacityRebalance && a.kind == ActivityKind::Launch)
        .collect();
    assert_eq!(rebalance_launches.len(), 2);
    for launch in &rebalance_launches {
        assert_eq!(launch.time_ms, 6_600 * S, "at the recommendation, 01:50");
    }
    let old: Vec<&InstanceRecord> = rec
        .instances
        .iter()
        .filter(|i| i.termination_reason == Some(TerminationReason::CapacityRebalance))
        .collect();
    assert_eq!(old.len(), 2, "both at-risk instances replaced early");
    for (launch, old) in rebalance_launches.iter().zip(&old) {
        let new = instance(&rec.instances, launch.instance_id.as_deref().unwrap());
        let new_in_service = new.in_service_time_ms.unwrap();
        let terminated_at = rec
            .activities
            .iter()
            .find(|a| {
                a.kind == ActivityKind::Terminate
                    && a.instance_id.as_deref() == Some(&old.instance_id)
            })
            .unwrap()
            .time_ms;
        assert!(new.market == Market::Spot);
        assert!(
            new.launch_time_ms < terminated_at,
            "launched before the old one goes"
        );
        assert!(
            new_in_service <= terminated_at,
            "the old one goes once a new one is InService"
        );
        assert!(
            old.termination_time_ms.unwrap() < 7_320 * S,
            "gone before EC2 would take it"
        );
    }
    assert_eq!(out.summary.spot_interruptions, 0);
    assert_eq!(out.summary.requests_dropped, 0.0, "no capacity lost");
}

/// UG ec2-auto-scaling-capacity-rebalancing, note: "When Capacity Rebalancing is disabled,
/// Amazon EC2 Auto Scaling replaces Spot Instances after the Amazon EC2 Spot service
/// interrupts the instances". The same interruptions: notice at 02:00, gone at 02:02, the
/// replacements launched only then; requests are dropped while they boot.
#[test]
fn without_capacity_rebalancing_replacement_waits_for_the_interruption() {
    let out = run_file("scenarios/spot-no-rebalancing.toml", &[]);
    let rec = &out.records;
    let interrupted: Vec<&InstanceRecord> = rec
        .instances
        .iter()
        .filter(|i| i.termination_reason == Some(TerminationReason::SpotInterruption))
        .collect();
    assert_eq!(interrupted.len(), 2);
    for inst in &interrupted {
        assert_eq!(
            inst.termination_time_ms,
            Some(7_320 * S),
            "two minutes after the notice"
        );
        assert_eq!(inst.az, "us-east-1a");
    }
    let launches_at_interruption = rec
        .activities
        .iter()
        .filter(|a| a.kind == ActivityKind::Launch && a.time_ms == 7_320 * S)
        .count();
    assert_eq!(launches_at_interruption, 2, "replaced once gone");
    assert!(
        !rec.activities
            .iter()
            .any(|a| a.kind == ActivityKind::Launch && (6_600 * S..7_320 * S).contains(&a.time_ms))
    );
    assert_eq!(out.summary.spot_interruptions, 2);
    assert!(out.summary.requests_dropped > 0.0);
}

fn spot_group(extra: &str) -> String {
    format!(
        r#"
name = "spot"
duration = "3h"
[group]
min_size = 1
max_size = 12
desired_capacity = 4
availability_zones = ["us-east-1a"]
[launch_template]
capacity_rps = 100
[load]
pattern = {{ kind = "constant", rate = 100 }}
[mixed_instances_policy.instances_distribution]
on_demand_base_capacity = 2
on_demand_percentage_above_base_capacity = 25
[[mixed_instances_policy.launch_template.overrides]]
instance_type = "m5.large"
spot_price_per_hour = 0.036
{extra}
"#
    )
}

/// EC2 billing as DESIGN.md takes it: a Spot instance EC2 interrupts within its first hour is
/// not charged; one that runs is charged its Spot price per second; On-Demand its On-Demand
/// price.
#[test]
fn a_spot_instance_interrupted_in_its_first_hour_costs_nothing() {
    let text = spot_group("[[events]]\nat = \"30m\"\naction = \"spot_interruption\"\n");
    let out = simulate(&scenario_from(&text), 1);
    let rec = &out.records;
    let gone = rec
        .instances
        .iter()
        .find(|i| i.termination_reason == Some(TerminationReason::SpotInterruption))
        .expect("one interrupted");
    assert_eq!(gone.termination_time_ms, Some(32 * 60 * S));
    assert_eq!(gone.cost_usd, 0.0);
    // desired 4: On-Demand 2 + ⌈25% of 2⌉ = 3, Spot 1 (UG ec2-auto-scaling-mixed-instances-groups).
    let on_demand: Vec<_> = rec
        .instances
        .iter()
        .filter(|i| i.market == Market::OnDemand)
        .collect();
    assert_eq!(on_demand.len(), 3);
    for i in &on_demand {
        assert!((i.cost_usd - 3.0 * 0.096).abs() < 1e-9);
    }
    let replacement = rec
        .instances
        .iter()
        .find(|i| i.launch_time_ms == 32 * 60 * S)
        .unwrap();
    assert_eq!(replacement.market, Market::Spot);
    let hours = (3 * 3_600 - 32 * 60) as f64 / 3_600.0;
    assert!((replacement.cost_usd - hours * 0.036).abs() < 1e-9);
    let s = &out.summary;
    assert!((s.cost_on_demand_usd - 3.0 * 3.0 * 0.096).abs() < 1e-9);
    assert!((s.cost_spot_usd - hours * 0.036).abs() < 1e-9);
    assert!((s.cost_usd - s.cost_on_demand_usd - s.cost_spot_usd).abs() < 1e-9);
    assert_eq!(s.spot_interruptions, 1);
}

/// UG ec2-auto-scaling-mixed-instances-groups: "rounds up to the next integer in favor of
/// On-Demand Instances": base 2 and 25% above it, for desired 2 to 10, end to end.
#[test]
fn base_two_and_a_quarter_above_it_for_several_sizes() {
    for (desired, on_demand) in [(2, 2), (3, 3), (5, 3), (6, 3), (7, 4), (10, 4)] {
        let text = spot_group("").replace(
            "desired_capacity = 4",
            &format!("desired_capacity = {desired}"),
        );
        let out = simulate(&scenario_from(&text), 1);
        let od = out
            .records
            .instances
            .iter()
            .filter(|i| i.market == Market::OnDemand)
            .count();
        assert_eq!(od, on_demand, "desired {desired}");
        assert_eq!(out.records.instances.len(), desired);
    }
}

/// UG as-scale-based-on-demand (instance weighting): weights 1, 4 and 6, max 12, current
/// capacity 10, +5 units ⇒ desired 12 (clamped) and current capacity 16 (a 6-unit instance
/// fills the missing 2: the overshoot stays below the largest weight).
#[test]
fn weights_one_four_six_overshoot_to_sixteen() {
    let text = r#"
name = "weights"
duration = "1h"
[group]
min_size = 1
max_size = 12
desired_capacity = 10
availability_zones = ["us-east-1a"]
[launch_template]
capacity_rps = 100
[load]
pattern = { kind = "constant", rate = 100 }
[mixed_instances_policy.instances_distribution]
on_demand_base_capacity = 10
on_demand_percentage_above_base_capacity = 0
[[mixed_instances_policy.launch_template.overrides]]
instance_type = "a.small"
weighted_capacity = 1
price_per_hour = 0.01
spot_price_per_hour = 0.009
[[mixed_instances_policy.launch_template.overrides]]
instance_type = "a.medium"
weighted_capacity = 4
price_per_hour = 0.04
spot_price_per_hour = 0.02
[[mixed_instances_policy.launch_template.overrides]]
instance_type = "a.large"
weighted_capacity = 6
price_per_hour = 0.06
spot_price_per_hour = 0.024
[[alarms]]
name = "Always"
metric_name = "CPUUtilization"
evaluation_periods = 1
threshold = 0
comparison_operator = "GreaterThanThreshold"
alarm_actions = ["plus-five"]
[[scaling_policies]]
name = "plus-five"
adjustment_type = "ChangeInCapacity"
scaling_adjustment = 5
cooldown = "2h"
"#;
    let out = simulate(&scenario_from(text), 1);
    let last = out.records.timeline.last().unwrap();
    assert_eq!(last.desired_capacity, 12);
    let units: u32 = out
        .records
        .instances
        .iter()
        .filter(|i| i.termination_time_ms.is_none())
        .map(|i| i.capacity_units)
        .sum();
    assert_eq!(units, 16);
    let launched = out.records.instances.last().unwrap();
    assert_eq!(
        (
            launched.instance_type.as_str(),
            launched.capacity_units,
            launched.market
        ),
        ("a.large", 6, Market::Spot)
    );
}

/// Round robin (an ALB's default) sends each target the same requests whatever its size, so
/// an m5.large (1 unit) runs hotter than an m5.xlarge (2 units); least outstanding requests
/// lets the load follow capacity and evens the CPU out.
#[test]
fn routing_decides_how_hot_each_type_runs() {
    let hot = run_file("scenarios/weighted-capacity.toml", &[]);
    let even = run_file(
        "scenarios/weighted-capacity.toml",
        &["load_balancer.routing=least_outstanding_requests"],
    );
    let at = |out: &asgsim::run::RunOutput| {
        let row = out
            .records
            .timeline
            .iter()
            .find(|r| r.time_ms == 30 * 60 * S)
            .unwrap()
            .clone();
        // Both are some: the group serves load at that time.
        (row.cpu_avg_percent.unwrap(), row.cpu_max_percent.unwrap())
    };
    let (avg, max) = at(&hot);
    // 450 req/s over 4 m5.large and 1 m5.xlarge: 90 each; the large ones at 2 + 98 × 0.9.
    assert!((max - (2.0 + 98.0 * 0.9)).abs() < 1e-6, "{max}");
    assert!(
        (avg - (4.0 * max + (2.0 + 98.0 * 0.45)) / 5.0).abs() < 1e-6,
        "{avg}"
    );
    let (avg, max) = at(&even);
    assert!(
        (avg - max).abs() < 1e-9,
        "every target at the same utilisation"
    );
    assert!((avg - (2.0 + 98.0 * 450.0 / 600.0)).abs() < 1e-6, "{avg}");
}

/// DESIGN.md "Determinism": interruptions come from their own stream; a sweep of a Spot group
/// gives the same bytes with one thread and with two.
#[test]
fn a_spot_sweep_is_the_same_bytes_at_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let file = scenario_path("sweep-spot-share.toml");
    let mut results = Vec::new();
    for jobs in ["1", "2"] {
        let out_dir = tmp.path().join(jobs);
        let args = [
            "sweep",
            file.to_str().unwrap(),
            "--set",
            "duration=2h",
            "--jobs",
            jobs,
            "-q",
            "--out",
            out_dir.to_str().unwrap(),
        ];
        let out = asgsim(&repo_root(), &args);
        assert!(out.status.success(), "{:?}", texts(&out));
        results.push(fs::read(out_dir.join("results.csv")).unwrap());
    }
    assert_eq!(results[0], results[1]);
    let text = String::from_utf8(results[0].clone()).unwrap();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains(",cost_on_demand_usd,cost_spot_usd,spot_interruptions,")
    );
}

/// UG ec2-auto-scaling-termination-policies, AllocationStrategy (and the Default policy's first
/// step in a mixed group): a scale-in takes the instances whose going brings the rest closest
/// to the allocation strategy. Spot lowest-price over two pools: the dearer pool's instances
/// go first.
#[test]
fn scale_in_takes_the_least_preferred_pool_first() {
    let text = r#"
name = "alloc"
duration = "2h"
[group]
min_size = 1
max_size = 10
desired_capacity = 6
availability_zones = ["us-east-1a"]
termination_policies = ["AllocationStrategy", "Default"]
[launch_template]
capacity_rps = 100
[load]
pattern = { kind = "constant", rate = 100 }
[mixed_instances_policy.instances_distribution]
on_demand_percentage_above_base_capacity = 0
spot_allocation_strategy = "lowest-price"
spot_instance_pools = 2
[[mixed_instances_policy.launch_template.overrides]]
instance_type = "m5.large"
spot_price_per_hour = 0.040
[[mixed_instances_policy.launch_template.overrides]]
instance_type = "m5a.large"
price_per_hour = 0.086
spot_price_per_hour = 0.030
[[events]]
at = "1h"
action = "set_desired_capacity"
value = 3
"#;
    let out = simulate(&scenario_from(text), 1);
    let rec = &out.records;
    let of = |t: &str| {
        rec.instances
            .iter()
            .filter(|i| i.instance_type == t)
            .count()
    };
    assert_eq!(
        (of("m5.large"), of("m5a.large")),
        (3, 3),
        "spread over the two cheapest pools"
    );
    let gone: Vec<&str> = rec
        .instances
        .iter()
        .filter(|i| i.termination_reason == Some(TerminationReason::ScaleIn))
        .map(|i| i.instance_type.as_str())
        .collect();
    assert_eq!(gone, ["m5.large"; 3], "the dearer pool goes first");
}

/// The files `asgsim run` streams as the run goes are the bytes of the in-memory tables, the
/// Spot columns included (`in_service_spot` in the timeline, `market` and `capacity_units`
/// per instance), and `report.html`'s data carries the Spot line.
#[test]
fn streamed_files_match_the_tables_and_the_report_has_the_spot_line() {
    let tmp = tempfile::tempdir().unwrap();
    let file = scenario_path("spot-no-rebalancing.toml");
    let out_dir = tmp.path().join("out");
    let args = [
        "run",
        file.to_str().unwrap(),
        "-q",
        "--out",
        out_dir.to_str().unwrap(),
    ];
    let out = asgsim(&repo_root(), &args);
    assert!(out.status.success(), "{:?}", texts(&out));
    let output = run_file("scenarios/spot-no-rebalancing.toml", &[]);
    let timeline = fs::read(out_dir.join("timeline.csv")).unwrap();
    assert_eq!(timeline, asgsim::report::timeline_csv(&output));
    let header =
        String::from_utf8_lossy(&timeline[..timeline.iter().position(|&b| b == b'\n').unwrap()])
            .into_owned();
    assert!(header.contains(",in_service_spot,"), "{header}");
    let instances = fs::read(out_dir.join("instances.csv")).unwrap();
    assert_eq!(instances, asgsim::report::instances_csv(&output));
    let text = String::from_utf8(instances).unwrap();
    assert!(text.contains(",m5a.large,spot,1,"), "{text}");
    let info = asgsim::report::info_of(&output);
    let data: serde_json::Value =
        serde_json::from_str(&asgsim::report::report_data_json(&output, &info)).unwrap();
    assert!(
        data["counts"]["in_service_spot"].is_object(),
        "{}",
        data["counts"]
    );
}
