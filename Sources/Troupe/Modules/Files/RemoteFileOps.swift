import Foundation
import Jinja

/// Shell snippets (POSIX sh + coreutils) that file modules run on the host, and the
/// parsing of what they print. Every call is one round trip.
public struct RemoteFileOps {
    /// The host's connection.
    public let connection: Connection
    /// Privilege escalation for every command and transfer.
    public let become: BecomeSettings?

    /// Operations on the host behind `connection`.
    public init(connection: Connection, become: BecomeSettings?) {
        self.connection = connection
        self.become = become
    }

    /// Statuses taken since this value last changed anything on the host: a module reads a
    /// path's status several times (before, after setting attributes, for its result),
    /// and each read would be a round trip.
    private let statMemo = StatMemo()

    init(_ connection: Connection, _ invocation: ModuleInvocation) {
        self.init(connection: connection, become: invocation.become)
    }

    /// Runs a script with `/bin/sh`.
    @discardableResult
    public func shell(_ script: String, stdin: Data? = nil) throws -> CommandResult {
        statMemo.forget()
        return try look(script, stdin: stdin)
    }

    /// Runs a script that only reads, so the status memo stays valid.
    private func look(_ script: String, stdin: Data? = nil) throws -> CommandResult {
        try connection.run(CommandRequest(.shell(script), stdin: stdin, become: become))
    }

    /// Runs a script and fails the module with its stderr when it exits non-zero.
    @discardableResult
    func mustRun(_ script: String, _ what: String) throws -> String {
        let r = try shell(script)
        guard r.rc == 0 else {
            let err = String(decoding: r.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ModuleFailure("\(what): \(err)")
        }
        return String(decoding: r.stdout, as: UTF8.self)
    }

    /// Checksum algorithms Ansible accepts, mapped to their coreutils programs.
    /// (GNU coreutils first, then the BSD/macOS equivalent; a missing program fails
    /// before reading stdin, so the fallback still sees the whole file.)
    static let checksumPrograms = ["md5": "{ md5sum 2>/dev/null || md5 -r; }", "sha1": "{ sha1sum 2>/dev/null || shasum -a 1; }",
                                   "sha224": "{ sha224sum 2>/dev/null || shasum -a 224; }",
                                   "sha256": "{ sha256sum 2>/dev/null || shasum -a 256; }",
                                   "sha384": "{ sha384sum 2>/dev/null || shasum -a 384; }",
                                   "sha512": "{ sha512sum 2>/dev/null || shasum -a 512; }"]

    /// The stat script body for `$p` (already set); prints `key=value` lines.
    static func statScript(follow: Bool, checksum: String?, mime: Bool, attributes: Bool) -> String {
        let L = follow ? "-L " : ""
        var s = """
        printf 'umask='; umask
        if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo exists=0; exit 0; fi
        echo exists=1
        [ -e "$p" ] && echo tgt=1
        stat \(L)-c 'stat=%f|%s|%u|%g|%U|%G|%.9X|%.9Y|%.9Z|%i|%d|%h|%b|%o|%t|%T' -- "$p" 2>/dev/null || stat \(L)-f 'bstat=%p|%z|%u|%g|%Su|%Sg|%Fa|%Fm|%Fc|%i|%d|%l|%b|%k|%Hr|%Lr' -- "$p" || exit 3
        [ -r "$p" ] && echo r=1
        [ -w "$p" ] && echo w=1
        [ -x "$p" ] && echo x=1

        """
        if !follow {
            s += """
            if [ -L "$p" ]; then printf 'lnk_target=%s\\n' "$(readlink -- "$p")"; printf 'lnk_source=%s\\n' "$(readlink -m -- "$p" 2>/dev/null || realpath -- "$p" 2>/dev/null || readlink -f -- "$p")"; fi

            """
        }
        if let checksum, let program = checksumPrograms[checksum] {
            let cond = follow ? "[ -f \"$p\" ]" : "[ -f \"$p\" ] && [ ! -L \"$p\" ]"
            // Printed straight after the key rather than through $(...): one process fewer.
            s += "if \(cond) && [ -r \"$p\" ]; then printf 'checksum='; { \(program) || echo; } < \"$p\"; fi\n"
        }
        if mime {
            // Ansible runs `file` on the path itself even with follow (a link reports inode/symlink).
            s += """
            if command -v file >/dev/null 2>&1; then printf 'mime_charset=%s\\n' "$(file -b -i -- "$p" 2>/dev/null)"; fi

            """
        }
        if attributes {
            s += "if command -v lsattr >/dev/null 2>&1 && { [ ! -L \"$p\" ] || \(follow ? "true" : "false"); }; then printf 'lsattr=%s\\n' \"$(lsattr -vd -- \"$p\" 2>/dev/null)\"; fi\n"
        }
        return s
    }

    /// Stats `path` (lstat unless `follow`), optionally with a checksum, mime type and
    /// `lsattr` flags — one round trip.
    public func stat(_ path: String, follow: Bool = false, checksum: String? = nil, mime: Bool = false,
                     attributes: Bool = false) throws -> RemoteStat {
        let key = "\(follow) \(checksum ?? "-") \(mime) \(attributes) \(path)"
        if let known = statMemo[key] { return known }
        // A status taken with a checksum answers a request without one.
        if checksum == nil, var known = statMemo["\(follow) sha1 \(mime) \(attributes) \(path)"] {
            known.checksum = nil
            return known
        }
        let script = "p=\(shellQuote(path))\n" + RemoteFileOps.statScript(follow: follow, checksum: checksum, mime: mime, attributes: attributes)
        let r = try look(script)
        let status = RemoteStat.parse(String(decoding: r.stdout, as: UTF8.self), path: path)
        statMemo[key] = status
        return status
    }

    /// Reads a whole file.
    public func read(_ path: String) throws -> Data {
        try connection.fetch(path, become: become)
    }

    /// Writes `data` to `path` atomically, keeping the permissions (and, when allowed, the
    /// ownership) of the file it replaces.
    public func write(_ data: Data, to path: String, replacing existing: RemoteStat?) throws {
        var attributes = FileAttributes()
        if let existing, existing.exists, existing.kind == .file {
            attributes.mode = existing.mode
            attributes.owner = String(existing.uid)
            attributes.group = String(existing.gid)
        }
        do {
            statMemo.forget()
            try connection.put(data, to: path, attributes: attributes, become: become)
        } catch where attributes.owner != nil {
            attributes.owner = nil
            attributes.group = nil
            statMemo.forget()
            try connection.put(data, to: path, attributes: attributes, become: become)
        }
    }

    /// Copies `path` to `path.<pid>.<timestamp>~` (Ansible's backup name) and returns it.
    public func backup(_ path: String) throws -> String {
        let out = try mustRun("""
        p=\(shellQuote(path)); b="$p.$$.$(date +%Y-%m-%d@%H:%M:%S)~"
        cp -p -- "$p" "$b" && printf '%s' "$b"
        """, "Could not make backup of \(path) to backup file")
        return out
    }

    /// Checksum of a remote file (nil when it is missing or unreadable).
    public func checksum(_ path: String, algorithm: String = "sha1") throws -> String? {
        guard let program = RemoteFileOps.checksumPrograms[algorithm] else { return nil }
        let r = try look("\(program) < \(shellQuote(path))")
        guard r.rc == 0 else { return nil }
        return String(decoding: r.stdout, as: UTF8.self).split(separator: " ").first.map(String.init)
    }

    /// Runs `validate` (`%s` replaced by the quoted temp path) on `data` placed in a
    /// temporary file next to `dest`; fails the module when the command fails.
    /// `brief` is the form lineinfile, blockinfile and replace fail with ("failed to validate:
    /// rc:1 error:…", no output fields); copy and template keep the output in the result.
    public func validate(_ command: String, data: Data, near dest: String, brief: Bool = false) throws {
        guard command.contains("%s") else { throw ModuleFailure("validate must contain %s: \(command)") }
        let dir = (dest as NSString).deletingLastPathComponent
        let temp = (dir.isEmpty ? "." : dir) + "/.troupe_validate_\(UUID().uuidString.prefix(12))"
        statMemo.forget()
        try connection.put(data, to: temp, attributes: FileAttributes(mode: 0o600), become: become)
        defer { _ = try? shell("rm -f -- \(shellQuote(temp))") }
        let r = try shell(command.replacingOccurrences(of: "%s", with: shellQuote(temp)))
        if r.rc != 0 && brief {
            throw ModuleFailure("failed to validate: rc:\(r.rc) error:\(String(decoding: r.stderr, as: UTF8.self))")
        }
        if r.rc != 0 {
            var extra = OrderedDict()
            extra["exit_status"] = .int(Int(r.rc))
            extra["stdout"] = .string(String(decoding: r.stdout, as: UTF8.self))
            extra["stderr"] = .string(String(decoding: r.stderr, as: UTF8.self))
            throw ModuleFailure("failed to validate", extra)
        }
    }

    /// Home-directory expansion of a leading `~` (as os.path.expanduser does on the host).
    public func expandUser(_ path: String) throws -> String {
        guard path.hasPrefix("~") else { return path }
        let head = path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? "~"
        // Only a bare `~` or `~user` is expanded; anything else is not a user name.
        guard head.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else { return path }
        let r = try shell("eval echo \(head)")
        let home = String(decoding: r.stdout, as: UTF8.self).trimmingCharacters(in: .newlines)
        guard r.rc == 0, !home.isEmpty else { return path }
        if let slash = path.firstIndex(of: "/") { return home + String(path[slash...]) }
        return home
    }
}

/// The memo behind ``RemoteFileOps/stat(_:follow:checksum:mime:attributes:)``; a class so
/// copies of the ops value share it.
private final class StatMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var known: [String: RemoteStat] = [:]

    subscript(key: String) -> RemoteStat? {
        get { lock.lock(); defer { lock.unlock() }; return known[key] }
        set { lock.lock(); known[key] = newValue; lock.unlock() }
    }

    func forget() {
        lock.lock()
        known.removeAll()
        lock.unlock()
    }
}
