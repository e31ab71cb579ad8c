import Foundation
import Jinja

/// The host half of `unarchive`: tar (plain, gzip, bzip2, xz) with GNU tar, zip with
/// unzip. Idempotent like Ansible's module: `tar --diff` (or, for zip, a comparison with
/// a scratch extraction) decides whether the archive is already unpacked.
public struct UnarchiveModule: RemoteModule {
    /// The module's name, "unarchive".
    public let name = "unarchive"
    /// Ansible runs it through its action plugin, which names it `ansible.legacy.unarchive`.
    public var parameterErrorName: String { "ansible.legacy.unarchive" }
    /// Zip archives predict in check mode; tar archives are skipped there, as in Ansible.
    public var supportsCheckMode: Bool { true }

    /// Ansible's `unarchive` parameters, the file arguments, and the controller's resolved source.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("src", .path, required: true), .init("dest", .path, required: true), .init("remote_src", .bool, default: false),
            .init("creates", .path), .init("list_files", .bool, default: false), .init("keep_newer", .bool, default: false),
            .init("exclude", .list, default: [], elements: .str), .init("include", .list, default: [], elements: .str),
            .init("extra_opts", .list, default: [], elements: .str), .init("validate_certs", .bool, default: true),
            .init("io_buffer_size", .int, default: 65536), .init("copy", .bool, default: true), .init("decrypt", .bool, default: true),
            .init("_troupe_local_src"),
        ] + FileAttributesHelper.parameters, mutuallyExclusive: [["include", "exclude"]])
    }

    private struct Handler {
        var name: String
        var program: String
        var tarFlag: String?
        var files: [String]
        var isZip: Bool { tarFlag == nil }
    }

    /// Unpacks `src` into `dest` unless it is unpacked there already.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let ops = RemoteFileOps(connection, invocation)
        let dest = args["dest"]?.stringValue ?? ""
        if let creates = args["creates"]?.stringValue, try connection.stat(creates, followLinks: true) != nil {
            return ["changed": false, "skipped": true, "msg": .string("skipped, since \(creates) exists")]
        }
        let destStat = try ops.stat(dest, follow: true)
        guard destStat.exists && destStat.isDirectory else {
            throw ModuleFailure("dest '\(dest)' must be an existing dir", ["_troupe_action_failure": true])
        }
        let scratch = try ops.mustRun("d=$(mktemp -d \"${TMPDIR:-/tmp}/troupe-unarchive.XXXXXX\") && printf '%s' \"$d\"",
                                      "Failed to create a temporary directory")
        defer { _ = try? ops.shell("rm -rf -- \(shellQuote(scratch))") }
        var src = args["src"]?.stringValue ?? ""
        if let local = args["_troupe_local_src"]?.stringValue {
            src = scratch + "/source"
            try connection.putFile(local, to: src, attributes: FileAttributes(mode: 0o600), become: invocation.become)
        } else if src.contains("://") {
            var request = HTTPExchange.Request(url: src)
            request.validateCerts = args["validate_certs"]?.boolValue ?? true
            request.output = scratch + "/" + ((URL(string: src)?.lastPathComponent).flatMap { $0.isEmpty ? nil : $0 } ?? "download")
            let response = try HTTPExchange.perform(request, connection: connection, invocation: invocation)
            guard response.status == 200 else {
                throw ModuleFailure("Failure downloading \(src), \(response.error ?? "HTTP Error \(response.status): \(response.reason)")")
            }
            src = request.output!
        }
        let srcStat = try ops.stat(src, follow: true)
        if !srcStat.exists { throw ModuleFailure("Source '\(src)' \(args["_troupe_local_src"] == nil ? "does not exist" : "failed to transfer")") }
        if srcStat.size == 0 { throw ModuleFailure("Invalid archive '\(src)', the file is 0 bytes") }

        let excludes = (args["exclude"]?.listValue ?? []).compactMap(\.stringValue).map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        let includes = (args["include"]?.listValue ?? []).compactMap(\.stringValue)
        let opts = (args["extra_opts"]?.listValue ?? []).compactMap(\.stringValue)
        let handler = try pickHandler(src: src, dest: dest, excludes: excludes, includes: includes, opts: opts, ops: ops)
        var result = OrderedDict()
        result["handler"] = .string(handler.name)
        result["dest"] = .string(dest)
        result["src"] = .string(src)
        if !handler.isZip && invocation.checkMode {
            return ["changed": false, "skipped": true, "msg": "remote module (unarchive) does not support check mode when using gtar"]
        }
        let attributes = FileAttributesHelper(args)
        let unarchived = try isUnarchived(handler, src: src, dest: dest, args: args, excludes: excludes, includes: includes,
                                          opts: opts, attributes: attributes, ops: ops, scratch: scratch)
        var changed = false
        if invocation.checkMode {
            changed = !unarchived
        } else if !unarchived {
            let command = extractCommand(handler, src: src, dest: dest, args: args, excludes: excludes, includes: includes,
                                         opts: opts, attributes: attributes)
            let r = try ops.shell("cd \(shellQuote(dest)) && LANG=C LC_ALL=C " + command.map(shellQuote).joined(separator: " "))
            result["extract_results"] = ["cmd": .list(command.map(Value.string)), "rc": .int(Int(r.rc)),
                                         "out": .string(String(decoding: r.stdout, as: UTF8.self)),
                                         "err": .string(String(decoding: r.stderr, as: UTF8.self))]
            if r.rc != 0 { throw ModuleFailure("failed to unpack \(src) to \(dest)", result) }
            changed = true
        }
        if !invocation.checkMode && !attributes.isEmpty {
            if try applyAttributes(attributes, to: handler.files, dest: dest, ops: ops) { changed = true }
        }
        result["changed"] = .bool(changed)
        if args["list_files"]?.boolValue ?? false { result["files"] = .list(handler.files.map(Value.string)) }
        FileAttributesHelper.pathInfo(try ops.stat(dest, follow: true), key: "dest", into: &result)
        return .dict(result)
    }

    /// Ansible's handler order: zip first, then GNU tar with gzip, none, bzip2, xz; lists the members.
    private func pickHandler(src: String, dest: String, excludes: [String], includes: [String], opts: [String],
                             ops: RemoteFileOps) throws -> Handler {
        let listOpts = (opts.isEmpty ? [] : ["--show-transformed-names"] + opts) + excludes.map { "--exclude=" + $0 }
        let tail = (["-f", src] + includes).map(shellQuote).joined(separator: " ")
        let script = """
        s=\(shellQuote(src)); d=\(shellQuote(dest))
        if u=$(command -v unzip) && "$u" -Z1 "$s" >/dev/null 2>&1; then echo ZipArchive; echo "$u"; "$u" -Z1 "$s"; exit 0; fi
        t=$(command -v gtar || command -v tar) || { echo none; echo "Unable to find required 'gtar' or 'tar' binary in the path"; exit 0; }
        "$t" --version 2>/dev/null | head -n 1 | grep -q GNU || { echo none; echo "Command \\"$t\\" detected as tar type bsd. GNU tar required."; exit 0; }
        for f in TgzArchive:-z TarArchive: TarBzipArchive:-j TarXzArchive:-J; do
          if out=$(cd "$d" && LANG=C LC_ALL=C "$t" --list -C "$d" ${f#*:} \(listOpts.map(shellQuote).joined(separator: " ")) \(tail) 2>/dev/null) && [ -n "$out" ]; then
            echo "$f"; echo "$t"; printf '%s\\n' "$out"; exit 0
          fi
        done
        echo none; echo "Command \\"$t\\" could not handle archive."
        """
        let lines = try ops.mustRun(script, "Could not inspect the archive").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 2, lines[0] != "none" else {
            throw ModuleFailure("Failed to find handler for \"\(src)\". Make sure the required command to extract the file is installed.\n\(lines.dropFirst().first ?? "")")
        }
        let kind = lines[0].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let members = lines.dropFirst(2).filter { !$0.isEmpty }
            .map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
            .filter { name in !excludes.contains { fnmatch($0, name, 0) == 0 } }
        let flag = kind.count > 1 ? String(kind[1]) : nil
        return Handler(name: String(kind[0]), program: lines[1], tarFlag: flag, files: members)
    }

    private func tarOptions(_ handler: Handler, args: OrderedDict, excludes: [String], opts: [String],
                            attributes: FileAttributesHelper) -> [String] {
        var out: [String] = []
        if let flag = handler.tarFlag, !flag.isEmpty { out.append(flag) }
        if !opts.isEmpty { out += ["--show-transformed-names"] + opts }
        if let owner = attributes.owner { out.append("--owner=" + owner) }
        if let group = attributes.group { out.append("--group=" + group) }
        if args["keep_newer"]?.boolValue ?? false { out.append("--keep-newer-files") }
        return out + excludes.map { "--exclude=" + $0 }
    }

    private func extractCommand(_ handler: Handler, src: String, dest: String, args: OrderedDict, excludes: [String],
                                includes: [String], opts: [String], attributes: FileAttributesHelper) -> [String] {
        if handler.isZip {
            return [handler.program, "-o"] + opts + [src] + includes + (excludes.isEmpty ? [] : ["-x"] + excludes) + ["-d", dest]
        }
        return [handler.program, "--extract", "-C", dest] + tarOptions(handler, args: args, excludes: excludes, opts: opts,
                                                                       attributes: attributes) + ["-f", src] + includes
    }

    /// Whether `dest` already holds the archive's members as they are in the archive.
    private func isUnarchived(_ handler: Handler, src: String, dest: String, args: OrderedDict, excludes: [String],
                              includes: [String], opts: [String], attributes: FileAttributesHelper, ops: RemoteFileOps,
                              scratch: String) throws -> Bool {
        if handler.isZip {
            // Unpack into scratch space and compare member by member (type, content, symlink target).
            let unpack = [handler.program, "-qq", "-o", src] + includes + (excludes.isEmpty ? [] : ["-x"] + excludes)
                + ["-d", scratch + "/unpacked"]
            let r = try ops.shell("""
            \(unpack.map(shellQuote).joined(separator: " ")) >/dev/null 2>&1 || { echo unpack-failed; exit 0; }
            d=\(shellQuote(dest)); cd \(shellQuote(scratch + "/unpacked")) || exit 0
            find . -mindepth 1 | while IFS= read -r f; do
              if [ -L "$f" ]; then [ -L "$d/$f" ] && [ "$(readlink "$f")" = "$(readlink "$d/$f")" ] || echo "differs $f"
              elif [ -d "$f" ]; then [ -d "$d/$f" ] || echo "differs $f"
              else [ -f "$d/$f" ] && cmp -s "$f" "$d/$f" || echo "differs $f"; fi
            done
            """)
            return String(decoding: r.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        let command = [handler.program, "--diff", "-C", dest] + tarOptions(handler, args: args, excludes: excludes, opts: opts,
                                                                           attributes: attributes) + ["-f", src] + includes
        let r = try ops.shell("id -u; cd \(shellQuote(dest)) && LANG=C LC_ALL=C " + command.map(shellQuote).joined(separator: " ") + " 2>&1")
        var lines = String(decoding: r.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        let isRoot = lines.first == "0"
        if !lines.isEmpty { lines.removeFirst() }
        let differing = [": Mod time differs", ": Warning: Cannot stat: No such file or directory", ": Invalid owner",
                         ": Invalid group", ": Symlink differs", ": Contents differ", ": Size differs"]
        for line in lines where !line.hasSuffix(": : Warning: Cannot stat: No such file or directory") {
            if isRoot && attributes.owner == nil && line.hasSuffix(": Uid differs") { return false }
            if isRoot && attributes.group == nil && line.hasSuffix(": Gid differs") { return false }
            if attributes.mode == nil && line.hasSuffix(": Mode differs") { return false }
            if differing.contains(where: { line.hasSuffix($0) || (($0 == ": Invalid owner" || $0 == ": Invalid group") && line.contains($0)) }) {
                return false
            }
        }
        return true
    }

    /// Applies mode/owner/group to every member (and its top folder) in one round trip; true when one changed.
    private func applyAttributes(_ attributes: FileAttributesHelper, to files: [String], dest: String, ops: RemoteFileOps) throws -> Bool {
        var paths: [String] = []
        for f in files {
            paths.append(f)
            if let top = f.split(separator: "/").first, f.contains("/"), !paths.contains(String(top)) { paths.append(String(top)) }
        }
        var commands: [String] = []
        if let owner = attributes.owner { commands.append("chown -h \(shellQuote(owner)) -- \"$p\"") }
        if let group = attributes.group { commands.append("chgrp -h \(shellQuote(group)) -- \"$p\"") }
        if let mode = attributes.mode?.pythonString {
            let octal = mode.allSatisfy(\.isNumber) ? String(Int(mode, radix: 8).map { String($0, radix: 8) } ?? mode) : mode
            commands.append("[ -L \"$p\" ] || chmod \(shellQuote(octal)) -- \"$p\"")
        }
        let list = paths.map { shellQuote(dest + "/" + $0) }.joined(separator: " ")
        let out = try ops.mustRun("""
        for p in \(list); do
          [ -e "$p" ] || [ -L "$p" ] || continue
          b=$(stat -c '%u:%g:%a' -- "$p"); \(commands.joined(separator: " && ")) || exit 1
          [ "$b" = "$(stat -c '%u:%g:%a' -- "$p")" ] || echo changed
        done
        """, "Unexpected error when accessing exploded file")
        return out.contains("changed")
    }
}
