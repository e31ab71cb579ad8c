"""Ansible 2.19 native typing: a lone expression keeps its type, mixed text becomes a string,
strings that look like data stay strings, and Ansible's backslash escaping in `{{ }}` literals."""

from casekit import Family

V = {"i": 42, "fl": 1.5, "s": "text", "num_s": "42", "list_s": "[1, 2]", "dict_s": "{'a': 1}", "json_s": '{"a": 1}',
     "bool_s": "True", "none_s": "None", "l": [1, "two", None], "d": {"k": [1, 2], "n": None}, "z": None, "t": True,
     "tmpl_s": "{{ i }}", "nested": {"a": {"b": {"c": "deep"}}}, "win": "C:\\temp\\new", "rx": "\\d+"}


def build():
    f = Family("native")
    f.each("lone_expression", [
        "{{ i }}", "{{ fl }}", "{{ s }}", "{{ l }}", "{{ d }}", "{{ z }}", "{{ t }}", "{{ nested }}", "{{ i + 1 }}",
        "{{ l[1] }}", "{{ d.k }}", "{{ [i, fl, s] }}", "{{ {'x': i} }}", "{{ i > 3 }}", "{{ i | string }}",
        "{{ s | length }}", "{{ l | length > 2 }}", "{{ d | dict2items }}", "{{ 0 }}", "{{ '' }}", "{{ [] }}",
        "{{ 1.0 }}", "{{ -5 }}", "{{ 3.0 * 2 }}",
    ], V)
    f.each("stringy_data_stays_string", [
        "{{ num_s }}", "{{ list_s }}", "{{ dict_s }}", "{{ json_s }}", "{{ bool_s }}", "{{ none_s }}", "{{ '42' }}",
        "{{ '[1, 2]' }}", "{{ '{\"a\": 1}' }}", "{{ 'True' }}", "{{ 'None' }}", "{{ '1.5' }}", "{{ ' 42 ' }}",
        "{{ tmpl_s }}", "{{ '1e3' }}", "{{ 'null' }}", "{{ '0x10' }}",
    ], V)
    f.each("mixed_text", [
        "x{{ i }}", "{{ i }}x", " {{ i }}", "{{ i }} ", "{{ i }}{{ i }}", "{{ l }}!", "[{{ z }}]", "{{ t }}/{{ z }}",
        "{{ d }} and {{ l }}", "{{ s }} {{ s }}", "{{ fl }}{{ '' }}", "{{ '' }}{{ i }}", "{{ i }}{# comment #}",
        "{# comment #}{{ i }}", "{% if t %}{{ i }}{% endif %}", "{% if t %}{{ l }}{% endif %}",
        "{% for x in [1] %}{{ x }}{% endfor %}", "{% for x in [1, 2] %}{{ x }}{% endfor %}",
        "{% if false %}{% endif %}", "{{ i }}{% if false %}x{% endif %}", "{% set v = 3 %}{{ v }}",
        "{% for x in [[1, 2]] %}{{ x }}{% endfor %}", "{{ 'a' }}{{ 'b' }}", "{{ 1 }}{{ 2 }}", "plain text",
        "", "{{ z }}{{ z }}", "{{ z }}x",
        "{{ '[' }}1]", "{{ '1' }}{{ '2' }}", "{{ 'True' }}{{ '' }}", "{{ '{' }}'a': 1}", "{{ i }}.5", "-{{ i }}",
        "{{ '' }}", "{{ l | join(',') }}", "{% for x in l %}{{ x }}{% endfor %}", "{{ i }}\n", "{% if t %}{{ d }}{% endif %}",
        "{{ fl }}", "{% set v = [1] %}{{ v + v }}", "{% set v %}42{% endset %}{{ v }}", "{% set v %}42{% endset %}{{ v | int }}",
    ], V)
    f.each("backslashes_in_literals", [
        "{{ 'a\\nb' }}", "{{ 'a\\\\b' }}", "{{ 'tab\\there' }}", "{{ win }}", "{{ win | length }}",
        "{{ 'C:\\temp' | length }}", "{{ '12a' | regex_replace('\\d', 'N') }}", "{{ '12a' | regex_replace(rx, 'N') }}",
        "{% set v = 'a\\nb' %}{{ v | length }}", "{{ 'q\\'s' }}", "{{ \"dq\\\"s\" }}",
    ], V)
    f.each("backslashes_text_mode", [
        "{{ 'a\\nb' }}", "{{ 'a\\\\b' }}", "{{ 'tab\\there' }}", "{{ 'C:\\temp' | length }}",
        "{{ '12a' | regex_replace('\\d', 'N') }}", "{% set v = 'a\\nb' %}{{ v | length }}",
    ], V, mode="text")
    f.exprs("backslashes_expr_mode", [
        "'a\\nb'", "'a\\nb' | length", "'12a' | regex_replace('\\d', 'N')", "win | length",
    ], V)
    f.exprs("conditionals", [
        "i", "z", "s", "l", "d", "t", "i == 42", "s == 'text'", "l | length == 3", "d.n is none", "z is none and t",
        "i is defined", "missing is not defined", "missing | default(false)", "num_s | int == 42", "bool_s | bool",
        "'two' in l", "d.k | sum > 2", "not z", "i > 40 and i < 50", "(i > 50) or (fl < 2)", "s is string",
        "i is number and fl is float", "t is true", "[] | length == 0", "{}", "''", "0", "0.0", "'false'",
    ], V)
    return f
