import Foundation
import Jinja

/// What one command printed, as text.
struct CommandOutput {
    var rc: Int
    var stdout: String
    var stderr: String
    var succeeded: Bool { rc == 0 }
}

/// Running the host's system tools (useradd, crontab, sysctl …) for the system modules:
/// argv quoted for `/bin/sh`, with the sbin directories Ansible's `get_bin_path` searches
/// added to PATH, since an unprivileged login shell often lacks them.
struct SystemShell {
    let ops: RemoteFileOps
    let environment: [String: String]

    init(_ connection: Connection, _ invocation: ModuleInvocation) {
        ops = RemoteFileOps(connection, invocation)
        environment = invocation.environment
    }

    static let pathPrefix = "PATH=\"$PATH:/sbin:/usr/sbin:/usr/local/sbin:/bin:/usr/bin\"; export PATH\n"

    /// Runs a shell script (with the extended PATH).
    @discardableResult
    func script(_ text: String, stdin: String? = nil) throws -> CommandOutput {
        let request = CommandRequest(.shell(Self.pathPrefix + text), stdin: stdin.map { Data($0.utf8) },
                                     environment: environment, become: ops.become)
        let r = try ops.connection.run(request)
        return CommandOutput(rc: r.timedOut ? -1 : Int(r.rc), stdout: String(decoding: r.stdout, as: UTF8.self),
                             stderr: String(decoding: r.stderr, as: UTF8.self))
    }

    /// Runs one program with its arguments, each quoted.
    @discardableResult
    func run(_ argv: [String], stdin: String? = nil) throws -> CommandOutput {
        try script(Self.commandLine(argv), stdin: stdin)
    }

    /// Whether `program` is on the (extended) PATH; its path when it is.
    func which(_ program: String) throws -> String? {
        let r = try script("command -v \(shellQuote(program))")
        let path = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return r.succeeded && !path.isEmpty ? path : nil
    }

    /// Fails like Ansible's `get_bin_path(..., required=True)` when `program` is missing.
    func requireProgram(_ program: String) throws -> String {
        if let path = try which(program) { return path }
        throw ModuleFailure("Failed to find required executable \"\(program)\" in paths: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    }

    static func commandLine(_ argv: [String]) -> String { argv.map(shellQuote).joined(separator: " ") }
}

extension OrderedDict {
    /// A string argument, nil when absent.
    func string(_ key: String) -> String? { self[key]?.stringValue }
    /// An integer argument, nil when absent.
    func int(_ key: String) -> Int? { self[key]?.intValue }
}
