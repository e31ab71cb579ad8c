from __future__ import annotations

from ansible.module_utils.common.text.converters import to_text


def greeting(who):
    return to_text("hello, %s" % who)
