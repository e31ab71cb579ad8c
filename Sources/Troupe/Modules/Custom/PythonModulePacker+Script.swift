extension PythonModulePacker {
    /// The controller-side dependency walker and zip writer, run with the controller's
    /// Python (the one ansible-core is installed for). It reads a JSON request on stdin:
    /// `module` (file), `fqn` (the name the module runs as), `collections` (directories
    /// holding `ansible_collections/`), `module_utils` (extra `module_utils/` directories,
    /// searched before ansible-core's), `out` (zip path). It walks every `import` in the
    /// module's syntax tree (also inside functions and try blocks, as ansible-core does),
    /// keeps those of `ansible.module_utils.*` and
    /// `ansible_collections.<ns>.<coll>.plugins.module_utils.*`, resolves relative imports
    /// against the importing package, and repeats for every file found. The zip holds the
    /// module, those files, empty packages for every level and a `__main__.py` that hands
    /// the JSON arguments from stdin to ansible-core's module loader, so the host runs it
    /// with `python payload.zip` and needs nothing but the standard library.
    /// It prints a JSON answer: `files` (names in the zip) or `error`.
    static let script = #"""
import ast, importlib.util, json, os, sys, zipfile

request = json.load(sys.stdin)
spec = importlib.util.find_spec('ansible')
if spec is None or not spec.submodule_search_locations:
    print(json.dumps({'error': 'ansible-core is not importable by the controller Python ' + sys.executable}))
    sys.exit(0)
ansible_root = os.path.dirname(list(spec.submodule_search_locations)[0])
collection_roots = [r for r in request.get('collections', []) if os.path.isdir(os.path.join(r, 'ansible_collections'))]
extra_utils = [d for d in request.get('module_utils', []) if os.path.isdir(d)]

def candidates(parts):
    # Where the file of a dotted name may live, most specific first.
    rel = os.path.join(*parts)
    if parts[:2] == ['ansible', 'module_utils']:
        for d in extra_utils:
            sub = os.path.join(d, *parts[2:]) if len(parts) > 2 else d
            yield sub
        yield os.path.join(ansible_root, rel)
    elif parts[0] == 'ansible_collections':
        for root in collection_roots:
            yield os.path.join(root, rel)

def locate(parts):
    for base in candidates(parts):
        if os.path.isfile(base + '.py'):
            return base + '.py', False
        if os.path.isfile(os.path.join(base, '__init__.py')):
            return os.path.join(base, '__init__.py'), True
        if len(parts) > 2 and parts[:2] != ['ansible', 'module_utils'] and os.path.isdir(base):
            return None, True
    return None, False

def wanted(parts):
    if parts[:2] == ['ansible', 'module_utils']:
        return True
    return len(parts) >= 5 and parts[0] == 'ansible_collections' and parts[3] == 'plugins' and parts[4] == 'module_utils'

def imports(path, package):
    with open(path, 'rb') as f:
        source = f.read()
    tree = ast.parse(source, filename=path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append((alias.name.split('.'), []))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split('.')
                if node.level > 1:
                    base = base[:-(node.level - 1)]
                parts = base + (node.module.split('.') if node.module else [])
            else:
                parts = (node.module or '').split('.')
            found.append((parts, [a.name for a in node.names if a.name != '*']))
    return found

entries = {}      # zip name -> bytes
packages = set()  # dotted package names needing an __init__.py

def add_parents(parts):
    for i in range(1, len(parts)):
        packages.add('.'.join(parts[:i]))

def add(parts, path, is_package):
    name = '/'.join(parts) + ('/__init__.py' if is_package else '.py')
    if name in entries:
        return False
    with open(path, 'rb') as f:
        entries[name] = f.read()
    add_parents(parts)
    if is_package:
        packages.add('.'.join(parts))
    return True

module_parts = request['fqn'].split('.')
with open(request['module'], 'rb') as f:
    entries['/'.join(module_parts) + '.py'] = f.read()
add_parents(module_parts)
queue = [(request['module'], '.'.join(module_parts[:-1]))]
always = [['ansible', 'module_utils', 'basic'],
          ['ansible', 'module_utils', '_internal', '_ansiballz', '_loader'],
          ['ansible', 'module_utils', '_internal', '_json', '_profiles', '_module_legacy_c2m'],
          ['ansible', 'module_utils', '_internal', '_json', '_profiles', '_module_legacy_m2c']]
pending = [(p, []) for p in always]
missing = []
while queue or pending:
    if queue:
        path, package = queue.pop()
        try:
            pending.extend(imports(path, package))
        except SyntaxError as e:
            print(json.dumps({'error': 'could not parse %s: %s' % (path, e)}))
            sys.exit(0)
        continue
    parts, names = pending.pop()
    if not wanted(parts):
        continue
    targets = []
    path, is_package = locate(parts)
    if path is None and not is_package:
        if parts not in always and not any(p == parts for p in missing):
            missing.append(parts)
        continue
    if path is not None:
        targets.append((parts, path, is_package))
    else:
        add_parents(parts + ['x'])
    for n in names:
        sub_path, sub_package = locate(parts + [n])
        if sub_path is not None:
            targets.append((parts + [n], sub_path, sub_package))
    for p, file_path, pkg in targets:
        if add(p, file_path, pkg):
            queue.append((file_path, '.'.join(p if pkg else p[:-1])))

for package in sorted(packages):
    name = package.replace('.', '/') + '/__init__.py'
    if package in ('ansible', 'ansible.module_utils'):
        entries[name] = b'from pkgutil import extend_path\n__path__ = extend_path(__path__, __name__)\n'
    elif name not in entries:
        entries[name] = b''

main = '''import os, sys
def _troupe_main():
    params = sys.stdin.buffer.read()
    payload = os.path.abspath(sys.argv[0])
    sys.argv = [payload]
    try:
        from ansible.module_utils._internal._ansiballz import _loader
    except ImportError:
        _loader = None
    if _loader is not None:
        _loader.run_module(json_params=params, profile='legacy', module_fqn=%r, modlib_path=payload, extensions={})
    else:
        import runpy
        from ansible.module_utils import basic
        basic._ANSIBLE_ARGS = params
        runpy.run_module(%r, init_globals=dict(_module_fqn=%r, _modlib_path=payload), run_name='__main__', alter_sys=True)
_troupe_main()
''' % (request['fqn'], request['fqn'], request['fqn'])
entries['__main__.py'] = main.encode()

out = request['out']
tmp = '%s.%d.tmp' % (out, os.getpid())
with zipfile.ZipFile(tmp, 'w', compression=zipfile.ZIP_DEFLATED) as z:
    for name in sorted(entries):
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        z.writestr(info, entries[name])
os.replace(tmp, out)
print(json.dumps({'files': sorted(entries), 'missing': ['.'.join(m) for m in missing]}))
"""#
}
