#!/usr/bin/env python3
# An inventory script with ansible-core 2.19's legacy forms (InventoryScriptTests): an
# untrusted value, a list as a group, a malformed group, and a line on stderr.
import json
import sys

print('script says hi', file=sys.stderr)
print(json.dumps({"_meta": {"hostvars": {"h1": {"hv": "v", "secret": {"__ansible_unsafe": "{{ nope }}"}}}},
                  "web": {"hosts": ["h1"], "vars": {"gv": "g"}},
                  "listed": ["h2"],
                  "loose": {"avar": "{{ x }}"}}))
