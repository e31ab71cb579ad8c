/// ansible.builtin's filters, keyed by name.
public enum AnsibleFilters {
    /// Every Ansible filter implemented here; overrides same-named Jinja builtins.
    public static let all: [String: Filter] = [:]
}
