//! The scaling component's rules, each named after the AWS page it follows.

use super::*;

fn proposal(capacity: u32, source: Source) -> Proposal {
    Proposal {
        policy: 0,
        alarm: 0,
        capacity,
        rule: String::new(),
        source,
        base: 0,
        metric: None,
    }
}

fn win<const N: usize>(desired: u32, proposals: &[Proposal; N], tt: usize) -> Option<usize> {
    let mut round = Round {
        proposals: proposals.to_vec(),
        ..Round::default()
    };
    winner(desired, &mut round, tt)
}

/// UG: as-scale-based-on-demand: CPU step +1 and SQS target tracking +2 ⇒ +2; scale-in at 8: −3 vs −2 ⇒ −2.
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

// --- The component through a real CloudWatch: a group, its alarms, minutes of CPU. ---

use crate::asg::{GroupConfig, HealthCheckType};
use crate::cloudwatch::{
    AlarmConfig, ComparisonOperator, MetricName, MetricUnits, Statistic, TreatMissingData,
};
use crate::policy::{
    AdjustmentType, PredictiveMode, SimplePolicy, StepAdjustment, StepPolicy, TargetTrackingPolicy,
    TrackedMetric,
};
use crate::time::MS_PER_MIN;
use crate::workload::{Fleet, InstanceModel, Segment};

const MONITORING: Monitoring = Monitoring {
    detailed: true,
    metric_delay_ms: 120_000,
};

fn group_config() -> GroupConfig {
    GroupConfig {
        min_size: 1,
        max_size: 20,
        desired_capacity: 1,
        availability_zones: vec!["a".into()],
        default_cooldown_ms: 300_000,
        default_instance_warmup_ms: Some(300_000),
        health_check_type: HealthCheckType::Ec2,
        health_check_grace_period_ms: 0,
        termination_policies: vec![],
        new_instances_protected_from_scale_in: false,
        max_instance_lifetime_ms: None,
        suspended_processes: vec![],
        instance_maintenance_policy: None,
    }
}

/// `CPUUtilization > threshold` for 1 of 1 one-minute periods, invoking policy 0.
fn cpu_alarm(threshold: f64) -> AlarmConfig {
    AlarmConfig {
        name: "HighCPU".into(),
        metric_name: MetricName::CpuUtilization,
        statistic: Statistic::Average,
        period_ms: MS_PER_MIN,
        evaluation_periods: 1,
        datapoints_to_alarm: 1,
        threshold,
        comparison_operator: ComparisonOperator::GreaterThanThreshold,
        treat_missing_data: TreatMissingData::Missing,
        alarm_actions: vec![0],
        metric_label: None,
    }
}

/// A run's group, CloudWatch and scaling: `in_service` InService instances (the last
/// `warming` of them InService at 0 and warming up, the others long before).
struct Bench {
    group: Group,
    watch: CloudWatch,
    scaling: Scaling,
    policies: Vec<PolicyConfig>,
    now_ms: SimTime,
}

impl Bench {
    fn new(
        policies: Vec<PolicyConfig>,
        alarms: &[AlarmConfig],
        (in_service, warming): (u32, u32),
    ) -> Self {
        let config = group_config();
        let (watched, owners): (Vec<_>, Vec<_>) = run_alarms(alarms, &policies, &MONITORING)
            .into_iter()
            .unzip();
        let units = MetricUnits {
            network_in_bytes_per_request: 0.0,
            network_out_bytes_per_request: 0.0,
        };
        let schedules = Schedules::new(&[], jiff::Timestamp::UNIX_EPOCH, (0, 0), 1);
        let parts = (schedules, Predictive::new(&policies));
        let mut scaling = Scaling::new(&config, &policies, owners, parts);
        let mut group = Group::new(1, 20, in_service, 1);
        let mut events = Vec::new();
        for k in 0..in_service {
            let i = group.launch(0, false);
            group.set_in_service(i, 0);
            if k >= in_service - warming {
                scaling.warmup.start(&mut group, (i, 0), &mut events);
            } else {
                group.instances[i].in_service_ms = Some(0);
            }
        }
        let watch = CloudWatch::new(watched, &MONITORING, units);
        Self {
            group,
            watch,
            scaling,
            policies,
            now_ms: 0,
        }
    }

    /// `minutes` minutes at `cpu_percent` on every InService instance (100 req/s each at
    /// 100%, idle 0%), each followed by the minute tick's gathering; the last round.
    fn run(&mut self, minutes: u32, cpu_percent: f64) -> Round {
        self.rounds(minutes, cpu_percent).pop().unwrap_or_default()
    }

    /// As [`Self::run`], every minute's round.
    fn rounds(&mut self, minutes: u32, cpu_percent: f64) -> Vec<Round> {
        let model = InstanceModel {
            capacity_rps: 100.0,
            idle_cpu_percent: 0.0,
        };
        let n = self.group.in_service;
        let load_rps = cpu_percent * f64::from(n);
        let mut rounds = Vec::new();
        for _ in 0..minutes {
            let fleet = Fleet {
                in_service: n,
                serving: n,
                broken: 0,
                settled: n - self.scaling.warmup.warming_in_service(),
            };
            let spread = model.spread(load_rps, n);
            let segment = Segment {
                dt_ms: MS_PER_MIN,
                load_rps,
                column: None,
                spread,
                fleet,
            };
            self.watch.record(&segment);
            self.now_ms += MS_PER_MIN;
            let evals = self.watch.evaluate(self.now_ms);
            let view = View {
                now_ms: self.now_ms,
                group: &self.group,
                watch: &self.watch,
                policies: &self.policies,
                explain: true,
            };
            rounds.push(self.scaling.gather(&view, &evals));
            self.watch.recycle(evals);
        }
        rounds
    }
}

/// The step policy of UG as-scaling-simple-step's example: threshold 50, PercentChangeIn
/// Capacity, [0, 10) 0, [10, 20) +10%, [20, +∞) +30%.
fn percent_steps() -> PolicyConfig {
    let step = |lo: f64, hi: Option<f64>, adj: i64| StepAdjustment {
        lower_bound: Some(lo),
        upper_bound: hi,
        scaling_adjustment: adj,
    };
    PolicyConfig {
        name: "cpu-step".into(),
        enabled: true,
        kind: PolicyKind::Step(StepPolicy {
            adjustment_type: AdjustmentType::PercentChangeInCapacity,
            step_adjustments: vec![
                step(0.0, Some(10.0), 0),
                step(10.0, Some(20.0), 10),
                step(20.0, None, 30),
            ],
            min_adjustment_magnitude: None,
            metric_aggregation_type: Statistic::Average,
            estimated_instance_warmup_ms: Some(600_000),
        }),
    }
}

/// UG2018 as-scaling-simple-step, "step adjustments while warming": desired 11 with one
/// instance warming (current capacity 10). At 62% the step [10, 20) gives 10 + 1 = 11, not
/// above 11: no change. At 70% [20, +∞) gives 10 + 3 = 13: desired 13, +2 not +3.
#[test]
fn step_scaling_counts_only_instances_past_their_warm_up() {
    let mut bench = Bench::new(vec![percent_steps()], &[cpu_alarm(50.0)], (11, 1));
    // The first datapoint is published 2 minutes after its minute ends: ALARM at minute 3.
    let rounds = bench.rounds(4, 62.0);
    assert!(rounds.iter().all(|r| r.proposals.is_empty()));
    let breach = &rounds[2];
    assert_eq!(breach.holds, Some(0), "its result is desired itself");
    let note = &breach.notes[0];
    assert_eq!(note.outcome, Outcome::NoChange);
    assert_eq!(
        (note.base, note.proposed),
        (Some(10), Some(11)),
        "10 + 10% of 10"
    );
    assert!(
        note.text.contains("of 10 = 11: not above desired 11"),
        "{}",
        note.text
    );
    // 70% is published two minutes after the first minute at 70% ends.
    let round = bench.run(3, 70.0);
    assert_eq!(round.proposals.len(), 1);
    assert_eq!(round.proposals[0].capacity, 13);
    assert_eq!(round.proposals[0].source, Source::Step);
}

fn simple(adjustment: i64) -> PolicyConfig {
    PolicyConfig {
        name: "add-two".into(),
        enabled: true,
        kind: PolicyKind::Simple(SimplePolicy {
            adjustment_type: AdjustmentType::ChangeInCapacity,
            scaling_adjustment: adjustment,
            cooldown_ms: Some(300_000),
            min_adjustment_magnitude: None,
        }),
    }
}

/// UG ec2-auto-scaling-scaling-cooldowns: after a simple policy's activity it ignores its
/// alarm until the instances have launched and the cooldown that starts then has ended.
#[test]
fn a_simple_policy_waits_for_its_activity_and_cooldown() {
    let mut bench = Bench::new(vec![simple(2)], &[cpu_alarm(50.0)], (3, 0));
    let round = bench.run(4, 80.0);
    assert_eq!(round.proposals[0].capacity, 5);
    assert_eq!(round.proposals[0].rule, "+2");
    let now = bench.now_ms;
    bench.scaling.simple_gate.started(2, 300_000, now);
    let round = bench.run(1, 80.0);
    assert!(round.proposals.is_empty(), "the activity is in progress");
    bench.scaling.simple_gate.instance_finished(now + 30_000);
    bench.scaling.simple_gate.instance_finished(now + 60_000);
    assert!(
        bench.run(1, 80.0).proposals.is_empty(),
        "cooldown until +6 min"
    );
    assert_eq!(bench.run(4, 80.0).proposals[0].capacity, 5, "cooldown over");
}

fn target_tracking(target: f64) -> PolicyConfig {
    PolicyConfig {
        name: "cpu50".into(),
        enabled: true,
        kind: PolicyKind::TargetTracking(TargetTrackingPolicy {
            metric: TrackedMetric::AsgAverageCpuUtilization,
            target_value: target,
            disable_scale_in: false,
            estimated_instance_warmup_ms: Some(300_000),
            scale_in_ratio: 0.7,
        }),
    }
}

/// UG as-scaling-target-tracking: 4 instances at 75% against a target of 50 need
/// ⌈4 × 75 / 50⌉ = 6; the managed high alarm needs 3 of 3 datapoints above the target.
#[test]
fn target_tracking_scales_out_to_the_ratio_once_its_high_alarm_fires() {
    let mut bench = Bench::new(vec![target_tracking(50.0)], &[], (4, 0));
    let rounds = bench.rounds(5, 75.0);
    let first = rounds.iter().position(|r| !r.proposals.is_empty());
    // Datapoints are published 2 minutes late: at minute 3 the window reads `- - X - -`
    // (the two newest not yet published), which alarms under TreatMissingData = missing
    // (CloudWatch UG AlarmThatSendsEmail, the table for 3 of 3).
    assert_eq!(first, Some(2));
    let round = &rounds[2];
    assert_eq!(round.proposals[0].capacity, 6);
    assert_eq!(round.proposals[0].source, Source::TargetTrackingOut);
    assert_eq!(round.proposals[0].rule, "⌈4 × 75.0 / 50⌉ = 6");
}

/// UG ec2-auto-scaling-predictive-scaling: only one predictive policy scales; a ForecastOnly
/// one holds no floor under dynamic scale-ins.
#[test]
fn a_forecast_only_policy_holds_no_floor() {
    let predictive = PolicyConfig {
        name: "forecast".into(),
        enabled: true,
        kind: PolicyKind::Predictive(crate::policy::PredictivePolicy {
            metric: crate::policy::PredictiveMetric::AsgCpuUtilization,
            target_value: 50.0,
            mode: PredictiveMode::ForecastOnly,
            scheduling_buffer_time_ms: 300_000,
            increase_max_capacity: false,
            max_capacity_buffer_percent: 0.0,
        }),
    };
    let bench = Bench::new(vec![predictive], &[], (2, 0));
    assert!(bench.scaling.predictive.is_active());
    assert_eq!(bench.scaling.predictive.scale_in_floor(0), None);
}
