"""Runs one command and measures it as the scale benchmark reports it: wall time, the peak
RSS of its whole process tree (summed over every live descendant at each sample), the CPU
seconds of the top process alone (the controller, without its workers) and of the whole
tree (from wait4, which includes every reaped descendant)."""
import os
import subprocess
import time
from dataclasses import dataclass

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Measurement:
    wall: float
    peak_rss_mb: float
    controller_cpu: float
    tree_cpu: float
    rc: int
    output: str


class _ParentIndex:
    """Parent pid of every process, kept across samples: each pass lists /proc (cheap) but
    reads the stat file only of processes it has not seen before. With a 1,000-host lab
    there are thousands of sshd and shell processes; reading every one's stat 20 times a
    second took most of a core from the very run being measured. A pid cannot be reused
    within one interval, so a pid still listed is still the same process."""

    def __init__(self):
        self.parent = {}

    def children(self):
        """Parent pid -> child pids."""
        live = {int(e) for e in os.listdir("/proc") if e.isdigit()}
        for gone in self.parent.keys() - live:
            del self.parent[gone]
        for pid in live - self.parent.keys():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    self.parent[pid] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
        tree = {}
        for pid, ppid in self.parent.items():
            tree.setdefault(ppid, []).append(pid)
        return tree


def _rss_and_cpu(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0, 0.0
    # After the command name: state is field 0, utime 11, stime 12, rss 21 (pages).
    return int(fields[21]) * PAGE, (int(fields[11]) + int(fields[12])) / TICKS


def run(cmd, env, interval=0.05, cwd=None):
    _reaped_cpu()   # start the tree's CPU count from here
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak, controller_cpu = 0, 0.0
    chunks = []
    index = _ParentIndex()
    os.set_blocking(proc.stdout.fileno(), False)
    while proc.poll() is None:
        tree, total, pending = index.children(), 0, [proc.pid]
        while pending:
            pid = pending.pop()
            rss, cpu = _rss_and_cpu(pid)
            total += rss
            if pid == proc.pid and cpu:
                controller_cpu = cpu
            pending.extend(tree.get(pid, []))
        peak = max(peak, total)
        try:
            data = proc.stdout.read()
            if data:
                chunks.append(data)
        except BlockingIOError:
            pass
        time.sleep(interval)
    wall = time.perf_counter() - start
    os.set_blocking(proc.stdout.fileno(), True)
    chunks.append(proc.stdout.read() or b"")
    tree_cpu = _reaped_cpu()
    return Measurement(wall, peak / 2**20, controller_cpu, tree_cpu, proc.returncode,
                       b"".join(chunks).decode(errors="replace"))


_last_children_cpu = [0.0]


def _reaped_cpu():
    """CPU seconds of children reaped since the last call (RUSAGE_CHILDREN grows as each
    finished command, and every descendant it waited for, is reaped)."""
    import resource
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    delta, _last_children_cpu[0] = total - _last_children_cpu[0], total
    return delta
