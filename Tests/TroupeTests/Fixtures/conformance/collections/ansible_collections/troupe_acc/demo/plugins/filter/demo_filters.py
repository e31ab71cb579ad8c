# A collection filter plugin, used by FQCN (troupe_acc.demo.shout).
from __future__ import annotations


def shout(value, mark='!'):
    return value.upper() + mark


class FilterModule:
    def filters(self):
        return {'shout': shout}
