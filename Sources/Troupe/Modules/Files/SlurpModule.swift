import Foundation
import Jinja

/// `slurp`: returns a remote file's content, base64-encoded.
public struct SlurpModule: RemoteModule {
    public let name = "slurp"
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([.init("src", .path, required: true, aliases: ["path"])])
    }

    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let ops = RemoteFileOps(connection, invocation)
        let src = try ops.expandUser(args["src"]?.stringValue ?? "")
        let stat = try ops.stat(src, follow: true)
        guard stat.exists else { throw ModuleFailure("File not found: \(src)") }
        if stat.isDirectory { throw ModuleFailure("Source is a directory and must be a file: \(src)") }
        guard stat.readable else { throw ModuleFailure("File is not readable: \(src)") }
        let data = try ops.read(src)
        return ["changed": false, "content": .string(data.base64EncodedString()), "encoding": "base64", "source": .string(src)]
    }
}
