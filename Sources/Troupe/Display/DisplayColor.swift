/// A colour by Ansible's name ("green", "bright red", "dark gray", "color123", "rgb520",
/// "gray7"), turned into an ANSI SGR sequence the way Ansible's `stringc` does.
public struct DisplayColor: Sendable, Hashable, ExpressibleByStringLiteral {
    /// The colour's name as configured.
    public var name: String

    /// A colour by name.
    public init(_ name: String) { self.name = name }
    /// Lets a colour be written as a string literal, e.g. `"bright red"`.
    public init(stringLiteral value: String) { self.name = value }

    /// Ansible's fixed colour table.
    static let codes: [String: String] = [
        "black": "0;30", "bright gray": "0;37", "blue": "0;34", "white": "1;37",
        "green": "0;32", "bright blue": "1;34", "cyan": "0;36", "bright green": "1;32",
        "red": "0;31", "bright cyan": "1;36", "purple": "0;35", "bright red": "1;31",
        "yellow": "0;33", "bright purple": "1;35", "dark gray": "1;30", "bright yellow": "1;33",
        "magenta": "0;35", "bright magenta": "1;35", "normal": "0",
    ]

    /// The SGR parameter string, or nil for an unknown name (then text is left plain).
    public var sgrParameters: String? {
        if let code = Self.codes[name] { return code }
        if name.hasPrefix("color"), let n = Int(name.dropFirst(5)) { return "38;5;\(n)" }
        if name.hasPrefix("rgb"), name.count == 6 {
            let digits = name.dropFirst(3).compactMap { $0.wholeNumberValue }
            if digits.count == 3, digits.allSatisfy({ $0 <= 5 }) {
                return "38;5;\(16 + 36 * digits[0] + 6 * digits[1] + digits[2])"
            }
        }
        if name.hasPrefix("gray"), let n = Int(name.dropFirst(4)) { return "38;5;\(232 + n)" }
        return nil
    }

    /// `text` wrapped in this colour, each line separately (as Ansible does, so a
    /// multi-line message stays coloured line by line).
    public func apply(to text: String) -> String {
        guard let code = sgrParameters else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "\u{1B}[\(code)m\($0)\u{1B}[0m" }
            .joined(separator: "\n")
    }
}

/// The colour used for each kind of message, Ansible's `COLOR_*` settings.
public struct DisplayColors: Sendable, Hashable {
    /// `COLOR_OK`: ok results.
    public var ok: DisplayColor = "green"
    /// `COLOR_CHANGED`: changed results.
    public var changed: DisplayColor = "yellow"
    /// `COLOR_SKIP`: skipped hosts and items.
    public var skip: DisplayColor = "cyan"
    /// `COLOR_ERROR`: failures and `[ERROR]` text.
    public var error: DisplayColor = "red"
    /// `COLOR_UNREACHABLE`: unreachable hosts.
    public var unreachable: DisplayColor = "bright red"
    /// `COLOR_WARN`: `[WARNING]` text.
    public var warn: DisplayColor = "bright purple"
    /// `COLOR_DEPRECATE`: deprecation warnings.
    public var deprecate: DisplayColor = "purple"
    /// `COLOR_DEBUG`: debug output such as `task path:` and retries.
    public var debug: DisplayColor = "dark gray"
    /// `COLOR_VERBOSE`: `-v` output.
    public var verbose: DisplayColor = "blue"
    /// `COLOR_INCLUDED`: `included:` lines.
    public var included: DisplayColor = "cyan"
    /// `COLOR_HIGHLIGHT`: highlighted text.
    public var highlight: DisplayColor = "white"
    /// `COLOR_DIFF_ADD`: added diff lines.
    public var diffAdd: DisplayColor = "green"
    /// `COLOR_DIFF_REMOVE`: removed diff lines.
    public var diffRemove: DisplayColor = "red"
    /// `COLOR_DIFF_LINES`: diff hunk headers.
    public var diffLines: DisplayColor = "cyan"
    /// `COLOR_CONSOLE_PROMPT`: interactive prompts.
    public var consolePrompt: DisplayColor = "white"

    /// Ansible's default colours.
    public init() {}
}
