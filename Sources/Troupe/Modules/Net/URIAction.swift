import Foundation
import Jinja

/// `uri` on the controller: a controller-side `src`, and the `filename`s of a
/// form-multipart body, are found among the play's files before the request is made
/// on the host.
public struct URIAction: ActionPlugin {
    /// The action's name, `uri`.
    public let name = "uri"
    /// Creates the plugin (it has no state).
    public init() {}

    /// Resolves controller files, then runs ``URIModule`` on the host.
    public func run(_ givenArgs: OrderedDict, context: ActionContext) throws -> Value {
        var args = givenArgs
        if args["remote_src"].flatMap(ArgumentSpec.boolean) ?? false { return try context.runModule("uri", args) }
        let search = ControllerFileSearch(context: context)
        func locate(_ name: String) throws -> String {
            if let found = search.find(name, kind: "files") { return found }
            let searched = search.candidates(name, kind: "files", unique: false).map { "\t" + $0 }.joined(separator: "\n")
            throw ModuleFailure("Could not find or access '\(name)'\nSearched in:\n\(searched) on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option")
        }
        do {
            if let src = args["src"]?.stringValue {
                args["_troupe_local_src"] = .string(try locate(src))
            } else if args["body_format"]?.stringValue == "form-multipart", case .dict(var body) = args["body"] ?? .null {
                for (field, value) in body {
                    guard case .dict(var part) = value, part["content"] == nil, let filename = part["filename"]?.stringValue else { continue }
                    part["filename"] = .string(try locate(filename))
                    body[field] = .dict(part)
                }
                args["body"] = .dict(body)
            }
        } catch let failure as ModuleFailure {
            var result = failure.result
            result["exception"] = .string(TaskFailureText.make(.unreachable, message: result["msg"]?.stringValue, location: context.task.location))
            return .dict(result)
        }
        return try context.runModule("uri", args)
    }
}
