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
    /// Whether variables' lists and dicts stand for ansible-core's lazy containers (the
    /// playbook engine's variables are), whose missing index has its own message.
    public var lazyVariableContainers = false { didSet { cache.removeAll() } }
    /// The tag delimiters (Jinja2's `block_start_string` … `comment_end_string`).
    public var delimiters = Delimiters.standard { didSet { cache.removeAll() } }
    /// Keep the template's final newline (Jinja2 drops one by default).
    public var keepTrailingNewline = false { didSet { cache.removeAll() } }
    /// Where `include`, `import` and `extends` find templates.
    public var loader: TemplateLoader?
    /// Where names the environment does not define are looked up last (set before rendering).
    public var externalPlugins: ExternalPluginSource?
    /// Whether a string is the plaintext of a vault value the engine decrypted (ansible-core
    /// tags such text as vaulted); the `vault_encrypted` test accepts it. Nil: none are.
    public var isDecryptedVaultText: (@Sendable (String) -> Bool)?
    let cache = CompileCache()

    /// An environment with Jinja2's builtin filters and tests, no globals, no loader and
    /// Jinja2's default options; see ``ansible()`` for ansible-core's setup.
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
        filters.merge(CommunityFilters.all) { _, new in new }
        tests.merge(AnsibleTests.all) { _, new in new }
        // Ansible always defines these callables; a host (Troupe's Templar) replaces them
        // with real lookup plugins. Until then a call fails with a clear message.
        for name in ["lookup", "query", "q"] where globals[name] == nil {
            globals[name] = .object(GlobalFunction(name) { arguments, _ in
                let plugin = arguments.positional.first.map { $0.pythonString } ?? ""
                throw JinjaError(.runtime, "lookup plugin '\(plugin)' is not available: no lookup plugins are installed in this environment")
            })
        }
    }

    /// The filter called `name`. Also resolves the collection-qualified names ansible-core
    /// 2.19 accepts: `ansible.builtin.<name>` (every filter, Jinja2's included) and
    /// `ansible.legacy.<name>` (every filter except Jinja2-only ones). Resolution is by name
    /// at compile time, so it holds for filters added later and for copied registries.
    public func filter(named name: String) -> Filter? {
        if let filter = filters[name] { return filter }
        if let short = unqualified(name, jinjaOnly: Environment.jinjaOnlyFilterNames), let filter = filters[short] { return filter }
        return externalPlugins?.filter(named: name)
    }

    /// The test called `name`, with the same qualified spellings as ``filter(named:)``.
    public func test(named name: String) -> Test? {
        if let test = tests[name] { return test }
        if let short = unqualified(name, jinjaOnly: Environment.jinjaOnlyTestNames), let test = tests[short] { return test }
        return externalPlugins?.test(named: name)
    }

    private static let jinjaOnlyFilterNames = Set(BuiltinFilters.all.keys).subtracting(AnsibleFilters.all.keys)
    private static let jinjaOnlyTestNames = Set(BuiltinTests.all.keys).subtracting(AnsibleTests.all.keys)

    private func unqualified(_ name: String, jinjaOnly: Set<String>) -> String? {
        if name.hasPrefix("ansible.builtin.") { return String(name.dropFirst("ansible.builtin.".count)) }
        if name.hasPrefix("ansible.legacy.") {
            let short = String(name.dropFirst("ansible.legacy.".count))
            return jinjaOnly.contains(short) ? nil : short
        }
        return nil
    }
}

/// Jinja2's tag delimiters: `{% %}`, `{{ }}` and `{# #}` unless a template asks for others
/// (the template module's `*_start_string` / `*_end_string` options).
public struct Delimiters: Sendable, Hashable {
    public var blockStart = "{%", blockEnd = "%}"
    public var variableStart = "{{", variableEnd = "}}"
    public var commentStart = "{#", commentEnd = "#}"

    /// Jinja2's defaults.
    public static let standard = Delimiters()

    public init() {}

    /// True when `text` holds one of the start strings, so it needs rendering.
    public func opensTag(in text: String) -> Bool {
        text.contains(variableStart) || text.contains(blockStart) || text.contains(commentStart)
    }
}
