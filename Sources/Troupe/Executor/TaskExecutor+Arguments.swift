import Jinja

/// A task's final arguments: ansible-core 2.19's layers (Task._post_validate_args and its
/// TaskArgsFinalizer), then templating.
extension TaskExecutor {
    /// The final arguments, each templated; `omit` values dropped.
    func templatedArguments(_ scope: VariableScope) throws -> OrderedDict {
        var out = OrderedDict()
        for (key, value) in try finalArguments(scope) {
            do {
                out[key] = try run.templar.template(value, scope)
            } catch {
                throw TaskArgsFinalization.error(action: task.fullActionName, key: key, error)
            }
        }
        return Templar.removeOmitted(out)
    }

    /// The task's arguments with ansible-core 2.19's layers resolved (TaskArgsFinalizer):
    /// lowest first, `args: "{{ d }}"` (`_variable_params`), then a one-template `_raw_params`
    /// of an action without raw params (`module: "{{ d }}"`), then the task's own arguments.
    /// Each template layer must render to a mapping (`omit` counts as an empty one); a key
    /// whose winning value is `omit` is dropped, not taken from a lower layer.
    func finalArguments(_ scope: VariableScope) throws -> OrderedDict {
        var args = task.args
        let pythonAction = run.modules.pythonPlugins.action(for: task, in: run.modules) as? PythonAction
        let keepsRawParams = pythonAction.map { PythonAction.supportsRawParams($0.path) } ?? ModuleNames.keepsRawParams.contains(task.shortAction)
        // An action plugin next to the playbook is named as written, a builtin by its FQCN.
        let resolvedName = pythonAction != nil ? task.action : task.fullActionName
        // ansible-core 2.19 checks this when the task runs (Task._post_validate_args).
        if pythonAction == nil, let raw = args["_raw_params"], !ModuleNames.rawParams.contains(task.shortAction),
           !(raw.stringValue.map(ModuleNames.isPossiblyAllTemplate) ?? false) {
            throw TroupeError(.module, "Action '\(task.fullActionName)' does not support raw params.")
        }
        var base = OrderedDict()
        var layered = false
        for key in ["_variable_params", "_raw_params"] {
            guard let text = args[key]?.stringValue, ModuleNames.isPossiblyAllTemplate(text),
                  key == "_variable_params" || !keepsRawParams else { continue }
            let value: Value
            do {
                value = try run.templar.template(args[key]!, scope)
            } catch {
                throw TroupeError(.templating, "Finalization of task args for '\(resolvedName)' failed: \(TaskErrorText.message(error))")
            }
            args[key] = nil
            layered = true
            if case .string(Templar.omitPlaceholder) = value { continue }
            guard let dict = value.dictValue else {
                throw TroupeError(.templating, "Finalization of task args for '\(resolvedName)' failed: Task args must resolve to a 'dict' not '\(value.pythonTypeName)'.")
            }
            base.merge(dict)
        }
        guard layered else { return args }
        base.merge(args)
        // Template layers are rendered already: their `omit` values go now, so that actions
        // which template their own arguments (debug, assert) never see them.
        return OrderedDict(base.compactMap { key, value in
            if case .string(Templar.omitPlaceholder) = value { return nil }
            return (key, value)
        })
    }
}
