"""Undefined variables and attributes: which operations raise, the messages, and default()."""

from casekit import Family

V = {"d": {"a": 1, "nested": {"b": 2}}, "l": [1, 2], "s": "str", "n": None, "i": 3, "e": ""}


def build():
    f = Family("undefined")
    f.each("raises", [
        "{{ missing }}", "{{ missing.attr }}", "{{ missing['key'] }}", "{{ d.nope }}", "{{ d['nope'] }}", "{{ d.nested.nope }}",
        "{{ d.nope.deeper }}", "{{ l[5] }}", "{{ s.nope }}", "{{ n.attr }}", "{{ i.attr }}", "{{ missing + 1 }}",
        "{{ missing | upper }}", "{{ missing | length }}", "{{ missing ~ 'x' }}", "x{{ missing }}y", "{{ [missing] }}",
        "{{ {'k': missing} }}", "{% for x in missing %}{{ x }}{% endfor %}", "{% if missing %}y{% endif %}",
        "{{ missing() }}", "{{ d.a.b }}", "{{ l.nope }}", "{{ missing | int }}", "{{ missing == 1 }}",
        "{{ missing is string }}", "{{ 1 in missing }}", "{{ d[missing] }}", "{{ missing | list }}",
        "{{ missing | join(',') }}", "{{ missing[0] }}", "{{ (missing) }}", "{{ d['nested']['nope'] }}",
        "{{ l | map(attribute='nope') | list }}", "{{ [d] | map(attribute='nope') | list }}", "{{ missing is sameas none }}",
        "{{ not missing }}", "{{ missing and true }}", "{{ true and missing }}", "{{ missing or 'x' }}",
        "{{ undefined_one ~ undefined_two }}", "{{ d.nope | default(missing) }}",
    ], V)
    f.each("defined_tests", [
        "{{ missing is defined }}", "{{ missing is undefined }}", "{{ d.nope is defined }}", "{{ d.a is defined }}",
        "{{ d.nope.deeper is defined }}", "{{ missing.attr is defined }}", "{{ l[5] is defined }}", "{{ n is defined }}",
        "{{ n is none }}", "{{ s.nope is undefined }}", "{{ missing is not defined }}", "{{ d['nope'] is defined }}",
    ], V)
    f.each("default", [
        "{{ missing | default('dflt') }}", "{{ missing | d('dflt') }}", "{{ d.nope | default(0) }}", "{{ d.a | default(0) }}",
        "{{ n | default('x') }}", "{{ n | default('x', true) }}", "{{ e | default('x') }}", "{{ e | default('x', true) }}",
        "{{ e | default('x', boolean=true) }}", "{{ missing | default }}", "{{ missing | default(none) }}",
        "{{ missing.attr | default('deep') }}", "{{ d.nope.deeper | default('deeper') }}", "{{ missing | default([]) | length }}",
        "{{ missing | default({}) }}", "{{ 0 | default(5, true) }}", "{{ [] | default([1], true) }}",
        "{{ missing | default(missing2 | default('chain')) }}", "{{ missing | default(d.a) }}",
        "{{ (missing | default(1)) + 1 }}", "{{ l[5] | default('oob') }}",
    ], V)
    f.each("omit_like", [
        "{{ i if i is defined else 'no' }}",
        "{{ missing if missing is defined else 'no' }}", "{{ missing | default('a') | upper }}",
    ], V)
    f.exprs("expr_mode", [
        "missing", "missing is defined", "d.nope", "d.nope is undefined", "missing | default(false)",
        "missing == 1", "d.nope.deeper", "l[9]", "missing or true", "false and missing", "true or missing",
    ], V)
    f.each("text_mode", [
        "{{ missing }}", "a{{ d.nope }}b", "{{ missing | default('t') }}", "{% if missing is defined %}x{% endif %}.",
    ], V, mode="text")
    return f
