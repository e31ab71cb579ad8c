#!/usr/bin/env python3
"""Per-task cost of each builtin module over SSH: the round trips Troupe makes (requests
that wait for the host's answer, counted by the engine when TROUPE_ROUNDTRIP_LOG is set)
and the processes the host starts for it. Processes are counted exactly: the script runs
its own sshd (the lab's user and keys) inside a new PID namespace, so the namespace's last
allocated PID, read before and after a run, is the number of processes the host forked.
Each module runs twice — first run (changes), second run (unchanged) — and the cost of
the connection and of a bare `raw: "true"` task is subtracted.

  benchmarks/roundtrips.py [--troupe .build/release/troupe] [--markdown]

Needs root (unshare, sshd) and the lab's user and keys (`make lab` once).
"""
import argparse, os, shutil, subprocess, sys, tempfile, time

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
        # force: false, so the setup never undoes what the module under test changed.
        tasks.append(f"copy: {{content: \"hello\\nsecond\\n\", dest: {BASE}/d/hello.txt, force: false}}")
    if name in ("stat", "slurp", "fetch"):
        tasks.append(f"template: {{src: motd.j2, dest: {BASE}/d/motd}}")
    return tasks


class CountingHost:
    """An sshd serving 127.0.0.250:2299 as the lab user, alone in a PID namespace."""
    ADDRESS, PORT = "127.0.0.250", 2299

    def __init__(self, scratch):
        lab = os.path.join(ROOT, "lab")
        if not os.path.exists(os.path.join(lab, "client_ed25519")):
            raise SystemExit("roundtrips: run `make lab` once first (it creates the lab user and keys)")
        self.config = os.path.join(scratch, "sshd_config")
        with open(os.path.join(lab, "sshd_config.0")) as f:
            body = [l for l in f.read().splitlines() if not l.startswith(("ListenAddress", "PidFile"))]
        with open(self.config, "w") as f:
            f.write(f"ListenAddress {self.ADDRESS}:{self.PORT}\nPidFile {scratch}/sshd.pid\n" + "\n".join(body) + "\n")
        key = " ".join(open(os.path.join(lab, "host_ed25519.pub")).read().split()[:2])
        known_hosts = os.path.join(scratch, "known_hosts")
        with open(known_hosts, "w") as f:
            f.write(f"[{self.ADDRESS}]:{self.PORT} {key}\n")
        self.inventory = os.path.join(scratch, "inventory.ini")
        with open(self.inventory, "w") as f:
            f.write(f"rt01 ansible_host={self.ADDRESS} ansible_port={self.PORT} ansible_user=troupelab "
                    f"ansible_ssh_private_key_file={lab}/client_ed25519 "
                    f"ansible_ssh_common_args='-o UserKnownHostsFile={known_hosts}'\n")
        self.process = subprocess.Popen(["unshare", "--pid", "--fork", "/usr/sbin/sshd", "-D", "-f", self.config,
                                         "-E", os.path.join(scratch, "sshd.log")])
        for _ in range(100):
            try:
                with open(f"/proc/{self.process.pid}/task/{self.process.pid}/children") as f:
                    children = f.read().split()
                if children and self._listening():
                    self.sshd = children[0]
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit("roundtrips: the counting sshd did not start")

    def _listening(self):
        import socket
        try:
            socket.create_connection((self.ADDRESS, self.PORT), timeout=0.2).close()
            return True
        except OSError:
            return False

    def last_pid(self):
        """The namespace's last allocated PID (the reading `cat` itself takes one)."""
        out = subprocess.run(["nsenter", "-t", self.sshd, "-p", "cat", "/proc/sys/kernel/ns_last_pid"],
                             stdout=subprocess.PIPE, text=True, check=True).stdout
        return int(out)

    def stop(self):
        self.process.terminate()
        self.process.wait()


def write_play(directory, tasks):
    lines = ["- hosts: rt01", "  gather_facts: false", "  tasks:",
             "    - name: baseline", "      raw: \"true\""]
    for n, body in enumerate(tasks):
        lines += [f"    - name: task {n}", f"      {body}"]
    path = os.path.join(directory, "play.yml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def measure(troupe, host, directory, tasks):
    """(round trips, host processes) of one run of the play."""
    play = write_play(directory, tasks)
    log = os.path.join(directory, "rt.log")
    open(log, "w").close()
    env = dict(os.environ, TROUPE_ROUNDTRIP_LOG=log)
    before = host.last_pid()
    run = subprocess.run([troupe, "playbook", "-i", host.inventory, play], cwd=directory, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(0.2)   # the session's processes end after the client hangs up
    forked = host.last_pid() - before - 1
    if run.returncode != 0:
        sys.stderr.write(run.stdout[-2000:])
        raise SystemExit("roundtrips: the play failed")
    if os.environ.get("ROUNDTRIPS_DEBUG"):
        sys.stderr.write(f"--- {tasks[-1] if tasks else 'baseline'}\n" + open(log).read())
    return sum(1 for _ in open(log)), forked


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--troupe", default=os.path.join(ROOT, ".build", "release", "troupe"))
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--only", help="comma-separated module names (prefixes) to measure")
    args = ap.parse_args()
    scratch = tempfile.mkdtemp(prefix="troupe-rt-")
    host = None
    try:
        with open(os.path.join(scratch, "motd.j2"), "w") as f:
            f.write("Managed on {{ inventory_hostname }}\n{% for n in range(3) %}line {{ n }}\n{% endfor %}\n")
        with open(os.path.join(scratch, "big.bin"), "wb") as f:
            f.write(os.urandom(100 * 1024))
        host = CountingHost(scratch)
        base_trips, base_procs = measure(args.troupe, host, scratch, [])
        rows = []
        only = [o.strip() for o in args.only.split(",")] if args.only else None
        for name, body in CASES:
            if only and not any(name.startswith(o) for o in only):
                continue
            subprocess.run(["rm", "-rf", BASE])
            setup = prepare(name)
            if setup:
                measure(args.troupe, host, scratch, setup)   # creates the starting state
            offset = measure(args.troupe, host, scratch, setup) if setup else (base_trips, base_procs)
            first = measure(args.troupe, host, scratch, setup + [body])
            second = measure(args.troupe, host, scratch, setup + [body])
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
        if host:
            host.stop()
        shutil.rmtree(scratch, ignore_errors=True)
        subprocess.run(["rm", "-rf", BASE])


if __name__ == "__main__":
    main()
