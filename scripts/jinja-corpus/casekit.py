"""Tiny helpers the case-definition modules use to declare corpus cases.

A case module builds a `Family` and adds cases to it; gen.py runs every case through
ansible-core's Templar and records the observed result. Cases never state their own
expectation: Python is the only source of truth.
"""

import collections

MODES = ("native", "text", "expr")


class Family:
    """An ordered list of cases for one corpus file (`<name>.jsonl`)."""

    def __init__(self, name):
        self.name = name
        self.cases = []
        self._counters = collections.Counter()

    def add(self, group, template, vars=None, mode="native", options=None, templates=None):
        """Declares one case. `group` is the middle part of the id (a filter name,
        a statement kind ...); cases in a group are numbered in declaration order."""
        if mode not in MODES:
            raise ValueError(f"bad mode {mode!r}")
        self._counters[group] += 1
        case_id = f"{self.name}/{group}/{self._counters[group]:03d}"
        self.cases.append({
            "id": case_id,
            "mode": mode,
            "template": template,
            "vars": vars or {},
            "options": dict(options or {}),
            "templates": templates,
        })
        return case_id

    # Shorthands -------------------------------------------------------------

    def native(self, group, template, vars=None, **kw):
        return self.add(group, template, vars, mode="native", **kw)

    def text(self, group, template, vars=None, **kw):
        return self.add(group, template, vars, mode="text", **kw)

    def expr(self, group, expression, vars=None, **kw):
        return self.add(group, expression, vars, mode="expr", **kw)

    def each(self, group, sources, vars=None, mode="native", **kw):
        """Adds one case per template in `sources`, all sharing `vars`."""
        for template in sources:
            self.add(group, template, vars, mode=mode, **kw)

    def exprs(self, group, expressions, vars=None, **kw):
        self.each(group, expressions, vars, mode="expr", **kw)
