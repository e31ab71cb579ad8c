#!/usr/bin/env bash
# Controller job figures (issue #15): launch → first event, launch → successful, event
# ingestion into SQLite and PostgreSQL, RSS. Runs the JobsBenchmarkTests at full size
# (TROUPE_BENCH=1) on the debug build unless BUILD=release; PostgreSQL 15 is started in a
# temporary cluster and removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The job machinery is still behind TROUPE_JOBS_SQL (see README, "Controller jobs").
swift build --build-tests -Xswiftc -DTROUPE_JOBS_SQL ${BUILD:+-c $BUILD} >/dev/null
filter='TroupeControllerTests.JobsBenchmarkTests'
echo "== SQLite"
TROUPE_BENCH=1 swift test --skip-build ${BUILD:+-c $BUILD} --filter "$filter" 2>&1 | grep '^BENCH'

pg=/usr/lib/postgresql/15/bin
if [ -x "$pg/initdb" ]; then
  dir=$(mktemp -d)
  chown postgres "$dir" 2>/dev/null || true
  as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
  as_pg "$pg/initdb -D $dir/data -A trust -U troupe >/dev/null"
  port=55432
  as_pg "$pg/pg_ctl -D $dir/data -o '-p $port -k $dir' -l $dir/log start -w >/dev/null"
  trap 'as_pg "$pg/pg_ctl -D $dir/data stop -m fast >/dev/null"; rm -rf "$dir"' EXIT
  echo "== PostgreSQL 15"
  TROUPE_BENCH=1 TROUPE_TEST_POSTGRES="postgres://troupe@127.0.0.1:$port/postgres?sslmode=disable" \
    swift test --skip-build ${BUILD:+-c $BUILD} --filter "$filter/testIngestionThroughputWithoutLoss" 2>&1 | grep '^BENCH'
fi
