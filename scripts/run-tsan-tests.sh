#!/usr/bin/env bash
# ThreadSanitizer over the executor, worker and SSH tests (issue #13). Its own scratch
# directory (.build-tsan), so the ordinary debug build is untouched. Fails on any
# ThreadSanitizer report, from the test process or from worker processes (their stderr
# is the test's). TROUPE_SKIP_TSAN=1 skips it.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "${TROUPE_SKIP_TSAN:-0}" = "1" ]; then
  echo "tsan: skipped (TROUPE_SKIP_TSAN=1)"
  exit 0
fi
# The classes that drive the strategies, the host-task pool, worker processes and SSH
# connections; the rest of the suite (modules, Jinja, parsing) is single-threaded code.
filter='TroupeTests\.(ConcurrentPlaysTests|ExecutorTests|AsyncRunTests|StepStrategyAsyncTests|RemotePlaybookTests|RunnerCancelTests|SSHConnectionTests)'
start=$(date +%s)
swift build --build-tests --sanitize=thread --scratch-path .build-tsan >/dev/null || {
  echo "tsan: build failed"
  exit 1
}
log=$(mktemp)
TSAN_OPTIONS="halt_on_error=0 ${TSAN_OPTIONS:-}" \
  swift test --skip-build --sanitize=thread --scratch-path .build-tsan --disable-swift-testing --filter "$filter" >"$log" 2>&1
status=$?
reports=$(grep -c "WARNING: ThreadSanitizer" "$log")
summary=$(grep -E "^\s*Executed [0-9]+ tests?, with " "$log" | tail -1)
if [ "$reports" -gt 0 ] || [ "$status" -ne 0 ]; then
  # The reports (and failures) themselves, not the whole log.
  grep -E -A30 "WARNING: ThreadSanitizer" "$log" | head -400
  grep -E "error: |failed \(" "$log" | head -40
fi
rm -f "$log"
echo "tsan: ${summary:-no XCTest summary}; $reports ThreadSanitizer reports; $(( $(date +%s) - start )) s"
[ "$reports" -eq 0 ] && [ "$status" -eq 0 ]
