#!/bin/sh
# Builds collection tarballs of community.general and ansible.posix from the PyPI `ansible`
# package (which ships both installed, without galaxy.yml): galaxy.yml is written from each
# collection's MANIFEST.json, then `ansible-galaxy collection build` makes the tarball.
# Usage: build-acceptance-tarballs.sh OUTPUT_DIR   (cached: does nothing when both exist)
set -eu
out=${1:?output directory}
mkdir -p "$out"
if ls "$out"/community-general-*.tar.gz "$out"/ansible-posix-*.tar.gz >/dev/null 2>&1; then exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet "ansible>=12,<13" --no-deps -d "$work" >/dev/null
unzip -q "$work"/ansible-*.whl 'ansible_collections/community/general/*' 'ansible_collections/ansible/posix/*' -d "$work/src"
for c in community/general ansible/posix; do
    dir="$work/src/ansible_collections/$c"
    python3 - "$dir" <<'PY'
import json, sys, os
d = sys.argv[1]
info = json.load(open(os.path.join(d, 'MANIFEST.json')))['collection_info']
keys = ['namespace', 'name', 'version', 'readme', 'authors', 'description', 'license', 'tags', 'dependencies',
        'repository', 'documentation', 'homepage', 'issues']
lines = []
for k in keys:
    v = info.get(k)
    if v in (None, [], {}, ''):
        continue
    lines.append('%s: %s' % (k, json.dumps(v)))
lines.append('build_ignore: ["MANIFEST.json", "FILES.json", "tests", "docs", "changelogs", "*.license"]')
open(os.path.join(d, 'galaxy.yml'), 'w').write('\n'.join(lines) + '\n')
PY
    (cd "$dir" && ansible-galaxy collection build --force --output-path "$out" . >/dev/null)
done
ls "$out"
