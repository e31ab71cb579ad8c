import Foundation

/// Bounds on what hostile input (a template, a YAML or JSON document, an inventory
/// range) may make the engine allocate or recurse into. A controller runs every user's
/// input in one process, so one alias bomb or `'x' | center(10**12)` must fail that
/// input with a clear error instead of taking the process down.
///
/// Each limit is read once from its environment variable (listed in README, "Hostile
/// input limits"); every error that reports a limit names the variable that raises it.
public enum InputLimits {
    /// One limit: its current value and the environment variable that overrides it.
    public struct Limit: Sendable {
        /// The environment variable that raises (or lowers) the limit.
        public let setting: String
        /// The bound in force.
        public let value: Int

        init(_ setting: String, default defaultValue: Int) {
            self.setting = setting
            let text = ProcessInfo.processInfo.environment[setting]
            // A value that is not a positive integer keeps the default rather than disabling the guard.
            if let text, let parsed = Int(text.trimmingCharacters(in: .whitespaces)), parsed > 0 {
                value = parsed
            } else {
                value = defaultValue
            }
        }

        /// "(set TROUPE_X to raise the limit of N)" for error messages.
        public var hint: String { "limit \(value); set \(setting) to raise it" }
    }

    /// Nodes a YAML document may reach through aliases, counted with repeats (a
    /// "billion laughs" document reaches 10^9 with 1 KB of text).
    public static let yamlAliasNodes = Limit("TROUPE_YAML_MAX_ALIAS_NODES", default: 1_000_000)
    /// Nesting depth of a YAML document (libyaml itself stops at 1000).
    public static let yamlDepth = Limit("TROUPE_YAML_MAX_DEPTH", default: 500)
    /// Nesting depth of a JSON document (module output, facts.d, script inventory, `from_json`).
    public static let jsonDepth = Limit("TROUPE_JSON_MAX_DEPTH", default: 500)
    /// Host names one inventory range such as `web[1:100]` may expand to.
    public static let rangeHosts = Limit("TROUPE_INVENTORY_MAX_RANGE_HOSTS", default: 1_000_000)
    /// Characters (or items) one template operation may produce: a width, an indent,
    /// a repetition, a `range`, a batch size, and the rendered output of one template.
    public static let templateSize = Limit("TROUPE_TEMPLATE_MAX_SIZE", default: 64 * 1024 * 1024)

    /// Throws when a template operation would produce `count` characters or items,
    /// before anything is allocated. `what` names the operation for the message.
    public static func checkTemplateSize(_ count: Int, _ what: String) throws {
        guard count > templateSize.value else { return }
        throw JinjaError(.runtime, "OverflowError: \(what) would produce \(count) characters or items (\(templateSize.hint))")
    }

    /// `a * b` for sizes, saturating instead of trapping so the check above can reject it.
    public static func product(_ a: Int, _ b: Int) -> Int {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : result
    }

    /// `a + b` for sizes, saturating instead of trapping.
    public static func sum(_ a: Int, _ b: Int) -> Int {
        let (result, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? Int.max : Int.min) : result
    }
}
