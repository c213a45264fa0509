#!/usr/bin/env bash
# A fuzzing campaign over every target (or the TARGETs named): SECONDS each (default 240), one
# after the other on one core, at the lowest priority, from the seeded corpus. Prints one line
# per target: executions, the rate, the coverage reached and whether it crashed. Run from
# anywhere; needs cargo-fuzz.
#   fuzz/campaign.sh 180                  # 13 targets × 3 min = 39 min
#   fuzz/campaign.sh 600 scenario sweep   # two of them, 10 min each
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-240}
shift || true
targets=(scenario simulate trace sweep shard duration schedule objective journal
  import_aws metrics terraform activities)
build=("")   # every target
if [ $# -gt 0 ]; then targets=("$@"); build=("$@"); fi
export RUSTC_BOOTSTRAP=1
# One core at the lowest priority, for the build as for the runs: the machine is shared.
for t in "${build[@]}"; do
  # shellcheck disable=SC2086 # an empty $t builds every target
  CARGO_BUILD_JOBS=1 nice -n 19 cargo fuzz build -O $t >/dev/null 2>&1 ||
    { echo "campaign: cargo fuzz build $t failed" >&2; exit 1; }
done
fuzz/seed-corpus.sh >/dev/null   # adds the seeds (again): cheap, and new targets get theirs
logs=fuzz/artifacts/logs
mkdir -p "$logs"
status=0
started=$(date +%s)
printf '%-10s %14s %10s %8s %8s  %s\n' target executions per_s cov features result
for t in "${targets[@]}"; do
  log="$logs/$t.log"
  nice -n 19 cargo fuzz run -O "$t" -- -max_total_time="$seconds" -print_final_stats=1 \
    -rss_limit_mb=2048 -timeout=10 >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  result=ok
  if [ "$rc" -ne 0 ]; then
    result="CRASH (exit $rc): $(grep -m1 -o 'fuzz/artifacts/[^ ]*' "$log" || echo "see $log")"
    status=1
  fi
  printf '%-10s %14s %10s %8s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$result"
done
echo "campaign: $(( ($(date +%s) - started) / 60 )) min wall time, logs in $logs"
exit $status
