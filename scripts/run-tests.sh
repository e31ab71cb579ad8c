#!/usr/bin/env bash
# Runs the whole suite (XCTest, then Swift Testing) and ends with one plain summary line,
# "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests || exit 1
log=$(mktemp)
swift test --skip-build --disable-swift-testing 2>&1 | tee "$log"
xctest_status=${PIPESTATUS[0]}
summary=$(grep -E "^\s*Executed [0-9]+ tests?, with " "$log" | tail -1)
if [ -z "$summary" ]; then
  echo "tests: no XCTest summary found"
  rm -f "$log"
  exit 1
fi
total=$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
# XCTest's summary counts failed assertions; count the failed test cases instead.
failed=$(grep -cE "^Test Case '.*' failed \(" "$log")
skipped=0
if echo "$summary" | grep -qE "[0-9]+ tests? skipped"; then
  skipped=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests? skipped.*/\1/')
fi

# Swift Testing (the controller and client targets). Its closing line is
# "Test run with N tests in M suites passed|failed after …"; failed tests each print
# "Test NAME failed after …", skipped ones "Test NAME skipped".
swift test --skip-build --disable-xctest 2>&1 | tee "$log"
testing_status=${PIPESTATUS[0]}
st_summary=$(grep -E "Test run with [0-9]+ tests?" "$log" | tail -1)
if [ -z "$st_summary" ]; then
  echo "tests: no Swift Testing summary found"
  rm -f "$log"
  exit 1
fi
st_total=$(echo "$st_summary" | sed -E 's/.*Test run with ([0-9]+) tests?.*/\1/')
st_failed=$(grep -cE "Test [^ ].* failed after" "$log" | head -1)
st_failed=$((st_failed - $(grep -cE "Test run with .* failed after" "$log")))
st_skipped=$(grep -cE "Test [^ ].* skipped" "$log")
rm -f "$log"

total=$((total + st_total))
failed=$((failed + st_failed))
skipped=$((skipped + st_skipped))
echo "tests: $((total - failed - skipped)) passed, $failed failed, $skipped skipped"
[ "$xctest_status" -eq 0 ] && [ "$testing_status" -eq 0 ] && [ "$failed" -eq 0 ]
