# For the it_task_args conformance fixture: like fx_args, for an action that takes raw params.
from __future__ import annotations

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    supports_raw_params = True

    def run(self, tmp=None, task_vars=None):
        return dict(action_args=self._task.args)
