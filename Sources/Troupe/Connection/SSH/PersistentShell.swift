import CLibSSH
import Foundation

/// Why a request on the persistent shell did not complete.
enum ShellFailure: Error {
    /// The channel closed or failed while the session is still up; `started` tells whether the
    /// request may already have run.
    case channelBroken(String, started: Bool)
    /// The SSH transport is gone.
    case sessionLost(String)
    /// No trailer arrived before the client-side deadline.
    case deadlineExceeded
    /// The run was cancelled while the command ran; the session's processes were signalled.
    case interrupted
}

/// Set from any thread to stop what a connection is running (a cancelled run).
final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool {
        lock.lock(); defer { lock.unlock() }
        return value
    }
    func set() {
        lock.lock(); value = true; lock.unlock()
    }
}

/// One long-lived exec channel running a POSIX-sh request loop (see
/// `PersistentShell+Protocol.swift`), so that a command costs one round trip instead of a
/// new channel. Lives on the session's worker thread.
final class PersistentShell {
    private let session: SSHSession
    private let interruption: InterruptFlag
    private var channel: ssh_channel?
    /// Left uninitialised: the kernel backs a page only once a read writes to it, so an idle
    /// host costs a page or two here, not 256 KB (a 1,000-host run kept 256 MB resident in
    /// zero-filled read buffers).
    private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)

    init(session: SSHSession, interruption: InterruptFlag) throws {
        self.session = session
        self.interruption = interruption
        try open()
    }

    deinit {
        closeChannel()
        readBuffer.deallocate()
    }

    /// True while the channel can take requests.
    var isUsable: Bool {
        guard let channel else { return false }
        return ssh_channel_is_open(channel) != 0 && ssh_channel_is_eof(channel) == 0
    }

    private func open() throws {
        guard let channel = ssh_channel_new(session.handle) else { throw failure("could not create a channel", started: false) }
        guard ssh_channel_open_session(channel) == SSH_OK else {
            ssh_channel_free(channel)
            throw failure("could not open a session channel", started: false)
        }
        guard ssh_channel_request_exec(channel, Self.startCommand) == SSH_OK else {
            ssh_channel_close(channel)
            ssh_channel_free(channel)
            throw failure("could not start the remote shell", started: false)
        }
        self.channel = channel
    }

    func closeChannel() {
        guard let channel else { return }
        self.channel = nil
        if session.isConnected {
            ssh_channel_send_eof(channel)
            ssh_channel_close(channel)
        }
        ssh_channel_free(channel)
    }

    /// Processes whatever the server sent while the shell was idle, discarding stray output
    /// (from background processes of earlier commands) so it cannot leak into the next reply.
    /// False when the transport or the channel turned out to be gone.
    func settleIdle() -> Bool {
        guard let channel, session.isConnected else { return false }
        var scratch: [UInt8] = []
        for stream in [false, true] {
            let available = ssh_channel_poll_timeout(channel, 0, stream ? 1 : 0)
            if available == SSH_ERROR { return false }
            guard (try? drain(channel, stderr: stream, into: &scratch)) != nil else { return false }
            scratch.removeAll(keepingCapacity: true)
        }
        return session.isConnected && isUsable
    }

    /// Runs one script. `deadline` (absolute, monotonic seconds) bounds the wait for the reply;
    /// when it passes the channel is dropped, since the command may still hold it.
    func execute(script: String, stdin: Data?, deadline: Double?) throws -> (rc: Int32, stdout: Data, stderr: Data) {
        guard let channel, isUsable else { throw ShellFailure.channelBroken("the remote shell is closed", started: false) }
        let token = Self.randomToken()
        let request = Self.frame(token: token, script: script, stdin: stdin)
        let written = request.withUnsafeBytes { raw -> Int in
            var offset = 0
            while offset < raw.count {
                let chunk = min(raw.count - offset, 1 << 20)
                let n = ssh_channel_write(channel, raw.baseAddress! + offset, UInt32(chunk))
                if n <= 0 { return offset }
                offset += Int(n)
            }
            return offset
        }
        guard written == request.count else { throw failure("writing the request failed", started: written > 0) }
        RoundTripLog.record(session.address, "shell")
        return try readReply(channel, token: token, deadline: deadline)
    }

    private func readReply(_ channel: ssh_channel, token: String, deadline: Double?) throws -> (rc: Int32, stdout: Data, stderr: Data) {
        let stdoutTrailer = Array((token + ":").utf8)
        let stderrTrailer = Array((token + "\n").utf8)
        var out: [UInt8] = [], err: [UInt8] = []
        var outScanned = 0, errScanned = 0
        var outEnd: Int?, errEnd: Int?
        var rc: Int32?
        var lastKeepalive = monotonicNow()
        while rc == nil || errEnd == nil {
            let now = monotonicNow()
            if let deadline, now > deadline { throw ShellFailure.deadlineExceeded }
            if interruption.isSet {
                // sshd delivers the signal to the session's whole process group: the loop
                // shell and the command with its children, so nothing outlives the run.
                ssh_channel_request_send_signal(channel, "TERM")
                throw ShellFailure.interrupted
            }
            if now - lastKeepalive > session.keepaliveInterval {
                session.sendKeepalive()
                lastKeepalive = now
            }
            let waitingOnStdout = rc == nil
            let available = ssh_channel_poll_timeout(channel, 100, waitingOnStdout ? 0 : 1)
            if available == SSH_ERROR || !session.isConnected {
                if !session.isConnected { throw ShellFailure.sessionLost(session.lostMessage()) }
                throw failure("reading the reply failed", started: !out.isEmpty || !err.isEmpty)
            }
            // Drain both streams every round so a flood on one cannot stall the other.
            let gotOut = try drain(channel, stderr: false, into: &out)
            let gotErr = try drain(channel, stderr: true, into: &err)
            if rc == nil && gotOut {
                if outEnd == nil {
                    outEnd = find(stdoutTrailer, in: out, from: max(0, outScanned - stdoutTrailer.count))
                    outScanned = out.count
                }
                if let position = outEnd {
                    let rest = out[(position + stdoutTrailer.count)...]
                    if let colon = rest.firstIndex(of: UInt8(ascii: ":")) {
                        rc = Int32(String(decoding: rest[rest.startIndex..<colon], as: UTF8.self)) ?? -1
                    }
                }
            }
            if errEnd == nil && gotErr {
                errEnd = find(stderrTrailer, in: err, from: max(0, errScanned - stderrTrailer.count))
                errScanned = err.count
            }
            if available == SSH_EOF && !gotOut && !gotErr && ssh_channel_is_eof(channel) != 0 {
                // Without any reply byte the request most likely never reached a live shell.
                throw failure("the remote shell exited", started: !out.isEmpty || !err.isEmpty)
            }
        }
        return (rc!, Data(out[0..<outEnd!]), Data(err[0..<errEnd!]))
    }

    /// Reads whatever is buffered on one stream without blocking; true when bytes arrived.
    private func drain(_ channel: ssh_channel, stderr: Bool, into buffer: inout [UInt8]) throws -> Bool {
        var got = false
        while true {
            let n = ssh_channel_read_nonblocking(channel, readBuffer.baseAddress, UInt32(readBuffer.count), stderr ? 1 : 0)
            if n > 0 {
                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: readBuffer[0..<Int(n)]))
                got = true
                continue
            }
            if n == SSH_ERROR {
                if !session.isConnected { throw ShellFailure.sessionLost(session.lostMessage()) }
                throw failure("reading the reply failed", started: true)
            }
            return got
        }
    }

    private func failure(_ what: String, started: Bool) -> ShellFailure {
        if !session.isConnected { return .sessionLost(session.lostMessage()) }
        return .channelBroken("\(what): \(session.lastError)", started: started)
    }
}

/// Index of the first occurrence of `needle` in `haystack` at or after `start`.
func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
    let first = needle[0]
    let last = haystack.count - needle.count
    return haystack.withUnsafeBufferPointer { hay -> Int? in
        needle.withUnsafeBufferPointer { nee -> Int? in
            var i = start
            while i <= last {
                guard let hit = memchr(hay.baseAddress! + i, Int32(first), last - i + 1) else { return nil }
                i = hay.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(hay.baseAddress! + i, nee.baseAddress!, nee.count) == 0 { return i }
                i += 1
            }
            return nil
        }
    }
}

/// Seconds on a monotonic clock.
func monotonicNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
