import Foundation
import Jinja

/// `copy` on the controller: finds `src` (role `files/`, playbook `files/`, playbook
/// directory), walks directories, and runs the remote ``CopyModule`` once per file.
public struct CopyAction: ActionPlugin {
    /// The action's name, `copy`.
    public let name = "copy"
    /// Creates the plugin (it has no state).
    public init() {}

    /// Resolves `src` on the controller and runs ``CopyModule`` on the host (file by file for directories); lookup failures come back as failed results.
    public func run(_ givenArgs: OrderedDict, context: ActionContext) throws -> Value {
        var rawArgs = givenArgs
        // Structured content is written as JSON, before the module sees a string.
        if let content = rawArgs["content"] {
            if case .dict = content { rawArgs["content"] = .string(CopyAction.contentText(content)) }
            if case .list = content { rawArgs["content"] = .string(CopyAction.contentText(content)) }
        }
        let args: OrderedDict
        do {
            args = try CopyModule().argumentSpec.withoutPrivateParameters.validate(rawArgs, module: "copy")
        } catch let failure as ModuleFailure {
            return .dict(failure.result)
        }
        var moduleArgs = CopyAction.publicArguments(rawArgs)
        let src = args["src"]?.stringValue
        let content = args["content"]
        guard let dest = args["dest"]?.stringValue, !dest.isEmpty else { return fail("dest is required") }
        if src != nil && content != nil { return fail("src and content are mutually exclusive") }
        if src == nil && content == nil { return fail("src (or content) is required") }
        let remoteSrc = args["remote_src"]?.isTruthy ?? false

        if let content = args["content"] {
            if dest.hasSuffix("/") { return fail("can not use content with a dir as dest") }
            moduleArgs["content"] = nil
            moduleArgs["_troupe_content"] = .string(CopyAction.contentText(content))
            return try context.runModule("copy", moduleArgs)
        }
        if remoteSrc { return try context.runModule("copy", moduleArgs) }

        guard let src, let local = ControllerFileSearch(context: context).find(src, kind: "files") else {
            return fail("Could not find or access '\(src ?? "")' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option")
        }
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: local, isDirectory: &isDirectory)
        if moduleArgs["mode"]?.stringValue == "preserve" {
            moduleArgs["mode"] = .string(CopyAction.localMode(local).map { ModeParser.format($0) } ?? "0644")
        }
        if !isDirectory.boolValue {
            moduleArgs["_troupe_local_src"] = .string(local)
            moduleArgs["_original_basename"] = .string((local as NSString).lastPathComponent)
            moduleArgs["_troupe_diff_header"] = .string(local)
            var result = try context.runModule("copy", moduleArgs).dictValue ?? OrderedDict()
            if result["src"] != nil { result["src"] = .string(local) }
            return .dict(result)
        }
        return try copyTree(local: local, src: src, dest: dest, moduleArgs: moduleArgs, context: context)
    }

    /// Copies a controller directory: its contents when `src` ends with "/", else the
    /// directory itself under `dest`.
    private func copyTree(local: String, src: String, dest: String, moduleArgs: OrderedDict, context: ActionContext) throws -> Value {
        let root = local.hasSuffix("/") ? String(local.dropLast()) : local
        let trimmedDest = dest.count > 1 && dest.hasSuffix("/") ? String(dest.dropLast()) : dest
        let base = src.hasSuffix("/") ? trimmedDest : (trimmedDest as NSString).appendingPathComponent((root as NSString).lastPathComponent)
        let fm = FileManager.default
        var files: [String] = [], dirs: [String] = []
        if let walker = fm.enumerator(atPath: root) {
            while let relative = walker.nextObject() as? String {
                var isDir: ObjCBool = false
                _ = fm.fileExists(atPath: root + "/" + relative, isDirectory: &isDir)
                if isDir.boolValue { dirs.append(relative) } else { files.append(relative) }
            }
        }
        var changed = false
        var dirArgs: OrderedDict = ["path": .string(base), "state": "directory"]
        if let dm = moduleArgs["directory_mode"] { dirArgs["mode"] = dm }
        // In check mode directories are not created, so files below a missing one are
        // new by definition (the remote copy could not even check their parent).
        var missingDirectories = Set<String>()
        for dir in [""] + dirs.sorted() {
            let path = dir.isEmpty ? base : (base as NSString).appendingPathComponent(dir)
            dirArgs["path"] = .string(path)
            let r = try context.runModule("file", dirArgs).dictValue ?? OrderedDict()
            if r["failed"] == true { return .dict(r) }
            if r["changed"] == true { changed = true }
            // A directory that does not exist yet gets no path info (no uid) in the result.
            if r["changed"] == true && r["uid"] == nil { missingDirectories.insert(path) }
        }
        for file in files.sorted() {
            let target = (base as NSString).appendingPathComponent(file)
            if missingDirectories.contains((target as NSString).deletingLastPathComponent) {
                changed = true
                continue
            }
            var args = moduleArgs
            args["src"] = .string(src.hasSuffix("/") ? src + file : (src as NSString).appendingPathComponent(file))
            args["dest"] = .string((base as NSString).appendingPathComponent(file))
            args["_troupe_local_src"] = .string(root + "/" + file)
            args["_troupe_diff_header"] = .string(root + "/" + file)
            args["_original_basename"] = .string((file as NSString).lastPathComponent)
            let r = try context.runModule("copy", args).dictValue ?? OrderedDict()
            if r["failed"] == true { return .dict(r) }
            if r["changed"] == true { changed = true }
        }
        var r = OrderedDict()
        r["changed"] = .bool(changed)
        r["dest"] = .string(dest.hasSuffix("/") ? dest : dest + "/")
        r["src"] = .string(src)
        return .dict(r)
    }

    /// The arguments without Troupe's private `_troupe_*` keys (users may not pass them).
    static func publicArguments(_ args: OrderedDict) -> OrderedDict {
        var out = OrderedDict()
        for (k, v) in args where !k.hasPrefix("_troupe_") { out[k] = v }
        return out
    }

    private func fail(_ message: String) -> Value { ["changed": false, "failed": true, "msg": .string(message)] }

    /// `content:` as text: strings as they are, other values as JSON (as Ansible does).
    static func contentText(_ value: Value) -> String {
        switch value {
        case .string(let s), .unsafe(let s): return s
        case .dict, .list: return JSONFormat().string(value)
        default: return value.pythonString
        }
    }

    static func localMode(_ path: String) -> UInt32? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return UInt32(st.st_mode & 0o7777)
    }
}
