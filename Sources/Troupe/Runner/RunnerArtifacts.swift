import Foundation
import Jinja

/// Writes `artifacts/<ident>/` the way ansible-runner lays it out: `job_events/<counter>-<uuid>.json`,
/// `stdout` (each event's text plus a newline), `stderr`, `command`, `status`, `rc` and
/// `fact_cache/`. Files are private to the user (0600, directories 0700), as ansible-runner makes them.
///
/// Events are written on a serial queue of their own, so the run never waits for the disk;
/// `finish` drains it before `status` and `rc` appear.
final class RunnerArtifacts: @unchecked Sendable {
    let path: String
    private let stdout: FileHandle
    private let queue = DispatchQueue(label: "troupe-runner-artifacts")

    init(path: String) throws {
        self.path = path
        let fm = FileManager.default
        for dir in [path, path + "/job_events", path + "/fact_cache"] {
            do {
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw TroupeError(.io, "could not create the artifact directory \(dir): \(error.localizedDescription)")
            }
        }
        for name in ["stdout", "stderr"] { Self.createPrivate(path + "/" + name) }
        guard let handle = FileHandle(forWritingAtPath: path + "/stdout") else {
            throw TroupeError(.io, "could not open \(path)/stdout for writing")
        }
        handle.truncateFile(atOffset: 0)
        stdout = handle
    }

    deinit { try? stdout.close() }

    /// Keeps the `keep` most recently modified artifact dirs next to this one (0 keeps all).
    func rotate(keep: Int) {
        guard keep > 0 else { return }
        let parent = (path as NSString).deletingLastPathComponent
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: parent) else { return }
        let dated = names.map { parent + "/" + $0 }.map { ($0, ((try? fm.attributesOfItem(atPath: $0))?[.modificationDate] as? Date) ?? .distantPast) }
        let oldestFirst = dated.sorted { $0.1 < $1.1 }.map(\.0).filter { $0 != path }
        for old in oldestFirst.prefix(max(0, dated.count - keep)) { try? fm.removeItem(atPath: old) }
    }

    /// `command`: the equivalent command line, its working directory and environment.
    func writeCommand(_ command: [String], cwd: String, environment: [String: String]) {
        var env = OrderedDict()
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { env[key] = .string(value) }
        let record: OrderedDict = ["command": .list(command.map { .string($0) }), "cwd": .string(cwd), "env": .dict(env)]
        write("command", Value.dict(record).jsonString)
    }

    /// Appends the event to `job_events/` and its text to `stdout` (in the background, in order).
    func record(_ event: RunnerEvent) {
        queue.async { [self] in
            Self.writeAtomically(path + "/job_events/\(event.counter)-\(event.uuid).json", event.jsonLine())
            if !event.stdout.isEmpty { stdout.write(Data((event.stdout + "\n").utf8)) }
        }
    }

    /// Waits for the pending event files, then writes `status` and `rc`.
    func finish(status: RunnerStatus, rc: Int) {
        queue.sync {}
        write("status", status.rawValue)
        write("rc", String(rc))
    }

    /// Appends to `stderr` (troupe's own problems: the run's output is all in events).
    func appendError(_ text: String) {
        guard let handle = FileHandle(forWritingAtPath: path + "/stderr") else { return }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try? handle.close()
    }

    private func write(_ name: String, _ text: String) { Self.writeAtomically(path + "/" + name, text) }

    private static func createPrivate(_ file: String) {
        if !FileManager.default.fileExists(atPath: file) {
            _ = FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o600])
        }
    }

    /// Readers never see a partial file: written to `<file>.tmp` (0600), then renamed.
    private static func writeAtomically(_ file: String, _ text: String) {
        let temp = file + ".tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { break }
            offset += n
        }
        close(fd)
        _ = rename(temp, file)
    }
}
