/// ansible.builtin's tests, keyed by name.
public enum AnsibleTests {
    /// Every Ansible test implemented here.
    public static let all: [String: Test] = AnsibleTestFunctions.all.merging(ProtomatterPlugins.tests) { _, new in new }
}
