"""The local benchmark (benchmarks/local/playbook.yml: 50 x [command, set_fact, debug with
a filter, assert] + 1) as a pyinfra deploy for `pyinfra @local`, operation for operation."""
from pyinfra.operations import python, server

WORDS = ["alpha", "beta", "gamma"]
state = {}


def set_counter(i):
    state["counter"] = i


def show():
    print(",".join(w.upper() for w in WORDS), state["counter"])


def check(i):
    assert int(state["counter"]) == i


for i in range(50):
    server.shell(name=f"true {i}", commands=["/bin/true"])
    python.call(name=f"fact {i}", function=set_counter, i=i)
    python.call(name=f"show {i}", function=show)
    python.call(name=f"check {i}", function=check, i=i)
python.call(name="done", function=lambda: print("finished"))
