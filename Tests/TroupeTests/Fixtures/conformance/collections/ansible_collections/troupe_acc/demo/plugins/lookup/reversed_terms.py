# A collection lookup plugin, used by FQCN (troupe_acc.demo.reversed_terms).
from __future__ import annotations

from ansible.plugins.lookup import LookupBase


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        return [term[::-1] for term in terms]
