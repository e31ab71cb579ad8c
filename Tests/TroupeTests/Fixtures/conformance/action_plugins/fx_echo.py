# A Python action plugin for the python_action_plugins conformance fixture: what it sees
# of the task (arguments, check mode) and of the task's variables.
from __future__ import annotations

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        result.update(changed=bool(self._task.args.get('change')), echoed=dict(self._task.args),
                      check_mode=self._task.check_mode, who=task_vars.get('fx_name'))
        return result
