#!/bin/sh
# Regenerates the reference outputs from real ansible-playbook runs (ansible-core 2.19).
# Timing fields are normalised so synthetic events in the tests can reproduce them.
# Playbooks run from /tmp/troupe-callback-fixtures so paths in the output are stable.
set -u
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/troupe-callback-fixtures
rm -rf "$work" && mkdir -p "$work" && cp "$here"/*.yml "$here"/*.json "$here"/inventory.ini "$work"/
cd "$work"
export ANSIBLE_PYTHON_INTERPRETER="${ANSIBLE_PYTHON_INTERPRETER:-$(command -v python3)}"
export ANSIBLE_NOCOLOR=1
normalise() {
    sed -E -e 's/"delta": "[^"]*"/"delta": "0:00:00.001000"/' \
           -e 's/"start": "[^"]*"/"start": "2026-01-01 00:00:00.000000"/' \
           -e 's/"end": "[^"]*"/"end": "2026-01-01 00:00:00.001000"/'
}
run() { out=$1; shift; ansible-playbook "$@" 2>"$here/$out.stderr.txt" | normalise >"$here/$out.txt"; }
run basic -i localhost, -c local basic.yml
run small_v -i localhost, -c local small.yml -v
run small_vv -i localhost, -c local small.yml -vv
# -vvv: connection chatter (temporary paths) is dropped, it is not callback output.
ansible-playbook -i localhost, -c local small.yml -vvv 2>/dev/null | grep -v -e '^<localhost>' -e '^Using module file' | normalise >"$here/small_vvv.txt"
run fail -i inventory.ini fail.yml --forks 1
ANSIBLE_DISPLAY_OK_HOSTS=no ANSIBLE_DISPLAY_SKIPPED_HOSTS=no run basic_quiet -i localhost, -c local basic.yml
run edge_v -i localhost, -c local edge.yml -v
printf 'line1\nline2\n' > target.txt
run diff_check -i localhost, -c local diff.yml --diff --check
ANSIBLE_CHECK_MODE_MARKERS=1 run diff_check_markers -i localhost, -c local diff.yml --diff --check
ANSIBLE_CALLBACK_RESULT_FORMAT=yaml run yaml_v -i localhost, -c local yaml.yml -v
cd "$here"
ansible localhost -m ping >adhoc_ping.txt 2>/dev/null
ansible localhost -m command -a 'echo hi' >adhoc_command.txt 2>/dev/null
ansible localhost -m ping -o >adhoc_ping_oneline.txt 2>/dev/null
cd "$work"
unset ANSIBLE_NOCOLOR
printf 'line1\nline2\n' > target.txt
ANSIBLE_FORCE_COLOR=1 run basic_color -i localhost, -c local basic.yml
ANSIBLE_FORCE_COLOR=1 run diff_color -i localhost, -c local diff.yml --diff --check
