#!/usr/bin/env bash
# Runs a command at top CPU priority on a shared machine (root only), so parallel builds
# yield the CPU to what is being timed:
#   bash benchmarks/priority.sh python3 benchmarks/bench.py ssh
#   bash benchmarks/priority.sh bash scripts/lab.sh start      # the lab's sshd too
# `nice -n -20` alone is not enough where the kernel groups processes by session
# (sched_autogroup): nice then only ranks processes within one session, and every sshd
# connection is a session of its own. A cpu cgroup with the most shares takes the command
# and everything it starts out of those groups. `bash benchmarks/priority.sh --remove`
# deletes the cgroup once nothing runs in it.
set -euo pipefail
GROUP=/sys/fs/cgroup/cpu/troupe-bench
if [ "${1:-}" = "--remove" ]; then
    [ -d "$GROUP" ] && rmdir "$GROUP"
    exit 0
fi
if [ "$(id -u)" = 0 ] && [ -d /sys/fs/cgroup/cpu ]; then
    mkdir -p "$GROUP"
    echo 262144 > "$GROUP/cpu.shares"
    echo $$ > "$GROUP/cgroup.procs"
    exec nice -n -20 "$@"
fi
echo "priority.sh: not root or no cpu cgroup; running at normal priority" >&2
exec "$@"
