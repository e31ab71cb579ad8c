import Foundation
import Jinja

/// `copy` with `remote_src` and a directory source: mirrors the tree on the host,
/// copying only files whose checksums differ (so a second run changes nothing).
struct RemoteTreeCopy {
    let ops: RemoteFileOps
    let args: OrderedDict
    let checkMode: Bool

    func copy(src: String, dest: String) throws -> Value {
        // "dir/" copies the contents; "dir" copies the directory itself.
        let target = src.hasSuffix("/") ? dest : (dest as NSString).appendingPathComponent((src as NSString).lastPathComponent)
        let srcFiles = try listing(src)
        let destFiles = try listing(target)
        var commands: [String] = []
        for dir in srcFiles.directories where !destFiles.directories.contains(dir) {
            commands.append("mkdir -p -- \(shellQuote(join(target, dir)))")
        }
        for (file, sum) in srcFiles.files.sorted(by: { $0.key < $1.key }) where destFiles.files[file] != sum {
            let to = join(target, file)
            commands.append("mkdir -p -- \(shellQuote((to as NSString).deletingLastPathComponent)) && cp -p -- \(shellQuote(join(src, file))) \(shellQuote(to + ".troupe_tmp")) && mv -f -- \(shellQuote(to + ".troupe_tmp")) \(shellQuote(to))")
        }
        var changed = !commands.isEmpty
        if changed && !checkMode {
            try ops.mustRun(commands.joined(separator: " &&\n"), "Could not copy \(src) to \(dest)")
        }
        let attributes = FileAttributesHelper(args)
        if !attributes.isEmpty && !(checkMode && changed) {
            var ignored = FileDiff()
            for file in srcFiles.files.keys.sorted() {
                let path = join(target, file)
                changed = try attributes.apply(to: path, stat: try ops.stat(path), ops: ops, checkMode: checkMode, diff: &ignored) || changed
            }
        }
        var r = OrderedDict()
        r["changed"] = .bool(changed)
        r["dest"] = .string(dest)
        r["src"] = .string(src)
        return .dict(r)
    }

    private func join(_ base: String, _ relative: String) -> String {
        relative.isEmpty || relative == "." ? base : (base as NSString).appendingPathComponent(relative)
    }

    /// Relative directories and file checksums below `root` (empty when it is absent).
    private func listing(_ root: String) throws -> (directories: Set<String>, files: [String: String]) {
        let r = try ops.shell("cd \(shellQuote(root)) 2>/dev/null || exit 0; find . -mindepth 1 -type d | sed 's/^/d /'; find . -type f -exec sha1sum {} + | sed 's/^/f /'")
        var dirs = Set<String>(), files: [String: String] = [:]
        for line in String(decoding: r.stdout, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("d ./") {
                dirs.insert(String(line.dropFirst(4)))
            } else if line.hasPrefix("f ") {
                let rest = line.dropFirst(2)
                guard let space = rest.firstIndex(of: " ") else { continue }
                let sum = String(rest[..<space])
                var name = rest[rest.index(after: space)...]
                if name.hasPrefix(" ") || name.hasPrefix("*") { name = name.dropFirst() }
                if name.hasPrefix("./") { name = name.dropFirst(2) }
                files[String(name)] = sum
            }
        }
        return (dirs, files)
    }
}
