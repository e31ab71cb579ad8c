import Foundation
import Jinja

/// What a controller-side action sees while it runs one task on one host.
public struct ActionContext {
    /// Inventory name of the host the task runs for.
    public let host: String
    /// The task being run (before argument templating).
    public let task: Task
    /// The host's variables for this task, for templating.
    public let scope: VariableScope
    /// The play being run (its options, hosts and directories).
    public let play: PlayContext
    let run: RunContext
    /// Runs a remote module on this task's host (the "normal" action).
    let runModule: (_ module: String, _ args: OrderedDict) throws -> Value

    /// The run's templar, for templating with `scope`.
    public var templar: Templar { run.templar }
    /// The run's command-line/config options.
    public var options: ExecutionOptions { run.options }

    /// Emits a `[WARNING]:` through the run's callbacks.
    public func warn(_ message: String) { run.callbacks.warning(message) }
}

/// An action that runs on the controller (debug, set_fact, assert …) — possibly calling
/// remote modules itself.
public protocol ActionPlugin: Sendable {
    /// The action's short name, e.g. "debug"; FQCNs resolve to it.
    var name: String { get }
    /// False for actions that template (some of) their arguments themselves, such as
    /// `debug` (`var:`) and `assert` (`that:`).
    var templatesArguments: Bool { get }
    /// Runs the action for one host and returns its result dict; throwing fails the task with the error's message.
    func run(_ args: OrderedDict, context: ActionContext) throws -> Value
}

extension ActionPlugin {
    /// Default: arguments are templated before `run` is called.
    public var templatesArguments: Bool { true }
}

/// Every module and action Troupe knows, by short name (FQCNs `ansible.builtin.x` and
/// `ansible.legacy.x` resolve to them).
public final class ModuleRegistry: @unchecked Sendable {
    /// Remote modules by short name. Register before a run starts; the registry is not locked.
    public private(set) var remoteModules: [String: RemoteModule] = [:]
    /// Controller-side actions by short name; an action wins over a module of the same name.
    public private(set) var actions: [String: ActionPlugin] = [:]
    /// Directories holding custom modules (`library/`, `--module-path` …), filled while playbooks are parsed.
    public let library = ModuleLibrary()
    /// Installed collections (`collections_path`, `collections/` next to playbooks).
    public let collections = CollectionIndex(paths: [])
    /// Packs Python modules with their module_utils, once per module per run.
    public let packer = PythonModulePacker()
    /// Python filter, test, lookup and action plugins found while playbooks are parsed.
    public let pythonPlugins = PythonPluginCatalog()
    /// Actions the strategy handles itself (meta, includes, imports).
    public static let strategyActions: Set<String> = [
        "meta", "include_tasks", "import_tasks", "include_role", "import_role", "import_playbook",
    ]

    /// An empty registry; see `standard()` for the builtins.
    public init() { pythonPlugins.collections = collections }

    /// The registry with every builtin module.
    public static func standard() -> ModuleRegistry {
        let r = ModuleRegistry()
        for m: RemoteModule in [CommandModule(shell: false), CommandModule(shell: true), RawModule(), PingModule(),
                                SetupRemoteModule(), AsyncStatusModule(), ScriptModule(), URIModule(), GetURLModule()] {
            r.register(m)
        }
        for a: ActionPlugin in [DebugAction(), SetFactAction(), AssertAction(), FailAction(), GatherFactsAction(name: "setup"),
                                GatherFactsAction(name: "gather_facts"), AddHostAction(), GroupByAction(), IncludeVarsAction(), PauseAction(),
                                ValidateArgumentSpecAction(), ScriptAction(), URIAction()] {
            r.register(a)
        }
        FileModules.register(in: r)
        SystemModules.register(in: r)
        return r
    }

    /// Adds or replaces a remote module under its `name`. Not thread-safe: call before running.
    public func register(_ module: RemoteModule) { remoteModules[module.name] = module }
    /// Adds or replaces an action under its `name`. Not thread-safe: call before running.
    public func register(_ action: ActionPlugin) { actions[action.name] = action }

    /// Whether `name` (short or `ansible.builtin`/`ansible.legacy` FQCN) is a known module, action or strategy action.
    public func contains(_ name: String) -> Bool {
        let short = ModuleNames.shortName(name)
        guard !short.contains(".") else { return collections.resolveModule(name) != nil }
        if remoteModules[short] != nil || actions[short] != nil || ModuleRegistry.strategyActions.contains(short) { return true }
        if !name.hasPrefix("ansible.builtin.") && library.find(name) != nil { return true }
        return ansibleCoreModule(name) != nil
    }

    /// ansible-core's own Python module for a builtin Troupe has no native version of
    /// (`apt_repository`, `deb822_repository`, `debconf`, `iptables`, `expect` …): it runs
    /// through the same packed payload as collection modules, with the host's Python, as
    /// ansible-core runs it. Needs ansible-core on the controller; nil without it.
    public func ansibleCoreModule(_ name: String) -> CollectionIndex.ModuleFile? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        let short: String
        if parts.count == 1 {
            short = name
        } else if parts.count == 3 && (name.hasPrefix("ansible.builtin.") || name.hasPrefix("ansible.legacy.")) {
            short = String(parts[2])
        } else {
            return nil
        }
        guard remoteModules[short] == nil, actions[short] == nil, !ModuleRegistry.strategyActions.contains(short),
              !ModuleRegistry.internalCoreModules.contains(short),
              short.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }),
              let core = PluginDocumentation.ansibleCoreDirectory else { return nil }
        let path = "\(core)/modules/\(short).py"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return CollectionIndex.ModuleFile(path: path, name: "ansible.builtin.\(short)", pythonName: "ansible.modules.\(short)")
    }

    /// ansible-core modules that are its own machinery, not tasks.
    static let internalCoreModules: Set<String> = ["async_wrapper"]


    /// The collection module a task's action runs through the payload, nil for anything else.
    public func collectionModule(_ name: String) -> CollectionIndex.ModuleResolution? {
        if let core = ansibleCoreModule(name) { return .python(core) }
        guard name.split(separator: ".").count >= 3, ModuleNames.collectionAliases[name] == nil else { return nil }
        return collections.resolveModule(name)
    }

    /// The custom module file a task's action runs, nil for actions and builtins; a custom
    /// module shadows a builtin remote module of the same short (or `ansible.legacy.`) name, as in Ansible.
    public func customModulePath(_ name: String) -> String? {
        if name.hasPrefix("ansible.builtin.") { return nil }
        let short = ModuleNames.shortName(name)
        if actions[short] != nil || ModuleRegistry.strategyActions.contains(short) { return nil }
        return library.find(name)
    }
}
