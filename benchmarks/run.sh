#!/usr/bin/env bash
# `make bench`: the local benchmark (and the SSH one when `make lab` hosts are up).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 benchmarks/bench.py local "$@"
if [ -f lab/inventory.ini ]; then python3 benchmarks/bench.py ssh "$@"; fi
bash benchmarks/jinja/run.sh
