#!/usr/bin/env python3
"""Records ansible-core's output for the collections acceptance playbook
(Tests/TroupeTests/Fixtures/collections-acceptance/acceptance.yml) the way
scripts/conformance/record.py records conformance fixtures, with community.general and
ansible.posix installed from tarballs into a temporary collections path.

  python3 scripts/collections/record-acceptance.py TARBALL_DIR
"""
import os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
tarballs = sys.argv[1]
sys.path.insert(0, os.path.join(ROOT, "scripts", "conformance"))
sys.argv = [sys.argv[0], "--none--"]  # record.py records the names given on import; none here
import record  # noqa: E402

with tempfile.TemporaryDirectory() as path:
    files = sorted(os.path.join(tarballs, f) for f in os.listdir(tarballs) if f.endswith(".tar.gz"))
    subprocess.run(["ansible-galaxy", "collection", "install", "-p", path] + files, check=True, stdout=subprocess.DEVNULL)
    os.environ["ANSIBLE_COLLECTIONS_PATH"] = path
    record.record(os.path.join(ROOT, "Tests", "TroupeTests", "Fixtures", "collections-acceptance", "acceptance.yml"))
