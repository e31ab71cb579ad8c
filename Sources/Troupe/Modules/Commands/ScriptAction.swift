import Foundation
import Jinja

/// `script` on the controller: validates the arguments, finds the script (role `files/`,
/// the task's directory, playbook `files/` …) and hands it to ``ScriptModule``, which
/// ships and runs it on the host.
public struct ScriptAction: ActionPlugin {
    /// The action's name, `script`.
    public let name = "script"
    /// Creates the plugin (it has no state).
    public init() {}

    /// Finds the local script named first in the free-form string (or `cmd`) and runs it on the host.
    public func run(_ givenArgs: OrderedDict, context: ActionContext) throws -> Value {
        let args: OrderedDict
        do {
            args = try ScriptModule().argumentSpec.withoutPrivateParameters.validate(givenArgs, module: "script")
        } catch let failure as ModuleFailure {
            return .dict(plainFailure(failure.result, context))
        }
        guard let command = (args["_raw_params"] ?? args["cmd"])?.stringValue?.trimmingCharacters(in: .whitespaces),
              !command.isEmpty else {
            return .dict(plainFailure(ModuleFailure("one of the following is required: _raw_params, cmd").result, context))
        }
        guard let script = (try? ShellWords.split(command))?.first else {
            return .dict(plainFailure(ModuleFailure("Could not parse the script command line: \(command)").result, context))
        }
        var moduleArgs = args
        let search = ControllerFileSearch(context: context)
        if let local = search.find(script, kind: "files") {
            moduleArgs["_troupe_local_src"] = .string(local)
        } else {
            let searched = search.candidates(script, kind: "files", unique: false).map { "\t" + $0 }.joined(separator: "\n")
            moduleArgs["_troupe_missing"] = .string("Could not find or access '\(script)'\nSearched in:\n\(searched) on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option")
        }
        var result = try context.runModule("script", moduleArgs).dictValue ?? OrderedDict()
        if result.flag("failed"), result["rc"] != nil {
            // The action, not a module, reports the script's exit status.
            result["exception"] = .string(TaskFailureText.make(.action, message: result["msg"]?.stringValue, location: context.task.location))
        }
        if result.flag("failed"), result["rc"] == nil, result["exception"] == nil {
            result = plainFailure(result, context)
            if let missing = moduleArgs["_troupe_missing"]?.stringValue, result["msg"]?.stringValue == missing {
                // A lookup failure is reported with its cause, as ansible-core chains the errors.
                var text = "Task failed: \(missing)\n\nTask failed.\n"
                if let location = context.task.location { text += SourceExcerpt.render(location) + "\n" }
                result["exception"] = .string(text + "\n<<< caused by >>>\n\n\(missing)\n")
            }
        }
        return .dict(result)
    }

    /// Failures raised by the action itself read "Task failed: msg", without "Action failed:".
    private func plainFailure(_ result: OrderedDict, _ context: ActionContext) -> OrderedDict {
        var r = result
        r["exception"] = .string(TaskFailureText.make(.unreachable, message: r["msg"]?.stringValue, location: context.task.location))
        return r
    }
}
