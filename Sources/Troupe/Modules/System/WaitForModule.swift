import Foundation
import Jinja

/// `wait_for`: waits on the host for a TCP port to open, close or drain, or for a file to
/// appear (optionally containing a pattern) or disappear. Each probe is one command on the
/// host (bash's /dev/tcp or nc for ports, /proc/net/tcp for drained), repeated every `sleep`
/// seconds until `timeout`.
public struct WaitForModule: RemoteModule {
    /// The module's name, `wait_for` (also reached as `ansible.builtin.wait_for`).
    public let name = "wait_for"
    /// Creates the plugin (it has no state).
    public init() {}

    static let connectionStates = ["ESTABLISHED": "01", "SYN_SENT": "02", "SYN_RECV": "03", "FIN_WAIT1": "04", "FIN_WAIT2": "05",
                                   "TIME_WAIT": "06", "CLOSE": "07", "CLOSE_WAIT": "08", "LAST_ACK": "09", "LISTEN": "0A", "CLOSING": "0B"]

    /// Ansible's `wait_for` parameters.
    public var argumentSpec: ArgumentSpec {
        ArgumentSpec([
            .init("host", default: "127.0.0.1"), .init("timeout", .int, default: 300), .init("connect_timeout", .int, default: 5),
            .init("delay", .int, default: 0), .init("port", .int),
            .init("active_connection_states", .list, default: ["ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "SYN_RECV", "SYN_SENT", "TIME_WAIT"], elements: .str),
            .init("path", .path), .init("search_regex"),
            .init("state", default: "started", choices: ["absent", "drained", "present", "started", "stopped"]),
            .init("exclude_hosts", .list, elements: .str), .init("sleep", .int, default: 1), .init("msg"),
        ])
    }

    /// Polls until the condition holds; fails with Ansible's timeout messages (or `msg`).
    public func run(_ args: OrderedDict, invocation: ModuleInvocation, connection: Connection) throws -> Value {
        let shell = SystemShell(connection, invocation)
        let host = args.string("host") ?? "127.0.0.1"
        let timeout = Double(args.int("timeout") ?? 300)
        let connectTimeout = args.int("connect_timeout") ?? 5
        let port = args.int("port")
        let path = try args.string("path").map { try shell.ops.expandUser($0) }
        let state = args.string("state") ?? "started"
        let pattern = args.string("search_regex")
        let message = args.string("msg")
        let regex = try pattern.map { try PythonRegex($0, multiline: true) }
        if port != nil && path != nil { throw ModuleFailure("port and path parameter can not both be passed to wait_for", ["elapsed": 0]) }
        if path != nil && state == "stopped" { throw ModuleFailure("state=stopped should only be used for checking a port in the wait_for module", ["elapsed": 0]) }
        if path != nil && state == "drained" { throw ModuleFailure("state=drained should only be used for checking a port in the wait_for module", ["elapsed": 0]) }
        if args["exclude_hosts"] != nil && state != "drained" { throw ModuleFailure("exclude_hosts should only be with state=drained", ["elapsed": 0]) }
        let activeStates = args["active_connection_states"]?.listValue?.compactMap(\.stringValue) ?? []
        for s in activeStates where Self.connectionStates[s] == nil {
            throw ModuleFailure("unknown active_connection_state (\(s)) defined", ["elapsed": 0])
        }
        let start = Date()
        if let delay = args.int("delay"), delay > 0 { Thread.sleep(forTimeInterval: Double(delay)) }
        let end = start.addingTimeInterval(timeout)
        let pause = Double(args.int("sleep") ?? 1)
        var groups: [Value] = [], groupDict = OrderedDict()
        func elapsed() -> Value { .int(Int(Date().timeIntervalSince(start))) }
        func timedOut(_ text: String) -> ModuleFailure { ModuleFailure(message ?? text, ["elapsed": elapsed()]) }
        func poll(_ probe: () throws -> Bool) throws -> Bool {
            while Date() < end {
                if try probe() { return true }
                Thread.sleep(forTimeInterval: max(0, min(pause, end.timeIntervalSinceNow)))
            }
            return false
        }
        func record(_ match: NSTextCheckingResult, in text: String) {
            let ns = text as NSString
            groups = (1..<max(1, match.numberOfRanges)).map { i in
                let r = match.range(at: i)
                return r.location == NSNotFound ? .null : .string(ns.substring(with: r))
            }
            for name in Self.groupNames(pattern ?? "") {
                let r = match.range(withName: name)
                groupDict[name] = r.location == NSNotFound ? .null : .string(ns.substring(with: r))
            }
        }

        if port == nil && path == nil && state != "drained" {
            Thread.sleep(forTimeInterval: max(0, end.timeIntervalSinceNow))
        } else if state == "absent" || state == "stopped" {
            let gone = try poll {
                if let path { return try !shell.script("[ -e \(shellQuote(path)) ] || [ -L \(shellQuote(path)) ]").succeeded }
                return try !Self.canConnect(host: host, port: port!, timeout: connectTimeout, shell)
            }
            if !gone {
                if let port { throw timedOut("Timeout when waiting for \(host):\(port) to stop.") }
                throw timedOut("Timeout when waiting for \(path!) to be absent.")
            }
        } else if state == "started" || state == "present" {
            let ready = try poll {
                if let path {
                    let out = try shell.script("p=\(shellQuote(path)); [ -e \"$p\" ] || exit 2; \(regex == nil ? "exit 0" : "cat -- \"$p\"")")
                    if out.rc == 2 { return false }
                    guard let regex else { return true }
                    guard out.succeeded, let m = regex.firstMatch(in: out.stdout) else { return false }
                    record(m, in: out.stdout)
                    return true
                }
                let remaining = Int(end.timeIntervalSinceNow.rounded(.up))
                let limit = max(1, min(connectTimeout, remaining))
                guard let regex else { return try Self.canConnect(host: host, port: port!, timeout: limit, shell) }
                let data = try Self.read(host: host, port: port!, timeout: limit, shell)
                guard let m = regex.firstMatch(in: data) else { return false }
                record(m, in: data)
                return true
            }
            if !ready {
                if let port {
                    throw timedOut(pattern.map { "Timeout when waiting for search string \($0) in \(host):\(port)" } ?? "Timeout when waiting for \(host):\(port)")
                }
                throw timedOut(pattern.map { "Timeout when waiting for search string \($0) in \(path!)" } ?? "Timeout when waiting for file \(path!)")
            }
        } else {
            let excluded = args["exclude_hosts"]?.listValue?.compactMap(\.stringValue) ?? []
            let drained = try poll {
                try Self.activeConnections(port: port ?? 0, states: activeStates, excluding: excluded, shell) == 0
            }
            if !drained { throw timedOut("Timeout when waiting for \(host):\(port.map(String.init) ?? "None") to drain") }
        }
        return ["changed": false, "state": .string(state), "port": port.map { .int($0) } ?? .null,
                "search_regex": pattern.map { .string($0) } ?? .null, "match_groups": .list(groups),
                "match_groupdict": .dict(groupDict), "path": path.map { .string($0) } ?? .null, "elapsed": elapsed()]
    }

    /// Names of the pattern's `(?P<name>…)` groups.
    static func groupNames(_ pattern: String) -> [String] {
        guard let r = try? NSRegularExpression(pattern: #"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>"#) else { return [] }
        let ns = pattern as NSString
        return r.matches(in: pattern, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
    }

    private static func tcpScript(host: String, port: Int, timeout: Int, body: String) -> String {
        """
        h=\(shellQuote(host)); p=\(port); t=\(timeout)
        if command -v bash >/dev/null 2>&1; then timeout "$t" bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1; \(body)' "$h" "$p" 2>/dev/null
        elif command -v nc >/dev/null 2>&1; then \(body == "exit 0" ? "nc -z -w \"$t\" \"$h\" \"$p\"" : "timeout \"$t\" nc -w \"$t\" \"$h\" \"$p\" </dev/null") 2>/dev/null
        else echo "wait_for needs bash or nc on the host to check ports" >&2; exit 3; fi
        """
    }

    static func canConnect(host: String, port: Int, timeout: Int, _ shell: SystemShell) throws -> Bool {
        let out = try shell.script(tcpScript(host: host, port: port, timeout: timeout, body: "exit 0"))
        if out.rc == 3 { throw ModuleFailure(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return out.succeeded
    }

    /// What the port sends within `timeout` seconds (until the peer closes).
    static func read(host: String, port: Int, timeout: Int, _ shell: SystemShell) throws -> String {
        let out = try shell.script(tcpScript(host: host, port: port, timeout: timeout, body: "cat <&3"))
        if out.rc == 3 { throw ModuleFailure(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return out.stdout
    }

    /// Connections to local `port` in one of `states` (from /proc/net/tcp and tcp6),
    /// ignoring peers listed in `excluding`.
    static func activeConnections(port: Int, states: [String], excluding: [String], _ shell: SystemShell) throws -> Int {
        let out = try shell.script("cat /proc/net/tcp /proc/net/tcp6 2>/dev/null")
        let wanted = Set(states.compactMap { connectionStates[$0] })
        let portHex = String(format: "%04X", port)
        var count = 0
        for line in PythonText.splitLines(out.stdout) {
            let f = PythonText.whitespaceSplit(line)
            guard f.count > 3, f[1].hasSuffix(":" + portHex), wanted.contains(f[3].uppercased()) else { continue }
            let remote = f[2].split(separator: ":").first.map(String.init) ?? ""
            if excluding.contains(where: { remote == Self.procAddress($0) }) { continue }
            count += 1
        }
        return count
    }

    /// An IPv4 address in /proc/net/tcp's little-endian hex form.
    static func procAddress(_ ip: String) -> String {
        let parts = ip.split(separator: ".").compactMap { UInt8($0) }
        guard parts.count == 4 else { return ip }
        return parts.reversed().map { String(format: "%02X", $0) }.joined()
    }
}
