//! What users of a command-line tool expect of it (issue 17): versions, help, completions,
//! the man page, scripting (`--json`, stdin, `-q`, thread counts, colour) and errors in the
//! editors' `FILE:LINE:COL:` form.

use std::process::Command;

use crate::common::{asgsim, repo_root, texts};

/// `--version` names the version and, in a git checkout, the commit it was built from.
#[test]
fn version_names_the_commit() {
    let out = asgsim(&repo_root(), &["--version"]);
    let (stdout, _) = texts(&out);
    assert!(out.status.success());
    let line = stdout.trim_end();
    let rest = line
        .strip_prefix(&format!("asgsim {}", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("{line}"));
    let head = Command::new("git")
        .args(["log", "-1", "--abbrev=12", "--format=%h %cs"])
        .current_dir(repo_root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match head {
        // Built from this checkout: the commit and its date.
        Some(head) if std::env::var("ASGSIM_GIT_COMMIT").is_err() => {
            assert_eq!(rest, format!(" ({head})"));
        }
        // No git (a tarball): the version alone, or what the builder passed.
        _ => assert!(rest.is_empty() || rest.starts_with(" ("), "{line}"),
    }
}

/// Whether `line` matches `^[^:]+:\d+:\d+: `, the editors' form.
fn editor_form(line: &str) -> bool {
    let mut parts = line.splitn(4, ':');
    let (Some(file), Some(l), Some(c), Some(rest)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    !file.is_empty() && digits(l) && digits(c) && rest.starts_with(' ')
}

/// Every problem of a scenario, a trace or a sweep file starts with `FILE:LINE:COL: error: `
/// (editors and CI annotations jump there); its fixes follow, indented.
#[test]
fn errors_start_in_the_editors_form() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = "name = \"bad\"\nduration = \"2h\"\n[group]\nmin_size = 1\nmax_sise = 6\n\
        [launch_template]\ncapacity_rps = 100\n[load]\ntrace = \"t.csv\"\n\
        [[scheduled_actions]]\nname = \"weekend\"\nrecurrence = \"0 18 * * FRI-MON\"\n\
        desired_capacity = 2\n";
    std::fs::write(dir.path().join("bad.toml"), scenario).unwrap();
    std::fs::write(
        dir.path().join("t.csv"),
        "time_s,requests_per_s\n0,5\n60,lots\n",
    )
    .unwrap();
    let out = asgsim(dir.path(), &["validate", "bad.toml"]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let heads: Vec<&str> = stderr.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(heads.len(), 3, "{stderr}");
    for head in &heads {
        assert!(editor_form(head), "{head}");
        assert!(head.starts_with("bad.toml:"), "{head}");
    }
    assert!(
        stderr.contains(
            "bad.toml:5:1: error: group.max_sise: unknown key\n  did you mean max_size?\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad.toml:3:2: error: group.max_size: required key is missing\n  expected"),
        "{stderr}"
    );
    // The fix of a backwards cron range keeps the days: FRI-MON is not MON-FRI.
    assert!(
        stderr.contains("bad.toml:12:1: error: scheduled_actions.weekend.recurrence: ")
            && stderr.contains("\n  for FRI through MON write FRI-SAT,SUN-MON"),
        "{stderr}"
    );
    assert!(!stderr.contains("MON-FRI"), "{stderr}");

    // A trace's bad value: its file, line and column.
    let fixed = scenario
        .replace("max_sise", "max_size")
        .replace("FRI-MON", "FRI-SAT,SUN-MON");
    std::fs::write(dir.path().join("bad.toml"), fixed).unwrap();
    let out = asgsim(dir.path(), &["validate", "bad.toml"]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let first = stderr.lines().next().unwrap_or_default();
    assert!(editor_form(first), "{stderr}");
    assert!(
        first.starts_with("t.csv:3:1: error: requests_per_s"),
        "{stderr}"
    );

    // A sweep file's mistake.
    std::fs::write(
        dir.path().join("s.toml"),
        "scenario = \"bad.toml\"\nseeds = 2\nobjective = \"min:cost\"\n",
    )
    .unwrap();
    let out = asgsim(dir.path(), &["sweep", "s.toml"]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let first = stderr.lines().next().unwrap_or_default();
    assert!(editor_form(first), "{stderr}");
    assert!(stderr.contains("\n  did you mean cost_usd?\n"), "{stderr}");
}

/// A warning about a valid but doubtful setting points at the setting.
#[test]
fn warnings_point_at_the_setting() {
    let out = asgsim(&repo_root(), &["validate", "scenarios/grace-loop.toml"]);
    let (_, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    let first = stderr.lines().next().unwrap_or_default();
    assert!(editor_form(first), "{stderr}");
    assert!(
        first.starts_with("scenarios/grace-loop.toml:")
            && first.contains(": warning: group.health_check_grace_period: "),
        "{stderr}"
    );
}

fn json_of(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

/// `run --json` prints summary.json, byte for byte, and nothing else on stdout.
#[test]
fn run_json_is_summary_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = asgsim(
        &repo_root(),
        &[
            "run",
            "scenarios/seed-workflow.toml",
            "--set",
            "duration=3h",
            "--json",
            "-o",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", texts(&out).1);
    let written = std::fs::read(dir.path().join("summary.json")).unwrap();
    assert_eq!(out.stdout, written);
    let summary = json_of(&out.stdout);
    assert_eq!(summary["scenario"], "seed-workflow");
    assert!(
        texts(&out).1.contains("wrote 6 files"),
        "notes go to stderr"
    );
}

/// `compare --json` is the table: one object per scenario with compare.csv's columns, whose
/// figures are those of summary.json; per-scenario overrides (`A.toml@key=value`) need no
/// copied files; different durations are warned about.
#[test]
fn compare_json_and_per_scenario_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let run_dir = dir.path().join("run");
    let run = asgsim(
        &repo_root(),
        &[
            "run",
            "scenarios/seed-workflow.toml",
            "--set",
            "duration=3h",
            "--set",
            "alarms.HighCPU.threshold=50",
            "-q",
            "-o",
            run_dir.to_str().unwrap(),
        ],
    );
    assert!(run.status.success(), "{}", texts(&run).1);
    assert!(run.stdout.is_empty(), "-q prints nothing");
    let summary = json_of(&std::fs::read(run_dir.join("summary.json")).unwrap());
    let out = asgsim(
        &repo_root(),
        &[
            "compare",
            "scenarios/seed-workflow.toml@alarms.HighCPU.threshold=50",
            "scenarios/seed-workflow.toml@alarms.HighCPU.threshold=90",
            "--set",
            "duration=3h",
            "--json",
            "-o",
            dir.path().join("cmp").to_str().unwrap(),
        ],
    );
    let (_, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    let table = json_of(&out.stdout);
    let rows = table.as_array().expect("an array of scenarios");
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0]["scenario"],
        "seed-workflow (alarms.HighCPU.threshold=50)"
    );
    assert_eq!(
        rows[1]["scenario"],
        "seed-workflow (alarms.HighCPU.threshold=90)"
    );
    for key in [
        "cost_usd",
        "instance_hours",
        "slo_violation_s",
        "scale_out_activities",
    ] {
        assert_eq!(rows[0][key].as_f64(), summary[key].as_f64(), "{key}");
    }
    assert_eq!(
        rows[0]["elasticity_jitter"].as_f64(),
        summary["elasticity"]["jitter"].as_f64()
    );
    assert_ne!(rows[0]["cost_usd"], rows[1]["cost_usd"]);
    assert!(
        !stderr.contains("warning"),
        "same duration and load: {stderr}"
    );

    // Different durations: a warning, and the comparison still runs.
    let out = asgsim(
        &repo_root(),
        &[
            "compare",
            "scenarios/seed-workflow.toml@duration=2h",
            "scenarios/seed-workflow.toml@duration=3h",
            "-o",
            dir.path().join("cmp2").to_str().unwrap(),
        ],
    );
    let (_, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: the scenarios run for different durations"),
        "{stderr}"
    );
}

/// `sweep --json` prints the rows of results.csv; each run's figures are those `run` writes
/// to summary.json for the same values and seed. `ASGSIM_JOBS=1` runs on one thread.
#[test]
fn sweep_json_matches_run_and_jobs_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo_root().join("scenarios/seed-workflow.toml");
    let sweep = dir.path().join("s.toml");
    std::fs::write(
        &sweep,
        format!(
            "scenario = {:?}\nseeds = [3]\n[set]\nduration = \"2h\"\n[parameters]\n\"alarms.HighCPU.threshold\" = [70, 80]\n",
            scenario.to_str().unwrap()
        ),
    )
    .unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_asgsim"));
    cmd.current_dir(dir.path())
        .args(["sweep", "s.toml", "--json", "-o", "out"])
        .env("ASGSIM_JOBS", "1");
    let out = cmd.output().unwrap();
    let (_, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(" on 1 thread "), "{stderr}");
    let rows = json_of(&out.stdout);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["parameter_alarms.HighCPU.threshold"], 80);
    let run = asgsim(
        dir.path(),
        &[
            "run",
            scenario.to_str().unwrap(),
            "--seed",
            "3",
            "--set",
            "duration=2h",
            "--set",
            "alarms.HighCPU.threshold=80",
            "--json",
            "-o",
            "run",
        ],
    );
    let summary = json_of(&run.stdout);
    for key in [
        "cost_usd",
        "mean_in_service",
        "requests_dropped",
        "slo_violation_s",
    ] {
        assert_eq!(rows[1][key].as_f64(), summary[key].as_f64(), "{key}");
    }

    // RAYON_NUM_THREADS is honoured too; a bad ASGSIM_JOBS is bad input.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_asgsim"));
    cmd.current_dir(dir.path())
        .args(["sweep", "s.toml", "-o", "out2"])
        .env_remove("ASGSIM_JOBS")
        .env("RAYON_NUM_THREADS", "1");
    let (stdout, _) = texts(&cmd.output().unwrap());
    assert!(stdout.contains(" on 1 thread "), "{stdout}");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_asgsim"));
    cmd.current_dir(dir.path())
        .args(["sweep", "s.toml", "-o", "out3"])
        .env("ASGSIM_JOBS", "many");
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("ASGSIM_JOBS"));
    // -q: no notes, no results in words.
    let out = asgsim(dir.path(), &["-q", "sweep", "s.toml", "-o", "out4"]);
    assert!(out.status.success());
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "{:?}",
        texts(&out)
    );
}

/// Runs the binary with `stdin` as its standard input.
fn with_stdin(dir: &std::path::Path, args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_asgsim"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// `-` reads a scenario, or a trace, from standard input: the same run as from the file.
#[test]
fn dash_reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let root = repo_root();
    let scenario = std::fs::read(root.join("scenarios/seed-workflow.toml")).unwrap();
    let from_file = asgsim(
        &root,
        &[
            "run",
            "scenarios/seed-workflow.toml",
            "--set",
            "duration=2h",
            "--json",
            "-o",
            dir.path().join("a").to_str().unwrap(),
        ],
    );
    let from_stdin = with_stdin(
        &root,
        &[
            "run",
            "-",
            "--set",
            "duration=2h",
            "--json",
            "-o",
            dir.path().join("b").to_str().unwrap(),
        ],
        &scenario,
    );
    assert!(from_stdin.status.success(), "{}", texts(&from_stdin).1);
    assert_eq!(from_file.stdout, from_stdin.stdout);

    // A trace on standard input, named `-` by --set (or in the scenario).
    let trace = std::fs::read(root.join("scenarios/traces/daily-office.csv")).unwrap();
    let args = |load: &str, out: &str| -> Vec<String> {
        [
            "run",
            "scenarios/llm-inference-week.toml",
            "--set",
            "duration=1d",
            "--set",
            load,
            "--json",
            "-o",
            dir.path().join(out).to_str().unwrap(),
        ]
        .map(String::from)
        .to_vec()
    };
    let file_args = args("load.trace=traces/daily-office.csv", "c");
    let stdin_args = args("load.trace=-", "d");
    let file_args: Vec<&str> = file_args.iter().map(String::as_str).collect();
    let stdin_args: Vec<&str> = stdin_args.iter().map(String::as_str).collect();
    let from_file = asgsim(&root, &file_args);
    assert!(from_file.status.success(), "{}", texts(&from_file).1);
    let from_stdin = with_stdin(&root, &stdin_args, &trace);
    assert!(from_stdin.status.success(), "{}", texts(&from_stdin).1);
    assert_eq!(from_file.stdout, from_stdin.stdout);

    // Only one input can come from standard input.
    let out = with_stdin(
        &root,
        &["validate", "-", "--set", "load.trace=-"],
        &std::fs::read(root.join("scenarios/llm-inference-week.toml")).unwrap(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        texts(&out)
            .1
            .contains("standard input (-) is already the scenario"),
        "{}",
        texts(&out).1
    );
}

/// `--color always` colours `error:`, `never` does not; NO_COLOR turns colour off on a
/// terminal (auto), and never overrides an explicit `always`.
#[test]
fn colour_follows_the_flag_and_no_color() {
    let args = |colour: &'static str| ["--color", colour, "validate", "nothere.toml"];
    let run = |colour: &'static str, no_color: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_asgsim"));
        cmd.current_dir(repo_root()).args(args(colour));
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        texts(&cmd.output().unwrap()).1
    };
    assert!(run("always", false).starts_with("\u{1b}[1;31merror:\u{1b}[0m "));
    assert!(run("always", true).starts_with("\u{1b}[1;31merror:"));
    assert!(run("never", false).starts_with("error: "));
    // Not a terminal: auto never colours.
    assert!(run("auto", false).starts_with("error: "));
}

const COMMANDS: [&str; 7] = [
    "run",
    "validate",
    "compare",
    "sweep",
    "merge",
    "completions",
    "man",
];

/// Each command's --help shows examples, the exit codes and (for those that read any) the
/// environment; value names say what they hold; no escape from a doc comment leaks.
#[test]
fn help_shows_examples_exit_codes_and_environment() {
    for command in COMMANDS {
        let out = asgsim(&repo_root(), &[command, "--help"]);
        let (help, _) = texts(&out);
        assert!(out.status.success(), "{command}");
        assert!(help.contains("\nExamples:\n  asgsim "), "{command}: {help}");
        assert!(
            help.contains("\nExit codes:\n  0  success\n"),
            "{command}: {help}"
        );
        if !["completions", "man"].contains(&command) {
            assert!(help.contains("\nEnvironment:\n  "), "{command}: {help}");
            assert!(help.contains("NO_COLOR"), "{command}: {help}");
        }
        assert!(!help.contains("\\["), "{command}: a leaked escape: {help}");
        assert!(
            !help.contains("<OUT>") && !help.contains("<SEED>"),
            "{command}: {help}"
        );
    }
    let (run, _) = texts(&asgsim(&repo_root(), &["run", "--help"]));
    assert!(run.contains("-o, --out <DIR>"), "{run}");
    assert!(run.contains("--seed <N>"), "{run}");
    assert!(run.contains("-q, --quiet"), "{run}");
    let (sweep, _) = texts(&asgsim(&repo_root(), &["sweep", "--help"]));
    assert!(sweep.contains("-j, --jobs <N>"), "{sweep}");
    for var in [
        "ASGSIM_JOBS",
        "RAYON_NUM_THREADS",
        "ASGSIM_SHARDS",
        "JOB_COMPLETION_INDEX",
    ] {
        assert!(sweep.contains(var), "{var}: {sweep}");
    }
}

/// The bash completion script parses (`bash -n`) and completes commands and options.
#[test]
fn bash_completion_parses_and_completes() {
    let dir = tempfile::tempdir().unwrap();
    let out = asgsim(dir.path(), &["completions", "bash"]);
    assert!(out.status.success());
    let script = dir.path().join("asgsim.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    let check = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", texts(&check).1);
    let complete = |words: &str| {
        let probe = format!(
            "source {s}; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             COMP_LINE='{words}'; COMP_POINT=${{#COMP_LINE}}; \
             _asgsim asgsim \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             echo \"${{COMPREPLY[@]}}\"",
            s = script.display()
        );
        let out = Command::new("bash").arg("-c").arg(probe).output().unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(complete("asgsim sw"), "sweep");
    let options = complete("asgsim sweep --");
    for option in ["--jobs", "--shard", "--resume", "--json", "--quiet"] {
        assert!(
            options.split(' ').any(|o| o == option),
            "{option}: {options}"
        );
    }
}

/// zsh and fish check their completion scripts too (the shells come from Debian's packages).
#[test]
#[ignore = "needs zsh and fish: run by .ci/run"]
fn zsh_and_fish_completions_parse() {
    for (shell, flag) in [("zsh", "-n"), ("fish", "--no-execute")] {
        let dir = tempfile::tempdir().unwrap();
        let out = asgsim(dir.path(), &["completions", shell]);
        assert!(out.status.success());
        let script = dir.path().join(format!("asgsim.{shell}"));
        std::fs::write(&script, &out.stdout).unwrap();
        let check = Command::new(shell).arg(flag).arg(&script).output().unwrap();
        assert!(check.status.success(), "{shell}: {}", texts(&check).1);
    }
}

/// `asgsim man` prints a roff page listing the commands; `asgsim man sweep`, that command's
/// page with its options, examples, exit status and environment.
#[test]
fn man_pages_are_generated() {
    let (page, _) = texts(&asgsim(&repo_root(), &["man"]));
    assert!(page.contains(".TH asgsim 1"), "{page}");
    assert!(page.contains("asgsim\\-sweep(1)"), "{page}");
    let out = asgsim(&repo_root(), &["man", "sweep"]);
    let (page, _) = texts(&out);
    assert!(out.status.success());
    assert!(page.contains(".TH asgsim-sweep 1"), "{page}");
    for section in [
        ".SH OPTIONS",
        ".SH \"EXAMPLES\"",
        ".SH \"EXIT STATUS\"",
        ".SH \"ENVIRONMENT\"",
    ] {
        assert!(page.contains(section), "{section}: {page}");
    }
    assert!(page.contains("\\-\\-jobs"), "{page}");
    let out = asgsim(&repo_root(), &["man", "swep"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(texts(&out).1.contains("did you mean sweep?"));
}

/// A steady group of 2 (100 req/s each, idle 2%) under a step load: 170 req/s is 85.3% CPU,
/// 190 req/s is 95.1%.
fn cpu_case(extra: &str) -> asgsim::sim::Scenario {
    crate::common::scenario_from(&format!(
        r#"
name = "cpu"
duration = "30m"
[group]
min_size = 2
max_size = 2
availability_zones = ["us-east-1a"]
[launch_template]
capacity_rps = 100
idle_cpu_percent = 2
boot_time = "60s"
[load]
pattern = {{ kind = "step", base = 170, peak = 190, at = "10m", until = "20m" }}
{extra}
"#
    ))
}

/// `cpu_over_<X>_s`: the time the group's average CPU was above X% (default 90), integrated
/// between events, in summary.json.
#[test]
fn time_above_the_cpu_threshold_is_counted() {
    let out = crate::common::simulate(&cpu_case(""), 1);
    assert_eq!(out.summary.cpu_over.percent, 90.0);
    assert_eq!(out.summary.cpu_over.seconds, 600.0);
    let json = String::from_utf8(asgsim::report::summary_json(&out.summary)).unwrap();
    assert!(json.contains("\"cpu_over_90_s\": 600.0,"), "{json}");
}

/// `[slo] cpu_percent` sets the threshold, and the name of the figure with it.
#[test]
fn the_cpu_threshold_comes_from_the_slo() {
    let out = crate::common::simulate(&cpu_case("[slo]\ncpu_percent = 80"), 1);
    assert_eq!(
        out.summary.cpu_over.seconds, 1800.0,
        "85.3% and 95.1% are both above 80%"
    );
    let json = String::from_utf8(asgsim::report::summary_json(&out.summary)).unwrap();
    assert!(json.contains("\"cpu_over_80_s\": 1800.0,"), "{json}");
    let out = crate::common::simulate(&cpu_case("[slo]\ncpu_percent = 99.5"), 1);
    assert_eq!(out.summary.cpu_over.seconds, 0.0);
    assert_eq!(out.summary.cpu_over.name(), "cpu_over_99.5_s");
}

/// results.csv names the CPU column by the sweep's threshold; a sweep cannot vary it.
#[test]
fn sweeps_name_the_cpu_column_by_their_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo_root().join("scenarios/seed-workflow.toml");
    let write = |body: &str| {
        std::fs::write(
            dir.path().join("s.toml"),
            format!("scenario = {:?}\n{body}", scenario.to_str().unwrap()),
        )
        .unwrap();
    };
    write(
        "[set]\nduration = \"1h\"\n\"slo.cpu_percent\" = 80\n[parameters]\n\"group.max_size\" = [6, 8]\n",
    );
    let out = asgsim(dir.path(), &["-q", "sweep", "s.toml", "-o", "a"]);
    assert!(out.status.success(), "{}", texts(&out).1);
    let results = std::fs::read_to_string(dir.path().join("a/results.csv")).unwrap();
    let header = results.lines().next().unwrap();
    assert!(
        header.contains(",instances_launched,cpu_over_80_s,"),
        "{header}"
    );

    write("[set]\nduration = \"1h\"\n[parameters]\n\"slo.cpu_percent\" = [80, 90]\n");
    let out = asgsim(dir.path(), &["sweep", "s.toml", "-o", "b"]);
    let (_, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("slo.cpu_percent is 90 here but 80"),
        "{stderr}"
    );
}
