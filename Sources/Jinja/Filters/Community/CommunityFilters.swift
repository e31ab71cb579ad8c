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
    ]
}
