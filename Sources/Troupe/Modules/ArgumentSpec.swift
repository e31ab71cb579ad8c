import Foundation
import Jinja

/// A module's parameters, validated the way Ansible's AnsibleModule does: unknown
/// parameters rejected, aliases resolved, types converted, defaults and choices applied.
public struct ArgumentSpec: Sendable {
    /// Parameter types, as in Ansible's `type=` (`str`, `bool`, `int`, …); values are converted to them.
    public enum Kind: String, Sendable { case str, bool, int, float, list, dict, path, raw }

    /// One parameter: name, type, default, aliases and allowed choices.
    public struct Parameter: Sendable {
        /// The canonical parameter name.
        public var name: String
        /// The type values are converted to.
        public var kind: Kind
        /// Fail when the parameter (or an alias) is missing.
        public var required: Bool
        /// Filled in when the parameter is not given; nil leaves it absent.
        public var defaultValue: Value?
        /// Other names accepted for the parameter, resolved to `name`.
        public var aliases: [String]
        /// Allowed values, compared after conversion; nil allows any.
        public var choices: [Value]?
        /// For `list` parameters: the element type.
        public var elements: Kind?
        /// A secret (Ansible's `no_log=True`): its value is never reported back, not even in `invocation`.
        public var noLog: Bool

        /// Creates a parameter; defaults to an optional `str` with no default.
        public init(_ name: String, _ kind: Kind = .str, required: Bool = false, default defaultValue: Value? = nil,
                    aliases: [String] = [], choices: [Value]? = nil, elements: Kind? = nil, noLog: Bool = false) {
            self.name = name
            self.kind = kind
            self.required = required
            self.defaultValue = defaultValue
            self.aliases = aliases
            self.choices = choices
            self.elements = elements
            self.noLog = noLog
        }
    }

    /// Every accepted parameter; other keys (except `_ansible_*`) fail as unsupported parameters.
    public var parameters: [Parameter]
    /// Groups of which at most one may be given.
    public var mutuallyExclusive: [[String]]

    /// Drop unknown parameters instead of failing (actions such as `raw` read only the keys they know).
    public var ignoresUnknownParameters = false

    /// Creates a spec from its parameters and mutually exclusive groups.
    public init(_ parameters: [Parameter], mutuallyExclusive: [[String]] = [], ignoresUnknownParameters: Bool = false) {
        self.parameters = parameters
        self.mutuallyExclusive = mutuallyExclusive
        self.ignoresUnknownParameters = ignoresUnknownParameters
    }

    /// Returns the arguments with aliases resolved, types converted and defaults set;
    /// throws ``ModuleFailure`` with Ansible's messages.
    public func validate(_ args: OrderedDict, module: String) throws -> OrderedDict {
        var byName: [String: Parameter] = [:]
        for p in parameters {
            byName[p.name] = p
            for a in p.aliases { byName[a] = p }
        }
        let unknown = args.keys.filter { byName[$0] == nil && !$0.hasPrefix("_ansible_") }
        if !unknown.isEmpty && !ignoresUnknownParameters {
            // Ansible lists every spec name sorted (internal `_` ones too), then all aliases sorted in one parenthesis.
            let visible = parameters.filter { !$0.name.hasPrefix("_troupe_") }
            var supported = visible.map(\.name).sorted().joined(separator: ", ")
            let aliases = visible.flatMap(\.aliases).sorted()
            if !aliases.isEmpty { supported += " (\(aliases.joined(separator: ", ")))" }
            throw ModuleFailure("Unsupported parameters for (\(module)) module: \(unknown.sorted().joined(separator: ", ")). Supported parameters include: \(supported).")
        }
        for group in mutuallyExclusive {
            let given = group.filter { name in args.keys.contains { byName[$0]?.name == name } }
            if given.count > 1 {
                throw ModuleFailure("parameters are mutually exclusive: \(group.joined(separator: "|"))")
            }
        }
        var out = OrderedDict()
        for (key, value) in args where !key.hasPrefix("_ansible_") {
            guard let p = byName[key] else { continue }
            if value.isNull { continue }
            out[p.name] = try convert(value, to: p.kind, name: p.name, elements: p.elements)
        }
        var missing: [String] = []
        for p in parameters where out[p.name] == nil {
            if p.required { missing.append(p.name) } else if let d = p.defaultValue { out[p.name] = d }
        }
        if !missing.isEmpty {
            throw ModuleFailure("missing required arguments: \(missing.joined(separator: ", "))")
        }
        for p in parameters {
            guard let choices = p.choices, let v = out[p.name], !v.isNull else { continue }
            if !choices.contains(v) {
                let list = choices.map(\.pythonString).joined(separator: ", ")
                throw ModuleFailure("value of \(p.name) must be one of: \(list), got: \(v.pythonString)")
            }
        }
        return out
    }

    private func convert(_ value: Value, to kind: Kind, name: String, elements: Kind?) throws -> Value {
        func typeError() -> ModuleFailure {
            ModuleFailure("argument '\(name)' is of type \(pythonClass(value)) and we were unable to convert to \(kind.rawValue)")
        }
        switch kind {
        case .raw: return value
        case .str, .path:
            switch value {
            case .string, .unsafe: return .string(value.stringValue!)
            // ansible-core's check_type_str converts anything else with str(): dicts and
            // lists become their Python text (`ping: data={…}` echoes "{'key': 'value'}").
            case .int, .float, .bool, .dict, .list: return .string(value.pythonString)
            default: throw typeError()
            }
        case .bool:
            if let b = ArgumentSpec.boolean(value) { return .bool(b) }
            throw ModuleFailure("argument '\(name)' is of type \(pythonClass(value)) and we were unable to convert to bool: The value '\(value.pythonString)' is not a valid boolean.  Valid booleans include: 'on', 'y', 'yes', 'off', 'n', 'true', 1, 't', 'no', 0, '1', '0', 'f', 'false'")
        case .int:
            switch value {
            case .int: return value
            case .float(let d) where d == d.rounded(): return .int(Int(d))
            case .string(let s), .unsafe(let s):
                if let i = Int(s.trimmingCharacters(in: .whitespaces)) { return .int(i) }
                throw typeError()
            default: throw typeError()
            }
        case .float:
            if let d = value.doubleValue { return .float(d) }
            if let s = value.stringValue, let d = Double(s) { return .float(d) }
            throw typeError()
        case .list:
            var items: [Value]
            switch value {
            case .list(let l): items = l
            case .string(let s), .unsafe(let s): items = s.split(separator: ",").map { .string(String($0)) }
            case .int, .float, .bool: items = [.string(value.pythonString)]
            default: throw typeError()
            }
            if let elements { items = try items.map { try convert($0, to: elements, name: name, elements: nil) } }
            return .list(items)
        case .dict:
            if case .dict = value { return value }
            if let s = value.stringValue {
                if let parsed = try? Value.parseJSON(s), case .dict = parsed { return parsed }
                return .dict(KeyValueParser.parse(s, checkRaw: false))
            }
            throw typeError()
        }
    }

    private func pythonClass(_ value: Value) -> String { "<class '\(value.pythonTypeName)'>" }

    /// Ansible's `boolean()`: yes/no/on/off/true/false/1/0/y/n/t/f, case-insensitive.
    public static func boolean(_ value: Value) -> Bool? {
        switch value {
        case .bool(let b): return b
        case .int(let i) where i == 0 || i == 1: return i == 1
        case .float(let d) where d == 0 || d == 1: return d == 1
        case .string(let s), .unsafe(let s):
            switch s.lowercased() {
            case "yes", "on", "1", "true", "y", "t": return true
            case "no", "off", "0", "false", "n", "f", "": return false
            default: return nil
            }
        default: return nil
        }
    }
}
