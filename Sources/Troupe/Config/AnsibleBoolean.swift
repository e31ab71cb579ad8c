import Foundation
import Jinja

/// Ansible's lenient boolean conversion for configuration values.
public enum AnsibleBoolean {
    /// Texts (lower-cased, trimmed) that mean true.
    public static let trueStrings: Set<String> = ["y", "yes", "on", "1", "true", "t"]
    /// Texts (lower-cased, trimmed) that mean false.
    public static let falseStrings: Set<String> = ["n", "no", "off", "0", "false", "f"]

    /// Non-strict conversion as config does: anything not recognised as true is false.
    public static func parse(_ value: Value) -> Bool {
        switch value {
        case .bool(let b): return b
        case .int(let i): return i == 1
        case .float(let d): return d == 1.0
        default:
            guard let text = value.stringValue else { return false }
            return parse(text) ?? false
        }
    }

    /// Strict conversion of text: nil when the text is neither a true nor a false spelling.
    public static func parse(_ text: String) -> Bool? {
        let normalized = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trueStrings.contains(normalized) { return true }
        if falseStrings.contains(normalized) { return false }
        return nil
    }
}
