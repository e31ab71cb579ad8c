#!/usr/bin/env python3
"""Per-task cost of each builtin module over SSH: the round trips Troupe makes (requests
that wait for the host's answer, counted by the engine when TROUPE_ROUNDTRIP_LOG is set)
and the processes the host starts for it (execve calls under the lab's sshd, counted with
strace). Each module runs twice on one lab host — first run (changes), second run
(unchanged) — and the cost of a bare `raw: "true"` task run alongside is subtracted.

  benchmarks/roundtrips.py [--troupe .build/release/troupe] [-i lab/inventory.ini] [--markdown]

Needs `make lab` (root: strace attaches to the lab's sshd) and strace.
"""
import argparse, glob, os, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BASE = "/tmp/troupe-rt"

# name -> task body (YAML, indented 6); files live under BASE on the host.
CASES = [
    ("command", "command: /bin/true"),
    ("shell", "shell: echo hi | wc -c"),
    ("raw", "raw: uname -s"),
    ("ping", "ping:"),
    ("setup", "setup:"),
    ("file (directory)", f"file: {{path: {BASE}/d, state: directory, mode: '0755'}}"),
    ("file (touch)", f"file: {{path: {BASE}/d/touched, state: touch, modification_time: preserve, access_time: preserve}}"),
    ("copy (content)", f"copy: {{content: \"hello\\n\", dest: {BASE}/d/hello.txt, mode: '0644'}}"),
    ("copy (100 KB file)", f"copy: {{src: big.bin, dest: {BASE}/d/big.bin}}"),
    ("template", f"template: {{src: motd.j2, dest: {BASE}/d/motd}}"),
    ("lineinfile", f"lineinfile: {{path: {BASE}/d/hello.txt, line: second line}}"),
    ("blockinfile", f"blockinfile: {{path: {BASE}/d/hello.txt, block: 'a block'}}"),
    ("replace", f"replace: {{path: {BASE}/d/hello.txt, regexp: 'second', replace: 'third'}}"),
    ("stat", f"stat: {{path: {BASE}/d/motd}}"),
    ("slurp", f"slurp: {{src: {BASE}/d/motd}}"),
    ("fetch", f"fetch: {{src: {BASE}/d/motd, dest: fetched/}}"),
    ("find", f"find: {{paths: {BASE}/d}}"),
]


def prepare(name):
    """Tasks that put the host in the state a case starts from (their cost is subtracted)."""
    if name in ("command", "shell", "raw", "ping", "setup", "file (directory)"):
        return []
    tasks = [f"file: {{path: {BASE}/d, state: directory}}"]
    if name in ("lineinfile", "blockinfile", "replace"):
        tasks.append(f"copy: {{content: \"hello\\nsecond\\n\", dest: {BASE}/d/hello.txt}}")
    if name in ("stat", "slurp", "fetch"):
        tasks.append(f"template: {{src: motd.j2, dest: {BASE}/d/motd}}")
    return tasks


def lab_pids():
    pids = []
    for f in glob.glob(os.path.join(ROOT, "lab", "sshd.*.pid")):
        pid = open(f).read().strip()
        if os.path.exists(f"/proc/{pid}"):
            pids.append(pid)
    if not pids:
        raise SystemExit("roundtrips: the lab is not running (make lab)")
    return pids


def write_play(directory, tasks):
    lines = ["- hosts: lab01", "  gather_facts: false", "  tasks:",
             "    - name: baseline", "      raw: \"true\""]
    for n, body in enumerate(tasks):
        lines += [f"    - name: task {n}", f"      {body}"]
    path = os.path.join(directory, "play.yml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def measure(troupe, inventory, directory, tasks):
    """(round trips, host processes) of one run of the play."""
    play = write_play(directory, tasks)
    log = os.path.join(directory, "rt.log")
    trace = os.path.join(directory, "strace.log")
    open(log, "w").close()
    tracer = subprocess.Popen(["strace", "-f", "-qq", "-e", "trace=execve", "-o", trace] +
                              sum((["-p", p] for p in lab_pids()), []),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)   # let strace attach before the first connection
    env = dict(os.environ, TROUPE_ROUNDTRIP_LOG=log, ANSIBLE_HOST_KEY_CHECKING="False")
    run = subprocess.run([troupe, "playbook", "-i", inventory, play], cwd=directory, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(0.3)
    tracer.terminate()
    tracer.wait()
    if run.returncode != 0:
        sys.stderr.write(run.stdout[-2000:])
        raise SystemExit("roundtrips: the play failed")
    trips = sum(1 for _ in open(log))
    execs = [l for l in open(trace) if "execve(" in l and "= 0" in l
             and "sshd" not in l.split("execve(", 1)[1].split(",", 1)[0]]
    return trips, len(execs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--troupe", default=os.path.join(ROOT, ".build", "release", "troupe"))
    ap.add_argument("-i", "--inventory", default=os.path.join(ROOT, "lab", "inventory.ini"))
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    scratch = tempfile.mkdtemp(prefix="troupe-rt-")
    try:
        with open(os.path.join(scratch, "motd.j2"), "w") as f:
            f.write("Managed on {{ inventory_hostname }}\n{% for n in range(3) %}line {{ n }}\n{% endfor %}\n")
        with open(os.path.join(scratch, "big.bin"), "wb") as f:
            f.write(os.urandom(100 * 1024))
        base_trips, base_procs = measure(args.troupe, args.inventory, scratch, [])
        rows = []
        for name, body in CASES:
            subprocess.run(["rm", "-rf", BASE])
            setup = prepare(name)
            if setup:
                measure(args.troupe, args.inventory, scratch, setup)   # creates the starting state
            offset = measure(args.troupe, args.inventory, scratch, setup) if setup else (base_trips, base_procs)
            first = measure(args.troupe, args.inventory, scratch, setup + [body])
            second = measure(args.troupe, args.inventory, scratch, setup + [body])
            rows.append((name, first[0] - offset[0], first[1] - offset[1], second[0] - offset[0], second[1] - offset[1]))
        if args.markdown:
            print("| module | round trips (first run) | host processes (first run) | round trips (unchanged) | host processes (unchanged) |")
            print("|---|---|---|---|---|")
            for r in rows:
                print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} |")
        else:
            print(f"{'module':22s} {'trips':>6s} {'procs':>6s} {'trips2':>7s} {'procs2':>7s}")
            for r in rows:
                print(f"{r[0]:22s} {r[1]:6d} {r[2]:6d} {r[3]:7d} {r[4]:7d}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        subprocess.run(["rm", "-rf", BASE])


if __name__ == "__main__":
    main()
