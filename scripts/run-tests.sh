#!/usr/bin/env bash
# Runs the whole suite (XCTest) and ends with one plain summary line, "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests || exit 1
log=$(mktemp)
swift test --skip-build --disable-swift-testing 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary=$(grep -E "^\s*Executed [0-9]+ tests?, with " "$log" | tail -1)
rm -f "$log"
if [ -z "$summary" ]; then
  echo "tests: no XCTest summary found"
  exit 1
fi
total=$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) failures?.*/\1/')
skipped=0
if echo "$summary" | grep -qE "[0-9]+ tests? skipped"; then
  skipped=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests? skipped.*/\1/')
fi
echo "tests: $((total - failed - skipped)) passed, $failed failed, $skipped skipped"
exit "$status"
