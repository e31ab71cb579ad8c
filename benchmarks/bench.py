#!/usr/bin/env python3
"""Times Troupe against ansible-core, Mitogen and pyinfra on the same work, in the same run.

  benchmarks/bench.py local [--runs N]            # 201 local tasks (benchmarks/local)
  benchmarks/bench.py ssh   [--runs N] -i INV     # the SSH mix against `make lab` hosts
  benchmarks/bench.py ssh --events [--runs N]    # troupe only: events writer off (`troupe playbook`)
                                                 # vs on (`troupe run -q`, job events + artifacts)
  benchmarks/bench.py scale --hosts N [--forks 50,200] [--mitogen-max 200]
                                                 # first 10 tasks of the SSH mix on N lab hosts:
                                                 # wall, peak RSS of the process tree, CPU

Prints the median wall time of each tool and Troupe's speed-up ratio against each.
pyinfra runs benchmarks/pyinfra/*_deploy.py, the same operations as the playbooks.
Tools that are not installed are reported as such and skipped.
"""
import argparse, os, shutil, statistics, subprocess, sys, time

import tempfile

from scale import lab_inventory_slice, scale

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def mitogen_strategy_dir():
    try:
        import ansible_mitogen  # noqa: F401
    except ImportError:
        return None
    return os.path.join(os.path.dirname(ansible_mitogen.__file__), "plugins", "strategy")


def versions(troupe):
    """One line naming each tool's version, so a figure can be traced to what produced it."""
    def first_line(cmd):
        try:
            return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "not installed"
    parts = [f"troupe: {first_line([troupe, '--version'])}"]
    if shutil.which("ansible-playbook"):
        parts.append(first_line(["ansible-playbook", "--version"]))
    try:
        from importlib.metadata import version
        for dist in ("mitogen", "pyinfra"):
            try:
                parts.append(f"{dist} {version(dist)}")
            except Exception:
                parts.append(f"{dist}: not installed")
    except ImportError:
        pass
    return "; ".join(parts)


def pyinfra_command(suite, inventory):
    """pyinfra's command line and environment for a suite, or None when not installed."""
    if not shutil.which("pyinfra"):
        return None
    deploy = os.path.join(HERE, "pyinfra", f"{suite}_deploy.py")
    if suite == "local":
        return ["pyinfra", "-y", "@local", deploy], {}
    return (["pyinfra", "-y", os.path.join(HERE, "pyinfra", "inventory.py"), deploy],
            {"BENCH_INVENTORY": os.path.abspath(inventory)})


def tools(troupe):
    env = dict(os.environ, ANSIBLE_NOCOWS="1", ANSIBLE_HOST_KEY_CHECKING="False", ANSIBLE_RETRY_FILES_ENABLED="False",
               ANSIBLE_PYTHON_INTERPRETER=os.environ.get("ANSIBLE_PYTHON_INTERPRETER", "/usr/bin/python3"),
               ANSIBLE_DEPRECATION_WARNINGS="False")
    found = [("troupe", [troupe, "playbook"], env)]
    if shutil.which("ansible-playbook"):
        found.append(("ansible-core", ["ansible-playbook"], dict(env, ANSIBLE_PIPELINING="True")))
        strategy = mitogen_strategy_dir()
        if strategy:
            found.append(("mitogen", ["ansible-playbook"], dict(env, ANSIBLE_STRATEGY_PLUGINS=strategy,
                                                              ANSIBLE_STRATEGY="mitogen_linear")))
    return found


def time_run(cmd, env):
    start = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        sys.stderr.write(p.stdout[-3000:])
        raise SystemExit(f"{' '.join(cmd)} failed with rc {p.returncode}")
    return elapsed


def events_overhead(troupe, playbook, inventory, runs, scratch):
    """Times `troupe playbook` (no event records) against `troupe run` on a private data
    dir holding the same playbook (every event recorded and written to artifacts/),
    alternating the two so machine noise hits both alike."""
    import tempfile
    env = dict(os.environ, ANSIBLE_HOST_KEY_CHECKING="False", ANSIBLE_DEPRECATION_WARNINGS="False")
    # Where the private data dir (and so artifacts/) lives matters: each job event is a
    # file, and on a file system with heavy create/delete churn ext4 spends up to ~0.7 ms
    # of kernel time per new inode (see README).
    os.makedirs(scratch, exist_ok=True)
    pdd = tempfile.mkdtemp(prefix="troupe-bench-pdd-", dir=scratch)
    try:
        # The playbook's directory (templates, files …) is the project.
        shutil.copytree(os.path.dirname(playbook), os.path.join(pdd, "project"))
        inventory = inventory if "," in inventory else os.path.abspath(inventory)
        off, on = [], []
        for n in range(runs):
            off.append(time_run([troupe, "playbook", "-i", inventory, playbook], env))
            on.append(time_run([troupe, "run", pdd, "-p", os.path.basename(playbook), "--inventory", inventory, "-q",
                                "--ident", f"bench-{n}"], env))
        events = len(os.listdir(os.path.join(pdd, "artifacts", "bench-0", "job_events")))
    finally:
        shutil.rmtree(pdd, ignore_errors=True)
    m_off, m_on = statistics.median(off), statistics.median(on)
    print(f"events off    median {m_off:8.3f} s over {runs} run(s): " + ", ".join(f"{r:.3f}" for r in off))
    print(f"events on     median {m_on:8.3f} s over {runs} run(s): " + ", ".join(f"{r:.3f}" for r in on))
    print(f"{events} events per run; overhead {100 * (m_on - m_off) / m_off:+.1f} %")


def wanted_tool(args, name):
    return not args.only or name in args.only.split(",")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("suite", choices=["local", "ssh", "scale"])
    ap.add_argument("--hosts", type=int, help="lab hosts to use (ssh: 20, scale: 200)")
    ap.add_argument("--forks", default="50,200", help="scale: comma-separated fork counts")
    ap.add_argument("--mitogen-max", type=int, default=200, help="scale: run Mitogen up to this many hosts")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--slow-runs", type=int, default=3, help="at most this many runs of the tools other than troupe")
    ap.add_argument("--only", help="comma-separated tools to run (troupe,ansible-core,mitogen,pyinfra); default all")
    ap.add_argument("-i", "--inventory", default=os.path.join(ROOT, "lab", "inventory.ini"))
    ap.add_argument("--troupe", default=os.path.join(ROOT, ".build", "release", "troupe"))
    ap.add_argument("--events", action="store_true", help="measure the event writer's overhead (troupe only)")
    ap.add_argument("--artifacts-in", default=os.path.join(ROOT, ".build"),
                    help="directory for the --events private data dir (default .build/)")
    args = ap.parse_args()
    args.root = ROOT
    if args.suite == "local":
        playbook, inventory = os.path.join(HERE, "local", "playbook.yml"), "localhost,"
    else:
        playbook, inventory = os.path.join(HERE, "ssh", "playbook.yml"), args.inventory
    print(versions(args.troupe))
    if args.suite == "scale":
        args.hosts = args.hosts or 200
        scale(args, [t for t in tools(args.troupe) if wanted_tool(args, t[0])], os.path.join(HERE, "ssh", "playbook.yml"))
        return
    if args.events:
        events_overhead(args.troupe, playbook, inventory, args.runs, args.artifacts_in)
        return
    scratch = tempfile.mkdtemp(prefix="troupe-bench-")
    try:
        if args.suite == "ssh":
            # A lab started for the scale benchmark has more hosts than the SSH mix uses.
            inventory = os.path.join(scratch, "inventory.ini")
            lab_inventory_slice(args.inventory, args.hosts or 20, inventory)
        compare(args, playbook, inventory)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def compare(args, playbook, inventory):
    medians = {}
    commands = [(name, base + ["-i", inventory, playbook], env) for name, base, env in tools(args.troupe)]
    pyinfra = pyinfra_command(args.suite, inventory)
    if pyinfra:
        commands.append(("pyinfra", pyinfra[0], dict(os.environ, **pyinfra[1])))
    commands = [c for c in commands if wanted_tool(args, c[0])]
    # Tools take turns, run by run, so background noise on a shared machine hits them alike.
    wanted = {name: args.runs if name == "troupe" else max(1, min(args.runs, args.slow_runs)) for name, _, _ in commands}
    runs = {name: [] for name, _, _ in commands}
    for turn in range(max(wanted.values())):
        for name, cmd, env in commands:
            if turn < wanted[name]:
                runs[name].append(time_run(cmd, env))
    for name, _, _ in commands:
        medians[name] = statistics.median(runs[name])
        print(f"{name:13s} median {medians[name]:8.3f} s over {len(runs[name])} run(s): "
              + ", ".join(f"{r:.3f}" for r in runs[name]))
    ours = medians.get("troupe")
    for name, value in medians.items():
        if name != "troupe" and ours:
            print(f"troupe is {value / ours:6.1f}x faster than {name}")
    for missing in {name for name in ("ansible-core", "mitogen", "pyinfra") if wanted_tool(args, name)} - set(medians):
        print(f"{missing}: not installed, not measured")


if __name__ == "__main__":
    main()
