import Foundation
import Jinja

/// `stat`: facts about a path — type, permissions, ownership, times, checksum, mime
/// type — gathered in one shell round trip.
public struct StatModule: RemoteModule {
    /// The module's name, `stat` (also reached as `ansible.builtin.stat`).
    public let name = "stat"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `stat` parameters: `path`, `follow`, checksum, mime and attribute switches.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("path", .path, required: true, aliases: ["dest", "name"]),
            .init("follow", .bool, default: false),
            .init("get_checksum", .bool, default: true),
            .init("checksum_algorithm", default: "sha1", aliases: ["checksum", "checksum_algo"],
                  choices: ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]),
            .init("get_mime", .bool, default: true, aliases: ["mime", "mime_type", "mime-type"]),
            .init("get_attributes", .bool, default: true, aliases: ["attr", "attributes"]),
        ])
    }

    /// Returns the `stat` dict for `path` (`exists: false` when absent); never changes anything.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let ops = RemoteFileOps(connection, invocation)
        let path = try ops.expandUser(args["path"]?.stringValue ?? "")
        let follow = args["follow"]?.isTruthy ?? false
        let getChecksum = args["get_checksum"]?.isTruthy ?? true
        let mime = args["get_mime"]?.isTruthy ?? true
        let attributes = args["get_attributes"]?.isTruthy ?? true
        let stat = try ops.stat(path, follow: follow, checksum: getChecksum ? args["checksum_algorithm"]?.stringValue : nil,
                                mime: mime, attributes: attributes)
        var result = OrderedDict()
        result["changed"] = false
        result["stat"] = .dict(stat.statDictionary(includeMime: mime, includeAttributes: attributes))
        return .dict(result)
    }
}
