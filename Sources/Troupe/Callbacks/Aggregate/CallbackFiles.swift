import Foundation

/// File helpers shared by the callbacks that write reports (`tree`, `junit`, `log_plays`).
enum CallbackFiles {
    /// A configured directory as an absolute path: `~` and `$VARS` expanded, relative paths
    /// taken from the working directory.
    static func directory(_ path: String, context: CallbackContext) -> String {
        PathResolver.resolve(path, base: context.config.currentDirectory, home: context.config.homeDirectory,
                             environment: context.config.environment)
    }

    /// Creates `directory` (and its parents) unless it exists; a failure becomes a warning,
    /// since a report that cannot be written must not stop the run.
    @discardableResult
    static func makeDirectory(_ directory: String, display: Display) -> Bool {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return true
        } catch {
            display.warning("Unable to access or create the configured directory '\(directory)': \(error.localizedDescription)")
            return false
        }
    }

    /// Replaces `path` with `text` (written to a temporary file first, then renamed).
    static func replace(_ path: String, with text: String, display: Display, what: String) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            display.warning("Unable to write to \(what): \(error.localizedDescription)")
        }
    }

    /// Adds `text` at the end of `path`, creating the file when missing.
    static func append(_ path: String, _ text: String, display: Display, what: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else {
            display.warning("Unable to write to \(what): \(String(cString: strerror(errno)))")
            return
        }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written <= 0 {
                if written < 0 && errno == EINTR { continue }
                display.warning("Unable to write to \(what): \(String(cString: strerror(errno)))")
                return
            }
            offset += written
        }
    }
}
