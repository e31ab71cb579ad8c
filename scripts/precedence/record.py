#!/usr/bin/env python3
"""Records which precedence level ansible-core picks for Tests/TroupeTests/Fixtures/precedence:
22 runs of ansible-playbook, run k (22 … 1) without the levels above k (lines holding
`level-NN` or `# LNN` with NN > k removed from every file; level 22 is `-e v=level-22`).
Writes the winners, one `k=<k> <value>` line per run, to expected.txt. PrecedenceTests
replays the same runs through troupe.

  python3 scripts/precedence/record.py
"""
import os, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(ROOT, "Tests", "TroupeTests", "Fixtures", "precedence")
MARK = re.compile(r"level-(\d\d)|# L(\d\d)")


def prepare(k, into):
    shutil.copytree(FIXTURE, into, dirs_exist_ok=True)
    for base, _, files in os.walk(into):
        for name in files:
            path = os.path.join(base, name)
            with open(path) as f:
                lines = f.readlines()
            keep = [l for l in lines if not any(int(a or b) > k for a, b in MARK.findall(l))]
            with open(path, "w") as f:
                f.writelines(keep)


def winner(output):
    m = re.search(r'"v": "([^"]*)"', output)
    if m:
        return m.group(1)
    return "undefined" if "VARIABLE IS NOT DEFINED!" in output or "'v' is undefined" in output else "error"


lines = []
for k in range(22, 0, -1):
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        prepare(k, tmp)
        extra = ["-e", "v=level-22"] if k >= 22 else []
        env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_CONFIG=os.path.join(tmp, "ansible.cfg"))
        p = subprocess.run(["ansible-playbook", "-i", "inventory/hosts", *extra, "site.yml"], cwd=tmp,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
        value = winner(p.stdout)
        if value == "error" or p.returncode != 0:
            sys.exit(f"run {k} failed:\n{p.stdout}")
        lines.append(f"k={k} {value}")
        print(lines[-1])
with open(os.path.join(FIXTURE, "expected.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
