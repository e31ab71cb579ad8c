#!/usr/bin/env bash
# Installs the system packages Troupe builds and tests with, only when missing.
set -euo pipefail
# postgresql: the controller tests' throwaway server; chromium: browsable-API tests; wrk: benchmarks/controller;
# git and curl: `troupe galaxy` fetches collections and roles with them; acl: the lineinfile integration target's setfacl.
needed=(libssh-dev pkg-config openssh-server openssh-client sudo cron postgresql chromium wrk git curl acl)
missing=()
for p in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The runner tests compare `troupe run` with ansible-runner itself (pip packages).
pip_missing=()
command -v ansible-playbook >/dev/null 2>&1 || pip_missing+=("ansible-core>=2.19,<2.20")
command -v ansible-runner >/dev/null 2>&1 || pip_missing+=("ansible-runner")
# The controller's WebSocket test talks to /websocket/ with Python's websockets client.
python3 -c 'import websockets' >/dev/null 2>&1 || pip_missing+=("websockets")
# The controller's acceptance test drives the real `awx` CLI (setuptools<81 keeps pkg_resources).
command -v awx >/dev/null 2>&1 || pip_missing+=("awxkit==24.6.1" "setuptools<81")
if [ ${#pip_missing[@]} -gt 0 ]; then
  command -v python3 >/dev/null 2>&1 || $SUDO apt-get install -y -qq python3 python3-pip >/dev/null
  echo "installing (pip): ${pip_missing[*]}"
  python3 -m pip install --quiet "${pip_missing[@]}" || python3 -m pip install --quiet --break-system-packages "${pip_missing[@]}"
fi
# The collections acceptance test (CollectionAcceptanceTests) installs community.general and
# ansible.posix from tarballs built from the PyPI `ansible` package (cached in .build-collections/).
"$(dirname "$0")/collections/build-acceptance-tarballs.sh" "$(dirname "$0")/../.build-collections" >/dev/null \
  || echo "warning: could not build the collection tarballs for CollectionAcceptanceTests"
