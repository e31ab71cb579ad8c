# A Python lookup plugin for the python_plugins conformance fixture: terms, keyword
# options and the task's variables.
from __future__ import annotations

from ansible.plugins.lookup import LookupBase


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        greeting = kwargs.get('greeting', 'hello')
        who = variables.get('fx_name', 'nobody')
        return ['%s %s from %s' % (greeting, term, who) for term in terms]
