//! Simulation speed: simulated time per wall-clock second, as criterion "elements" per second
//! (one element = one simulated second).
//!
//! (a) a diurnal load over one simulated year at 1-minute metrics, min 2 / max 20, with the
//!     seed workflow's policies; (b) the same scaled a hundredfold (about 300 to 1,500
//!     instances) over 30 days. Both run with the summary-only recorder, as sweeps do.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use asgsim::recorder::SummaryRecorder;
use asgsim::scenario::{Scenario, parse_scenario};
use asgsim::trace::Trace;

fn scenario(duration: &str, scale: u32) -> Scenario {
    let text = format!(
        r#"
name = "bench"
duration = "{duration}"
[group]
min_size = {min}
max_size = {max}
desired_capacity = {min}
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
[launch_template]
capacity_rps = 100
boot_time = {{ distribution = "lognormal", median = "90s", p95 = "150s" }}
[load]
pattern = {{ kind = "diurnal", base = {base}, peak = {peak} }}
noise = 0.05
[[alarms]]
name = "HighCPU"
metric_name = "CPUUtilization"
evaluation_periods = 2
threshold = 75
comparison_operator = "GreaterThanThreshold"
alarm_actions = ["scale-out"]
[[alarms]]
name = "LowCPU"
metric_name = "CPUUtilization"
evaluation_periods = 3
threshold = 30
comparison_operator = "LessThanThreshold"
alarm_actions = ["scale-in"]
[[scaling_policies]]
name = "scale-out"
adjustment_type = "ChangeInCapacity"
scaling_adjustment = {out}
cooldown = "300s"
[[scaling_policies]]
name = "scale-in"
adjustment_type = "ChangeInCapacity"
scaling_adjustment = -{scale}
cooldown = "300s"
"#,
        min = 2 * scale,
        max = 20 * scale,
        base = 150 * scale,
        peak = 1_500 * scale,
        out = 2 * scale,
    );
    parse_scenario(&text, Path::new("benches/bench.toml"), &[]).expect("bench scenario")
}

fn bench_case(c: &mut Criterion, name: &str, scenario: &Scenario) {
    let trace: Trace =
        asgsim::trace::load(&scenario.load, scenario.duration_ms, 1).expect("bench load");
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    group.throughput(Throughput::Elements(scenario.duration_ms / 1_000));
    group.bench_function(name, |b| {
        b.iter(|| asgsim::sim::run(black_box(scenario), &trace, 1, &mut SummaryRecorder))
    });
    group.finish();
}

fn simulate(c: &mut Criterion) {
    bench_case(c, "a_year_diurnal_2_to_20", &scenario("365d", 1));
    bench_case(c, "b_30d_diurnal_x100", &scenario("30d", 100));
}

criterion_group!(benches, simulate);
criterion_main!(benches);
