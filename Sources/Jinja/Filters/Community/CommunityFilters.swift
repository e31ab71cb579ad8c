/// Filters of popular collections implemented natively, by their collection names
/// (so `x | community.general.json_query('…')` needs no Python on the controller).
public enum CommunityFilters {
    /// Every native collection filter, keyed by FQCN.
    public static let all: [String: Filter] = [
        "community.general.json_query": Filter { value, arguments, _ in
            guard let expression = arguments.positional.first?.stringValue else {
                throw JinjaError(.runtime, "json_query requires a JMESPath expression string")
            }
            return try JMESPath.search(expression, value)
        },
        // `value | community.general.dict_kv('key')` is `{'key': value}`.
        "community.general.dict_kv": Filter { value, arguments, _ in
            guard let key = arguments.positional.first ?? arguments.keywords.first(where: { $0.0 == "key" })?.1 else {
                throw JinjaError(.type, "dict_kv() missing 1 required positional argument: 'key'")
            }
            var dict = OrderedDict()
            dict[key.stringValue ?? key.pythonString] = value
            return .dict(dict)
        },
    ]
}
