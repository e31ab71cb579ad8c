import Foundation
import Jinja

/// `assemble`: concatenates the fragment files of a directory (sorted by name, filtered
/// by `regexp`, separated by `delimiter`) into `dest` when the result differs.
public struct AssembleModule: RemoteModule {
    /// The module's name, `assemble` (also reached as `ansible.builtin.assemble`).
    public let name = "assemble"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `assemble` parameters plus the common file attributes (`mode`, `owner`, `group`, SELinux, `attributes`); `_troupe_content` carries controller-assembled bytes.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("src", .path, required: true), .init("dest", .path, required: true),
            .init("backup", .bool, default: false), .init("delimiter"), .init("remote_src", .bool, default: true),
            .init("regexp"), .init("ignore_hidden", .bool, default: false), .init("validate"),
            .init("decrypt", .bool, default: true), .init("_troupe_content"),
        ] + FileAttributesHelper.parameters)
    }

    /// One fragment: its file name and bytes.
    typealias Fragment = (name: String, data: Data)

    /// Ansible's assembly rules: a newline after fragments lacking one, the (unescaped)
    /// delimiter only between fragments, always followed by a newline.
    static func assemble(_ fragments: [Fragment], regexp: String?, delimiter: String?, ignoreHidden: Bool) throws -> Data {
        let regex = try regexp.map { try PythonRegex($0) }
        var out = Data()
        var addNewline = false, delimit = false
        for fragment in fragments.sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }) {
            if let regex, !regex.matches(fragment.name) { continue }
            if ignoreHidden && fragment.name.hasPrefix(".") { continue }
            if addNewline { out.append(0x0A) }
            if delimit, let delimiter, !delimiter.isEmpty {
                let unescaped = Data(unescape(delimiter).utf8)
                out.append(unescaped)
                if unescaped.last != 0x0A { out.append(0x0A) }
            }
            out.append(fragment.data)
            delimit = true
            addNewline = fragment.data.last != 0x0A
        }
        return out
    }

    /// Python's `codecs.escape_decode` for the common escapes.
    static func unescape(_ s: String) -> String {
        var out = "", escaping = false
        for ch in s {
            if escaping {
                switch ch {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "\\": out.append("\\")
                default: out.append("\\"); out.append(ch)
                }
                escaping = false
            } else if ch == "\\" {
                escaping = true
            } else {
                out.append(ch)
            }
        }
        if escaping { out.append("\\") }
        return out
    }

    /// Assembles the fragments (or takes `_troupe_content`) and installs the result when it differs; failures come back as `failed` results.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let ops = RemoteFileOps(connection, invocation)
        let src = try ops.expandUser(args["src"]?.stringValue ?? "")
        let dest = try ops.expandUser(args["dest"]?.stringValue ?? "")
        let data: Data
        if let content = args["_troupe_content"]?.stringValue {
            data = Data(base64Encoded: content) ?? Data()
        } else {
            let srcStat = try ops.stat(src, follow: true)
            guard srcStat.exists else { throw ModuleFailure("Source (\(src)) does not exist") }
            guard srcStat.isDirectory else { throw ModuleFailure("Source (\(src)) is not a directory") }
            let listing = try ops.mustRun("cd \(shellQuote(src)) && for f in * .[!.]* ..?*; do [ -f \"$f\" ] && printf '%s\\n' \"$f\"; done; true",
                                          "Could not list \(src)")
            var fragments: [Fragment] = []
            for name in listing.split(separator: "\n").map(String.init) {
                fragments.append((name, try ops.read((src as NSString).appendingPathComponent(name))))
            }
            data = try AssembleModule.assemble(fragments, regexp: args["regexp"]?.stringValue,
                                               delimiter: args["delimiter"]?.stringValue,
                                               ignoreHidden: args["ignore_hidden"]?.isTruthy ?? false)
        }
        let destStat = try ops.stat(dest)
        let checksum = SHA1.hex(data)
        let writer = ContentWriter(ops: ops, args: args, checkMode: invocation.checkMode)
        // Only fragments assembled on the controller get a content diff (ansible-core's action
        // diffs its local result against the host's file; the module itself has none).
        let wantDiff = invocation.diff && args["_troupe_content"] != nil
        var result = try writer.install(data, at: dest, existing: destStat, checksum: checksum, src: src,
                                        diffHeader: src, wantDiff: wantDiff, force: true)
        // Ansible reports the same keys whether or not the file changed.
        result["path"] = nil
        // The action puts its one diff entry in the result as a mapping, not a list.
        result["diff"] = wantDiff ? result["diff"]?.listValue?.first : nil
        result["src"] = .string(src)
        result["dest"] = .string(dest)
        result["checksum"] = .string(checksum)
        result["md5sum"] = .string(MD5.hex(data))
        result["msg"] = "OK"
        return .dict(result)
    }
}

/// `assemble` on the controller: with `remote_src: false` the fragments are read here
/// and the assembled bytes are sent to the host.
public struct AssembleAction: ActionPlugin {
    /// The action's name, `assemble`.
    public let name = "assemble"
    /// Creates the plugin (it has no state).
    public init() {}

    /// Validates the arguments, reads and assembles controller fragments unless `remote_src`, then runs ``AssembleModule`` on the host.
    public func run(_ rawArgs: OrderedDict, context: ActionContext) throws -> Value {
        let args: OrderedDict
        do {
            args = try AssembleModule().argumentSpec.withoutPrivateParameters.validate(rawArgs, module: "assemble")
        } catch let failure as ModuleFailure {
            return .dict(failure.result)
        }
        var moduleArgs = CopyAction.publicArguments(rawArgs)
        if args["remote_src"]?.isTruthy ?? true { return try context.runModule("assemble", moduleArgs) }
        let src = args["src"]?.stringValue ?? ""
        guard let local = ControllerFileSearch(context: context).find(src, kind: "files") else {
            return ["changed": false, "failed": true, "msg": .string("Source (\(src)) does not exist")]
        }
        let fm = FileManager.default
        var fragments: [AssembleModule.Fragment] = []
        for name in (try? fm.contentsOfDirectory(atPath: local)) ?? [] {
            var isDir: ObjCBool = false
            let path = (local as NSString).appendingPathComponent(name)
            if fm.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue, let data = fm.contents(atPath: path) {
                fragments.append((name, data))
            }
        }
        let data = try AssembleModule.assemble(fragments, regexp: args["regexp"]?.stringValue, delimiter: args["delimiter"]?.stringValue,
                                               ignoreHidden: args["ignore_hidden"]?.isTruthy ?? false)
        moduleArgs["_troupe_content"] = .string(data.base64EncodedString())
        return try context.runModule("assemble", moduleArgs)
    }
}
