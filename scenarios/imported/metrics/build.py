#!/usr/bin/env python3
"""Builds the worked example's week of CloudWatch metrics: the load balancer's RequestCount
(Sum per minute) for 2024-05-10 to 2024-05-17 UTC, from the Azure LLM code-completion trace
in scenarios/traces (CC BY 4.0; see scenarios/traces/README.md for its source and
attribution). Each minute's count is the trace's rate times 60 (the trace is counts per
minute divided by 60, rounded to 4 decimals, so this gives the counts back).

The JSON is what `aws cloudwatch get-metric-data --output json` prints for
  --metric-data-queries '[{"Id": "requests", "MetricStat": {"Metric": {"Namespace":
    "AWS/ApplicationELB", "MetricName": "RequestCount", "Dimensions": [{"Name":
    "LoadBalancer", "Value": "app/code-api/..."}]}, "Period": 60, "Stat": "Sum"}}]'
newest first, in two pages (the second as `--starting-token` gives it), as a real export of
a week at one-minute resolution may come.

    python3 scenarios/imported/metrics/build.py
"""
import json
import os
from datetime import datetime, timedelta, timezone

here = os.path.dirname(os.path.abspath(__file__))
trace = os.path.join(here, "..", "..", "traces", "azure_llm_code_2024_05.csv")
start = datetime(2024, 5, 10, tzinfo=timezone.utc)

points = []
with open(trace) as f:
    next(f)
    for line in f:
        time_s, rate = line.strip().split(",")[:2]
        t = start + timedelta(seconds=int(time_s))
        points.append((t.strftime("%Y-%m-%dT%H:%M:%S+00:00"), float(round(float(rate) * 60))))
points.reverse()  # CloudWatch returns the newest datapoint first.

half = len(points) // 2
pages = [(points[:half], "eyJ2IjoxLCJ0IjoiMjAyNC0wNS0xM1QyMzo1OTowMFoifQ=="), (points[half:], None)]
for n, (page, token) in enumerate(pages, 1):
    doc = {
        "MetricDataResults": [
            {
                "Id": "requests",
                "Label": "RequestCount",
                "Timestamps": [t for t, _ in page],
                "Values": [v for _, v in page],
                "StatusCode": "PartialData" if token else "Complete",
            }
        ],
        "Messages": [],
    }
    if token:
        doc["NextToken"] = token
    with open(os.path.join(here, f"requests-page{n}.json"), "w") as f:
        json.dump(doc, f, indent=4)
        f.write("\n")
print(f"wrote {len(points)} datapoints in {len(pages)} pages to {here}")
