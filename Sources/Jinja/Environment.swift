/// Holds filters, tests, globals and options; compiles and caches templates.
/// Configure it once, then share it: rendering never mutates it.
public final class Environment: @unchecked Sendable {
    /// Filters by name; compiled templates bind them, so changing this clears the cache.
    public var filters: [String: Filter] { didSet { cache.removeAll() } }
    /// Tests by name; changing this clears the compile cache.
    public var tests: [String: Test] { didSet { cache.removeAll() } }
    /// Global names (looked up after the template's variables). Jinja2's `range`, `dict`,
    /// `namespace`, `cycler` and `joiner` are always available behind these.
    public var globals: [String: Value]
    /// Remove the first newline after a block tag (Jinja2 `trim_blocks`).
    public var trimBlocks = false { didSet { cache.removeAll() } }
    /// Strip spaces and tabs before a block tag at the start of a line (`lstrip_blocks`).
    public var lstripBlocks = false { didSet { cache.removeAll() } }
    /// Keep the template's final newline (Jinja2 drops one by default).
    public var keepTrailingNewline = false { didSet { cache.removeAll() } }
    /// Where `include`, `import` and `extends` find templates.
    public var loader: TemplateLoader?
    let cache = CompileCache()

    public init() {
        filters = BuiltinFilters.all
        tests = BuiltinTests.all
        globals = [:]
    }

    /// An environment set up the way ansible-core templates: Jinja2's builtins plus
    /// Ansible's filters and tests, and `trim_blocks` on (Ansible's default for both
    /// playbook values and the template module).
    public static func ansible() -> Environment {
        let env = Environment()
        env.installAnsibleExtensions()
        env.trimBlocks = true
        return env
    }

    /// Adds Ansible's filters and tests on top of Jinja2's builtins.
    public func installAnsibleExtensions() {
        filters.merge(AnsibleFilters.all) { _, new in new }
        tests.merge(AnsibleTests.all) { _, new in new }
    }
}
