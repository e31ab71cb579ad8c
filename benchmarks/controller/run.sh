#!/usr/bin/env bash
# Controller client figures: the median of a small GET over loopback and how far the event
# stream runs behind the server, measured against the loopback test controller.
#   benchmarks/controller/run.sh            # debug build (what the tests use)
#   CONFIG=release benchmarks/controller/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
config=${CONFIG:-debug}
swift build -c "$config" --build-tests
TROUPE_BENCH=1 swift test -c "$config" --skip-build --disable-xctest --filter ClientBenchmarks 2>&1 | grep -E "^bench:|passed|failed"
