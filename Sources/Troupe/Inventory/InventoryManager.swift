import Foundation
import Jinja

/// The inventory of a run: parses every `-i` source (INI, YAML/JSON, `a,b,` host lists,
/// directories, executable scripts) and answers questions about hosts, groups, host
/// patterns and variables, the way Ansible's `InventoryManager` does.
///
/// Reads are thread-safe and cheap: every change publishes a new immutable index that
/// readers use without holding the lock. Run-time changes (`add_host`, `group_by`) go
/// through ``addHost(name:groups:vars:)`` and ``addGroup(name:parents:host:)``.
public final class InventoryManager: @unchecked Sendable {
    /// Behaviour switches matching Ansible's configuration options.
    public struct Options: Sendable {
        /// Relative sources and `group_vars` locations resolve against this directory.
        public var workingDirectory: String
        /// `INVENTORY_ANY_UNPARSED_IS_FAILED`: throw instead of warning when a source
        /// cannot be parsed.
        public var failOnUnparsedSource: Bool
        /// `INVENTORY_UNPARSED_IS_FAILED`: throw when no source at all could be parsed.
        public var failWhenNothingParsed: Bool
        /// `HOST_PATTERN_MISMATCH`: what to do with a pattern that matches nothing.
        public var patternMismatch: PatternMismatch
        /// Secrets that decrypt vaulted `group_vars`/`host_vars` files.
        public var vaultSecrets: [VaultSecret] = []

        /// Options with Ansible's defaults: warn on unparsed sources and unmatched patterns.
        public init(workingDirectory: String = FileManager.default.currentDirectoryPath,
                    failOnUnparsedSource: Bool = false, failWhenNothingParsed: Bool = false,
                    patternMismatch: PatternMismatch = .warning) {
            self.workingDirectory = workingDirectory
            self.failOnUnparsedSource = failOnUnparsedSource
            self.failWhenNothingParsed = failWhenNothingParsed
            self.patternMismatch = patternMismatch
        }
    }

    /// What to do when a host pattern matches nothing.
    public enum PatternMismatch: String, Sendable { case warning, error, ignore }

    /// Ansible's warning when the inventory has no hosts at all.
    public static let emptyInventoryWarning =
        "provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'"

    /// The sources as given (`-i` values), in order.
    public let sources: [String]
    /// The options this inventory was created with.
    public let options: Options

    let lock = NSLock()
    private var data = InventoryData()
    private var index: InventoryIndex?
    private var warningList: [String] = []
    /// Every warning ever reported, so each is handed out once (Ansible's display
    /// de-duplicates warnings for the whole run).
    private var warnedBefore: Set<String> = []
    private var pendingWarnings: [String] = []
    private var errorList: [TroupeError] = []
    private var processed: [String] = []
    private var parsedWith: [(source: String, plugin: String)] = []
    var subsetPatterns: [String]?
    var restriction: Set<String>?
    var playbookDirectories: [String] = []
    let varsLoader = VarsDirectoryLoader()
    private var dynamicChanges: [DynamicChange] = []

    private enum DynamicChange {
        case host(name: String, groups: [String], vars: OrderedDict)
        case group(name: String, parents: [String], host: String)
    }

    /// Parses `sources` (paths, directories or comma-separated host lists).
    public init(sources: [String], options: Options = Options()) throws {
        varsLoader.vaultSecrets = options.vaultSecrets
        self.sources = sources
        self.options = options
        try load()
    }

    /// Re-reads every source (Ansible's `refresh_inventory`), then replays hosts and
    /// groups added at run time.
    public func refresh() throws {
        varsLoader.clear()
        try load()
        lock.lock()
        let changes = dynamicChanges
        lock.unlock()
        for change in changes {
            switch change {
            case .host(let name, let groups, let vars): _ = try applyAddHost(name: name, groups: groups, vars: vars)
            case .group(let name, let parents, let host): _ = try? applyAddGroup(name: name, parents: parents, host: host)
            }
        }
    }

    // MARK: - Reading

    /// The current immutable view, rebuilt after changes.
    func currentIndex() -> InventoryIndex {
        lock.lock(); defer { lock.unlock() }
        if let index { return index }
        let built = InventoryIndex(data)
        index = built
        return built
    }

    /// Every host in inventory order (not the implicit localhost).
    public var hosts: [Host] { currentIndex().hosts }
    /// Every group in the order first seen, starting with `all` and `ungrouped`.
    public var groups: [Group] { currentIndex().groups }
    /// True when the inventory has no hosts: only the implicit localhost is available.
    public var isEmpty: Bool { currentIndex().hosts.isEmpty }

    /// A host by name; `localhost`, `127.0.0.1` or `::1` missing from inventory give
    /// the implicit localhost (`ansible_connection=local`, in no group).
    public func host(named name: String) -> Host? { currentIndex().host(named: name) }

    /// A group by name.
    public func group(named name: String) -> Group? { currentIndex().groupsByName[name] }

    /// Hosts of a group and all its descendants, in Ansible's order.
    public func hostNames(inGroup name: String) -> [String] { currentIndex().groupHosts[name] ?? [] }

    /// The `groups` magic variable: group name → host names, for every group
    /// (including `all` and `ungrouped`) in inventory order.
    public var groupsVariable: OrderedDict {
        let index = currentIndex()
        var result = OrderedDict()
        for group in index.groups { result[group.name] = .list((index.groupHosts[group.name] ?? []).map(Value.string)) }
        return result
    }

    /// The `group_names` magic variable: the host's groups sorted, without `all`
    /// (`ungrouped` stays, as in Ansible).
    public func groupNames(for host: Host) -> [String] {
        let current = currentIndex().host(named: host.name) ?? host
        return current.groupNames.filter { $0 != "all" }.sorted(by: Value.pythonStringLess)
    }

    /// Warnings Ansible would print while reading the inventory ("Unable to parse ...",
    /// "Could not match supplied host pattern ..."), each once, in order.
    public var warnings: [String] {
        lock.lock(); defer { lock.unlock() }
        var all = warningList
        for message in varsLoader.warnings where !all.contains(message) { all.append(message) }
        return all
    }

    /// Why each unparseable source failed, with file:line:column where known.
    public var parseErrors: [TroupeError] {
        lock.lock(); defer { lock.unlock() }
        return errorList
    }

    /// Each source file that parsed and the plugin that parsed it (ansible's `-vvv` "Parsed …" lines).
    public var parsedSourcePlugins: [(source: String, plugin: String)] {
        lock.lock()
        defer { lock.unlock() }
        return parsedWith
    }

    /// Sources that parsed successfully (files inside directories listed one by one).
    public var processedSources: [String] {
        lock.lock(); defer { lock.unlock() }
        return processed
    }

    /// Warnings not yet handed out by a previous call, in order; the CLI prints these
    /// as `[WARNING]: ...` lines as the run goes.
    public func takeWarnings() -> [String] {
        let fromFiles = varsLoader.warnings
        lock.lock(); defer { lock.unlock() }
        for message in fromFiles { record(message) }
        let taken = pendingWarnings
        pendingWarnings = []
        return taken
    }

    func warn(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        record(message)
    }

    /// Must be called with the lock held.
    private func record(_ message: String) {
        if !warningList.contains(message) { warningList.append(message) }
        if warnedBefore.insert(message).inserted { pendingWarnings.append(message) }
    }

    // MARK: - Run-time changes

    /// `add_host`: adds the host (to `all`) when new, merges `vars` into its inventory
    /// vars and puts it in `groups` (created when missing). Returns whether anything
    /// changed.
    @discardableResult
    public func addHost(name: String, groups: [String] = [], vars: OrderedDict = OrderedDict()) throws -> Bool {
        let changed = try applyAddHost(name: name, groups: groups, vars: vars)
        lock.lock(); dynamicChanges.append(.host(name: name, groups: groups, vars: vars)); lock.unlock()
        return changed
    }

    /// `group_by`: creates group `name` (and `parents`, made its parents) when missing
    /// and puts `host` in it. Returns whether anything changed.
    @discardableResult
    public func addGroup(name: String, parents: [String] = [], host: String) throws -> Bool {
        let changed = try applyAddGroup(name: name, parents: parents, host: host)
        lock.lock(); dynamicChanges.append(.group(name: name, parents: parents, host: host)); lock.unlock()
        return changed
    }

    /// Creates an empty group (no host), e.g. for `add_host` with a new group name.
    public func addGroup(name: String) {
        mutate { data in _ = data.addGroup(name, location: nil); data.reconcile(); return true }
    }

    private func applyAddHost(name: String, groups: [String], vars: OrderedDict) throws -> Bool {
        try mutateThrowing { data in
            var changed = false
            if data.hosts[name] == nil {
                try data.addHost(name, group: "all", location: nil)
                changed = true
            }
            let before = data.hosts[name]?.vars
            data.mergeHostVariables(name, vars)
            if data.hosts[name]?.vars != before { changed = true }
            for group in groups {
                if data.groups[group] == nil { data.addGroup(group, location: nil); changed = true }
                if data.groups[group]?.hostNames.contains(name) == false {
                    try data.addChild(group, name)
                    changed = true
                }
            }
            if changed { data.reconcile() }
            return changed
        }
    }

    private func applyAddGroup(name: String, parents: [String], host: String) throws -> Bool {
        try mutateThrowing { data in
            var changed = false
            if data.hosts[host] == nil {
                guard InventoryData.localhostNames.contains(host) else {
                    throw TroupeError(.internal, "\(host) cannot be matched in inventory")
                }
                data.addImplicitLocalhost(host)
            }
            data.addGroup(name, location: nil)
            for parent in parents {
                if data.groups[parent] == nil { data.addGroup(parent, location: nil); changed = true }
                if data.groups[parent]?.childNames.contains(name) == false {
                    try data.addChild(parent, name)
                    changed = true
                }
            }
            if data.groups[name]?.hostNames.contains(host) == false {
                try data.addChild(name, host)
                changed = true
            }
            if changed { data.reconcile() }
            return changed
        }
    }

    /// Applies a change to a copy of the data and publishes it; the index is rebuilt
    /// lazily on the next read.
    @discardableResult
    func mutate(_ change: (inout InventoryData) -> Bool) -> Bool {
        lock.lock(); defer { lock.unlock() }
        var copy = data
        let changed = change(&copy)
        publish(copy)
        return changed
    }

    private func mutateThrowing(_ change: (inout InventoryData) throws -> Bool) throws -> Bool {
        lock.lock(); defer { lock.unlock() }
        var copy = data
        do {
            let changed = try change(&copy)
            publish(copy)
            return changed
        } catch let error as InventoryBuildError {
            throw TroupeError(.internal, error.description)
        }
    }

    /// Must be called with the lock held.
    private func publish(_ newData: InventoryData) {
        var newData = newData
        for message in newData.warnings { record(message) }
        newData.warnings = []
        data = newData
        index = nil
    }

    // MARK: - Loading

    private func load() throws {
        var loader = SourceLoader(workingDirectory: options.workingDirectory)
        var parsedAny = false
        for source in sources where !source.isEmpty {
            let resolved = source.contains(",") ? source : SourceLoader.absolutePath(source, relativeTo: options.workingDirectory)
            if loader.parseSource(resolved) { parsedAny = true }
            if options.failOnUnparsedSource, let failed = loader.unparsed.first {
                throw loader.firstFailure[failed] ?? TroupeError(.parse, "Completely failed to parse inventory source \(failed)")
            }
        }
        if parsedAny {
            loader.data.reconcile()
        } else if options.failWhenNothingParsed {
            throw TroupeError(.parse, "No inventory was parsed, please check your configuration and options.")
        } else {
            loader.warnings.append("No inventory was parsed, only implicit localhost is available")
        }
        lock.lock()
        warningList = []
        for message in loader.warnings + loader.data.warnings { record(message) }
        loader.data.warnings = []
        errorList = loader.errors
        processed = loader.processed
        parsedWith = loader.parsedWith
        data = loader.data
        index = nil
        lock.unlock()
        try preloadVariableFiles()
    }
}

extension InventoryData {
    /// The implicit localhost's `ansible_python_interpreter`: ansible-core gives it the Python
    /// running the controller; Troupe's counterpart is the `python3` on PATH
    /// (TROUPE_CONTROLLER_PYTHON overrides it).
    static let controllerPython: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment["TROUPE_CONTROLLER_PYTHON"], !chosen.isEmpty { return chosen }
        for directory in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = String(directory) + "/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// Puts the implicit localhost into the data so `group_by` can place it in groups;
    /// it still never joins `all` or `ungrouped`.
    mutating func addImplicitLocalhost(_ name: String) {
        guard hosts[name] == nil else { return }
        var host = Host(name: name, location: nil, isImplicit: true)
        host.vars["ansible_connection"] = "local"
        if let python = InventoryData.controllerPython { host.vars["ansible_python_interpreter"] = .string(python) }
        insertHost(host)
    }
}
