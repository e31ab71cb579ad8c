"""The SSH benchmark mix (benchmarks/ssh/playbook.yml) as a pyinfra deploy, operation for
operation: the same commands, files and template, in the same order, on every host.
Controller-side steps (set_fact, debug, assert) are python.call operations, which pyinfra
runs at their place in the order, as Ansible runs those actions on the controller."""
import os
from io import StringIO

from pyinfra import host
from pyinfra.facts.files import File
from pyinfra.operations import files, python, server

HERE = os.path.dirname(os.path.abspath(__file__))
name = host.name
base = f"/tmp/troupe-bench/{name}"
state = {}

server.shell(name="command", commands=["/bin/true"])
server.shell(name="shell", commands=['echo "$HOSTNAME" | wc -c'])
server.shell(name="raw", commands=["uname -s"])
server.shell(name="ping", commands=["echo pong"])


def set_marker():
    state["marker"] = name.upper()


def show(key):
    print(state[key])


def check_marker():
    assert len(state["marker"]) > 0


python.call(name="set_fact", function=set_marker)
python.call(name="debug", function=show, key="marker")
python.call(name="assert", function=check_marker)
for item in (1, 2, 3):
    server.shell(name="loop", commands=[f"echo {item}"])
who = server.shell(name="command with output", commands=["id -un"])


def show_who():
    print(who.stdout)


python.call(name="done", function=show_who)
files.directory(name="file", path=base, mode="755")
files.put(name="copy", src=StringIO(f"hello from {name}\n"), dest=f"{base}/hello.txt", mode="644")
files.template(name="template", src=os.path.join(HERE, "..", "ssh", "templates", "motd.j2"), dest=f"{base}/motd",
               inventory_hostname=name, marker=name.upper(), tool="pyinfra")
files.line(name="lineinfile", path=f"{base}/hello.txt", line="second line")
host.get_fact(File, path=f"{base}/motd")   # stat
