"""The bad-input cases: hostile or malformed playbooks, inventories, templates, k=v
arguments, command-line values, vault files and recursive variables.

Each case is a small directory (files) and the ansible-playbook arguments to run in it.
record.py runs them through ansible-playbook and writes the fixture BadInputTests reads.
"""

HOSTS = "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"


def play(tasks="    - debug: msg=hi\n", head="- hosts: all\n  gather_facts: false\n", extra=""):
    return head + extra + "  tasks:\n" + tasks


def debug(expr):
    """A play whose one task prints `expr` (a Jinja expression)."""
    return play("    - debug:\n        msg: \"{{ %s }}\"\n" % expr.replace('"', '\\"'))


CASES = []


def case(name, files=None, args=None, group="yaml", playbook=None, hosts=HOSTS, env=None):
    files = dict(files or {})
    if playbook is not None:
        files["site.yml"] = playbook
    if hosts is not None and "hosts" not in files:
        files["hosts"] = hosts
    CASES.append({
        "name": name,
        "group": group,
        "files": files,
        "args": args if args is not None else ["-i", "hosts", "site.yml"],
        "env": env or {},
    })


# --- YAML syntax and structure -------------------------------------------------------
case("yaml-tab-indent", playbook="- hosts: all\n\ttasks: []\n")
case("yaml-unclosed-double-quote", playbook='- hosts: "all\n  tasks: []\n')
case("yaml-unclosed-flow-sequence", playbook="- hosts: all\n  tasks: [a, b\n")
case("yaml-unclosed-flow-mapping", playbook="- hosts: all\n  vars: {a: 1\n  tasks: []\n")
case("yaml-undefined-alias", playbook="- hosts: all\n  vars:\n    a: *nope\n  tasks: []\n")
case("yaml-bad-indentation", playbook="- hosts: all\n  tasks:\n    - debug: msg=a\n   - debug: msg=b\n")
case("yaml-mapping-in-scalar", playbook="- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg: a: b\n")
laughs = "".join('  l%d: &l%d [%s]\n' % (i, i, ", ".join(["*l%d" % (i - 1)] * 9)) for i in range(1, 10))
case("yaml-alias-bomb-vars",
     playbook="- hosts: all\n  gather_facts: false\n  vars:\n    l0: &l0 lol\n" + laughs.replace("\n  l", "\n    l").replace("  l1:", "    l1:", 1)
     + "  tasks:\n    - debug: msg=hi\n")
case("yaml-alias-bomb-used",
     playbook="- hosts: all\n  gather_facts: false\n  vars:\n    l0: &l0 lol\n" + laughs.replace("\n  l", "\n    l").replace("  l1:", "    l1:", 1)
     + "  tasks:\n    - debug: msg={{ l9 | length }}\n")
case("yaml-deep-flow-nesting", playbook="- hosts: all\n  vars:\n    x: " + "[" * 2000 + "]" * 2000 + "\n  tasks: []\n")
case("yaml-deep-block-nesting", playbook="- hosts: all\n  vars:\n" + "".join("  " * (i + 2) + "k%d:\n" % i for i in range(1200)) + "  tasks: []\n")
nested_key = "a"
for _ in range(30):
    nested_key = "{%s: 1}" % nested_key
case("yaml-nested-mapping-keys", playbook="- hosts: all\n  vars:\n    ? " + nested_key + "\n    : 1\n  tasks: []\n")
case("yaml-sequence-key", playbook="- hosts: all\n  vars:\n    ? [a, b]\n    : 1\n  tasks: []\n")
case("yaml-duplicate-keys", playbook="- hosts: all\n  gather_facts: false\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
case("yaml-multi-document", playbook="- hosts: all\n  tasks: []\n---\n- hosts: all\n  tasks: []\n")
case("yaml-empty-playbook", playbook="")
case("yaml-comment-only-playbook", playbook="# nothing here\n")
case("yaml-scalar-playbook", playbook="just a string\n")
case("yaml-mapping-playbook", playbook="hosts: all\ntasks: []\n")
case("yaml-play-is-string", playbook="- all\n")
case("yaml-play-is-list", playbook="- [hosts, all]\n")
case("yaml-invalid-utf8", playbook=b"- hosts: all\n  vars:\n    a: \"\xff\xfe\"\n  tasks: []\n")
case("yaml-nul-byte", playbook="- hosts: all\n  vars:\n    a: b\x00c\n  tasks: []\n")
case("yaml-bom", playbook="\ufeff- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
case("yaml-long-scalar", playbook=play("    - debug: msg=" + "x" * 200000 + "\n"))
case("yaml-unknown-tag", playbook="- hosts: all\n  gather_facts: false\n  vars:\n    a: !custom x\n  tasks:\n    - debug: msg={{ a }}\n")
case("yaml-vault-tag-garbage", playbook="- hosts: all\n  gather_facts: false\n  vars:\n    a: !vault garbage\n  tasks:\n    - debug: msg={{ a }}\n")
case("yaml-merge-key-scalar", playbook="- hosts: all\n  gather_facts: false\n  vars:\n    base: &b 1\n    m:\n      <<: *b\n  tasks:\n    - debug: msg={{ m }}\n")
case("yaml-unquoted-jinja-value", playbook="- hosts: all\n  gather_facts: false\n  vars:\n    a: 1\n  tasks:\n    - debug:\n        msg: {{ a }}\n")

# --- Playbook structure and keywords ------------------------------------------------
case("play-hosts-dict", group="structure", playbook="- hosts: {a: 1}\n  tasks: []\n")
case("play-hosts-missing", group="structure", playbook="- gather_facts: false\n  tasks:\n    - debug: msg=hi\n")
case("play-hosts-empty", group="structure", playbook="- hosts:\n  tasks: []\n")
case("play-gather-facts-unknown", group="structure", playbook="- hosts: all\n  gather_facts: maybe\n  tasks: []\n")
case("play-unknown-keyword", group="structure", playbook="- hosts: all\n  flavour: vanilla\n  tasks: []\n")
case("play-tasks-string", group="structure", playbook="- hosts: all\n  tasks: hello\n")
case("play-tasks-dict", group="structure", playbook="- hosts: all\n  tasks:\n    debug: msg=hi\n")
case("play-tasks-list-of-strings", group="structure", playbook="- hosts: all\n  tasks:\n    - hello\n")
case("play-handlers-string", group="structure", playbook="- hosts: all\n  handlers: hello\n  tasks: []\n")
case("play-vars-list", group="structure", playbook="- hosts: all\n  gather_facts: false\n  vars:\n    - a\n  tasks:\n    - debug: msg=hi\n")
case("play-vars-string", group="structure", playbook="- hosts: all\n  vars: hello\n  tasks: []\n")
case("play-roles-missing", group="structure", playbook="- hosts: all\n  roles: [no_such_role]\n")
case("play-roles-string", group="structure", playbook="- hosts: all\n  roles: 5\n")
case("play-serial-bad", group="structure", playbook="- hosts: all\n  gather_facts: false\n  serial: lots\n  tasks:\n    - debug: msg=hi\n")
case("play-strategy-unknown", group="structure", playbook="- hosts: all\n  gather_facts: false\n  strategy: sideways\n  tasks:\n    - debug: msg=hi\n")
case("play-vars-files-missing", group="structure", playbook="- hosts: all\n  gather_facts: false\n  vars_files: [nope.yml]\n  tasks:\n    - debug: msg=hi\n")
case("play-vars-files-not-dict", group="structure", files={"v.yml": "- a\n- b\n"},
     playbook="- hosts: all\n  gather_facts: false\n  vars_files: [v.yml]\n  tasks:\n    - debug: msg=hi\n")
case("play-import-playbook-missing", group="structure", playbook="- import_playbook: nope.yml\n")
case("task-no-module", group="structure", playbook=play("    - name: nothing\n"))
case("task-two-modules", group="structure", playbook=play("    - debug: msg=a\n      command: echo b\n"))
case("task-unknown-module", group="structure", playbook=play("    - no_such_module: a=b\n"))
case("task-unknown-keyword", group="structure", playbook=play("    - debug: msg=a\n      colour: red\n"))
case("task-loop-string", group="structure", playbook=play("    - debug: msg={{ item }}\n      loop: abc\n"))
case("task-loop-dict", group="structure", playbook=play("    - debug: msg={{ item }}\n      loop: {a: 1}\n"))
case("task-with-items-string", group="structure", playbook=play("    - debug: msg={{ item }}\n      with_items: abc\n"))
case("task-block-string", group="structure", playbook=play("    - block: hello\n"))
case("task-block-dict", group="structure", playbook=play("    - block:\n        debug: msg=hi\n"))
case("task-rescue-dict", group="structure", playbook=play("    - block:\n        - debug: msg=hi\n      rescue:\n        debug: msg=r\n"))
case("task-always-string", group="structure", playbook=play("    - block:\n        - debug: msg=hi\n      always: x\n"))
case("task-when-bad-syntax", group="structure", playbook=play("    - debug: msg=hi\n      when: a ==\n"))
case("task-include-tasks-missing", group="structure", playbook=play("    - include_tasks: nope.yml\n"))
case("task-import-tasks-missing", group="structure", playbook=play("    - import_tasks: nope.yml\n"))
case("task-notify-unknown-handler", group="structure", playbook=play("    - command: echo hi\n      notify: nobody\n"))
case("task-register-bad-name", group="structure", playbook=play("    - debug: msg=hi\n      register: 1bad\n"))
case("task-retries-string", group="structure", playbook=play("    - debug: msg=hi\n      until: true\n      retries: many\n"))
case("task-args-list", group="structure", playbook=play("    - debug: [a, b]\n"))
case("task-module-args-null", group="structure", playbook=play("    - command:\n"))

# --- INI and YAML inventories -------------------------------------------------------
INV_PLAY = play()
case("ini-range-huge", group="inventory", files={"hosts": "h[0:99999999999]\n"}, playbook=INV_PLAY)
case("ini-range-overflow-negative-step", group="inventory", files={"hosts": "h[1:9223372036854775807:-1]\nlocalhost ansible_connection=local\n"}, playbook=INV_PLAY)
case("ini-range-int-max", group="inventory", files={"hosts": "h[9223372036854775806:9223372036854775807]\nlocalhost ansible_connection=local\n"},
     args=["-i", "hosts", "site.yml", "--list-hosts"], playbook=INV_PLAY)
case("ini-range-step-zero", group="inventory", files={"hosts": "h[1:5:0]\n"}, playbook=INV_PLAY)
case("ini-range-no-end", group="inventory", files={"hosts": "h[1:]\n"}, playbook=INV_PLAY)
case("ini-range-bad-number", group="inventory", files={"hosts": "h[x1:5]\n"}, playbook=INV_PLAY)
case("ini-range-width-mismatch", group="inventory", files={"hosts": "h[01:5]\n"}, playbook=INV_PLAY)
case("ini-range-reversed", group="inventory", files={"hosts": "h[5:1]\nlocalhost ansible_connection=local\n"}, playbook=INV_PLAY)
case("ini-range-letters-reversed", group="inventory", files={"hosts": "h[z:a]\n"}, playbook=INV_PLAY)
case("ini-range-unclosed", group="inventory", files={"hosts": "h[1:5\n"}, playbook=INV_PLAY)
case("ini-range-nested-huge", group="inventory", files={"hosts": "h[0:9999]x[0:9999]y[0:9999]\n"}, playbook=INV_PLAY)
case("ini-section-unclosed", group="inventory", files={"hosts": "[web\nlocalhost\n"}, playbook=INV_PLAY)
case("ini-section-bad-tag", group="inventory", files={"hosts": "[web:flavour]\nlocalhost\n"}, playbook=INV_PLAY)
case("ini-vars-line-without-equals", group="inventory", files={"hosts": "localhost\n[all:vars]\nnovalue\n"}, playbook=INV_PLAY)
case("ini-host-var-unbalanced-quote", group="inventory", files={"hosts": "localhost a=\"b\n"}, playbook=INV_PLAY)
case("ini-children-self", group="inventory", files={"hosts": "[g]\nlocalhost\n[g:children]\ng\n"}, playbook=INV_PLAY)
case("ini-children-cycle", group="inventory", files={"hosts": "[a:children]\nb\n[b:children]\na\n[a]\nlocalhost\n"}, playbook=INV_PLAY)
case("ini-port-huge", group="inventory", files={"hosts": "localhost:99999999999999999999 ansible_connection=local\n"}, playbook=INV_PLAY)
case("ini-binary-junk", group="inventory", files={"hosts": b"\x00\x01\x02\xff\xfe garbage [[[ :::\n"}, playbook=INV_PLAY)
case("ini-recursive-host-var", group="recursion", files={"hosts": "localhost ansible_connection=local x=\"{{ x }}\"\n"},
     playbook=play("    - debug: msg={{ x }}\n"))
case("ini-recursive-group-vars", group="recursion", files={"hosts": "localhost ansible_connection=local\n[all:vars]\na={{ b }}\nb={{ a }}\n"},
     playbook=play("    - debug: msg={{ a }}\n"))
case("yaml-inventory-alias-bomb", group="inventory",
     files={"hosts.yml": "all:\n  vars:\n    l0: &l0 lol\n" + laughs.replace("\n  l", "\n    l").replace("  l1:", "    l1:", 1)
            + "  hosts:\n    localhost:\n      ansible_connection: local\n"},
     args=["-i", "hosts.yml", "site.yml"], playbook=INV_PLAY)
case("yaml-inventory-hosts-list", group="inventory", files={"hosts.yml": "all:\n  hosts:\n    - localhost\n"},
     args=["-i", "hosts.yml", "site.yml"], playbook=INV_PLAY)
case("yaml-inventory-group-string", group="inventory", files={"hosts.yml": "all: hello\n"},
     args=["-i", "hosts.yml", "site.yml"], playbook=INV_PLAY)
case("inventory-empty", group="inventory", files={"hosts": ""}, playbook=INV_PLAY)
case("inventory-missing", group="inventory", args=["-i", "nope", "site.yml"], playbook=INV_PLAY)

# --- Jinja: sizes, integers, recursion, errors --------------------------------------
J = "jinja"
for name, expr in [
    ("center-huge", "'x' | center(10**12)"),
    ("center-int-min", "'x' | center(-9223372036854775808)"),
    ("indent-huge", "'a\\nb' | indent(10**12)"),
    ("truncate-huge", "'abc' | truncate(9223372036854775807)"),
    ("filesizeformat-negative-huge", "-1e30 | filesizeformat"),
    ("filesizeformat-nan", "'nan' | float | filesizeformat"),
    ("to-json-indent-negative", "{'a': [1]} | to_json(indent=-1)"),
    ("to-nice-json-indent-negative", "{'a': [1]} | to_nice_json(indent=-1)"),
    ("to-nice-json-indent-huge", "{'a': [1]} | to_nice_json(indent=10**12)"),
    ("comment-postfix-huge", "'x' | comment(postfix_count=10**12)"),
    ("comment-prefix-huge", "'x' | comment(prefix_count=10**12)"),
    ("batch-huge-fill", "[1] | batch(10**12, 'x') | list | length"),
    ("slice-huge", "[1] | slice(10**12) | list | length"),
    ("string-repeat-huge", "('x' * 10**12) | length"),
    ("list-repeat-huge", "([1] * 10**12) | length"),
    ("range-huge", "range(10**12) | length"),
    ("int-of-1e20", "1e20 | int"),
    ("int-of-string-1e20", "'1e20' | int"),
    ("int-of-inf", "'inf' | float | int"),
    ("big-int-power", "2 ** 64"),
    ("big-int-literal", "100000000000000000000000"),
    ("int-min-floordiv", "-9223372036854775808 // -1"),
    ("int-overflow-multiply", "9223372036854775807 * 2"),
    ("divide-by-zero", "1 / 0"),
    ("modulo-by-zero", "1 % 0"),
    ("index-huge", "'abc'[10**20]"),
    ("format-width-huge", "'{:>1000000000000}'.format('x')"),
    ("ljust-huge", "'x'.ljust(10**12)"),
    ("zfill-huge", "'x'.zfill(10**12)"),
    ("percent-width-huge", "'%1000000000000d' % 1"),
    ("from-json-deep", "('[' * 100000 + ']' * 100000) | from_json"),
    ("from-json-invalid", "'{bad' | from_json"),
    ("from-yaml-alias-bomb", "'a: &a [x, x, x, x, x, x, x, x, x]\\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]' | from_yaml | length"),
    ("undefined-variable", "nope"),
    ("undefined-attribute", "{}.a.b"),
    ("unknown-filter", "1 | no_such_filter"),
    ("unknown-test", "1 is no_such_test"),
    ("syntax-unclosed", "(1 + "),
    ("syntax-bad-token", "1 +* 2"),
    ("dunder-class", "''.__class__.__mro__"),
    ("lookup-missing-file", "lookup('file', '/nonexistent/troupe')"),
    ("lookup-unknown-plugin", "lookup('no_such_lookup', 'x')"),
    ("regex-bad-pattern", "'a' | regex_search('(')"),
    ("join-non-iterable", "5 | join(',')"),
    ("sum-strings", "['a', 'b'] | sum"),
    ("random-huge", "(10**30) | random"),
    ("round-huge-precision", "1.5 | round(10**12)"),
]:
    case("jinja-" + name, group=J, playbook=debug(expr))
case("jinja-recursive-macro", group=J,
     playbook=play("    - debug:\n        msg: \"{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}\"\n"))
case("jinja-output-loop-huge", group=J,
     playbook=play("    - debug:\n        msg: \"{% for i in range(100000) %}{% for j in range(100000) %}" + "x" * 1000 + "{% endfor %}{% endfor %}\"\n"))
case("jinja-unclosed-block", group=J, playbook=play("    - debug:\n        msg: \"{% if true %}x\"\n"))
case("jinja-unclosed-comment", group=J, playbook=play("    - debug:\n        msg: \"{# x\"\n"))

# --- k=v arguments ------------------------------------------------------------------
K = "kv"
case("kv-unbalanced-double-quote", group=K, playbook=play("    - debug: msg=\"abc\n"))
case("kv-unbalanced-single-quote", group=K, playbook=play("    - command: echo 'a\n"))
case("kv-empty-key", group=K, playbook=play("    - debug: =x\n"))
case("kv-double-equals", group=K, playbook=play("    - debug: msg==x\n"))
case("kv-unknown-param", group=K, playbook=play("    - debug: nope=x\n"))
case("kv-freeform-not-allowed", group=K, playbook=play("    - debug: just some words\n"))
case("kv-unbalanced-jinja", group=K, playbook=play("    - debug: msg={{ a\n"))
case("kv-only-spaces", group=K, playbook=play("    - debug: '   '\n"))
case("kv-backslash-end", group=K, playbook=play("    - command: echo a\\\\\n"))
case("kv-set-fact-bad-name", group=K, playbook=play("    - set_fact: 1abc=2\n"))
case("kv-set-fact-templated-key", group=K, playbook=play("    - set_fact: \"{{ 'a b' }}=2\"\n"))

# --- Command-line values ------------------------------------------------------------
C = "cli"
case("cli-forks-text", group=C, args=["-i", "hosts", "site.yml", "--forks", "abc"], playbook=play())
case("cli-forks-zero", group=C, args=["-i", "hosts", "site.yml", "--forks", "0"], playbook=play())
case("cli-forks-negative", group=C, args=["-i", "hosts", "site.yml", "--forks=-3"], playbook=play())
case("cli-forks-huge", group=C, args=["-i", "hosts", "site.yml", "--forks", "99999999999999999999"], playbook=play())
case("cli-timeout-text", group=C, args=["-i", "hosts", "site.yml", "-T", "soon"], playbook=play())
case("cli-limit-no-match", group=C, args=["-i", "hosts", "site.yml", "--limit", "nomatch"], playbook=play())
case("cli-limit-bad-regex", group=C, args=["-i", "hosts", "site.yml", "--limit", "~["], playbook=play())
case("cli-limit-file-missing", group=C, args=["-i", "hosts", "site.yml", "--limit", "@nofile"], playbook=play())
case("cli-extra-vars-file-missing", group=C, args=["-i", "hosts", "site.yml", "-e", "@nofile.yml"], playbook=play())
case("cli-extra-vars-bad-json", group=C, args=["-i", "hosts", "site.yml", "-e", "{\"a\": "], playbook=play())
case("cli-extra-vars-bad-kv", group=C, args=["-i", "hosts", "site.yml", "-e", "a=\"b"], playbook=play())
case("cli-extra-vars-list", group=C, args=["-i", "hosts", "site.yml", "-e", "[1, 2]"], playbook=play())
case("cli-playbook-missing", group=C, args=["-i", "hosts", "nope.yml"], playbook=play())
case("cli-playbook-directory", group=C, files={"dir/x": ""}, args=["-i", "hosts", "dir"], playbook=play())
case("cli-no-playbook", group=C, args=["-i", "hosts"], playbook=play())
case("cli-start-at-task-missing", group=C, args=["-i", "hosts", "site.yml", "--start-at-task", "nope"], playbook=play())
case("cli-unknown-option", group=C, args=["-i", "hosts", "site.yml", "--flavour", "x"], playbook=play())
case("cli-verbosity-huge", group=C, args=["-i", "hosts", "site.yml", "-vvvvvvvvvv"], playbook=play())

# --- Vault --------------------------------------------------------------------------
V = "vault"
VAULT_VARS = open(__file__.replace("cases.py", "secret.vault")).read()
case("vault-no-password", group=V, files={"v.yml": VAULT_VARS},
     playbook="- hosts: all\n  gather_facts: false\n  vars_files: [v.yml]\n  tasks:\n    - debug: msg=hi\n")
case("vault-wrong-password", group=V, files={"v.yml": VAULT_VARS, "pw": "wrong\n"},
     args=["-i", "hosts", "site.yml", "--vault-password-file", "pw"],
     playbook="- hosts: all\n  gather_facts: false\n  vars_files: [v.yml]\n  tasks:\n    - debug: msg=hi\n")
case("vault-password-file-missing", group=V, args=["-i", "hosts", "site.yml", "--vault-password-file", "nopw"], playbook=play())
case("vault-bad-header", group=V, files={"v.yml": "$ANSIBLE_VAULT;9.9;AES256\n6162\n", "pw": "secret\n"},
     args=["-i", "hosts", "site.yml", "--vault-password-file", "pw"],
     playbook="- hosts: all\n  gather_facts: false\n  vars_files: [v.yml]\n  tasks:\n    - debug: msg=hi\n")
case("vault-bad-hex", group=V, files={"v.yml": "$ANSIBLE_VAULT;1.1;AES256\nzzzz\n", "pw": "secret\n"},
     args=["-i", "hosts", "site.yml", "--vault-password-file", "pw"],
     playbook="- hosts: all\n  gather_facts: false\n  vars_files: [v.yml]\n  tasks:\n    - debug: msg=hi\n")
case("vault-truncated", group=V, files={"v.yml": "\n".join(VAULT_VARS.splitlines()[:3]) + "\n", "pw": "secret\n"},
     args=["-i", "hosts", "site.yml", "--vault-password-file", "pw"],
     playbook="- hosts: all\n  gather_facts: false\n  vars_files: [v.yml]\n  tasks:\n    - debug: msg=hi\n")
case("vault-inline-garbage", group=V, files={"pw": "secret\n"},
     args=["-i", "hosts", "site.yml", "--vault-password-file", "pw"],
     playbook="- hosts: all\n  gather_facts: false\n  vars:\n    a: !vault |\n      $ANSIBLE_VAULT;1.1;AES256\n      00112233\n  tasks:\n    - debug: msg={{ a }}\n")
case("vault-empty-password-file", group=V, files={"v.yml": VAULT_VARS, "pw": ""},
     args=["-i", "hosts", "site.yml", "--vault-password-file", "pw"],
     playbook="- hosts: all\n  gather_facts: false\n  vars_files: [v.yml]\n  tasks:\n    - debug: msg=hi\n")

# --- Recursive variables ------------------------------------------------------------
R = "recursion"
case("recursive-play-var", group=R, playbook=play("    - debug: msg={{ x }}\n", extra="  vars:\n    x: \"{{ x }}\"\n"))
case("recursive-mutual-vars", group=R, playbook=play("    - debug: msg={{ a }}\n", extra="  vars:\n    a: \"{{ b }}\"\n    b: \"{{ a }}\"\n"))
case("recursive-var-in-when", group=R, playbook=play("    - debug: msg=hi\n      when: x\n", extra="  vars:\n    x: \"{{ x }}\"\n"))
case("recursive-var-in-loop", group=R, playbook=play("    - debug: msg={{ item }}\n      loop: \"{{ x }}\"\n", extra="  vars:\n    x: \"{{ x }}\"\n"))
case("recursive-var-as-keyword", group=R, playbook="- hosts: all\n  gather_facts: false\n  vars:\n    x: \"{{ x }}\"\n  tasks:\n    - debug: msg=hi\n      ignore_errors: \"{{ x }}\"\n")
case("recursive-var-in-hosts", group=R, playbook="- hosts: \"{{ x }}\"\n  gather_facts: false\n  vars:\n    x: \"{{ x }}\"\n  tasks:\n    - debug: msg=hi\n")
case("recursive-extra-var", group=R, args=["-i", "hosts", "site.yml", "-e", "x={{ x }}"], playbook=play("    - debug: msg={{ x }}\n"))
case("recursive-set-fact", group=R, playbook=play("    - set_fact:\n        y: \"{{ z }}\"\n        z: \"{{ y }}\"\n    - debug: msg={{ y }}\n"))
case("recursive-deep-chain", group=R,
     playbook=play("    - debug: msg={{ v0 }}\n", extra="  vars:\n" + "".join("    v%d: \"{{ v%d }}\"\n" % (i, i + 1) for i in range(300)) + "    v300: end\n"))
