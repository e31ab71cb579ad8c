import Foundation
import Jinja

/// The result-shaping rules Ansible's callbacks share (CallbackBase): what part of a module
/// result a callback sees, how it is cleaned for display, dumped as JSON, labelled and diffed.
public struct ResultFormatter {
    /// The display whose verbosity and colour rules apply.
    public var display: Display
    /// `callback_format_pretty`: nil (default), true (always indent), false (never indent).
    public var prettyResults: Bool?
    /// `[diff] context`: unchanged lines around each diff hunk.
    public var diffContext: Int
    /// `callback_result_format`: "json" (default) or "yaml".
    public var resultFormat: String

    /// A formatter for `display`.
    public init(display: Display, prettyResults: Bool? = nil, diffContext: Int = 3, resultFormat: String = "json") {
        self.display = display
        self.prettyResults = prettyResults
        self.diffContext = diffContext
        self.resultFormat = resultFormat
    }

    /// YAML output is "lossy" (tidied for reading) unless `callback_format_pretty` is false.
    var yamlIsLossy: Bool { prettyResults != false }

    /// Actions whose results print `msg`/a variable only.
    public static let debugActions: Set<String> = ["debug", "ansible.builtin.debug", "ansible.legacy.debug"]
    /// Actions whose plain-text output ad-hoc callbacks print as `rc=N >>` blocks.
    public static let noJSONActions: Set<String> = [
        "command", "ansible.builtin.command", "ansible.legacy.command", "win_command", "ansible.builtin.win_command",
        "ansible.legacy.win_command", "shell", "ansible.builtin.shell", "ansible.legacy.shell", "win_shell",
        "ansible.builtin.win_shell", "ansible.legacy.win_shell", "raw", "ansible.builtin.raw", "ansible.legacy.raw",
        "ansible.windows.win_command", "ansible.windows.win_shell",
    ]
    /// How the ad-hoc callbacks (minimal, oneline) show an ok result: `CHANGED` or `SUCCESS`,
    /// its colour, and whether it takes the `rc=N` command form instead of JSON.
    static func adHocOk(_ view: Value, action: String, colors: DisplayColors)
        -> (caption: String, color: DisplayColor, commandForm: Bool) {
        let changed = view["changed"]?.isTruthy ?? false
        return (changed ? "CHANGED" : "SUCCESS", changed ? colors.changed : colors.ok,
                noJSONActions.contains(action) && view["ansible_job_id"] == nil)
    }
    /// Internal keys callbacks still need to see.
    static let keptInternalKeys: Set<String> = ["_ansible_verbose_always", "_ansible_item_label", "_ansible_no_log", "_ansible_verbose_override"]
    /// Keys that survive `no_log` censoring.
    static let censorPreservedKeys = ["attempts", "changed", "retries", "_ansible_no_log", "exception", "warnings", "deprecations"]
    /// The text replacing a `no_log` result.
    public static let censoredMessage = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"
    /// Keys a `debug` task showing a variable does not print.
    static let hiddenInDebug: Set<String> = ["changed", "failed", "skipped", "invocation", "skip_reason", "ansible_loop_var", "ansible_index_var", "ansible_loop"]
    /// Keys a `debug` task showing `msg` keeps.
    static let debugAllowedKeys: Set<String> = ["msg", "exception", "warnings", "deprecations"]

    // MARK: - What callbacks see

    /// The result as Ansible hands it to callbacks: status keys (`failed`, `skipped`) dropped
    /// since the event says it, `no_log` results censored, and internal `_ansible_*` keys
    /// removed except those callbacks use. Applying it twice changes nothing.
    public static func callbackView(of result: Value, task: TaskInfo) -> Value {
        guard case .dict(let dict) = result else { return .emptyDict }
        let delegatedSubset = dict["_ansible_delegated_vars"]?.dictValue.map { vars in
            OrderedDict(vars.filter { ["ansible_host", "ansible_port", "ansible_user", "ansible_connection"].contains($0.key) }
                .map { ($0.key, $0.value) })
        }
        var out: OrderedDict
        if task.noLog || (dict["_ansible_no_log"]?.isTruthy ?? false) {
            out = censored(dict)
            if case .list(let items)? = dict["results"] {
                out["results"] = .list(items.map { item in
                    if case .dict(let d) = item, d["_ansible_no_log"]?.isTruthy ?? false { return .dict(censored(d)) }
                    return item
                })
            }
        } else {
            var ignored: Set<String> = ["failed", "skipped"]
            if debugActions.contains(task.action) { ignored.insert("invocation") }
            out = OrderedDict(dict.filter { !ignored.contains($0.key) }.map { ($0.key, $0.value) })
            out = stripInternalKeys(.dict(out), keeping: keptInternalKeys).dictValue ?? OrderedDict()
        }
        if let delegatedSubset { out["_ansible_delegated_vars"] = .dict(delegatedSubset) }
        return .dict(out)
    }

    private static func censored(_ dict: OrderedDict) -> OrderedDict {
        var out = OrderedDict()
        for key in censorPreservedKeys {
            if let value = dict[key] { out[key] = value }
        }
        out["censored"] = .string(censoredMessage)
        return out
    }

    /// Removes every `_ansible_*` key (at any depth) except `keeping`.
    public static func stripInternalKeys(_ value: Value, keeping: Set<String> = []) -> Value {
        switch value {
        case .dict(let dict):
            var out = OrderedDict()
            for (key, child) in dict where !(key.hasPrefix("_ansible_") && !keeping.contains(key)) {
                out[key] = stripInternalKeys(child, keeping: keeping)
            }
            return .dict(out)
        case .list(let items):
            return .list(items.map { stripInternalKeys($0, keeping: keeping) })
        default:
            return value
        }
    }

    // MARK: - Display cleaning

    /// Ansible's `_clean_results`: a `debug` result shows only its `msg` (or only the variable).
    public static func cleanResults(_ result: Value, action: String) -> Value {
        guard debugActions.contains(action), case .dict(let dict) = result else { return result }
        if dict.contains("msg") {
            return .dict(OrderedDict(dict.filter { debugAllowedKeys.contains($0.key) || $0.key.hasPrefix("_") }.map { ($0.key, $0.value) }))
        }
        return .dict(OrderedDict(dict.filter { !hiddenInDebug.contains($0.key) }.map { ($0.key, $0.value) }))
    }

    /// True when a result body should follow the status line: at `-v` and above (or above
    /// `verbosity`), or when the action asked for it (`_ansible_verbose_always`), unless the
    /// result suppresses it (`_ansible_verbose_override`).
    public func runIsVerbose(_ result: Value, verbosity level: Int = 0) -> Bool {
        let always = result["_ansible_verbose_always"] == .bool(true)
        let override = result["_ansible_verbose_override"]?.isTruthy ?? false
        return (display.verbosity > level || always) && !override
    }

    /// Ansible's `_dump_results`: the result as sorted JSON (indented at `-vvv`, when pretty,
    /// or when the action asked to always be verbose), without internal keys, without
    /// `invocation`/`diff` below `-vvv`, and without warnings/exceptions (shown separately).
    public func dumpResults(_ result: Value, indent requestedIndent: Int? = nil, keepInvocation: Bool = false, sortKeys: Bool = true) -> String {
        var indent = requestedIndent
        let wantsIndent = (result["_ansible_verbose_always"]?.isTruthy ?? false) || (prettyResults == nil && resultFormat != "json")
            || prettyResults == true || display.verbosity > 2
        if (indent == nil || indent == 0) && wantsIndent { indent = 4 }
        if prettyResults == false { indent = nil }
        guard case .dict(var dict) = Self.stripInternalKeys(result) else {
            return JSONFormat(indent: indent, sortKeys: sortKeys, ensureASCII: false).string(result)
        }
        if !keepInvocation && display.verbosity < 3 { _ = dict.removeValue(forKey: "invocation") }
        if display.verbosity < 3 { _ = dict.removeValue(forKey: "diff") }
        for key in ["exception", "warnings", "deprecations"] { _ = dict.removeValue(forKey: key) }
        if resultFormat == "yaml" {
            if yamlIsLossy {
                // The text is already there; its line list would only repeat it.
                for key in ["stdout", "stderr"] where dict.contains(key) && dict.contains(key + "_lines") {
                    dict[key + "_lines"] = "<omitted>"
                }
            }
            let yaml = YAMLResultEmitter.dump(.dict(dict), indent: indent ?? 2, lossy: yamlIsLossy)
            return "\n" + Self.indentLines(yaml, by: indent ?? 4)
        }
        return JSONFormat(indent: indent, sortKeys: sortKeys, ensureASCII: false).string(.dict(dict))
    }

    /// Python's `textwrap.indent`: prefixes every line that is not blank.
    static func indentLines(_ text: String, by count: Int) -> String {
        let prefix = String(repeating: " ", count: count)
        var out = ""
        for line in UnifiedDiff.splitLinesKeepingEnds(text) {
            out += line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? line : prefix + line
        }
        return out
    }

    // MARK: - Labels

    /// The `(item=…)` label: `(censored due to no_log)`, the loop's `label`, or the item as
    /// Python's `str()` prints it.
    public static func itemLabel(_ result: Value) -> String {
        if result["_ansible_no_log"]?.isTruthy ?? false { return "(censored due to no_log)" }
        let item = result["_ansible_item_label"] ?? result["item"] ?? .null
        return item.pythonString
    }

    /// `host`, or `host -> delegate` (plus `(address)` when the delegate's `ansible_host` differs).
    public static func hostLabel(_ result: TaskResult) -> String {
        var label = result.host
        let delegate = result.delegatedTo ?? result.task.delegateTo
        if let delegate, !delegate.isEmpty, delegate != result.host {
            label += " -> \(delegate)"
            if let address = result.result["_ansible_delegated_vars"]?["ansible_host"]?.stringValue, address != delegate {
                label += "(\(address))"
            }
        }
        return label
    }
}
