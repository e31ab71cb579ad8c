#!/usr/bin/env bash
# `make bench`: the local benchmark (and the SSH one when `make lab` hosts are up).
set -euo pipefail
cd "$(dirname "$0")/.."
# The tools compared with (PyPI); make test does not need them, so install-deps.sh leaves them out.
bench_missing=()
command -v ansible-playbook >/dev/null 2>&1 || bench_missing+=("ansible-core>=2.19,<2.20")
python3 -c 'import ansible_mitogen' >/dev/null 2>&1 || bench_missing+=("mitogen")
command -v pyinfra >/dev/null 2>&1 || bench_missing+=("pyinfra")
if [ ${#bench_missing[@]} -gt 0 ]; then
  echo "installing (pip): ${bench_missing[*]}"
  python3 -m pip install --quiet "${bench_missing[@]}" || python3 -m pip install --quiet --break-system-packages "${bench_missing[@]}"
fi
python3 benchmarks/bench.py local "$@"
if [ -f lab/inventory.ini ]; then python3 benchmarks/bench.py ssh "$@"; fi
bash benchmarks/jinja/run.sh
