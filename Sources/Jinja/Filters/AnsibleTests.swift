/// Registry placeholder; filled in by the filters work.
public enum AnsibleTests {
    public static let all: [String: Test] = [:]
}
