"""ansible.builtin tests: regex, version, sets, task results, truthiness, math, paths, vault, uri."""

from casekit import Family

V = {
    "ok": {"changed": False, "failed": False}, "chg": {"changed": True, "rc": 0},
    "bad": {"failed": True, "msg": "boom", "changed": False}, "skipped_r": {"skipped": True, "changed": False},
    "unreach": {"unreachable": True, "failed": False}, "async_done": {"finished": 1, "started": 1},
    "async_run": {"finished": 0, "started": 1, "ansible_job_id": "j1"}, "empty_r": {},
    "s": "Hello World", "l": [1, 2, 3], "vers": ["1.10.0", "1.9.9", "2.0.0-rc1"],
    "vault": {"__ansible_vault": "$ANSIBLE_VAULT;1.1;AES256\n6162636465"},
    "vault_str": "$ANSIBLE_VAULT;1.1;AES256\n6162636465",
}

VERSION_PAIRS = [("1.0", "1.0"), ("1.0", "2.0"), ("1.10", "1.9"), ("1.2.3", "1.2.3.0"), ("2.0.0", "2.0"), ("1.0a1", "1.0"),
                 ("1.0rc1", "1.0"), ("0.9", "0.10"), ("1.0.0-alpha", "1.0.0"), ("1.2.3-beta.2", "1.2.3-beta.11"), ("10", "9")]
OPERATORS = ["==", "=", "eq", "!=", "<>", "ne", "<", "lt", "<=", "le", ">", "gt", ">=", "ge"]


def build():
    f = Family("tests_ansible")
    f.each("match_search_regex", [
        "{{ s is match('Hell') }}", "{{ s is match('World') }}", "{{ s is search('World') }}", "{{ s is search('^World') }}",
        "{{ s is match('hello', ignorecase=true) }}", "{{ 'a\\nb' is search('^b', multiline=true) }}", "{{ s is regex('o W') }}",
        "{{ s is regex('^o', match_type='match') }}", "{{ s is regex('W.r', match_type='search') }}", "{{ s is regex('Hello World', match_type='fullmatch') }}",
        "{{ s is match('Hello$') }}", "{{ s is not search('xyz') }}", "{{ 5 is match('5') }}", "{{ s is match('(') }}",
        "{{ '' is match('') }}", "{{ s is search('WORLD', ignorecase=true) }}", "{{ s is regex('hello', ignorecase=true) }}",
    ], V)
    version_cases = []
    for left, right in VERSION_PAIRS:
        for op in ("<", "==", ">="):
            version_cases.append(f"{{{{ '{left}' is version('{right}', '{op}') }}}}")
    for op in OPERATORS:
        version_cases.append(f"{{{{ '1.2' is version('1.10', '{op}') }}}}")
    version_cases += [
        "{{ '1.2.3' is version('1.2.3', 'eq', strict=true) }}", "{{ '1.2a' is version('1.2', 'gt', strict=true) }}",
        "{{ '1.2.3.4.5' is version('1.2', 'gt', strict=true) }}", "{{ '1.0.0-alpha' is version('1.0.0', 'lt', version_type='semver') }}",
        "{{ '1.2.3-beta.2' is version('1.2.3-beta.11', 'lt', version_type='semver') }}", "{{ '1.2.3' is version('1.2.3+build', '==', version_type='semver') }}",
        "{{ '1.2' is version('1.2.0', 'eq', version_type='semver') }}", "{{ '1.0' is version('1.0', 'eq', version_type='loose') }}",
        "{{ '1.0.post1' is version('1.0', 'gt', version_type='pep440') }}", "{{ '1.0rc1' is version('1.0', 'lt', version_type='pep440') }}",
        "{{ '1.0' is version('1.0', 'eq', version_type='strict') }}", "{{ '1.0' is version('0.9') }}", "{{ '1.0' is version('1.0') }}",
        "{{ '1.0' is version('1.0', 'bogus') }}", "{{ '1.0' is version('1.0', 'eq', version_type='bogus') }}",
        "{{ '1.0' is version_compare('0.5', '>') }}", "{{ 2.0 is version('1.5', '>') }}", "{{ '2.0-1' is version('2.0', '>') }}",
        "{{ 'abc' is version('1.0', '>') }}", "{{ '' is version('1.0', '<') }}", "{{ '1.0' is version('1.0', '==', strict=true, version_type='loose') }}",
        "{{ vers | select('version', '1.9.10', '>') | list }}", "{{ '1.2.3' is version('1.2', 'ge', version_type='strict') }}",
    ]
    f.each("version", version_cases, V)
    f.each("sets", [
        "{{ [1, 2] is subset([1, 2, 3]) }}", "{{ [1, 4] is subset([1, 2, 3]) }}", "{{ [1, 2, 3] is superset([1, 3]) }}", "{{ [1] is superset([1, 2]) }}",
        "{{ [] is subset([]) }}", "{{ [1, 2] is issubset([1, 2]) }}", "{{ l is issuperset([]) }}", "{{ l is contains(2) }}",
        "{{ l is contains(5) }}", "{{ 'abc' is contains('b') }}", "{{ {'a': 1} is contains('a') }}", "{{ [[1]] is contains([1]) }}",
        "{{ [true, true] is all }}", "{{ [true, false] is all }}", "{{ [] is all }}", "{{ [false, 1] is any }}", "{{ [0, ''] is any }}",
        "{{ [] is any }}", "{{ l is all }}", "{{ ['a', 'b'] is subset('abc') }}", "{{ l | select('contains', 2) | list }}",
        "{{ [[1, 2], [3]] | select('contains', 3) | list }}",
    ], V)
    results = ["ok", "chg", "bad", "skipped_r", "unreach", "empty_r"]
    for test in ("succeeded", "success", "failed", "failure", "changed", "change", "skipped", "skip", "reachable", "unreachable"):
        f.each("results_" + test, [f"{{{{ {r} is {test} }}}}" for r in results] + [f"{{{{ 'x' is {test} }}}}"], V)
    f.each("async", ["{{ async_done is finished }}", "{{ async_run is finished }}", "{{ async_done is started }}", "{{ async_run is started }}",
                     "{{ ok is finished }}", "{{ ok is started }}", "{{ 'x' is finished }}"], V)
    f.each("truthy_falsy", [
        "{{ 1 is truthy }}", "{{ 0 is truthy }}", "{{ 'x' is truthy }}", "{{ '' is truthy }}", "{{ [] is falsy }}", "{{ [0] is falsy }}",
        "{{ none is falsy }}", "{{ 'false' is truthy }}", "{{ 'no' is truthy(convert_bool=true) }}", "{{ 'yes' is truthy(convert_bool=true) }}",
        "{{ 'off' is falsy(convert_bool=true) }}", "{{ 'junk' is falsy(convert_bool=true) }}", "{{ {} is falsy }}", "{{ 0.0 is falsy }}",
        "{{ missing is truthy }}", "{{ [0, 1, '', 'a'] | select('truthy') | list }}", "{{ [0, 1, '', 'a'] | select('falsy') | list }}",
    ], V)
    f.each("math", ["{{ 1 is nan }}", "{{ 'nan' | float is nan }}", "{{ 'x' is nan }}", "{{ 1.5 is nan }}", "{{ ('inf' | float) is nan }}",
                    "{{ 'nan' | float is isnan }}", "{{ none is nan }}"], V)
    f.each("paths", [
        "{{ '/' is abs }}", "{{ 'rel/x' is abs }}", "{{ '/nonexistent/x' is abs }}", "{{ '/' is exists }}", "{{ '/nonexistent' is exists }}",
        "{{ '/tmp' is directory }}", "{{ '/nonexistent' is directory }}", "{{ '/' is file }}", "{{ '/proc/self' is link }}", "{{ '/tmp' is link }}",
        "{{ '/nonexistent' is file }}", "{{ '/tmp' is is_dir }}", "{{ '/' is is_file }}", "{{ '/nonexistent' is is_link }}",
        "{{ '/' is mount }}", "{{ '/nonexistent' is mount }}", "{{ '/' is same_file('/') }}", "{{ '/tmp' is same_file('/') }}",
        "{{ '/tmp/../' is same_file('/') }}", "{{ '/' is is_abs }}", "{{ '/dev/null' is exists }}", "{{ '/dev/null' is file }}",
    ], V)
    f.each("vault", ["{{ vault is vault_encrypted }}", "{{ vault_str is vault_encrypted }}", "{{ 'plain' is vault_encrypted }}", "{{ 5 is vault_encrypted }}",
                     "{{ '/nonexistent' is vaulted_file }}"], V)
    f.each("uri", ["{{ 'http://x.org' is uri }}", "{{ 'mailto:a@b' is uri }}", "{{ 'nope' is uri }}", "{{ 'http://x.org/p' is url }}",
                   "{{ 'urn:isbn:123' is urn }}", "{{ 'http://x' is uri(['https']) }}", "{{ 'ftp://h/f' is url(schemes=['ftp']) }}",
                   "{{ 'x' is urn }}"], V)
    f.exprs("expr", ["bad is failed", "chg is changed", "ok is not changed", "skipped_r is skipped", "ok is success",
                     "'1.2' is version('1.1', '>')", "l is contains 2", "s is search('World')", "[1] is subset(l)",
                     "bad is failed and chg is changed", "'/tmp' is directory"], V)
    return f
