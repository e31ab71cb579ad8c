#!/usr/bin/env python3
"""Controller benchmark (not a timed test).

Seeds SQLite with 100,000 hosts (10 inventories, 2 organizations) and 1,000,000 job
events, starts troupe-server on it, then measures:
  - a filtered, sorted, paged host list (p50/p99 over N requests, keep-alive, Basic auth)
  - GET /api/v2/ping/ with wrk (requests/s)

Usage: benchmarks/controller/bench.py [--server PATH] [--hosts N] [--events N] [--requests N]
"""
import argparse, base64, http.client, json, os, random, shutil, sqlite3, statistics, subprocess, sys, tempfile, time, uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def wait_port(port, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v2/ping/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def start(server, data, port, env):
    return subprocess.Popen([server, "--port", str(port), "--data-dir", data], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def seed(db_path, hosts, events):
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    now = "2026-12-07T12:00:00.000000Z"
    cur = db.cursor()
    org_ids = []
    for i in range(2):
        cur.execute("INSERT INTO organizations (name, created, modified) VALUES (?, ?, ?)", (f"BenchOrg{i}", now, now))
        org_ids.append(cur.lastrowid)
    inv_ids = []
    for i in range(10):
        cur.execute("INSERT INTO inventories (name, organization_id, created, modified) VALUES (?, ?, ?, ?)",
                    (f"BenchInv{i}", org_ids[i % 2], now, now))
        inv_ids.append(cur.lastrowid)
    rows = ((f"host-{n:06d}", f"bench host {n}", inv_ids[n % 10], n % 7 != 0, json.dumps({"n": n}), now, now) for n in range(hosts))
    cur.executemany("INSERT INTO hosts (name, description, inventory_id, enabled, variables, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    tables = {r[0] for r in cur.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "job_events" not in tables:
        # The jobs migrations own job_events; without them, a table of the design doc's shape.
        cur.execute("""CREATE TABLE job_events (id INTEGER PRIMARY KEY AUTOINCREMENT, unified_job_id BIGINT NOT NULL, counter INTEGER NOT NULL,
            event TEXT NOT NULL, event_data TEXT NOT NULL DEFAULT '{}', failed BOOLEAN NOT NULL DEFAULT FALSE, changed BOOLEAN NOT NULL DEFAULT FALSE,
            uuid TEXT NOT NULL DEFAULT '', parent_uuid TEXT NOT NULL DEFAULT '', host_id BIGINT, host_name TEXT NOT NULL DEFAULT '',
            stdout TEXT NOT NULL DEFAULT '', start_line INTEGER NOT NULL DEFAULT 0, end_line INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL,
            UNIQUE (unified_job_id, counter))""")
        cur.execute("CREATE INDEX job_events_lines ON job_events (unified_job_id, start_line)")
        columns = "(unified_job_id, counter, event, event_data, uuid, host_name, stdout, start_line, end_line, created)"
        erows = ((n // 1000 + 1, n % 1000 + 1, "runner_on_ok", "{}", str(uuid.uuid4()), f"host-{n % hosts:06d}",
                  f"ok: [host-{n % hosts:06d}]", n % 1000, n % 1000 + 1, now) for n in range(events))
        cur.executemany(f"INSERT INTO job_events {columns} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", erows)
    db.commit()
    db.execute("ANALYZE")
    db.close()


def measure(port, auth, path, count):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()}
    times = []
    for i in range(count + 10):
        start = time.perf_counter()
        conn.request("GET", path(i), headers=headers)
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise SystemExit(f"{path(i)} → {response.status} {body[:300]!r}")
        if i >= 10:
            times.append(elapsed * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1], json.loads(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", default=os.path.join(ROOT, ".build/release/troupe-server"))
    parser.add_argument("--hosts", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    if not os.path.exists(args.server):
        args.server = os.path.join(ROOT, ".build/debug/troupe-server")
    data = tempfile.mkdtemp(prefix="troupe-bench-")
    env = dict(os.environ, TROUPE_ADMIN_PASSWORD="bench-pass")
    port = random.randint(20000, 40000)
    try:
        proc = start(args.server, data, port, env)
        wait_port(port)
        proc.terminate(); proc.wait()
        t0 = time.time()
        seed(os.path.join(data, "troupe.db"), args.hosts, args.events)
        print(f"seeded {args.hosts} hosts, {args.events} events in {time.time() - t0:.1f}s ({args.server})")
        proc = start(args.server, data, port, env)
        wait_port(port)
        queries = {
            "hosts: name__startswith + enabled, order_by=-name, page 3":
                lambda i: f"/api/v2/hosts/?name__startswith=host-0{i % 9 + 1}&enabled=true&order_by=-name&page=3",
            "hosts: inventory__name filter, order_by=name, page_size=50":
                lambda i: f"/api/v2/hosts/?inventory__name=BenchInv{i % 10}&order_by=name&page_size=50&page={i % 20 + 1}",
            "hosts: search=, order_by=-id": lambda i: f"/api/v2/hosts/?search=host-0{i % 9 + 1}2&order_by=-id",
        }
        for label, path in queries.items():
            p50, p99, body = measure(port, "admin:bench-pass", path, args.requests)
            print(f"{label}: p50 {p50:.1f} ms, p99 {p99:.1f} ms (count {body.get('count')})")
        if shutil.which("wrk"):
            out = subprocess.run(["wrk", "-t2", "-c32", "-d10s", f"http://127.0.0.1:{port}/api/v2/ping/"], capture_output=True, text=True).stdout
            rps = [line for line in out.splitlines() if "Requests/sec" in line]
            print("ping (wrk -t2 -c32 -d10s):", rps[0].split()[-1] if rps else out)
        proc.terminate(); proc.wait()
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
