/// Holds filters, tests, globals and options; compiles and caches templates.
/// Configure it once, then share it: rendering never mutates it.
public final class Environment: @unchecked Sendable {
    public var filters: [String: Filter]
    public var tests: [String: Test]
    public var globals: [String: Value]
    public var trimBlocks = false
    public var lstripBlocks = false
    public var keepTrailingNewline = false
    /// Where `include`, `import` and `extends` find templates.
    public var loader: TemplateLoader?

    public init() {
        filters = BuiltinFilters.all
        tests = BuiltinTests.all
        globals = [:]
    }

    /// Adds Ansible's filters and tests on top of Jinja2's builtins.
    public func installAnsibleExtensions() {
        filters.merge(AnsibleFilters.all) { _, new in new }
        tests.merge(AnsibleTests.all) { _, new in new }
    }
}
