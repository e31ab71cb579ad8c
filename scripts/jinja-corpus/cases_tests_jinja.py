"""Every Jinja2 builtin test, positive and negative, plus `is not` and tests as select() arguments."""

from casekit import Family

V = {"i": 4, "f": 2.5, "s": "text", "up": "ABC", "low": "abc", "l": [1, 2], "d": {"a": 1}, "z": None, "t": True, "e": ""}

SUBJECTS = ["1", "0", "-3", "2.0", "2.5", "true", "false", "none", "'s'", "''", "'ABC'", "'abc'", "[1]", "[]", "{'a': 1}", "{}",
            "(1, 2)", "i", "f", "s", "l", "d", "z", "t", "missing", "d.nope", "range(2)"]

TESTS = ["boolean", "callable", "defined", "undefined", "none", "true", "false", "number", "integer", "float", "string",
         "mapping", "sequence", "iterable", "lower", "upper", "even", "odd", "escaped"]


def build():
    f = Family("tests_jinja")
    for test in TESTS:
        subjects = SUBJECTS
        if test in ("even", "odd"):
            subjects = ["1", "0", "-3", "2", "i", "true", "2.0", "3.0"]
        if test in ("lower", "upper"):
            subjects = ["'ABC'", "'abc'", "'Abc'", "''", "'123'", "'ABC1'", "s", "up", "low"]
        f.each(test, [f"{{{{ {subject} is {test} }}}}" for subject in subjects], V)
        f.each(test, [f"{{{{ {subjects[0]} is not {test} }}}}"], V)
    f.each("divisibleby", ["{{ 10 is divisibleby 5 }}", "{{ 10 is divisibleby(3) }}", "{{ 0 is divisibleby 7 }}", "{{ i is divisibleby 2 }}",
                           "{{ 10.0 is divisibleby 5 }}", "{{ 10 is divisibleby 0 }}", "{{ -9 is divisibleby 3 }}"], V)
    f.each("comparisons", [
        "{{ 1 is eq 1 }}", "{{ 1 is eq 1.0 }}", "{{ 1 is equalto 2 }}", "{{ 'a' is == 'a' }}", "{{ 1 is ne 2 }}", "{{ 1 is != 1 }}",
        "{{ 1 is lt 2 }}", "{{ 2 is lt 2 }}", "{{ 1 is lessthan 2 }}", "{{ 2 is < 1 }}", "{{ 2 is le 2 }}", "{{ 3 is <= 2 }}",
        "{{ 3 is gt 2 }}", "{{ 3 is greaterthan 3 }}", "{{ 3 is > 4 }}", "{{ 3 is ge 3 }}", "{{ 2 is >= 3 }}", "{{ 'b' is gt 'a' }}",
        "{{ [1, 2] is eq [1, 2] }}", "{{ i is gt 3 and i is lt 5 }}", "{{ 1 is gt 'a' }}",
    ], V)
    f.each("in", ["{{ 1 is in [1, 2] }}", "{{ 3 is in [1, 2] }}", "{{ 'a' is in 'abc' }}", "{{ 'a' is in d }}", "{{ 'x' is in d }}",
                  "{{ 1 is not in l }}", "{{ 1 is in 5 }}"], V)
    f.each("sameas", ["{{ none is sameas none }}", "{{ true is sameas true }}", "{{ 1 is sameas true }}", "{{ z is sameas none }}",
                      "{{ false is sameas false }}", "{{ 0 is sameas false }}", "{{ l is sameas l }}"], V)
    f.each("filter_test", ["{{ 'upper' is filter }}", "{{ 'nosuch' is filter }}", "{{ 'combine' is filter }}", "{{ 'odd' is test }}",
                           "{{ 'nosuch' is test }}", "{{ 'version' is test }}", "{{ 'to_json' is filter }}"], V)
    f.each("callable_more", ["{{ s.upper is callable }}", "{{ d.items is callable }}", "{{ range is callable }}", "{{ lookup is callable }}",
                             "{% macro m() %}{% endmacro %}{{ m is callable }}"], V)
    f.each("select_with_tests", [
        "{{ [1, 2, 3, 4] | select('even') | list }}", "{{ [1, 'a', none, [1]] | reject('none') | list }}",
        "{{ [1, 2.5, 'a'] | select('float') | list }}", "{{ [1, 2.5, true] | select('integer') | list }}",
        "{{ ['a', 'B', 'c'] | select('lower') | list }}", "{{ ['a', 'B', 'c'] | select('upper') | list }}",
        "{{ [true, 1, false] | select('boolean') | list }}", "{{ [true, 1, false] | select('true') | list }}",
        "{{ [true, 0, false] | select('false') | list }}", "{{ [{}, [], 'x'] | select('mapping') | list }}",
        "{{ [{}, [], 'x', 1] | select('sequence') | list }}", "{{ [{}, [], 'x', 1] | select('iterable') | list }}",
        "{{ [1, none] | select('defined') | list }}", "{{ [1, 2, 3] | select('sameas', 2) | list }}",
        "{{ [1, 2, 3] | select('ge', 2) | list }}", "{{ [1, 2, 3] | select('le', 2) | list }}", "{{ [1, 2, 3] | select('!=', 2) | list }}",
        "{{ ['a', 'b'] | select('in', 'abc') | list }}", "{{ [3, 6, 7] | reject('divisibleby', 3) | list }}",
        "{{ [1, 2, 3] | select('odd') | map('string') | join }}", "{{ [1, 2] | select('equalto', 1) | list }}",
        "{{ [1, 2] | select('greaterthan', 1) | list }}", "{{ [1, 2] | select('lessthan', 2) | list }}",
    ], V)
    f.exprs("expr_tests", ["i is even", "i is odd", "s is string", "l is sequence", "d is mapping", "z is none", "t is true",
                           "missing is undefined", "i is number", "f is float", "i is integer", "i is divisibleby 2",
                           "i is not none", "'abc' is lower", "s is not mapping", "(i > 2) is boolean"], V)
    return f
