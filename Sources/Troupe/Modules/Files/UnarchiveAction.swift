import Foundation
import Jinja

/// `unarchive` on the controller: `copy`/`remote_src`, the required arguments, and the
/// archive's path among the play's files; ``UnarchiveModule`` does the rest on the host.
public struct UnarchiveAction: ActionPlugin {
    /// The action's name, `unarchive`.
    public let name = "unarchive"
    /// Creates the plugin (it has no state).
    public init() {}

    /// Resolves a controller-side `src`, then runs the module on the host.
    public func run(_ givenArgs: OrderedDict, context: ActionContext) throws -> Value {
        var args = givenArgs
        if let copy = args["copy"] {
            if args["remote_src"] != nil { return fail("parameters are mutually exclusive: ('copy', 'remote_src')", context) }
            args["copy"] = nil
            args["remote_src"] = .bool(!(ArgumentSpec.boolean(copy) ?? true))
        }
        guard let src = args["src"]?.stringValue, args["dest"]?.stringValue != nil else {
            return fail("src (or content) and dest are required", context)
        }
        let remoteSrc = args["remote_src"].flatMap(ArgumentSpec.boolean) ?? false
        if !remoteSrc {
            if src.contains("://") {
                return fail("Unsupported option, an URI src (\(src)) is only supported when remote_src is True", context)
            }
            let search = ControllerFileSearch(context: context)
            guard let local = search.find(src, kind: "files") else {
                let searched = search.candidates(src, kind: "files", unique: false).map { "\t" + $0 }.joined(separator: "\n")
                // ansible-core keeps its "Task failed: " wrapper in this msg.
                return fail("Task failed: Could not find or access '\(src)'\nSearched in:\n\(searched) on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option", context)
            }
            args["_troupe_local_src"] = .string(local)
        }
        args["decrypt"] = nil
        var result = try context.runModule("unarchive", args).dictValue ?? OrderedDict()
        if result.flag("failed"), result["_troupe_action_failure"] != nil {
            result["_troupe_action_failure"] = nil
            result["exception"] = .string(TaskFailureText.make(.unreachable, message: result["msg"]?.stringValue, location: context.task.location))
        }
        return .dict(result)
    }

    /// A failure of the action itself, worded "Task failed: msg".
    private func fail(_ message: String, _ context: ActionContext) -> Value {
        ["failed": true, "changed": false, "msg": .string(message),
         "exception": .string(TaskFailureText.make(.unreachable, message: message, location: context.task.location))]
    }
}
