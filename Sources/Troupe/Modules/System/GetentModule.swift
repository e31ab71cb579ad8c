import Foundation
import Jinja

/// `getent`: reads a name-service database on the host into the `getent_<database>` fact.
public struct GetentModule: RemoteModule {
    /// The module's name, `getent` (also reached as `ansible.builtin.getent`).
    public let name = "getent"
    /// Check mode is supported: the module only reads.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `getent` parameters.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("database", required: true), .init("key"), .init("service"), .init("split"),
            .init("fail_key", .bool, default: true),
        ])
    }

    /// Runs `getent` and maps each line's first field to the remaining fields (a list of
    /// such lists when a key repeats).
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let shell = SystemShell(connection, invocation)
        let database = args.string("database") ?? ""
        var cmd = [try shell.requireProgram("getent"), database]
        if let key = args.string("key") { cmd.append(key) }
        if let service = args.string("service") { cmd += ["-s", service] }
        var separator = args.string("split")
        if separator == nil && ["passwd", "shadow", "group", "gshadow"].contains(database) { separator = ":" }
        let out = try shell.run(cmd)
        let tree = "getent_\(database)"
        switch out.rc {
        case 0:
            var entries = OrderedDict()
            var seen: [String: Int] = [:]
            for line in PythonText.splitLines(out.stdout) {
                let record = separator.map { line.components(separatedBy: $0) } ?? PythonText.whitespaceSplit(line)
                guard let key = record.first else { continue }
                let rest = Value.list(record.dropFirst().map { .string($0) })
                if let count = seen[key] {
                    if count == 1, let first = entries[key] { entries[key] = .list([first]) }
                    if case .list(var items) = entries[key] { items.append(rest); entries[key] = .list(items) }
                    seen[key] = count + 1
                } else {
                    entries[key] = rest
                    seen[key] = 1
                }
            }
            return ["changed": false, "ansible_facts": [tree: .dict(entries)]]
        case 1: throw ModuleFailure("Missing arguments, or database unknown.")
        case 2:
            let msg = "One or more supplied key could not be found in the database."
            if !args.flag("fail_key") {
                return ["changed": false, "msg": .string(msg), "ansible_facts": [tree: .dict([args.string("key") ?? "null": .null])]]
            }
            throw ModuleFailure(msg)
        case 3: throw ModuleFailure("Enumeration not supported on this database.")
        default: throw ModuleFailure("Unexpected failure!")
        }
    }
}

/// Python's `str.splitlines()` and `str.split()` (no argument), which several modules'
/// output parsing relies on.
enum PythonText {
    static func splitLines(_ text: String) -> [String] {
        var lines: [String] = []
        text.enumerateLines { line, _ in lines.append(line) }
        return lines
    }

    static func whitespaceSplit(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }
}
