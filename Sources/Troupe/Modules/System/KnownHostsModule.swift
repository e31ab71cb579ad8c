import Foundation
import Jinja

/// `known_hosts`: adds, replaces or removes a host's key in a known_hosts file, using the
/// host's ssh-keygen to look hosts up (hashed entries included).
public struct KnownHostsModule: RemoteModule {
    /// The module's name, `known_hosts` (also reached as `ansible.builtin.known_hosts`).
    public let name = "known_hosts"
    /// Check mode is supported: the module reports what it would do without doing it.
    public var supportsCheckMode: Bool { true }
    /// Creates the plugin (it has no state).
    public init() {}

    /// Ansible's `known_hosts` parameters.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("name", required: true, aliases: ["host"]), .init("key"), .init("path", .path, default: "~/.ssh/known_hosts"),
            .init("hash_host", .bool, default: false), .init("state", default: "present", choices: ["absent", "present"]),
        ])
    }

    struct Entry: Equatable {
        var options: String?
        var host: String
        var type: String
        var key: String

        init?(_ line: String) {
            let k = PythonText.whitespaceSplit(line)
            let offset = k.first?.hasPrefix("@") == true ? 1 : 0
            guard k.count >= 3 + offset else { return nil }
            options = offset == 1 ? k[0] : nil
            host = k[offset]
            type = k[offset + 1]
            key = k[offset + 2]
        }
    }

    /// Finds the host's entries with `ssh-keygen -F` and rewrites the file when the key
    /// must be added, replaced or removed.
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let shell = SystemShell(connection, invocation)
        let host = (args.string("name") ?? "").lowercased()
        let state = args.string("state") ?? "present"
        let path = try shell.ops.expandUser(args.string("path") ?? "~/.ssh/known_hosts")
        var key = args.string("key")
        var result = args
        result["path"] = .string(path)
        if result["key"] == nil { result["key"] = .null }
        _ = try shell.requireProgram("ssh-keygen")
        if (key ?? "").isEmpty && state != "absent" { throw ModuleFailure("No key specified when adding a host") }
        if let k = key, !k.isEmpty {
            if args.flag("hash_host") { key = try hashed(host: host, key: k, shell) }
            if !(key!.hasSuffix("\n")) { key! += "\n" }
            try sanityCheck(host: host, key: key!, shell)
        }
        if key?.isEmpty == true { key = nil }
        let (found, replaceOrAdd, foundLine) = try search(host: host, key: key, path: path, shell)

        let read = try shell.script("[ -e \(shellQuote(path)) ] || exit 3; cat -- \(shellQuote(path))")
        let before = read.succeeded ? read.stdout : ""
        var lines = TextFileEditor.lines(before)
        if (replaceOrAdd || state == "absent"), let n = foundLine, n >= 1, n <= lines.count { lines.remove(at: n - 1) }
        if state == "present", replaceOrAdd || foundLine == nil, let key { lines.append(key) }
        result["diff"] = ["before_header": .string(read.rc == 3 ? "/dev/null" : path), "after_header": .string(path),
                          "before": .string(before), "after": .string(lines.joined())]
        result["changed"] = false
        if state == "absent" && foundLine == nil && key != nil { return .dict(result) }
        if invocation.checkMode {
            result["changed"] = .bool(replaceOrAdd || (state == "present") != found)
            return .dict(result)
        }
        if found && key == nil && state == "absent" {
            let out = try shell.run(["ssh-keygen", "-R", host, "-f", path])
            guard out.succeeded else { throw ModuleFailure(out.stderr, ["rc": .int(out.rc), "stdout": .string(out.stdout), "stderr": .string(out.stderr)]) }
            result["changed"] = true
        }
        if replaceOrAdd || found != (state == "present") {
            // Read again: `ssh-keygen -R` may just have rewritten the file.
            let current = try shell.script("[ -e \(shellQuote(path)) ] || exit 0; cat -- \(shellQuote(path))").stdout
            var kept = TextFileEditor.lines(current)
            if let n = foundLine, replaceOrAdd || state == "absent", n >= 1, n <= kept.count { kept.remove(at: n - 1) }
            if state == "present", let key { kept.append(key) }
            let stat = try shell.ops.stat(path, follow: true)
            do {
                if stat.exists { try shell.ops.write(Data(kept.joined().utf8), to: path, replacing: stat) }
                else { try connection.put(Data(kept.joined().utf8), to: path, attributes: FileAttributes(mode: 0o644), become: invocation.become) }
            } catch {
                throw ModuleFailure("Failed to write to file '\(path)'.")
            }
            result["changed"] = true
        }
        return .dict(result)
    }

    private func temporaryFile(_ text: String, _ shell: SystemShell) throws -> String {
        let path = try shell.script("mktemp").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try shell.ops.connection.put(Data(text.utf8), to: path, attributes: FileAttributes(mode: 0o600), become: shell.ops.become)
        return path
    }

    /// The key line with its host field hashed (`|1|salt|hash`), by `ssh-keygen -H`.
    private func hashed(host: String, key: String, _ shell: SystemShell) throws -> String {
        var parts = PythonText.whitespaceSplit(key)
        let i = parts.first?.hasPrefix("@") == true ? 1 : 0
        guard parts.count > i else { return key }
        parts[i] = host
        let temp = try temporaryFile(parts.joined(separator: " ") + "\n", shell)
        let out = try shell.script("ssh-keygen -q -H -f \(shellQuote(temp)) >/dev/null 2>&1; cat -- \(shellQuote(temp)); rm -f -- \(shellQuote(temp)) \(shellQuote(temp)).old")
        return out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func sanityCheck(host: String, key: String, _ shell: SystemShell) throws {
        if host.range(of: #"\S+(\s+)?,(\s+)?"#, options: .regularExpression) != nil {
            throw ModuleFailure("Comma separated list of names is not supported. Please pass a single name to lookup in the known_hosts file.")
        }
        let temp = try temporaryFile(key, shell)
        let out = try shell.script("ssh-keygen -F \(shellQuote(host)) -f \(shellQuote(temp)); rc=$?; rm -f -- \(shellQuote(temp)); exit $rc")
        if out.stdout.isEmpty { throw ModuleFailure("Host parameter does not match hashed host field in supplied key") }
    }

    private func search(host: String, key: String?, path: String, _ shell: SystemShell) throws -> (Bool, Bool, Int?) {
        let out = try shell.script("[ -e \(shellQuote(path)) ] || exit 99; ssh-keygen -F \(shellQuote(host)) -f \(shellQuote(path))")
        if out.rc == 99 { return (false, false, nil) }
        if out.stdout.isEmpty && out.stderr.isEmpty && (out.rc == 0 || out.rc == 1) { return (false, false, nil) }
        if out.rc != 0 { throw ModuleFailure("ssh-keygen failed (rc=\(out.rc), stdout='\(out.stdout)',stderr='\(out.stderr)')") }
        guard let key, var wanted = Entry(key) else { return (true, false, nil) }
        var foundLine: Int?
        for line in out.stdout.components(separatedBy: "\n") where !line.isEmpty {
            if line.hasPrefix("#") {
                if let r = line.range(of: #"found: line (\d+)"#, options: .regularExpression) {
                    foundLine = Int(line[r].split(separator: " ").last ?? "")
                }
                continue
            }
            guard let existing = Entry(line) else { continue }
            if let options = existing.options, options.hasPrefix("@cert-authority") || options.hasPrefix("@revoke") {
                if wanted == existing { return (true, false, foundLine) }
                continue
            }
            if wanted.host.hasPrefix("|1|") && existing.host.hasPrefix("|1|") { wanted.host = existing.host }
            if wanted == existing { return (true, false, foundLine) }
            if wanted.type == existing.type { return (true, true, foundLine) }
        }
        return (true, true, nil)
    }
}
