# For the it_task_args conformance fixture: the task's final arguments, as the action sees them.
from __future__ import annotations

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        return dict(action_args=self._task.args)
