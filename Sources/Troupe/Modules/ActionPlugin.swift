import Foundation
import Jinja

/// What a controller-side action sees while it runs one task on one host.
public struct ActionContext {
    public let host: String
    public let task: Task
    public let scope: VariableScope
    public let play: PlayContext
    let run: RunContext
    /// Runs a remote module on this task's host (the "normal" action).
    let runModule: (_ module: String, _ args: OrderedDict) throws -> Value

    public var templar: Templar { run.templar }
    public var options: ExecutionOptions { run.options }

    public func warn(_ message: String) { run.callbacks.warning(message) }
}

/// An action that runs on the controller (debug, set_fact, assert …) — possibly calling
/// remote modules itself.
public protocol ActionPlugin: Sendable {
    var name: String { get }
    /// False for actions that template (some of) their arguments themselves, such as
    /// `debug` (`var:`) and `assert` (`that:`).
    var templatesArguments: Bool { get }
    func run(_ args: OrderedDict, context: ActionContext) throws -> Value
}

extension ActionPlugin {
    public var templatesArguments: Bool { true }
}

/// Every module and action Troupe knows, by short name (FQCNs `ansible.builtin.x` and
/// `ansible.legacy.x` resolve to them).
public final class ModuleRegistry: @unchecked Sendable {
    public private(set) var remoteModules: [String: RemoteModule] = [:]
    public private(set) var actions: [String: ActionPlugin] = [:]
    /// Actions the strategy handles itself (meta, includes, imports).
    public static let strategyActions: Set<String> = [
        "meta", "include_tasks", "import_tasks", "include_role", "import_role", "import_playbook",
    ]

    public init() {}

    /// The registry with every builtin module.
    public static func standard() -> ModuleRegistry {
        let r = ModuleRegistry()
        for m: RemoteModule in [CommandModule(shell: false), CommandModule(shell: true), RawModule(), PingModule(),
                                SetupRemoteModule()] {
            r.register(m)
        }
        for a: ActionPlugin in [DebugAction(), SetFactAction(), AssertAction(), FailAction(), GatherFactsAction(name: "setup"),
                                GatherFactsAction(name: "gather_facts"), AddHostAction(), GroupByAction(), IncludeVarsAction()] {
            r.register(a)
        }
        FileModules.register(in: r)
        return r
    }

    public func register(_ module: RemoteModule) { remoteModules[module.name] = module }
    public func register(_ action: ActionPlugin) { actions[action.name] = action }

    public func contains(_ name: String) -> Bool {
        let short = ModuleNames.shortName(name)
        guard !short.contains(".") else { return false }
        return remoteModules[short] != nil || actions[short] != nil || ModuleRegistry.strategyActions.contains(short)
    }
}
