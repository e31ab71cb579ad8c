#!/usr/bin/env python3
"""Cluster throughput (issue #16): jobs/min of a short playbook with 1, 2 and 3 nodes on one
PostgreSQL, and the claim latency (launch -> running: `started - created` of each job)
at p50 and p99, both for the burst (queueing included) and for one launch at a time on
idle nodes (the claim path itself: NOTIFY, claim transaction, job start).

Starts a throwaway PostgreSQL 15 (initdb in a temp dir, a loopback port), then for each
node count a fresh database and that many `troupe-server --node-type hybrid` processes,
launches the jobs through the nodes' APIs in turn (8 clients at once) and waits until
every job has ended. All nodes share this machine's cores.

Usage: benchmarks/controller/cluster.py [--server PATH] [--jobs N] [--nodes 1,2,3] [--capacity N]
"""
import argparse, base64, http.client, json, os, shutil, socket, statistics, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PG = "/usr/lib/postgresql/15/bin"
PASSWORD = "bench-secret-1"
AUTH = "Basic " + base64.b64encode(f"admin:{PASSWORD}".encode()).decode()
PLAYBOOK = "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": AUTH}
    if body is not None:
        headers["Content-Type"] = "application/json"
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, (json.loads(data) if data else None)


def wait_up(port, process, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"troupe-server on port {port} exited with {process.returncode}")
        try:
            if call(port, "GET", "/api/v2/ping/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"troupe-server on port {port} did not start")


class Postgres:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="troupe-pg-bench-")
        self.root = os.getuid() == 0
        if self.root:
            shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        self.run(f"{PG}/initdb", "-D", f"{self.dir}/data", "-U", "troupe", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
        self.run(f"{PG}/pg_ctl", "-D", f"{self.dir}/data", "-o", f"-p {self.port} -h 127.0.0.1 -k {self.dir} -c max_connections=300",
                 "-l", f"{self.dir}/log", "start", "-w")

    def run(self, *argv):
        argv = (["runuser", "-u", "postgres", "--"] if self.root else []) + list(argv)
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def database(self, name):
        self.run(f"{PG}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "troupe", "-d", "postgres", "-c", f"CREATE DATABASE {name}")
        return f"postgres://troupe@127.0.0.1:{self.port}/{name}?sslmode=disable"

    def stop(self):
        try:
            self.run(f"{PG}/pg_ctl", "-D", f"{self.dir}/data", "stop", "-m", "fast")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def start_nodes(server, url, count, capacity, root):
    nodes = []
    for index in range(1, count + 1):
        data = os.path.join(root, f"node{index}")
        os.makedirs(os.path.join(data, "projects", "demo"), exist_ok=True)
        with open(os.path.join(data, "projects", "demo", "site.yml"), "w") as f:
            f.write(PLAYBOOK)
        port = free_port()
        env = dict(os.environ, TROUPE_ADMIN_PASSWORD=PASSWORD, TROUPE_SECRET_KEY="bench-key")
        process = subprocess.Popen([server, "--port", str(port), "--data-dir", data, "--node", f"node{index}",
                                    "--database", url, "--capacity", str(capacity), "--heartbeat-interval", "2"],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        nodes.append((port, process))
    for port, process in nodes:
        wait_up(port, process)
    return nodes


def seed(port):
    org = call(port, "POST", "/api/v2/organizations/", {"name": "Org"})[1]["id"]
    inventory = call(port, "POST", "/api/v2/inventories/", {"name": "Local", "organization": org})[1]["id"]
    call(port, "POST", "/api/v2/hosts/", {"name": "localhost", "inventory": inventory,
         "variables": json.dumps({"ansible_connection": "local", "ansible_python_interpreter": sys.executable})})
    project = call(port, "POST", "/api/v2/projects/", {"name": "Demo", "organization": org, "scm_type": "", "local_path": "demo"})[1]["id"]
    return call(port, "POST", "/api/v2/job_templates/", {"name": "Short", "project": project, "inventory": inventory,
                "playbook": "site.yml", "allow_simultaneous": True})[1]["id"]


def parse(ts):
    # 2026-12-07T12:00:00.123456Z
    from datetime import datetime, timezone
    return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()


def measure(ports, template, jobs):
    begin = time.time()
    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda i: call(ports[i % len(ports)], "POST", f"/api/v2/job_templates/{template}/launch/", {})[1]["job"],
                            range(jobs)))
    rows = {}
    deadline = time.time() + 1800
    while time.time() < deadline:
        rows = {}
        page = 1
        while True:
            listing = call(ports[0], "GET", f"/api/v2/jobs/?order_by=id&page_size=200&page={page}")[1]
            rows.update({r["id"]: r for r in listing["results"]})
            if not listing["next"]:
                break
            page += 1
        if all(rows.get(i, {}).get("status") in ("successful", "failed", "error", "canceled") for i in ids):
            break
        time.sleep(0.25)
    end = max(parse(rows[i]["finished"]) for i in ids)
    first = min(parse(rows[i]["created"]) for i in ids)
    statuses = {}
    for i in ids:
        statuses[rows[i]["status"]] = statuses.get(rows[i]["status"], 0) + 1
    latency = sorted(parse(rows[i]["started"]) - parse(rows[i]["created"]) for i in ids if rows[i]["started"])
    per_node = {}
    for i in ids:
        per_node[rows[i]["execution_node"]] = per_node.get(rows[i]["execution_node"], 0) + 1
    return {"jobs_per_min": len(ids) / (end - first) * 60, "wall": time.time() - begin, "statuses": statuses,
            "p50_ms": statistics.median(latency) * 1000, "p99_ms": latency[min(len(latency) - 1, int(len(latency) * 0.99))] * 1000,
            "per_node": per_node}


def idle_latency(ports, template, samples):
    """Launch -> running with free capacity: one job at a time, each through the next node."""
    latency = []
    for n in range(samples):
        job = call(ports[n % len(ports)], "POST", f"/api/v2/job_templates/{template}/launch/", {})[1]["job"]
        while True:
            row = call(ports[0], "GET", f"/api/v2/jobs/{job}/")[1]
            if row["status"] in ("successful", "failed", "error", "canceled"):
                break
            time.sleep(0.05)
        latency.append(parse(row["started"]) - parse(row["created"]))
    latency.sort()
    return statistics.median(latency) * 1000, latency[min(len(latency) - 1, int(len(latency) * 0.99))] * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", default=os.path.join(ROOT, ".build/debug/troupe-server"))
    parser.add_argument("--jobs", type=int, default=120)
    parser.add_argument("--nodes", default="1,2,3")
    parser.add_argument("--capacity", type=int, default=8, help="forks per node (a one-host job takes 2)")
    parser.add_argument("--samples", type=int, default=20, help="one-at-a-time launches for the idle claim latency")
    args = parser.parse_args()
    pg = Postgres()
    root = tempfile.mkdtemp(prefix="troupe-cluster-bench-")
    try:
        for count in [int(n) for n in args.nodes.split(",")]:
            url = pg.database(f"bench{count}")
            nodes = start_nodes(args.server, url, count, args.capacity, os.path.join(root, str(count)))
            try:
                template = seed(nodes[0][0])
                result = measure([p for p, _ in nodes], template, args.jobs)
                idle = idle_latency([p for p, _ in nodes], template, args.samples)
            finally:
                for _, process in nodes:
                    process.terminate()
                for _, process in nodes:
                    process.wait(timeout=30)
            print(f"BENCH cluster: {count} node(s), {args.jobs} jobs, capacity {args.capacity} each: "
                  f"{result['jobs_per_min']:.0f} jobs/min; burst launch->running p50 {result['p50_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms; "
                  f"idle launch->running p50 {idle[0]:.0f} ms, p99 {idle[1]:.0f} ms; "
                  f"{result['statuses']} {result['per_node']} (load {os.getloadavg()[0]:.1f})", flush=True)
    finally:
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
