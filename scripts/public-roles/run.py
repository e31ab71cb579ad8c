#!/usr/bin/env python3
"""Runs widely used public roles and example playbooks (listed in sources.txt) with
`--check --diff` on localhost through ../shared/conformance/compare.py, and prints a match
table and the match rate.

  python3 scripts/public-roles/run.py [NAME-SUBSTRING ...]

Environment:
  TROUPE               troupe command (default: .build/debug/troupe of this checkout)
  PUBLIC_ROLES_MIRROR  directory of bare mirrors named OWNER+REPO/repo (default /work/.mirror)
  PUBLIC_ROLES_SCRATCH where sources are extracted and run (default: a fresh temp dir)
  COMPARE_PY           compare.py to use

Sources are never committed: each run extracts them (git archive) from the mirrors the
`fetch` tool makes. When a mirror is missing the entry is reported as ABSENT, and when
every one is missing the harness says so and exits 3 (there is nothing to measure).
"""
import os, re, shlex, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MIRROR = os.environ.get("PUBLIC_ROLES_MIRROR", "/work/.mirror")
COMPARE = os.environ.get("COMPARE_PY") or next(
    (c for c in (os.path.join(os.path.dirname(ROOT), "shared", "conformance", "compare.py"),
                 os.path.join(os.path.dirname(os.path.dirname(ROOT)), "shared", "conformance", "compare.py"))
     if os.path.exists(c)), None)
TROUPE = os.environ.get("TROUPE") or os.path.join(ROOT, ".build", "debug", "troupe")

# Groups the example playbooks target; every one holds only localhost.
INVENTORY = """localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3
[webservers]
localhost
[dbservers]
localhost
[test]
localhost
"""


def entries():
    for n, line in enumerate(open(os.path.join(HERE, "sources.txt")), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        kind, repo, path, *extra = shlex.split(line)
        if kind not in ("role", "playbook"):
            sys.exit(f"sources.txt:{n}: unknown kind {kind!r} (role or playbook)")
        yield kind, repo, path, extra


def extract(repo, scratch):
    """The repository's files under scratch/OWNER+REPO, or None when no mirror exists."""
    git_dir = os.path.join(MIRROR, repo.replace("/", "+"), "repo")
    dest = os.path.join(scratch, repo.replace("/", "+"))
    if os.path.isdir(dest):
        return dest
    if not os.path.isdir(git_dir):
        return None
    os.makedirs(dest)
    # Large binaries may be absent from a mirror: archive what is there, file by file if needed.
    archive = subprocess.run(["git", f"--git-dir={git_dir}", "archive", "HEAD"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    if archive.returncode == 0:
        subprocess.run(["tar", "-x", "-C", dest], input=archive.stdout, check=True)
    else:
        names = subprocess.run(["git", f"--git-dir={git_dir}", "ls-tree", "-r", "--name-only", "HEAD"],
                               stdout=subprocess.PIPE, text=True, check=True).stdout.splitlines()
        for name in names:
            blob = subprocess.run(["git", f"--git-dir={git_dir}", "show", f"HEAD:{name}"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            if blob.returncode != 0:
                continue
            os.makedirs(os.path.dirname(os.path.join(dest, name)), exist_ok=True)
            with open(os.path.join(dest, name), "wb") as f:
                f.write(blob.stdout)
    return dest


def role_playbook(scratch, repo_dir, role):
    """A play applying the role to localhost; the role is linked under roles/NAME."""
    base = os.path.join(scratch, "role-plays", role)
    os.makedirs(os.path.join(base, "roles"), exist_ok=True)
    link = os.path.join(base, "roles", role)
    if not os.path.islink(link):
        os.symlink(repo_dir, link)
    path = os.path.join(base, "play.yml")
    with open(path, "w") as f:
        f.write(f"- hosts: localhost\n  become: true\n  roles:\n    - {role}\n")
    return path


def compare(playbook, inventory, extra):
    env = dict(os.environ, TROUPE=TROUPE, ANSIBLE_PYTHON_INTERPRETER="/usr/bin/python3")
    cmd = [sys.executable, COMPARE, os.path.basename(playbook), "-i", inventory, "--", "--check", "--diff"] + extra
    try:
        p = subprocess.run(cmd, cwd=os.path.dirname(playbook), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, errors="replace", timeout=900)
    except subprocess.TimeoutExpired:
        return False, "timed out after 900 s", ""
    last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else "no output"
    return p.returncode == 0, last.replace("conformance: ", ""), p.stdout


def main():
    wanted = sys.argv[1:]
    if COMPARE is None:
        sys.exit("public-roles: ../shared/conformance/compare.py not found (set COMPARE_PY)")
    if not (os.path.exists(TROUPE.split()[0]) or subprocess.run(["which", TROUPE.split()[0]], stdout=subprocess.DEVNULL).returncode == 0):
        sys.exit(f"public-roles: troupe not found at {TROUPE} (swift build, or set TROUPE)")
    scratch = os.environ.get("PUBLIC_ROLES_SCRATCH") or tempfile.mkdtemp(prefix="troupe-public-roles-")
    os.makedirs(scratch, exist_ok=True)
    inventory = os.path.join(scratch, "inventory")
    with open(inventory, "w") as f:
        f.write(INVENTORY)
    logs = os.path.join(scratch, "logs")
    os.makedirs(logs, exist_ok=True)
    rows, absent = [], set()
    for kind, repo, path, extra in entries():
        name = path if kind == "role" else f"{repo.split('/')[1]}:{path}"
        if wanted and not any(w in name or w in repo for w in wanted):
            continue
        repo_dir = extract(repo, scratch)
        if repo_dir is None:
            absent.add(repo)
            rows.append((kind, name, "ABSENT", f"no mirror at {MIRROR}/{repo.replace('/', '+')} (fetch github:{repo})"))
            continue
        playbook = role_playbook(scratch, repo_dir, path) if kind == "role" else os.path.join(repo_dir, path)
        if not os.path.exists(playbook):
            rows.append((kind, name, "ABSENT", f"{path} is not in {repo}"))
            continue
        ok, summary, output = compare(playbook, inventory, extra)
        with open(os.path.join(logs, re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".log"), "w") as f:
            f.write(output)
        rows.append((kind, name, "match" if ok else "DIFFERS", summary))
        print(f"{'match' if ok else 'DIFFERS':8} {name}: {summary}", flush=True)
    width = max((len(r[1]) for r in rows), default=10)
    print()
    print(f"{'kind':9}{'content':{width}}  {'result':8} details")
    for kind, name, result, summary in rows:
        print(f"{kind:9}{name:{width}}  {result:8} {summary}")
    ran = [r for r in rows if r[2] != "ABSENT"]
    matched = [r for r in ran if r[2] == "match"]
    print()
    for kind in ("role", "playbook"):
        k_ran = [r for r in ran if r[0] == kind]
        k_ok = [r for r in k_ran if r[2] == "match"]
        if k_ran:
            print(f"{kind}s: {len(k_ok)}/{len(k_ran)} match ({100 * len(k_ok) // len(k_ran)} %)")
    if absent:
        print(f"sources absent for {len(absent)} repositories ({', '.join(sorted(absent))}): "
              f"not measured; fetch them (the `fetch` tool, github:OWNER/REPO) into {MIRROR}")
    if not ran:
        print("public-roles: no sources present, nothing was measured")
        return 3
    print(f"match rate: {len(matched)}/{len(ran)} ({100 * len(matched) // len(ran)} %); logs in {logs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
