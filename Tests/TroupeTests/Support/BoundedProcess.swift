import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process under a wall-clock limit and reports its peak memory, for tests
/// that must prove hostile input neither hangs nor blows up the process. Foundation's
/// `Process` reaps the child itself and loses its resource usage, so this spawns with
/// `posix_spawn` and collects the child with `wait4`.
enum BoundedProcess {
    struct Outcome {
        /// Exit status, or nil when the child was killed by a signal or by the deadline.
        var status: Int32?
        /// The signal that ended the child (our SIGKILL on a timeout included).
        var signal: Int32?
        var timedOut: Bool
        /// Peak resident set size in bytes (`ru_maxrss`).
        var peakRSS: Int
        var seconds: Double
        /// stdout and stderr together, as a user reads them.
        var output: String
    }

    static func run(_ executable: String, _ arguments: [String], in directory: String,
                    environment: [String: String], timeout: TimeInterval) throws -> Outcome {
        let outputPath = directory + "/.bounded-output-\(UUID().uuidString)"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // `env -C` changes directory and execs the program in the same process (so its
        // peak RSS is the program's); Glibc's addchdir_np is not visible to Swift here.
        let launcher = "/usr/bin/env"
        let argv = ([launcher, "-C", directory, executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let started = Date()
        let rc = posix_spawn(&pid, launcher, &actions, nil, argv, envp)
        guard rc == 0 else { throw NSError(domain: NSPOSIXErrorDomain, code: Int(rc)) }

        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        while true {
            let done = wait4(pid, &status, WNOHANG, &usage)
            if done == pid { break }
            if done < 0 && errno != EINTR { throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno)) }
            if Date().timeIntervalSince(started) > timeout && !timedOut {
                timedOut = true
                // The whole group: troupe's worker processes must not outlive the test either.
                kill(pid, SIGKILL)
            }
            usleep(20_000)
        }
        let seconds = Date().timeIntervalSince(started)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8))
            ?? String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
        let exited = status & 0x7f == 0
        return Outcome(status: exited ? (status >> 8) & 0xff : nil,
                       signal: exited ? nil : status & 0x7f,
                       timedOut: timedOut,
                       peakRSS: Int(usage.ru_maxrss) * 1024,
                       seconds: seconds,
                       output: output)
    }
}
