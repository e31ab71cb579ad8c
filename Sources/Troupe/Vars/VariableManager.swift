import Foundation
import Jinja

/// Assembles the variables a task sees on a host from every source, in Ansible's
/// precedence order (lowest → highest): role defaults, inventory group and host vars,
/// facts, play vars, vars_files, role vars, block vars, task vars, include_vars,
/// set_fact/register, role and include params, extra vars — magic variables on top.
public final class VariableManager: @unchecked Sendable {
    /// The inventory host and group variables come from.
    public let inventory: InventoryView
    /// Facts, `set_fact`/`register` and `include_vars` results, per host.
    public let store = HostVariableStore()
    /// Renders templated variables when a scope looks them up.
    public let templar: Templar
    /// `--extra-vars`: the highest-precedence variables. Set before the run; not synchronised.
    public var extraVars: OrderedDict
    /// `hash_behaviour`: "replace" (Ansible's default) or "merge".
    public var hashBehaviour = "replace"
    /// Where lookups send `[WARNING]:`s (set by the run to its callbacks).
    var warningHandler: (@Sendable (String) -> Void)?

    /// A manager over `inventory`; `extraVars` override every other source.
    public init(inventory: InventoryView, templar: Templar, extraVars: OrderedDict = OrderedDict()) {
        self.inventory = inventory
        self.templar = templar
        self.extraVars = extraVars
    }

    /// The scope for `task` (nil: play level) on `host` within `context`.
    public func scope(host: String, context: PlayContext?, task: Task? = nil) -> VariableScope {
        typealias Layer = VariableScope.Layer
        var layers: [Layer] = []
        layers.reserveCapacity(16)
        let role = task?.parent?.enclosingRole
        layers.append(Layer(extraVars))
        if let task, let params = task.includeParams { layers.append(Layer(params)) }
        if let role { layers.append(Layer(role.taskParams)) }
        layers.append(Layer(store.hostFactLayer(for: host), templated: false))
        layers.append(Layer(store.includedVarsLayer(for: host)))
        if let task {
            for vars in task.variableLayers.reversed() { layers.append(Layer(vars)) }
        }
        if let role { layers.append(Layer(role.taskVars)) }
        if let context {
            layers.append(Layer(context.roleVars))
            layers.append(Layer(context.varsFiles(for: host)))
            layers.append(Layer(context.promptVars))
            layers.append(Layer(context.play.vars))
        }
        layers.append(Layer(store.factLayer(for: host), templated: false))
        for inventoryLayer in inventory.inventoryVariables(for: host).reversed() {
            layers.append(Layer(inventoryLayer))
        }
        if let role { layers.append(Layer(role.taskDefaults)) }
        if let context { layers.append(Layer(context.roleDefaults)) }
        let scope = VariableScope(layers: layers, templar: templar) { [unowned self] name, scope in
            if let role {
                switch name {
                case "role_name": return .string(role.shortName)
                case "ansible_role_name": return .string(role.name)
                case "role_path": return .string(role.path)
                default: break
                }
            }
            if name == "ansible_search_path", let task { return Self.searchPath(for: task, playbookDirectory: context?.playbookDirectory) }
            return self.magicVariable(name, host: host, context: context, scope: scope)
        }
        scope.mergesDictionaries = hashBehaviour == "merge"
        scope.manager = self
        return scope
    }

    /// ansible-core's `ansible_search_path` for a task: the paths of the roles it runs in
    /// (innermost first, then the roles that included them), then its own file's directory,
    /// then the playbook's directory (the task executor appends the loader's base dir).
    static func searchPath(for task: Task, playbookDirectory: String? = nil) -> Value {
        var paths: [String] = []
        if let role = task.parent?.enclosingRole { paths.append(role.path) }
        for parent in task.includeParams?["ansible_parent_role_paths"]?.listValue ?? [] {
            if let path = parent.stringValue, !paths.contains(path) { paths.append(path) }
        }
        if let file = task.location?.file {
            let directory = (file as NSString).deletingLastPathComponent
            if !paths.contains(directory) { paths.append(directory) }
        }
        if let playbookDirectory, !paths.contains(playbookDirectory) { paths.append(playbookDirectory) }
        return .list(paths.map(Value.string))
    }

    private func magicVariable(_ name: String, host: String, context: PlayContext?, scope: VariableScope) -> Value? {
        switch name {
        case "ansible_host":
            // As ansible-core's connection variables: the inventory's address, else ansible_ssh_host, else the host name.
            guard scope.raw(name) == nil else { return nil }
            return ((try? scope.lookup("ansible_ssh_host")) ?? nil) ?? .string(host)
        case "inventory_hostname": return .string(host)
        case "inventory_hostname_short": return .string(String(host.split(separator: ".").first ?? Substring(host)))
        case "group_names": return .list(inventory.groupNames(forHost: host).map(Value.string))
        case "groups": return .dict(inventory.groupsDictionary())
        case "hostvars": return .object(HostVarsObject(manager: self, context: context))
        case "vars": return .object(ScopeVarsObject(scope: scope))
        case "omit": return .string(Templar.omitPlaceholder)
        case "playbook_dir": return context.map { .string($0.playbookDirectory) }
        case "inventory_dir": return inventory.inventorySource(for: host).dir.map(Value.string) ?? .null
        case "inventory_file": return inventory.inventorySource(for: host).file.map(Value.string) ?? .null
        case "play_hosts", "ansible_play_hosts": return context.map { .list($0.playHostsStillActive.map(Value.string)) }
        case "ansible_play_batch":
            return context.map { c in .list(c.batchHosts.filter { c.activeHosts.contains($0) }.map(Value.string)) }
        case "ansible_play_hosts_all": return context.map { .list($0.allHosts.map(Value.string)) }
        case "ansible_play_name": return context.map { .string($0.play.name) }
        case "ansible_check_mode": return context.map { .bool($0.options.check) }
        case "ansible_diff_mode": return context.map { .bool($0.options.diff) }
        case "ansible_forks": return context.map { .int($0.options.forks) }
        case "ansible_verbosity": return context.map { .int($0.options.verbosity) }
        case "ansible_run_tags": return context.map { .list($0.options.tags.map(Value.string)) }
        case "ansible_skip_tags": return context.map { .list($0.options.skipTags.map(Value.string)) }
        case "ansible_limit": return context.map { $0.options.limit.map(Value.string) ?? .null }
        case "ansible_version": return AnsibleVersion.value
        case "role_names", "ansible_play_role_names":
            return context.map { .list($0.playRoleNames.map(Value.string)) }
        case "ansible_dependent_role_names":
            return context.map { .list($0.dependentRoleNames.map(Value.string)) }
        case "ansible_role_names":
            return context.map { context in
                var names = context.dependentRoleNames
                for n in context.playRoleNames where !names.contains(n) { names.append(n) }
                return .list(names.map(Value.string))
            }
        default: return nil
        }
    }
}

/// `ansible_version` as Ansible reports the version Troupe is compatible with.
enum AnsibleVersion {
    static let full = "2.19.14"
    static let value: Value = ["full": .string(full), "major": 2, "minor": 19, "revision": 14, "string": .string(full)]
}

/// `hostvars`: every host's variables, computed lazily when a template reaches them.
final class HostVarsObject: JinjaObject, @unchecked Sendable {
    let manager: VariableManager
    let context: PlayContext?
    init(manager: VariableManager, context: PlayContext?) {
        self.manager = manager
        self.context = context
    }
    override var typeName: String { "HostVars" }
    override func attribute(_ name: String) -> Value? {
        guard (try? manager.inventory.hostNames(matching: name))?.contains(name) ?? false
              || manager.store.facts(for: name).count > 0 || name == "localhost" else { return nil }
        return .object(ScopeVarsObject(scope: manager.scope(host: name, context: context)))
    }
    override var renderedString: String { "<hostvars>" }
    /// Shown or stored whole (`debug: var=hostvars`): every inventory host's variables.
    override var storableValue: Value? {
        var out = OrderedDict()
        for name in (try? manager.inventory.hostNames(matching: "all")) ?? [] {
            out[name] = ScopeVarsObject(scope: manager.scope(host: name, context: context)).storableValue ?? .dict(OrderedDict())
        }
        return .dict(out)
    }
    /// `h in hostvars`, `for h in hostvars`: the inventory's host names.
    override func iterate() throws -> [Value]? {
        ((try? manager.inventory.hostNames(matching: "all")) ?? []).map(Value.string)
    }
}

/// A scope seen as a mapping (`vars`, `hostvars[host]`).
final class ScopeVarsObject: JinjaObject, @unchecked Sendable {
    let scope: VariableScope
    init(scope: VariableScope) { self.scope = scope }
    override var typeName: String { "HostVarsVars" }
    override func attribute(_ name: String) -> Value? {
        // A Mapping in ansible-core: its methods come before variables of the same name.
        if ["keys", "items", "values", "get"].contains(name) { return .object(ScopeVarsMethod(self, name)) }
        return try? scope.lookup(name)
    }
    /// Stored or output (`set_fact: x="{{ hostvars[h] }}"`): the host's variables as a mapping.
    override var storableValue: Value? {
        var out = OrderedDict()
        for name in scope.allNames where name != "hostvars" && name != "vars" {
            if let value = (try? scope.lookup(name)) ?? nil, !value.isUndefined { out[name] = value }
        }
        return .dict(out)
    }
    /// `'x' in hostvars[h]` / `vars`: the names of the variables defined for the host.
    override func iterate() throws -> [Value]? {
        var names = scope.allNames
        for magic in ["inventory_hostname", "inventory_hostname_short", "group_names", "groups", "inventory_file", "inventory_dir",
                      "playbook_dir", "omit", "ansible_version"] where !names.contains(magic) {
            names.append(magic)
        }
        return names.map(Value.string)
    }
}

/// `hostvars[h].keys()`, `.items()`, `.values()`, `.get(name, default)`: ansible-core's
/// HostVarsVars is a read-only Mapping.
final class ScopeVarsMethod: JinjaObject, @unchecked Sendable {
    let vars: ScopeVarsObject
    let name: String
    init(_ vars: ScopeVarsObject, _ name: String) {
        self.vars = vars
        self.name = name
    }
    override var typeName: String { "method" }
    override var isCallable: Bool { true }
    override func call(_ arguments: Arguments, _ context: CallContext) throws -> Value {
        let names = try vars.iterate() ?? []
        switch name {
        case "keys":
            return .list(names)
        case "values", "items":
            let pairs = names.compactMap { n -> (Value, Value)? in
                guard let key = n.stringValue, let value = (try? vars.scope.lookup(key)) ?? nil, !value.isUndefined else { return nil }
                return (n, value)
            }
            return .list(pairs.map { name == "values" ? $0.1 : .list([$0.0, $0.1]) })
        default:
            let key = arguments.positional.first?.stringValue ?? arguments.keyword("key")?.stringValue ?? ""
            let fallback = arguments.positional.count > 1 ? arguments.positional[1] : (arguments.keyword("default") ?? .null)
            if let value = (try? vars.scope.lookup(key)) ?? nil, !value.isUndefined { return value }
            return fallback
        }
    }
    override var renderedString: String { "<bound method \(name) of HostVarsVars>" }
}
