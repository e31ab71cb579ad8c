// The Python program Troupe runs as its plugin helper (see PythonPluginHost). Our own code:
// it loads plugin files and answers JSON-line requests; ansible-core is imported only for
// what the plugins themselves need (ActionBase, DataLoader, the collection finder).
enum PythonPluginHelperScript {
    static let source = #"""
# Troupe's Python plugin helper: loads filter, test, lookup and action plugin files and
# answers calls from Troupe, one JSON object per line on stdin/stdout. Calls back into
# Troupe (templating, variables, modules, native actions) over the same pipe.
import sys, os, json, copy, importlib, importlib.util
from collections.abc import Mapping, Sequence, Set

_in, _out = sys.stdin, sys.stdout
sys.dont_write_bytecode = True  # no __pycache__ next to the user's plugin files
sys.stdout = sys.stderr  # a plugin's print() must not corrupt the protocol


def _jsonable(o):
    if isinstance(o, (Set, tuple)):
        return list(o)
    if isinstance(o, bytes):
        return o.decode('utf-8', 'surrogateescape')
    if isinstance(o, Mapping):
        return dict(o)
    if isinstance(o, Sequence):
        return list(o)
    return str(o)


def _send(message):
    _out.write(json.dumps(message, default=_jsonable) + '\n')
    _out.flush()


def _read():
    line = _in.readline()
    if not line:
        os._exit(0)  # Troupe is gone
    return json.loads(line)


class TroupeCallbackError(Exception):
    pass


class PluginLoadError(Exception):
    """A plugin file that cannot be imported; Troupe words it as ansible-core's "failed to load"."""


_next_callback = [0]


def _callback(op, **fields):
    """Asks Troupe for something and waits for the answer, serving nested calls meanwhile."""
    _next_callback[0] += 1
    cid = _next_callback[0]
    fields.update(cb=cid, op=op)
    _send(fields)
    while True:
        message = _read()
        if 'id' in message:
            _serve(message)
            continue
        if message.get('cb') == cid:
            if 'error' in message:
                raise TroupeCallbackError(message['error'])
            return message.get('ok')


_loaded = {}


def _collection_module_name(path):
    parts = os.path.abspath(path)[:-3].split(os.sep)
    if 'ansible_collections' not in parts:
        return None
    index = len(parts) - 1 - parts[::-1].index('ansible_collections')
    return '.'.join(parts[index:])


def _load(path):
    found = _loaded.get(path)
    if isinstance(found, BaseException):
        raise found
    if found is not None:
        return found
    try:
        name = _collection_module_name(path)
        if name and _finder_installed:
            module = importlib.import_module(name)
        else:
            name = 'troupe_plugin_%d' % len(_loaded)
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
    except Exception as e:
        _loaded[path] = PluginLoadError(_describe(e))
        raise _loaded[path]
    _loaded[path] = module
    return module


_finder_installed = False


def _install_collections(paths):
    global _finder_installed
    if _finder_installed or not paths:
        return
    try:
        from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
        _AnsibleCollectionFinder(paths=paths)._install()
        _finder_installed = True
    except Exception:
        pass


_templates = {}  # (kind, path) -> {name: function or load error}


def _template_plugins(kind, path):
    key = (kind, path)
    if key in _templates:
        return _templates[key]
    module = _load(path)
    holder = getattr(module, 'FilterModule' if kind == 'filter' else 'TestModule', None)
    functions = {}
    if holder is not None:
        for name, function in (holder().filters() if kind == 'filter' else holder().tests()).items():
            try:
                # ansible-core reads these when it wraps a plugin; a plugin whose
                # attributes fail does not load.
                getattr(function, 'accept_args_markers', None)
                getattr(function, 'accept_lazy_markers', None)
                functions[name] = function
            except Exception as e:
                functions[name] = e
    _templates[key] = functions
    return functions


def op_names(message):
    names, errors = {}, {}
    for path in message['paths']:
        try:
            plugins = _template_plugins(message['kind'], path)
        except BaseException as e:
            errors[path] = _describe(e)
            continue
        for name, function in plugins.items():
            if name in names:
                continue
            names[name] = path
            if isinstance(function, BaseException):
                errors[name] = _describe(function)
    return {'names': names, 'errors': errors}


def op_call(message):
    function = _template_plugins(message['kind'], message['path'])[message['name']]
    result = function(message['value'], *message.get('args', []), **message.get('kwargs', {}))
    return bool(result) if message['kind'] == 'test' else result


class _Variables(Mapping):
    """The task's variables, fetched from Troupe one name at a time."""
    def __getitem__(self, name):
        answer = _callback('var', name=name)
        if not answer.get('found'):
            raise KeyError(name)
        return answer.get('value')

    def __iter__(self):
        return iter(_callback('varnames'))

    def __len__(self):
        return len(_callback('varnames'))


class _Templar:
    """Templating goes back to Troupe's Jinja with the task's variables."""
    def __init__(self):
        self.available_variables = _Variables()

    def template(self, variable, *args, **kwargs):
        return _callback('template', value=variable)

    def is_template(self, data):
        return isinstance(data, str) and ('{{' in data or '{%' in data)

    def copy_with_new_env(self, *args, **kwargs):
        return self


_data_loader = [None]


def _loader(basedir):
    if _data_loader[0] is None:
        from ansible.parsing.dataloader import DataLoader
        _data_loader[0] = DataLoader()
    _data_loader[0].set_basedir(basedir)
    return _data_loader[0]


def op_lookup(message):
    module = _load(message['path'])
    plugin = module.LookupModule(loader=_loader(message.get('basedir') or '.'), templar=_Templar())
    plugin._load_name = message['name']
    result = plugin.run(message['terms'], variables=_Variables(), **message.get('kwargs', {}))
    return list(result) if result is not None else []


class _Attributes:
    """Plain attributes from Troupe; anything not given reads as None."""
    def __init__(self, values):
        self.__dict__.update(values)

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return None


class _Task(_Attributes):
    def get_name(self, include_role_fqcn=True):
        return self.name or self.action

    def copy(self, *args, **kwargs):
        return copy.copy(self)


class _Shell:
    tmpdir = ''  # Troupe manages remote temporary files itself

    def join_path(self, *paths):
        return os.path.join(*paths)


class _Connection(_Attributes):
    pass


class _ActionProxy:
    """A native Troupe action (or module), run by Troupe with the task's current arguments."""
    def __init__(self, name, task):
        self._name = name
        self._task = task

    def run(self, tmp=None, task_vars=None):
        return _callback('run_action', name=self._name, args=dict(self._task.args) if self._task else {})


class _ActionLoader:
    def get(self, name, *args, **kwargs):
        return _ActionProxy(name, kwargs.get('task'))

    def has_plugin(self, name, *args, **kwargs):
        return True


class _SharedLoader:
    action_loader = _ActionLoader()

    def __getattr__(self, name):
        from ansible.plugins import loader
        return getattr(loader, name)


def _execute_module(self, module_name=None, module_args=None, tmp=None, task_vars=None, persist_files=False,
                    delete_remote_tmp=None, wrap_async=False, ignore_unknown_opts=False):
    return _callback('execute_module', module=module_name or self._task.action,
                     args=self._task.args if module_args is None else module_args)


def _low_level_execute_command(self, cmd, sudoable=True, in_data=None, executable=None, encoding_errors='surrogate_then_replace', chdir=None):
    result = _callback('execute_module', module='raw', args={'_raw_params': cmd})
    return {'rc': result.get('rc'), 'stdout': result.get('stdout', ''), 'stdout_lines': result.get('stdout_lines', []),
            'stderr': result.get('stderr', '')}


def op_action(message):
    from ansible.plugins.action import ActionBase
    from ansible import errors
    ActionBase._execute_module = _execute_module
    ActionBase._low_level_execute_command = _low_level_execute_command
    module = _load(message['path'])
    task = _Task(message['task'])
    connection = _Connection({'_shell': _Shell(), 'has_native_async': False, 'become': None})
    plugin = module.ActionModule(task, connection, _Attributes(message['play_context']), _loader(message.get('basedir') or '.'),
                                 _Templar(), None)
    plugin._shared_loader_obj = _SharedLoader()
    try:
        result = plugin.run(task_vars=_Variables())
    except errors.AnsibleActionSkip as e:
        result = dict(getattr(e, 'result', None) or {}, skipped=True, msg=str(e))
    except errors.AnsibleActionFail as e:
        result = dict(getattr(e, 'result', None) or {}, failed=True, msg=str(e))
    return result


def _describe(error):
    return str(error) or type(error).__name__


def op_init(message):
    _install_collections(message.get('collection_paths', []))
    return True


_operations = {'init': op_init, 'names': op_names, 'call': op_call, 'lookup': op_lookup, 'action': op_action}


def _serve(message):
    try:
        result = _operations[message['op']](message)
        reply = {'id': message['id'], 'ok': result}
        try:
            text = json.dumps(reply, default=_jsonable)
        except Exception as e:
            reply = {'id': message['id'], 'error': 'the result is not JSON-serializable: %s' % e, 'type': 'TypeError'}
            text = json.dumps(reply)
        _out.write(text + '\n')
        _out.flush()
    except BaseException as e:
        if isinstance(e, SystemExit) and 'id' not in message:
            raise
        _send({'id': message['id'], 'error': _describe(e), 'type': type(e).__name__})


def main():
    while True:
        _serve(_read())


main()
"""#
}
