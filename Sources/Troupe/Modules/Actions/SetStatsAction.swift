import Jinja

/// `set_stats`: custom statistics for the run (`per_host: false`, the default) or per host,
/// added to what earlier tasks set (`aggregate: true`, the default) or replacing it. The
/// executor records them; callbacks get them in `RunStats.custom` (`_run` for the run's).
struct SetStatsAction: ActionPlugin {
    let name = "set_stats"

    func run(_ args: OrderedDict, context: ActionContext) throws -> Value {
        var perHost = false
        var aggregate = true
        var data = OrderedDict()
        if !args.isEmpty {
            guard let given = (args["data"] ?? .emptyDict).dictValue else {
                return ["failed": true, "changed": false, "msg": "The 'data' option needs to be a dictionary/hash"]
            }
            if let value = args["per_host"], !value.isNull { perHost = AnsibleBoolean.parse(value) }
            if let value = args["aggregate"], !value.isNull { aggregate = AnsibleBoolean.parse(value) }
            for (key, value) in given {
                guard VariableNames.isValid(key) else {
                    return ["failed": true, "changed": false, "msg": .string("Invalid variable name '\(key)'.")]
                }
                data[key] = value
            }
        }
        return ["changed": false, "ansible_stats": ["data": .dict(data), "per_host": .bool(perHost), "aggregate": .bool(aggregate)]]
    }
}

extension RunStats {
    /// Ansible's `update_custom_stats`/`set_custom_stats`: with `aggregate`, dicts merge
    /// recursively, lists and strings concatenate, numbers add, and a value of another type
    /// than the stored one is ignored; without it the value replaces the stored one.
    mutating func recordCustom(_ key: String, _ value: Value, host: String?, aggregate: Bool) {
        let owner = host ?? "_run"
        var bucket = custom[owner]?.dictValue ?? OrderedDict()
        if aggregate, let stored = bucket[key] {
            switch (stored, value) {
            case (.dict(let old), .dict(let new)): bucket[key] = .dict(VariableScope.combine(old, over: new))
            case (.list(let old), .list(let new)): bucket[key] = .list(old + new)
            case (.string(let old), .string(let new)): bucket[key] = .string(old + new)
            case (.int(let old), .int(let new)): bucket[key] = .int(old &+ new)
            case (.float(let old), .float(let new)): bucket[key] = .float(old + new)
            case (.float(let old), .int(let new)): bucket[key] = .float(old + Double(new))
            default: return
            }
        } else {
            bucket[key] = value
        }
        custom[owner] = .dict(bucket)
    }
}
