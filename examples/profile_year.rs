//! Runs the one-year benchmark scenario a few times, for profilers.
use std::path::Path;
fn main() {
    let file = std::env::args()
        .nth(1)
        .unwrap_or("benches/scenarios/diurnal-year.toml".into());
    let text = std::fs::read_to_string(&file).unwrap();
    let s = asgsim::scenario::parse_scenario(
        &text,
        Path::new("benches/scenarios/diurnal-year.toml"),
        &[],
    )
    .unwrap();
    let trace = asgsim::run::load_trace(&s, 1).unwrap();
    let t = std::time::Instant::now();
    for _ in 0..5 {
        let summary = asgsim::run::summarize(&s, &trace, 1);
        std::hint::black_box(&summary);
        if std::env::var("SHOW").is_ok() {
            eprintln!("{summary:?}");
        }
    }
    eprintln!("{:?} per run", t.elapsed() / 5);
}
