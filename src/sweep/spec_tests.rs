use super::*;

fn parse(text: &str) -> Result<SweepSpec, String> {
    SweepSpec::parse(text, Path::new("dir/sweep.toml"), &[]).map_err(|e| e.to_string())
}

const GRID: &str = r#"
scenario = "base.toml"
seeds = 2
[parameters]
"alarms.HighCPU.threshold" = [70, 75]
"scaling_policies.scale-out.cooldown" = ["120s", "300s", "600s"]
"#;

#[test]
fn the_grid_varies_the_first_key_slowest_and_the_seeds_fastest() {
    let spec = parse(GRID).unwrap();
    assert_eq!(spec.scenario, Path::new("dir/base.toml"));
    assert_eq!(spec.seeds, [1, 2]);
    assert_eq!((spec.points(), spec.total_runs()), (6, 12));
    let r = spec.run(1);
    assert_eq!((r.point, r.seed), (0, 1));
    let r = spec.run(4);
    assert_eq!((r.point, r.seed), (1, 2));
    let written: Vec<&str> = spec
        .point_values(1)
        .iter()
        .map(|v| v.written.as_str())
        .collect();
    assert_eq!(written, ["70", "300s"]);
    assert_eq!(
        spec.overrides(5),
        [
            "alarms.HighCPU.threshold=75",
            "scaling_policies.scale-out.cooldown=\"600s\""
        ]
    );
    assert_eq!(
        spec.describe_point(3),
        "alarms.HighCPU.threshold = 75, scaling_policies.scale-out.cooldown = 120s"
    );
}

#[test]
fn keys_keep_the_file_order_and_ranges_expand() {
    let spec = parse(
        r#"
scenario = "s.toml"
seeds = [3, 9, 27]
[set]
duration = "2h"
[parameters]
"group.max_size" = { from = 4, to = 10, step = 2 }
alarms.HighCPU.threshold = [70.5, 80]
"group.default_cooldown" = { from = "60s", to = "120s", step = "30s" }
"#,
    )
    .unwrap();
    let keys: Vec<&str> = spec.parameters.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "group.max_size",
            "alarms.HighCPU.threshold",
            "group.default_cooldown"
        ]
    );
    assert_eq!(spec.parameters[0].values.len(), 4);
    assert_eq!(spec.parameters[2].values[1].written, "90s");
    assert_eq!(spec.parameters[2].values[1].literal, "\"90s\"");
    assert_eq!(spec.fixed, ["duration=\"2h\""]);
    assert_eq!(spec.seeds, [3, 9, 27]);
    assert_eq!(spec.total_runs(), 4 * 2 * 3 * 3);
}

#[test]
fn errors_name_the_file_the_line_and_the_key() {
    let cases = [
        (
            "scenario = \"s.toml\"\n[parameters]\n\"group.max_size\" = { from = 10, to = 4, step = 2 }\n",
            "dir/sweep.toml:3:1: parameters.\"group.max_size\": the range is empty",
        ),
        (
            "scenario = \"s.toml\"\n[parameters]\n\"group.max_size\" = { from = 1, to = 4, step = 0 }\n",
            ":3:1: parameters.\"group.max_size\": the step must be greater than 0",
        ),
        (
            "scenario = \"s.toml\"\n[parameters]\n\"group.max_size\" = []\n",
            "parameters.\"group.max_size\": the list is empty",
        ),
        (
            "scenario = \"s.toml\"\n[parameters]\n\"group.max_size\" = 4\n",
            "expected a list such as [70, 75, 80]",
        ),
        (
            "scenario = \"s.toml\"\nseed = 3\n",
            "dir/sweep.toml:2:1: seed: unknown key",
        ),
        ("seeds = 3\n", "scenario: missing"),
        ("scenario = \"s.toml\"\nseeds = 0\n", "seeds: seeds = 0"),
        (
            "scenario = \"s.toml\"\nseeds = [1, 1]\n",
            "seed 1 is listed twice",
        ),
        ("scenario = 3\n", "scenario: expected a string"),
        (
            "scenario = \"s.toml\"\n[set]\n\"group.max_size\" = 5\n[parameters]\n\"group.max_size\" = [4]\n",
            "is both swept",
        ),
        ("scenario = \"s.toml\"\n[parameters\n", "TOML syntax error"),
        (
            "scenario = \"s.toml\"\nseeds = 2\nobjective = \"min:cost\"\n",
            "dir/sweep.toml:3:13: objective: `cost` is not a figure of results.csv\n  did you mean cost_usd?",
        ),
    ];
    for (text, expected) in cases {
        let e = parse(text).unwrap_err();
        assert!(e.contains(expected), "{text:?}\n→ {e}\nexpected {expected}");
    }
}

#[test]
fn the_size_is_capped() {
    let e = parse(
        "scenario = \"s.toml\"\nseeds = 100\n[parameters]\na = { from = 1, to = 1001, step = 1 }\n",
    )
    .unwrap_err();
    assert!(e.contains("1001 × 100 seeds = 100100 runs"), "{e}");
}

#[test]
fn nothing_swept_is_one_point() {
    let spec = parse("scenario = \"s.toml\"\nseeds = 3\n").unwrap();
    assert_eq!((spec.points(), spec.total_runs()), (1, 3));
    assert!(spec.point_values(0).is_empty());
    assert_eq!(spec.describe_point(0), "(no swept keys)");
}
