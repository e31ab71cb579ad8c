/// Registry placeholder; filled in by the filters work.
public enum BuiltinTests {
    public static let all: [String: Test] = [:]
}
