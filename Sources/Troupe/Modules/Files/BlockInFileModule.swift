import Foundation
import Jinja

/// `blockinfile`: keeps a block of lines between two marker lines, inserting, updating
/// or removing it.
public struct BlockInFileModule: RemoteModule {
    /// The module's name, `blockinfile` (also reached as `ansible.builtin.blockinfile`).
    public let name = "blockinfile"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `blockinfile` parameters plus the common file attributes (`mode`, `owner`, `group`, SELinux, `attributes`).
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("path", .path, required: true, aliases: ["dest", "destfile", "name"]),
            .init("state", default: "present", choices: ["absent", "present"]),
            .init("marker", default: "# {mark} ANSIBLE MANAGED BLOCK"), .init("block", default: "", aliases: ["content"]),
            .init("insertafter"), .init("insertbefore"), .init("create", .bool, default: false),
            .init("backup", .bool, default: false), .init("marker_begin", default: "BEGIN"), .init("marker_end", default: "END"),
            .init("append_newline", .bool, default: false), .init("prepend_newline", .bool, default: false), .init("validate"),
        ] + FileAttributesHelper.parameters, mutuallyExclusive: [["insertbefore", "insertafter"]])
    }

    /// Inserts, updates or removes the marked block and writes the file only when it changed; a missing file without `create` fails with rc 257.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let ops = RemoteFileOps(connection, invocation)
        let path = try ops.expandUser(args["path"]?.stringValue ?? "")
        let editor = TextFileEditor(ops: ops, args: args, invocation: invocation, path: path)
        let (stat, original) = try editor.load()
        if !stat.exists && !(args["create"]?.isTruthy ?? false) {
            throw ModuleFailure("Path \(path) does not exist !", ["rc": 257])
        }
        let present = args["state"]?.stringValue != "absent"
        if !present && !stat.exists { return ["changed": false, "msg": .string("File \(path) not present")] }
        var lines = TextFileEditor.lines(original)
        var insertAfter = args["insertafter"]?.stringValue
        let insertBefore = args["insertbefore"]?.stringValue
        if insertAfter == nil && insertBefore == nil { insertAfter = "EOF" }
        var insertRegex: PythonRegex?
        if let a = insertAfter, a != "EOF" { insertRegex = try PythonRegex(a) }
        else if let b = insertBefore, b != "BOF" { insertRegex = try PythonRegex(b) }

        let marker = args["marker"]?.stringValue ?? "# {mark} ANSIBLE MANAGED BLOCK"
        let begin = marker.replacingOccurrences(of: "{mark}", with: args["marker_begin"]?.stringValue ?? "BEGIN") + "\n"
        let end = marker.replacingOccurrences(of: "{mark}", with: args["marker_end"]?.stringValue ?? "END") + "\n"
        var block = args["block"]?.stringValue ?? ""
        var blockLines: [String] = []
        if present && !block.isEmpty {
            if block.unicodeScalars.last != "\n" { block += "\n" }
            blockLines = [begin] + TextFileEditor.lines(block) + [end]
        }
        var n0: Int?, n1: Int?
        for (i, l) in lines.enumerated() {
            if l == begin { n0 = i }
            if l == end { n1 = i }
        }
        var at: Int
        if let b = n0, let e = n1 {
            if b < e { lines.removeSubrange(b...e); at = b } else { lines.removeSubrange(e...b); at = e }
        } else if let insertRegex {
            var hit: Int?
            if insertRegex.hasGlobalMultilineFlag {
                // ansible-core searches the whole file with a `(?m)` pattern, so it may span
                // lines; the hit is the line holding the match's end (after) or start (before).
                if let m = insertRegex.firstMatch(in: original) {
                    let offset = insertAfter != nil ? NSMaxRange(m.range) : m.range.location
                    hit = (original as NSString).substring(to: offset).unicodeScalars.filter { $0 == "\n" }.count
                }
            } else {
                for (i, l) in lines.enumerated() where insertRegex.matches(l) { hit = i }
            }
            if let hit { at = insertAfter != nil ? hit + 1 : hit } else { at = lines.count }
        } else if insertBefore != nil {
            at = 0
        } else {
            at = lines.count
        }
        if at > 0 && lines[at - 1].unicodeScalars.last != "\n" { lines[at - 1] += "\n" }
        if (args["prepend_newline"]?.isTruthy ?? false) && present && at != 0 && lines[at - 1] != "\n" {
            lines.insert("\n", at: at)
            at += 1
        }
        lines.insert(contentsOf: blockLines, at: at)
        if (args["append_newline"]?.isTruthy ?? false) && present {
            let after = at + blockLines.count
            if after < lines.count && lines[after] != "\n" { lines.insert("\n", at: after) }
        }
        let result = lines.joined()
        let msg: String, changed: Bool
        if stat.exists && original == result { msg = ""; changed = false }
        else if !stat.exists { msg = "File created"; changed = true }
        else if blockLines.isEmpty { msg = "Block removed"; changed = true }
        else { msg = "Block inserted"; changed = true }
        var contentDiff = editor.contentDiff(before: original, after: result)
        if !stat.exists { contentDiff["before"] = "" }
        if invocation.checkMode && !stat.exists {
            return ["changed": .bool(changed), "msg": .string(msg), "diff": .dict(contentDiff)]
        }
        let outcome = try editor.commit(result, changed: changed, stat: stat, message: msg)
        var r: OrderedDict = ["changed": .bool(outcome.changed), "msg": .string(outcome.message),
                              "diff": [.dict(contentDiff), .dict(outcome.attributeDiff)]]
        if !outcome.backup.isEmpty { r["backup_file"] = .string(outcome.backup) }
        return .dict(r)
    }
}
