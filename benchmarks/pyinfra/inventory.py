"""pyinfra inventory built from the lab's Ansible inventory (lab/inventory.ini, or the file
named by BENCH_INVENTORY), so pyinfra reaches the same hosts with the same user, key and
pinned host keys. BENCH_HOSTS limits it to the first N hosts."""
import os as _os
import re as _re

_path = _os.environ.get("BENCH_INVENTORY") or _os.path.join(_os.path.dirname(__file__), "..", "..", "lab", "inventory.ini")
_limit = int(_os.environ.get("BENCH_HOSTS", "0"))
_entries, _data = [], {}
for _line in open(_path):
    _line = _line.strip()
    if not _line or _line.startswith(("#", "[")):
        continue
    _host = _re.match(r"^(\S+)\s+ansible_host=(\S+)", _line)
    if _host:
        _entries.append((_host.group(1), _host.group(2)))
        continue
    _key, _, _value = _line.partition("=")
    _data[_key.strip()] = _value.strip().strip("'")

_known_hosts = _re.search(r"UserKnownHostsFile=(\S+)", _data.get("ansible_ssh_common_args", ""))
_common = {"ssh_port": int(_data.get("ansible_port", "22")), "ssh_user": _data.get("ansible_user"),
          "ssh_key": _data.get("ansible_ssh_private_key_file"),
          "ssh_known_hosts_file": _known_hosts.group(1) if _known_hosts else None,
          "ssh_strict_host_key_checking": "yes"}
lab = [(_n, dict(_common, ssh_hostname=_a)) for _n, _a in (_entries[:_limit] if _limit else _entries)]
