import Foundation

/// Appends displayed messages to `log_path` in ansible's log line format:
/// `2026-01-01 12:00:00,123 p=PID u=USER n=ansible INFO| message`.
public final class DisplayLogWriter: @unchecked Sendable {
    /// The log file.
    public let path: String
    private let handle: FileHandle
    private let user: String
    private let lock = NSLock()
    private let formatter: DateFormatter

    /// Opens (creating if needed) the log file for appending; nil when it cannot be written.
    public init?(path: String) {
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            guard fm.createFile(atPath: path, contents: nil) else { return nil }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
        handle.seekToEndOfFile()
        self.path = path
        self.handle = handle
        self.user = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
        formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss,SSS"
    }

    deinit { try? handle.close() }

    /// Writes one message (leading newlines removed, as ansible's logger does).
    public func log(_ message: String, level: String) {
        var text = message
        while text.hasPrefix("\n") { text.removeFirst() }
        let line = "\(formatter.string(from: Date())) p=\(ProcessInfo.processInfo.processIdentifier) u=\(user) n=ansible \(level)| \(text)\n"
        lock.lock()
        handle.write(Data(line.utf8))
        lock.unlock()
    }
}
