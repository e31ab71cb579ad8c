#!/bin/sh
# Records the reference outputs of the aggregate/notification callbacks and the json stdout
# callback from real ansible-playbook runs (ansible-core 2.19). The collection plugins come
# from checkouts of ansible-collections/ansible.posix and community.general, laid out as
# $COLLECTIONS/ansible_collections/{ansible/posix,community/general}.
# The playbook runs from /tmp/troupe-callback-plugins; outputs keep that path, the tests
# put their own working directory in its place.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/troupe-callback-plugins
: "${COLLECTIONS:?set COLLECTIONS to a directory holding ansible_collections/}"
rm -rf "$work" && mkdir -p "$work" && cp -R "$here"/site.yml "$here"/inventory.ini "$here"/roles "$work"/
cd "$work"
export ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS" ANSIBLE_NOCOLOR=1
export ANSIBLE_PYTHON_INTERPRETER="${ANSIBLE_PYTHON_INTERPRETER:-$(command -v python3)}"
ANSIBLE_STDOUT_CALLBACK=ansible.posix.json ansible-playbook -i inventory.ini site.yml >"$here/json.txt" 2>/dev/null || true
ANSIBLE_STRATEGY=free ANSIBLE_STDOUT_CALLBACK=ansible.posix.json ansible-playbook -i inventory.ini site.yml >"$here/json-free.txt" 2>/dev/null || true
JUNIT_FAIL_ON_IGNORE=true JUNIT_OUTPUT_DIR="$work/junit" ANSIBLE_CALLBACKS_ENABLED=junit ansible-playbook -i inventory.ini site.yml >/dev/null 2>&1 || true
cp "$work"/junit/site-*.xml "$here/junit.xml"
ANSIBLE_CALLBACK_TREE_DIR="$work/tree" ANSIBLE_CALLBACKS_ENABLED=tree ansible-playbook -i inventory.ini site.yml >/dev/null 2>"$here/tree.stderr.txt" || true
cp "$work/tree/localhost" "$here/tree-localhost.json"
ANSIBLE_LOG_FOLDER="$work/logs" ANSIBLE_CALLBACKS_ENABLED=community.general.log_plays ansible-playbook -i inventory.ini site.yml >/dev/null 2>&1 || true
cp "$work/logs/localhost" "$here/log_plays-localhost.txt"
PROFILE_TASKS_SORT_ORDER=none ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks ansible-playbook -i inventory.ini site.yml >"$here/profile_tasks.txt" 2>/dev/null || true
ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_roles,ansible.posix.timer ansible-playbook -i inventory.ini site.yml >"$here/profile_roles_timer.txt" 2>/dev/null || true
cp "$here"/stats.yml "$here"/two-hosts.ini "$work"/
ANSIBLE_STDOUT_CALLBACK=ansible.posix.json ANSIBLE_SHOW_CUSTOM_STATS=1 ansible-playbook -i two-hosts.ini stats.yml >"$here/stats-json.txt" 2>/dev/null || true
ANSIBLE_SHOW_CUSTOM_STATS=1 ansible-playbook -i two-hosts.ini stats.yml -f 1 >"$here/stats-default.txt" 2>&1 || true
cp "$here"/includes.yml "$here"/item.yml "$work"/
JUNIT_OUTPUT_DIR="$work/junit-includes" ANSIBLE_CALLBACKS_ENABLED=junit ansible-playbook -i two-hosts.ini includes.yml -f 1 >/dev/null 2>&1 || true
cp "$work"/junit-includes/includes-*.xml "$here/includes-junit.xml"
ANSIBLE_STDOUT_CALLBACK=ansible.posix.json ansible-playbook -i two-hosts.ini includes.yml -f 1 >"$here/includes-json.txt" 2>/dev/null || true
