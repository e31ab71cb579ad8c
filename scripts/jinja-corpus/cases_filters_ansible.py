"""ansible.builtin filters (data, strings, regex, encoding, hashing, paths, sets, math, time, urls).
YAML filters live in cases_troupe_yaml.py (the Troupe target owns YAML)."""

from casekit import Family

V = {
    "d1": {"a": 1, "b": {"x": 1, "y": [1, 2]}, "l": [1, 2]}, "d2": {"b": {"y": [3], "z": 3}, "c": 4, "l": [2, 3]},
    "d3": {"a": None}, "kv": [{"key": "a", "value": 1}, {"key": "b", "value": 2}],
    "kn": [{"name": "x", "val": 9}, {"name": "y", "val": 8}], "s": "Hello World", "path": "/etc/ansible/hosts.yml",
    "rel": "a/b/../c.txt", "l1": [1, 2, 3, 2], "l2": [2, 3, 4], "nested": [1, [2, [3, [4]]], [], [5]],
    "users": [{"name": "ann", "groups": ["wheel", "dev"], "info": {"shell": "/bin/bash", "keys": ["k1", "k2"]}},
              {"name": "bob", "groups": [], "info": {"shell": "/bin/sh", "keys": ["k3"]}}],
    "json_s": '{"a": [1, 2.5, null, true], "b": "x"}', "ver": "1.2.3", "ip": "10.0.0.1", "z": None,
    "url": "https://user:pw@www.example.com:8443/path/to?q=1&r=2#frag", "unicode": "héllo wörld",
    "b64": "SGVsbG8gV29ybGQ=", "big": 1536000, "epoch": 1700000000, "dt": "2024-02-29 13:45:10",
    "choices": ["a", "b", "c", "d", "e"], "env_home": "/root",
}


def build():
    f = Family("filters_ansible")
    f.each("to_json", ["{{ d1 | to_json }}", "{{ [1, 'a', none, true, 1.5] | to_json }}", "{{ 'ü' | to_json }}",
                       "{{ 'ü' | to_json(ensure_ascii=false) }}", "{{ d1 | to_json(sort_keys=true) }}", "{{ d1 | to_json(indent=2) }}",
                       "{{ {'b': 1, 'a': 2} | to_json(separators=[',', ':']) }}", "{{ none | to_json }}", "{{ 'a\"b' | to_json }}",
                       "{{ 1.0 | to_json }}", "{{ {} | to_json }}", "{{ 'x\\ny' | to_json }}"], V)
    f.each("to_nice_json", ["{{ d1 | to_nice_json }}", "{{ [1, [2]] | to_nice_json }}", "{{ d1 | to_nice_json(indent=2) }}",
                            "{{ {'b': 'ü', 'a': 1} | to_nice_json }}", "{{ [] | to_nice_json }}", "{{ {'z': {}, 'a': []} | to_nice_json }}",
                            "{{ 'str' | to_nice_json }}", "{{ {'k': 'ü'} | to_nice_json(ensure_ascii=true) }}"], V)
    f.each("from_json", ["{{ json_s | from_json }}", "{{ '[1, 2]' | from_json }}", "{{ '\"s\"' | from_json }}", "{{ '1.0' | from_json }}",
                         "{{ 'null' | from_json }}", "{{ '{\"b\": 1, \"a\": 2}' | from_json }}", "{{ 'nope' | from_json }}",
                         "{{ (json_s | from_json).a[1] }}", "{{ '{\"a\": 1}' | from_json | to_json }}"], V)
    f.each("bool", ["{{ 'yes' | bool }}", "{{ 'no' | bool }}", "{{ 'True' | bool }}", "{{ 'false' | bool }}", "{{ 'on' | bool }}",
                    "{{ 'off' | bool }}", "{{ '1' | bool }}", "{{ '0' | bool }}", "{{ 1 | bool }}", "{{ 0 | bool }}", "{{ 'y' | bool }}",
                    "{{ 'n' | bool }}", "{{ 't' | bool }}", "{{ 'f' | bool }}", "{{ 'junk' | bool }}", "{{ none | bool }}", "{{ 2 | bool }}",
                    "{{ 1.0 | bool }}", "{{ true | bool }}", "{{ ' yes ' | bool }}", "{{ 'YES' | bool }}", "{{ '' | bool }}"], V)
    f.each("int_float_bases", ["{{ '0x1f' | int(base=16) }}", "{{ '1f' | int(base=16) }}", "{{ '0777' | int(base=8) }}", "{{ '101' | int(base=2) }}",
                               "{{ '12' | int(base=3) }}", "{{ 'ZZ' | int(base=36) }}", "{{ '9' | int(base=8) }}", "{{ '0b11' | int(0) }}",
                               "{{ '1.5e2' | float }}", "{{ '-1.25' | float }}", "{{ 'nan' | float | string }}", "{{ '12' | float }}"], V)
    f.each("combine", ["{{ d1 | combine(d2) }}", "{{ d1 | combine(d2, recursive=true) }}", "{{ d1 | combine(d2, list_merge='append') }}",
                       "{{ d1 | combine(d2, recursive=true, list_merge='append') }}", "{{ d1 | combine(d2, recursive=true, list_merge='prepend') }}",
                       "{{ d1 | combine(d2, recursive=true, list_merge='append_rp') }}", "{{ d1 | combine(d2, recursive=true, list_merge='prepend_rp') }}",
                       "{{ d1 | combine(d2, list_merge='keep') }}", "{{ d1 | combine(d2, list_merge='replace') }}", "{{ d1 | combine({'a': none}) }}",
                       "{{ d1 | combine(d3, d2) }}", "{{ [d1, d2] | combine }}", "{{ {} | combine({}) }}", "{{ d1 | combine(d2, list_merge='bogus') }}",
                       "{{ d1 | combine(1) }}", "{{ {'a': {'b': 1}} | combine({'a': {'c': 2}}, {'a': {'b': 3}}, recursive=true) }}",
                       "{{ {'a': [1, 2]} | combine({'a': [2, 3]}, list_merge='append_rp') }}", "{{ d1 | combine(d2, reverse=true) }}",
                       "{{ {'a': {'x': 1}} | combine({'a': 'scalar'}, recursive=true) }}"], V)
    f.each("dict2items", ["{{ d1 | dict2items }}", "{{ {'a': 1} | dict2items(key_name='k', value_name='v') }}", "{{ {} | dict2items }}",
                          "{{ [1] | dict2items }}", "{{ d2 | dict2items | map(attribute='key') | list }}"], V)
    f.each("items2dict", ["{{ kv | items2dict }}", "{{ kn | items2dict(key_name='name', value_name='val') }}", "{{ [] | items2dict }}",
                          "{{ [{'x': 1}] | items2dict }}", "{{ d1 | items2dict }}", "{{ d1 | dict2items | items2dict == d1 }}"], V)
    f.each("regex_replace", ["{{ s | regex_replace('o', '0') }}", "{{ s | regex_replace('^(\\\\w+) (\\\\w+)$', '\\\\2 \\\\1') }}",
                             "{{ s | regex_replace('(?P<first>H)', '<\\\\g<first>>') }}", "{{ s | regex_replace('L', 'x', ignorecase=true) }}",
                             "{{ 'a\\nb' | regex_replace('^', '> ', multiline=true) }}", "{{ s | regex_replace('o', '0', count=1) }}",
                             "{{ s | regex_replace('[aeiou]') }}", "{{ 'aaa' | regex_replace('a*', '-') }}", "{{ 'x.y.z' | regex_replace('\\\\.', '/') }}",
                             "{{ 5 | regex_replace('5', 'five') }}", "{{ s | regex_replace('(', 'x') }}", "{{ 'ab' | regex_replace('(a)|(z)', '[\\\\2]') }}"],
           V, mode="text")
    f.each("regex_replace_native", ["{{ s | regex_replace('o', '0') }}", "{{ 'host-01' | regex_replace('-\\\\d+$', '') }}",
                                    "{{ 'a1b22' | regex_replace('[0-9]+', '#') }}"], V)
    f.each("regex_search", ["{{ s | regex_search('o.') }}", "{{ s | regex_search('z') }}", "{{ s | regex_search('(?i)WORLD') }}",
                            "{{ s | regex_search('(\\\\w+) (\\\\w+)', '\\\\2') }}", "{{ s | regex_search('(?P<w>W\\\\w+)', '\\\\g<w>') }}",
                            "{{ s | regex_search('(\\\\w+) (\\\\w+)', '\\\\1', '\\\\2') }}", "{{ s | regex_search('world', ignorecase=true) }}",
                            "{{ 'a\\nb' | regex_search('^b', multiline=true) }}", "{{ '' | regex_search('x') }}", "{{ s | regex_search('') }}"],
           V, mode="text")
    f.each("regex_search_native", ["{{ s | regex_search('o.') }}", "{{ s | regex_search('z') }}", "{{ s | regex_search('(l+)', '\\1') }}",
                                   "{{ s | regex_search('(?P<up>[A-Z])', '\\g<up>') }}", "{{ 'x9' | regex_replace('(\\d)', '<\\1>') }}"], V)
    f.each("regex_findall", ["{{ s | regex_findall('o') }}", "{{ s | regex_findall('l+') }}", "{{ s | regex_findall('(\\\\w)(\\\\w)') }}",
                             "{{ s | regex_findall('O', ignorecase=true) }}", "{{ 'a\\nb' | regex_findall('^\\\\w', multiline=true) }}",
                             "{{ s | regex_findall('z') }}", "{{ 'k=v, x=y' | regex_findall('(\\\\w)=(\\\\w)') }}"], V, mode="text")
    f.each("regex_findall_native", ["{{ s | regex_findall('o') }}", "{{ 'a1b22c333' | regex_findall('[0-9]+') }}",
                                    "{{ 'k=v;x=y' | regex_findall('([a-z])=([a-z])') }}"], V)
    f.each("regex_escape", ["{{ 'a.b*c' | regex_escape }}", "{{ '[x](y)' | regex_escape }}", "{{ 'plain' | regex_escape }}",
                            "{{ 'a.b*c' | regex_escape('posix_basic') }}", "{{ 'a b+?' | regex_escape(re_type='python') }}",
                            "{{ 'x' | regex_escape('posix_extended') }}"], V)
    f.each("quote", ["{{ 'a b' | quote }}", "{{ \"it's\" | quote }}", "{{ 'plain' | quote }}", "{{ '' | quote }}", "{{ '$HOME' | quote }}",
                     "{{ 5 | quote }}", "{{ ['a b', 'c'] | map('quote') | join(' ') }}"], V)
    f.each("b64", ["{{ 'Hello World' | b64encode }}", "{{ b64 | b64decode }}", "{{ unicode | b64encode }}", "{{ unicode | b64encode | b64decode }}",
                   "{{ '' | b64encode }}", "{{ 'ü' | b64encode(encoding='utf-16') }}", "{{ 'x' | b64decode }}", "{{ 'YQ' | b64decode }}"], V)
    f.each("hash", ["{{ 'abc' | hash }}", "{{ 'abc' | hash('md5') }}", "{{ 'abc' | hash('sha256') }}", "{{ 'abc' | hash('sha512') }}",
                    "{{ 'abc' | checksum }}", "{{ 'abc' | md5 }}", "{{ 'abc' | sha1 }}", "{{ '' | md5 }}", "{{ unicode | sha1 }}",
                    "{{ 'abc' | hash('sha224') }}", "{{ 'abc' | hash('sha384') }}", "{{ 'abc' | hash('nope') }}", "{{ 5 | md5 }}"], V)
    f.each("password_hash", ["{{ 'secret' | password_hash('sha512', 'mysaltvalue') }}", "{{ 'secret' | password_hash('sha512_crypt', 'abcdefgh', rounds=5000) }}",
                             "{{ 'secret' | password_hash('sha256', 'mysaltvalue', rounds=5000) }}", "{{ 'secret' | password_hash('sha512', 'mysaltvalue', rounds=5000) }}",
                             "{{ 'secret' | password_hash('sha512', 'mysaltvalue', rounds=10000) }}", "{{ 'secret' | password_hash('md5', 'salty') }}"], V)
    f.each("to_uuid", ["{{ 'example' | to_uuid }}", "{{ 'example' | to_uuid(namespace='6ba7b810-9dad-11d1-80b4-00c04fd430c8') }}",
                       "{{ '' | to_uuid }}", "{{ 5 | to_uuid }}"], V)
    f.each("paths", ["{{ path | basename }}", "{{ path | dirname }}", "{{ '/' | basename }}", "{{ 'file' | dirname }}", "{{ '/a/b/' | basename }}",
                     "{{ path | splitext }}", "{{ 'archive.tar.gz' | splitext }}", "{{ '.bashrc' | splitext }}", "{{ 'noext' | splitext }}",
                     "{{ ['a', 'b', 'c'] | path_join }}", "{{ ['/etc', 'x'] | path_join }}", "{{ ['a', '/abs', 'c'] | path_join }}",
                     "{{ ('a', 'b') | path_join }}", "{{ '/etc/hosts' | relpath('/etc') }}", "{{ '/a/b/c' | relpath('/a/x') }}",
                     "{{ '/' | realpath }}", "{{ '/tmp/../etc' | realpath }}", "{{ '/nonexistent/x/../y' | realpath }}",
                     "{{ '/abs/path' | expanduser }}", "{{ 'rel/path' | expanduser }}", "{{ '~root/x' | expanduser }}",
                     "{{ '$NOT_SET_VAR_XYZ/a' | expandvars }}", "{{ 'plain' | expandvars }}", "{{ '/usr/bin/' | dirname }}",
                     "{{ 'a/b' | basename }}", "{{ '' | basename }}", "{{ '' | dirname }}", "{{ 'C:\\\\x' | win_basename }}",
                     "{{ 'C:\\\\x\\\\y' | win_dirname }}", "{{ 'C:\\\\x\\\\y' | win_splitdrive }}"], V)
    f.each("flatten", ["{{ nested | flatten }}", "{{ nested | flatten(1) }}", "{{ nested | flatten(levels=2) }}", "{{ [[none], [1]] | flatten }}",
                       "{{ [[none], [1]] | flatten(skip_nulls=false) }}", "{{ [] | flatten }}", "{{ [['a', ['b']], 'c'] | flatten }}",
                       "{{ [[1, 2], 3] | flatten(0) }}"], V)
    f.each("set_theory", ["{{ l1 | unique }}", "{{ l1 | union(l2) }}", "{{ l1 | intersect(l2) }}", "{{ l1 | difference(l2) }}",
                          "{{ l1 | symmetric_difference(l2) }}", "{{ l2 | difference(l1) }}", "{{ [] | union([]) }}",
                          "{{ ['b', 'a', 'b'] | unique }}", "{{ [{'a': 1}, {'a': 1}] | unique }}", "{{ [1, 1.0, '1'] | unique }}",
                          "{{ 'abca' | unique }}", "{{ [[1], [1]] | union([[2]]) }}", "{{ l1 | intersect([]) }}",
                          "{{ ['a', 'B', 'b'] | unique(case_sensitive=false) }}", "{{ [3, 1, 3] | symmetric_difference([1, 5]) }}"], V)
    f.each("zip", ["{{ [1, 2, 3] | zip(['a', 'b']) }}", "{{ [1, 2] | zip(['a', 'b'], [true, false]) }}", "{{ [1, 2, 3] | zip_longest(['a']) }}",
                   "{{ [1] | zip_longest(['a', 'b'], fillvalue='-') }}", "{{ [] | zip([]) }}", "{{ [1, 2] | zip('ab') | list }}",
                   "{{ dict(['a', 'b'] | zip([1, 2])) }}"], V)
    f.each("itertools", ["{{ [1, 2] | product(['a', 'b']) }}", "{{ [1, 2] | product(repeat=2) }}", "{{ [1, 2, 3] | permutations }}",
                         "{{ [1, 2, 3] | permutations(2) }}", "{{ [1, 2, 3, 4] | combinations(2) }}", "{{ 'abc' | combinations(3) }}",
                         "{{ [1, 2] | product([3], [4, 5]) }}", "{{ [] | permutations }}", "{{ [1, 2] | combinations(5) }}"], V)
    f.each("subelements", ["{{ users | subelements('groups') }}", "{{ users | subelements('info.keys') }}",
                           "{{ users | subelements('groups') | map('last') | list }}", "{{ users | subelements('missing') }}",
                           "{{ users | subelements('missing', skip_missing=true) }}", "{{ users | subelements('name') }}"], V)
    f.each("extract", ["{{ [0, 2] | map('extract', ['a', 'b', 'c']) | list }}", "{{ ['a', 'c'] | map('extract', {'a': 1, 'c': 3}) | list }}",
                       "{{ 'b' | extract(d1) }}", "{{ 'b' | extract(d1, 'y') }}", "{{ 'b' | extract(d1, ['y', 0]) }}",
                       "{{ ['zz'] | map('extract', d1) | list }}"], V)
    f.each("mandatory", ["{{ s | mandatory }}", "{{ missing | mandatory }}", "{{ missing | mandatory('custom msg') }}", "{{ z | mandatory }}",
                         "{{ d1.nope | mandatory }}"], V)
    f.each("ternary", ["{{ true | ternary('y', 'n') }}", "{{ false | ternary('y', 'n') }}", "{{ z | ternary('y', 'n', 'null') }}",
                       "{{ z | ternary('y', 'n') }}", "{{ 'x' | ternary(1, 2) }}", "{{ 0 | ternary([1], {'a': 1}) }}", "{{ (1 > 0) | ternary('gt', 'le') }}"], V)
    f.each("type_debug", ["{{ 1 | type_debug }}", "{{ 1.5 | type_debug }}", "{{ 'x' | type_debug }}", "{{ [] | type_debug }}", "{{ {} | type_debug }}",
                          "{{ none | type_debug }}", "{{ true | type_debug }}", "{{ d1 | type_debug }}", "{{ s | type_debug }}", "{{ (1, 2) | type_debug }}"], V)
    f.each("split_splitlines", ["{{ 'a,b,c' | split(',') }}", "{{ 'a b  c' | split }}", "{{ 'a,b,c' | split(',', 1) }}", "{{ '' | split(',') }}",
                                "{{ 'one\\ntwo\\r\\nthree' | splitlines }}", "{{ 'one\\ntwo\\r\\nthree'.splitlines() }}",
                                "{{ 'x\\n\\ny\\n'.splitlines() }}", "{{ ''.splitlines() }}"], V, mode="text")
    f.each("split_native", ["{{ 'a,b,c' | split(',') }}", "{{ 'a b  c' | split }}", "{{ 'a-b-c' | split('-') | last }}"], V)
    f.each("shuffle_random", ["{{ choices | shuffle(seed='x') }}", "{{ choices | shuffle(seed=42) }}", "{{ [1, 2, 3] | shuffle(seed='abc') }}",
                              "{{ choices | random(seed='pick') }}", "{{ 50 | random(seed='n') }}", "{{ 50 | random(start=10, step=5, seed='n') }}",
                              "{{ 'abc' | shuffle(seed=1) }}", "{{ choices | shuffle(seed=1) | first }}"], V)
    f.each("human", ["{{ 1024 | human_readable }}", "{{ big | human_readable }}", "{{ big | human_readable(isbits=true) }}",
                     "{{ big | human_readable(unit='K') }}", "{{ 0 | human_readable }}", "{{ 1 | human_readable }}", "{{ (10**12) | human_readable }}",
                     "{{ 1000 | human_readable(isbits=true, unit='G') }}", "{{ '1 KB' | human_to_bytes }}", "{{ '1.5M' | human_to_bytes }}",
                     "{{ '10 Mb' | human_to_bytes(isbits=true) }}", "{{ '2G' | human_to_bytes }}", "{{ '100' | human_to_bytes }}",
                     "{{ '1 KiB' | human_to_bytes }}", "{{ '1 X' | human_to_bytes }}", "{{ '5' | human_to_bytes(default_unit='K') }}",
                     "{{ '1.5' | human_to_bytes }}", "{{ 'junk' | human_to_bytes }}", "{{ '1 MB' | human_to_bytes(isbits=true) }}"], V)
    f.each("time", ["{{ '%Y-%m-%d' | strftime(0, utc=true) }}", "{{ '%Y-%m-%d %H:%M:%S' | strftime(epoch, utc=true) }}",
                    "{{ '%a %b %d %j %U %w' | strftime(epoch, utc=true) }}", "{{ '%H:%M' | strftime(86399, utc=true) }}",
                    "{{ '%Y' | strftime('1700000000', utc=true) }}", "{{ '%A %B %m %M %S %%' | strftime(epoch, utc=true) }}",
                    "{{ '%Y-%m-%d' | strftime(epoch) }}", "{{ '%p %I %y %e' | strftime(epoch, utc=true) }}", "{{ '%Y' | strftime(1.5e9, utc=true) }}",
                    "{{ (dt | to_datetime).year }}", "{{ (dt | to_datetime).month }}", "{{ (dt | to_datetime).strftime('%d/%m') }}",
                    "{{ ('2024-03-01' | to_datetime('%Y-%m-%d') - '2024-02-01' | to_datetime('%Y-%m-%d')).days }}",
                    "{{ ((dt | to_datetime) - ('2024-02-29 13:00:00' | to_datetime)).total_seconds() }}",
                    "{{ ((dt | to_datetime) - ('2024-02-29 13:00:00' | to_datetime)).seconds }}", "{{ 'bad' | to_datetime }}",
                    "{{ (dt | to_datetime).weekday() }}", "{{ ('01/02/2023' | to_datetime('%d/%m/%Y')).isoformat() }}",
                    "{{ (dt | to_datetime).hour }}"], V)
    f.each("math", ["{{ 100 | log }}", "{{ 100 | log(10) }}", "{{ 8 | log(2) }}", "{{ 2 | pow(10) }}", "{{ 2.5 | pow(2) }}", "{{ 16 | root }}",
                    "{{ 27 | root(3) }}", "{{ 2 | root }}", "{{ -1 | log }}", "{{ 0 | log }}", "{{ 'x' | log }}", "{{ 10 | pow(-1) }}",
                    "{{ 1 | log }}", "{{ [1, 5, 3] | max }}", "{{ [1, 5, 3] | min }}", "{{ [{'v': 2}, {'v': 9}] | max(attribute='v') }}",
                    "{{ [{'v': 2}, {'v': 9}] | min(attribute='v') }}", "{{ [1, 2] | sum(start=5) }}", "{{ -3 | abs }}"], V)
    f.each("comment", ["{{ 'hello' | comment }}", "{{ 'a\\nb' | comment }}", "{{ 'x' | comment('c') }}", "{{ 'x' | comment('erlang') }}",
                       "{{ 'x' | comment('xml') }}", "{{ 'x' | comment('cblock') }}", "{{ 'x' | comment('c', prefix='// ', postfix='') }}",
                       "{{ 'x' | comment(decoration='# ', beginning='#####', end='#####') }}", "{{ 'x' | comment('plain', prefix_count=2) }}"],
           V, mode="text")
    f.each("urlsplit", ["{{ url | urlsplit }}", "{{ url | urlsplit('hostname') }}", "{{ url | urlsplit('port') }}", "{{ url | urlsplit('path') }}",
                        "{{ url | urlsplit('query') }}", "{{ url | urlsplit('fragment') }}", "{{ url | urlsplit('scheme') }}",
                        "{{ url | urlsplit('username') }}", "{{ url | urlsplit('password') }}", "{{ url | urlsplit('netloc') }}",
                        "{{ 'http://h/' | urlsplit('port') }}", "{{ url | urlsplit('bogus') }}", "{{ 'nourl' | urlsplit }}"], V)
    f.each("urlencode", ["{{ {'q': 'a b', 'x': 'ü/&'} | urlencode }}", "{{ 'a b/c?' | urlencode }}", "{{ ['x y', 'z'] | urlencode }}",
                         "{{ 'plain' | urlencode }}"], V)
    f.each("misc", ["{{ 'abc' | ansible.builtin.upper }}", "{{ [3, 1] | ansible.builtin.sort }}", "{{ d1 | ansible.builtin.dict2items | length }}",
                    "{{ 'a' | to_json | from_json }}", "{{ {'k': [1, {'n': none}]} | to_json | from_json }}", "{{ s | checksum == s | sha1 }}",
                    "{{ ['b', 'a'] | sort | join(',') | upper }}", "{{ 'x' | ansible.builtin.quote }}"], V)
    return f
