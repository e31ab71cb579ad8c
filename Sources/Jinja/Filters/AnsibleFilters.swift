/// Registry placeholder; filled in by the filters work.
public enum AnsibleFilters {
    public static let all: [String: Filter] = [:]
}
