import Foundation
import Jinja

/// `file`: creates, removes and links files and directories and sets their ownership,
/// permissions and timestamps.
public struct FileModule: RemoteModule {
    /// The module's name, `file` (also reached as `ansible.builtin.file`).
    public let name = "file"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `file` parameters plus the common file attributes (`mode`, `owner`, `group`, SELinux, `attributes`).
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("path", .path, required: true, aliases: ["dest", "name"]),
            .init("state", choices: ["absent", "directory", "file", "hard", "link", "touch"]),
            .init("src", .path), .init("recurse", .bool, default: false), .init("force", .bool, default: false),
            .init("follow", .bool, default: true),
            .init("modification_time"), .init("modification_time_format", default: "%Y%m%d%H%M.%S"),
            .init("access_time"), .init("access_time_format", default: "%Y%m%d%H%M.%S"),
            .init("_original_basename"), .init("_diff_peek"),
        ] + FileAttributesHelper.parameters)
    }

    struct Context {
        var args: OrderedDict
        var ops: RemoteFileOps
        var attributes: FileAttributesHelper
        var checkMode: Bool
        var follow: Bool
        var force: Bool
    }

    /// Brings `path` to the requested `state` and attributes; reports `changed` and, with `--diff`, before/after states.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let ops = RemoteFileOps(connection, invocation)
        let path = try ops.expandUser(args["path"]?.stringValue ?? "")
        do {
            return try run(args, path: path, ops: ops, invocation: invocation)
        } catch var failure as ModuleFailure {
            // Like fail_json: a failure about a path also describes that path.
            if failure.result["path"] == nil && failure.result["dest"] == nil { failure.result["path"] = .string(path) }
            let key = failure.result["path"] != nil ? "path" : "dest"
            if let p = failure.result[key]?.stringValue, failure.result["uid"] == nil {
                let stat = try ops.stat(p)
                var info = OrderedDict()
                FileAttributesHelper.pathInfo(stat, key: key, into: &info)
                for (k, v) in info where failure.result[k] == nil { failure.result[k] = v }
            }
            throw failure
        }
    }

    private func run(_ args: OrderedDict, path givenPath: String, ops: RemoteFileOps, invocation: ModuleInvocation) throws -> Value {
        var path = givenPath
        let src = args["src"]?.stringValue
        var state = args["state"]?.stringValue
        let recurse = args["recurse"]?.isTruthy ?? false
        var stat = try ops.stat(path)

        let pointsToDirectory = stat.isLink && stat.targetExists ? try ops.stat(path, follow: true).isDirectory : false
        if state != "link" && state != "absent", stat.exists, stat.isDirectory || pointsToDirectory {
            if let base = args["_original_basename"]?.stringValue ?? src.map({ ($0 as NSString).lastPathComponent }) {
                path = (path as NSString).appendingPathComponent(base)
                stat = try ops.stat(path)
            }
        }
        if state == nil {
            state = stat.exists ? stat.fileState : (recurse ? "directory" : "file")
        }
        if recurse && state != "directory" {
            throw ModuleFailure("recurse option requires state to be 'directory'", ["path": .string(path)])
        }
        if src != nil && state != "link" && state != "hard" {
            throw ModuleFailure("src option requires state to be 'link' or 'hard'", ["path": .string(path)])
        }
        let attributes = FileAttributesHelper(args)
        if invocation.checkMode && state != "absent" {
            if let owner = attributes.owner { _ = try attributes.resolve(owner, kind: "user", ops: ops) }
            if let group = attributes.group { _ = try attributes.resolve(group, kind: "group", ops: ops) }
        }
        let context = Context(args: args, ops: ops, attributes: attributes, checkMode: invocation.checkMode,
                              follow: args["follow"]?.isTruthy ?? true, force: args["force"]?.isTruthy ?? false)
        var result: OrderedDict
        switch state {
        case "absent": result = try ensureAbsent(path, stat, context)
        case "directory": result = try ensureDirectory(path, stat, recurse: recurse, context)
        case "link": result = try ensureSymlink(path, src: src, stat, context)
        case "hard": result = try ensureHardlink(path, src: src, stat, context)
        case "touch": result = try touch(path, stat, context)
        default: result = try ensureFile(path, stat, context)
        }
        if !invocation.diff { result["diff"] = nil }
        // Like AnsibleModule.exit_json: describe the path as it is now.
        let key = result["dest"] != nil ? "dest" : "path"
        if let finalPath = result[key]?.stringValue, result["state"]?.stringValue != "absent" {
            let final = try ops.stat(finalPath)
            FileAttributesHelper.pathInfo(final, key: key, into: &result)
        }
        return .dict(result)
    }

    private func initialDiff(_ path: String, state: String, previous: String) -> FileDiff {
        var diff = FileDiff(path: path)
        if state != previous {
            diff.before["state"] = .string(previous)
            diff.after["state"] = .string(state)
        }
        return diff
    }

    /// Follows a symlink to what it points at (os.path.realpath on the host).
    private func resolved(_ path: String, _ context: Context) throws -> (String, RemoteStat) {
        let out = try context.ops.mustRun("readlink -m -- \(shellQuote(path))", "Could not resolve \(path)")
        let real = out.trimmingCharacters(in: .newlines)
        return (real, try context.ops.stat(real))
    }

    // MARK: states

    private func ensureFile(_ path: String, _ stat: RemoteStat, _ context: Context) throws -> OrderedDict {
        var path = path, stat = stat
        if context.follow && stat.isLink {
            (path, stat) = try resolved(path, context)
        }
        let previous = stat.fileState
        guard previous == "file" || previous == "hard" else {
            throw ModuleFailure("file (\(path)) is \(previous), cannot continue", ["path": .string(path), "state": .string(previous)])
        }
        var diff = initialDiff(path, state: "file", previous: previous)
        var changed = try context.attributes.apply(to: path, stat: stat, ops: context.ops, checkMode: context.checkMode, diff: &diff)
        changed = try updateTimes(path, stat, context, defaultNow: false, diff: &diff) || changed
        return ["path": .string(path), "changed": .bool(changed), "diff": diff.value]
    }

    private func ensureDirectory(_ path: String, _ stat: RemoteStat, recurse: Bool, _ context: Context) throws -> OrderedDict {
        var path = path, stat = stat
        if context.follow && stat.isLink {
            (path, stat) = try resolved(path, context)
        }
        let previous = stat.fileState
        var diff = initialDiff(path, state: "directory", previous: previous)
        var changed = false
        if previous == "absent" {
            if context.checkMode { return ["path": .string(path), "changed": true, "diff": diff.value] }
            // Create each missing level and give it the requested attributes, as Ansible does.
            let created = try context.ops.mustRun("""
            p=\(shellQuote(path)); missing=''; c="$p"
            while [ -n "$c" ] && [ "$c" != / ] && [ "$c" != . ] && [ ! -e "$c" ]; do missing="$c
            $missing"; c=$(dirname -- "$c"); done
            mkdir -p -- "$p" && printf '%s' "$missing"
            """, "There was an issue creating \(path) as requested")
            // Every created level shares the diff, as in Ansible (the last one's mode shows).
            for level in created.split(separator: "\n").map(String.init) where !level.isEmpty {
                let levelStat = try context.ops.stat(level)
                _ = try context.attributes.apply(to: level, stat: levelStat, ops: context.ops, checkMode: false, diff: &diff)
            }
            changed = true
            stat = try context.ops.stat(path)
            _ = try updateTimes(path, stat, context, defaultNow: false, diff: &diff)
            if recurse { _ = try recursivelyApply(path, context) }
            return ["path": .string(path), "changed": true, "diff": diff.value]
        }
        guard previous == "directory" else {
            throw ModuleFailure("\(path) already exists as a \(previous)", ["path": .string(path)])
        }
        changed = try context.attributes.apply(to: path, stat: stat, ops: context.ops, checkMode: context.checkMode, diff: &diff)
        changed = try updateTimes(path, stat, context, defaultNow: false, diff: &diff) || changed
        if recurse { changed = try recursivelyApply(path, context) || changed }
        return ["path": .string(path), "changed": .bool(changed), "diff": diff.value]
    }

    /// Applies owner, group and mode to everything below `path` (one listing round trip).
    private func recursivelyApply(_ path: String, _ context: Context) throws -> Bool {
        guard !context.attributes.isEmpty else { return false }
        let listing = try context.ops.mustRun(
            "printf 'umask='; umask; find \(context.follow ? "-L " : "")\(shellQuote(path)) -mindepth 1 -exec stat -c 'stat=%f|%s|%u|%g|%U|%G|%.9X|%.9Y|%.9Z|%i|%d|%h|%b|%o|%t|%T|%n' {} +",
            "Could not recursively set attributes on \(path)")
        var umask: UInt32 = 0o022
        var changed = false
        var commands: [String] = []
        var ownerID: Int?, groupID: Int?
        if let owner = context.attributes.owner { ownerID = try context.attributes.resolve(owner, kind: "user", ops: context.ops) }
        if let group = context.attributes.group { groupID = try context.attributes.resolve(group, kind: "group", ops: context.ops) }
        for line in listing.split(separator: "\n") {
            if line.hasPrefix("umask=") { umask = UInt32(line.dropFirst(6), radix: 8) ?? umask; continue }
            let fields = line.split(separator: "|", maxSplits: 16, omittingEmptySubsequences: false)
            guard fields.count == 17 else { continue }
            let entryPath = String(fields[16])
            var entry = RemoteStat.parse("exists=1\nstat=" + line.dropFirst(5), path: entryPath)
            entry.umask = umask
            let q = shellQuote(entryPath)
            if let ownerID, ownerID != entry.uid { commands.append("chown -h \(ownerID) -- \(q)") }
            if let groupID, groupID != entry.gid { commands.append("chgrp -h \(groupID) -- \(q)") }
            if !entry.isLink, let wanted = try context.attributes.targetMode(for: entry, path: entryPath), wanted != entry.mode {
                commands.append("chmod \(String(wanted, radix: 8)) -- \(q)")
            }
        }
        if !commands.isEmpty {
            changed = true
            if !context.checkMode {
                try context.ops.mustRun(commands.joined(separator: " &&\n"), "Could not recursively set attributes on \(path)")
            }
        }
        return changed
    }

    private func ensureAbsent(_ path: String, _ stat: RemoteStat, _ context: Context) throws -> OrderedDict {
        guard stat.exists else { return ["path": .string(path), "changed": false, "state": "absent"] }
        var diff = initialDiff(path, state: "absent", previous: stat.fileState)
        if stat.isDirectory {
            let q = shellQuote(path)
            let listing = try context.ops.shell("find \(q) -mindepth 1 -type d; echo ::files::; find \(q) -mindepth 1 ! -type d")
            let parts = String(decoding: listing.stdout, as: UTF8.self).components(separatedBy: "::files::\n")
            func lines(_ s: String?) -> Value { .list((s ?? "").split(separator: "\n").map { .string(String($0)) }) }
            diff.before["path_content"] = ["directories": lines(parts.first), "files": lines(parts.count > 1 ? parts[1] : nil)]
        }
        if !context.checkMode {
            try context.ops.mustRun("rm -rf -- \(shellQuote(path))", stat.isDirectory ? "rmtree failed" : "Unlinking failed.")
        }
        return ["path": .string(path), "changed": true, "diff": diff.value, "state": "absent"]
    }

    private func touch(_ path: String, _ stat: RemoteStat, _ context: Context) throws -> OrderedDict {
        let previous = stat.fileState
        var changed = false
        if previous == "absent" {
            if context.checkMode { return ["dest": .string(path), "changed": true] }
            try context.ops.mustRun(": >> \(shellQuote(path))", "Error, could not touch target.")
            changed = true
        }
        var diff = initialDiff(path, state: "touch", previous: previous)
        let current = previous == "absent" ? try context.ops.stat(path) : stat
        do {
            changed = try context.attributes.apply(to: path, stat: current, ops: context.ops, checkMode: context.checkMode, diff: &diff) || changed
        } catch {
            if previous == "absent" { _ = try? context.ops.shell("rm -f -- \(shellQuote(path))") }
            throw error
        }
        changed = try updateTimes(path, try context.ops.stat(path), context, defaultNow: true, diff: &diff) || changed
        return ["dest": .string(path), "changed": .bool(changed), "diff": diff.value]
    }

    private func ensureSymlink(_ path: String, src: String?, _ stat: RemoteStat, _ context: Context) throws -> OrderedDict {
        var src = src
        let previous = stat.fileState
        if src == nil && context.follow && stat.exists && stat.isLink {
            src = stat.linkTarget
        }
        let base = (!stat.isLink && stat.isDirectory) ? path : (path as NSString).deletingLastPathComponent
        if let src, !context.force {
            let absolute = src.hasPrefix("/") ? src : (base as NSString).appendingPathComponent(src)
            if !(try context.ops.stat(absolute, follow: true)).exists {
                throw ModuleFailure("src file does not exist, use 'force=yes' if you really want to create the link: \(absolute)",
                                    ["path": .string(path), "src": .string(src)])
            }
        }
        if previous == "directory" {
            if !context.force {
                throw ModuleFailure("refusing to convert from \(previous) to symlink for \(path)", ["path": .string(path)])
            }
            let r = try context.ops.shell("ls -A -- \(shellQuote(path))")
            if !r.stdout.isEmpty {
                throw ModuleFailure("the directory \(path) is not empty, refusing to convert it", ["path": .string(path)])
            }
        } else if (previous == "file" || previous == "hard") && !context.force {
            throw ModuleFailure("refusing to convert from \(previous) to symlink for \(path)", ["path": .string(path)])
        }
        var diff = initialDiff(path, state: "link", previous: previous)
        var changed = false
        if previous == "link" {
            if let src, src != stat.linkTarget {
                diff.before["src"] = stat.linkTarget.map(Value.string) ?? .null
                diff.after["src"] = .string(src)
                changed = true
            }
        } else {
            guard src != nil else { throw ModuleFailure("src is required for creating new symlinks") }
            changed = true
        }
        if changed && !context.checkMode, let src {
            let q = shellQuote(path)
            let removeDir = previous == "directory" ? "rmdir -- \(q) && " : ""
            try context.ops.mustRun("\(removeDir)ln -sfn -- \(shellQuote(src)) \(q)", "Error while linking")
        }
        if !context.checkMode || !changed {
            let current = try context.ops.stat(path)
            changed = try context.attributes.apply(to: path, stat: current, ops: context.ops, checkMode: context.checkMode, diff: &diff) || changed
        }
        return ["dest": .string(path), "src": src.map(Value.string) ?? .null, "changed": .bool(changed), "diff": diff.value]
    }

    private func ensureHardlink(_ path: String, src: String?, _ stat: RemoteStat, _ context: Context) throws -> OrderedDict {
        guard let src else { throw ModuleFailure("src is required for creating new hardlinks") }
        let source = try context.ops.stat(src)
        guard source.exists else { throw ModuleFailure("src does not exist", ["dest": .string(path), "src": .string(src)]) }
        let previous = stat.fileState
        var diff = initialDiff(path, state: "hard", previous: previous)
        var changed = false
        let failureInfo: OrderedDict = ["dest": .string(path), "src": .string(src)]
        switch previous {
        case "absent": changed = true
        case "link":
            if stat.linkTarget != src {
                diff.before["src"] = stat.linkTarget.map(Value.string) ?? .null
                diff.after["src"] = .string(src)
                changed = true
            }
        case "hard":
            if stat.inode != source.inode || stat.dev != source.dev {
                changed = true
                if !context.force { throw ModuleFailure("Cannot link, different hard link exists at destination", failureInfo) }
            }
        case "file":
            changed = true
            if !context.force { throw ModuleFailure("Cannot link, file exists at destination", failureInfo) }
        default:
            let target = try context.ops.stat(path, follow: true)
            if target.inode == source.inode && target.dev == source.dev { return ["path": .string(path), "changed": false] }
            if !context.force { throw ModuleFailure("Cannot link: different hard link exists at destination", failureInfo) }
            changed = true
        }
        if changed && !context.checkMode {
            try context.ops.mustRun("ln -f -- \(shellQuote(src)) \(shellQuote(path))", "Error while linking")
        }
        if !context.checkMode || !changed {
            let current = try context.ops.stat(path)
            changed = try context.attributes.apply(to: path, stat: current, ops: context.ops, checkMode: context.checkMode, diff: &diff) || changed
        }
        return ["dest": .string(path), "src": .string(src), "changed": .bool(changed), "diff": diff.value]
    }

    // MARK: timestamps

    /// `modification_time` / `access_time`: "now", "preserve" or a time in the given format.
    private func updateTimes(_ path: String, _ stat: RemoteStat, _ context: Context, defaultNow: Bool, diff: inout FileDiff) throws -> Bool {
        let now = Date().timeIntervalSince1970
        func target(_ key: String) throws -> Double? {
            let raw = context.args[key]?.stringValue ?? (defaultNow ? "now" : "preserve")
            if raw == "preserve" { return nil }
            if raw == "now" { return now }
            let format = context.args[key + "_format"]?.stringValue ?? "%Y%m%d%H%M.%S"
            guard var parsed = FileModule.parseTime(raw, format: format) else {
                throw ModuleFailure("Error while obtaining timestamp for time \(raw) using format \(format): time data '\(raw)' does not match format '\(format)'")
            }
            parsed.tm_isdst = -1
            return Double(mktime(&parsed))
        }
        let mtime = try target("modification_time"), atime = try target("access_time")
        if mtime == nil && atime == nil { return false }
        let newM = mtime ?? stat.mtime, newA = atime ?? stat.atime
        if newM == stat.mtime && newA == stat.atime { return false }
        diff.before["mtime"] = .float(stat.mtime)
        diff.before["atime"] = .float(stat.atime)
        diff.after["mtime"] = .float(newM)
        diff.after["atime"] = .float(newA)
        if !context.checkMode {
            let q = shellQuote(path)
            try context.ops.mustRun("touch -h -m -d @\(String(format: "%.9f", newM)) -- \(q) && touch -h -a -d @\(String(format: "%.9f", newA)) -- \(q)",
                                    "Error while updating modification or access time")
        }
        return true
    }

    /// A small `strptime` for the numeric directives (%Y %y %m %d %H %M %S %%) that
    /// timestamp formats use.
    static func parseTime(_ text: String, format: String) -> tm? {
        var result = tm()
        result.tm_mday = 1
        var input = Substring(text)
        var fmt = Substring(format)
        func number(_ maxDigits: Int) -> Int? {
            let digits = input.prefix(maxDigits).prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let n = Int(digits) else { return nil }
            input = input.dropFirst(digits.count)
            return n
        }
        while let f = fmt.first {
            fmt = fmt.dropFirst()
            if f == "%" {
                guard let d = fmt.first else { return nil }
                fmt = fmt.dropFirst()
                switch d {
                case "Y": guard let n = number(4) else { return nil }; result.tm_year = Int32(n - 1900)
                case "y": guard let n = number(2) else { return nil }; result.tm_year = Int32(n < 69 ? n + 100 : n)
                case "m": guard let n = number(2), (1...12).contains(n) else { return nil }; result.tm_mon = Int32(n - 1)
                case "d": guard let n = number(2), (1...31).contains(n) else { return nil }; result.tm_mday = Int32(n)
                case "H": guard let n = number(2), n < 24 else { return nil }; result.tm_hour = Int32(n)
                case "M": guard let n = number(2), n < 60 else { return nil }; result.tm_min = Int32(n)
                case "S": guard let n = number(2), n < 62 else { return nil }; result.tm_sec = Int32(n)
                case "%": guard input.first == "%" else { return nil }; input = input.dropFirst()
                default: return nil
                }
            } else {
                guard input.first == f else { return nil }
                input = input.dropFirst()
            }
        }
        return input.isEmpty ? result : nil
    }
}
