#!/usr/bin/env bash
# Template engine benchmark: troupe's Jinja engine vs Python Jinja2, same workloads, same run.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-2}"
[ -x .build/release/troupe ] || swift build -c release --product troupe
ours=$(.build/release/troupe bench-jinja --seconds "$seconds")
theirs=$(python3 benchmarks/jinja/bench.py "$seconds")
echo "troupe:        $(echo "$ours" | tr '\n' ' ')"
echo "python jinja2: $(echo "$theirs" | tr '\n' ' ')"
python3 - "$ours" "$theirs" <<'PY'
import sys
parse = lambda s: {k: float(v) for k, v in (l.split() for l in s.strip().splitlines())}
ours, theirs = parse(sys.argv[1]), parse(sys.argv[2])
for key in sorted(set(ours) & set(theirs)):
    print(f"{key}: troupe {ours[key]:,.0f} vs jinja2 {theirs[key]:,.0f} -> {ours[key] / theirs[key]:.1f}x")
PY
