import Foundation
import Jinja

/// Runs commands on the controller itself (`connection: local`, implicit localhost).
public final class LocalConnection: Connection, @unchecked Sendable {
    /// The inventory name this connection stands for (usually "localhost").
    public let hostName: String
    private let runningLock = NSLock()
    private var running: [Int32] = []
    private var interrupted = false

    /// A connection for `hostName`; nothing is opened until a command runs.
    public init(hostName: String = "localhost") {
        self.hostName = hostName
    }

    /// Nothing to open locally; never throws.
    public func connect() throws {}

    /// Runs the command as a child process (wrapped by sudo/su when `become` is set); a signal-killed command gets rc = -signal.
    public func run(_ request: CommandRequest) throws -> CommandResult {
        if let settings = request.become {
            // The same escalation script the SSH connection uses: sudo/su with the
            // password over stdin, a NOPASSWD probe, and clear errors.
            let become = BecomeScript(settings: settings)
            var plain = request
            plain.become = nil
            let script = become.wrap(try ShellScriptBuilder.inner(plain))
            var wrapped = CommandRequest(.shell(script), stdin: become.stdin(for: request.stdin))
            wrapped.startsBackgroundJob = request.startsBackgroundJob
            var result = try run(wrapped)
            result.stderr = try become.strip(result.stderr)
            return result
        }
        if request.startsBackgroundJob { return try runLeavingBackgroundJob(request) }
        let process = Process()
        let argv: [String]
        switch request.command {
        case .argv(let words): argv = words
        case .shell(let script): argv = [request.executable ?? "/bin/sh", "-c", script]
        }
        guard let program = argv.first else { throw TroupeError(.module, "no command given") }
        if program.contains("/") {
            // A relative program path is found from the working directory (the child's cwd), as exec does.
            if !program.hasPrefix("/"), let dir = request.workingDirectory {
                process.executableURL = URL(fileURLWithPath: (dir as NSString).appendingPathComponent(program))
            } else {
                process.executableURL = URL(fileURLWithPath: program)
            }
            process.arguments = Array(argv.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = argv
        }
        if !request.environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(request.environment) { _, new in new }
        }
        if let dir = request.workingDirectory {
            process.currentDirectoryURL = URL(fileURLWithPath: dir)
        }
        let stdoutPipe = Pipe(), stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        let stdinData = request.stdin
        let stdinPipe: Pipe? = stdinData == nil ? nil : Pipe()
        process.standardInput = stdinPipe ?? FileHandle.nullDevice
        runningLock.lock()
        if interrupted {
            runningLock.unlock()
            return Self.interruptedResult
        }
        do {
            try process.run()
        } catch {
            runningLock.unlock()
            // Same shape as a failed exec: the module reports rc and message.
            return CommandResult(rc: 127, stdout: Data(), stderr: Data("[Errno 2] No such file or directory: b'\(program)'".utf8))
        }
        let pid = process.processIdentifier
        running.append(pid)
        runningLock.unlock()
        defer {
            runningLock.lock()
            running.removeAll { $0 == pid }
            runningLock.unlock()
        }
        if let stdinPipe, let stdinData {
            // A thread of its own: a writer blocked on a full pipe must not hold a pool thread.
            Thread {
                stdinPipe.fileHandleForWriting.write(stdinData)
                try? stdinPipe.fileHandleForWriting.close()
            }.start()
        }
        let (out, err, timedOut) = LocalConnection.collect(stdout: stdoutPipe.fileHandleForReading.fileDescriptor,
                                                           stderr: stderrPipe.fileHandleForReading.fileDescriptor,
                                                           timeout: request.timeout, process: process)
        // A child left in the background keeps Foundation waiting for it: take the status as is.
        if let status = LocalConnection.exitStatus(process) {
            return CommandResult(rc: status, stdout: out, stderr: err, timedOut: timedOut)
        }
        process.waitUntilExit()
        let rc = process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
        return CommandResult(rc: rc, stdout: out, stderr: err, timedOut: timedOut)
    }

    static let interruptedResult = CommandResult(rc: -15, stdout: Data(), stderr: Data("the run was cancelled".utf8))

    /// Terminates every running command and its child processes.
    public func interrupt() {
        runningLock.lock()
        interrupted = true
        let pids = running
        runningLock.unlock()
        for pid in pids { ProcessTree.kill(pid) }
    }

    /// Writes via a temporary file in the same directory, then renames; throws `TroupeError(.io)`. `become` is not applied locally.
    public func put(_ data: Data, to path: String, attributes: FileAttributes, become: BecomeSettings?) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let temp = (dir.isEmpty ? "." : dir) + "/.troupe_tmp_\(UUID().uuidString.prefix(12))"
        guard FileManager.default.createFile(atPath: temp, contents: data) else {
            throw TroupeError(.io, "could not write \(temp)")
        }
        do {
            try apply(attributes, to: temp)
            LocalConnection.copyExtendedAttributes(from: path, to: temp)
            guard rename(temp, path) == 0 else { throw TroupeError(.io, "could not rename \(temp) to \(path): \(String(cString: strerror(errno)))") }
        } catch {
            unlink(temp)
            throw error
        }
    }

    /// Copies to a temporary file in the same directory, then renames; throws on copy, chown or rename failure. `become` is not applied locally.
    public func putFile(_ localPath: String, to path: String, attributes: FileAttributes, become: BecomeSettings?) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let temp = (dir.isEmpty ? "." : dir) + "/.troupe_tmp_\(UUID().uuidString.prefix(12))"
        do {
            try FileManager.default.copyItem(atPath: localPath, toPath: temp)
            try apply(attributes, to: temp)
            LocalConnection.copyExtendedAttributes(from: path, to: temp)
            guard rename(temp, path) == 0 else { throw TroupeError(.io, "could not rename \(temp) to \(path)") }
        } catch {
            unlink(temp)
            throw error
        }
    }

    private func apply(_ attributes: FileAttributes, to path: String) throws {
        if let mode = attributes.mode { chmod(path, mode_t(mode)) }
        if attributes.owner != nil || attributes.group != nil {
            var uid: uid_t = uid_t.max, gid: gid_t = gid_t.max
            if let owner = attributes.owner { uid = getpwnam(owner)?.pointee.pw_uid ?? UInt32(owner) ?? uid_t.max }
            if let group = attributes.group { gid = getgrnam(group)?.pointee.gr_gid ?? UInt32(group) ?? gid_t.max }
            if chown(path, uid, gid) != 0 { throw TroupeError(.io, "chown failed for \(path): \(String(cString: strerror(errno)))") }
        }
    }

    /// Reads the whole file; throws `TroupeError(.io)` when it cannot be read. `become` is not applied locally.
    public func fetch(_ path: String, become: BecomeSettings?) throws -> Data {
        // A FileHandle, not FileManager.contents: that one returns nil for character devices (/dev/null).
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TroupeError(.io, "file not found: \(path)")
        }
        defer { try? handle.close() }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw TroupeError(.io, "cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// Copies `path` to `localPath`, replacing what is there. `become` is not applied locally.
    public func fetchFile(_ path: String, to localPath: String, become: BecomeSettings?) throws {
        if FileManager.default.fileExists(atPath: localPath) { try FileManager.default.removeItem(atPath: localPath) }
        try FileManager.default.copyItem(atPath: path, toPath: localPath)
    }

    /// `lstat`/`stat` of a local path; nil when it does not exist.
    public func stat(_ path: String, followLinks: Bool) throws -> RemoteFileStatus? {
        var st = Glibc.stat()
        let rc = fstatat(AT_FDCWD, path, &st, followLinks ? 0 : AT_SYMLINK_NOFOLLOW)
        guard rc == 0 else { return nil }
        let kind: RemoteFileStatus.Kind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .link
        default: kind = .other
        }
        return RemoteFileStatus(kind: kind, size: Int64(st.st_size), mode: UInt32(st.st_mode & 0o7777),
                                uid: st.st_uid, gid: st.st_gid,
                                mtime: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
    }

    /// Nothing to reset locally.
    public func reset() throws {}
    /// Nothing to close locally.
    public func close() {}
}

extension LocalConnection {
    /// Reads both pipes to their end on the calling thread (poll), killing the process
    /// when `timeout` passes.
    /// Whether the command has exited, without reaping it (Foundation's `isRunning` stays
    /// true while a child left in the background keeps the output pipes open).
    static func hasExited(_ process: Process) -> Bool {
        !process.isRunning || exitStatus(process) != nil
    }

    /// The exit status (-signal when killed) of a command that exited while Foundation still
    /// sees it running; read with WNOWAIT, so Foundation reaps it later. Nil otherwise.
    static func exitStatus(_ process: Process) -> Int32? {
        #if os(Linux)
        guard process.isRunning else { return nil }
        var info = siginfo_t()
        let pid = process.processIdentifier
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0,
              info._sifields._sigchld.si_pid == pid else { return nil }
        let status = info._sifields._sigchld.si_status
        return info.si_code == Int32(CLD_EXITED) ? status : -status
        #else
        return nil
        #endif
    }

    static func collect(stdout: Int32, stderr: Int32, timeout: Double?, process: Process) -> (Data, Data, Bool) {
        var out = Data(), err = Data()
        var fds = [pollfd(fd: stdout, events: Int16(POLLIN), revents: 0), pollfd(fd: stderr, events: Int16(POLLIN), revents: 0)]
        let deadline = timeout.flatMap { $0 > 0 ? Date().addingTimeInterval($0) : nil }
        var timedOut = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while fds.contains(where: { $0.fd >= 0 }) {
            // Polled a second at a time: as ansible-core's run_command, once the command has
            // exited and its pipes stay quiet for that long, a child it left in the background
            // (`cmd &`) no longer holds the result back by keeping the pipes open.
            var wait: Int32 = 1000
            if let deadline, !timedOut {
                wait = Int32(max(0, min(1000, deadline.timeIntervalSinceNow * 1000)))
            }
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if ready == 0 && LocalConnection.hasExited(process) { break }
            if ready == 0 && wait == 1000 { continue }
            if ready == 0 {
                // The whole tree: a shell's child would otherwise keep the pipes open
                // (and run on) until it finishes by itself.
                timedOut = true
                ProcessTree.kill(process.processIdentifier)
                continue
            }
            if ready < 0 { if errno == EINTR { continue } else { break } }
            for i in fds.indices where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = read(fds[i].fd, &buffer, buffer.count)
                if n > 0 {
                    if i == 0 { out.append(buffer, count: n) } else { err.append(buffer, count: n) }
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    fds[i].fd = -1
                }
            }
        }
        return (out, err, timedOut)
    }
}

/// POSIX shell single-quoting (Python's shlex.quote), shared with the `quote` filter.
public func shellQuote(_ s: String) -> String { ShellQuoting.quote(s) }
