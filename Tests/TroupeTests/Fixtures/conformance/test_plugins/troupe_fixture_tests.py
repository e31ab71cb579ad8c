# Python test plugins for the python_plugins conformance fixture.
from __future__ import annotations


def fx_even(value):
    return value % 2 == 0


def fx_between(value, low, high):
    return low <= value <= high


class TestModule:
    def tests(self):
        return {'fx_even': fx_even, 'fx_between': fx_between}
