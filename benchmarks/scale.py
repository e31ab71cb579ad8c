"""`bench.py scale`: the first 10 tasks of the SSH mix on N lab hosts, with several fork
counts, measuring wall time, the peak RSS of the whole process tree and CPU seconds (the
controller alone and the whole tree) for Troupe and Mitogen."""
import os
import re
import shutil
import tempfile
import time

import measure

SCALE_TASKS = 10


def lab_inventory_slice(source, hosts, dest):
    """Writes the first `hosts` hosts of the lab inventory (and its vars) to dest."""
    lines = open(source).read().splitlines()
    entries = [l for l in lines if re.match(r"^\S+\s+ansible_host=", l)]
    if len(entries) < hosts:
        raise SystemExit(f"the lab has {len(entries)} hosts; start it with LAB_HOSTS={hosts} make lab")
    keep, seen = [], 0
    for line in lines:
        if re.match(r"^\S+\s+ansible_host=", line):
            seen += 1
            if seen > hosts:
                continue
        keep.append(line)
    with open(dest, "w") as f:
        f.write("\n".join(keep) + "\n")


def first_tasks(playbook, dest, count=SCALE_TASKS):
    """The SSH mix cut after its first `count` tasks (the ones that need no files)."""
    text = open(playbook).read()
    starts = [m.start() for m in re.finditer(r"^    - name: ", text, re.M)]
    cut = text[:starts[count]] if len(starts) > count else text
    with open(dest, "w") as f:
        f.write(cut)


def lab_cpu(root):
    """CPU seconds the lab's sshd daemons have reaped so far: every connection's sshd, the
    remote shell and each command it ran (the host side's whole cost)."""
    import glob
    total = 0.0
    for pidfile in glob.glob(os.path.join(root, "lab", "sshd.*.pid")):
        try:
            with open(pidfile) as f, open(f"/proc/{int(f.read())}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, ValueError):
            continue
        total += (int(fields[13]) + int(fields[14])) / measure.TICKS   # cutime, cstime
    return total


def scale(args, tools, ssh_playbook):
    scratch = tempfile.mkdtemp(prefix="troupe-scale-")
    try:
        inventory = os.path.join(scratch, "inventory.ini")
        playbook = os.path.join(scratch, "scale.yml")
        lab_inventory_slice(args.inventory, args.hosts, inventory)
        first_tasks(ssh_playbook, playbook)
        forks = [int(f) for f in args.forks.split(",") if f]
        print(f"{args.hosts} hosts x {SCALE_TASKS} tasks")
        configs = [(name, base, env, fork_count) for name, base, env in tools for fork_count in forks
                   if name != "ansible-core" and not (name == "mitogen" and args.hosts > args.mitogen_max)]
        wanted = {(c[0], c[3]): args.runs if c[0] == "troupe" else max(1, min(args.runs, args.slow_runs)) for c in configs}
        results = {key: [] for key in wanted}
        # Configurations take turns, run by run, so background noise hits them alike.
        for turn in range(max(wanted.values())):
            for name, base, env, fork_count in configs:
                if turn >= wanted[(name, fork_count)]:
                    continue
                before = lab_cpu(args.root)
                r = measure.run(base + ["-i", inventory, "-f", str(fork_count), playbook], env)
                time.sleep(0.5)   # the daemons reap their connections' processes just after the run
                r.host_cpu = lab_cpu(args.root) - before
                if r.rc != 0:
                    print(r.output[-3000:])
                    raise SystemExit(f"{name} failed with rc {r.rc}")
                results[(name, fork_count)].append(r)
        print(f"{'tool':13s} {'forks':>5s} {'runs':>4s} {'wall s':>8s} {'peak RSS MB':>12s} {'controller CPU s':>17s} "
              f"{'tree CPU s':>11s} {'lab sshd CPU s':>15s}  all walls")
        for (name, fork_count), runs in results.items():
            # The median run by wall time, reported whole (its RSS and CPU belong to it).
            best = sorted(runs, key=lambda r: r.wall)[len(runs) // 2]
            print(f"{name:13s} {fork_count:5d} {len(runs):4d} {best.wall:8.2f} {best.peak_rss_mb:12.0f} "
                  f"{best.controller_cpu:17.2f} {best.tree_cpu:11.2f} {best.host_cpu:15.2f}  " + ", ".join(f"{r.wall:.2f}" for r in runs))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
