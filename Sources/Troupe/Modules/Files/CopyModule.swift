import Foundation
import Jinja

/// The host side of `copy` (and `template`): puts bytes at `dest` atomically when they
/// differ, with backup, validation and ownership/permissions. The controller-side
/// ``CopyAction`` hands it a controller file (`_troupe_local_src`) or rendered text
/// (`_troupe_content`); with `remote_src` it copies a file already on the host.
public struct CopyModule: RemoteModule {
    /// The module's name, `copy` (also reached as `ansible.builtin.copy`).
    public let name = "copy"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `copy` parameters plus the common file attributes (`mode`, `owner`, `group`, SELinux, `attributes`), and the private `_troupe_*` keys the controller side passes.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("src", .path), .init("content"), .init("dest", .path, required: true),
            .init("backup", .bool, default: false), .init("force", .bool, default: true),
            .init("validate"), .init("directory_mode", .raw), .init("remote_src", .bool, default: false),
            .init("local_follow", .bool), .init("follow", .bool, default: false), .init("checksum"),
            .init("decrypt", .bool, default: true), .init("_original_basename"),
            .init("_troupe_local_src"), .init("_troupe_content"), .init("_troupe_content_base64"), .init("_troupe_diff_header"),
        ] + FileAttributesHelper.parameters)
    }

    /// Installs the bytes at `dest` (atomically, with backup/validate) when the checksum differs; in check mode only reports.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let ops = RemoteFileOps(connection, invocation)
        let givenDest = args["dest"]?.stringValue ?? ""
        var dest = try ops.expandUser(givenDest)
        let src = args["src"]?.stringValue
        let remoteSrc = args["remote_src"]?.isTruthy ?? false

        // The bytes to install.
        let data: Data
        var diffHeader = args["_troupe_diff_header"]?.stringValue
        if let local = args["_troupe_local_src"]?.stringValue {
            guard let d = FileManager.default.contents(atPath: local) else {
                throw ModuleFailure("Could not find or access '\(local)' on the Ansible Controller.")
            }
            data = d
        } else if let encoded = args["_troupe_content_base64"]?.stringValue, let bytes = Data(base64Encoded: encoded) {
            // Text the controller already encoded (template's output_encoding).
            data = bytes
            if diffHeader == nil { diffHeader = dest }
        } else if let text = args["_troupe_content"]?.stringValue ?? args["content"]?.stringValue {
            data = Data(text.utf8)
            if diffHeader == nil { diffHeader = dest }
        } else if let src, remoteSrc {
            let srcStat = try ops.stat(src, follow: true)
            guard srcStat.exists else { throw ModuleFailure("Source \(src) not found") }
            guard srcStat.readable else { throw ModuleFailure("Source \(src) not readable") }
            if srcStat.isDirectory {
                return try RemoteTreeCopy(ops: ops, args: args, checkMode: invocation.checkMode).copy(src: src, dest: dest)
            }
            data = try ops.read(src)
            if diffHeader == nil { diffHeader = src }
        } else {
            throw ModuleFailure("src (or content) is required")
        }
        let basename = args["_original_basename"]?.stringValue ?? src.map { ($0 as NSString).lastPathComponent }

        // A directory destination receives the file under its own name.
        // With its checksum: the comparison below then needs no round trip of its own.
        var destStat = try ops.stat(dest, checksum: "sha1")
        let linkToDirectory = destStat.isLink ? try ops.stat(dest, follow: true).isDirectory : false
        if givenDest.hasSuffix("/") || destStat.isDirectory || linkToDirectory {
            guard let basename else { throw ModuleFailure("can not use content with a dir as dest", ["diff": []]) }
            if !destStat.exists {
                if invocation.checkMode {
                    var r: OrderedDict = ["changed": true]
                    if invocation.diff {
                        r["diff"] = [["before": "", "after": .string(ContentWriter.diffText(data)),
                                      "after_header": .string(diffHeader ?? src ?? dest)]]
                    }
                    return .dict(r)
                }
                try ops.mustRun("mkdir -p -- \(shellQuote(dest))", "Could not create directory \(dest)")
            }
            dest = (dest as NSString).appendingPathComponent(basename)
            destStat = try ops.stat(dest, checksum: "sha1")
        }
        let requestedDest = dest
        if args["follow"]?.isTruthy ?? false, destStat.isLink {
            let real = try ops.mustRun("readlink -m -- \(shellQuote(dest))", "Could not resolve \(dest)").trimmingCharacters(in: .newlines)
            dest = real
            destStat = try ops.stat(dest)
        }
        let checksum = SHA1.hex(data)
        if let expected = args["checksum"]?.stringValue, !expected.isEmpty, expected != checksum {
            throw ModuleFailure("Copied file does not match the expected checksum. Transfer failed.",
                                ["checksum": .string(checksum), "expected_checksum": .string(expected)])
        }
        let writer = ContentWriter(ops: ops, args: args, checkMode: invocation.checkMode)
        return .dict(try writer.install(data, at: dest, existing: destStat, checksum: checksum, src: src,
                                        diffHeader: diffHeader ?? src ?? dest,
                                        // Ansible shows no content diff for files copied on the host.
                                        wantDiff: invocation.diff && !(remoteSrc && args["_troupe_local_src"] == nil),
                                        force: args["force"]?.isTruthy ?? true, beforeHeader: requestedDest))
    }
}

/// Installs file content the way `copy` does and builds its result.
struct ContentWriter {
    let ops: RemoteFileOps
    let args: OrderedDict
    let checkMode: Bool

    /// Installs `data` at `dest` when it differs (checksum), then applies attributes.
    func install(_ data: Data, at dest: String, existing: RemoteStat, checksum: String, src: String?,
                 diffHeader: String, wantDiff: Bool, force: Bool, beforeHeader: String? = nil) throws -> OrderedDict {
        let attributes = FileAttributesHelper(args)
        var existing = existing
        if existing.exists && existing.isDirectory {
            throw ModuleFailure("Destination \(dest) is a directory")
        }
        if existing.exists && !existing.isLink && !force {
            var r = OrderedDict()
            r["changed"] = false
            r["dest"] = .string(dest)
            if let src { r["src"] = .string(src) }
            return r
        }
        let parent = (dest as NSString).deletingLastPathComponent
        if !parent.isEmpty, !(try ops.stat(parent, follow: true)).isDirectory {
            // Check mode predicts the copy (as Ansible does) even though it would fail.
            if checkMode {
                var r: OrderedDict = ["changed": true]
                if wantDiff {
                    r["diff"] = [["before": "", "after": .string(ContentWriter.diffText(data)), "after_header": .string(diffHeader)]]
                }
                return r
            }
            throw ModuleFailure("Destination directory \(parent) does not exist", ["checksum": .string(checksum), "diff": []])
        }
        var currentChecksum: String?
        if existing.exists && existing.isFile {
            currentChecksum = try existing.checksum ?? ops.checksum(dest)
        }
        if currentChecksum == checksum {
            // Same content: only ownership/permissions may change (the `file` module's job).
            var diff = FileDiff(path: dest)
            let changed = try attributes.apply(to: dest, stat: existing, ops: ops, checkMode: checkMode, diff: &diff)
            var r = OrderedDict()
            r["changed"] = .bool(changed)
            r["checksum"] = .string(checksum)
            r["dest"] = .string(dest)
            if wantDiff { r["diff"] = diff.value }
            FileAttributesHelper.pathInfo(try ops.stat(dest), key: "path", into: &r)
            return r
        }
        var diffEntry = OrderedDict()
        if wantDiff {
            if existing.exists && existing.isFile {
                let before = try ops.read(dest)
                diffEntry["before"] = .string(ContentWriter.diffText(before))
                diffEntry["before_header"] = .string(beforeHeader ?? dest)
            } else {
                diffEntry["before"] = ""
            }
            diffEntry["after"] = .string(ContentWriter.diffText(data))
            diffEntry["after_header"] = .string(diffHeader)
        }
        if checkMode {
            var r = OrderedDict()
            r["changed"] = true
            if wantDiff { r["diff"] = [.dict(diffEntry)] }
            return r
        }
        if let validate = args["validate"]?.stringValue {
            do {
                try ops.validate(validate, data: data, near: dest)
            } catch var failure as ModuleFailure {
                failure.result["checksum"] = .string(checksum)
                failure.result["diff"] = wantDiff ? [.dict(diffEntry)] : []
                for key in ["stdout", "stderr"] {
                    if let text = failure.result[key]?.stringValue { failure.result[key + "_lines"] = .list(text.split(separator: "\n").map { .string(String($0)) }) }
                }
                throw failure
            }
        }
        var backupFile: String?
        if (args["backup"]?.isTruthy ?? false) && existing.exists && existing.isFile {
            backupFile = try ops.backup(dest)
        }
        if existing.isLink { existing = RemoteStat(path: dest) }
        try ops.write(data, to: dest, replacing: existing)
        let written = try ops.stat(dest)
        var ignored = FileDiff()
        _ = try attributes.apply(to: dest, stat: written, ops: ops, checkMode: false, diff: &ignored)
        var r = OrderedDict()
        if let backupFile { r["backup_file"] = .string(backupFile) }
        r["changed"] = true
        r["checksum"] = .string(checksum)
        r["dest"] = .string(dest)
        if wantDiff { r["diff"] = [.dict(diffEntry)] }
        r["md5sum"] = .string(MD5.hex(data))
        if let src { r["src"] = .string(src) }
        FileAttributesHelper.pathInfo(try ops.stat(dest), key: "dest", into: &r)
        return r
    }

    /// File contents as diff text; binary content is not shown.
    static func diffText(_ data: Data) -> String {
        if data.contains(0) { return "(binary file)" }
        return String(decoding: data, as: UTF8.self)
    }
}
