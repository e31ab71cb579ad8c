/// Registry placeholder; filled in by the filters work.
public enum BuiltinFilters {
    public static let all: [String: Filter] = [:]
}
