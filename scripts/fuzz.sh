#!/usr/bin/env bash
# Fuzzes the parsers that read untrusted input with libFuzzer (make fuzz).
#   FUZZ_SECONDS  seconds per target (default 60)
#   FUZZ_TARGETS  targets to run (default: jinja yaml ini kv vault json)
# Build: .build-fuzz (debug, -sanitize=fuzzer,address). Seeds come from the test
# fixtures; new corpus entries stay in .build-fuzz/corpus, crashes in .build-fuzz/artifacts.
# A crash input replays in an ordinary build with:
#   TROUPE_FUZZ_TARGET=yaml .build/debug/troupe-fuzz CRASH-FILE
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-"jinja yaml ini kv vault json"}
build=.build-fuzz

swift build --product troupe-fuzz --build-path "$build" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING
binary=$("$(command -v swift)" build --product troupe-fuzz --build-path "$build" --show-bin-path \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING)/troupe-fuzz

seed() {  # seed TARGET: copies fixture files into the target's seed directory
  local dir="$build/seeds/$1"
  rm -rf "$dir" && mkdir -p "$dir"
  case $1 in
    yaml) find Tests/TroupeTests/Fixtures examples -name '*.yml' -size -64k -exec cp -t "$dir" --backup=numbered {} + ;;
    ini) find Tests/TroupeTests/Fixtures/inventory inventory -type f ! -name '*.yml' ! -name '*.json' -size -64k \
           -exec cp -t "$dir" --backup=numbered {} + ;;
    vault) cp Tests/TroupeTests/Fixtures/vault/*.txt Tests/TroupeTests/Fixtures/vault/*.yml "$dir" ;;
    json) find Tests/TroupeTests/Fixtures -name '*.json' -size -64k -exec cp -t "$dir" --backup=numbered {} + ;;
    jinja|kv)
      python3 - "$1" "$dir" <<'PY'
import glob, json, re, sys
target, out = sys.argv[1], sys.argv[2]
n = 0
if target == "jinja":
    for path in glob.glob("Tests/JinjaTests/Corpus/*.jsonl"):
        for line in open(path):
            open("%s/%d" % (out, n), "w").write(json.loads(line)["template"]); n += 1
else:
    for path in glob.glob("Tests/TroupeTests/Fixtures/**/*.yml", recursive=True):
        for m in re.finditer(r"^\s*-?\s*[\w.]+: (\S+=.*)$", open(path, errors="replace").read(), re.M):
            open("%s/%d" % (out, n), "w").write(m.group(1)); n += 1
PY
      ;;
  esac
}

summary=()
for target in $targets; do
  seed "$target"
  corpus="$build/corpus/$target" artifacts="$build/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  log="$build/fuzz-$target.log"
  echo "== fuzzing $target for ${seconds}s"
  status=0
  TROUPE_FUZZ_TARGET=$target "$binary" "$corpus" "$build/seeds/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
    -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  crashes=$(find "$artifacts" -type f | wc -l)
  summary+=("$target: $runs executions, $crashes crash/timeout/oom inputs, exit $status")
  [ "$status" -eq 0 ] || tail -40 "$log"
done
printf '%s\n' "${summary[@]}"
