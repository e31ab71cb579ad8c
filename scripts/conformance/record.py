#!/usr/bin/env python3
"""Records ansible-core's output for the conformance playbooks, normalised the way
../shared/conformance/compare.py normalises it, into Tests/TroupeTests/Fixtures/conformance/
NAME.expected (normalised lines, then `rc=N`). NAME.inventory replaces `-i localhost,`;
NAME.args holds extra command-line arguments. The Swift ConformanceTests replay each
playbook through troupe and compare — no Python needed at test time.

Multi-host fixtures run over SSH: when NAME.inventory sets `ansible_host=127.0.0.…`, an
sshd lab (sshlab.py) is started on those addresses and its port, user and key are passed
as extra variables, so host names stay stable (host1, host2 …) between recording and replay.

  python3 scripts/conformance/record.py [NAME ...]
"""
import contextlib, glob, importlib.util, json, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sshlab  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "TroupeTests", "Fixtures", "conformance")
# ../shared next to the checkout (or two levels up, for worktrees under wt/); COMPARE_PY overrides.
COMPARE = os.environ.get("COMPARE_PY") or os.environ.get("COMPARE") or next(
    (c for c in (os.path.join(os.path.dirname(ROOT), "shared", "conformance", "compare.py"),
                 os.path.join(os.path.dirname(os.path.dirname(ROOT)), "shared", "conformance", "compare.py")) if os.path.exists(c)),
    os.path.join(os.path.dirname(ROOT), "shared", "conformance", "compare.py"))

spec = importlib.util.spec_from_file_location("compare", COMPARE)
compare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare)


def record(path):
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", NO_COLOR="1", ANSIBLE_NOCOWS="1", ANSIBLE_HOST_KEY_CHECKING="False",
               ANSIBLE_RETRY_FILES_ENABLED="False", ANSIBLE_PYTHON_INTERPRETER="/usr/bin/python3")
    env.pop("ANSIBLE_FORCE_COLOR", None)
    inventory = "localhost,"
    inv_file = os.path.splitext(path)[0] + ".inventory"
    if os.path.exists(inv_file):
        inventory = inv_file
    args_file = os.path.splitext(path)[0] + ".args"
    extra = open(args_file).read().split() if os.path.exists(args_file) else []
    uses_lab = inventory != "localhost," and "ansible_host=127.0.0." in open(inventory).read()
    with (sshlab.lab() if uses_lab else contextlib.nullcontext()) as lab_vars:
        if lab_vars:
            extra = ["-e", json.dumps(lab_vars)] + extra
        run(path, inventory, extra, env)


def run(path, inventory, extra, env):
    p = subprocess.run(["ansible-playbook", "-i", inventory] + extra + [os.path.basename(path)], cwd=os.path.dirname(path),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    lines, _ = compare.normalise(p.stdout)
    out = os.path.splitext(path)[0] + ".expected"
    with open(out, "w") as f:
        f.write("\n".join(lines + [f"rc={p.returncode}"]) + "\n")
    print(f"{os.path.basename(out)}: {len(lines)} lines, rc={p.returncode}")


names = sys.argv[1:]
for path in sorted(glob.glob(os.path.join(FIXTURES, "*.yml"))):
    if not names or os.path.splitext(os.path.basename(path))[0] in names:
        record(path)
