import Foundation
import Jinja

extension TaskExecutor {
    /// Runs a custom module from a library directory: its file travels with the
    /// invocation, with the host's `ansible_python_interpreter` (or the interpreter an
    /// earlier task discovered).
    func runCustom(_ path: String, scope: VariableScope, collectionModule: CollectionIndex.ModuleFile? = nil) throws -> OrderedDict {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TroupeError(.io, "Could not read the module file \(path)")
        }
        var python: String = try scope.lookup("ansible_python_interpreter").map { try run.templar.template($0, scope).pythonString }
            ?? run.options.pythonInterpreter
        if python.hasPrefix("auto") {
            python = try scope.lookup("ansible_facts")?["discovered_interpreter_python"]?.stringValue ?? python
        }
        var name = ModuleNames.shortName(task.action)
        var source = CustomModuleSource(name: name, data: data, pythonInterpreter: python)
        if let collectionModule {
            name = collectionModule.name
            source.name = (path as NSString).lastPathComponent.replacingOccurrences(of: ".py", with: "")
        }
        if collectionModule != nil || source.isNewStylePython {
            // Packed with its module_utils so the host needs only Python's standard library.
            let fqn = collectionModule?.pythonName ?? "ansible.modules." + source.name
            let payload = try run.modules.packer.payload(module: path, fqn: fqn, collectionRoots: run.modules.collections.searchRoots,
                                                         moduleUtils: run.options.moduleUtilsPaths + run.modules.library.moduleUtilsPath)
            source.data = payload.data
            source.payloadFQN = fqn
        }
        source.noLog = try task.inherited("no_log").map { try run.templar.template($0, scope).isTruthy } ?? run.options.noLogByDefault
        source.verbosity = run.options.verbosity
        let value = try runRemote(name, args: try templatedArguments(scope), scope: scope, custom: source)
        guard var result = value.dictValue else { return ["failed": true, "msg": "module returned no result"] }
        // Some modules return a diff whatever `_ansible_diff` says; ansible-core shows it only
        // with --diff or the task's `diff: true`.
        if let raw = task.inherited("diff") ?? nil, !(ArgumentSpec.boolean(try run.templar.template(raw, scope)) ?? run.options.diff) {
            result["diff"] = nil
        } else if task.inherited("diff") == nil, !run.options.diff {
            result["diff"] = nil
        }
        if result.flag("failed"), result["module_stdout"] != nil, let msg = result["msg"]?.stringValue, result["exception"] == nil,
           msg.hasPrefix("Module result deserialization failed") || msg.hasPrefix("The module interpreter ") {
            result["exception"] = .string(deserializationFailureText(msg))
        }
        return result
    }

    /// ansible-core's error for module output that is not a result: the action failure,
    /// the task's origin, then the cause with the hint to read stdout/stderr.
    private func deserializationFailureText(_ message: String) -> String {
        let hint = message.hasPrefix("The module interpreter ")
            ? "Consider overriding the configured interpreter path for this host. See stdout/stderr for the returned output."
            : "See stdout/stderr for the returned output."
        var text = "Task failed: Action failed: \(message)\n\nTask failed: Action failed.\n"
        if let location = task.location { text += SourceExcerpt.render(location, source: nil) + "\n" }
        return text + "\n<<< caused by >>>\n\n\(message) \(hint)\n"
    }
}
