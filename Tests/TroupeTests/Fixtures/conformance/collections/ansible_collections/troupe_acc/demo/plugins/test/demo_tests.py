# A collection test plugin, used by FQCN (troupe_acc.demo.loud).
from __future__ import annotations


def loud(value):
    return value.isupper()


class TestModule:
    def tests(self):
        return {'loud': loud}
