import Foundation
import Jinja

/// Ansible's YAML filters (`to_yaml`, `to_nice_yaml`, `from_yaml`, `from_yaml_all`). They
/// live in Troupe because they need the YAML loader; install them next to the Jinja
/// target's filters with `environment.filters.merge(YAMLFilters.all) { $1 }`.
public enum YAMLFilters {
    /// The four YAML filters keyed by name.
    public static var all: [String: Filter] {
        [
            "to_yaml": Filter { v, a, _ in .string(try dump(v, a, nice: false)) },
            "to_nice_yaml": Filter { v, a, _ in .string(try dump(v, a, nice: true)) },
            "from_yaml": Filter(fromYAML),
            "from_yaml_all": Filter(fromYAMLAll),
        ]
    }

    /// Adds the YAML filters to `environment` (after `installAnsibleExtensions()`).
    public static func install(into environment: Environment) {
        environment.filters.merge(all) { _, new in new }
    }

    /// Builds emitter options from `yaml.dump` keyword arguments.
    static func dump(_ value: Value, _ a: Arguments, nice: Bool) throws -> String {
        var options = YAMLEmitter.Options(defaultFlowStyle: nice ? false : nil, indent: nice ? 4 : 2)
        if nice, let indent = a.positional.first { options.indent = indent.intValue ?? 4 }
        var canonical = false
        for (name, arg) in a.keywords {
            switch name {
            case "indent": options.indent = arg.intValue ?? options.indent
            case "width": options.width = arg.intValue ?? (arg.doubleValue.map { $0.isInfinite ? Int.max / 2 : Int($0) } ?? 80)
            case "default_flow_style": options.defaultFlowStyle = arg.isNull ? nil : arg.isTruthy
            case "sort_keys": options.sortKeys = arg.isTruthy
            case "allow_unicode": options.allowUnicode = arg.isTruthy
            case "explicit_start": options.explicitStart = arg.isTruthy
            case "explicit_end": options.explicitEnd = arg.isTruthy
            case "canonical": canonical = arg.isTruthy
            case "default_style":
                guard arg.isNull || ["\"", "'", "|"].contains(arg.pythonString) else {
                    throw JinjaError(.filter, "to_yaml: default_style \(arg.pythonRepr) is not supported (use '\"', \"'\" or '|')")
                }
                options.defaultStyle = arg.isNull ? nil : arg.pythonString.first
            case "encoding", "line_break", "Dumper", "tags", "version": continue
            default: throw JinjaError(.type, "dump_all() got an unexpected keyword argument '\(name)'")
            }
        }
        if canonical {
            return YAMLCanonicalWriter(options: options).dump(try YAMLRepresenter(options: options).represent(value))
        }
        return try YAMLEmitter(options: options).dump(value)
    }

    static func fromYAML(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        guard let text = v.stringValue else { return v }
        do {
            return try YAMLLoader().load(text, file: "<string>")?.value ?? .null
        } catch {
            throw JinjaError(.filter, "\(error)")
        }
    }

    static func fromYAMLAll(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        if v.isNull { return .list([]) }
        guard let text = v.stringValue else { return v }
        do {
            return .list(try YAMLLoader().loadAll(text, file: "<string>").map(\.value))
        } catch {
            throw JinjaError(.filter, "\(error)")
        }
    }
}
