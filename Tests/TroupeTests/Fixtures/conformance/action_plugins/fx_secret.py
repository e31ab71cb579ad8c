# A Python action plugin whose result asks to be hidden.
from __future__ import annotations

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        return dict(changed=False, failed=False, msg="the secret result", _ansible_no_log=True)
