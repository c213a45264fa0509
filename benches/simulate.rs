//! Simulation speed: simulated time per wall-clock second, as criterion "elements" per second
//! (one element = one simulated second).
//!
//! (a) a diurnal load over one simulated year at 1-minute metrics, min 2 / max 20, with the
//!     seed workflow's policies; (b) the same scaled a hundredfold (about 300 to 1,500
//!     instances) over 30 days; (c) the year of (a) scaled by target tracking and predictive
//!     scaling; (d) the 30 days of (b) scaled by target tracking and predictive scaling; (e)
//!     the year of (a) as a mixed instances group (three types, one weighted 2, On-Demand base
//!     and Spot, Capacity Rebalancing) with Spot interruptions. All run with the summary-only
//!     recorder, as sweeps do.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use asgsim::scenario::parse_scenario;
use asgsim::sim::Scenario;
use asgsim::trace::Trace;

/// A benchmark scenario from `benches/scenarios/`.
fn scenario(file: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/scenarios")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("bench scenario file");
    parse_scenario(&text, &path, &[]).expect("bench scenario")
}

fn bench_case(c: &mut Criterion, name: &str, scenario: &Scenario) {
    let trace: Trace = asgsim::run::load_trace(scenario, 1).expect("bench load");
    let mut group = c.benchmark_group("simulate");
    group.sample_size(10);
    group.throughput(Throughput::Elements(scenario.duration_ms / 1_000));
    group.bench_function(name, |b| {
        b.iter(|| asgsim::run::summarize(black_box(scenario), &trace, 1))
    });
    group.finish();
}

fn simulate(c: &mut Criterion) {
    bench_case(c, "a_year_diurnal_2_to_20", &scenario("diurnal-year.toml"));
    bench_case(c, "b_30d_diurnal_x100", &scenario("diurnal-30d-x100.toml"));
    bench_case(
        c,
        "c_year_tt_predictive",
        &scenario("diurnal-year-tt-predictive.toml"),
    );
    bench_case(
        c,
        "d_30d_x100_tt_predictive",
        &scenario("diurnal-30d-x100-tt-predictive.toml"),
    );
    bench_case(
        c,
        "e_year_mixed_spot_interruptions",
        &scenario("mixed-spot-year.toml"),
    );
}

// No HTML plots: criterion's plot backend would need a system font, and this crate's
// plotters is built without one.
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = simulate
}
criterion_main!(benches);
