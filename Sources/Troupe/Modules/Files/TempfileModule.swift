import Foundation
import Jinja

/// `tempfile`: creates a unique temporary file or directory with `mktemp`.
public struct TempfileModule: RemoteModule {
    /// The module's name, `tempfile` (also reached as `ansible.builtin.tempfile`).
    public let name = "tempfile"
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `tempfile` parameters: `state`, `path`, `prefix`, `suffix`.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("state", default: "file", choices: ["directory", "file"]), .init("path", .path),
            .init("prefix", default: "ansible."), .init("suffix", default: ""),
        ])
    }

    /// Creates the file or directory with `mktemp` (mode 0600/0700) and returns its `path`; always `changed`.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let ops = RemoteFileOps(connection, invocation)
        let directory = try args["path"]?.stringValue.map { try ops.expandUser($0) }
        let prefix = args["prefix"]?.stringValue ?? "ansible."
        let suffix = args["suffix"]?.stringValue ?? ""
        let isDirectory = args["state"]?.stringValue == "directory"
        // mktemp wants the X's last, so the suffix is added by renaming inside the script.
        let base = directory.map(shellQuote) ?? "\"${TMPDIR:-/tmp}\""
        let template = "\(base)/\(shellQuote(prefix))XXXXXXXX"
        let script: String
        if suffix.isEmpty {
            script = "mktemp \(isDirectory ? "-d " : "")\(template)"
        } else {
            let make = isDirectory ? "mkdir -m 700 -- \"$t\"" : "(umask 077 && set -C && : > \"$t\")"
            script = """
            for i in 1 2 3 4 5 6 7 8 9 10; do
              r=$(mktemp -u \(template)) || exit 1; t="$r"\(shellQuote(suffix))
              if \(make) 2>/dev/null; then printf '%s\\n' "$t"; exit 0; fi
            done; echo "could not create a unique name" >&2; exit 1
            """
        }
        if let directory, !(try ops.stat(directory, follow: true)).isDirectory {
            let sample = String((0..<8).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789_".randomElement()! })
            throw ModuleFailure("[Errno 2] No such file or directory: '\((directory as NSString).appendingPathComponent(prefix + sample + suffix))'")
        }
        let r = try ops.shell(script)
        let path = String(decoding: r.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard r.rc == 0, !path.isEmpty else {
            throw ModuleFailure("Failed to create temporary \(isDirectory ? "directory" : "file"): " + String(decoding: r.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        var result: OrderedDict = ["changed": true]
        FileAttributesHelper.pathInfo(try ops.stat(path), key: "path", into: &result)
        return .dict(result)
    }
}
