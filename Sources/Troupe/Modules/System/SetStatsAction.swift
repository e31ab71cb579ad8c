import Foundation
import Jinja

/// `set_stats`: records custom statistics (per host or for the whole run, aggregated or
/// replaced) that the default callback prints after the recap with `show_custom_stats`.
struct SetStatsAction: ActionPlugin {
    let name = "set_stats"

    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        let invalid = args.keys.filter { !["aggregate", "data", "per_host"].contains($0) }
        if !invalid.isEmpty {
            return ["failed": true, "changed": false, "msg": .string("Invalid options for set_stats: \(invalid.joined(separator: ","))")]
        }
        var stats: OrderedDict = ["data": .dict([:]), "per_host": false, "aggregate": true]
        if let data = args["data"] {
            guard case .dict(let entries) = data else {
                return ["failed": true, "changed": false, "msg": "The 'data' option needs to be a dictionary/hash"]
            }
            for key in entries.keys where !VariableNames.isValid(key) {
                return ["failed": true, "changed": false, "msg": .string("Invalid variable name '\(key)'.")]
            }
            stats["data"] = data
        }
        for option in ["per_host", "aggregate"] {
            if let v = args[option] { stats[option] = .bool(ArgumentSpec.boolean(v) ?? false) }
        }
        return ["changed": false, "ansible_stats": .dict(stats)]
    }
}

extension RunStats {
    /// Ansible's `set_custom_stats`/`update_custom_stats`: `host` nil records under "_run";
    /// aggregating merges dicts and adds numbers, strings and lists, ignoring a value of
    /// another type.
    mutating func recordCustom(_ key: String, _ value: Value, host: String?, aggregate: Bool) {
        let owner = host ?? "_run"
        var entries = custom[owner]?.dictValue ?? OrderedDict()
        if aggregate, let current = entries[key] {
            switch (current, value) {
            case (.dict(let a), .dict(let b)): entries[key] = .dict(VariableScope.combine(a, over: b))
            case (.int(let a), .int(let b)): entries[key] = .int(a + b)
            case (.float(let a), .float(let b)): entries[key] = .float(a + b)
            case (.string(let a), .string(let b)): entries[key] = .string(a + b)
            case (.list(let a), .list(let b)): entries[key] = .list(a + b)
            default: return
            }
        } else {
            entries[key] = value
        }
        custom[owner] = .dict(entries)
    }
}
