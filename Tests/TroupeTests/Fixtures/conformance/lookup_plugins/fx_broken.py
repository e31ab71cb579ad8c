# A Python lookup plugin that fails, for the python_plugins conformance fixture.
from __future__ import annotations

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        raise AnsibleLookupError('fx_broken always fails')
