import Foundation
import Jinja

/// The common life cycle of modules that edit a text file in place (`lineinfile`,
/// `blockinfile`, `replace`): read it, let the module compute the new text, then write
/// it atomically with backup and validation and apply ownership/permissions.
struct TextFileEditor {
    let ops: RemoteFileOps
    let args: OrderedDict
    let invocation: ModuleInvocation
    let path: String

    init(ops: RemoteFileOps, args: OrderedDict, invocation: ModuleInvocation, path: String) {
        self.ops = ops
        self.args = args
        self.invocation = invocation
        self.path = path
    }

    /// The file's status (following links, as open() does) and its text ("" when absent).
    func load() throws -> (stat: RemoteStat, text: String) {
        let stat = try ops.stat(path, follow: true)
        if stat.isDirectory { throw ModuleFailure("Path \(path) is a directory !", ["rc": 256]) }
        guard stat.exists else { return (stat, "") }
        return (stat, String(decoding: try ops.read(path), as: UTF8.self))
    }

    /// Whether `line` ends in "\n" or "\r" (scalar-wise: Swift sees "\r\n" as one character).
    static func endsWithNewline(_ line: String) -> Bool {
        let last = line.unicodeScalars.last
        return last == "\n" || last == "\r"
    }

    /// Python's `readlines()`: lines split after each "\n", endings kept.
    static func lines(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in text.unicodeScalars {
            current.unicodeScalars.append(ch)
            if ch == "\n" { out.append(current); current = "" }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// Writes `text` when `changed` (not in check mode), then applies attributes.
    /// Returns the backup path ("" when none), the final changed flag, the message and
    /// the file-attribute diff entry.
    func commit(_ text: String, changed: Bool, stat: RemoteStat, message: String) throws
        -> (backup: String, changed: Bool, message: String, attributeDiff: OrderedDict) {
        var backup = ""
        if changed && !invocation.checkMode {
            // ansible-core backs up first, so a failed validation still leaves the backup.
            if (args["backup"]?.isTruthy ?? false) && stat.exists {
                backup = try ops.backup(path)
            }
            if let validate = args["validate"]?.stringValue {
                try ops.validate(validate, data: Data(text.utf8), near: path, brief: true)
            }
            let parent = (path as NSString).deletingLastPathComponent
            if !stat.exists && !parent.isEmpty {
                try ops.mustRun("mkdir -p -- \(shellQuote(parent))", "Error creating \(parent)")
            }
            try ops.write(Data(text.utf8), to: path, replacing: stat)
        }
        var diff = FileDiff()
        var finalChanged = changed
        var msg = message
        let attributes = FileAttributesHelper(args)
        if !attributes.isEmpty && !(invocation.checkMode && !stat.exists) {
            let current = invocation.checkMode ? stat : try ops.stat(path, follow: true)
            if try attributes.apply(to: path, stat: current, ops: ops, checkMode: invocation.checkMode, diff: &diff, followLinks: true) {
                msg = finalChanged ? msg + " and ownership, perms or SE linux context changed" : "ownership, perms or SE linux context changed"
                finalChanged = true
            }
        }
        var attributeDiff = OrderedDict()
        if !diff.before.isEmpty { attributeDiff["before"] = .dict(diff.before) }
        if !diff.after.isEmpty { attributeDiff["after"] = .dict(diff.after) }
        attributeDiff["before_header"] = .string("\(path) (file attributes)")
        attributeDiff["after_header"] = .string("\(path) (file attributes)")
        return (backup, finalChanged, msg, attributeDiff)
    }

    /// The content diff entry (`before`/`after` only filled in diff mode, like Ansible).
    func contentDiff(before: String, after: String) -> OrderedDict {
        var d = OrderedDict()
        d["before"] = .string(invocation.diff ? before : "")
        d["after"] = .string(invocation.diff ? after : "")
        d["before_header"] = .string("\(path) (content)")
        d["after_header"] = .string("\(path) (content)")
        return d
    }
}
