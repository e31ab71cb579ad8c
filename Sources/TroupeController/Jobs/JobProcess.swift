import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `troupe run` child of one job: spawned in a process group of its own (so a cancel
/// reaches its workers too), stdout a pipe read line by line on a thread of its own,
/// stderr a file. Nothing of it runs inside the server's address space.
///
/// The child inherits none of the server's descriptors (sockets of clients and of the
/// database among them), and its stdin is a lifeline: a pipe whose write end only the
/// server holds. When the server dies, even by SIGKILL, the child reads EOF there and
/// cancels its run (`TROUPE_PARENT_LIFELINE`), so no job outlives its node unseen.
final class JobProcess: Sendable {
    let pid: pid_t
    private static let spawnLock = NSLock()
    /// glibc ≥ 2.34 has `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc
    /// module does not import; looked up once, nil on an older C library (close-on-exec on
    /// our own descriptors is then all there is).
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }
    /// stdout, one line at a time (without the newline); finishes at EOF.
    let lines: AsyncStream<String>
    private let exitStatus: AsyncStream<Int32>

    /// Spawns `executable arguments` with `environment` (every path it gets is absolute, so
    /// it keeps the server's working directory).
    init(executable: String, arguments: [String], environment: [String: String], stderrPath: String) throws {
        // Glibc's module has no pipe2: pipe, then close-on-exec, under one lock with the
        // spawn, so a run started at the same moment on another thread never inherits this
        // pipe (its EOF would then wait for that other run).
        Self.spawnLock.lock()
        defer { Self.spawnLock.unlock() }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw JobRunError.spawn("cannot create a pipe: \(String(cString: strerror(errno)))") }
        let readEnd = fds[0], writeEnd = fds[1]
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        guard pipe(&fds) == 0 else {
            close(readEnd)
            close(writeEnd)
            throw JobRunError.spawn("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        let lifelineChildEnd = fds[0], lifeline = fds[1]
        _ = fcntl(lifelineChildEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(lifeline, F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, lifelineChildEnd, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = Self.addCloseFrom?(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group (cancel signals the group); signals the server ignores (SIGPIPE
        // under NIO) back to their defaults; nothing blocked.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, sig) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        var environment = environment
        environment["TROUPE_PARENT_LIFELINE"] = "stdin"
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        close(writeEnd)
        close(lifelineChildEnd)
        guard rc == 0 else {
            close(readEnd)
            close(lifeline)
            throw JobRunError.spawn("cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        pid = child
        let childPID = child

        let (lines, lineSink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
        self.lines = lines
        Thread.detachNewThread { Self.readLines(readEnd, into: lineSink) }
        let (status, statusSink) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .unbounded)
        exitStatus = status
        Thread.detachNewThread {
            var raw: Int32 = 0
            while waitpid(childPID, &raw, 0) == -1 && errno == EINTR {}
            close(lifeline)
            statusSink.yield(raw)
            statusSink.finish()
        }
    }

    /// The exit code, or 128 + signal when a signal ended it (as a shell reports it).
    func exitCode() async -> Int32 {
        var raw: Int32 = 0
        for await status in exitStatus { raw = status }
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    /// Sends `signal` to the whole process group (the run and its workers).
    func signalGroup(_ signal: Int32) { kill(-pid, signal) }

    private static func readLines(_ fd: Int32, into sink: AsyncStream<String>.Continuation) {
        defer {
            close(fd)
            sink.finish()
        }
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            var start = 0
            for i in 0..<count where buffer[i] == UInt8(ascii: "\n") {
                pending.append(contentsOf: buffer[start..<i])
                sink.yield(String(decoding: pending, as: UTF8.self))
                pending.removeAll(keepingCapacity: true)
                start = i + 1
            }
            pending.append(contentsOf: buffer[start..<count])
        }
        if !pending.isEmpty { sink.yield(String(decoding: pending, as: UTF8.self)) }
    }
}
