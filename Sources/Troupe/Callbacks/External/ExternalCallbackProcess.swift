import Foundation

/// One executable callback plugin for the length of a run: it reads every event as a JSON
/// line on its stdin. The run never waits for it: events go to a bounded queue that a
/// thread of its own writes to the pipe, so a plugin that reads slowly loses events (one
/// warning) and one that exits or crashes is reported once and then left out.
final class ExternalCallbackProcess: @unchecked Sendable {
    /// The executable's path, as warnings name it.
    let path: String
    private let capacity: Int
    private let warn: @Sendable (String) -> Void
    private let pid: pid_t
    private var input: Int32
    private let condition = NSCondition()
    private var queue: [Data] = []
    private var head = 0
    private var closing = false
    private var writerDone = false
    private var broken = false
    private var droppedWarned = false
    private var reaped: Int32?

    /// Starts `path` with its stdin on a pipe and its stdout and stderr on this process's
    /// stderr (the run's stdout stays the stdout callback's). It runs in a process group of
    /// its own, so ending it also ends what it started.
    init(path: String, environment: [String: String]?, capacity: Int, warn: @escaping @Sendable (String) -> Void) throws {
        self.path = path
        self.capacity = capacity
        self.warn = warn
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw TroupeError(.io, "could not start the callback plugin \(path): \(String(cString: strerror(errno)))")
        }
        // Other children must not hold the plugin's stdin open (it would never see the end).
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_adddup2(&actions, 2, 1)
        LocalConnection.closeDescriptorsFrom3(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let cArgs = [strdup(path), nil]
        defer { cArgs.forEach { free($0) } }
        let cEnvironment = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { cEnvironment?.forEach { free($0) } }
        var child: pid_t = 0
        let rc = cEnvironment.map { env in env.withUnsafeBufferPointer { posix_spawn(&child, path, &actions, &attributes, cArgs, $0.baseAddress) } }
            ?? posix_spawn(&child, path, &actions, &attributes, cArgs, environ)
        close(fds[0])
        guard rc == 0 else {
            close(fds[1])
            throw TroupeError(.io, "could not start the callback plugin \(path): \(String(cString: strerror(rc)))")
        }
        pid = child
        input = fds[1]
        let writer = Thread { [self] in writeLoop() }
        writer.name = "callback plugin \((path as NSString).lastPathComponent)"
        writer.start()
    }

    /// Queues one event line; never blocks. A full queue drops the line (and warns once).
    func send(_ line: Data) {
        condition.lock()
        defer { condition.unlock() }
        guard !closing, !broken else { return }
        guard queue.count - head < capacity else {
            if !droppedWarned {
                droppedWarned = true
                let warn = self.warn, path = self.path, capacity = self.capacity
                // Not from here: the caller may hold the display's lock, and the warning is displayed.
                DispatchQueue.global().async {
                    warn("Callback plugin \(path) is not reading its events fast enough; events are dropped "
                         + "while \(capacity) wait for it.")
                }
            }
            return
        }
        queue.append(line)
        condition.signal()
    }

    /// Lets the plugin finish what is queued, then closes its stdin so it can end; waits
    /// until `deadline` for it to exit, then kills its process group. Warns when it failed.
    func finish(deadline: Date) {
        condition.lock()
        closing = true
        condition.broadcast()
        while !writerDone && Date() < deadline { _ = condition.wait(until: deadline) }
        let drained = writerDone
        condition.unlock()
        var status = drained ? waitForExit(until: deadline) : nil
        if status == nil {
            condition.lock()
            let wasBroken = broken
            broken = true
            condition.unlock()
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            status = waitForExit(until: .distantFuture)
            if !wasBroken {
                warn("Callback plugin \(path) did not finish within the time allowed after the run and was stopped.")
            }
            return
        }
        kill(-pid, SIGKILL)  // whatever it left running in its group
        condition.lock()
        let wasBroken = broken
        condition.unlock()
        if let status, status != 0, !wasBroken {
            warn("Callback plugin \(path) \(Self.describe(status)).")
        }
    }

    // MARK: - Writer

    private func writeLoop() {
        while true {
            condition.lock()
            while head == queue.count && !closing { condition.wait() }
            if head == queue.count {
                close(input)
                input = -1
                writerDone = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let line = queue[head]
            head += 1
            if head > 1024 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            condition.unlock()
            if !write(line) {
                stopAfterBrokenPipe()
                return
            }
        }
    }

    private func write(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(input, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }

    /// The plugin stopped reading (it exited or closed its stdin): one warning, no more events.
    private func stopAfterBrokenPipe() {
        condition.lock()
        let stopped = broken
        broken = true
        queue = []
        head = 0
        close(input)
        input = -1
        writerDone = true
        condition.broadcast()
        condition.unlock()
        guard !stopped else { return }  // killed at the end of the run, which says so itself
        let status = waitForExit(until: Date().addingTimeInterval(0.5))
        let what = status.map(Self.describe) ?? "closed its input"
        warn("Callback plugin \(path) \(what); it receives no more events and the run goes on.")
    }

    /// The plugin's wait status once it has exited, or nil if it is still running at `deadline`.
    private func waitForExit(until deadline: Date) -> Int32? {
        condition.lock()
        if let reaped { condition.unlock(); return reaped }
        condition.unlock()
        var status: Int32 = 0
        while true {
            let flags = deadline == .distantFuture ? 0 : WNOHANG
            let r = waitpid(pid, &status, flags)
            if r == pid {
                condition.lock()
                reaped = status
                condition.unlock()
                return status
            }
            if r < 0 && errno != EINTR {
                // The other thread reaped it: its status arrives in a moment.
                let giveUp = Date().addingTimeInterval(1)
                while Date() < giveUp {
                    condition.lock()
                    let known = reaped
                    condition.unlock()
                    if let known { return known }
                    usleep(5_000)
                }
                return nil
            }
            if r == 0 {
                if Date() >= deadline { return nil }
                usleep(10_000)
            }
        }
    }

    private static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        return signal == 0 ? "exited with status \((status >> 8) & 0xff)" : "was killed by signal \(signal)"
    }
}
