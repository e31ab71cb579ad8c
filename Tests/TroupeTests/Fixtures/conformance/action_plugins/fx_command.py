# A Python action plugin that runs a module on the host through _execute_module.
from __future__ import annotations

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        command = self._execute_module(module_name='ansible.legacy.command',
                                       module_args={'_raw_params': 'echo %s' % self._task.args['word']}, task_vars=task_vars)
        result.update(changed=False, rc=command['rc'], out=command['stdout'])
        return result
