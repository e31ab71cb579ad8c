import Foundation
import Jinja

/// The before/after pair Ansible reports under `diff`.
public struct FileDiff: Sendable {
    /// The state before the change.
    public var before = OrderedDict()
    /// The state after the change.
    public var after = OrderedDict()
    /// An empty diff; with `path`, both sides name it (as Ansible's `initial_diff`).
    public init(path: String? = nil) {
        if let path {
            before["path"] = .string(path)
            after["path"] = .string(path)
        }
    }
    /// The diff as a result value.
    public var value: Value { ["before": .dict(before), "after": .dict(after)] }
}

/// Ownership and permission arguments every file module shares (`mode`, `owner`,
/// `group`), applied the way Ansible's `set_fs_attributes_if_different` does.
public struct FileAttributesHelper {
    /// `mode:` as given (octal string, int or symbolic).
    public var mode: Value?
    /// `owner:` (name or uid).
    public var owner: String?
    /// `group:` (name or gid).
    public var group: String?

    /// Attributes to enforce; nil leaves that attribute alone.
    public init(mode: Value?, owner: String?, group: String?) {
        self.mode = mode
        self.owner = owner
        self.group = group
    }

    /// Reads `mode`, `owner` and `group` from validated module arguments.
    public init(_ args: OrderedDict) {
        mode = args["mode"].flatMap { $0.isNull ? nil : $0 }
        owner = args["owner"]?.stringValue
        group = args["group"]?.stringValue
    }

    /// True when no attribute was asked for.
    public var isEmpty: Bool { mode == nil && owner == nil && group == nil }

    /// The common arguments of file modules, for their ``ArgumentSpec``.
    static var parameters: [ArgumentSpec.Parameter] {
        [.init("mode", .raw), .init("owner"), .init("group"), .init("seuser"), .init("serole"), .init("selevel"),
         .init("setype"), .init("attributes", aliases: ["attr"]), .init("unsafe_writes", .bool, default: false)]
    }

    /// The permission bits `mode` asks for, given the file's current state.
    func targetMode(for stat: RemoteStat, path: String) throws -> UInt32? {
        guard let mode else { return nil }
        do {
            return try ModeParser.resolve(mode, current: stat.mode, isDirectory: stat.isDirectory, umask: stat.umask)
        } catch let e as ModeParser.InvalidMode {
            throw ModuleFailure(e.message, ["path": .string(path), "details": .string(e.details)])
        }
    }

    /// Brings owner, group and mode of `path` to what was asked. Returns whether
    /// something changed (or would, in check mode); records before/after in `diff`.
    public func apply(to path: String, stat: RemoteStat, ops: RemoteFileOps, checkMode: Bool,
                      diff: inout FileDiff, followLinks: Bool = false) throws -> Bool {
        guard stat.exists, !isEmpty else { return false }
        var changed = false
        let quoted = shellQuote(path)
        let h = followLinks ? "" : "-h "
        if let owner {
            // The name stat already reported needs no lookup round trip.
            let uid = owner == stat.owner ? stat.uid : try resolve(owner, kind: "user", ops: ops)
            if uid != stat.uid {
                diff.before["owner"] = .int(stat.uid)
                diff.after["owner"] = .int(uid)
                if !checkMode { try ops.mustRun("chown \(h)\(uid) -- \(quoted)", "chown failed") }
                changed = true
            }
        }
        if let group {
            let gid = group == stat.group ? stat.gid : try resolve(group, kind: "group", ops: ops)
            if gid != stat.gid {
                diff.before["group"] = .int(stat.gid)
                diff.after["group"] = .int(gid)
                if !checkMode { try ops.mustRun("chgrp \(h)\(gid) -- \(quoted)", "chgrp failed") }
                changed = true
            }
        }
        // Linux cannot change a symlink's own permissions; Ansible leaves them alone.
        if let wanted = try targetMode(for: stat, path: path), !(stat.isLink && !followLinks), wanted != stat.mode {
            diff.before["mode"] = .string(ModeParser.format(stat.mode))
            diff.after["mode"] = .string(ModeParser.format(wanted))
            if !checkMode {
                try ops.mustRun("chmod \(String(wanted, radix: 8)) -- \(quoted)", "chmod failed")
            }
            changed = true
        }
        return changed
    }

    /// A user or group id from a name or number, looked up on the host.
    func resolve(_ name: String, kind: String, ops: RemoteFileOps) throws -> Int {
        if let id = Int(name) { return id }
        let database = kind == "user" ? "passwd" : "group"
        let r = try ops.shell("getent \(database) \(shellQuote(name)) | cut -d: -f3")
        let text = String(decoding: r.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let id = Int(text) else {
            let verb = kind == "user" ? "chown" : "chgrp"
            throw ModuleFailure("\(verb) failed: failed to look up \(kind) \(name)")
        }
        return id
    }

    /// Ansible's `add_path_info`: owner, group, mode, state and size of `path` under
    /// `key` (`path` or `dest`).
    public static func pathInfo(_ stat: RemoteStat, key: String = "path", into result: inout OrderedDict) {
        result[key] = .string(stat.path)
        // Like os.path.exists: nothing is added for a missing path or a dangling link.
        guard stat.exists, !(stat.isLink && !stat.targetExists) else { return }
        result["uid"] = .int(stat.uid)
        result["gid"] = .int(stat.gid)
        result["owner"] = .string(stat.owner ?? String(stat.uid))
        result["group"] = .string(stat.group ?? String(stat.gid))
        result["mode"] = .string(ModeParser.format(stat.mode))
        result["state"] = .string(stat.fileState)
        result["size"] = .int(Int(stat.size))
    }
}
