import Foundation
import Synchronization

/// Wraps a host's connection for one module run at `-vvv` and up, and writes down what
/// went to the host the way ansible-core's connection plugins show it (`<host> EXEC …`,
/// `<host> PUT … TO …`, `<host> FETCH …`), so users see how many commands (and which
/// `become` wrapping) their task ran. Scripts, arguments, the task's environment and stdin
/// are not shown: they may carry secrets.
final class TracingConnection: Connection {
    private let base: Connection
    private let lines = Mutex<[String]>([])

    init(_ base: Connection) { self.base = base }

    /// The lines written so far, oldest first.
    var trace: [String] { lines.withLock { $0 } }

    var hostName: String { base.hostName }

    private func note(_ text: String) {
        lines.withLock { $0.append("<\(base.hostName)> " + text) }
    }

    /// The command's shape as the host runs it: the program, and the become wrapper with its
    /// user and flags, but not the script or arguments. Those are the module's arguments,
    /// which may be secrets (`no_log`, a password parameter); ansible-core's EXEC lines do
    /// not show them either (its arguments travel in the module payload).
    static func rendered(_ request: CommandRequest) -> String {
        let inner: String
        switch request.command {
        case .argv(let words): inner = "(a command of \(words.count) words)"
        case .shell(let script): inner = "\(request.executable ?? "/bin/sh") -c '…' (\(script.utf8.count) bytes)"
        }
        guard let become = request.become else { return inner }
        if become.method == "su" {
            return "\(become.exe ?? "su") \(become.flags.map { $0 + " " } ?? "")\(become.user) -c \(inner)"
        }
        var flags = ShellWords.splitLeniently(become.flags ?? "-H -S -n")
        if become.password != nil { flags.removeAll { $0 == "-n" } }
        return "\(become.exe ?? "sudo") \(flags.joined(separator: " ")) -u \(become.user) \(inner)"
    }

    func connect() throws { try base.connect() }

    func run(_ request: CommandRequest) throws -> CommandResult {
        note("EXEC " + Self.rendered(request))
        return try base.run(request)
    }

    func put(_ data: Data, to path: String, attributes: FileAttributes, become: BecomeSettings?) throws {
        note("PUT \(data.count) bytes TO \(path)")
        try base.put(data, to: path, attributes: attributes, become: become)
    }

    func putFile(_ localPath: String, to path: String, attributes: FileAttributes, become: BecomeSettings?) throws {
        note("PUT \(localPath) TO \(path)")
        try base.putFile(localPath, to: path, attributes: attributes, become: become)
    }

    func fetch(_ path: String, become: BecomeSettings?) throws -> Data {
        note("FETCH \(path)")
        return try base.fetch(path, become: become)
    }

    func fetchFile(_ path: String, to localPath: String, become: BecomeSettings?) throws {
        note("FETCH \(path) TO \(localPath)")
        try base.fetchFile(path, to: localPath, become: become)
    }

    func stat(_ path: String, followLinks: Bool) throws -> RemoteFileStatus? {
        note("STAT \(path)")
        return try base.stat(path, followLinks: followLinks)
    }

    func reset() throws { try base.reset() }
    func close() { base.close() }
    func interrupt() { base.interrupt() }
}
