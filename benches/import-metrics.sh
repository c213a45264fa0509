#!/usr/bin/env bash
# Time and peak memory of `asgsim import metrics` on a 4-week, 1-minute export (40,320 points
# per series): the World Cup 98 trace's first 28 days (scenarios are not needed; the trace is
# in ../shared/traces or given as $TRACE) as RequestCount, with CPUUtilization and
# GroupInServiceInstances series beside it, in 4 pages newest first, as get-metric-data
# returns them. Needs python3 and GNU time (/usr/bin/time).
#
#   benches/import-metrics.sh            # prints the elapsed time and the peak RSS of 5 runs
set -euo pipefail
cd "$(dirname "$0")/.."
trace=${TRACE:-../shared/traces/worldcup98_1998-06-09_07-13.csv}
[ -f "$trace" ] || trace=/work/shared/traces/worldcup98_1998-06-09_07-13.csv
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$trace" "$work" <<'PY'
import json, sys, math
from datetime import datetime, timedelta, timezone
trace, out = sys.argv[1], sys.argv[2]
rows = []
with open(trace) as f:
    next(f)
    for line in f:
        t, r = line.split(",")[:2]
        rows.append(float(r))
        if len(rows) == 40320:
            break
start = datetime(1998, 6, 8, 22, tzinfo=timezone.utc)
stamp = lambda i: (start + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
series = {
    "requests": [round(r * 60) for r in rows],
    "cpu": [round(min(100.0, 2 + 98 * r / (40 * max(1, math.ceil(r / 70)))), 3) for r in rows],
    "in_service": [max(1, math.ceil(r / 70)) for r in rows],
}
idx = list(range(len(rows)))[::-1]
for page in range(4):
    part = idx[page * 10080:(page + 1) * 10080]
    doc = {"MetricDataResults": [
        {"Id": k, "Label": {"requests": "RequestCount", "cpu": "CPUUtilization", "in_service": "GroupInServiceInstances"}[k],
         "Timestamps": [stamp(i) for i in part], "Values": [float(v[i]) for i in part], "StatusCode": "Complete"}
        for k, v in series.items()], "Messages": []}
    json.dump(doc, open(f"{out}/page{page + 1}.json", "w"), indent=4)
PY
ls -la "$work"/*.json | awk '{s+=$5} END {printf "input: 4 files, %.1f MB, 3 series x 40320 points\n", s/1e6}'
for i in 1 2 3 4 5; do
  /usr/bin/time -f "%e s elapsed, %M KB peak RSS" target/release/asgsim import metrics "$work"/page*.json --out "$work/trace.csv" 2>&1 >/dev/null | tail -1
done
wc -l < "$work/trace.csv" | awk '{print "output rows (with header): " $1}'
