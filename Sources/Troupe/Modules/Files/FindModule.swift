import Foundation
import Jinja

/// `find`: lists files matching name patterns, age, size, type and content below some
/// paths. The walk and the stat of every entry are one shell round trip per path.
public struct FindModule: RemoteModule {
    /// The module's name, `find` (also reached as `ansible.builtin.find`).
    public let name = "find"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `find` parameters (no file attributes: find changes nothing).
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("paths", .list, required: true, aliases: ["name", "path"], elements: .path),
            .init("patterns", .list, default: [], aliases: ["pattern"], elements: .str),
            .init("excludes", .list, aliases: ["exclude"], elements: .str), .init("contains"),
            .init("read_whole_file", .bool, default: false), .init("age"),
            .init("age_stamp", default: "mtime", choices: ["atime", "ctime", "mtime"]), .init("size"),
            .init("recurse", .bool, default: false), .init("hidden", .bool, default: false),
            .init("follow", .bool, default: false), .init("get_checksum", .bool, default: false),
            .init("checksum_algorithm", default: "sha1", aliases: ["checksum", "checksum_algo"],
                  choices: ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]),
            .init("use_regex", .bool, default: false), .init("depth", .int), .init("encoding"),
            .init("file_type", default: "file", choices: ["any", "directory", "file", "link"]),
            .init("mode", .raw), .init("exact_mode", .bool, default: true), .init("limit", .int),
        ])
    }

    /// Keys of a matched file's dictionary (Ansible's `statinfo`).
    static let statKeys: Set<String> = ["atime", "ctime", "dev", "gid", "gr_name", "inode", "isblk", "ischr", "isdir", "isfifo",
                                         "isgid", "islnk", "isreg", "issock", "isuid", "mode", "mtime", "nlink", "path", "pw_name",
                                         "rgrp", "roth", "rusr", "size", "uid", "wgrp", "woth", "wusr", "xgrp", "xoth", "xusr",
                                         "lnk_source", "lnk_target", "checksum"]

    /// Walks each path in one shell round trip and returns `files` (stat dicts) and `matched`; never changes anything.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let ops = RemoteFileOps(connection, invocation)
        let patterns = (args["patterns"]?.listValue ?? []).compactMap(\.stringValue)
        let excludes = args["excludes"]?.listValue?.compactMap(\.stringValue)
        let useRegex = args["use_regex"]?.isTruthy ?? false
        let recurse = args["recurse"]?.isTruthy ?? false
        let hidden = args["hidden"]?.isTruthy ?? false
        let follow = args["follow"]?.isTruthy ?? false
        let fileType = args["file_type"]?.stringValue ?? "file"
        let ageStamp = args["age_stamp"]?.stringValue ?? "mtime"
        let age = try args["age"]?.stringValue.map { try FindModule.parse($0, units: ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800], what: "age") }
        let size = try args["size"]?.stringValue.map { try FindModule.parse($0, units: ["b": 1, "k": 1024, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40], what: "size") }
        let contains = try args["contains"]?.stringValue.map { try PythonRegex($0) }
        let readWhole = args["read_whole_file"]?.isTruthy ?? false
        let depth = args["depth"]?.intValue
        let limit = args["limit"]?.intValue
        let checksum = (args["get_checksum"]?.isTruthy ?? false) ? args["checksum_algorithm"]?.stringValue : nil
        let wantedMode = args["mode"]
        let exactMode = args["exact_mode"]?.isTruthy ?? true
        let patternMatchers = try useRegex ? patterns.map { try PythonRegex($0) } : []
        let excludeMatchers = try useRegex ? (excludes ?? []).map { try PythonRegex($0) } : []
        let now = Date().timeIntervalSince1970

        func nameMatches(_ name: String) -> Bool {
            func glob(_ p: String) -> Bool { fnmatch(p, name, 0) == 0 }
            func regex(_ r: PythonRegex) -> Bool { r.firstMatch(in: name)?.range.location == 0 }
            let included = patterns.isEmpty ? true : (useRegex ? patternMatchers.contains(where: regex) : patterns.contains(where: glob))
            let excluded = useRegex ? excludeMatchers.contains(where: regex) : (excludes ?? []).contains(where: glob)
            return included && !excluded
        }

        var files: [Value] = []
        var skipped = OrderedDict()
        var warnings: [Value] = []
        var examined = 0
        for root in (args["paths"]?.listValue ?? []).compactMap(\.stringValue) {
            let path = try ops.expandUser(root)
            let maxDepth = recurse ? depth : 1
            let script = "p=\(shellQuote(path)); [ -d \"$p\" ] || { echo notdir; exit 0; }; printf 'umask='; umask\n"
                + "find \(follow ? "-L " : "")\"$p\" -mindepth 1 \(maxDepth.map { "-maxdepth \($0) " } ?? "")-exec stat -c 'stat=%f|%s|%u|%g|%U|%G|%.9X|%.9Y|%.9Z|%i|%d|%h|%b|%o|%t|%T|%n' {} + 2>/dev/null; true"
            let out = String(decoding: try ops.shell(script).stdout, as: UTF8.self)
            if out.hasPrefix("notdir") {
                skipped[path] = .string("'\(path)' is not a directory")
                warnings.append(.string("Skipped '\(path)' path due to this access issue: '\(path)' is not a directory\n"))
                continue
            }
            var entries: [RemoteStat] = []
            for line in out.split(separator: "\n") where line.hasPrefix("stat=") {
                let fields = line.split(separator: "|", maxSplits: 16, omittingEmptySubsequences: false)
                guard fields.count == 17 else { continue }
                entries.append(RemoteStat.parse("exists=1\n" + line, path: String(fields[16])))
            }
            examined += entries.count
            for entry in FindModule.walkOrder(entries, root: path) {
                let base = (entry.path as NSString).lastPathComponent
                if !hidden && base.hasPrefix(".") { continue }
                let typeOK: Bool
                switch fileType {
                case "directory": typeOK = entry.isDirectory
                case "link": typeOK = entry.isLink
                case "any": typeOK = true
                default: typeOK = entry.isFile
                }
                guard typeOK, nameMatches(base) else { continue }
                if let age {
                    let stamp = ageStamp == "atime" ? entry.atime : (ageStamp == "ctime" ? entry.ctime : entry.mtime)
                    if age >= 0 ? now - stamp < Double(age) : now - stamp >= Double(-age) { continue }
                }
                if let size, entry.isFile || fileType == "any" {
                    if size >= 0 ? entry.size < Int64(size) : entry.size > Int64(-size) { continue }
                }
                if let wantedMode {
                    let bits = try ModeParser.resolve(wantedMode, current: entry.mode, isDirectory: entry.isDirectory, umask: entry.umask)
                    if exactMode ? entry.mode != bits : entry.mode & bits != bits { continue }
                }
                if let contains {
                    guard entry.isFile, let data = try? ops.read(entry.path) else { continue }
                    let text = String(decoding: data, as: UTF8.self)
                    let hit = readWhole ? contains.matches(text)
                        : TextFileEditor.lines(text).contains { contains.firstMatch(in: $0)?.range.location == 0 }
                    if !hit { continue }
                }
                var info = entry
                if entry.isLink {
                    info.linkTarget = try ops.mustRun("readlink -- \(shellQuote(entry.path))", "readlink").trimmingCharacters(in: .newlines)
                    info.linkSource = try ops.mustRun("readlink -m -- \(shellQuote(entry.path))", "readlink").trimmingCharacters(in: .newlines)
                }
                if let checksum, entry.isFile { info.checksum = try ops.checksum(entry.path, algorithm: checksum) }
                var dict = OrderedDict()
                for (k, v) in info.statDictionary(includeMime: false, includeAttributes: false) where FindModule.statKeys.contains(k) {
                    dict[k] = v
                }
                files.append(.dict(dict))
                if let limit, files.count >= limit { break }
            }
        }
        var result = OrderedDict()
        result["changed"] = false
        result["examined"] = .int(examined)
        result["files"] = .list(files)
        result["matched"] = .int(files.count)
        result["msg"] = skipped.isEmpty ? "All paths examined" : "Not all paths examined, check warnings for details"
        result["skipped_paths"] = .dict(skipped)
        if !warnings.isEmpty { result["warnings"] = .list(warnings) }
        return .dict(result)
    }

    /// os.walk's order: at each directory its files, then its subdirectories, then the
    /// walk descends into each subdirectory in turn; entries keep directory-read order
    /// (which `find` shares).
    static func walkOrder(_ entries: [RemoteStat], root: String) -> [RemoteStat] {
        var children: [String: [RemoteStat]] = [:]
        for entry in entries { children[(entry.path as NSString).deletingLastPathComponent, default: []].append(entry) }
        var out: [RemoteStat] = []
        func visit(_ dir: String) {
            let items = children[dir] ?? []
            out += items.filter { !$0.isDirectory } + items.filter(\.isDirectory)
            for sub in items where sub.isDirectory { visit(sub.path) }
        }
        let start = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        visit(start)
        return out.count == entries.count ? out : entries
    }

    /// "10k", "-2d" … → a signed number of base units.
    static func parse(_ text: String, units: [String: Int], what: String) throws -> Int {
        let lower = text.lowercased()
        var digits = lower
        var multiplier = 1
        if let last = lower.last, let m = units[String(last)] {
            multiplier = m
            digits = String(lower.dropLast())
        }
        guard let n = Int(digits) else { throw ModuleFailure("failed to process \(what)") }
        return n * multiplier
    }
}
