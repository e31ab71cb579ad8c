"""YAML filters (to_yaml, to_nice_yaml, from_yaml, from_yaml_all). They live in the Troupe target
(Jinja has no YAML), so JinjaTests skips this file; a Troupe-side harness replays it."""

from casekit import Family

V = {
    "d": {"name": "web", "ports": [80, 443], "opts": {"tls": True, "ratio": 0.5, "none": None}, "empty": {}, "el": []},
    "l": ["a", "b: c", "yes", "1.0", "", "multi\nline", "ü", "#x", "- y", "null"],
    "doc": "a: 1\nb: [x, y]\nc: {k: v}\nd: yes\ne: 1.5\nf: ~\ng: '010'\nh: 0x1F\n",
    "docs": "--- \na: 1\n---\n- 2\n- 3\n---\nscalar\n", "bad": "a: [1,\n", "long": "word " * 30,
}


def build():
    f = Family("troupe_yaml")
    f.each("to_yaml", ["{{ d | to_yaml }}", "{{ l | to_yaml }}", "{{ 'str' | to_yaml }}", "{{ 5 | to_yaml }}", "{{ none | to_yaml }}",
                       "{{ [] | to_yaml }}", "{{ {} | to_yaml }}", "{{ d | to_yaml(indent=4) }}", "{{ d | to_yaml(default_flow_style=false) }}",
                       "{{ d | to_yaml(sort_keys=false) }}", "{{ long | to_yaml }}", "{{ long | to_yaml(width=1000) }}",
                       "{{ {'b': 1, 'a': 2} | to_yaml }}", "{{ true | to_yaml }}", "{{ 1.5 | to_yaml }}", "{{ [[1, 2], {'k': 'v'}] | to_yaml }}"],
           V, mode="text")
    f.each("to_nice_yaml", ["{{ d | to_nice_yaml }}", "{{ l | to_nice_yaml }}", "{{ d | to_nice_yaml(indent=2) }}", "{{ d | to_nice_yaml(indent=8) }}",
                            "{{ 'str' | to_nice_yaml }}", "{{ {'b': 1, 'a': 2} | to_nice_yaml }}", "{{ {'b': 1, 'a': 2} | to_nice_yaml(sort_keys=false) }}",
                            "{{ long | to_nice_yaml }}", "{{ [[1, [2, [3]]]] | to_nice_yaml }}", "{{ {'k': {'n': {'m': []}}} | to_nice_yaml }}",
                            "{{ {'ml': 'a\\nb\\n'} | to_nice_yaml }}", "{{ d | to_nice_yaml(width=20) }}"], V, mode="text")
    f.each("from_yaml", ["{{ doc | from_yaml }}", "{{ 'a: 1' | from_yaml }}", "{{ '- 1\\n- two' | from_yaml }}", "{{ 'plain' | from_yaml }}",
                         "{{ '' | from_yaml }}", "{{ 'yes' | from_yaml }}", "{{ '1e3' | from_yaml }}", "{{ '{a: [1, {b: null}]}' | from_yaml }}",
                         "{{ bad | from_yaml }}", "{{ (doc | from_yaml).g }}", "{{ d | to_yaml | from_yaml == d }}", "{{ d | to_nice_yaml | from_yaml }}",
                         "{{ '!!str 5' | from_yaml }}", "{{ 'a: &x 1\\nb: *x' | from_yaml }}", "{{ 'on' | from_yaml }}", "{{ '0o17' | from_yaml }}",
                         "{{ '017' | from_yaml }}", "{{ '.inf' | from_yaml }}", "{{ '2001-12-14' | from_yaml | string }}", "{{ 5 | from_yaml }}"], V)
    f.each("from_yaml_all", ["{{ docs | from_yaml_all | list }}", "{{ 'a: 1' | from_yaml_all | list }}", "{{ '' | from_yaml_all | list }}",
                             "{{ '--- 1\\n--- 2' | from_yaml_all | list }}", "{{ bad | from_yaml_all | list }}"], V)
    return f
