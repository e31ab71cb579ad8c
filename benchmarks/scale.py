"""`bench.py scale`: the first 10 tasks of the SSH mix on N lab hosts, with several fork
counts, measuring wall time, the peak RSS of the whole process tree and CPU seconds (the
controller alone and the whole tree) for Troupe and Mitogen."""
import os
import re
import shutil
import tempfile

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


def scale(args, tools, ssh_playbook):
    scratch = tempfile.mkdtemp(prefix="troupe-scale-")
    try:
        inventory = os.path.join(scratch, "inventory.ini")
        playbook = os.path.join(scratch, "scale.yml")
        lab_inventory_slice(args.inventory, args.hosts, inventory)
        first_tasks(ssh_playbook, playbook)
        forks = [int(f) for f in args.forks.split(",") if f]
        print(f"{args.hosts} hosts x {SCALE_TASKS} tasks")
        print(f"{'tool':13s} {'forks':>5s} {'wall s':>8s} {'peak RSS MB':>12s} {'controller CPU s':>17s} {'tree CPU s':>11s}")
        for name, base, env in tools:
            if name == "ansible-core" or (name == "mitogen" and args.hosts > args.mitogen_max):
                continue
            for fork_count in forks:
                runs = [measure.run(base + ["-i", inventory, "-f", str(fork_count), playbook], env)
                        for _ in range(args.runs if name == "troupe" else 1)]
                for r in runs:
                    if r.rc != 0:
                        print(r.output[-3000:])
                        raise SystemExit(f"{name} failed with rc {r.rc}")
                best = sorted(runs, key=lambda r: r.wall)[len(runs) // 2]
                print(f"{name:13s} {fork_count:5d} {best.wall:8.2f} {best.peak_rss_mb:12.0f} "
                      f"{best.controller_cpu:17.2f} {best.tree_cpu:11.2f}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
