# A collection action plugin, used by FQCN (troupe_acc.demo.demo_echo).
from __future__ import annotations

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        result.update(changed=False, msg='demo_echo got %s' % self._task.args.get('text'))
        return result
