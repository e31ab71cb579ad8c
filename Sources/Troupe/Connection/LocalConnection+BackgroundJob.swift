import Foundation

/// Commands that leave a job running (async tasks). Foundation's `Process` hands every
/// child a descriptor it watches to notice the exit, so a job inheriting it would keep
/// the task waiting until the job ends. These commands are spawned directly instead, with
/// every descriptor above stderr closed and the output collected through files.
extension LocalConnection {
    func runLeavingBackgroundJob(_ request: CommandRequest) throws -> CommandResult {
        var plain = request
        plain.startsBackgroundJob = false
        let script = try ShellScriptBuilder.inner(plain)
        let base = NSTemporaryDirectory() + "troupe-job-\(UUID().uuidString)"
        let (inPath, outPath, errPath) = (base + ".in", base + ".out", base + ".err")
        defer { for path in [inPath, outPath, errPath] { unlink(path) } }
        _ = FileManager.default.createFile(atPath: inPath, contents: request.stdin ?? Data())

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        Self.closeDescriptorsFrom3(&actions)
        let argv = ["/bin/sh", "-c", script]
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/sh", &actions, nil, cArgs, environ)
        guard rc == 0 else { throw TroupeError(.module, "could not start /bin/sh: \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let code = exited ? (status >> 8) & 0xff : -(status & 0x7f)
        return CommandResult(rc: code, stdout: FileManager.default.contents(atPath: outPath) ?? Data(),
                             stderr: FileManager.default.contents(atPath: errPath) ?? Data())
    }

    /// glibc ≥ 2.34 has `posix_spawn_file_actions_addclosefrom_np`; looked up at run time
    /// so older systems still build and run (their jobs may then hold a descriptor).
    static func closeDescriptorsFrom3(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }
}
