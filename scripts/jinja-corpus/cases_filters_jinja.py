"""Every Jinja2 builtin filter (as Ansible exposes them), with edge cases."""

from casekit import Family

V = {
    "s": "Hello World", "low": "hello world", "multi": "line one\nline two\nline three", "html": "<b>bold</b> & 'q'",
    "l": [3, 1, 2], "strs": ["banana", "Apple", "cherry"], "mixed_case": ["b", "A", "c", "B"], "empty": [], "n": -4.7,
    "i": 42, "d": {"b": 2, "a": 1, "C": 3},
    "users": [{"name": "ann", "age": 31, "city": "Oslo", "admin": True},
              {"name": "bob", "age": 25, "city": "Rome", "admin": False},
              {"name": "cy", "age": 31, "city": "Oslo", "admin": True},
              {"name": "dee", "age": 40, "city": "Bern"}],
    "staff": [{"name": "ann", "age": 31, "city": "Oslo", "admin": True, "score": 1.5, "tags": ["x"], "boss": None},
              {"name": "bob", "age": 25, "city": "rome", "admin": False, "score": 2, "tags": [], "boss": "ann"},
              {"name": "CY", "age": 31, "city": "Oslo", "admin": True, "score": 0.0, "tags": ["y", "z"], "boss": "ann"}],
    "nested": [[1, 2], [3, 4]], "nums": [1, 2, 3, 4, 5, 6, 7], "fl": [1.5, 2.25], "words": "the quick brown fox jumps",
    "long": "Lorem ipsum dolor sit amet, consectetur adipiscing elit sed do eiusmod", "url": "http://example.com/a b?x=1&y=ü",
    "dup": [1, 2, 1, 3, 2], "dupstr": ["a", "A", "b", "a"], "none": None, "text_with_url": "see http://example.com now",
}


def build():
    f = Family("filters_jinja")
    f.each("abs", ["{{ -5 | abs }}", "{{ n | abs }}", "{{ 3 | abs }}", "{{ -0.0 | abs }}", "{{ true | abs }}", "{{ 'x' | abs }}"], V)
    f.each("attr", ["{{ users[0] | attr('name') }}", "{{ d | attr('b') }}", "{{ d | attr('zz') is defined }}",
                    "{{ s | attr('nope') is defined }}"], V)
    f.each("batch", ["{{ nums | batch(3) | list }}", "{{ nums | batch(3, 'x') | list }}", "{{ nums | batch(7) | list }}",
                     "{{ empty | batch(2) | list }}", "{{ 'abcde' | batch(2) | list }}", "{{ nums | batch(1) | list | length }}"], V)
    f.each("capitalize", ["{{ low | capitalize }}", "{{ 'hELLO' | capitalize }}", "{{ '' | capitalize }}", "{{ '1abc' | capitalize }}"], V)
    f.each("center", ["{{ 'ab' | center(6) }}", "{{ 'abc' | center(6) }}", "{{ 'x' | center }}", "{{ 'long text' | center(2) }}"], V)
    f.each("count_length", ["{{ l | count }}", "{{ s | length }}", "{{ d | length }}", "{{ empty | length }}", "{{ 'ü' | length }}",
                            "{{ s | count }}", "{{ 5 | length }}", "{{ none | length }}"], V)
    f.each("default", ["{{ none | default('x') }}", "{{ zz | default(1) }}", "{{ '' | d('e', true) }}", "{{ false | default('f', true) }}",
                       "{{ [] | default('e') }}"], V)
    f.each("dictsort", ["{{ d | dictsort }}", "{{ d | dictsort(true) }}", "{{ d | dictsort(by='value') }}",
                        "{{ d | dictsort(reverse=true) }}", "{{ d | dictsort(false, 'value', true) }}",
                        "{{ {'b': 1, 'a': 1} | dictsort(by='value') }}", "{{ {} | dictsort }}", "{{ l | dictsort }}"], V)
    f.each("escape", ["{{ html | escape }}", "{{ html | e }}", "{{ 'plain' | e }}", "{{ '\"' | e }}", "{{ 5 | e }}",
                      "{{ html | forceescape }}", "{{ html | e | e }}", "{{ html | safe }}", "{{ (html | e) ~ '<' }}",
                      "{{ none | e }}"], V)
    f.each("filesizeformat", ["{{ 0 | filesizeformat }}", "{{ 1 | filesizeformat }}", "{{ 1000 | filesizeformat }}",
                              "{{ 1024 | filesizeformat(true) }}", "{{ 123456789 | filesizeformat }}", "{{ 123456789 | filesizeformat(true) }}",
                              "{{ 1e15 | filesizeformat }}", "{{ 1e30 | filesizeformat }}", "{{ '2048' | filesizeformat(binary=true) }}",
                              "{{ 999 | filesizeformat }}", "{{ 1500.5 | filesizeformat }}"], V)
    f.each("first_last", ["{{ l | first }}", "{{ l | last }}", "{{ s | first }}", "{{ s | last }}", "{{ empty | first }}",
                          "{{ empty | last }}", "{{ d | first }}", "{{ nested | first | last }}"], V)
    f.each("float", ["{{ '3.5' | float }}", "{{ 3 | float }}", "{{ 'x' | float }}", "{{ 'x' | float(1.5) }}", "{{ none | float }}",
                     "{{ '1e3' | float }}", "{{ ' 2.5 ' | float }}", "{{ true | float }}", "{{ 'inf' | float }}", "{{ '-0' | float }}",
                     "{{ '1_000.5' | float }}", "{{ [] | float }}"], V)
    f.each("format", ["{{ '%s-%s' | format('a', 'b') }}", "{{ '%d items' | format(3) }}", "{{ '%.2f' | format(3.14159) }}",
                      "{{ '%5s|' | format('ab') }}", "{{ '%-5s|' | format('ab') }}", "{{ '%(a)s' | format(a=1) }}",
                      "{{ '%x %o %e' | format(255, 8, 12345.678) }}", "{{ '%%' | format() }}", "{{ '%r' | format('q') }}",
                      "{{ '%05d' | format(42) }}", "{{ '%+d' | format(5) }}", "{{ '%s' | format([1, 2]) }}"], V)
    f.each("groupby", ["{{ users | groupby('city') }}", "{{ users | groupby('age') | map('first') | list }}",
                       "{% for city, us in users | groupby('city') %}{{ city }}:{{ us | map(attribute='name') | join(',') }};{% endfor %}",
                       "{{ users | groupby('admin', default=false) | map('first') | list }}",
                       "{{ strs | groupby('0') | list | length }}", "{{ users | groupby('city', reverse=true) | map('first') | list }}",
                       "{{ mixed_case | groupby('lower') | length }}", "{{ users | groupby('city', case_sensitive=true) | map('first') | list }}",
                       "{{ users | groupby('admin') }}"], V)
    f.each("indent", ["{{ multi | indent }}", "{{ multi | indent(2) }}", "{{ multi | indent(2, true) }}", "{{ multi | indent(2, first=true) }}",
                      "{{ 'a\\n\\nb' | indent(2) }}", "{{ 'a\\n\\nb' | indent(2, blank=true) }}", "{{ multi | indent('> ') }}",
                      "{{ '' | indent(4, true) }}", "{{ 'x\\n' | indent(2) }}"], V, mode="text")
    f.each("int", ["{{ '42' | int }}", "{{ 4.9 | int }}", "{{ -4.9 | int }}", "{{ 'x' | int }}", "{{ 'x' | int(7) }}", "{{ '0x1A' | int(0, 16) }}",
                   "{{ '0b101' | int(base=2) }}", "{{ '0o17' | int(base=8) }}", "{{ 'ff' | int(base=16) }}", "{{ '077' | int(base=0) }}",
                   "{{ '0x10' | int(base=0) }}", "{{ ' 12 ' | int }}", "{{ '1.9' | int }}", "{{ true | int }}", "{{ none | int }}",
                   "{{ '1_000' | int }}", "{{ '12abc' | int }}", "{{ '-7' | int }}", "{{ '+7' | int }}", "{{ 'z' | int(base=36) }}",
                   "{{ '1e3' | int }}", "{{ [] | int }}"], V)
    f.each("items", ["{{ d | items | list }}", "{{ {} | items | list }}", "{{ undefined_var | items | list }}", "{{ l | items | list }}"], V)
    f.each("join", ["{{ l | join }}", "{{ l | join(', ') }}", "{{ strs | join('-') }}", "{{ users | join(',', attribute='name') }}",
                    "{{ empty | join(',') }}", "{{ 'abc' | join('.') }}", "{{ [1, none, true] | join('|') }}", "{{ [[1], [2]] | join(';') }}",
                    "{{ d | join(',') }}"], V)
    f.each("list", ["{{ 'abc' | list }}", "{{ d | list }}", "{{ l | list }}", "{{ (1, 2) | list }}", "{{ 5 | list }}", "{{ none | list }}"], V)
    f.each("lower_upper_title", ["{{ s | lower }}", "{{ s | upper }}", "{{ low | title }}", "{{ \"it's a dog-cat\" | title }}",
                                 "{{ 'ÄÖÜ' | lower }}", "{{ 'straße' | upper }}", "{{ 5 | upper }}", "{{ 'a1b c_d' | title }}"], V)
    f.each("map", ["{{ users | map(attribute='name') | list }}", "{{ l | map('string') | list }}", "{{ strs | map('upper') | list }}",
                   "{{ l | map('int') | list }}", "{{ ['1', '2'] | map('int') | sum }}", "{{ strs | map('replace', 'a', 'o') | list }}",
                   "{{ users | map(attribute='missing', default='?') | list }}", "{{ nested | map('first') | list }}",
                   "{{ nested | map('sum') | list }}", "{{ users | map(attribute='name') | map('title') | list }}",
                   "{{ empty | map('upper') | list }}", "{{ d | map('upper') | list }}", "{{ l | map('pow', 2) | list }}",
                   "{{ users | map(attribute='age') | max }}", "{{ nested | map(attribute='0') | list }}",
                   "{{ ['a,b', 'c'] | map('split', ',') | list }}"], V)
    f.each("max_min", ["{{ l | max }}", "{{ l | min }}", "{{ strs | max }}", "{{ strs | min }}", "{{ strs | max(case_sensitive=true) }}",
                       "{{ users | max(attribute='age') }}", "{{ users | min(attribute='age') }}", "{{ empty | max }}",
                       "{{ fl | max }}", "{{ [1, 2.5] | max }}", "{{ 'hello' | max }}", "{{ users | max(attribute='name') }}"], V)
    f.each("pprint", ["{{ d | pprint }}", "{{ l | pprint }}", "{{ 'x' | pprint }}", "{{ none | pprint }}", "{{ users[0] | pprint }}"], V)
    f.each("random_seeded", ["{{ nums | random(seed='a') }}", "{{ nums | random(seed=1) }}", "{{ 'abcdef' | random(seed='s') }}",
                             "{{ 100 | random(seed=7) }}", "{{ 100 | random(start=50, seed=7) }}", "{{ 100 | random(step=10, seed=3) }}",
                             "{{ 10 | random(1, 2, seed='x') }}", "{{ strs | random(seed='fruit') }}"], V)
    f.each("reject_select", ["{{ nums | select('odd') | list }}", "{{ nums | reject('odd') | list }}", "{{ nums | select('gt', 4) | list }}",
                             "{{ nums | select('divisibleby', 3) | list }}", "{{ [0, 1, '', 'a', none] | select | list }}",
                             "{{ [0, 1, '', 'a', none] | reject | list }}", "{{ strs | select('match', '^[a-z]') | list }}",
                             "{{ strs | reject('equalto', 'Apple') | list }}", "{{ nums | select('in', [2, 3]) | list }}",
                             "{{ [1, 'a', none, [1]] | select('string') | list }}", "{{ [1, 'a', 2.5] | select('number') | list }}",
                             "{{ nums | select('lessthan', 3) | list }}", "{{ nums | select('==', 3) | list }}",
                             "{{ nums | select('ne', 3) | list | length }}", "{{ strs | select('search', 'an') | list }}",
                             "{{ [none, 1] | select('none') | list }}", "{{ empty | select('odd') | list }}"], V)
    f.each("selectattr_rejectattr", [
        "{{ staff | selectattr('admin') | map(attribute='name') | list }}", "{{ staff | rejectattr('admin') | map(attribute='name') | list }}",
        "{{ staff | selectattr('age', 'gt', 30) | map(attribute='name') | list }}", "{{ staff | selectattr('age', 'equalto', 31) | map(attribute='name') | list }}",
        "{{ staff | selectattr('city', 'eq', 'Oslo') | list | length }}", "{{ staff | selectattr('admin', 'defined') | list | length }}",
        "{{ staff | rejectattr('admin', 'defined') | map(attribute='name') | list }}", "{{ staff | selectattr('admin', 'undefined') | map(attribute='name') | list }}",
        "{{ staff | selectattr('name', 'in', ['bob', 'dee']) | map(attribute='age') | list }}",
        "{{ staff | selectattr('name', 'match', '^[ab]') | map(attribute='name') | list }}",
        "{{ staff | selectattr('name', 'search', 'e') | map(attribute='name') | list }}",
        "{{ staff | selectattr('age', 'ge', 31) | map(attribute='name') | list }}", "{{ staff | selectattr('age', 'lt', 31) | map(attribute='name') | list }}",
        "{{ staff | selectattr('age', 'le', 31) | map(attribute='name') | list }}", "{{ staff | selectattr('age', 'ne', 31) | map(attribute='name') | list }}",
        "{{ staff | selectattr('age', 'odd') | map(attribute='name') | list }}", "{{ staff | selectattr('age', 'even') | map(attribute='name') | list }}",
        "{{ staff | selectattr('age', 'divisibleby', 5) | map(attribute='name') | list }}", "{{ staff | selectattr('name', 'string') | list | length }}",
        "{{ staff | selectattr('age', 'number') | list | length }}", "{{ staff | selectattr('age', 'integer') | list | length }}",
        "{{ staff | selectattr('admin', 'true') | map(attribute='name') | list }}", "{{ staff | selectattr('admin', 'false') | map(attribute='name') | list }}",
        "{{ staff | selectattr('admin', 'boolean') | list | length }}", "{{ staff | selectattr('admin', 'none') | list | length }}",
        "{{ staff | selectattr('city', 'lower') | list | length }}", "{{ staff | selectattr('name', 'upper') | list | length }}",
        "{{ staff | selectattr('city', 'sameas', 'Oslo') | list | length }}", "{{ staff | selectattr('name', 'contains', 'o') | list | length }}",
        "{{ staff | selectattr('name', 'regex', 'n+') | map(attribute='name') | list }}", "{{ staff | selectattr('age', 'greaterthan', 30) | list | length }}",
        "{{ staff | selectattr('age', 'lessthan', 30) | list | length }}", "{{ staff | selectattr('name', 'truthy') | list | length }}",
        "{{ staff | selectattr('admin', 'falsy') | map(attribute='name') | list }}", "{{ staff | selectattr('name', 'mapping') | list | length }}",
        "{{ staff | selectattr('name', 'sequence') | list | length }}", "{{ staff | selectattr('name', 'iterable') | list | length }}",
        "{{ staff | selectattr('age', 'float') | list | length }}", "{{ staff | selectattr('name', 'version', 'b', '>') | map(attribute='name') | list }}",
        "{{ users | selectattr('admin') | list }}", "{{ staff | selectattr('missing') | list }}", "{{ staff | selectattr('age', '>', 30) | list | length }}",
        "{{ staff | selectattr('age', 'callable') | list | length }}", "{{ staff | selectattr('admin', 'nan') | list | length }}",
        "{{ staff | rejectattr('age', 'gt', 30) | map(attribute='name') | list }}", "{{ staff | rejectattr('city', 'eq', 'Oslo') | map(attribute='name') | list }}",
        "{{ staff | rejectattr('boss', 'none') | map(attribute='name') | list }}", "{{ staff | selectattr('boss', 'none') | map(attribute='name') | list }}",
        "{{ staff | selectattr('tags') | map(attribute='name') | list }}", "{{ staff | rejectattr('score') | map(attribute='name') | list }}",
        "{{ staff | selectattr('score', 'float') | map(attribute='name') | list }}", "{{ staff | selectattr('tags', 'contains', 'y') | map(attribute='name') | list }}",
        "{{ staff | selectattr('tags', 'subset', ['x', 'y', 'z']) | list | length }}", "{{ staff | selectattr('age', 'in', [25, 40]) | map(attribute='name') | list }}",
        "{{ staff | rejectattr('tags', 'truthy') | map(attribute='name') | list }}", "{{ staff | selectattr('name', 'equalto', 'bob') | list | length }}",
        "{{ staff | selectattr('age', '==', 31) | list | length }}", "{{ staff | selectattr('age', '!=', 31) | list | length }}",
        "{{ staff | selectattr('age', '<', 31) | list | length }}", "{{ staff | selectattr('age', '<=', 31) | list | length }}",
        "{{ staff | selectattr('age', '>=', 31) | list | length }}", "{{ staff | selectattr('name', 'defined') | list | length }}",
    ], V)
    f.each("replace", ["{{ s | replace('o', '0') }}", "{{ s | replace('o', '0', 1) }}", "{{ s | replace('', '-') }}", "{{ s | replace('zz', 'y') }}",
                       "{{ 123 | replace('2', 'x') }}", "{{ 'aaa' | replace('a', 'bb', 2) }}"], V)
    f.each("reverse", ["{{ l | reverse | list }}", "{{ s | reverse }}", "{{ empty | reverse | list }}", "{{ d | reverse | list }}",
                       "{{ (1, 2) | reverse | list }}"], V)
    f.each("round", ["{{ 2.5 | round }}", "{{ 3.5 | round }}", "{{ 2.675 | round(2) }}", "{{ 1.234 | round(1, 'floor') }}",
                     "{{ 1.234 | round(1, 'ceil') }}", "{{ -1.5 | round }}", "{{ 42 | round }}", "{{ 1234.5 | round(-2) }}",
                     "{{ 2.5 | round(0, 'common') }}", "{{ 0.125 | round(2) }}", "{{ n | round(0, 'floor') }}", "{{ 1.5 | round(method='ceil') }}",
                     "{{ 2 | round(1) }}", "{{ 'x' | round }}"], V)
    f.each("slice", ["{{ nums | slice(3) | list }}", "{{ nums | slice(3, 0) | list }}", "{{ nums | slice(2) | list }}",
                     "{{ empty | slice(2) | list }}", "{{ nums | slice(10) | list | length }}"], V)
    f.each("sort", ["{{ l | sort }}", "{{ l | sort(reverse=true) }}", "{{ strs | sort }}", "{{ strs | sort(case_sensitive=true) }}",
                    "{{ mixed_case | sort }}", "{{ mixed_case | sort(case_sensitive=true) }}", "{{ users | sort(attribute='age') | map(attribute='name') | list }}",
                    "{{ users | sort(attribute='age,name') | map(attribute='name') | list }}", "{{ users | sort(attribute='age', reverse=true) | map(attribute='name') | list }}",
                    "{{ users | sort(attribute='city') | map(attribute='name') | list }}", "{{ 'cba' | sort }}", "{{ d | sort }}",
                    "{{ [2.5, 1, 3] | sort }}", "{{ [[2, 1], [1, 2]] | sort }}", "{{ [true, false] | sort }}", "{{ [1, 'a'] | sort }}",
                    "{{ empty | sort }}"], V)
    f.each("string", ["{{ 5 | string }}", "{{ l | string }}", "{{ none | string }}", "{{ true | string }}", "{{ 1.0 | string }}",
                      "{{ d | string }}", "{{ 'x' | string }}", "{{ [1.5, 'a', none] | string }}", "{{ 1e20 | string }}", "{{ 0.1 | string }}"], V)
    f.each("striptags", ["{{ html | striptags }}", "{{ '<p>a</p>\\n<p>b   c</p>' | striptags }}", "{{ 'a &amp; b' | striptags }}",
                         "{{ '<!-- c -->x' | striptags }}", "{{ 'no tags' | striptags }}"], V)
    f.each("sum", ["{{ l | sum }}", "{{ fl | sum }}", "{{ l | sum(start=10) }}", "{{ users | sum(attribute='age') }}", "{{ empty | sum }}",
                   "{{ nested | sum(start=[]) }}", "{{ [0.1, 0.2] | sum }}", "{{ ['a'] | sum }}", "{{ l | sum(10) }}"], V)
    f.each("tojson", ["{{ d | tojson }}", "{{ l | tojson }}", "{{ html | tojson }}", "{{ none | tojson }}", "{{ 'ü' | tojson }}",
                      "{{ d | tojson(indent=2) }}", "{{ users[0] | tojson }}"], V)
    f.each("trim", ["{{ '  x  ' | trim }}", "{{ 'xxaxx' | trim('x') }}", "{{ '\\t\\nx\\n' | trim }}", "{{ 5 | trim }}", "{{ '' | trim }}"], V, mode="text")
    f.each("truncate", ["{{ long | truncate(20) }}", "{{ long | truncate(20, true) }}", "{{ long | truncate(20, false, '…') }}",
                        "{{ long | truncate(20, true, '', 0) }}", "{{ 'short' | truncate(20) }}", "{{ long | truncate(70) }}",
                        "{{ long | truncate(71, leeway=0) }}", "{{ long | truncate }}", "{{ 'abcdefghij' | truncate(5, true) }}"], V)
    f.each("unique", ["{{ dup | unique | list }}", "{{ dupstr | unique | list }}", "{{ dupstr | unique(case_sensitive=true) | list }}",
                      "{{ users | unique(attribute='city') | map(attribute='name') | list }}", "{{ empty | unique | list }}",
                      "{{ [1, 1.0, true] | unique | list }}", "{{ 'mississippi' | unique | list }}"], V)
    f.each("urlencode", ["{{ url | urlencode }}", "{{ 'a b&c=d/e' | urlencode }}", "{{ {'a': 1, 'b': 'x y'} | urlencode }}",
                         "{{ [['k', 'v'], ['q', 'a&b']] | urlencode }}", "{{ 'ü' | urlencode }}", "{{ '' | urlencode }}", "{{ 5 | urlencode }}"], V)
    f.each("urlize", ["{{ text_with_url | urlize }}", "{{ 'mail me@example.com' | urlize }}", "{{ text_with_url | urlize(10) }}",
                      "{{ 'www.example.org' | urlize }}", "{{ text_with_url | urlize(nofollow=true) }}",
                      "{{ text_with_url | urlize(target='_blank') }}", "{{ 'no link' | urlize }}"], V)
    f.each("wordcount", ["{{ words | wordcount }}", "{{ '' | wordcount }}", "{{ 'one,two three' | wordcount }}", "{{ multi | wordcount }}"], V)
    f.each("wordwrap", ["{{ long | wordwrap(20) }}", "{{ long | wordwrap(20, wrapstring='|') }}", "{{ 'averyveryverylongword' | wordwrap(5) }}",
                        "{{ 'averyveryverylongword' | wordwrap(5, false) }}", "{{ 'a b\\nc d' | wordwrap(3) }}", "{{ long | wordwrap }}",
                        "{{ 'x-y-z-long-hyphen' | wordwrap(6, break_on_hyphens=false) }}"], V, mode="text")
    f.each("xmlattr", ["{{ {'class': 'a', 'id': 'x'} | xmlattr }}", "{{ {'a': none, 'b': 'q\"'} | xmlattr }}",
                       "{{ {'k': 'v'} | xmlattr(false) }}", "{{ {} | xmlattr }}", "{{ {'a': '<&>'} | xmlattr }}"], V)
    return f
