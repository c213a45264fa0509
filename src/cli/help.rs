//! What `--help` shows after the options: examples, exit codes and the environment each
//! command reads.

/// Exit codes, the same for every command.
macro_rules! exit_codes {
    () => {
        "Exit codes:
  0  success
  1  anything else (a file that cannot be written, ...)
  2  bad input: usage, scenario, trace, sweep file; the message names the file, line and key
     (FILE:LINE:COL: error: ...), what is wrong and what would be right"
    };
}

/// The environment every command reads.
macro_rules! env_common {
    () => {
        "  NO_COLOR           any value but empty: no colour in messages (unless --color always)"
    };
}

/// After `asgsim --help`.
pub(super) const TOP: &str = concat!(
    "Examples:
  asgsim run scenarios/seed-workflow.toml --explain
  asgsim validate scenarios/llm-inference-week.toml
  asgsim compare scenarios/seed-workflow.toml@alarms.HighCPU.threshold=70 scenarios/seed-workflow.toml
  asgsim sweep scenarios/sweep-seed-workflow.toml -j 4
  asgsim completions bash > ~/.local/share/bash-completion/completions/asgsim

",
    exit_codes!(),
    "

Environment:
",
    env_common!(),
    "
  ASGSIM_JOBS        sweep threads when -j is not given (see asgsim sweep --help)"
);

/// After `asgsim run --help`.
pub(super) const RUN: &str = concat!(
    "Examples:
  asgsim run scenarios/seed-workflow.toml                 # writes output/seed-workflow/
  asgsim run scenarios/seed-workflow.toml --explain       # one sentence per decision
  asgsim run scenarios/seed-workflow.toml --seed 8 --set alarms.HighCPU.threshold=80 -o /tmp/x
  asgsim run scenarios/seed-workflow.toml --json -q | jq .cost_usd
  cat my.toml | asgsim run -                              # the scenario from standard input
  asgsim run my.toml --set load.trace=- < last-week.csv   # the trace from standard input

",
    exit_codes!(),
    "

Environment:
",
    env_common!()
);

/// After `asgsim validate --help`.
pub(super) const VALIDATE: &str = concat!(
    "Examples:
  asgsim validate scenarios/llm-inference-week.toml
  asgsim validate my.toml --set group.max_size=40

",
    exit_codes!(),
    "

Environment:
",
    env_common!()
);

/// After `asgsim compare --help`.
pub(super) const COMPARE: &str = concat!(
    "Examples:
  asgsim compare scenarios/seed-workflow.toml scenarios/target-tracking.toml --set duration=1d
  # the same scenario at two thresholds, no copied files:
  asgsim compare scenarios/seed-workflow.toml@alarms.HighCPU.threshold=50 \\
                 scenarios/seed-workflow.toml@alarms.HighCPU.threshold=70
  asgsim compare a.toml b.toml --json | jq '.[] | {scenario, cost_usd, slo_violation_s}'

Scenarios of different durations or loads are compared with a warning: totals grow with the
time simulated, and different loads are different traffic.

",
    exit_codes!(),
    "

Environment:
",
    env_common!()
);

/// After `asgsim sweep --help`.
pub(super) const SWEEP: &str = concat!(
    "Examples:
  asgsim sweep scenarios/sweep-seed-workflow.toml
  asgsim sweep scenarios/sweep-seed-workflow.toml -j 8 --objective 'min:cost_usd where slo_violation_pct <= 1'
  asgsim sweep scenarios/sweep-seed-workflow.toml --shard 2/3 --resume   # one machine of three
  asgsim sweep scenarios/sweep-seed-workflow.toml --json -q > results.json

",
    exit_codes!(),
    "

Environment:
  ASGSIM_JOBS                 worker threads when -j is not given
  RAYON_NUM_THREADS           worker threads when neither -j nor ASGSIM_JOBS is given
                              (default: every core; never more than the runs, nor 4 per core)
  ASGSIM_PROGRESS_INTERVAL    progress lines when stderr is not a terminal: every 10s by
                              default (30s, 1m, ...; 0 turns them off)
  ASGSIM_SHARDS               the number of shards when --shards is not given
  JOB_COMPLETION_INDEX        Kubernetes Indexed Job: this shard's index, from 0
  AWS_BATCH_JOB_ARRAY_INDEX   AWS Batch array job: this shard's index, from 0
  AWS_BATCH_JOB_ARRAY_SIZE    AWS Batch array job: the number of shards
  SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_STEP
                              Slurm job array (--array=A-B or A-B:S): this shard and their number
  NO_COLOR                    any value but empty: no colour in messages (unless --color always)"
);

/// After `asgsim merge --help`.
pub(super) const MERGE: &str = concat!(
    "Examples:
  asgsim sweep scenarios/sweep-seed-workflow.toml --shard 1/2
  asgsim sweep scenarios/sweep-seed-workflow.toml --shard 2/2
  asgsim merge output/sweep-seed-workflow/shard-1-of-2 output/sweep-seed-workflow/shard-2-of-2 \\
               -o output/sweep-seed-workflow

",
    exit_codes!(),
    "

Environment:
",
    env_common!()
);

/// After `asgsim serve --help`.
pub(super) const SERVE: &str = concat!(
    "Examples:
  asgsim serve                                   # the bundled scenarios, on http://127.0.0.1:8765/
  asgsim serve scenarios/seed-workflow.toml --port 0    # one scenario, any free port
  then open the address printed, e.g.
  http://127.0.0.1:8765/play?scenario=seed-workflow.toml&set=alarms.HighCPU.threshold=70

It listens on 127.0.0.1 only, reads only the scenarios under the folder given (and the traces
they name), writes no file, and stops with Ctrl-C.

",
    exit_codes!()
);

/// After `asgsim completions --help`.
pub(super) const COMPLETIONS: &str = concat!(
    "Examples:
  asgsim completions bash > ~/.local/share/bash-completion/completions/asgsim
  asgsim completions zsh > ~/.zfunc/_asgsim        # with fpath+=(~/.zfunc) in ~/.zshrc
  asgsim completions fish > ~/.config/fish/completions/asgsim.fish

",
    exit_codes!()
);

/// After `asgsim man --help`.
pub(super) const MAN: &str = concat!(
    "Examples:
  asgsim man | man -l -
  asgsim man sweep > asgsim-sweep.1
  mkdir -p ~/.local/share/man/man1 && for c in '' run validate compare sweep merge; do
    asgsim man $c > ~/.local/share/man/man1/asgsim${c:+-$c}.1; done

",
    exit_codes!()
);
