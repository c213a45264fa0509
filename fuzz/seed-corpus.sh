#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's own inputs (scenarios, traces, sweep
# files) and a few hand-written lines, so that each campaign starts from valid inputs.
# libFuzzer adds what it finds to the same folders.
set -euo pipefail
cd "$(dirname "$0")"
root=..
seed() { mkdir -p "corpus/$1"; printf '%b' "$3" > "corpus/$1/$2"; }
mkdir -p corpus/{scenario,simulate,trace,sweep,shard,duration,schedule,objective,journal}
mkdir -p corpus/{import_aws,metrics,terraform,activities}
for f in "$root"/scenarios/*.toml "$root"/tests/scenarios/*.toml "$root"/benches/scenarios/*.toml; do
  name=$(basename "$f")
  if grep -q '^\[parameters\]' "$f"; then
    cp "$f" "corpus/sweep/$name"
  else
    cp "$f" "corpus/scenario/$name"
    cp "$f" "corpus/simulate/$name"
  fi
done
for f in "$root"/scenarios/traces/*.csv "$root"/tests/scenarios/traces/*.csv; do
  # The first 200 lines: libFuzzer works best on small inputs.
  head -n 200 "$f" > "corpus/trace/$(basename "$f")"
done
seed scenario set-overrides 'name = "x"\nduration = "1h"\n[group]\nmin_size = 1\nmax_size = 3\n[launch_template]\ncapacity_rps = 100\n[load]\npattern = { kind = "constant", rate = 50 }\n\0group.max_size=5\nalarms.High.threshold=80\n'
seed shard flag '2/3\n'
seed shard k8s '\nJOB_COMPLETION_INDEX=1\nASGSIM_SHARDS=3\n'
seed shard batch '\nAWS_BATCH_JOB_ARRAY_INDEX=2\nAWS_BATCH_JOB_ARRAY_SIZE=3\n'
seed shard slurm '\nSLURM_ARRAY_TASK_ID=4\nSLURM_ARRAY_TASK_COUNT=3\nSLURM_ARRAY_TASK_MIN=0\nSLURM_ARRAY_TASK_MAX=8\nSLURM_ARRAY_TASK_STEP=4\n'
for d in 90s 5m 2h 7d 250ms 1.5s 0.5h 120; do seed duration "$d" "$d"; done
seed schedule weekdays '0 18 * * MON-FRI\nAmerica/New_York\n2025-01-06T00:00:00Z\n2025-03-01T00:00:00Z\n'
seed schedule steps '*/15 9-17 1,15 */2 *\nEurope/Paris\n\n\n'
seed schedule once '\nUTC\n2025-01-07T08:00:00Z\n\n'
seed objective plain 'min:cost_usd'
seed objective conditions 'min:cost_usd where slo_violation_pct <= 1 and requests_dropped_pct < 0.5'
seed objective max 'max:elastic_speedup_fixed where cost_usd <= 20'
# The importers' own fixtures (made by the real AWS CLI against moto) and the worked example.
for f in "$root"/tests/fixtures/aws/describe-*.json "$root"/scenarios/imported/aws/describe-*.json; do
  cp "$f" "corpus/import_aws/$(basename "$(dirname "$(dirname "$f")")")-$(basename "$f")"
done
# Every describe-* file of a group in one input, NUL-separated, as the importer takes a set.
for d in "$root"/tests/fixtures/aws "$root"/scenarios/imported/aws; do
  for f in "$d"/describe-*.json; do cat "$f"; printf '\0'; done > "corpus/import_aws/all-$(basename "$(dirname "$d")")"
done
for f in "$root"/tests/fixtures/aws/get-metric-*.json; do cp "$f" "corpus/metrics/$(basename "$f")"; done
# The worked example's pages and activities, cut to a few entries (libFuzzer works best on
# small inputs) but still whole JSON.
python3 - "$root" <<'PY'
import json, sys
root = sys.argv[1]
for name in ("requests-page1", "requests-page2"):
    doc = json.load(open(f"{root}/scenarios/imported/metrics/{name}.json"))
    for r in doc.get("MetricDataResults", []):
        r["Timestamps"], r["Values"] = r["Timestamps"][:12], r["Values"][:12]
    json.dump(doc, open(f"corpus/metrics/imported-{name}.json", "w"), indent=1)
doc = json.load(open(f"{root}/scenarios/imported/actual/activities.json"))
doc["Activities"] = doc["Activities"][:6]
json.dump(doc, open("corpus/activities/imported.json", "w"), indent=1)
PY
for d in "$root"/tests/fixtures/terraform/*/; do
  cat "$d"/*.tf > "corpus/terraform/$(basename "$d").tf"
done
seed activities asgsim '{"Activities": [{"AutoScalingGroupName": "code-api", "Cause": "At 2025-01-06T08:00:00Z a user request update of AutoScalingGroup constraints to min: 2, max: 10, desired: 4 changing the desired capacity from 2 to 4.", "StartTime": "2025-01-06T08:00:00Z"}]}'
seed journal rows '3,1,1.5\n1,1,2.25\n2,2,0.75\n'
seed journal torn '1,1,2.0\n2,1,3.'
echo "seeded $(find corpus -type f | wc -l) inputs in fuzz/corpus/"
