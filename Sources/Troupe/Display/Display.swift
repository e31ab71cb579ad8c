import Foundation

/// Which standard stream a message goes to.
public enum DisplayStream: Sendable, Hashable {
    /// Standard output.
    case stdout
    /// Standard error: warnings, errors, and what `display_failed_stderr`/`verbose_to_stderr` redirect.
    case stderr
}

/// The output sink of a run — Ansible's `Display`. Everything user-visible goes through
/// here: callback lines, banners, `[WARNING]:`/`[DEPRECATION WARNING]:`/`[ERROR]:`
/// messages and `-v…` verbose lines. Output goes to a `DisplaySink` (the real stdout/stderr
/// by default, or a closure capturing text per event), and optionally to `log_path`.
///
/// Thread-safe: writes are serialised by a lock.
public final class Display: @unchecked Sendable {
    /// Receives each piece of text exactly as it would be written (newline included).
    public typealias Sink = (_ text: String, _ stream: DisplayStream) -> Void

    /// `-v` count (0…6).
    public var verbosity: Int
    /// Whether messages are wrapped in ANSI colours.
    public var colorEnabled: Bool
    /// Colours per message kind.
    public var colors: DisplayColors
    /// Banner width: Ansible uses max(79, terminal width - 1).
    public var columns: Int
    /// `verbose_to_stderr`: send `-v…` lines to stderr.
    public var verboseToStderr = false
    /// `deprecation_warnings`: show `[DEPRECATION WARNING]:` messages.
    public var deprecationWarningsEnabled = true
    /// `system_warnings`: show warnings about the controller itself.
    public var systemWarningsEnabled = true
    /// Where `log_path` output goes, when configured.
    public var logWriter: DisplayLogWriter?

    private var sink: Sink
    private let lock = NSLock()
    /// What kind of message the sink is receiving right now ("warning", "deprecated",
    /// "error", "verbose", or nil for plain display text). Only meaningful inside the sink,
    /// which runs under the display's lock, so it is read there without locking.
    public private(set) var currentMessageKind: String?
    private var shownWarnings: Set<String> = []
    private var shownDeprecations: Set<String> = []
    private var shownErrors: Set<String> = []

    /// A display writing to `sink`.
    public init(verbosity: Int = 0, colorEnabled: Bool = false, colors: DisplayColors = DisplayColors(),
                columns: Int = 79, sink: @escaping Sink) {
        self.verbosity = verbosity
        self.colorEnabled = colorEnabled
        self.colors = colors
        self.columns = columns
        self.sink = sink
    }

    /// A display on the process's real stdout/stderr, colouring decided by `ColorPolicy`
    /// and banner width by the terminal, as ansible does.
    public static func standard(verbosity: Int = 0, environment: [String: String] = ProcessInfo.processInfo.environment,
                                noColor: Bool = false, forceColor: Bool = false) -> Display {
        let tty = isatty(STDOUT_FILENO) != 0
        let color = ColorPolicy.colorEnabled(stdoutIsTTY: tty, noColor: noColor, forceColor: forceColor, environment: environment)
        return Display(verbosity: verbosity, colorEnabled: color, columns: terminalColumns(), sink: Display.standardSink)
    }

    /// Writes to the process's stdout/stderr without buffering surprises between the two.
    public static let standardSink: Sink = { text, stream in
        let handle = stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError
        handle.write(Data(text.utf8))
    }

    /// max(79, width - 1) for a terminal on stdout, 79 otherwise.
    public static func terminalColumns() -> Int {
        guard isatty(STDOUT_FILENO) != 0 else { return 79 }
        var size = winsize()
        #if os(Linux)
        let request = UInt(TIOCGWINSZ)
        #else
        let request = TIOCGWINSZ
        #endif
        guard ioctl(STDOUT_FILENO, request, &size) == 0 else { return 79 }
        return max(79, Int(size.ws_col) - 1)
    }

    /// Replaces where output goes (e.g. to capture what one event printed).
    public func setSink(_ sink: @escaping Sink) {
        lock.lock()
        self.sink = sink
        lock.unlock()
    }

    /// Lets `tap` see all output first, which then still goes where it went before
    /// (e.g. events for callback plugins while the terminal shows the run as usual).
    public func addTap(_ tap: @escaping Sink) {
        lock.lock()
        let previous = sink
        sink = { text, stream in
            tap(text, stream)
            previous(text, stream)
        }
        lock.unlock()
    }

    /// Runs `body` and returns everything it printed, per stream, while still passing the
    /// output on to the current sink — for recorders that attach each event's text to the event.
    public func capturing(_ body: () throws -> Void) rethrows -> (stdout: String, stderr: String) {
        var stdout = "", stderr = ""
        lock.lock()
        let previous = sink
        sink = { text, stream in
            if stream == .stdout { stdout += text } else { stderr += text }
            previous(text, stream)
        }
        lock.unlock()
        defer {
            lock.lock()
            sink = previous
            lock.unlock()
        }
        try body()
        return (stdout, stderr)
    }

    // MARK: - Core output

    /// Shows a message: coloured when colours are on, newline-terminated unless `newline` is
    /// false, on stderr when asked, and copied (uncoloured) to the log unless `screenOnly`.
    /// `\r\n` becomes `\n`, as Ansible does.
    public func display(_ message: String, color: DisplayColor? = nil, stderr: Bool = false,
                        screenOnly: Bool = false, logOnly: Bool = false, newline: Bool = true) {
        display(message, color: color, stderr: stderr, screenOnly: screenOnly, logOnly: logOnly, newline: newline, kind: nil)
    }

    func display(_ message: String, color: DisplayColor?, stderr: Bool, screenOnly: Bool, logOnly: Bool,
                         newline: Bool, kind: String?) {
        let text = message.replacingOccurrences(of: "\r\n", with: "\n")
        if !logOnly {
            let hasNewline = text.hasSuffix("\n")
            var body = hasNewline ? String(text.dropLast()) : text
            if let color, colorEnabled { body = color.apply(to: body) }
            if hasNewline || newline { body += "\n" }
            lock.lock()
            currentMessageKind = kind
            sink(body, stderr ? .stderr : .stdout)
            currentMessageKind = nil
            lock.unlock()
        }
        // The log records at INFO and above, so debug-coloured lines stay off it (as in ansible).
        if !screenOnly, let logWriter, let level = color.map({ logLevel(for: $0) }) ?? "INFO" {
            logWriter.log(text, level: level)
        }
    }

    /// `TITLE ****…`: the title followed by stars up to `columns`, at least three, after a blank line.
    public func banner(_ title: String, color: DisplayColor? = nil) {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        let starCount = max(3, columns - TextWidth.of(trimmed))
        display("\n\(trimmed) " + String(repeating: "*", count: starCount), color: color)
    }

    // MARK: - Warnings and errors

    /// `[WARNING]: message` on stderr, each distinct text once. A multi-line message is
    /// followed by a blank line, as ansible-core 2.19 prints it.
    public func warning(_ message: String) {
        // Inventory sources hand back all their messages as warnings; some are not.
        switch InventoryMessage.decode(message) {
        case .deprecation(let text):
            guard deprecationWarningsEnabled else { return }
            warning("Deprecation warnings can be disabled by setting `deprecation_warnings=False` in ansible.cfg.")
            let line = "[DEPRECATION WARNING]: " + Self.formatEventText(text)
            guard remember(line, in: \.shownDeprecations) else { return }
            display(line, color: colors.deprecate, stderr: true, screenOnly: false, logOnly: false, newline: true, kind: "deprecated")
            return
        case .error(let text):
            error(text)
            return
        case .warning:
            break
        }
        let text = "[WARNING]: " + Self.formatEventText(message)
        guard remember(text, in: \.shownWarnings) else { return }
        display(text, color: colors.warn, stderr: true, screenOnly: false, logOnly: false, newline: true, kind: "warning")
    }

    /// A warning about the controller itself, shown unless `system_warnings` is off.
    public func systemWarning(_ message: String) {
        if systemWarningsEnabled { warning(message) }
    }

    /// `[DEPRECATION WARNING]: message This feature will be removed …` on stderr, preceded the
    /// first time by the hint on how to turn these off. `collection` is e.g. "ansible.builtin".
    public func deprecated(_ message: String, version: String? = nil, date: String? = nil, collection: String? = "ansible.builtin",
                           help: String? = nil) {
        guard deprecationWarningsEnabled else { return }
        warning("Deprecation warnings can be disabled by setting `deprecation_warnings=False` in ansible.cfg.")
        var full = Self.deprecationMessage(message, version: version, date: date, collection: collection)
        if let help, !help.isEmpty { full += " " + help }
        let text = "[DEPRECATION WARNING]: " + Self.formatEventText(full)
        guard remember(text, in: \.shownDeprecations) else { return }
        display(text, color: colors.deprecate, stderr: true, screenOnly: false, logOnly: false, newline: true, kind: "deprecated")
    }

    /// `[ERROR]: message`, on stderr unless `stderr` is false (callbacks print task errors on stdout).
    public func error(_ message: String, stderr: Bool = true) {
        let text = "[ERROR]: " + Self.formatEventText(message)
        guard remember(text, in: \.shownErrors) else { return }
        display(text, color: colors.error, stderr: stderr, screenOnly: false, logOnly: false, newline: true, kind: "error")
    }

    /// Forgets which warnings/errors were shown (between runs sharing one display).
    public func resetDeduplication() {
        lock.lock()
        shownWarnings = []
        shownDeprecations = []
        shownErrors = []
        lock.unlock()
    }

    // MARK: - Verbosity

    /// Shows `message` when verbosity exceeds `level - 1` (`level` 1 is `-v`), prefixed with
    /// `<host> ` when a host is given, in the verbose colour.
    public func verbose(_ message: String, host: String? = nil, level: Int) {
        guard verbosity >= level else { return }
        let text = host.map { "<\($0)> \(message)" } ?? message
        display(text, color: colors.verbose, stderr: verboseToStderr, screenOnly: false, logOnly: false, newline: true, kind: "verbose")
    }

    /// `-v` message.
    public func v(_ message: String, host: String? = nil) { verbose(message, host: host, level: 1) }
    /// `-vv` message.
    public func vv(_ message: String, host: String? = nil) { verbose(message, host: host, level: 2) }
    /// `-vvv` message.
    public func vvv(_ message: String, host: String? = nil) { verbose(message, host: host, level: 3) }
    /// `-vvvv` message.
    public func vvvv(_ message: String, host: String? = nil) { verbose(message, host: host, level: 4) }

    // MARK: - Helpers

    /// Trims the text and ends it with one newline, or a blank line when it spans several lines.
    static func formatEventText(_ message: String) -> String {
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.contains("\n") ? trimmed + "\n\n" : trimmed + "\n"
    }

    /// Ansible's "This feature will be removed …" sentence appended to a deprecation message.
    static func deprecationMessage(_ message: String, version: String?, date: String?, collection: String?) -> String {
        var parts = ["This feature will be removed"]
        if let collection, !collection.isEmpty {
            parts.append("from")
            parts.append(collection == "ansible.builtin" ? "ansible-core" : "collection '\(collection)'")
            if let date { parts.append("in a release after \(date)") } else if let version { parts.append("version \(version)") } else { parts.append("in a future release") }
        } else {
            parts.append("in the future")
        }
        let sentence = parts.joined(separator: " ") + "."
        let trimmed = message.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return sentence }
        let ending = trimmed.last.map { ".!?".contains($0) } ?? false
        return trimmed + (ending ? " " : ". ") + sentence
    }

    private func remember(_ text: String, in set: ReferenceWritableKeyPath<Display, Set<String>>) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return self[keyPath: set].insert(text).inserted
    }

    private func logLevel(for color: DisplayColor) -> String? {
        switch color {
        case colors.error, colors.unreachable: return "ERROR"
        case colors.warn, colors.deprecate: return "WARNING"
        case colors.debug: return nil
        default: return "INFO"
        }
    }
}
