"""Syntax errors, unknown filters/tests, type and value errors raised by operators."""

from casekit import Family

V = {"s": "str", "i": 1, "l": [1, 2], "d": {"a": 1}}


def build():
    f = Family("errors")
    f.each("syntax", [
        "{{ }}", "{{ 1 + }}", "{{ (1 }}", "{{ [1, 2 }}", "{{ {'a' 1} }}", "{{ 'unterminated }}", "{% if true %}no end",
        "{% for x in l %}no end", "{% endif %}", "{% else %}", "{% if %}{% endif %}", "{% for in l %}{% endfor %}",
        "{% unknown_tag %}", "{{ 1 2 }}", "{{ a. }}", "{{ a | }}", "{{ a is }}", "{% set %}", "{% macro %}{% endmacro %}",
        "{{ 1 }", "{% if true %}{% elif %}{% endif %}", "{% raw %}never closed", "{# never closed", "{{ 'a' ~ }}",
        "{{ ** 2 }}", "line1\nline2 {{ oops( }}", "{% for x in l %}{% endif %}", "{% block %}{% endblock %}",
        "{{ x = 1 }}", "{% set x = %}", "{{ [1,,2] }}", "{{ 1 if }}", "{{ {1, 2} }}", "{% with %}{% endwith %}",
        "{% filter %}{% endfilter %}", "{{ a.1b }}", "{{ 'x' | default( }}", "{% include %}",
    ], V)
    f.each("syntax_lines", [
        "a\n{% if i %}\nb\n{% endfor %}", "{% for x in l %}\n\n{{ x + }}\n{% endfor %}", "{{ 1 }}\n{{ 2 }}\n{{ 3 ) }}",
        "line\n{% raw %}\nunclosed", "x\n\n\n{{ 'a' ~ }}", "{% if i %}\nok\n", "{# a\nb #}\n{% set %}",
        "one\ntwo\n{% macro m( %}{% endmacro %}", "{{ 'multi\nline' }}\n{{ (( }}",
    ], V)
    f.each("unknown", [
        "{{ 1 | nosuchfilter }}", "{{ 1 is nosuchtest }}", "{{ l | map('nosuchfilter') | list }}",
        "{{ l | select('nosuchtest') | list }}", "{% filter nosuchfilter %}x{% endfilter %}", "{{ 1 | ansible.builtin.nope }}",
        "{{ l | reject('nosuchtest') | list }}", "{% if false %}{{ 1 | nosuchfilter }}{% endif %}ok",
        "{% if true %}{{ 1 | nosuchfilter }}{% endif %}ok", "{{ 1 | nosuchfilter if false else 2 }}", "{% if false %}{{ 1 is nosuchtest }}{% endif %}ok",
    ], V)
    f.each("type", [
        "{{ 'a' + 1 }}", "{{ 1 + 'a' }}", "{{ [1] + 1 }}", "{{ {} + {} }}", "{{ 'a' - 'b' }}", "{{ 'a' * 'b' }}",
        "{{ none + 1 }}", "{{ l < 1 }}", "{{ 'a' < 1 }}", "{{ d < d }}", "{{ 1 in 5 }}", "{{ i() }}", "{{ s() }}",
        "{{ -'a' }}", "{{ 'a' / 2 }}", "{{ l['x'] }}", "{{ 'x' // 2 }}", "{{ s.upper(1) }}", "{{ d.get() }}",
    ], V)
    f.each("value_and_runtime", [
        "{{ 1 / 0 }}", "{{ 1 // 0 }}", "{{ 1 % 0 }}", "{{ 1.0 / 0 }}", "{{ '%d' % 'x' }}", "{{ '{0}'.format() }}",
        "{{ l.index(9) }}", "{{ 'abc'.index('z') }}", "{{ range(1, 10, 0) | list }}", "{{ s.zfill('a') }}",
        "{{ 'x' | int(base=99) }}", "{{ 10 ** 400 }}", "{{ 2.0 ** 10000 }}",
    ], V)
    f.exprs("expr_syntax", ["1 +", "(1", "a b", "{{ i }}", "", "i |", "not", "1 ==",], V)
    f.each("text_syntax", ["{% if %}", "{{ 1 + }}", "x\ny\n{{ bad bad }}"], V, mode="text")
    return f
