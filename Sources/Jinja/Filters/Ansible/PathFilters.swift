import Foundation

/// Ansible's path filters, with Python's `posixpath`/`ntpath` semantics.
enum PathFilters {
    static var all: [String: Filter] {
        [
            "basename": Filter { v, _, _ in .string(basename(FilterSupport.text(v))) },
            "dirname": Filter { v, _, _ in .string(dirname(FilterSupport.text(v))) },
            "expanduser": Filter { v, _, _ in .string(expandUser(FilterSupport.text(v))) },
            "expandvars": Filter { v, _, _ in .string(expandVars(FilterSupport.text(v))) },
            "realpath": Filter { v, _, _ in .string(realpath(FilterSupport.text(v))) },
            "relpath": Filter { v, a, _ in
                try .string(relpath(FilterSupport.text(v), start: FilterSupport.string(a.value(0, "start"), ".")))
            },
            "splitext": Filter { v, _, _ in let (root, ext) = splitext(FilterSupport.text(v)); return .list([.string(root), .string(ext)]) },
            "normpath": Filter { v, _, _ in .string(normpath(FilterSupport.text(v))) },
            "path_join": Filter(pathJoin),
            "commonpath": Filter(commonpath),
            "win_basename": Filter { v, _, _ in .string(windowsSplit(FilterSupport.text(v)).1) },
            "win_dirname": Filter { v, _, _ in .string(windowsSplit(FilterSupport.text(v)).0) },
            "win_splitdrive": Filter { v, _, _ in
                let (drive, rest) = windowsSplitDrive(FilterSupport.text(v)); return .list([.string(drive), .string(rest)])
            },
            "fileglob": Filter { v, _, _ in .list(fileglob(FilterSupport.text(v)).map(Value.string)) },
        ]
    }

    static func basename(_ p: String) -> String {
        guard let slash = p.lastIndex(of: "/") else { return p }
        return String(p[p.index(after: slash)...])
    }

    static func dirname(_ p: String) -> String {
        guard let slash = p.lastIndex(of: "/") else { return "" }
        let head = String(p[...slash])
        if head.allSatisfy({ $0 == "/" }) { return head }
        return String(head.reversed().drop(while: { $0 == "/" }).reversed())
    }

    static func expandUser(_ p: String) -> String {
        guard p.hasPrefix("~") else { return p }
        let end = p.firstIndex(of: "/") ?? p.endIndex
        let user = String(p[p.index(after: p.startIndex)..<end])
        var home: String?
        if user.isEmpty {
            home = ProcessInfo.processInfo.environment["HOME"] ?? getpwuid(getuid()).flatMap { String(cString: $0.pointee.pw_dir) }
        } else {
            home = getpwnam(user).flatMap { String(cString: $0.pointee.pw_dir) }
        }
        guard var base = home else { return p }
        if base != "/" { while base.hasSuffix("/") { base.removeLast() } }
        let result = base + p[end...]
        return result.isEmpty ? "/" : result
    }

    static func expandVars(_ p: String) -> String {
        guard p.contains("$") else { return p }
        let environment = ProcessInfo.processInfo.environment
        guard let regex = try? NSRegularExpression(pattern: "\\$(\\w+|\\{[^}]*\\})") else { return p }
        let ns = p as NSString
        var out = ""
        var last = 0
        for m in regex.matches(in: p, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            var name = ns.substring(with: m.range(at: 1))
            if name.hasPrefix("{") { name = String(name.dropFirst().dropLast()) }
            out += environment[name] ?? ns.substring(with: m.range)
            last = m.range.location + m.range.length
        }
        return out + ns.substring(from: last)
    }

    static func normpath(_ p: String) -> String {
        if p.isEmpty { return "." }
        let initialSlashes = p.hasPrefix("//") && !p.hasPrefix("///") ? 2 : (p.hasPrefix("/") ? 1 : 0)
        var parts: [String] = []
        for comp in p.split(separator: "/") where comp != "." {
            if comp == ".." {
                if initialSlashes == 0 && (parts.isEmpty || parts.last == "..") { parts.append("..") } else if !parts.isEmpty { parts.removeLast() }
            } else {
                parts.append(String(comp))
            }
        }
        let result = String(repeating: "/", count: initialSlashes) + parts.joined(separator: "/")
        return result.isEmpty ? "." : result
    }

    static func join(_ parts: [String]) -> String {
        var path = ""
        for (i, part) in parts.enumerated() {
            if i == 0 { path = part; continue }
            if part.hasPrefix("/") { path = part } else if path.isEmpty || path.hasSuffix("/") { path += part } else { path += "/" + part }
        }
        return path
    }

    static func currentDirectory() -> String { FileManager.default.currentDirectoryPath }

    static func absolute(_ p: String) -> String { normpath(p.hasPrefix("/") ? p : join([currentDirectory(), p])) }

    static func realpath(_ p: String) -> String {
        var resolved = "/"
        var pending = absolute(p).split(separator: "/").map(String.init)
        var hops = 0
        while !pending.isEmpty {
            let comp = pending.removeFirst()
            if comp == ".." { resolved = dirname(resolved); continue }
            let candidate = join([resolved, comp])
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: candidate), hops < 40 {
                hops += 1
                if target.hasPrefix("/") { resolved = "/" }
                pending = target.split(separator: "/").map(String.init) + pending
            } else {
                resolved = candidate
            }
        }
        return normpath(resolved)
    }

    static func relpath(_ p: String, start: String) throws -> String {
        guard !p.isEmpty else { throw JinjaError(.value, "no path specified") }
        let target = absolute(p).split(separator: "/")
        let origin = absolute(start).split(separator: "/")
        var common = 0
        while common < min(target.count, origin.count), target[common] == origin[common] { common += 1 }
        let parts = Array(repeating: "..", count: origin.count - common) + target[common...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    static func splitext(_ p: String) -> (String, String) {
        let name = basename(p)
        guard let dot = name.lastIndex(of: "."), name[..<dot].contains(where: { $0 != "." }) else { return (p, "") }
        let ext = String(name[dot...])
        return (String(p.dropLast(ext.count)), ext)
    }

    static func pathJoin(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        switch v {
        case .string(let s), .unsafe(let s): return .string(s)
        case .list(let l): return .string(join(l.map(\.pythonString)))
        default: throw JinjaError(.type, "|path_join expects string or sequence, got <class '\(v.pythonTypeName)'> instead.")
        }
    }

    static func commonpath(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        guard case .list(let l) = v else {
            throw JinjaError(.type, "|commonpath expects sequence, got <class '\(v.pythonTypeName)'> instead.")
        }
        guard !l.isEmpty else { throw JinjaError(.value, "commonpath() arg is an empty sequence") }
        let paths = l.map(\.pythonString)
        let absolutes = Set(paths.map { $0.hasPrefix("/") })
        guard absolutes.count == 1 else { throw JinjaError(.value, "Can't mix absolute and relative paths") }
        let split = paths.map { $0.split(separator: "/").filter { $0 != "." } }
        var common = split[0]
        for parts in split.dropFirst() {
            var n = 0
            while n < min(common.count, parts.count), common[n] == parts[n] { n += 1 }
            common = Array(common.prefix(n))
        }
        return .string((absolutes.first! ? "/" : "") + common.joined(separator: "/"))
    }

    static func windowsSplitDrive(_ p: String) -> (String, String) {
        let chars = Array(p)
        if chars.count >= 2, chars[1] == ":" { return (String(chars[0...1]), String(chars[2...])) }
        let normalized = p.replacingOccurrences(of: "/", with: "\\")
        if normalized.hasPrefix("\\\\"), !normalized.hasPrefix("\\\\\\") {
            let rest = normalized.dropFirst(2)
            if let sep = rest.firstIndex(of: "\\") {
                let afterHost = rest[rest.index(after: sep)...]
                let shareEnd = afterHost.firstIndex(of: "\\") ?? afterHost.endIndex
                let driveLength = 2 + rest.distance(from: rest.startIndex, to: shareEnd)
                return (String(p.prefix(driveLength)), String(p.dropFirst(driveLength)))
            }
        }
        return ("", p)
    }

    /// `ntpath.split`: (head, tail).
    static func windowsSplit(_ p: String) -> (String, String) {
        let (drive, rest) = windowsSplitDrive(p)
        let chars = Array(rest)
        var i = chars.count
        while i > 0, chars[i - 1] != "/", chars[i - 1] != "\\" { i -= 1 }
        let tail = String(chars[i...])
        var head = String(chars[..<i])
        let stripped = String(head.reversed().drop(while: { $0 == "/" || $0 == "\\" }).reversed())
        if !stripped.isEmpty { head = stripped }
        return (drive + head, tail)
    }

    static func fileglob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for i in 0..<Int(result.gl_pathc) {
            guard let cPath = result.gl_pathv[i] else { continue }
            let path = String(cString: cPath)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue { paths.append(path) }
        }
        return paths
    }
}
