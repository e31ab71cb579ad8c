import Foundation

/// The external programs galaxy work needs on the controller — `tar` and `git` — run with
/// their output captured, and temporary directories that are always removed.
enum GalaxyProcess {
    /// Runs `executable` (searched in PATH) and returns its stdout; a failure names the
    /// command and carries its stderr.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"  // never wait for a password on a terminal
        environment["LC_ALL"] = "C"
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw TroupeError(.io, "could not run \(executable): \(error.localizedDescription)")
        }
        // Read both pipes at once so a chatty stderr cannot block the child.
        let errorReader = ErrorOutput(errors.fileHandleForReading)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errorReader.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw TroupeError(.execution, "Command \"\(executable) \(arguments.joined(separator: " "))\" failed (rc=\(process.terminationStatus)): \(message)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A new private directory inside `parent` (on the same file system as the install
    /// target, so the final move is a rename); removed after `body`.
    static func withTemporaryDirectory<R>(in parent: String, _ body: (String) throws -> R) throws -> R {
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let path = (parent as NSString).appendingPathComponent(".troupe-galaxy-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    /// Puts `staged` at `destination`, replacing what is there in one rename, so a reader
    /// sees the old tree or the new one, never half of each.
    static func replace(_ destination: String, with staged: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if manager.fileExists(atPath: destination) {
            let old = destination + ".troupe-old-\(UUID().uuidString.prefix(8))"
            try manager.moveItem(atPath: destination, toPath: old)
            do {
                try manager.moveItem(atPath: staged, toPath: destination)
            } catch {
                try? manager.moveItem(atPath: old, toPath: destination)
                throw error
            }
            try? manager.removeItem(atPath: old)
        } else {
            try manager.moveItem(atPath: staged, toPath: destination)
        }
    }

    /// Clones `url` at `version` (a branch, tag or commit; nil for the default branch) into
    /// `directory`.
    static func gitClone(_ url: String, version: String?, into directory: String) throws {
        guard let version, !version.isEmpty, version != "HEAD" else {
            try run("git", ["clone", "--quiet", "--depth", "1", url, directory])
            return
        }
        // A branch or tag clones shallowly; a commit needs the history, then a checkout.
        if (try? run("git", ["clone", "--quiet", "--depth", "1", "--branch", version, url, directory])) != nil { return }
        try? FileManager.default.removeItem(atPath: directory)
        try run("git", ["clone", "--quiet", url, directory])
        try run("git", ["checkout", "--quiet", version], in: directory)
    }
}

extension GalaxyProcess {
    /// Renames `staged` over `destination` (same file system), replacing it atomically.
    static func replaceFile(_ destination: String, with staged: String) throws {
        guard rename(staged, destination) == 0 else {
            throw TroupeError(.io, "could not write '\(destination)': \(String(cString: strerror(errno)))")
        }
    }
}

/// Drains a child's stderr on its own thread; `wait()` returns what it read.
final class ErrorOutput: @unchecked Sendable {
    // Written once by the reading thread before `done` is signalled, read after the wait.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
