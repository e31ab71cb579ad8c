#!/usr/bin/env python3
"""Python Jinja2 timings of the two workloads in Sources/Jinja/JinjaBenchmark.swift.

Run: python3 benchmarks/jinja/bench.py [seconds]
Compare with the Swift engine via `troupe bench-jinja` (release build).
"""
import sys
import time

import jinja2

SMALL = "{{ item.name | upper }}-{{ idx }}"
LOOP = (
    "{% for h in hosts %}{{ loop.index }}: {{ h.name | upper }} "
    "{% if h.port > 1000 %}high{% else %}low{% endif %} {{ h.tags | join(',') }}\n"
    "{% endfor %}"
)


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    env = jinja2.Environment()

    small = env.from_string(SMALL)
    item = {"name": "web01"}
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for i in range(1000):
            small.render(item=item, idx=i)
        count += 1000
    print(f"small_renders_per_s {count / (time.perf_counter() - start):.0f}")

    hosts = [{"name": f"host{i}", "port": i * 3, "tags": ["web", f"dc{i % 4}"]} for i in range(1000)]
    loop = env.from_string(LOOP)
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        loop.render(hosts=hosts)
        count += 1
    rate = count / (time.perf_counter() - start)
    print(f"loop_renders_per_s {rate:.1f}")
    print(f"loop_items_per_s {rate * 1000:.0f}")


if __name__ == "__main__":
    main()
