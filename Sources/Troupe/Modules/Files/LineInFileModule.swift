import Foundation
import Jinja

/// `lineinfile`: makes sure one line is present (added or replaced via `regexp` /
/// `search_string`, placed with `insertafter` / `insertbefore`) or absent.
public struct LineInFileModule: RemoteModule {
    /// The module's name, `lineinfile` (also reached as `ansible.builtin.lineinfile`).
    public let name = "lineinfile"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `lineinfile` parameters plus the common file attributes (`mode`, `owner`, `group`, SELinux, `attributes`).
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("path", .path, required: true, aliases: ["dest", "destfile", "name"]),
            .init("state", default: "present", choices: ["absent", "present"]),
            .init("regexp", aliases: ["regex"]), .init("search_string"), .init("line", aliases: ["value"]),
            .init("insertafter"), .init("insertbefore"), .init("backrefs", .bool, default: false),
            .init("create", .bool, default: false), .init("backup", .bool, default: false),
            .init("firstmatch", .bool, default: false), .init("validate"),
        ] + FileAttributesHelper.parameters,
        mutuallyExclusive: [["insertbefore", "insertafter"], ["regexp", "search_string"], ["backrefs", "search_string"]])
    }

    /// Adds, replaces or removes the line and writes the file only when it changed; a missing file without `create` fails with rc 257.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let ops = RemoteFileOps(connection, invocation)
        let path = try ops.expandUser(args["path"]?.stringValue ?? "")
        let regexp = args["regexp"]?.stringValue
        let search = args["search_string"]?.stringValue
        let line = args["line"]?.stringValue
        let backrefs = args["backrefs"]?.isTruthy ?? false
        let present = args["state"]?.stringValue != "absent"
        if present {
            if backrefs && regexp == nil { throw ModuleFailure("regexp is required with backrefs=true") }
            if line == nil { throw ModuleFailure("line is required with state=present") }
        } else if regexp == nil && search == nil && line == nil {
            throw ModuleFailure("one of line, search_string, or regexp is required with state=absent")
        }
        let editor = TextFileEditor(ops: ops, args: args, invocation: invocation, path: path)
        let warnings = LineInFileModule.emptyPatternWarnings(regexp: regexp, search: search)
        do {
            let regex = try regexp.map { try PythonRegex($0) }
            let result = present
                ? try ensurePresent(editor, regex: regex, search: search, line: line ?? "", backrefs: backrefs)
                : try ensureAbsent(editor, regex: regex, search: search, line: line ?? "")
            guard !warnings.isEmpty, var dict = result.dictValue else { return result }
            dict["warnings"] = .list(warnings)
            return .dict(dict)
        } catch var failure as ModuleFailure {
            if !warnings.isEmpty { failure.result["warnings"] = .list(warnings) }
            throw failure
        }
    }

    /// ansible-core's warning for an empty `regexp` or `search_string`, which matches every line.
    static func emptyPatternWarnings(regexp: String?, search: String?) -> [Value] {
        guard regexp == "" || search == "" else { return [] }
        var msg = "The \(regexp == "" ? "regular expression" : "search string") is an empty string, which will match "
            + "every line in the file. This may have unintended consequences, such as replacing the last line in the "
            + "file rather than appending."
        if regexp == "" { msg += " If this is desired, use '^' to match every line in the file and avoid this warning." }
        return [.string(msg)]
    }

    private func ensurePresent(_ editor: TextFileEditor, regex: PythonRegex?, search: String?, line: String,
                               backrefs: Bool) throws -> Value {
        let args = editor.args
        let (stat, text) = try editor.load()
        if !stat.exists && !(args["create"]?.isTruthy ?? false) {
            throw ModuleFailure("Destination \(editor.path) does not exist !", ["rc": 257])
        }
        var lines = TextFileEditor.lines(text)
        let insertAfter = args["insertafter"]?.stringValue, insertBefore = args["insertbefore"]?.stringValue
        let firstMatch = args["firstmatch"]?.isTruthy ?? false
        var insertRegex: PythonRegex?
        if let a = insertAfter, a != "BOF", a != "EOF" { insertRegex = try PythonRegex(a) }
        else if let b = insertBefore, b != "BOF" { insertRegex = try PythonRegex(b) }

        let stripped = LineInFileModule.stripped
        var found = -1, insertAt = -1
        var match: (NSTextCheckingResult, String)?
        var searchMatched = false
        if let regex {
            for (i, l) in lines.enumerated() {
                if let m = regex.firstMatch(in: l) { found = i; match = (m, l); if firstMatch { break } }
            }
        }
        if let search {
            for (i, l) in lines.enumerated() where LineInFileModule.contains(l, search) {
                found = i; searchMatched = true
                if firstMatch { break }
            }
        }
        if match == nil && !searchMatched {
            for (i, l) in lines.enumerated() {
                if stripped(l) == line {
                    found = i
                } else if let insertRegex, insertRegex.matches(l) {
                    // Python truthiness: an empty insertafter/insertbefore marks no position.
                    if !(insertAfter ?? "").isEmpty { insertAt = i + 1; if firstMatch { break } }
                    if !(insertBefore ?? "").isEmpty { insertAt = i; if firstMatch { break } }
                }
            }
        }
        var msg = "", changed = false
        func added() { msg = "line added"; changed = true }
        if found != -1 {
            var newLine = line
            if backrefs, let (m, l) = match, let regex { newLine = regex.expand(line, match: m, in: l) }
            if newLine.unicodeScalars.last != "\n" { newLine += "\n" }
            if lines[found] != newLine {
                lines[found] = newLine
                msg = "line replaced"; changed = true
            }
        } else if backrefs {
            // Without a match there are no groups to build the line from: leave the file alone.
        } else if insertBefore == "BOF" || insertAfter == "BOF" {
            lines.insert(line + "\n", at: 0); added()
        } else if insertAfter == "EOF" || insertAt == -1 {
            if let last = lines.last, !TextFileEditor.endsWithNewline(last) { lines.append("\n") }
            lines.append(line + "\n"); added()
        } else if insertAfter != nil {
            if lines.count == insertAt {
                if stripped(lines[insertAt - 1]) != line { lines.append(line + "\n"); added() }
            } else if stripped(lines[insertAt]) != line {
                lines.insert(line + "\n", at: insertAt); added()
            }
        } else {
            lines.insert(line + "\n", at: insertAt); added()
        }
        let after = lines.joined()
        let contentDiff = editor.contentDiff(before: text, after: after)
        if editor.invocation.checkMode && !stat.exists {
            return ["changed": .bool(changed), "msg": .string(msg), "backup": "", "diff": .dict(contentDiff)]
        }
        let outcome = try editor.commit(after, changed: changed, stat: stat, message: msg)
        return ["changed": .bool(outcome.changed), "msg": .string(outcome.message), "backup": .string(outcome.backup),
                "diff": [.dict(contentDiff), .dict(outcome.attributeDiff)]]
    }

    private func ensureAbsent(_ editor: TextFileEditor, regex: PythonRegex?, search: String?, line: String) throws -> Value {
        let (stat, text) = try editor.load()
        guard stat.exists else { return ["changed": false, "msg": "file not present"] }
        var removed = 0
        let kept = TextFileEditor.lines(text).filter { l in
            let hit: Bool
            if let regex { hit = regex.matches(l) }
            else if let search { hit = LineInFileModule.contains(l, search) }
            else { hit = LineInFileModule.stripped(l) == line }
            if hit { removed += 1 }
            return !hit
        }
        let changed = removed > 0
        let after = kept.joined()
        let contentDiff = editor.contentDiff(before: text, after: after)
        let outcome = try editor.commit(after, changed: changed, stat: stat, message: changed ? "\(removed) line(s) removed" : "")
        return ["changed": .bool(outcome.changed), "found": .int(removed), "msg": .string(outcome.message),
                "backup": .string(outcome.backup), "diff": [.dict(contentDiff), .dict(outcome.attributeDiff)]]
    }

    /// Python's `needle in line`: an empty needle is in every line (Foundation's contains says no).
    static func contains(_ line: String, _ needle: String) -> Bool {
        needle.isEmpty || line.contains(needle)
    }

    /// Python's `rstrip(b'\r\n')`.
    static func stripped(_ s: String) -> String {
        var s = s
        while let last = s.unicodeScalars.last, last == "\n" || last == "\r" { s.unicodeScalars.removeLast() }
        return s
    }
}
