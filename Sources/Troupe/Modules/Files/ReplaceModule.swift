import Foundation
import Jinja

/// `replace`: substitutes every match of a Python regular expression (multiline), within
/// the part of the file between `after` and `before` when given.
public struct ReplaceModule: RemoteModule {
    /// The module's name, `replace` (also reached as `ansible.builtin.replace`).
    public let name = "replace"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `replace` parameters plus the common file attributes (`mode`, `owner`, `group`, SELinux, `attributes`).
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("path", .path, required: true, aliases: ["dest", "destfile", "name"]),
            .init("regexp", required: true), .init("replace", default: ""), .init("after"), .init("before"),
            .init("backup", .bool, default: false), .init("validate"), .init("encoding", default: "utf-8"),
        ] + FileAttributesHelper.parameters)
    }

    /// Substitutes every match in the file (or the `after`/`before` section) and writes it when it changed; a missing file fails with rc 257.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let ops = RemoteFileOps(connection, invocation)
        let path = try ops.expandUser(args["path"]?.stringValue ?? "")
        let editor = TextFileEditor(ops: ops, args: args, invocation: invocation, path: path)
        let (stat, contents) = try editor.load()
        guard stat.exists else { throw ModuleFailure("Path \(path) does not exist !", ["rc": 257]) }

        var pattern = ""
        let after = args["after"]?.stringValue, before = args["before"]?.stringValue
        if let after, let before { pattern = "\(after)(?P<subsection>.*?)\(before)" }
        else if let after { pattern = "\(after)(?P<subsection>.*)" }
        else if let before { pattern = "(?P<subsection>.*)\(before)" }
        let ns = contents as NSString
        var sectionRange = NSRange(location: 0, length: ns.length)
        if !pattern.isEmpty {
            let sectionRegex = try PythonRegex(pattern, dotAll: true)
            guard let m = sectionRegex.firstMatch(in: contents) else {
                return ["changed": false, "msg": .string("Pattern for before/after params did not match the given file: \(pattern)"), "rc": 0]
            }
            sectionRange = m.range(withName: "subsection")
        }
        let regex = try PythonRegex(args["regexp"]?.stringValue ?? "", multiline: true)
        let template = args["replace"]?.stringValue ?? ""
        if let error = PythonRegex.templateError(template) {
            throw ModuleFailure("Unable to process replace due to error: \(error)")
        }
        let matches = regex.allMatches(in: contents, range: sectionRange)
        var replaced = ""
        var cursor = sectionRange.location
        for m in matches {
            replaced += ns.substring(with: NSRange(location: cursor, length: m.range.location - cursor))
            replaced += regex.expand(template, match: m, in: contents)
            cursor = m.range.location + m.range.length
        }
        let sectionEnd = sectionRange.location + sectionRange.length
        replaced += ns.substring(with: NSRange(location: cursor, length: sectionEnd - cursor))
        let section = ns.substring(with: sectionRange)
        var result = OrderedDict()
        var changed = false, msg = ""
        var newContents = contents
        if !matches.isEmpty && section != replaced {
            newContents = ns.substring(to: sectionRange.location) + replaced + ns.substring(from: sectionEnd)
            msg = "\(matches.count) replacements made"
            changed = true
            if invocation.diff {
                result["diff"] = ["before_header": .string(path), "before": .string(contents),
                                  "after_header": .string(path), "after": .string(newContents)]
            }
        }
        let outcome = try editor.commit(newContents, changed: changed, stat: stat, message: msg)
        if !outcome.backup.isEmpty { result["backup_file"] = .string(outcome.backup) }
        result["changed"] = .bool(outcome.changed)
        result["msg"] = .string(outcome.message)
        result["rc"] = 0
        return .dict(result)
    }
}
