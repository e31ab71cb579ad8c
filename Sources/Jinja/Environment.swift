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
    ///
    /// Also registers the collection-qualified names Ansible resolves: `ansible.builtin.<name>`
    /// for every filter and test (Jinja2's included), `ansible.legacy.<name>` for Ansible's own.
    public func installAnsibleExtensions() {
        var allFilters = filters.merging(AnsibleFilters.all) { _, new in new }
        var allTests = tests.merging(AnsibleTests.all) { _, new in new }
        Environment.addQualifiedNames(to: &allFilters, ansibleNames: AnsibleFilters.all.keys)
        Environment.addQualifiedNames(to: &allTests, ansibleNames: AnsibleTests.all.keys)
        filters = allFilters
        tests = allTests
        // Ansible always defines these callables; a host (Troupe's Templar) replaces them
        // with real lookup plugins. Until then a call fails with a clear message.
        for name in ["lookup", "query", "q"] where globals[name] == nil {
            globals[name] = .object(GlobalFunction(name) { arguments, _ in
                let plugin = arguments.positional.first.map { $0.pythonString } ?? ""
                throw JinjaError(.runtime, "lookup plugin '\(plugin)' is not available: no lookup plugins are installed in this environment")
            })
        }
    }

    private static func addQualifiedNames<T>(to registry: inout [String: T], ansibleNames: Dictionary<String, T>.Keys) {
        for (name, entry) in registry where !name.contains(".") {
            registry["ansible.builtin." + name] = entry
        }
        for name in ansibleNames where !name.contains(".") {
            registry["ansible.legacy." + name] = registry[name]
        }
    }
}
