"""Whitespace control: '-' markers, trim_blocks, lstrip_blocks, keep_trailing_newline, '+' markers,
and Ansible's trailing-newline preservation in native mode."""

from casekit import Family

V = {"items": ["a", "b"], "flag": True, "x": "X"}

SOURCES = [
    "{% for i in items %}\n{{ i }}\n{% endfor %}\n",
    "  {% if flag %}\n  yes\n  {% endif %}\n",
    "<ul>\n  {% for i in items %}\n  <li>{{ i }}</li>\n  {% endfor %}\n</ul>\n",
    "a\n{% if flag %}b{% endif %}\nc\n",
    "{% if flag -%}\n   yes   \n{%- endif %}",
    "  {{- x -}}  ",
    "a  {{- x }}  b",
    "a  {{ x -}}  b",
    "a\n  {%- if flag %} b {% endif -%}\n  c",
    "{%+ if flag %}x{% endif %}",
    "  {%+ if flag %}x{% endif %}",
    "{% if flag +%}\nx{% endif %}",
    "line1\nline2\n",
    "line1\n\n\n",
    "{{ x }}\n",
    "{{ x }}\n\n",
    "{# c #}\nafter\n",
    "  {# c #}\nafter",
    "{% raw %}\n raw \n{% endraw %}\n",
    "{%- for i in items -%}\n  [{{ i }}]\n{%- endfor -%}\n",
    "{% set y = 1 %}\n{{ y }}\n",
    "{% macro m() %}\n  body\n{% endmacro %}\n[{{ m() }}]",
    "  \t{% if flag %}tabs{% endif %}",
    "x {% if false %}hidden{% endif %} y",
    "{% for i in items %}{{ i }}\n{% endfor %}",
    "a\r\nb\r\n",
    "{{ 'a' }}\n{{ 'b' }}",
    "  {%- set z = 2 -%}  {{ z }}",
    "{% if flag %}\r\nwindows\r\n{% endif %}\r\n",
]

COMBOS = [
    {"trim_blocks": False, "lstrip_blocks": False, "keep_trailing_newline": False},
    {"trim_blocks": True, "lstrip_blocks": False, "keep_trailing_newline": False},
    {"trim_blocks": False, "lstrip_blocks": True, "keep_trailing_newline": False},
    {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": False},
    {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True},
    {"trim_blocks": False, "lstrip_blocks": False, "keep_trailing_newline": True},
]


def build():
    f = Family("whitespace")
    for index, combo in enumerate(COMBOS):
        group = "text_" + "".join(k[0] if v else "_" for k, v in
                                  (("trim", combo["trim_blocks"]), ("lstrip", combo["lstrip_blocks"]),
                                   ("keep", combo["keep_trailing_newline"])))
        f.each(group, SOURCES, V, mode="text", options=combo)
    # Native mode: Ansible's defaults (trim_blocks on) plus its own trailing-newline padding.
    f.each("native_defaults", SOURCES, V)
    f.each("native_lstrip", SOURCES[:12], V, options={"lstrip_blocks": True})
    return f
