import Foundation
import Jinja

/// Validates values against an Ansible argument spec given as data (a role's
/// `argument_specs` entry point, `validate_argument_spec`'s `argument_spec`): every
/// problem is collected, in the order and with the wording of ansible-core's
/// ArgumentSpecValidator, instead of stopping at the first one like ``ArgumentSpec``.
struct ArgumentSpecValidator {
    /// Option name → its attributes (`type`, `required`, `default`, `choices`,
    /// `elements`, `options`, `aliases`, `mutually_exclusive` …) as written.
    let spec: OrderedDict

    private struct Unsupported { var name: String; var supported: [String]; var aliases: [String] }

    /// The error messages for `parameters`; empty when they are valid.
    func errors(for parameters: OrderedDict) -> [String] {
        var errors: [String] = []
        var unsupported: [Unsupported] = []
        var params = parameters
        validateLevel(spec, &params, context: [], errors: &errors, unsupported: &unsupported)
        if !unsupported.isEmpty {
            // ansible-core sorts the names but lists the supported options of whichever
            // entry its set yields last; with one context that is unambiguous.
            let names = unsupported.map(\.name).sorted().joined(separator: ", ")
            let last = unsupported.last!
            var supported = last.supported.sorted().joined(separator: ", ")
            if !last.aliases.isEmpty { supported += " (\(last.aliases.sorted().joined(separator: ", ")))" }
            errors.append("\(names). Supported parameters include: \(supported).")
        }
        return errors
    }

    private func validateLevel(_ spec: OrderedDict, _ params: inout OrderedDict, context: [String],
                               errors: inout [String], unsupported: inout [Unsupported],
                               mutuallyExclusive: Value? = nil) {
        let aliases: [String: String]
        do { aliases = try resolveAliases(spec, &params) } catch let e as ConversionError {
            errors.append(e.message)
            aliases = [:]
        } catch { aliases = [:] }
        if let noLogError = Self.subParameterShapeError(spec, params) { errors.append(noLogError) }
        let legal = Set(spec.keys).union(aliases.keys)
        for key in params.keys where !legal.contains(key) {
            unsupported.append(Unsupported(name: (context + [key]).joined(separator: "."),
                                           supported: spec.keys.filter { aliases[$0] == nil },
                                           aliases: Array(aliases.keys)))
        }
        if let groups = mutuallyExclusive?.listValue {
            let hits = groups.compactMap { group -> String? in
                let names = (group.listValue ?? [group]).map(\.pythonString)
                return names.filter { params[$0] != nil }.count > 1 ? names.joined(separator: "|") : nil
            }
            if !hits.isEmpty { errors.append(Self.inContext("parameters are mutually exclusive: \(hits.joined(separator: ", "))", context)) }
        }
        setDefaults(spec, &params, includingNone: false)
        let missing = spec.compactMap { name, attrs in
            ArgumentSpec.boolean(attrs["required"] ?? false) == true && params[name] == nil ? name : nil
        }
        if !missing.isEmpty {
            errors.append(Self.inContext("missing required arguments: \(missing.sorted().joined(separator: ", "))", context))
        }
        checkTypes(spec, &params, context: context, errors: &errors)
        checkChoices(spec, params, context: context, errors: &errors)
        setDefaults(spec, &params, includingNone: true)
        for (name, attrs) in spec {
            let type = attrs["type"]?.stringValue
            guard type == "dict" || (type == "list" && attrs["elements"]?.stringValue == "dict"),
                  let subSpec = attrs["options"]?.dictValue else { continue }
            var value = params[name] ?? .null
            if ArgumentSpec.boolean(attrs["apply_defaults"] ?? false) == true, value.isNull { value = .dict(OrderedDict()) }
            if value.isNull { continue }
            let elements: [Value]
            if case .list(let l) = value { elements = l } else { elements = [value] }
            for element in elements {
                guard var sub = element.dictValue else {
                    errors.append("value of '\(name)' must be of type dict or list of dicts")
                    continue
                }
                validateLevel(subSpec, &sub, context: context + [name], errors: &errors, unsupported: &unsupported,
                              mutuallyExclusive: attrs["mutually_exclusive"])
            }
        }
    }

    /// `aliases:` → the canonical name takes the alias's value; returns alias → name.
    /// Throws (after applying the aliases of earlier options) for an option both required
    /// and defaulted, as ansible-core checks that here.
    private func resolveAliases(_ spec: OrderedDict, _ params: inout OrderedDict) throws -> [String: String] {
        var map: [String: String] = [:]
        for (name, attrs) in spec {
            if !(attrs["default"] ?? .null).isNull, ArgumentSpec.boolean(attrs["required"] ?? false) == true {
                throw ConversionError(message: "internal error: required and default are mutually exclusive for \(name)")
            }
            for alias in attrs["aliases"]?.listValue ?? [] {
                let a = alias.pythonString
                map[a] = name
                if let v = params[a] { params[name] = v }
            }
        }
        return map
    }

    /// ansible-core lists no_log values before validating and, doing so, insists that
    /// sub-option values be dicts (or strings it can parse as dicts): the first one that is
    /// not becomes an error of its own.
    private static func subParameterShapeError(_ spec: OrderedDict, _ params: OrderedDict) -> String? {
        for (name, attrs) in spec {
            guard let subSpec = attrs["options"]?.dictValue, let value = params[name], !value.isNull else { continue }
            let type = attrs["type"]?.stringValue
            guard type == "dict" || (type == "list" && attrs["elements"]?.stringValue == "dict") else { continue }
            for var element in value.listValue ?? [value] {
                if element.stringValue != nil {
                    do { element = try convertToDict(element) } catch let e as ConversionError { return e.message } catch { return nil }
                }
                guard let sub = element.dictValue else {
                    return "Value '\(element.pythonString)' in the sub parameter field '\(name)' must be a \(type ?? "None"), not '\(taggedTypeName(element))'"
                }
                if let nested = subParameterShapeError(subSpec, sub) { return nested }
            }
        }
        return nil
    }

    private func setDefaults(_ spec: OrderedDict, _ params: inout OrderedDict, includingNone: Bool) {
        for (name, attrs) in spec where params[name] == nil {
            let d = attrs["default"] ?? .null
            if !d.isNull || includingNone { params[name] = d }
        }
    }

    private func checkTypes(_ spec: OrderedDict, _ params: inout OrderedDict, context: [String], errors: inout [String]) {
        for (name, attrs) in spec {
            guard let value = params[name] else { continue }
            let required = ArgumentSpec.boolean(attrs["required"] ?? false) == true
            if value.isNull && !required && (attrs["default"] ?? .null).isNull { continue }
            let wanted = attrs["type"]?.pythonString ?? "str"
            do {
                var converted = try Self.convert(value, to: wanted)
                if let elementType = attrs["elements"]?.pythonString, case .list(let items) = converted {
                    var out: [Value] = []
                    for item in items {
                        do { out.append(try Self.convert(item, to: elementType)) } catch let e as ConversionError {
                            var msg = "Elements value for option '\(name)'"
                            if !context.isEmpty { msg += " found in '\(context.joined(separator: " -> "))'" }
                            msg += " is of type \(Self.typeName(item)) and we were unable to convert to \(elementType): \(e.message)"
                            errors.append(msg)
                        } catch {}
                    }
                    converted = .list(out)
                }
                params[name] = converted
            } catch let e as ConversionError {
                var msg = "argument '\(name)' is of type \(Self.typeName(value))"
                if !context.isEmpty { msg += " found in '\(context.joined(separator: " -> "))'." }
                msg += " and we were unable to convert to \(wanted): \(e.message)"
                errors.append(msg)
            } catch {}
        }
    }

    private func checkChoices(_ spec: OrderedDict, _ params: OrderedDict, context: [String], errors: inout [String]) {
        for (name, attrs) in spec {
            guard let choices = attrs["choices"]?.listValue, let value = params[name] else { continue }
            let choiceText = choices.map(\.pythonString).joined(separator: ", ")
            if case .list(let items) = value {
                let misses = items.filter { !choices.contains($0) }
                if !misses.isEmpty {
                    errors.append(Self.inContext("value of \(name) must be one or more of: \(choiceText). Got no match for: \(misses.map(\.pythonString).joined(separator: ", "))", context))
                }
            } else if !choices.contains(value) {
                errors.append(Self.inContext("value of \(name) must be one of: \(choiceText), got: \(value.pythonString)", context))
            }
        }
    }

    private static func inContext(_ message: String, _ context: [String]) -> String {
        context.isEmpty ? message : "\(message) found in \(context.joined(separator: " -> "))"
    }

    /// Python's type name without Ansible's tagged-type wrappers.
    static func typeName(_ value: Value) -> String {
        switch value {
        case .unsafe, .vault: return "str"
        default: return value.pythonTypeName
        }
    }

    /// `type(value)` as ansible-core prints it: values read from YAML carry their origin,
    /// so they are its tagged types.
    private static func pythonClass(_ value: Value) -> String {
        let tagged = taggedTypeName(value)
        return tagged == typeName(value) ? "<class '\(tagged)'>" : "<class 'ansible.module_utils._internal._datatag.\(tagged)'>"
    }

    /// `value.__class__.__name__` for data read from YAML.
    static func taggedTypeName(_ value: Value) -> String {
        switch value {
        case .string, .unsafe, .vault: return "_AnsibleTaggedStr"
        case .int: return "_AnsibleTaggedInt"
        case .float: return "_AnsibleTaggedFloat"
        case .list: return "_AnsibleTaggedList"
        case .dict: return "_AnsibleTaggedDict"
        default: return typeName(value)
        }
    }

    struct ConversionError: Error { let message: String }

    /// ansible-core's type checkers (`check_type_*`), with their error texts.
    static func convert(_ value: Value, to type: String) throws -> Value {
        switch type {
        case "raw": return value
        case "str", "path":
            let s: String
            switch value {
            case .string(let x), .unsafe(let x), .vault(let x): s = x
            case .null: s = ""
            default: s = value.pythonString
            }
            return .string(type == "path" ? (s as NSString).expandingTildeInPath : s)
        case "list":
            switch value {
            case .list: return value
            case .string(let s), .unsafe(let s): return .list(s.components(separatedBy: ",").map(Value.string))
            case .int, .float, .bool: return .list([.string(value.pythonString)])
            default: throw ConversionError(message: "\(pythonClass(value)) cannot be converted to a list")
            }
        case "dict":
            return try convertToDict(value)
        case "bool":
            switch value {
            case .bool: return value
            case .string, .unsafe, .int, .float:
                let normalized: Value = value.stringValue.map { .string($0.lowercased().trimmingCharacters(in: .whitespaces)) } ?? value
                if let b = ArgumentSpec.boolean(normalized), normalized != .string("") { return .bool(b) }
                throw ConversionError(message: "The value '\(value.pythonString)' is not a valid boolean. Valid booleans include: 'y', 1, 0, 'false', 'f', 'yes', 'no', 'on', '1', 'off', 't', '0', 'n', 'true'")
            default: throw ConversionError(message: "\(pythonClass(value)) cannot be converted to a bool")
            }
        case "int":
            switch value {
            case .int, .bool: return value
            case .float(let d) where d == d.rounded() && abs(d) < 9e18: return .int(Int(d))
            case .string(let s), .unsafe(let s):
                let t = s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
                if let i = Int(t) { return .int(i) }
                if let d = Double(t), d.isFinite, d == d.rounded(), abs(d) < 9e18 { return .int(Int(d)) }
            default: break
            }
            throw ConversionError(message: "\"\(value.pythonRepr)\" cannot be converted to an int")
        case "float":
            switch value {
            case .float: return value
            case .int, .bool: return .float(value.doubleValue!)
            case .string(let s), .unsafe(let s):
                if let d = Double(s.trimmingCharacters(in: .whitespaces)) { return .float(d) }
            default: break
            }
            throw ConversionError(message: "\(pythonClass(value)) cannot be converted to a float")
        case "json", "jsonarg":
            switch value {
            case .string(let s), .unsafe(let s): return .string(s.trimmingCharacters(in: .whitespacesAndNewlines))
            case .list, .dict: return .string(value.jsonString)
            default: throw ConversionError(message: "\(pythonClass(value)) cannot be converted to a json string")
            }
        case "bytes", "bits":
            if let n = humanToBytes(value, bits: type == "bits") { return .int(n) }
            throw ConversionError(message: "\(pythonClass(value)) cannot be converted to a \(type == "bits" ? "Bit" : "Byte") value")
        default:
            // ansible-core calls a missing checker and reports Python's own complaint.
            throw ConversionError(message: "'NoneType' object is not callable")
        }
    }

    private static func convertToDict(_ value: Value) throws -> Value {
        if case .dict = value { return value }
        guard let s = value.stringValue else {
            throw ConversionError(message: "\(pythonClass(value)) cannot be converted to a dict")
        }
        if s.hasPrefix("{") {
            if let parsed = try? Value.parseJSON(s), case .dict = parsed { return parsed }
            throw ConversionError(message: "unable to evaluate string as dictionary")
        }
        guard s.contains("=") else { throw ConversionError(message: "dictionary requested, could not parse JSON or key=value") }
        var fields: [String] = [], buffer = ""
        var quote: Character?, escaped = false
        for c in s.trimmingCharacters(in: .whitespaces) {
            if escaped { buffer.append(c); escaped = false }
            else if c == "\\" { escaped = true }
            else if quote == nil && (c == "'" || c == "\"") { quote = c }
            else if quote == c { quote = nil }
            else if quote == nil && (c == "," || c == " ") { if !buffer.isEmpty { fields.append(buffer) }; buffer = "" }
            else { buffer.append(c) }
        }
        if !buffer.isEmpty { fields.append(buffer) }
        var out = OrderedDict()
        for f in fields {
            guard let eq = f.firstIndex(of: "=") else {
                throw ConversionError(message: "unable to evaluate string in the \"key=value\" format as dictionary")
            }
            out[String(f[..<eq])] = .string(String(f[f.index(after: eq)...]))
        }
        return .dict(out)
    }

    /// `human_to_bytes`: "10", "1K", "2.5MB", "1Mb" (bits).
    private static func humanToBytes(_ value: Value, bits: Bool) -> Int? {
        if case .int(let i) = value { return i }
        guard let s = value.stringValue?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return nil }
        let digits = s.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits) else { return nil }
        var unit = s.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        if unit.isEmpty { return Int(number) }
        let suffix = bits ? "b" : "B"
        if unit.count > 1 {
            guard unit.hasSuffix(suffix) else { return nil }
            unit.removeLast()
        }
        let powers = ["": 0, "K": 1, "M": 2, "G": 3, "T": 4, "P": 5, "E": 6, "Z": 7, "Y": 8]
        guard let power = powers[unit.uppercased()] ?? (unit == suffix ? 0 : nil) else { return nil }
        return Int(number * pow(1024, Double(power)))
    }
}
