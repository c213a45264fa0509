//! Step, target-tracking and predictive policies: a scenario with every policy type parses to
//! the values written, and each rule of each type has its case.

use super::tests::{MINIMAL, parse, problems};
use super::tests_rules::{check_cases, edited};
use super::*;

/// Every policy type, an alarm on the step policy, and scheduled actions.
pub(super) const POLICIES: &str = r#"
name = "all-policies"
duration = "2d"
scheduled_action_max_delay = "30s"

[group]
min_size = 2
max_size = 10

[launch_template]
capacity_rps = 100

[load]
trace = "traces/queue.csv"

[[alarms]]
name = "HighCPU"
metric_name = "CPUUtilization"
evaluation_periods = 2
threshold = 60
comparison_operator = "GreaterThanOrEqualToThreshold"
alarm_actions = ["cpu-step"]

[[alarms]]
name = "LowCPU"
metric_name = "CPUUtilization"
evaluation_periods = 5
threshold = 20
comparison_operator = "LessThanThreshold"
alarm_actions = ["scale-in"]

[[scaling_policies]]
name = "cpu-step"
policy_type = "StepScaling"
adjustment_type = "PercentChangeInCapacity"
min_adjustment_magnitude = 2
metric_aggregation_type = "Maximum"
estimated_instance_warmup = "3m"
step_adjustments = [
    { metric_interval_lower_bound = 20, scaling_adjustment = 50 },
    { metric_interval_lower_bound = 0, metric_interval_upper_bound = 10, scaling_adjustment = 10 },
    { metric_interval_lower_bound = 10, metric_interval_upper_bound = 20, scaling_adjustment = 25 },
]

[[scaling_policies]]
name = "scale-in"
adjustment_type = "ChangeInCapacity"
scaling_adjustment = -1

[[scaling_policies]]
name = "cpu-tt"
policy_type = "TargetTrackingScaling"
estimated_instance_warmup = "120s"
target_tracking_configuration = { predefined_metric_type = "ASGAverageCPUUtilization", target_value = 50 }

[[scaling_policies]]
name = "queue-tt"
policy_type = "TargetTrackingScaling"
enabled = false
[scaling_policies.target_tracking_configuration]
target_value = 20
disable_scale_in = true
scale_in_ratio = 0.5
customized_metric = { metric_name = "QueueDepth", column = "queue_depth", per_instance = false }

[[scaling_policies]]
name = "forecast"
policy_type = "PredictiveScaling"
[scaling_policies.predictive_scaling_configuration]
mode = "ForecastAndScale"
scheduling_buffer_time = "10m"
max_capacity_breach_behavior = "IncreaseMaxCapacity"
max_capacity_buffer = 10
metric_specification = { target_value = 40, predefined_metric_pair_specification = { predefined_metric_type = "ASGCPUUtilization" } }

[[scaling_policies]]
name = "forecast-alb"
policy_type = "PredictiveScaling"
predictive_scaling_configuration = { metric_specification = { target_value = 1000, predefined_metric_pair_specification = { predefined_metric_type = "ALBRequestCount", resource_label = "app/lb/1/targetgroup/tg/2" } } }

[[scheduled_actions]]
name = "morning"
recurrence = "0 8 * * MON-FRI"
time_zone = "Europe/Paris"
min_size = 4
desired_capacity = 6

[[scheduled_actions]]
name = "launch-day"
start_time = "2025-01-07T09:00:00Z"
max_size = 20
"#;

fn step(lower: Option<f64>, upper: Option<f64>, adjustment: i64) -> StepAdjustment {
    StepAdjustment {
        lower_bound: lower,
        upper_bound: upper,
        scaling_adjustment: adjustment,
    }
}

#[test]
fn every_policy_type_parses_to_the_values_written() {
    let s = parse(POLICIES, &[]).unwrap();
    let names: Vec<&str> = s.scaling_policies.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "cpu-step",
            "scale-in",
            "cpu-tt",
            "queue-tt",
            "forecast",
            "forecast-alb"
        ]
    );
    assert_eq!(s.alarms[0].alarm_actions, [0]);
    assert_eq!(s.alarms[1].alarm_actions, [1]);
    assert_eq!(
        s.scaling_policies[0].kind,
        PolicyKind::Step(StepPolicy {
            adjustment_type: AdjustmentType::PercentChangeInCapacity,
            step_adjustments: vec![
                step(Some(0.0), Some(10.0), 10),
                step(Some(10.0), Some(20.0), 25),
                step(Some(20.0), None, 50),
            ],
            min_adjustment_magnitude: Some(2),
            metric_aggregation_type: Statistic::Maximum,
            estimated_instance_warmup_ms: Some(180_000),
        }),
        "steps are sorted by lower bound"
    );
    assert!(matches!(s.scaling_policies[1].kind, PolicyKind::Simple(_)));
    assert_eq!(
        s.scaling_policies[2].kind,
        PolicyKind::TargetTracking(TargetTrackingPolicy {
            metric: TrackedMetric::AsgAverageCpuUtilization,
            target_value: 50.0,
            disable_scale_in: false,
            estimated_instance_warmup_ms: Some(120_000),
            scale_in_ratio: 0.7,
        })
    );
    assert!(!s.scaling_policies[3].enabled);
    assert_eq!(
        s.scaling_policies[3].kind,
        PolicyKind::TargetTracking(TargetTrackingPolicy {
            metric: TrackedMetric::Custom {
                metric_name: "QueueDepth".into(),
                column: "queue_depth".into(),
                per_instance: false,
            },
            target_value: 20.0,
            disable_scale_in: true,
            estimated_instance_warmup_ms: None,
            scale_in_ratio: 0.5,
        })
    );
}

#[test]
fn predictive_policies_parse_to_the_values_written() {
    let s = parse(POLICIES, &[]).unwrap();
    assert_eq!(
        s.scaling_policies[4].kind,
        PolicyKind::Predictive(PredictivePolicy {
            metric: PredictiveMetric::AsgCpuUtilization,
            target_value: 40.0,
            mode: PredictiveMode::ForecastAndScale,
            scheduling_buffer_time_ms: 600_000,
            increase_max_capacity: true,
            max_capacity_buffer_percent: 10.0,
        })
    );
    assert_eq!(
        s.scaling_policies[5].kind,
        PolicyKind::Predictive(PredictivePolicy {
            metric: PredictiveMetric::AlbRequestCount,
            target_value: 1000.0,
            mode: PredictiveMode::ForecastOnly,
            scheduling_buffer_time_ms: 300_000,
            increase_max_capacity: false,
            max_capacity_buffer_percent: 0.0,
        }),
        "the defaults: ForecastOnly, 300 s, HonorMaxCapacity, buffer 0"
    );
    assert_eq!(s.scheduled_action_max_delay_ms, 30_000);
    assert_eq!(s.scheduled_actions.len(), 2);
}

#[test]
fn step_and_target_tracking_defaults() {
    let text = format!(
        "{MINIMAL}\n[[scaling_policies]]\nname = \"s\"\npolicy_type = \"StepScaling\"\nadjustment_type = \"ChangeInCapacity\"\nstep_adjustments = [{{ metric_interval_lower_bound = 0, scaling_adjustment = 1 }}]\n\n[[scaling_policies]]\nname = \"t\"\npolicy_type = \"TargetTrackingScaling\"\ntarget_tracking_configuration = {{ customized_metric = {{ metric_name = \"Q\", column = \"q\" }}, target_value = 5 }}\n"
    )
    .replace("pattern = { kind = \"constant\", rate = 10 }", "trace = \"t.csv\"");
    let s = parse(&text, &[]).unwrap();
    let PolicyKind::Step(st) = &s.scaling_policies[0].kind else {
        panic!("a step policy")
    };
    assert_eq!(st.metric_aggregation_type, Statistic::Average);
    assert_eq!(st.min_adjustment_magnitude, None);
    assert_eq!(st.estimated_instance_warmup_ms, None);
    assert_eq!(st.step_adjustments, [step(Some(0.0), None, 1)]);
    let PolicyKind::TargetTracking(tt) = &s.scaling_policies[1].kind else {
        panic!("a target-tracking policy")
    };
    assert_eq!(
        tt.metric,
        TrackedMetric::Custom {
            metric_name: "Q".into(),
            column: "q".into(),
            per_instance: true
        }
    );
    assert!(!tt.disable_scale_in);
    assert_eq!(
        (tt.scale_in_ratio, tt.estimated_instance_warmup_ms),
        (0.7, None)
    );
}

#[test]
fn overrides_reach_into_policy_settings() {
    let s = parse(
        POLICIES,
        &[
            "scaling_policies.cpu-tt.target_tracking_configuration.target_value=65",
            "scaling_policies.cpu-step.step_adjustments[0].scaling_adjustment=5",
            "scaling_policies.forecast.predictive_scaling_configuration.mode=ForecastOnly",
        ],
    )
    .unwrap();
    let PolicyKind::TargetTracking(tt) = &s.scaling_policies[2].kind else {
        panic!("a target-tracking policy")
    };
    assert_eq!(tt.target_value, 65.0);
    let PolicyKind::Step(st) = &s.scaling_policies[0].kind else {
        panic!("a step policy")
    };
    assert_eq!(
        st.step_adjustments[2].scaling_adjustment, 5,
        "[0] as written"
    );
    let PolicyKind::Predictive(p) = &s.scaling_policies[4].kind else {
        panic!("a predictive policy")
    };
    assert_eq!(p.mode, PredictiveMode::ForecastOnly);
}

#[test]
fn a_gap_and_an_overlap_name_the_policy_in_the_message() {
    let gap = "scaling_policies.cpu-step.step_adjustments=[{ metric_interval_lower_bound = 0, metric_interval_upper_bound = 10, scaling_adjustment = 1 }, { metric_interval_lower_bound = 15, scaling_adjustment = 2 }]";
    let e = parse(POLICIES, &[gap]).unwrap_err();
    assert_eq!(e.problems.len(), 1, "{e}");
    assert_eq!(
        e.to_string(),
        "scenarios/demo.toml: --set scaling_policies.cpu-step.step_adjustments: step policy cpu-step: the steps leave a gap between 10 and 15: make one step's upper bound the next one's lower bound"
    );
    let text = edited(POLICIES, &[gap]);
    let p = problems(&text, &[]);
    assert!(
        p[0].location().starts_with("line ")
            && p[0]
                .location()
                .ends_with(", scaling_policies.cpu-step.step_adjustments"),
        "{p:#?}"
    );
    let overlap = "scaling_policies.cpu-step.step_adjustments=[{ metric_interval_lower_bound = 0, metric_interval_upper_bound = 10, scaling_adjustment = 1 }, { metric_interval_lower_bound = 5, scaling_adjustment = 2 }]";
    let p = problems(POLICIES, &[overlap]);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!(
        p[0].message,
        "step policy cpu-step: the steps overlap between 5 and 10: make one step's upper bound the next one's lower bound"
    );
}

#[test]
fn step_rules() {
    check_cases(
        POLICIES,
        r#"
        -scaling_policies.cpu-step.step_adjustments | scaling_policies.cpu-step.step_adjustments | step policy cpu-step needs step_adjustments
        scaling_policies.cpu-step.step_adjustments=[] | scaling_policies.cpu-step.step_adjustments | step policy cpu-step: a step policy needs at least one step adjustment
        scaling_policies.cpu-step.step_adjustments=3 | scaling_policies.cpu-step.step_adjustments | expected an array of inline tables
        scaling_policies.cpu-step.step_adjustments=[1] | scaling_policies.cpu-step.step_adjustments[0] | expected a table
        scaling_policies.cpu-step.step_adjustments=[{ scaling_adjustment = 1 }] | scaling_policies.cpu-step.step_adjustments | cannot both be left out
        scaling_policies.cpu-step.step_adjustments=[{ metric_interval_lower_bound = 0, metric_interval_upper_bound = 10, scaling_adjustment = 1 }] | scaling_policies.cpu-step.step_adjustments | needs a step without metric_interval_upper_bound
        scaling_policies.cpu-step.step_adjustments[2].metric_interval_lower_bound=x | scaling_policies.cpu-step.step_adjustments[2].metric_interval_lower_bound | expected a finite number, found the string "x"
        -scaling_policies.cpu-step.step_adjustments[1].scaling_adjustment | scaling_policies.cpu-step.step_adjustments[1].scaling_adjustment | required key is missing
        scaling_policies.cpu-step.step_adjustments[1].scaling_adjustmnt=1 | scaling_policies.cpu-step.step_adjustments[1].scaling_adjustmnt | did you mean scaling_adjustment?
        scaling_policies.cpu-step.adjustment_type=ExactCapacity ; -scaling_policies.cpu-step.min_adjustment_magnitude ; scaling_policies.cpu-step.step_adjustments[0].scaling_adjustment=-1 | scaling_policies.cpu-step.step_adjustments[0].scaling_adjustment | must be ≥ 0 with ExactCapacity
        -scaling_policies.cpu-step.adjustment_type | scaling_policies.cpu-step.adjustment_type | required key is missing; expected one of ChangeInCapacity, ExactCapacity, PercentChangeInCapacity
        scaling_policies.cpu-step.adjustment_type=ChangeInCapacity | scaling_policies.cpu-step.min_adjustment_magnitude | applies only to adjustment_type PercentChangeInCapacity
        scaling_policies.cpu-step.min_adjustment_step=3 | scaling_policies.cpu-step.min_adjustment_step | give only one
        scaling_policies.cpu-step.metric_aggregation_type=Sum | scaling_policies.cpu-step.metric_aggregation_type | expected one of Average, Minimum, Maximum
        scaling_policies.cpu-step.estimated_instance_warmup=soon | scaling_policies.cpu-step.estimated_instance_warmup | not a duration
        scaling_policies.cpu-step.cooldown=60s | scaling_policies.cpu-step.cooldown | cooldown applies only to SimpleScaling; step policies use estimated_instance_warmup
        scaling_policies.cpu-step.scaling_adjustment=1 | scaling_policies.cpu-step.scaling_adjustment | scaling_adjustment does not apply to StepScaling policies, only to SimpleScaling
        scaling_policies.scale-in.step_adjustments=[] | scaling_policies.scale-in.step_adjustments | did you mean policy_type = "StepScaling"?
        scaling_policies.scale-in.estimated_instance_warmup=60s | scaling_policies.scale-in.estimated_instance_warmup | only to StepScaling and TargetTrackingScaling
        "#,
    );
}

#[test]
fn target_tracking_rules() {
    let tt = "scaling_policies.cpu-tt";
    let cfg = "scaling_policies.cpu-tt.target_tracking_configuration";
    let custom = "scaling_policies.queue-tt.target_tracking_configuration.customized_metric";
    let cases = r#"
        -CFG.target_value | CFG.target_value | target-tracking policy cpu-tt has no target: add target_value
        CFG.target_value=0 | CFG.target_value | must be > 0, found 0
        -CFG | CFG | target-tracking policy cpu-tt needs target_tracking_configuration
        CFG=5 | CFG | expected a table
        -CFG.predefined_metric_type | CFG | give one of predefined_metric_type
        CFG.customized_metric={ metric_name = "Q", column = "q" } | CFG | exactly one of predefined_metric_type, customized_metric
        CFG.predefined_metric_type=ASGAverageCPU | CFG.predefined_metric_type | expected one of ASGAverageCPUUtilization, ASGAverageNetworkIn, ASGAverageNetworkOut, ALBRequestCountPerTarget
        CFG.scale_in_ratio=1 | CFG.scale_in_ratio | strictly between 0 and 1
        CFG.scale_in_ratio=0 | CFG.scale_in_ratio | strictly between 0 and 1
        CFG.disable_scale_in=no | CFG.disable_scale_in | true or false
        CFG.resource_label=7 | CFG.resource_label | expected a string
        CFG.target_valeu=50 | CFG.target_valeu | did you mean target_value?
        TT.adjustment_type=ChangeInCapacity | TT.adjustment_type | adjustment_type does not apply to TargetTrackingScaling policies
        TT.scaling_adjustment=1 | TT.scaling_adjustment | scaling_adjustment does not apply to TargetTrackingScaling policies
        TT.cooldown=60s | TT.cooldown | cooldown applies only to SimpleScaling; target-tracking policies use estimated_instance_warmup
        TT.predictive_scaling_configuration={} | TT.predictive_scaling_configuration | only to PredictiveScaling
        alarms.HighCPU.alarm_actions=["cpu-tt"] | alarms.HighCPU.alarm_actions | cpu-tt is a TargetTrackingScaling policy; AWS creates and manages the alarms
        -CUSTOM.column | CUSTOM.column | required key is missing
        -CUSTOM.metric_name | CUSTOM.metric_name | required key is missing
        CUSTOM.column=time_s | CUSTOM.column | time_s is the trace's time column
        CUSTOM.per_instance=1 | CUSTOM.per_instance | true or false
        CUSTOM.statistic=Sum | CUSTOM.statistic | unknown key
        CFG.customized_metric={ metric_name = "Q", column = "other" } ; -CFG.predefined_metric_type | CUSTOM.column | column queue_depth differs from column other of policy cpu-tt; a scenario may track at most one customized-metric column
        load.pattern={ kind = "constant", rate = 1 } | CUSTOM.column | [load] uses a pattern, which has no columns
        "#
    .replace("CUSTOM", custom)
    .replace("CFG", cfg)
    .replace("TT", tt);
    check_cases(POLICIES, &cases);
}

#[test]
fn predictive_rules() {
    let cfg = "scaling_policies.forecast.predictive_scaling_configuration";
    let spec = "scaling_policies.forecast.predictive_scaling_configuration.metric_specification";
    let cases = r#"
        -SPEC.target_value | SPEC.target_value | predictive policy forecast has no target
        SPEC.target_value=-5 | SPEC.target_value | must be > 0
        -CFG.metric_specification | CFG.metric_specification | predictive policy forecast needs metric_specification
        -scaling_policies.forecast.predictive_scaling_configuration | CFG | predictive policy forecast needs predictive_scaling_configuration
        -SPEC.predefined_metric_pair_specification | SPEC.predefined_metric_pair_specification.predefined_metric_type | required key is missing
        SPEC.predefined_metric_pair_specification.predefined_metric_type=ASGAverageCPUUtilization | SPEC.predefined_metric_pair_specification.predefined_metric_type | expected one of ASGCPUUtilization, ASGNetworkIn, ASGNetworkOut, ALBRequestCount
        SPEC.predefined_load_metric_specification={} | SPEC.predefined_load_metric_specification | not modelled; use predefined_metric_pair_specification
        CFG.mode=Scale | CFG.mode | expected one of ForecastOnly, ForecastAndScale
        CFG.scheduling_buffer_time=1h | CFG.scheduling_buffer_time | below 3600s
        CFG.scheduling_buffer_time=1500ms | CFG.scheduling_buffer_time | whole number of seconds
        CFG.max_capacity_breach_behavior=IncreaseMaxCapacty | CFG.max_capacity_breach_behavior | did you mean IncreaseMaxCapacity?
        CFG.max_capacity_buffer=101 | CFG.max_capacity_buffer | between 0 and 100
        CFG.max_capacity_breach_behavior=HonorMaxCapacity | CFG.max_capacity_buffer | applies only with max_capacity_breach_behavior = "IncreaseMaxCapacity"
        scaling_policies.forecast-alb.predictive_scaling_configuration.mode=ForecastAndScale | scaling_policies.forecast-alb.predictive_scaling_configuration.mode | only one predictive policy per group may scale (mode ForecastAndScale), as AWS allows, and forecast already does
        scaling_policies.forecast.estimated_instance_warmup=60s | scaling_policies.forecast.estimated_instance_warmup | does not apply to PredictiveScaling policies
        scaling_policies.forecast.cooldown=60s | scaling_policies.forecast.cooldown | only to SimpleScaling
        alarms.HighCPU.alarm_actions=["forecast"] | alarms.HighCPU.alarm_actions | forecast is a PredictiveScaling policy
        "#
    .replace("SPEC", spec)
    .replace("CFG", cfg);
    check_cases(POLICIES, &cases);
}

#[test]
fn a_policy_type_forgotten_is_pointed_out() {
    let text = edited(POLICIES, &["-scaling_policies.cpu-tt.policy_type"]);
    let p = problems(&text, &[]);
    let hint = p
        .iter()
        .find(|p| {
            p.location()
                .ends_with("scaling_policies.cpu-tt.target_tracking_configuration")
        })
        .unwrap();
    assert!(
        hint.message.ends_with(
            "(policy_type is not given, so it is SimpleScaling: did you mean policy_type = \"TargetTrackingScaling\"?)"
        ),
        "{}",
        hint.message
    );
}
