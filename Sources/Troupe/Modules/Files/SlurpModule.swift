import Foundation
import Jinja

/// `slurp`: returns a remote file's content, base64-encoded.
public struct SlurpModule: RemoteModule {
    /// The module's name, `slurp` (also reached as `ansible.builtin.slurp`).
    public let name = "slurp"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// `src` (alias `path`): the file to read.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([.init("src", .path, required: true, aliases: ["path"])])
    }

    /// Returns the file's bytes base64-encoded in `content`; fails for a missing, unreadable or directory path.
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
