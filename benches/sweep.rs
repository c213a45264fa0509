//! Sweep throughput: week-long runs of the seed workflow per second, on 1 and 2 worker
//! threads (criterion "elements" are runs).
//!
//! Each iteration runs the whole sweep of `benches/scenarios/sweep-seed-workflow-week.toml`
//! (3 thresholds × 3 cooldowns × 20 seeds = 180 runs of 7 simulated days) into a fresh
//! folder as `asgsim sweep --no-plots --jobs N` does: validation of every point, the runs
//! with their fixed-group and oracle baselines, the journal, `results.csv` and `points.csv`.

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use asgsim::sweep::{SweepOptions, SweepSpec, run_sweep};

fn sweep(c: &mut Criterion) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/scenarios/sweep-seed-workflow-week.toml");
    let runs = SweepSpec::load(&file, &[])
        .expect("bench sweep file")
        .total_runs();
    let mut group = c.benchmark_group("sweep_week_seed_workflow");
    group.sample_size(10);
    group.throughput(Throughput::Elements(runs));
    for jobs in [1, 2] {
        group.bench_function(format!("jobs_{jobs}"), |b| {
            b.iter(|| {
                let dir = tempfile::tempdir().expect("temporary folder");
                let outcome = run_sweep(&SweepOptions {
                    sweep_file: file.clone(),
                    jobs: Some(jobs),
                    out_dir: Some(dir.path().to_path_buf()),
                    no_plots: true,
                    ..SweepOptions::default()
                })
                .expect("bench sweep");
                assert_eq!(outcome.ran, runs);
            })
        });
    }
    group.finish();
}

// No HTML plots: criterion's plot backend would need a system font, and this crate's
// plotters is built without one.
criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = sweep
}
criterion_main!(benches);
