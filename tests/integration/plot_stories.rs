//! The failure and health scenarios tell their story in `capacity.svg`: the core reports what
//! set each activity going and the scripted episodes, and the plot draws and names them.

use asgsim::records::{ActivityOrigin, EpisodeKind};

use asgsim::report::capacity_svg;
use asgsim::run::RunOutput;

use crate::common::run_file as run;

fn origins(out: &RunOutput, origin: ActivityOrigin) -> usize {
    let activities = out.records.activities.iter();
    activities.filter(|a| a.origin == origin).count()
}

fn svg(out: &RunOutput) -> String {
    capacity_svg(out).expect("the plot draws")
}

#[test]
fn the_grace_loop_shows_unhealthy_instances_and_their_replacements() {
    let out = run("scenarios/grace-loop.toml", &[]);
    assert!(origins(&out, ActivityOrigin::HealthReplacement) >= 10);
    let plot = svg(&out);
    assert!(plot.contains("unhealthy (not serving)"));
    assert!(plot.contains("health replacement"));
    assert!(plot.contains("scale-out"));
    let fixed = run(
        "scenarios/grace-loop.toml",
        &["group.health_check_grace_period=600s"],
    );
    // Starting applications still do not serve for 5 minutes, but none is replaced.
    let plot = svg(&fixed);
    assert!(plot.contains("unhealthy (not serving)") && !plot.contains("health replacement"));
}

#[test]
fn an_az_outage_is_a_labelled_span_with_replacements_and_rebalancing() {
    let out = run("scenarios/az-outage.toml", &[]);
    let outage: Vec<_> = out
        .records
        .episodes
        .iter()
        .map(|e| (e.kind, e.start_ms, e.end_ms))
        .collect();
    assert_eq!(outage, [(EpisodeKind::AzOutage, 3_600_000, 6_000_000)]);
    assert!(origins(&out, ActivityOrigin::HealthReplacement) >= 2);
    assert!(origins(&out, ActivityOrigin::AzRebalance) >= 2);
    let plot = svg(&out);
    for text in ["us-east-1a down", "health replacement", "AZ rebalancing"] {
        assert!(plot.contains(text), "{text:?}");
    }
    assert_eq!(svg(&out), plot, "same run, same bytes");
}

#[test]
fn an_instance_refresh_shows_its_span_checkpoint_and_replacements() {
    let out = run("scenarios/instance-refresh.toml", &[]);
    let kinds: Vec<_> = out.records.episodes.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [EpisodeKind::RefreshCheckpoint, EpisodeKind::InstanceRefresh]
    );
    let checkpoint = &out.records.episodes[0];
    assert_eq!(checkpoint.end_ms - checkpoint.start_ms, 20 * 60_000);
    assert_eq!(
        origins(&out, ActivityOrigin::InstanceRefresh),
        16,
        "8 out, 8 in"
    );
    assert_eq!(origins(&out, ActivityOrigin::Scaling), 0);
    let plot = svg(&out);
    for text in [
        "instance refresh to c5.xlarge",
        "checkpoint 50%: pause",
        "refresh replacement",
    ] {
        assert!(plot.contains(text), "{text:?}");
    }
}

#[test]
fn the_warm_pool_and_the_elb_cascade_are_drawn() {
    let pool = svg(&run("scenarios/warm-pool.toml", &[]));
    assert!(pool.contains("warm pool"));
    assert!(!pool.contains("unhealthy (not serving)"));
    let cascade = run("scenarios/elb-cascade.toml", &[]);
    assert!(cascade.records.timeline.iter().any(|r| r.unhealthy >= 3));
    let plot = svg(&cascade);
    assert!(plot.contains("unhealthy (not serving)") && plot.contains("health replacement"));
    assert!(!plot.contains("warm pool"));
}
