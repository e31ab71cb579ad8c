#!/usr/bin/env python3
"""Regenerates the Jinja conformance corpus (Tests/JinjaTests/Corpus/*.jsonl).

Every case declared in the cases_*.py modules is run through ansible-core's Templar
(ansible-core 2.19, Jinja2 3.1.6) and the observed value or error is written as the
expectation. See README.md in this directory for the format and the conventions.

Usage: python3 scripts/jinja-corpus/gen.py [--check]
  --check  regenerate in memory and fail if the committed files differ.
"""

import contextlib
import importlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT_DIR = os.path.join(ROOT, "Tests", "JinjaTests", "Corpus")
sys.path.insert(0, HERE)

# Keep Ansible quiet and deterministic before it is imported.
os.environ.setdefault("ANSIBLE_NOCOLOR", "1")
os.environ["ANSIBLE_DEPRECATION_WARNINGS"] = "0"
ANSIBLE_TEMP = tempfile.mkdtemp(prefix="jinja-corpus-ansible-")
os.environ["ANSIBLE_LOCAL_TEMP"] = ANSIBLE_TEMP
os.environ["TZ"] = "UTC"
warnings.simplefilter("ignore")
time.tzset()

import jinja2  # noqa: E402
import jinja2.meta  # noqa: E402
from ansible import errors as ansible_errors  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.template import Templar, trust_as_template  # noqa: E402
from ansible.utils.display import Display  # noqa: E402

Display().verbosity = 0

# family module -> output file stem. Order is the order counts are printed in.
MODULES = [
    "cases_expressions",
    "cases_statements",
    "cases_whitespace",
    "cases_native",
    "cases_undefined",
    "cases_errors",
    "cases_filters_jinja",
    "cases_filters_ansible",
    "cases_tests_jinja",
    "cases_tests_ansible",
    "cases_troupe_yaml",
]

NATIVE_DEFAULTS = {"trim_blocks": True, "lstrip_blocks": False, "keep_trailing_newline": False}
TEXT_DEFAULTS = {"trim_blocks": True, "lstrip_blocks": False, "keep_trailing_newline": False}
INT_LIMIT = 2 ** 63


class Unrepresentable(Exception):
    """The Python result has no exact JSON/Value counterpart; the case is dropped."""


def to_json_value(value, path="$"):
    """Converts a template result to plain JSON data, refusing anything lossy."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if not -INT_LIMIT <= value < INT_LIMIT:
            raise Unrepresentable(f"int out of 64-bit range at {path}")
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
            raise Unrepresentable(f"lone surrogate at {path}")
        return str(value)
    if isinstance(value, (list, tuple)):
        return [to_json_value(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise Unrepresentable(f"non-string dict key {k!r} at {path}")
            out[str(k)] = to_json_value(v, f"{path}.{k}")
        return out
    raise Unrepresentable(f"{type(value).__name__} at {path}")


def type_name(value):
    for py_type, name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str"),
                          (type(None), "NoneType"), (list, "list"), (tuple, "list"), (dict, "dict")):
        if isinstance(value, py_type):
            return name
    return type(value).__name__


def exception_chain(ex):
    chain = []
    while ex is not None and ex not in chain:
        chain.append(ex)
        ex = ex.__cause__
    return chain


def first_line(text):
    text = str(text)
    return text.splitlines()[0] if text else ""


PLUGIN_FAILED_PREFIXES = ("The filter plugin ", "The test plugin ")
WRAPPER_PREFIXES = ("Syntax error in template: ", "Syntax error in expression: ",
                    "Error rendering template: ", "Error while resolving value for ")


INTERNAL_NAMES = [
    (re.compile(r"<class 'ansible\._internal\.[\w.]*\._AnsibleLazyTemplate(List|Dict)'>"), lambda m: f"<class '{m.group(1).lower()}'>"),
    (re.compile(r"_AnsibleLazyTemplate(List|Dict)"), lambda m: m.group(1).lower()),
    (re.compile(r"_AnsibleTagged(Str|Int|Float|List|Dict)"), lambda m: m.group(1).lower()),
]


def normalize_message(message):
    """Replaces Ansible's internal container class names with the plain Python ones."""
    for pattern, replacement in INTERNAL_NAMES:
        message = pattern.sub(replacement, message)
    return message


def classify_error(ex):
    kind, message, cause = _classify_error(ex)
    return kind, normalize_message(message), cause


def _classify_error(ex):
    """Maps a Python exception (as raised by the Templar) to a JinjaError.Kind raw value,
    the message to record and the Python class of the root cause."""
    chain = exception_chain(ex)
    top = chain[0]
    root = chain[-1]
    cause = chain[1] if len(chain) > 1 else top
    message = first_line(cause)
    for prefix in WRAPPER_PREFIXES:
        if message.startswith(prefix):
            message = message[len(prefix):]
    top_message = first_line(top)
    cause_name = type(root).__name__

    if any(isinstance(e, (ansible_errors.AnsibleUndefinedVariable, jinja2.UndefinedError)) for e in chain):
        return "undefined", first_line(next(e for e in chain if isinstance(
            e, (ansible_errors.AnsibleUndefinedVariable, jinja2.UndefinedError)))), cause_name
    if "No filter named" in top_message or "No filter named" in message:
        return "unknownFilter", message, cause_name
    if "No test named" in top_message or "No test named" in message:
        return "unknownTest", message, cause_name
    if any(isinstance(e, jinja2.TemplateNotFound) for e in chain):
        return "templateNotFound", message, cause_name
    if any(isinstance(e, (ansible_errors.AnsibleTemplateSyntaxError, jinja2.TemplateSyntaxError)) for e in chain):
        return "syntax", message, cause_name
    if top_message.startswith(PLUGIN_FAILED_PREFIXES):
        # Ansible wraps every exception raised inside a filter or test plugin in one
        # "plugin failed" error, whatever the original class (kept in `cause`).
        return "filter", message, cause_name
    if any(isinstance(e, ansible_errors.AnsibleFilterError) for e in chain):
        return "filter", message, cause_name
    if isinstance(root, TypeError):
        return "type", message, cause_name
    if isinstance(root, ValueError):
        return "value", message, cause_name
    return "runtime", message, cause_name


class _AnyName(dict):
    """Claims to hold every filter/test name so variable analysis never stops at an unknown one."""

    def __contains__(self, key):
        return True

    def __missing__(self, key):
        return lambda *args, **kwargs: None

    def get(self, key, default=None):
        return self[key]


_META_ENV = jinja2.Environment()
_META_ENV.filters = _AnyName(_META_ENV.filters)
_META_ENV.tests = _AnyName(_META_ENV.tests)


def referenced_names(case):
    """Top-level variable names the case's template (and its loader templates) can read,
    or None when a source does not parse (the case then keeps every variable)."""
    sources = [case["template"] if case["mode"] != "expr" else "{{ (" + case["template"] + ") }}"]
    sources += list((case.get("templates") or {}).values())
    names = set()
    for source in sources:
        try:
            names |= jinja2.meta.find_undeclared_variables(_META_ENV.parse(source))
        except Exception:  # noqa: BLE001 - unparsable: cannot prune safely
            return None
    return names


def prune_vars(case):
    """Keeps only the variables the template can reference, so every line is self-contained
    and small. The expectation is computed with exactly the recorded variables."""
    names = referenced_names(case)
    if names is not None:
        case["vars"] = {k: v for k, v in case["vars"].items() if k in names}


def run_case(case, tmp_root):
    mode = case["mode"]
    defaults = TEXT_DEFAULTS if mode == "text" else NATIVE_DEFAULTS
    options = dict(defaults)
    options.update(case["options"])
    case["options"] = options

    templar = Templar(loader=DataLoader(), variables=json.loads(json.dumps(case["vars"])))
    folder = None
    if case.get("templates"):
        folder = tempfile.mkdtemp(dir=tmp_root)
        for name, source in sorted(case["templates"].items()):
            path = os.path.join(folder, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(source)
        templar = templar.copy_with_new_env(searchpath=[folder])

    overrides = {key: options[key] for key in ("trim_blocks", "lstrip_blocks", "keep_trailing_newline")}
    try:
        if mode == "expr":
            result = templar.evaluate_expression(trust_as_template(case["template"]))
        elif mode == "native":
            result = templar.template(trust_as_template(case["template"]), overrides=overrides)
        else:
            result = templar.template(trust_as_template(case["template"]), overrides=overrides,
                                      escape_backslashes=False, preserve_trailing_newlines=False)
            # What the template module writes: None becomes '', anything else str().
            result = "" if result is None else (result if isinstance(result, str) else str(result))
    except Exception as ex:  # noqa: BLE001 - every failure is an expectation
        kind, message, cause = classify_error(ex)
        if folder:
            message = message.replace(folder, "<templates>")
        expect = {"error": kind, "message": message, "cause": cause}
        root = exception_chain(ex)[-1]
        if kind == "syntax":
            lines = [e.lineno for e in exception_chain(ex) if isinstance(e, jinja2.TemplateSyntaxError) and e.lineno]
            if lines and not case.get("templates"):
                expect["line"] = lines[-1]
        if kind == "filter" and isinstance(root, (TypeError, ValueError)):
            # The plain class the plugin raised; the harness accepts either kind.
            expect["cause_kind"] = "type" if isinstance(root, TypeError) else "value"
        return expect
    value = to_json_value(result)
    return {"value": value, "type": type_name(result)}


def ordered_case(case, expect):
    out = {"id": case["id"], "mode": case["mode"], "template": case["template"],
           "vars": case["vars"], "options": case["options"]}
    if case.get("templates"):
        out["templates"] = case["templates"]
    out["expect"] = expect
    return out


def dumps(record):
    # allow_nan: NaN/Infinity are written as the bare words NaN/Infinity/-Infinity,
    # which Python's json module and our Value.parseJSON both read back.
    return json.dumps(record, ensure_ascii=False, sort_keys=False, allow_nan=True)


def generate():
    outputs = {}
    counts = []
    tmp_root = tempfile.mkdtemp(prefix="jinja-corpus-")
    old_cwd = os.getcwd()
    os.chdir(tmp_root)  # relative-path filters (relpath, realpath ...) see a fixed, empty cwd
    try:
        seen = set()
        for module_name in MODULES:
            module = importlib.import_module(module_name)
            family = module.build()
            lines, skipped, errors = [], 0, 0
            for case in family.cases:
                if case["id"] in seen:
                    raise SystemExit(f"duplicate id {case['id']}")
                seen.add(case["id"])
                prune_vars(case)
                try:
                    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
                        expect = run_case(case, tmp_root)
                except Unrepresentable as why:
                    print(f"  skip {case['id']}: {why}", file=sys.stderr)
                    skipped += 1
                    continue
                if "error" in expect:
                    errors += 1
                lines.append(dumps(ordered_case(case, expect)))
            outputs[family.name + ".jsonl"] = "\n".join(lines) + "\n"
            counts.append((family.name, len(lines), errors, skipped))
    finally:
        os.chdir(old_cwd)
        shutil.rmtree(tmp_root, ignore_errors=True)
    return outputs, counts


def main(argv):
    check = "--check" in argv
    outputs, counts = generate()
    total = 0
    for name, count, errors, skipped in counts:
        total += count
        print(f"{name:24} {count:5d} cases ({errors} errors expected, {skipped} skipped)")
    print(f"{'total':24} {total:5d} cases")
    if check:
        stale = [n for n, text in outputs.items()
                 if not os.path.exists(os.path.join(OUT_DIR, n))
                 or open(os.path.join(OUT_DIR, n), encoding="utf-8").read() != text]
        if stale:
            print("out of date: " + ", ".join(sorted(stale)))
            return 1
        return 0
    os.makedirs(OUT_DIR, exist_ok=True)
    for existing in os.listdir(OUT_DIR):
        if existing.endswith(".jsonl") and existing not in outputs:
            os.remove(os.path.join(OUT_DIR, existing))
    for name, text in sorted(outputs.items()):
        with open(os.path.join(OUT_DIR, name), "w", encoding="utf-8") as handle:
            handle.write(text)
    known = os.path.join(OUT_DIR, "known_failures.txt")
    if not os.path.exists(known):
        with open(known, "w", encoding="utf-8") as handle:
            handle.write("# One case id per line, then '# reason'. Listed cases are expected to fail.\n")
    return 0


if __name__ == "__main__":
    try:
        status = main(sys.argv[1:])
    finally:
        shutil.rmtree(ANSIBLE_TEMP, ignore_errors=True)
    sys.exit(status)
