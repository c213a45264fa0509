//! One case per rule: an edit of a valid scenario, the key the problem must name, and a
//! piece of the message it must carry.
//!
//! Cases are written one per line as `edits | key path | message fragment`. Edits are
//! separated by ` ; `; each is `key=value` (as `--set`) or `-key` (delete the key). The
//! edited table is written back to TOML text and parsed, so problems carry line numbers.

use toml::{Table, Value};

use super::overrides::apply_all;
use super::tests::{FULL, MINIMAL, parse, problems};
use super::{PolicyKind, Problem};

/// The text of `base` with `edits` applied.
pub(super) fn edited(base: &str, edits: &[&str]) -> String {
    let mut table: Table = base.parse().unwrap();
    let (removes, sets): (Vec<&str>, Vec<&str>) = edits.iter().partition(|e| e.starts_with('-'));
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let (_, bad) = apply_all(&mut table, &sets);
    assert!(bad.is_empty(), "test edit failed: {bad:?}");
    for path in removes {
        remove(&mut table, &path[1..]);
    }
    toml::to_string(&table).unwrap()
}

/// Deletes `path` (`group.max_size`, `alarms.HighCPU.threshold`, `events\[1\].at`).
fn remove(table: &mut Table, path: &str) {
    let mut segments: Vec<&str> = path.split('.').collect();
    let key = segments.pop().unwrap();
    let mut segments = segments.into_iter();
    let mut current = table;
    while let Some(segment) = segments.next() {
        let (name, index) = match segment.strip_suffix(']').and_then(|s| s.split_once('[')) {
            Some((name, i)) => (name, Some(i.parse::<usize>().unwrap())),
            None => (segment, None),
        };
        current = match (current.get_mut(name), index) {
            (Some(Value::Table(t)), None) => t,
            (Some(Value::Array(items)), Some(i)) => items[i].as_table_mut().unwrap(),
            (Some(Value::Array(items)), None) => {
                let entry = segments.next().unwrap();
                items
                    .iter_mut()
                    .filter_map(Value::as_table_mut)
                    .find(|t| t.get("name").and_then(Value::as_str) == Some(entry))
                    .unwrap()
            }
            _ => panic!("no table at {segment} in {path}"),
        };
    }
    assert!(current.remove(key).is_some(), "no key {path} to remove");
}

/// Whether `problem` is about `path` (a key path, or `--set KEY`).
fn is_at(problem: &Problem, path: &str) -> bool {
    problem.key == path
}

/// Checks every case of `cases` (see the module docs) against `base`.
#[track_caller]
pub(super) fn check_cases(base: &str, cases: &str) {
    let mut checked = 0;
    for case in cases.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let fields: Vec<&str> = case.split(" | ").collect();
        let [edits, path, fragment] = fields[..] else {
            panic!("malformed case: {case}");
        };
        let edits: Vec<&str> = edits.split(" ; ").filter(|e| !e.is_empty()).collect();
        let found = problems(&edited(base, &edits), &[]);
        assert!(
            found
                .iter()
                .any(|p| is_at(p, path) && p.message.replace('\n', "; ").contains(fragment)),
            "case `{case}`: no problem at {path} containing {fragment:?}; got {found:#?}"
        );
        checked += 1;
    }
    assert!(checked > 0);
}

#[test]
fn the_edit_helper_keeps_a_valid_scenario_valid() {
    parse(&edited(FULL, &[]), &[]).unwrap();
    parse(&edited(MINIMAL, &[]), &[]).unwrap();
}

#[test]
fn top_level_rules() {
    check_cases(
        FULL,
        r#"
        duration=0 | duration | longer than 0
        duration="6 hours" | duration | `6 hours` is not a duration
        -duration | duration | required key is missing
        seed=-1 | seed | expected a whole number ≥ 0, found the integer -1
        start_time="2025-02-30T00:00:00Z" | start_time | day 30 is out of range 01–28
        start_time="yesterday" | start_time | YYYY-MM-DDTHH:MM:SSZ
        start_time=2025-03-01 | start_time | YYYY-MM-DDTHH:MM:SSZ
        sample_interval=1500ms | sample_interval | whole number of seconds
        name="a/b" | name | output folder
        durration="1h" | durration | unknown key; did you mean duration?
        scheduled_actions=[{ name = "x", desired_capacity = 1 }] | scheduled_actions.x | needs recurrence
        scheduled_action_max_delay=soon | scheduled_action_max_delay | not a duration
        scheduled_actions=3 | scheduled_actions | expected an array of tables (write [[scheduled_actions]] sections)
        failures={ instance_mtbf = "0s" } | failures.instance_mtbf | longer than 0s
        failures={ instance_mtbf = "30d", mtfb = 1 } | failures.mtfb | unknown key
        failures.launch_failure_probability=1.5 | failures.launch_failure_probability | must lie between 0 and 1 (the chance each launch attempt fails), found 1.5
        failures.launch_failure_probability=-0.1 | failures.launch_failure_probability | between 0 and 1
        failures.launch_failure_probability=often | failures.launch_failure_probability | expected a finite number
        failures.launch_failure_probabilty=0.1 | failures.launch_failure_probabilty | did you mean launch_failure_probability?
        load_balancer.unhealthy_threshold_count=1 | load_balancer.unhealthy_threshold_count | between 2 and 10
        load_balancer.health_check_interval=1s | load_balancer.health_check_interval | between 5s and 300s
        group=3 | group | expected a table, found the integer 3
        "#,
    );
}

#[test]
fn a_toml_date_time_is_a_start_time() {
    let s = parse(&edited(MINIMAL, &["start_time=2025-03-01T12:30:00Z"]), &[]).unwrap();
    assert_eq!(s.start_time.to_string(), "2025-03-01T12:30:00Z");
}

#[test]
fn group_rules() {
    check_cases(
        FULL,
        r#"
        group.min_size=7 | group.min_size | min_size 7 > max_size 6
        group.desired_capacity=9 | group.desired_capacity | desired_capacity 9 must lie between min_size 2 and max_size 6
        group.desired_capacity=1 | group.desired_capacity | between min_size 2
        group.min_size="two" | group.min_size | expected a whole number ≥ 0, found the string "two"
        -group.max_size | group.max_size | required key is missing
        group.min_sise=1 | group.min_sise | unknown key; did you mean min_size?; known keys: availability_zones,
        group.availability_zones=[] | group.availability_zones | at least one
        group.availability_zones=["a", "a"] | group.availability_zones | a is listed twice
        group.availability_zones="us-east-1a" | group.availability_zones | expected an array of strings
        group.default_instance_warmup=2h | group.default_instance_warmup | 0s and 3600s
        group.default_cooldown=-5 | group.default_cooldown | expected a duration
        group.health_check_type=ELB2 | group.health_check_type | did you mean ELB?
        group.max_instance_lifetime=12h | group.max_instance_lifetime | at least 1d
        group.new_instances_protected_from_scale_in=1 | group.new_instances_protected_from_scale_in | true or false
        group.termination_policies=["Default", "OldestInstance"] | group.termination_policies | Default must be the last
        group.termination_policies=["NewestInstance", "NewestInstance"] | group.termination_policies | NewestInstance is listed twice
        group.termination_policies=["Oldest"] | group.termination_policies | expected one of OldestInstance, NewestInstance, OldestLaunchTemplate, OldestLaunchConfiguration, ClosestToNextInstanceHour, AllocationStrategy, Default
        group.suspended_processes=["Lanch"] | group.suspended_processes | item 0: "Lanch" is not valid; did you mean Launch?; expected one of Launch, Terminate, AddToLoadBalancer, AlarmNotification, AZRebalance, HealthCheck, InstanceRefresh, ReplaceUnhealthy, ScheduledActions
        group.suspended_processes=["Launch", "Launch"] | group.suspended_processes | Launch is listed twice; each process may appear once
        group.instance_maintenance_policy={ min_healthy_percentage = 100 } | group.instance_maintenance_policy.max_healthy_percentage | required key is missing
        group.instance_maintenance_policy={ min_healthy_percentage = 101, max_healthy_percentage = 150 } | group.instance_maintenance_policy.min_healthy_percentage | between 0 and 100
        group.instance_maintenance_policy={ min_healthy_percentage = 50, max_healthy_percentage = 250 } | group.instance_maintenance_policy.max_healthy_percentage | between 100 and 200
        group.instance_maintenance_policy={ min_healthy_percentage = 0, max_healthy_percentage = 200 } | group.instance_maintenance_policy | must be at most 100
        group.suspended_processes=["RemoveFromLoadBalancerLowPriority"] | group.suspended_processes | RemoveFromLoadBalancerLowPriority is deprecated
        group.suspended_processes=["Launch", "x", 3] | group.suspended_processes | item 1: "x" is not valid
        group.suspended_processes=["Launch", "x", 3] | group.suspended_processes | ; item 2: expected one of Launch
        group.suspended_processes="Launch" | group.suspended_processes | expected an array of process names, such as ["Launch", "AZRebalance"]
        "#,
    );
    let s = parse(&edited(FULL, &["group.max_instance_lifetime=0"]), &[]).unwrap();
    assert_eq!(s.group.max_instance_lifetime_ms, None, "0 means unset");
}

#[test]
fn launch_template_rules() {
    check_cases(
        FULL,
        r#"
        launch_template.instance_type=x9.huge ; -launch_template.price_per_hour | launch_template.price_per_hour | not in the built-in price table
        launch_template.price_per_hour=-1 | launch_template.price_per_hour | ≥ 0
        launch_template.capacity_rps=0 | launch_template.capacity_rps | must be > 0
        -launch_template.capacity_rps | launch_template.capacity_rps | required key is missing
        launch_template.idle_cpu_percent=100 | launch_template.idle_cpu_percent | < 100
        launch_template.network_in_bytes_per_request=-1 | launch_template.network_in_bytes_per_request | ≥ 0
        launch_template.network_out_bytes_per_request=true | launch_template.network_out_bytes_per_request | found the boolean true
        launch_template.boot_time={ distribution = "uniform", min = "2m", max = "1m" } | launch_template.boot_time.min | min 2m must not exceed max 1m
        launch_template.boot_time={ distribution = "lognormal", median = "90s", p95 = "90s" } | launch_template.boot_time.p95 | greater than median
        launch_template.boot_time={ distribution = "lognormal", median = 0, p95 = "90s" } | launch_template.boot_time.median | longer than 0
        launch_template.boot_time={ distribution = "gamma" } | launch_template.boot_time.distribution | expected one of constant, uniform, lognormal
        launch_template.boot_time={ distribution = "constant", value = "1m", spread = 3 } | launch_template.boot_time.spread | unknown key
        launch_template.boot_time=fast | launch_template.boot_time | `fast` is not a duration
        launch_template.boot_time=[1] | launch_template.boot_time | or a table such as
        "#,
    );
    let text = edited(
        FULL,
        &[
            "launch_template.instance_type=t3.micro",
            "-launch_template.price_per_hour",
        ],
    );
    let s = parse(&text, &[]).unwrap();
    assert_eq!(s.launch_template.price_per_hour_usd, 0.0104);
}

#[test]
fn load_rules() {
    check_cases(
        FULL,
        r#"
        -load.trace | load | one of trace
        load.scale=-1 | load.scale | ≥ 0
        load.noise=2 | load.noise | between 0 and 1
        load.resolution=0 | load.resolution | longer than 0
        load.trace=5 | load.trace | expected a string
        "#,
    );
    check_cases(
        MINIMAL,
        r#"
        load.pattern={ kind = "wave" } | load.pattern.kind | expected one of constant, step, ramp, sine, diurnal, spike
        load.pattern={ rate = 3 } | load.pattern.kind | required key is missing
        load.pattern={ kind = "constant", rate = 1, peak = 3 } | load.pattern.peak | unknown key
        load.pattern={ kind = "constant", rate = -1 } | load.pattern.rate | ≥ 0
        load.pattern={ kind = "step", base = 1, peak = 2, at = "2h", until = "1h" } | load.pattern.until | until 1h must be later than at 2h
        load.pattern={ kind = "ramp", base = 1, peak = 2, start = "2h", end = "2h" } | load.pattern.end | later than start
        load.pattern={ kind = "sine", base = 5, peak = 2 } | load.pattern.peak | must be ≥ base
        load.pattern={ kind = "diurnal", base = 1, peak = 2, period = 0 } | load.pattern.period | longer than 0
        load.pattern={ kind = "spike", base = 1, peak = 2, at = "1h", duration = 0 } | load.pattern.duration | longer than 0
        load.pattern={ kind = "spike", base = 1, peak = 2, at = "1h" } | load.pattern.duration | required key is missing
        "#,
    );
}

#[test]
fn small_section_rules() {
    check_cases(
        FULL,
        r#"
        monitoring.detailed=yes | monitoring.detailed | expected true or false, found the string "yes"
        monitoring.metric_delay=soon | monitoring.metric_delay | not a duration
        load_balancer.deregistration_delay=2h | load_balancer.deregistration_delay | 0s and 3600s
        slo.latency_ms=0 | slo.latency_ms | must be > 0
        slo.latency=200 | slo.latency | did you mean latency_ms?
        slo.cpu_percent=100 | slo.cpu_percent | must lie between 0 and 100
        slo.cpu_percent=0 | slo.cpu_percent | must lie between 0 and 100
        "#,
    );
}

#[test]
fn alarm_rules() {
    check_cases(
        FULL,
        r#"
        alarms.HighCPU.period=30s | alarms.HighCPU.period | high-resolution alarms
        alarms.HighCPU.period=90s | alarms.HighCPU.period | 90s is not a multiple of 60s
        alarms.HighCPU.evaluation_periods=0 | alarms.HighCPU.evaluation_periods | must be ≥ 1
        alarms.HighCPU.datapoints_to_alarm=3 | alarms.HighCPU.datapoints_to_alarm | datapoints_to_alarm 3 must not exceed evaluation_periods 2
        alarms.HighCPU.evaluation_periods=1441 ; -alarms.HighCPU.datapoints_to_alarm | alarms.HighCPU.evaluation_periods | exceeds 1 day
        alarms.HighCPU.metric_name=CPU | alarms.HighCPU.metric_name | expected one of CPUUtilization, NetworkIn, NetworkOut, RequestCountPerTarget, Latency
        alarms.HighCPU.statistic=Mean | alarms.HighCPU.statistic | expected one of Average, Sum, Minimum, Maximum, SampleCount
        alarms.HighCPU.comparison_operator=GreaterThan | alarms.HighCPU.comparison_operator | GreaterThanThreshold
        alarms.HighCPU.treat_missing_data=Missing | alarms.HighCPU.treat_missing_data | did you mean missing?
        alarms.HighCPU.threshold=high | alarms.HighCPU.threshold | expected a finite number, found the string "high"
        -alarms.HighCPU.threshold | alarms.HighCPU.threshold | required key is missing
        -alarms.HighCPU.comparison_operator | alarms.HighCPU.comparison_operator | required key is missing
        alarms.HighCPU.alarm_actions=["scale-up"] | alarms.HighCPU.alarm_actions | no scaling policy is named scale-up;
        alarms.HighCPU.alarm_actions=["scale-up"] | alarms.HighCPU.alarm_actions | the policies are: scale-in, scale-out
        alarms.HighCPU.alarm_actions=["scale-out", "scale-out"] | alarms.HighCPU.alarm_actions | listed twice
        alarms.LowCPU.name=HighCPU | alarms[1].name | another alarm is already named HighCPU
        alarms=[3] | alarms[0] | expected a table
        "#,
    );
}

#[test]
fn policy_rules() {
    check_cases(
        FULL,
        r#"
        scaling_policies.scale-out.policy_type=StepScaling | scaling_policies.scale-out.cooldown | cooldown applies only to SimpleScaling; step policies use estimated_instance_warmup
        scaling_policies.scale-out.policy_type=StepScaling | scaling_policies.scale-out.step_adjustments | step policy scale-out needs step_adjustments
        scaling_policies.scale-out.policy_type=TargetTrackingScaling | scaling_policies.scale-out.target_tracking_configuration | target-tracking policy scale-out needs target_tracking_configuration
        scaling_policies.scale-out.policy_type=TargetTrackingScaling | alarms.HighCPU.alarm_actions | scale-out is a TargetTrackingScaling policy
        scaling_policies.scale-out.policy_type=PredictiveScaling | scaling_policies.scale-out.predictive_scaling_configuration | predictive policy scale-out needs predictive_scaling_configuration
        scaling_policies.scale-out.policy_type=PredictiveScaling | scaling_policies.scale-out.adjustment_type | adjustment_type does not apply to PredictiveScaling policies, only to SimpleScaling and StepScaling
        scaling_policies.scale-out.policy_type=Magic | scaling_policies.scale-out.policy_type | expected one of SimpleScaling, StepScaling
        -scaling_policies.scale-out.adjustment_type | scaling_policies.scale-out.adjustment_type | required key is missing
        -scaling_policies.scale-out.scaling_adjustment | scaling_policies.scale-out.scaling_adjustment | required key is missing
        scaling_policies.scale-out.adjustment_type=ExactCapacity ; scaling_policies.scale-out.scaling_adjustment=-1 | scaling_policies.scale-out.scaling_adjustment | must be ≥ 0 with ExactCapacity
        scaling_policies.scale-out.min_adjustment_magnitude=1 | scaling_policies.scale-out.min_adjustment_magnitude | applies only to adjustment_type PercentChangeInCapacity
        scaling_policies.scale-out.min_adjustment_step=1 | scaling_policies.scale-out.min_adjustment_step | applies only to adjustment_type PercentChangeInCapacity
        scaling_policies.scale-in.min_adjustment_magnitude=0 | scaling_policies.scale-in.min_adjustment_magnitude | must be ≥ 1
        scaling_policies.scale-in.min_adjustment_step=2 | scaling_policies.scale-in.min_adjustment_step | give only one
        scaling_policies.scale-out.enabled="no" | scaling_policies.scale-out.enabled | true or false
        scaling_policies.scale-out.cooldown=x | scaling_policies.scale-out.cooldown | not a duration
        scaling_policies.scale-out.scaling_adjustmant=1 | scaling_policies.scale-out.scaling_adjustmant | did you mean scaling_adjustment?
        scaling_policies.scale-in.name=scale-out | scaling_policies[1].name | another scaling policy is already named scale-out
        "#,
    );
}

#[test]
fn the_deprecated_alias_of_min_adjustment_magnitude_is_accepted() {
    let text = edited(
        FULL,
        &[
            "scaling_policies.scale-in.min_adjustment_step=2",
            "-scaling_policies.scale-in.min_adjustment_magnitude",
        ],
    );
    let s = parse(&text, &[]).unwrap();
    let PolicyKind::Simple(p) = &s.scaling_policies[0].kind else {
        panic!("a simple policy")
    };
    assert_eq!(p.min_adjustment_magnitude, Some(2));
}

#[test]
fn event_rules() {
    check_cases(
        FULL,
        r#"
        events[0].at=7h | events[0].at | at 7h is after the end of the run (duration 6h)
        events[0].value=9 | events[0].value | value 9 must lie between min_size 2 and max_size 6
        events[0].action=fail_instances ; -events[0].value ; events[0].mode="exploded" | events[0].mode | impaired, application, terminated
        events[0].action=fail_instances ; -events[0].value ; events[0].az="eu-west-1a" | events[0].az | "eu-west-1a" is not one of the group's availability_zones; they are: us-east-1a, us-east-1b
        events[0].action=fail_instances ; -events[0].value ; events[0].count=0 | events[0].count | at least 1
        events[0].action=az_outage | events[0].az | required key is missing
        events[0].action=az_outage | events[0].value | unknown key; known keys: action, at, az, duration
        events[0].action=explode | events[0].action | expected one of set_desired_capacity, fail_instances, az_outage, launch_failures, suspend_processes, resume_processes
        -events[1].at | events[1].at | required key is missing
        events[1].valeu=3 | events[1].valeu | did you mean value?
        "#,
    );
}
