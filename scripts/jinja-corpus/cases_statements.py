"""if/elif/else, for (loop.*, else, filter, unpacking, recursive), set, namespace, macro/call,
raw, filter blocks, with, include/import (templates installed in a loader)."""

from casekit import Family

V = {
    "items": ["a", "b", "c"], "nums": [3, 1, 2], "empty": [], "n": 5, "flag": True, "name": "world",
    "pairs": [[1, "one"], [2, "two"]], "d": {"x": 1, "y": 2},
    "tree": [{"name": "root", "children": [{"name": "kid1", "children": []},
                                          {"name": "kid2", "children": [{"name": "leaf", "children": []}]}]}],
    "users": [{"name": "ann", "admin": True}, {"name": "bob", "admin": False}, {"name": "cy", "admin": True}],
}

TEMPLATES = {
    "hello.j2": "Hello {{ name }}!",
    "macros.j2": "{% macro greet(who='you') %}Hi {{ who }}{% endmacro %}{% macro add(a, b) %}{{ a + b }}{% endmacro %}{% set constant = 42 %}",
    "loop.j2": "{% for i in items %}[{{ i }}]{% endfor %}",
    "uses_local.j2": "{{ local_var | default('none') }}",
    "nested/inner.j2": "inner({{ n }})",
    "outer.j2": "outer<{% include 'nested/inner.j2' %}>",
    "base.j2": "<{% block body %}base body{% endblock %}|{% block foot %}foot{% endblock %}>",
    "child.j2": "{% extends 'base.j2' %}{% block body %}child {{ super() }}{% endblock %}",
    "trailing.j2": "line\n",
}


def build():
    f = Family("statements")
    f.each("if", [
        "{% if flag %}yes{% endif %}", "{% if not flag %}yes{% else %}no{% endif %}",
        "{% if n > 10 %}big{% elif n > 3 %}mid{% else %}small{% endif %}",
        "{% if n > 10 %}big{% elif n > 8 %}mid{% endif %}.", "{% if empty %}full{% else %}empty{% endif %}",
        "{% if 'a' in items %}has a{% endif %}", "{% if undefined_thing is defined %}x{% else %}undef{% endif %}",
        "{% if n %}{% if flag %}both{% endif %}{% endif %}", "{% if none %}1{% elif 0 %}2{% elif '' %}3{% else %}4{% endif %}",
        "{% if n is odd and flag %}odd{% endif %}", "{% if d.x == 1 %}one{% endif %}",
        "{% if n == 5 %}{{ n }}{% endif %}", "{% if [] %}a{% elif {} %}b{% elif [0] %}c{% endif %}",
    ], V)
    f.each("for", [
        "{% for i in items %}{{ i }}{% endfor %}", "{% for i in items %}{{ i }},{% endfor %}",
        "{% for i in empty %}{{ i }}{% else %}none{% endfor %}", "{% for i in nums if i > 1 %}{{ i }}{% endfor %}",
        "{% for a, b in pairs %}{{ a }}={{ b }};{% endfor %}", "{% for k, v in d.items() %}{{ k }}:{{ v }} {% endfor %}",
        "{% for k in d %}{{ k }}{% endfor %}", "{% for c in 'xyz' %}{{ c | upper }}{% endfor %}",
        "{% for i in range(3) %}{{ i }}{% endfor %}", "{% for i in nums | sort %}{{ i }}{% endfor %}",
        "{% for i in items %}{% for j in nums %}{{ i }}{{ j }} {% endfor %}{% endfor %}",
        "{% for u in users if u.admin %}{{ u.name }}{% else %}nobody{% endfor %}",
        "{% for u in users if u.name == 'zed' %}{{ u.name }}{% else %}nobody{% endfor %}",
        "{% for i in items %}{% set x = i %}{% endfor %}{{ x | default('unset') }}",
        "{% for (a, b) in pairs %}{{ b }}{% endfor %}", "{% for i in [[1, 2], [3, 4]] %}{{ i[0] + i[1] }} {% endfor %}",
        "{% for a, (b, c) in [[1, [2, 3]]] %}{{ a }}{{ b }}{{ c }}{% endfor %}",
        "{% for x in items %}{{ x }}{% if not loop.last %}, {% endif %}{% endfor %}",
    ], V)
    f.each("loop_vars", [
        "{% for i in items %}{{ loop.index }}{% endfor %}", "{% for i in items %}{{ loop.index0 }}{% endfor %}",
        "{% for i in items %}{{ loop.revindex }}{% endfor %}", "{% for i in items %}{{ loop.revindex0 }}{% endfor %}",
        "{% for i in items %}{{ loop.first }} {% endfor %}", "{% for i in items %}{{ loop.last }} {% endfor %}",
        "{% for i in items %}{{ loop.length }}{% endfor %}", "{% for i in items %}{{ loop.cycle('odd', 'even') }} {% endfor %}",
        "{% for i in items %}{{ loop.previtem | default('-') }}{% endfor %}", "{% for i in items %}{{ loop.nextitem | default('-') }}{% endfor %}",
        "{% for i in items %}{{ loop.depth }}{% endfor %}", "{% for i in items %}{{ loop.depth0 }}{% endfor %}",
        "{% for i in nums %}{{ loop.changed(i > 1) }} {% endfor %}", "{% for i in [1, 1, 2, 2, 1] %}{% if loop.changed(i) %}{{ i }}{% endif %}{% endfor %}",
        "{% for i in items %}{% for j in nums %}{{ loop.index }}{% endfor %}|{{ loop.index }} {% endfor %}",
        "{% for i in nums if i > 1 %}{{ loop.index }}/{{ loop.length }} {% endfor %}",
        "{% for i in items %}{% if loop.first %}<{% endif %}{{ i }}{% if loop.last %}>{% endif %}{% endfor %}",
        "{% for i in items %}{{ loop.index is divisibleby 2 }} {% endfor %}",
    ], V)
    f.each("loop_recursive", [
        "{% for node in tree recursive %}{{ node.name }}{% if node.children %}({{ loop(node.children) }}){% endif %}{% endfor %}",
        "{% for node in tree recursive %}{{ loop.depth }}{{ node.name }} {{ loop(node.children) }}{% endfor %}",
        "{% for node in tree recursive %}{{ loop.depth0 }}:{{ loop.index }} {{ loop(node.children) }}{% endfor %}",
    ], V)
    f.each("loop_controls_absent", [
        "{% for i in items %}{% if i == 'b' %}{% break %}{% endif %}{{ i }}{% endfor %}",
    ], V)
    f.each("set", [
        "{% set x = 5 %}{{ x }}", "{% set x, y = 1, 2 %}{{ x }}-{{ y }}", "{% set x = [1, 2] %}{{ x | length }}",
        "{% set x %}block {{ name }}{% endset %}{{ x }}", "{% set x | upper %}shout{% endset %}{{ x }}",
        "{% set x = 1 %}{% if true %}{% set x = 2 %}{% endif %}{{ x }}", "{% set x = 1 %}{% for i in items %}{% set x = 2 %}{% endfor %}{{ x }}",
        "{% set x = n * 2 %}{{ x }}", "{% set name = 'shadow' %}{{ name }}", "{% set x = {'a': {'b': 1}} %}{{ x.a.b }}",
        "{% set a = b = 3 %}{{ a }}", "{% set t = (1, 2) %}{{ t }}", "{% set x = 'a' %}{% set x = x ~ 'b' %}{{ x }}",
        "{% set x %}{% for i in items %}{{ i }}{% endfor %}{% endset %}{{ x | length }}",
    ], V)
    f.each("namespace", [
        "{% set ns = namespace(total=0) %}{% for i in nums %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}",
        "{% set ns = namespace(found=false) %}{% for u in users %}{% if u.name == 'bob' %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.found }}",
        "{% set ns = namespace() %}{% set ns.x = 'v' %}{{ ns.x }}", "{% set ns = namespace(a=1, b=2) %}{{ ns.a + ns.b }}",
        "{% set ns = namespace(items=[]) %}{% for i in items %}{% set ns.items = ns.items + [i | upper] %}{% endfor %}{{ ns.items }}",
        "{% set ns = namespace(d={'k': 1}) %}{{ ns.d.k }}", "{% set ns = namespace(x=1) %}{{ ns.missing | default('dflt') }}",
    ], V)
    f.each("macro", [
        "{% macro m() %}hi{% endmacro %}{{ m() }}", "{% macro m(a, b=2) %}{{ a }}+{{ b }}{% endmacro %}{{ m(1) }}|{{ m(1, 3) }}|{{ m(b=5, a=0) }}",
        "{% macro m(x) %}[{{ x }}]{% endmacro %}{% for i in items %}{{ m(i) }}{% endfor %}",
        "{% macro m() %}{{ varargs }}{% endmacro %}{{ m(1, 2) }}", "{% macro m() %}{{ kwargs }}{% endmacro %}{{ m(a=1) }}",
        "{% macro m(a) %}{{ a }}{{ varargs | join(',') }}{% endmacro %}{{ m(1, 2, 3) }}",
        "{% macro m() %}{{ name }}{% endmacro %}{{ m() }}", "{% macro outer() %}{% macro inner() %}in{% endmacro %}<{{ inner() }}>{% endmacro %}{{ outer() }}",
        "{% macro m(n) %}{% if n > 0 %}{{ n }}{{ m(n - 1) }}{% endif %}{% endmacro %}{{ m(3) }}",
        "{% macro m(x=none) %}{{ x is none }}{% endmacro %}{{ m() }}", "{% macro m() %}x{% endmacro %}{{ m.name }}",
        "{% macro m(a, b) %}{% endmacro %}{{ m.arguments }}", "{% macro m() %} spaced {% endmacro %}[{{ m() }}]",
        "{% macro m(x) %}{{ x * 2 }}{% endmacro %}{{ m(21) }}", "{% macro m() %}{{ caller is defined }}{% endmacro %}{{ m() }}",
        "{% macro m() %}{% endmacro %}{{ m() }}", "{% macro m(a) %}{{ a }}{% endmacro %}{{ m() }}",
    ], V)
    f.each("call", [
        "{% macro wrap() %}<{{ caller() }}>{% endmacro %}{% call wrap() %}inside{% endcall %}",
        "{% macro list(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}{% call(item) list(items) %}({{ item }}){% endcall %}",
        "{% macro twice() %}{{ caller() }}{{ caller() }}{% endmacro %}{% call twice() %}ab{% endcall %}",
        "{% macro w(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call w('b') %}{{ name }}{% endcall %}",
    ], V)
    f.each("raw", [
        "{% raw %}{{ not rendered }}{% endraw %}", "{% raw %}{% if %}{% endraw %}", "a{% raw %} {{ x }} {% endraw %}b",
        "{% raw %}{# c #}{% endraw %}",
    ], V)
    f.each("comment", [
        "a{# comment #}b", "{# {{ x }} #}ok", "a{#\nmulti\nline\n#}b", "{# only comment #}",
    ], V)
    f.each("filter_block", [
        "{% filter upper %}hello {{ name }}{% endfilter %}", "{% filter replace('a', 'o') %}banana{% endfilter %}",
        "{% filter trim %}   spaced   {% endfilter %}", "{% filter upper | reverse %}abc{% endfilter %}",
        "{% filter indent(2) %}a\nb{% endfilter %}",
    ], V)
    f.each("with", [
        "{% with x = 1 %}{{ x }}{% endwith %}", "{% with x = 1, y = 2 %}{{ x + y }}{% endwith %}",
        "{% with x = 1 %}{% endwith %}{{ x | default('gone') }}", "{% with name = 'inner' %}{{ name }}{% endwith %}{{ name }}",
        "{% with a = n %}{% with b = a * 2 %}{{ b }}{% endwith %}{% endwith %}",
    ], V)
    f.each("include", [
        "{% include 'hello.j2' %}", "[{% include 'hello.j2' %}]", "{% include 'outer.j2' %}",
        "{% for n in [1, 2] %}{% include 'nested/inner.j2' %}{% endfor %}", "{% set local_var = 'L' %}{% include 'uses_local.j2' %}",
        "{% include 'uses_local.j2' without context %}", "{% include 'missing.j2' ignore missing %}ok",
        "{% include ['missing.j2', 'hello.j2'] %}", "{% include 'missing.j2' %}", "{% include 'trailing.j2' %}|",
        "{% include 'loop.j2' %}",
    ], V, templates=TEMPLATES)
    f.each("import", [
        "{% import 'macros.j2' as m %}{{ m.greet() }}", "{% import 'macros.j2' as m %}{{ m.greet('ann') }}",
        "{% from 'macros.j2' import greet %}{{ greet(name) }}", "{% from 'macros.j2' import add as plus %}{{ plus(1, 2) }}",
        "{% import 'macros.j2' as m %}{{ m.constant }}", "{% from 'macros.j2' import greet, add %}{{ greet() }}{{ add(2, 2) }}",
        "{% from 'macros.j2' import nothing %}", "{% import 'missing.j2' as m %}",
        "{% import 'macros.j2' as m with context %}{{ m.greet(name) }}", "{% from 'macros.j2' import greet with context %}{{ greet() }}",
        "{% import 'macros.j2' as m %}{{ m.greet is defined }}{{ m.nope is defined }}",
    ], V, templates=TEMPLATES)
    f.each("scoping", [
        "{% for i in items %}{% set outer = loop %}{% for j in [1, 2] %}{{ outer.index }}{{ loop.index }} {% endfor %}{% endfor %}",
        "{% macro m() %}{{ x | default('no x') }}{% endmacro %}{% set x = 1 %}{{ m() }}",
        "{% set x = 1 %}{% macro m() %}{{ x }}{% endmacro %}{% set x = 2 %}{{ m() }}",
        "{% macro m(items) %}{{ items | length }}{% endmacro %}{{ m([1]) }}{{ items | length }}",
        "{% for i in items %}{% macro m() %}{{ i }}{% endmacro %}{{ m() }}{% endfor %}",
        "{% set ns = namespace(v=0) %}{% macro bump() %}{% set ns.v = ns.v + 1 %}{% endmacro %}{{ bump() }}{{ bump() }}{{ ns.v }}",
        "{% for k, v in d | dictsort %}{{ loop.index }}{{ k }}{{ v }}{% endfor %}", "{% for c in 'ab' %}{{ loop.revindex }}{{ c }}{% endfor %}",
        "{% for i in items %}{{ i }}{% else %}empty{% endfor %}{{ i | default('unset') }}",
        "{% with %}{% set inner = 1 %}{% endwith %}{{ inner | default('scoped') }}",
        "{% if true %}{% set inside = 'set in if' %}{% endif %}{{ inside }}",
        "{% for i in items %}{% if loop.index == 2 %}{% set found = i %}{% endif %}{% endfor %}{{ found | default('lost') }}",
    ], V)
    f.each("extends", [
        "{% extends 'base.j2' %}", "{% extends 'base.j2' %}{% block foot %}FOOT{% endblock %}", "{% include 'child.j2' %}",
        "{% extends 'base.j2' %}{% block body %}{{ self.foot() }}{% endblock %}",
    ], V, templates=TEMPLATES)
    f.each("text_mode", [
        "{% for i in items %}{{ i }}\n{% endfor %}", "{% if flag %}\nyes\n{% endif %}\n", "{% set x = [1, 2] %}{{ x }}",
        "{% macro m() %}x{% endmacro %}{{ m() }}", "{% for i in nums %}{{ i }}{% endfor %}",
    ], V, mode="text")
    return f
