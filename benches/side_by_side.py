#!/usr/bin/env python3
"""asgsim end to end against a plain SimPy model of the same group, side by side.

Times `asgsim run` (release build, default outputs: timeline, activities, instances, summary,
PNG and SVG) and the SimPy model on the same two scenarios, and prints, per scenario, the
median wall time, the CPU time, the peak resident memory of each, and the ratios:

  year      one simulated year, diurnal load, min 2 / max 20, the seed workflow's policies,
            30-day MTBF (benches/scenarios/peer-year.toml)
  30d-x100  the same group scaled a hundredfold over 30 days, about 300 to 1,500 instances
            (benches/scenarios/peer-30d-x100.toml)

The SimPy model is not part of this repository: pass its folder with --peer (or SIMPY_PEER);
it needs `pip install simpy==4.1.2`. Without it, only asgsim is timed. `--extra` adds
asgsim-only figures: a year at sample_interval = 1s, validation of 50,000 scripted events,
and a sweep's runs per second over a one-minute and a one-second week-long trace.

Usage: python3 benches/side_by_side.py [--repeats N] [--peer DIR] [--extra]
Each run is one process; wall time is measured around it, CPU time and peak memory come from
wait4(2). Quote medians: the host may be shared.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASGSIM = ROOT / "target" / "release" / "asgsim"
SCENARIOS = ROOT / "benches" / "scenarios"

# The SimPy model's arguments for the same two scenarios (its README's benchmark commands).
SIMPY_COMMON = [
    "--diurnal", "--peak", "1000", "--min", "2", "--max", "20", "--desired", "2",
    "--capacity-rps", "100", "--out-thr", "75", "--in-thr", "30", "--out-adj", "2",
    "--in-adj", "-1", "--cooldown", "300", "--boot", "90", "--mtbf-days", "30", "--seed", "1",
]
CASES = [
    ("year", "peer-year.toml", ["--days", "365"]),
    ("30d-x100", "peer-30d-x100.toml", ["--days", "30", "--instances-scale", "100"]),
]


def measure(command, cwd=None):
    """Runs `command` once; returns (wall s, cpu s, peak RSS MiB) or raises on failure."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{stderr}")
    # ru_maxrss is in KiB on Linux.
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def repeat(command, repeats, cwd=None):
    """Medians of wall and CPU time and the highest peak RSS over `repeats` runs."""
    runs = [measure(command, cwd) for _ in range(repeats)]
    return (
        statistics.median(r[0] for r in runs),
        statistics.median(r[1] for r in runs),
        max(r[2] for r in runs),
        (min(r[0] for r in runs), max(r[0] for r in runs)),
    )


def find_peer(given):
    """The SimPy model's folder, or None."""
    candidates = [given, os.environ.get("SIMPY_PEER")]
    candidates += [ROOT.parent / "shared" / "peers", ROOT.parent.parent / "shared" / "peers"]
    for folder in candidates:
        if folder and (Path(folder) / "simpy_asg.py").is_file():
            return Path(folder)
    return None


def simpy_ready():
    probe = [sys.executable, "-c", "import simpy; print(simpy.__version__)"]
    result = subprocess.run(probe, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def row(scenario, tool, figures):
    wall, cpu, rss, (low, high) = figures
    print(
        f"{scenario:<10} {tool:<7} {wall:>8.3f} {low:>7.3f}-{high:<7.3f} {cpu:>7.3f} {rss:>9.1f}"
    )


def side_by_side(repeats, peer):
    version = simpy_ready() if peer else None
    if peer and not version:
        print("# SimPy is not installed: pip install simpy==4.1.2 (asgsim is timed alone)")
        peer = None
    elif not peer:
        print("# SimPy model not found: pass --peer DIR (or SIMPY_PEER); asgsim is timed alone")
    else:
        print(f"# SimPy model: {peer / 'simpy_asg.py'} (simpy {version}, {sys.version.split()[0]})")
    print(f"{'scenario':<10} {'tool':<7} {'wall_s':>8} {'min-max':^15} {'cpu_s':>7} {'peak_MiB':>9}")
    ratios = []
    with tempfile.TemporaryDirectory() as out:
        for name, scenario, simpy_args in CASES:
            command = [ASGSIM, "run", SCENARIOS / scenario, "--out", Path(out) / name]
            ours = repeat(command, repeats)
            row(name, "asgsim", ours)
            if peer:
                theirs = repeat(
                    [sys.executable, peer / "simpy_asg.py", *SIMPY_COMMON, *simpy_args],
                    max(1, min(repeats, 3)),
                    cwd=peer,
                )
                row(name, "SimPy", theirs)
                ratios.append((name, theirs[0] / ours[0], theirs[1] / ours[1], ours[2], theirs[2]))
    for name, wall_ratio, cpu_ratio, ours_rss, theirs_rss in ratios:
        print(
            f"{name:<10} asgsim is {wall_ratio:.1f}x faster (wall, medians), {cpu_ratio:.1f}x "
            f"(CPU); peak memory {ours_rss:.1f} MiB against {theirs_rss:.1f} MiB"
        )


def extra(repeats):
    """asgsim-only figures of issue 13's goals."""
    print("# asgsim alone")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        year = SCENARIOS / "peer-year.toml"
        command = [ASGSIM, "run", year, "--out", work / "y1s", "--set", "sample_interval=1s",
                   "--max-timeline-rows", "40000000"]
        wall, cpu, rss = measure(command)
        print(f"year at sample_interval = 1s: {wall:.1f} s wall, {cpu:.1f} s CPU, "
              f"peak {rss:.1f} MiB, timeline.csv {(work / 'y1s' / 'timeline.csv').stat().st_size / 1e9:.2f} GB")
        shutil.rmtree(work / "y1s")
        # The one-second year trace (31.5 million rows) under the year's group.
        trace = work / "year-1s.csv"
        with trace.open("w") as f:
            f.write("time_s,requests_per_s\n")
            day = [f"{150 + 850 * (1 - ((t % 86_400) / 43_200 - 1) ** 2):.2f}" for t in range(86_400)]
            for d in range(365):
                f.write("".join(f"{d * 86_400 + t},{r}\n" for t, r in enumerate(day)))
        text = year.read_text()
        lines = [f'trace = "{trace}"' if l.startswith("pattern =") else l
                 for l in text.splitlines() if not l.startswith("noise =")]
        (work / "year-1s-trace.toml").write_text("\n".join(lines) + "\n")
        wall, cpu, rss = measure([ASGSIM, "run", work / "year-1s-trace.toml", "--out", work / "yt"])
        print(f"year over a one-second trace ({trace.stat().st_size / 1e6:.0f} MB, 31.5 M rows): "
              f"{wall:.1f} s wall, {cpu:.1f} s CPU, peak {rss:.1f} MiB")
        trace.unlink()
        events = work / "events.toml"
        base = (ROOT / "scenarios" / "seed-workflow.toml").read_text().split("[[events]]")[0]
        with events.open("w") as f:
            f.write(base.replace('duration = "24h"', 'duration = "60d"'))
            for i in range(50_000):
                f.write(f'[[events]]\nat = "{60 + 60 * i}s"\naction = "set_desired_capacity"\n'
                        f'value = {2 + i % 4}\n\n')
        wall, cpu, rss = repeat([ASGSIM, "validate", events], repeats)[:3]
        print(f"validate 50,000 scripted events: {wall:.3f} s wall, {cpu:.3f} s CPU (medians), "
              f"peak {rss:.1f} MiB")
        for label, step in [("one-minute", 60), ("one-second", 1)]:
            trace = work / f"trace-{step}.csv"
            with trace.open("w") as f:
                f.write("time_s,requests_per_s\n")
                for t in range(0, 7 * 86_400, step):
                    f.write(f"{t},{150 + 270 * (1 + ((t % 86_400) / 43_200 - 1) ** 2):.3f}\n")
            # The seed workflow over the trace, without noise: the trace is shared as it is.
            scenario = work / f"seed-workflow-{step}.toml"
            text = (ROOT / "scenarios" / "seed-workflow.toml").read_text()
            lines = [f'trace = "{trace}"' if l.startswith("pattern =") else l
                     for l in text.splitlines() if not l.startswith("noise =")]
            scenario.write_text("\n".join(lines) + "\n")
            sweep = work / f"sweep-{step}.toml"
            sweep.write_text(
                f'scenario = "{scenario}"\nseeds = 20\n[set]\nduration = "7d"\n'
                '[parameters]\n"alarms.HighCPU.threshold" = [70, 75, 80]\n'
                '"scaling_policies.scale-out.cooldown" = ["120s", "300s", "600s"]\n'
            )
            for jobs in (1, 2):
                command = [ASGSIM, "sweep", sweep, "--jobs", str(jobs), "--no-plots",
                           "--out", work / f"sweep-{step}-{jobs}"]
                wall, cpu, rss = repeat(command, repeats)[:3]
                print(f"sweep of 180 week-long runs over a {label} trace, --jobs {jobs}: "
                      f"{180 / wall:.0f} runs/s (median {wall:.2f} s), {180 / cpu:.0f} runs per "
                      f"CPU second, peak {rss:.1f} MiB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--peer", help="folder of the SimPy model (simpy_asg.py)")
    parser.add_argument("--extra", action="store_true", help="also time asgsim-only goals")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"# {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}, {os.cpu_count()} CPUs ({cpu}), "
          f"{args.repeats} repeats, medians; load average {os.getloadavg()[0]:.1f} at the start")
    side_by_side(args.repeats, find_peer(args.peer))
    if args.extra:
        extra(args.repeats)


if __name__ == "__main__":
    main()
