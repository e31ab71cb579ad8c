# A Python action plugin that fails the task.
from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        super().run(tmp, task_vars)
        raise AnsibleActionFail('fx_refuse refuses %s' % self._task.args.get('what', 'everything'))
