#!/usr/bin/env bash
# Controller figures:
# - jobs (issue #15): launch → first event, launch → successful, event ingestion into
#   SQLite and PostgreSQL, RSS (JobsBenchmarkTests at full size, TROUPE_BENCH=1);
#   PostgreSQL 15 is started in a temporary cluster and removed afterwards.
# - cluster (issue #16): cluster.py (jobs/min with 1, 2, 3 nodes, launch → running) and
#   ClaimBenchmarkTests (claims/s of the claim transaction from 3 nodes at once).
# - client (issue #17): the median of a small GET over loopback and how far the event
#   stream runs behind the server, measured against the loopback test controller.
#   benchmarks/controller/run.sh            # debug build (what the tests use)
#   CONFIG=release benchmarks/controller/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
config=${CONFIG:-debug}
swift build -c "$config" --build-tests >/dev/null
filter='TroupeControllerTests.JobsBenchmarkTests'
echo "== jobs, SQLite"
TROUPE_BENCH=1 swift test -c "$config" --skip-build --filter "$filter" 2>&1 | grep '^BENCH' || true

pg=/usr/lib/postgresql/15/bin
if [ -x "$pg/initdb" ]; then
  dir=$(mktemp -d)
  chown postgres "$dir" 2>/dev/null || true
  as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
  as_pg "$pg/initdb -D $dir/data -A trust -U troupe >/dev/null"
  port=55432
  as_pg "$pg/pg_ctl -D $dir/data -o '-p $port -k $dir' -l $dir/log start -w >/dev/null"
  trap 'as_pg "$pg/pg_ctl -D $dir/data stop -m fast >/dev/null"; rm -rf "$dir"' EXIT
  echo "== jobs, PostgreSQL 15"
  TROUPE_BENCH=1 TROUPE_TEST_POSTGRES="postgres://troupe@127.0.0.1:$port/postgres?sslmode=disable" \
    swift test -c "$config" --skip-build --filter "$filter/testIngestionThroughputWithoutLoss" 2>&1 | grep '^BENCH' || true
fi

echo "== client"
TROUPE_BENCH=1 swift test -c "$config" --skip-build --disable-xctest --filter ClientBenchmarks 2>&1 | grep -E "^bench:|passed|failed"

echo "== cluster (issue #16): 1/2/3 nodes on PostgreSQL, claim path"
python3 benchmarks/controller/cluster.py --server ".build/$config/troupe-server"
TROUPE_BENCH=1 swift test -c "$config" --skip-build --filter 'TroupeControllerTests.ClaimBenchmarkTests' 2>&1 | grep '^BENCH' || true
