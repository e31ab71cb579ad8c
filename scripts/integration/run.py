#!/usr/bin/env python3
"""Runs ansible-core's own integration targets with ansible-core (the oracle) and with troupe.

The targets come from the ansible-core sdist (test/integration/targets), downloaded once with
`pip download` into a cache outside git (TROUPE_INTEGRATION_CACHE, default
~/.cache/troupe-integration); their files are never committed. Each target runs the way
ansible-test runs it on the controller (`ansible-test integration --local`):

- a fresh temporary work dir (with ansible-test's non-ASCII suffix) holding a copy of
  test/integration/targets/<target> and of the targets it depends on (aliases `needs/target/*`,
  `setup/*/*`, symlinks, and hidden roles named in meta/);
- inventory `test/integration/inventory` with `testhost` in `testgroup`, local connection and
  the controller's Python;
- ansible-test's environment (ANSIBLE_FORCE_HANDLERS, ANSIBLE_INVENTORY=/dev/null,
  ANSIBLE_PYTHON_INTERPRETER placeholder, OUTPUT_DIR, INVENTORY_PATH, ANSIBLE_PLAYBOOK_DIR, …);
- setup targets (`setup/always/*`, `setup/once/*`) first, then the target: `runme.sh` from the
  target's dir, or for role targets a generated play (`hosts: testhost`, `roles: [target]`,
  `vars: {output_dir: …}`) run from test/integration with ANSIBLE_ROLES_PATH=targets.

For troupe, a shim dir is put first on PATH: `ansible-playbook`, `ansible`, `ansible-inventory`, `ansible-config`
and `ansible-vault` exec troupe's subcommands; the other ansible-* commands fail with a clear
message, so a target never passes by running the real ansible. A target passes when its exit
status is 0 within the per-target timeout (the whole process group is killed on timeout).

Oracle results are cached (results/ansible.json in the cache) since ansible-core does not
change; --refresh-oracle reruns them. Logs: <cache>/logs/<engine>/<target>.log.

  scripts/integration/run.py                      # every target in targets.txt, both engines
  scripts/integration/run.py --slice              # the short slice (slice.txt)
  scripts/integration/run.py -e troupe set_fact   # chosen targets, one engine
"""
import argparse, concurrent.futures, glob, threading, json, os, re, shutil, signal, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VERSION = "2.19.14"
CACHE = os.environ.get("TROUPE_INTEGRATION_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "troupe-integration")
SDIST = os.path.join(CACHE, f"ansible_core-{VERSION}")
TARGETS = os.path.join(SDIST, "test", "integration", "targets")
UNICODE_SUFFIX = "-\u00c5\u00d1\u015a\u00cc\u03b2\u0141\u00c8"  # ansible-test's temp dir suffix
TROUPE_COMMANDS = {"ansible-playbook": "playbook", "ansible": "adhoc", "ansible-inventory": "inventory", "ansible-vault": "vault",
                   "ansible-config": "config"}
OTHER_COMMANDS = ["ansible-doc", "ansible-galaxy", "ansible-console", "ansible-pull", "ansible-test"]


def ensure_sdist():
    """Downloads and unpacks the ansible-core sdist once; returns False when that is impossible."""
    if os.path.isdir(TARGETS):
        return True
    os.makedirs(CACHE, exist_ok=True)
    tarball = os.path.join(CACHE, f"ansible_core-{VERSION}.tar.gz")
    if not os.path.exists(tarball):
        p = subprocess.run([sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
                            f"ansible-core=={VERSION}", "-d", CACHE], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=600)
        if p.returncode != 0 or not os.path.exists(tarball):
            print(p.stdout[-2000:], file=sys.stderr)
            return False
    subprocess.run(["tar", "xzf", tarball, "-C", CACHE], check=True)
    return os.path.isdir(TARGETS)


def read_list(path):
    """Target names from a list file: one per line, `#` comments and text after the name ignored."""
    names = []
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line.split()[0])
    return names


def aliases(name):
    path = os.path.join(TARGETS, name, "aliases")
    if not os.path.exists(path):
        return []
    return [line.split("#", 1)[0].strip() for line in open(path, encoding="utf-8") if line.split("#", 1)[0].strip()]


def alias_targets(name, prefixes):
    return [a.split("/")[2] for a in aliases(name) if any(a.startswith(p) for p in prefixes) and len(a.split("/")) > 2]


def setup_targets(name):
    return sorted(set(alias_targets(name, ("setup/always/", "setup/once/"))))


def dependencies(name):
    """The target and every target it needs, as ansible-test's dependency analysis finds them."""
    # ansible-test hides setup_*/prepare_* targets and those with a `hidden` alias.
    hidden = {t for t in os.listdir(TARGETS) if "hidden" in aliases(t) or t.startswith(("setup_", "prepare_"))}
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen or not os.path.isdir(os.path.join(TARGETS, current)):
            continue
        seen.add(current)
        todo += alias_targets(current, ("needs/target/", "setup/always/", "setup/once/"))
        base = os.path.join(TARGETS, current)
        for dirpath, dirnames, filenames in os.walk(base):
            for entry in dirnames + filenames:
                path = os.path.join(dirpath, entry)
                if os.path.islink(path):
                    real = os.path.realpath(path)
                    if real.startswith(os.path.realpath(TARGETS) + "/"):
                        todo.append(real[len(os.path.realpath(TARGETS)) + 1:].split("/")[0])
        meta = os.path.join(base, "meta")
        for path in glob.glob(os.path.join(meta, "**", "*"), recursive=True):
            if not os.path.isfile(path):
                continue
            try:
                lines = open(path, encoding="utf-8").read().splitlines()
            except UnicodeDecodeError:
                continue
            for line in lines:
                if re.match(r"^ *#", line) or not line.strip():
                    continue
                todo += [h for h in hidden if re.search(r"\b%s\b" % re.escape(h), line)]
    return sorted(seen)


def make_shim(troupe):
    shim = tempfile.mkdtemp(prefix="troupe-shim-")
    for command, sub in TROUPE_COMMANDS.items():
        write_exec(os.path.join(shim, command), f'#!/bin/sh\nexec "{troupe}" {sub} "$@"\n')
    for command in OTHER_COMMANDS:
        write_exec(os.path.join(shim, command),
                   f'#!/bin/sh\necho "troupe-integration: {command} is not provided by troupe" >&2\nexit 127\n')
    return shim


def write_exec(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)


def environment(work, output_dir, shim, cwd):
    integration = os.path.join(work, "test", "integration")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_") and k not in ("OUTPUT_DIR", "INVENTORY_PATH")}
    path = env.get("PATH", "/usr/bin:/bin")
    env.update(
        PATH=(shim + os.pathsep + path) if shim else path,
        ANSIBLE_FORCE_COLOR="false",
        ANSIBLE_FORCE_HANDLERS="true",
        ANSIBLE_HOST_PATTERN_MISMATCH="error",
        ANSIBLE_INVENTORY="/dev/null",
        ANSIBLE_DEPRECATION_WARNINGS="false",
        ANSIBLE_HOST_KEY_CHECKING="false",
        ANSIBLE_RETRY_FILES_ENABLED="false",
        ANSIBLE_CONFIG=os.path.join(integration, "integration.cfg"),
        ANSIBLE_DEVEL_WARNING="false",
        ANSIBLE_PYTHON_INTERPRETER="/set/ansible_python_interpreter/in/inventory",
        PAGER="/bin/cat",
        ANSIBLE_TEST_ANSIBLE_VERSION=VERSION,
        ANSIBLE_TEST_CI="",
        ANSIBLE_TEST_COVERAGE="",
        OUTPUT_DIR=output_dir,
        INVENTORY_PATH=os.path.join(integration, "inventory"),
        ANSIBLE_PLAYBOOK_DIR=cwd,
        NO_COLOR="1",
    )
    support_modules = os.path.join(SDIST, "test", "support", "integration", "plugins", "modules")
    env["ANSIBLE_LIBRARY"] = support_modules if os.path.isdir(support_modules) else "/dev/null"
    return env


def target_env(name):
    """A target's own environment from its `env/set/NAME/VALUE` aliases, as ansible-test applies it."""
    return dict(a.split("/", 3)[2:4] for a in aliases(name) if a.startswith("env/set/") and a.count("/") >= 3)


def prepare(name):
    work = tempfile.mkdtemp(prefix=f"{name}-", suffix=UNICODE_SUFFIX, dir=os.path.join(CACHE, "tmp"))
    integration = os.path.join(work, "test", "integration")
    os.makedirs(os.path.join(integration, "targets"))
    for dep in dependencies(name):
        shutil.copytree(os.path.join(TARGETS, dep), os.path.join(integration, "targets", dep), symlinks=True)
    shutil.copy(os.path.join(SDIST, "test", "lib", "ansible_test", "_data", "ansible.cfg"), os.path.join(integration, "integration.cfg"))
    with open(os.path.join(integration, "inventory"), "w") as f:
        f.write("[testgroup]\ntesthost ansible_connection=local ansible_pipelining=yes "
                f"ansible_python_interpreter={os.path.realpath(sys.executable)}\n")
    return work


def run_one(name, work, output_dir, shim, timeout, log):
    integration = os.path.join(work, "test", "integration")
    target_dir = os.path.join(integration, "targets", name)
    if os.path.exists(os.path.join(target_dir, "runme.sh")):
        cwd, cmd = target_dir, ["./runme.sh"]
        env = environment(work, output_dir, shim, cwd) | target_env(name)
    else:
        gather = "gather_facts/no/" not in [a + "/" for a in aliases(name)]
        play = [dict(hosts="testhost", gather_facts=gather, vars_files=[], vars=dict(output_dir=output_dir), roles=[name])]
        playbook = os.path.join(integration, f"{name}-generated.yml")
        with open(playbook, "w") as f:
            json.dump(play, f, indent=4, sort_keys=True)
        cwd, cmd = integration, ["ansible-playbook", os.path.basename(playbook), "-i", "inventory"]
        env = environment(work, output_dir, shim, cwd) | target_env(name)
        env["ANSIBLE_ROLES_PATH"] = os.path.join(integration, "targets")
    log.write(f"### {name}: {' '.join(cmd)} (cwd {cwd})\n")
    log.flush()
    started = time.time()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        rc = "timeout"
    log.write(f"### {name}: rc={rc} in {time.time() - started:.1f}s\n")
    return rc


def run_target(name, engine, shim, timeout):
    os.makedirs(os.path.join(CACHE, "tmp"), exist_ok=True)
    log_dir = os.path.join(CACHE, "logs", engine)
    os.makedirs(log_dir, exist_ok=True)
    log_path = os.path.join(log_dir, f"{name}.log")
    work = prepare(name)
    output_dir = os.path.join(work, "output_dir")
    started = time.time()
    result = "pass"
    try:
        with open(log_path, "w") as log:
            for step in setup_targets(name) + [name]:
                shutil.rmtree(output_dir, ignore_errors=True)
                os.makedirs(output_dir)
                rc = run_one(step, work, output_dir, shim, timeout, log)
                if rc != 0:
                    result = "timeout" if rc == "timeout" else ("setup-fail" if step != name else "fail")
                    break
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return dict(result=result, seconds=round(time.time() - started, 1), log=log_path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", help="targets to run (default: targets.txt)")
    parser.add_argument("-e", "--engine", choices=["ansible", "troupe", "both"], default="both")
    parser.add_argument("--slice", action="store_true", help="run the short slice (slice.txt)")
    parser.add_argument("--timeout", type=int, default=int(os.environ.get("TROUPE_INTEGRATION_TIMEOUT", "240")))
    parser.add_argument("--troupe", default=os.environ.get("TROUPE") or os.path.join(ROOT, ".build", "debug", "troupe"))
    parser.add_argument("-j", "--jobs", type=int, default=int(os.environ.get("TROUPE_INTEGRATION_JOBS", "1")),
                        help="targets run at once (default 1)")
    parser.add_argument("--refresh-oracle", action="store_true", help="rerun ansible-core even when its result is cached")
    parser.add_argument("--require-sdist", action="store_true", help="fail (instead of skipping) when the sdist is unavailable")
    args = parser.parse_args()

    if not ensure_sdist():
        print(f"integration: ansible-core {VERSION} sdist unavailable (pip download failed); targets not run")
        return 1 if args.require_sdist else 0
    names = args.targets or read_list(os.path.join(HERE, "slice.txt" if args.slice else "targets.txt"))
    missing = [n for n in names if not os.path.isdir(os.path.join(TARGETS, n))]
    if missing:
        print(f"integration: unknown targets: {', '.join(missing)}", file=sys.stderr)
        return 2

    oracle_path = os.path.join(CACHE, "results", "ansible.json")
    os.makedirs(os.path.dirname(oracle_path), exist_ok=True)
    oracle = json.load(open(oracle_path)) if os.path.exists(oracle_path) else {}
    troupe_results = {}
    shim = None
    if args.engine in ("troupe", "both"):
        if not os.access(args.troupe, os.X_OK):
            print(f"integration: no troupe binary at {args.troupe} (build it, or set TROUPE)", file=sys.stderr)
            return 2
        shim = make_shim(os.path.abspath(args.troupe))
    lock = threading.Lock()

    def run_both(name):
        if args.engine in ("ansible", "both") and (args.refresh_oracle or name not in oracle):
            result = run_target(name, "ansible", None, args.timeout)
            with lock:
                oracle[name] = result
                json.dump(oracle, open(oracle_path, "w"), indent=1, sort_keys=True)
        if shim:
            troupe_results[name] = run_target(name, "troupe", shim, args.timeout)
        a = oracle.get(name, {}).get("result", "-")
        t = troupe_results.get(name, {}).get("result", "-")
        with lock:
            print(f"{name:34} {a:>13} {t:>10}", flush=True)

    try:
        print(f"{'target':34} {'ansible-core':>13} {'troupe':>10}")
        # Targets are independent (own work dir, own output_dir), so --jobs may run several at once.
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            list(pool.map(run_both, names))
    finally:
        if shim:
            shutil.rmtree(shim, ignore_errors=True)
    oracle_pass = [n for n in names if oracle.get(n, {}).get("result") == "pass"]
    print(f"\nansible-core passes {len(oracle_pass)} of {len(names)}")
    if shim:
        both = [n for n in oracle_pass if troupe_results[n]["result"] == "pass"]
        print(f"troupe passes {len([n for n in names if troupe_results[n]['result'] == 'pass'])} of {len(names)}; "
              f"{len(both)} of the {len(oracle_pass)} that ansible-core passes")
        troupe_path = os.path.join(CACHE, "results", "troupe.json")
        stored = json.load(open(troupe_path)) if os.path.exists(troupe_path) else {}
        stored.update(troupe_results)  # a partial run (--slice, named targets) keeps the others' last results
        json.dump(stored, open(troupe_path, "w"), indent=1, sort_keys=True)
        regressions = [n for n in oracle_pass if troupe_results[n]["result"] != "pass"]
        if args.slice and regressions:
            print("slice failures: " + ", ".join(regressions))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
