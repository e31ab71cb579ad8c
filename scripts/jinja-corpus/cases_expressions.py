"""Literals, operators, precedence, attribute/item access, slicing, string/dict/list methods."""

from casekit import Family

V = {
    "n": 7, "f": 2.5, "s": "Hello World", "e": "", "t": True, "z": None,
    "l": [3, 1, 2], "d": {"a": 1, "b": {"c": [10, 20, 30]}, "k-y": "dash"},
    "users": [{"name": "ann", "age": 31}, {"name": "bob", "age": 25}],
    "key": "a", "idx": 1, "csv": "a,b,,c", "padded": "  pad me  ", "num": "42",
}


def build():
    f = Family("expressions")
    f.each("literals", [
        "{{ 1 }}", "{{ -1 }}", "{{ 1.5 }}", "{{ 1e3 }}", "{{ 1_000 }}", "{{ 0x1F }}", "{{ 0o17 }}", "{{ 0b101 }}",
        "{{ 'single' }}", '{{ "double" }}', "{{ true }}", "{{ True }}", "{{ false }}", "{{ False }}",
        "{{ none }}", "{{ None }}", "{{ [] }}", "{{ [1, 'a', none, true] }}", "{{ {} }}", "{{ {'a': 1, 'b': [2]} }}",
        "{{ (1, 2) }}", "{{ (1,) }}", "{{ () }}", "{{ [1, [2, [3]]] }}", "{{ {'x': {'y': {'z': 1}}} }}",
        "{{ 'it''s' }}", "{{ \"quote's\" }}", "{{ 'a' 'b' }}", "{{ 1.0 }}", "{{ 0.1 + 0.2 }}", "{{ 12345678901234 }}",
        "{{ 2.0e-3 }}", "{{ -0.0 }}", "{{ {'b': 1, 'a': 2} }}", "{{ [ 1 , 2 , ] }}", "{{ {'a': 1,} }}",
    ], V)
    f.each("arithmetic", [
        "{{ 1 + 2 }}", "{{ 1 + 2.0 }}", "{{ 7 - 10 }}", "{{ 3 * 4 }}", "{{ 3 * 1.5 }}", "{{ 7 / 2 }}", "{{ 8 / 2 }}",
        "{{ 7 // 2 }}", "{{ -7 // 2 }}", "{{ 7.5 // 2 }}", "{{ 7 % 3 }}", "{{ -7 % 3 }}", "{{ 7.5 % 2 }}", "{{ 2 ** 10 }}",
        "{{ 2 ** -1 }}", "{{ 2 ** 0.5 }}", "{{ -2 ** 2 }}", "{{ (-2) ** 2 }}", "{{ 2 ** 3 ** 2 }}", "{{ 1 + 2 * 3 }}",
        "{{ (1 + 2) * 3 }}", "{{ 10 - 4 - 3 }}", "{{ 100 / 10 / 5 }}", "{{ n * f }}", "{{ n + l | length }}", "{{ -n }}",
        "{{ +n }}", "{{ 'ab' * 3 }}", "{{ [1, 2] * 2 }}", "{{ [1] + [2, 3] }}", "{{ 'a' + 'b' }}", "{{ true + 1 }}",
        "{{ 1 - true }}", "{{ 3 * true }}", "{{ 10 % 4 * 2 }}", "{{ 0.5 * 4 }}", "{{ 1e300 * 1e10 }}", "{{ n // 0.5 }}",
        "{{ 5 / 0.5 }}", "{{ 9 ** 0 }}", "{{ 0 ** 0 }}", "{{ 1.5 + 1.5 }}", "{{ 10 / 4 * 2 }}",
    ], V)
    f.each("concat", [
        "{{ 'a' ~ 'b' }}", "{{ 'a' ~ 1 }}", "{{ 1 ~ 2 }}", "{{ 'x' ~ none }}", "{{ 'x' ~ true }}", "{{ 'x' ~ [1] }}",
        "{{ 'x' ~ {'a': 1} }}", "{{ 1 ~ 2 + 3 }}", "{{ s ~ '!' }}", "{{ 'v' ~ f }}", "{{ 'x' ~ 1.0 }}", "{{ n ~ '' }}",
    ], V)
    f.each("comparison", [
        "{{ 1 == 1 }}", "{{ 1 == 1.0 }}", "{{ 1 == true }}", "{{ 'a' == 'a' }}", "{{ 'a' != 'b' }}", "{{ 1 != 1 }}",
        "{{ 1 < 2 }}", "{{ 2 <= 2 }}", "{{ 3 > 2.5 }}", "{{ 2 >= 3 }}", "{{ 'a' < 'b' }}", "{{ 'B' < 'a' }}",
        "{{ [1, 2] < [1, 3] }}", "{{ [1, 2] == [1, 2] }}", "{{ {'a': 1} == {'a': 1} }}", "{{ none == none }}",
        "{{ none == 0 }}", "{{ '1' == 1 }}", "{{ 1 < 2 < 3 }}", "{{ 1 < 3 < 2 }}", "{{ 1 == 1 == 1 }}", "{{ [] == [] }}",
        "{{ (1, 2) == [1, 2] }}", "{{ 0 == false }}", "{{ '' == false }}", "{{ 'abc' > 'abd' }}", "{{ 2 > 1 > 0 }}",
        "{{ 1.0 < 1 }}", "{{ n == 7 }}", "{{ s == 'Hello World' }}",
    ], V)
    f.each("logic", [
        "{{ true and false }}", "{{ true or false }}", "{{ not true }}", "{{ not 0 }}", "{{ not [] }}", "{{ not 'x' }}",
        "{{ 1 and 2 }}", "{{ 0 and 2 }}", "{{ 0 or 2 }}", "{{ '' or 'default' }}", "{{ none or [] }}", "{{ [] or {} }}",
        "{{ 'a' and 'b' }}", "{{ not 1 == 2 }}", "{{ not (1 == 2) }}", "{{ true or false and false }}",
        "{{ (true or false) and false }}", "{{ not true or true }}", "{{ 1 and 0 or 3 }}", "{{ l and d }}",
        "{{ z or 'fallback' }}", "{{ e and 'never' }}", "{{ not not 5 }}", "{{ 0.0 or 'zero' }}",
    ], V)
    f.each("membership", [
        "{{ 1 in [1, 2] }}", "{{ 3 in [1, 2] }}", "{{ 3 not in [1, 2] }}", "{{ 'a' in 'cat' }}", "{{ 'x' in 'cat' }}",
        "{{ 'a' in {'a': 1} }}", "{{ 1 in {'a': 1} }}", "{{ 'ell' in s }}", "{{ 'a' in d }}", "{{ 'c' in d.b }}",
        "{{ not 'a' in d }}", "{{ '' in 'abc' }}", "{{ [1] in [[1], [2]] }}", "{{ 1.0 in [1] }}", "{{ true in [1] }}",
        "{{ 2 in l }}", "{{ 'k-y' in d }}",
    ], V)
    f.each("conditional_expr", [
        "{{ 'yes' if true else 'no' }}", "{{ 'yes' if false else 'no' }}", "{{ 'yes' if n > 5 else 'no' }}",
        "{{ 1 if z else 2 if e else 3 }}", "{{ (1 if t else 2) + 10 }}", "{{ [1, 2] if l else [] }}",
        "{{ 'x' if 0 }}", "x{{ 'x' if 0 }}y", "{{ 'a' ~ ('b' if true else 'c') }}",
    ], V)
    f.each("access", [
        "{{ d.a }}", "{{ d['a'] }}", "{{ d.b.c }}", "{{ d.b.c[1] }}", "{{ d['b']['c'][-1] }}", "{{ d[key] }}",
        "{{ l[0] }}", "{{ l[-1] }}", "{{ l[idx] }}", "{{ users[0].name }}", "{{ users[1]['age'] }}", "{{ d['k-y'] }}",
        "{{ s[0] }}", "{{ s[-1] }}", "{{ (1, 2, 3)[1] }}", "{{ {'x': 5}['x'] }}", "{{ [[1, 2], [3]][0][1] }}",
        "{{ d.b['c'] }}", "{{ users | map(attribute='name') | first }}", "{{ l.0 }}", "{{ d.b.c.2 }}",
    ], V)
    f.each("slicing", [
        "{{ l[1:] }}", "{{ l[:2] }}", "{{ l[::-1] }}", "{{ l[::2] }}", "{{ l[-2:] }}", "{{ l[1:2] }}", "{{ l[5:] }}",
        "{{ s[:5] }}", "{{ s[6:] }}", "{{ s[::-1] }}", "{{ s[-5:-1] }}", "{{ 'abcdef'[1:5:2] }}", "{{ l[:] }}",
        "{{ (1, 2, 3)[1:] }}", "{{ s[0:0] }}", "{{ l[-10:10] }}",
    ], V)
    f.each("str_methods", [
        "{{ s.upper() }}", "{{ s.lower() }}", "{{ s.split() }}", "{{ s.split('o') }}", "{{ csv.split(',') }}",
        "{{ csv.split(',', 1) }}", "{{ s.startswith('Hell') }}", "{{ s.endswith('x') }}", "{{ s.replace('o', '0') }}",
        "{{ s.replace('o', '0', 1) }}", "{{ padded.strip() }}", "{{ padded.lstrip() }}", "{{ padded.rstrip() }}",
        "{{ 'xxhixx'.strip('x') }}", "{{ s.find('o') }}", "{{ s.find('q') }}", "{{ s.count('l') }}",
        "{{ s.title() }}", "{{ 'hello world'.capitalize() }}", "{{ s.swapcase() }}", "{{ '{} and {}'.format(1, 'b') }}",
        "{{ '{0}-{0}'.format('x') }}", "{{ '{name}!'.format(name='ann') }}", "{{ ','.join(['a', 'b']) }}",
        "{{ num.isdigit() }}", "{{ s.isdigit() }}", "{{ 'abc'.isalpha() }}", "{{ 'ABC'.isupper() }}", "{{ 'abc'.islower() }}",
        "{{ s.index('W') }}", "{{ 'a-b-c'.rsplit('-', 1) }}", "{{ 'line1\\nline2'.splitlines() }}", "{{ '5'.zfill(3) }}",
        "{{ 'ab'.center(6, '*') }}", "{{ 'ab'.ljust(4, '.') }}", "{{ 'ab'.rjust(4, '.') }}", "{{ 'a b'.partition(' ') }}",
        "{{ s.startswith(('x', 'H')) }}", "{{ '  '.isspace() }}", "{{ 'Title Case'.istitle() }}",
        "{{ 'abc'.removeprefix('a') }}", "{{ 'abc'.removesuffix('c') }}", "{{ '%s-%d' % ('a', 3) }}", "{{ '%05.1f' % 3.14159 }}",
        "{{ '%(x)s' % {'x': 1} }}", "{{ 'abc'.encode is defined }}",
    ], V)
    f.each("dict_methods", [
        "{{ d.keys() | list }}", "{{ d.values() | list | length }}", "{{ d.items() | list | first }}", "{{ d.get('a') }}",
        "{{ d.get('zz') }}", "{{ d.get('zz', 'dflt') }}", "{{ {'a': 1}.items() | list }}", "{{ d.b.get('c') }}",
        "{{ {'x': 1, 'y': 2}.keys() | sort }}", "{{ 'a' in d.keys() }}", "{{ d.copy() == d }}",
        "{% for k, v in {'p': 1, 'q': 2}.items() %}{{ k }}={{ v }};{% endfor %}",
    ], V)
    f.each("list_methods", [
        "{{ l.index(2) }}", "{{ l.count(1) }}", "{{ [1, 2, 1].count(1) }}", "{{ l.copy() }}",
        "{% set x = [1] %}{% set _ = x.append(2) %}{{ x }}", "{% set x = [1, 2, 3] %}{{ x.pop() }}{{ x }}",
        "{% set x = [3, 1, 2] %}{% set _ = x.sort() %}{{ x }}", "{% set x = [1] %}{% set _ = x.extend([5, 6]) %}{{ x }}",
        "{% set x = [1, 2] %}{% set _ = x.insert(0, 0) %}{{ x }}", "{% set x = [1, 2] %}{% set _ = x.reverse() %}{{ x }}",
        "{% set x = {'a': 1} %}{% set _ = x.update({'b': 2}) %}{{ x }}", "{% set x = [1, 2, 2] %}{% set _ = x.remove(2) %}{{ x }}",
    ], V)
    f.each("globals", [
        "{{ range(3) | list }}", "{{ range(1, 4) | list }}", "{{ range(0, 10, 3) | list }}", "{{ range(3, 0, -1) | list }}",
        "{{ dict(a=1, b=2) }}", "{{ dict() }}", "{% set ns = namespace(v=1) %}{{ ns.v }}", "{{ range(5) | sum }}",
        "{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.next() }}", "{% set j = joiner(', ') %}{% for x in 'abc' %}{{ j() }}{{ x }}{% endfor %}",
        "{{ range(0) | list }}", "{% set c = cycler(1, 2) %}{{ c.current }}",
    ], V)
    f.each("tuples_and_lists", [
        "{{ [1, 2, 3] | list }}", "{{ (1, 'a', none) | list }}", "{{ [(1, 2), (3, 4)] }}", "{{ {'t': (1, 2)} }}",
        "{{ ([1], [2]) }}", "{{ [1, 2] + [3] * 2 }}",
    ], V)
    f.each("native_text_mode", [
        "{{ 1 + 1 }}", "{{ [1, 2] }}", "{{ {'a': 'b'} }}", "{{ none }}", "{{ true }}", "{{ 1.5 }}", "{{ 'a' }}",
        "{{ (1, 2) }}", "{{ [none, true, 'x'] }}", "{{ {'k': none} }}", "{{ 1 }} {{ 2 }}",
    ], V, mode="text")
    f.each("precedence", [
        "{{ 'a' ~ 'b' | upper }}", "{{ -1 | abs }}", "{{ (-1) | abs }}", "{{ 'a' ~ 1 + 2 }}", "{{ not 1 in [1] }}",
        "{{ 1 + 2 is odd }}", "{{ [1, 2] | length * 3 }}", "{{ 2 * 3 ** 2 }}", "{{ -3 ** 2 }}", "{{ 10 - 2 - 3 }}",
        "{{ 2 ** -1 ** 2 }}", "{{ not true == false }}", "{{ 1 < 2 and 2 < 3 or false }}", "{{ 'x' if 1 > 2 else 'y' ~ 'z' }}",
        "{{ 1 if true else 2 | string }}", "{{ [3, 1] | sort | first + 1 }}", "{{ 5 // 2 * 2 }}", "{{ 7 % 4 ** 2 }}",
        "{{ 'a' in 'abc' and 'z' not in 'abc' }}", "{{ 2 ~ 3 * 2 }}", "{{ l | first is odd }}", "{{ not l | length }}",
    ], V)
    f.each("number_text", [
        "{{ 0.1 + 0.2 }}", "{{ 1e16 }}", "{{ 1e15 }}", "{{ 1 / 3 }}", "{{ 2.0 }}", "{{ 12345678901234567 }}", "{{ -0.5 }}",
        "{{ 1e-5 }}", "{{ 0.0001 }}", "{{ 100.0 / 3 }}", "{{ 2 ** 62 }}", "{{ 1.5e300 }}", "{{ 3.0 * 1e22 }}", "{{ 7 / 7 }}",
        "{{ [0.1, 1e16, -0.0] }}", "{{ {'f': 2.50} }}", "{{ 1e308 * 10 }}", "{{ -(1e308 * 10) }}", "{{ 123.456e2 }}",
    ], V, mode="text")
    f.each("string_escapes_text", [
        "{{ '\\u00e9' }}", "{{ '\\x41' }}", "{{ \"a\\\"b\" }}", "{{ 'tab\\tx' | length }}", "{{ 'nl\\nx' }}",
        "{{ {'a': \"it's\"} }}", "{{ ['q\"', \"s'\"] }}", "{{ 'é' | length }}", "{{ '日本' ~ 'x' }}", "{{ '\\\\' | length }}",
    ], V, mode="text")
    f.each("key_vs_method", [
        "{{ m['items'] }}", "{{ m.get('keys') }}", "{{ m.values is defined }}", "{{ m['values'] + 1 }}", "{{ m.name }}",
        "{{ m | dict2items | length }}",
    ], dict(V, m={"items": 1, "keys": "k", "values": 3, "name": "n"}))
    f.exprs("bare_expressions", [
        "1 + 1", "n > 5", "s | length", "l", "d", "z", "z is none", "'a' in d", "n == 7 and t", "not t",
        "users | selectattr('age', 'gt', 30) | map(attribute='name') | list", "s.split() | last", "n * 2.0",
        "l | sort", "e == ''", "t", "1 == 1.0", "[1, 2] == [1, 2]", "d.b.c | sum", "(n > 1) or missing",
        "'Hello' in s", "f | int", "n is divisibleby 7", "l | max", "none", "'x' ~ n", "{'a': l}",
    ], V)
    return f
