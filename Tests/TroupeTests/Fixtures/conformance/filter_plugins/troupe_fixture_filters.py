# Python filter plugins for the python_plugins conformance fixture.
from __future__ import annotations

from ansible.errors import AnsibleFilterError


def fx_double(value, times=2):
    return value * times


def fx_describe(value, *args, **kwargs):
    return {'value': value, 'args': list(args), 'kwargs': dict(sorted(kwargs.items()))}


def fx_fail(value):
    raise AnsibleFilterError('fx_fail cannot take %r' % (value,))


def fx_pairs(value):
    return [(k, v) for k, v in sorted(value.items())]


class FilterModule:
    def filters(self):
        return {'fx_double': fx_double, 'fx_describe': fx_describe, 'fx_fail': fx_fail, 'fx_pairs': fx_pairs}
