import CLibSSH
import Foundation

/// Runs commands and transfers files on one host over a single libssh session, opened on
/// first use and reused: commands go through one persistent remote shell, files through one
/// SFTP session (or the shell when the server has no SFTP subsystem).
///
/// Every libssh call happens on the connection's own thread; the blocking methods of
/// ``Connection`` may be called from any thread (not from Swift's cooperative pool).
public final class SSHConnection: Connection, @unchecked Sendable {
    /// The inventory name of the host.
    public let hostName: String
    /// How the host is reached.
    public let parameters: SSHConnectionParameters
    /// Problems with the ssh arguments that were ignored (unsupported `-o` options).
    public let warnings: [String]

    let arguments: SSHArguments
    private let worker: SSHWorkerThread
    private let interruption = InterruptFlag()

    // State below is touched only on the worker thread.
    private var session: SSHSession?
    private var shell: PersistentShell?
    private var sftp: SFTPChannel?
    private var sftpUnavailable = false

    /// Creates the connection; nothing is opened until the first call.
    public init(hostName: String, parameters: SSHConnectionParameters) {
        self.hostName = hostName
        self.parameters = parameters
        arguments = SSHArguments([parameters.sshCommonArgs, parameters.sshExtraArgs])
        warnings = arguments.warnings
        worker = SSHWorkerThread(name: "ssh:\(hostName)")
    }

    deinit { close() }

    /// Opens the session (connect, host key check, authentication) and the persistent
    /// shell if needed, so a background connect leaves nothing for the first task to wait on.
    public func connect() throws {
        try worker.sync {
            let session = try openSession()
            guard shell == nil else { return }
            do {
                shell = try PersistentShell(session: session, interruption: interruption)
            } catch ShellFailure.sessionLost(let message) {
                dropSession()
                throw UnreachableError(message)
            } catch ShellFailure.channelBroken {
                // Left for the first command, which reopens the shell once and reports.
                dropShell()
            }
        }
    }

    /// Runs a command through the persistent shell.
    public func run(_ request: CommandRequest) throws -> CommandResult {
        var script = try ShellScriptBuilder.inner(request)
        var stdin = request.stdin
        let become = request.become.map(BecomeScript.init(settings:))
        if let become {
            script = become.wrap(script)
            stdin = become.stdin(for: stdin)
        }
        return try worker.sync {
            let start = monotonicNow()
            // The remote `timeout` kills the command; this later deadline only catches a
            // shell that stopped answering.
            let deadline = request.timeout.map { start + $0 + max(10, parameters.timeout) }
            let reply: (rc: Int32, stdout: Data, stderr: Data)
            do {
                reply = try execute(script: script, stdin: stdin, deadline: deadline)
            } catch ShellFailure.deadlineExceeded {
                dropShell()
                return CommandResult(rc: -9, stdout: Data(), stderr: Data("command timed out and the remote shell did not answer".utf8), timedOut: true)
            } catch ShellFailure.interrupted {
                dropShell()
                return LocalConnection.interruptedResult
            }
            let stderr = try become?.strip(reply.stderr) ?? reply.stderr
            var timedOut = false
            if let timeout = request.timeout, reply.rc == 124 || reply.rc == 137 {
                timedOut = monotonicNow() - start >= timeout * 0.95
            }
            return CommandResult(rc: reply.rc, stdout: reply.stdout, stderr: stderr, timedOut: timedOut)
        }
    }

    /// Signals the processes of the running command (via the SSH session) and fails it;
    /// later commands fail at once.
    public func interrupt() { interruption.set() }

    /// Drops session, shell and SFTP; the next call reconnects.
    public func reset() throws {
        try worker.sync { dropSession() }
    }

    /// Ends the session and the connection's thread.
    public func close() {
        _ = try? worker.sync { dropSession() }
        worker.stop()
    }

    // MARK: - Worker-thread internals

    func openSession() throws -> SSHSession {
        if let session, session.isConnected { return session }
        dropSession()
        let fresh = try SSHSession(parameters: parameters, arguments: arguments)
        session = fresh
        return fresh
    }

    func dropShell() {
        shell?.closeChannel()
        shell = nil
    }

    func dropSession() {
        dropShell()
        sftp = nil
        sftpUnavailable = false
        session = nil
    }

    /// Sends a script to the shell, reopening the shell once if its channel broke before
    /// the request could have run. A lost session drops everything and throws unreachable.
    func execute(script: String, stdin: Data?, deadline: Double?) throws -> (rc: Int32, stdout: Data, stderr: Data) {
        var retried = false
        while true {
            if let current = shell, !current.settleIdle() {
                // The connection died while idle (sshd restarted, peer rebooted): nothing of
                // this request has been sent, so reconnecting is safe.
                dropShell()
                if let session, !session.isConnected { dropSession() }
            }
            let session = try openSession()
            do {
                if shell == nil || !(shell!.isUsable) {
                    dropShell()
                    shell = try PersistentShell(session: session, interruption: interruption)
                }
                return try shell!.execute(script: script, stdin: stdin, deadline: deadline)
            } catch ShellFailure.sessionLost(let message) {
                dropSession()
                throw UnreachableError(message)
            } catch ShellFailure.channelBroken(let message, let started) {
                dropShell()
                if !retried && !started {
                    retried = true
                    continue
                }
                throw UnreachableError("Failed to connect to the host via ssh: the remote shell on \(session.address) failed: \(message)")
            }
        }
    }

    /// Runs a script as the login user, optionally under become; throws on a non-zero rc.
    @discardableResult
    func runChecked(_ script: String, stdin: Data? = nil, become: BecomeSettings? = nil, feedPath: String? = nil,
                    prefix: String = "", what: String) throws -> Data {
        var script = script, stdin = stdin
        let escalation = become.map(BecomeScript.init(settings:))
        if let escalation {
            script = escalation.wrap(script, feedPath: feedPath)
            stdin = escalation.stdin(for: stdin)
        }
        script = prefix + script
        let reply = try execute(script: script, stdin: stdin, deadline: nil)
        let stderr = try escalation?.strip(reply.stderr) ?? reply.stderr
        guard reply.rc == 0 else {
            let message = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw TroupeError(.io, "\(what) failed (rc=\(reply.rc))" + (message.isEmpty ? "" : ": \(message)"))
        }
        return reply.stdout
    }

    /// The host's SFTP session, or nil when the server has none.
    func sftpChannel() throws -> SFTPChannel? {
        if let sftp { return sftp }
        if sftpUnavailable { return nil }
        let session = try openSession()
        do {
            let channel = try SFTPChannel(session: session)
            sftp = channel
            return channel
        } catch is SFTPUnavailable {
            sftpUnavailable = true
            return nil
        } catch let error as UnreachableError {
            dropSession()
            throw error
        }
    }

    /// Runs file work on the worker thread; a transport loss drops the session.
    @discardableResult
    func onWorker<T>(_ body: () throws -> T) throws -> T {
        try worker.sync {
            do {
                return try body()
            } catch let error as UnreachableError {
                dropSession()
                throw error
            }
        }
    }
}
