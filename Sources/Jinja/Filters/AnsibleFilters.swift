/// ansible.builtin's filters, keyed by name.
public enum AnsibleFilters {
    /// Every Ansible filter implemented here; overrides same-named Jinja builtins.
    public static let all: [String: Filter] = {
        var filters: [String: Filter] = [:]
        for family in [DataFilters.all, MathFilters.all, EncodingFilters.all, RegexFilters.all,
                       PathFilters.all, TimeFilters.all, ProtomatterPlugins.filters] {
            filters.merge(family) { _, new in new }
        }
        return filters
    }()
}
