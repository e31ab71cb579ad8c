import Foundation
import Jinja

/// The host side of `fetch`: stats and checksums the remote file and streams it to the
/// controller path the ``FetchAction`` chose (`_troupe_local_dest`) — remote modules
/// run on the controller, so they can write there.
public struct FetchModule: RemoteModule {
    /// The module's name, `fetch` (also reached as `ansible.builtin.fetch`).
    public let name = "fetch"
    /// True so the module answers check mode itself: it reports `skipped`, as Ansible's fetch does.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `fetch` parameters and the controller destination `_troupe_local_dest` set by ``FetchAction``.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("src", required: true), .init("dest", required: true), .init("flat", .bool, default: false),
            .init("fail_on_missing", .bool, default: true), .init("validate_checksum", .bool, default: true),
            .init("_troupe_local_dest"),
        ])
    }

    /// Checksums `src` and streams it to the controller path when it differs; skipped in check mode, as in Ansible.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        // Ansible's fetch action skips itself in check mode.
        if invocation.checkMode {
            return ["changed": false, "msg": "check mode not (yet) supported for this module", "skipped": true]
        }
        let ops = RemoteFileOps(connection, invocation)
        let src = try ops.expandUser(args["src"]?.stringValue ?? "")
        guard let dest = args["_troupe_local_dest"]?.stringValue else {
            throw ModuleFailure("fetch must be run through its action (no controller destination)")
        }
        let stat = try ops.stat(src, follow: true, checksum: "sha1")
        guard stat.exists else {
            let msg = "the remote file does not exist, not transferring, ignored"
            if args["fail_on_missing"]?.isTruthy ?? true { throw ModuleFailure(msg) }
            return ["changed": false, "file": .string(src), "msg": .string(msg)]
        }
        if stat.isDirectory { throw ModuleFailure("remote file is a directory, fetch cannot work on directories") }
        guard stat.readable, let remoteChecksum = stat.checksum else {
            throw ModuleFailure("unable to calculate the checksum of the remote file")
        }
        let local = FileManager.default.contents(atPath: dest)
        if let local, SHA1.hex(local) == remoteChecksum {
            return ["changed": false, "checksum": .string(remoteChecksum), "dest": .string(dest), "file": .string(src),
                    "md5sum": .string(MD5.hex(local))]
        }
        let dir = (dest as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw ModuleFailure("Could not create \(dir): \(error.localizedDescription)")
        }
        let temp = dir + "/.troupe_fetch_\(UUID().uuidString.prefix(12))"
        try connection.fetchFile(src, to: temp, become: invocation.become)
        guard let data = FileManager.default.contents(atPath: temp) else {
            unlink(temp)
            throw ModuleFailure("Failed to read the fetched file \(src)")
        }
        let checksum = SHA1.hex(data)
        if (args["validate_checksum"]?.isTruthy ?? true) && checksum != remoteChecksum {
            unlink(temp)
            throw ModuleFailure("checksum mismatch", ["file": .string(src), "dest": .string(dest), "checksum": .string(checksum),
                                                      "remote_checksum": .string(remoteChecksum)])
        }
        guard rename(temp, dest) == 0 else {
            unlink(temp)
            throw ModuleFailure("Could not move the fetched file to \(dest)")
        }
        return ["changed": true, "checksum": .string(checksum), "dest": .string(dest), "md5sum": .string(MD5.hex(data)),
                "remote_checksum": .string(remoteChecksum), "remote_md5sum": .null]
    }
}

/// `fetch` on the controller: decides where the file lands (`dest/<host>/<src>`, or
/// `dest` itself with `flat`) and runs the remote part.
public struct FetchAction: ActionPlugin {
    /// The action's name, `fetch`.
    public let name = "fetch"
    /// Creates the plugin (it has no state).
    public init() {}

    /// Validates the arguments, picks the controller destination and runs ``FetchModule``; bad arguments come back as a failed result.
    public func run(_ rawArgs: OrderedDict, context: ActionContext) throws -> Value {
        let args: OrderedDict
        do {
            args = try FetchModule().argumentSpec.withoutPrivateParameters.validate(rawArgs, module: "fetch")
        } catch let failure as ModuleFailure {
            return .dict(failure.result)
        }
        let src = args["src"]?.stringValue ?? ""
        var dest = ((args["dest"]?.stringValue ?? "") as NSString).expandingTildeInPath
        if !dest.hasPrefix("/") { dest = (context.play.playbookDirectory as NSString).appendingPathComponent(dest) }
        let local: String
        if args["flat"]?.isTruthy ?? false {
            local = dest.hasSuffix("/") || (args["dest"]?.stringValue ?? "").hasSuffix("/")
                ? (dest as NSString).appendingPathComponent((src as NSString).lastPathComponent) : dest
        } else {
            let hostDir = (dest as NSString).appendingPathComponent(context.host)
            let relative = (src as NSString).standardizingPath.drop { $0 == "/" }
            local = (hostDir as NSString).appendingPathComponent(String(relative))
        }
        var moduleArgs = args
        moduleArgs["_troupe_local_dest"] = .string(local)
        return try context.runModule("fetch", moduleArgs)
    }
}
