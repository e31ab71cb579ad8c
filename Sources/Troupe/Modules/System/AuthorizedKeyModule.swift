import Foundation
import Jinja

/// `authorized_key` (ansible.posix): adds or removes SSH keys in a user's authorized_keys,
/// keeping the file's other lines and their order.
public struct AuthorizedKeyModule: RemoteModule {
    /// The module's name, `authorized_key` (also reached as `ansible.posix.authorized_key`).
    public let name = "authorized_key"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// ansible.posix's `authorized_key` parameters.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("user", required: true), .init("key", required: true), .init("path", .path),
            .init("manage_dir", .bool, default: true), .init("state", default: "present", choices: ["absent", "present"]),
            .init("key_options"), .init("exclusive", .bool, default: false), .init("comment"),
            .init("validate_certs", .bool, default: true), .init("follow", .bool, default: false),
        ])
    }

    static let keyTypes: Set<String> = ["sk-ecdsa-sha2-nistp256@openssh.com", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                                        "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "ssh-ed25519", "ssh-dss", "ssh-rsa"]

    /// One line of the file: a key (blob, type, options, comment) or a line kept verbatim.
    struct KeyLine {
        var blob: String
        var type: String?
        var options: [(String, String?)]
        var comment: String
        var rank: Int

        var rendered: String {
            guard let type else { return blob }
            let opts = options.map { option in option.1.map { "\(option.0)=\($0)" } ?? option.0 }.joined(separator: ",")
            return (opts.isEmpty ? "" : opts + " ") + "\(type) \(blob) \(comment)\n"
        }

        func sameKey(as other: KeyLine) -> Bool {
            blob == other.blob && type == other.type && comment == other.comment
                && Dictionary(options, uniquingKeysWith: { $1 }) == Dictionary(other.options, uniquingKeysWith: { $1 })
        }
    }

    /// sshd's comma-separated options; commas inside quotes do not split.
    static func parseOptions(_ text: String?) -> [(String, String?)] {
        guard let text, !text.isEmpty else { return [] }
        var parts: [String] = [], current = "", quote: Character?
        for ch in text {
            if let q = quote { current.append(ch); if ch == q { quote = nil }; continue }
            if ch == "\"" || ch == "'" { quote = ch; current.append(ch) } else if ch == "," { parts.append(current); current = "" } else { current.append(ch) }
        }
        parts.append(current)
        var out: [(String, String?)] = []
        for part in parts where !part.isEmpty {
            if let eq = part.firstIndex(of: "=") {
                let name = String(part[..<eq]), value = String(part[part.index(after: eq)...])
                if let i = out.firstIndex(where: { $0.0 == name }) { out[i].1 = value } else { out.append((name, value)) }
            } else if !out.contains(where: { $0.0 == part }) {
                out.append((part, nil))
            }
        }
        return out
    }

    /// Parses a key line; nil when it holds no known key type.
    static func parseKey(_ raw: String, rank: Int) -> KeyLine? {
        let text = raw.replacingOccurrences(of: "\\#", with: "#")
        let parts = PythonText.whitespaceSplit(text)
        if parts.first == "#" { return KeyLine(blob: text, type: nil, options: [], comment: "", rank: rank) }
        guard let typeIndex = parts.firstIndex(where: { keyTypes.contains($0) }), typeIndex + 1 < parts.count else { return nil }
        let options = typeIndex > 0 ? parseOptions(parts[..<typeIndex].joined(separator: " ")) : []
        return KeyLine(blob: parts[typeIndex + 1], type: parts[typeIndex], options: options,
                       comment: parts.dropFirst(typeIndex + 2).joined(separator: " "), rank: rank)
    }

    /// Reconciles the requested keys with the file and writes it when something changed.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let shell = SystemShell(connection, invocation)
        let user = args.string("user") ?? ""
        let state = args.string("state") ?? "present"
        let check = invocation.checkMode
        var key = args.string("key") ?? ""
        if key.hasPrefix("http") {
            let out = try shell.script("curl -fsSL \(args.flag("validate_certs") ? "" : "-k ")\(shellQuote(key)) 2>/dev/null || wget -qO- \(args.flag("validate_certs") ? "" : "--no-check-certificate ")\(shellQuote(key))")
            guard out.succeeded else { throw ModuleFailure("Error getting key from: \(key)") }
            key = out.stdout
        }
        let newKeys = PythonText.splitLines(key).filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let (keyFile, sshDir, owner) = try locate(args, user: user, shell: shell, check: check)
        let read = try shell.script("[ -f \(shellQuote(keyFile)) ] || exit 0; cat -- \(shellQuote(keyFile))")
        let existingText = read.stdout
        // Keyed by blob (or the whole line), in first-seen order; a repeated id keeps its place and takes the later rank.
        var order: [String] = []
        var existing: [String: KeyLine] = [:]
        for (rank, line) in TextFileEditor.lines(existingText).enumerated() {
            let parsed = Self.parseKey(line, rank: rank) ?? KeyLine(blob: line, type: nil, options: [], comment: "", rank: rank)
            let id = parsed.type == nil ? line : parsed.blob
            if existing[id] == nil { order.append(id) }
            existing[id] = parsed
        }
        var keep: [String] = []
        var write = false
        let maxRank = existing.count
        for (rank, raw) in newKeys.enumerated() {
            guard var parsed = Self.parseKey(raw, rank: rank), parsed.type != nil else { throw ModuleFailure("invalid key specified: \(raw)") }
            if let opts = args.string("key_options") { parsed.options = Self.parseOptions(opts) }
            if let comment = args.string("comment") { parsed.comment = comment }
            var matched = false
            if let old = existing[parsed.blob] {
                if !parsed.sameKey(as: old) && state == "present" {
                    existing[parsed.blob] = nil
                    order.removeAll { $0 == parsed.blob }
                    write = true
                } else {
                    matched = true
                }
            }
            if state == "present" {
                keep.append(parsed.blob)
                if !matched {
                    parsed.rank = maxRank + rank
                    if existing[parsed.blob] == nil { order.append(parsed.blob) }
                    existing[parsed.blob] = parsed
                    write = true
                }
            } else if matched {
                existing[parsed.blob] = nil
                order.removeAll { $0 == parsed.blob }
                write = true
            }
        }
        if state == "present" && args.flag("exclusive") {
            for id in order where !keep.contains(id) {
                existing[id] = nil
                write = true
            }
            order.removeAll { !keep.contains($0) }
        }
        var result = args
        result["keyfile"] = .string(keyFile)
        guard write else { return check ? ["changed": false] : .dict(result) }
        let content = order.compactMap { existing[$0] }.sorted { $0.rank < $1.rank }.map(\.rendered).joined()
        let diff: Value = invocation.diff ? ["before_header": .string(keyFile), "after_header": .string(keyFile),
                                             "before": .string(existingText), "after": .string(content)] : .null
        if check { return ["changed": true, "diff": diff] }
        try prepare(keyFile: keyFile, sshDir: sshDir, owner: owner, manageDir: args.flag("manage_dir"), shell: shell)
        let stat = try shell.ops.stat(keyFile, follow: true)
        try shell.ops.write(Data(content.utf8), to: keyFile, replacing: stat)
        if invocation.diff { result["diff"] = diff }
        result["changed"] = true
        return .dict(result)
    }

    /// The keys file (and its directory and owner "uid:gid"), as `keyfile()` computes it.
    private func locate(_ args: OrderedDict, user: String, shell: SystemShell, check: Bool) throws -> (String, String, String) {
        let path = try args.string("path").map { try shell.ops.expandUser($0) }
        let follow = args.flag("follow")
        func resolve(_ p: String) throws -> String {
            guard follow else { return p }
            let out = try shell.script("readlink -m -- \(shellQuote(p)) 2>/dev/null || realpath -- \(shellQuote(p))")
            return out.succeeded ? out.stdout.trimmingCharacters(in: .newlines) : p
        }
        if check, let path { return (try resolve(path), (path as NSString).deletingLastPathComponent, "") }
        let entry = try shell.script("getent passwd \(shellQuote(user))")
        let fields = entry.stdout.trimmingCharacters(in: .newlines).components(separatedBy: ":")
        guard entry.succeeded, fields.count >= 7 else {
            if check && path == nil { throw ModuleFailure("Either user must exist or you must provide full path to key file in check mode") }
            throw ModuleFailure("Failed to lookup user \(user): \"getpwnam(): name not found: '\(user)'\"")
        }
        let sshDir = path.map { ($0 as NSString).deletingLastPathComponent } ?? fields[5] + "/.ssh"
        return (try resolve(path ?? sshDir + "/authorized_keys"), sshDir, "\(fields[2]):\(fields[3])")
    }

    /// Creates the .ssh directory (0700) and the file (0600), owned by the user.
    private func prepare(keyFile: String, sshDir: String, owner: String, manageDir: Bool, shell: SystemShell) throws {
        var script = "set -e\n"
        if manageDir {
            script += "d=\(shellQuote(sshDir)); [ -e \"$d\" ] || mkdir -m 0700 -- \"$d\"; chown \(owner) \"$d\"; chmod 0700 \"$d\"\n"
        }
        script += """
        f=\(shellQuote(keyFile)); [ -e "$f" ] || { mkdir -p -- "$(dirname -- "$f")"; : > "$f"; }
        chown \(owner) "$f" 2>/dev/null || true; chmod 0600 "$f" 2>/dev/null || true
        """
        let out = try shell.script(script)
        guard out.succeeded else { throw ModuleFailure("Failed to create directory \(sshDir) : \(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines))") }
    }
}
