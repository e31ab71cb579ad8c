# An action plugin that only re-exports a builtin one.
from __future__ import annotations

from ansible.plugins.action.debug import ActionModule

assert ActionModule
