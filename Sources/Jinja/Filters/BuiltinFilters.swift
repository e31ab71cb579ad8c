/// Jinja2 3.1's builtin filters, keyed by name.
public enum BuiltinFilters {
    /// Every Jinja2 builtin filter.
    public static let all: [String: Filter] = {
        var filters: [String: Filter] = [:]
        for family in [StringFilters.all, NumberFilters.all, ListFilters.all, HigherOrderFilters.all] {
            filters.merge(family) { _, new in new }
        }
        return filters
    }()
}
