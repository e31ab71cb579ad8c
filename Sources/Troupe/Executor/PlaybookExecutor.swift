import Foundation
import Jinja

/// Runs playbook files from start to end — Ansible's PlaybookExecutor: parses them,
/// runs each play through one ``TaskQueueManager`` and reports the final statistics.
public final class PlaybookExecutor {
    /// Playbook file paths, run in order.
    public let playbooks: [String]
    /// The playbook paths as the user wrote them (callbacks such as `log_plays` and `junit`
    /// report these, as Ansible does); nil means `playbooks`.
    public var playbooksAsGiven: [String]?
    /// The manager that runs each play and holds the run's statistics.
    public let taskQueueManager: TaskQueueManager
    let modules: ModuleRegistry

    /// Sets up a run; `callbacks` start with the stdout callback. `runner` overrides where modules execute (worker pool or in-process).
    public init(playbooks: [String], inventory: InventoryView, variableManager: VariableManager, loader: DataLoader,
                options: ExecutionOptions, passwords: [String: String] = [:], callbacks: [CallbackPlugin],
                modules: ModuleRegistry = .standard(), runner: ModuleRunner? = nil) {
        self.playbooks = playbooks
        self.modules = modules
        self.taskQueueManager = TaskQueueManager(inventory: inventory, variableManager: variableManager, loader: loader,
                                                 options: options, passwords: passwords, callbacks: callbacks, modules: modules,
                                                 runner: runner)
    }

    /// Parses every playbook (all of them, before running any), as `--syntax-check` does.
    public func parse() throws -> [Playbook] {
        let tqm = taskQueueManager
        var parser = PlaybookParser(loader: tqm.loader, actionExists: { [modules] in modules.contains($0) }, rolesPath: tqm.options.rolesPath)
        parser.privateRoleVars = tqm.options.privateRoleVars
        parser.moduleLibrary = modules.library
        parser.pythonPlugins = modules.pythonPlugins
        parser.extraVars = tqm.variableManager.extraVars
        parser.collections = modules.collections
        return try playbooks.map { try parser.parsePlaybook(at: $0) }
    }

    /// Runs the playbooks; returns ansible-playbook's exit code (0, 2 failed hosts,
    /// 4 unreachable hosts). Parse errors are thrown before anything runs.
    public func run() throws -> Int {
        let tqm = taskQueueManager
        // ansible-playbook checks --limit against the inventory before it reads a playbook:
        // a limit that leaves no host is an error (an empty inventory only warns later).
        if let limit = tqm.options.limit, !(try tqm.inventory.hostNames(matching: "all")).isEmpty,
           (try tqm.inventory.hostNames(matching: limit)).isEmpty {
            for warning in (tqm.inventory as? InventoryManager)?.takeWarnings() ?? [] { tqm.callbacks.warning(warning) }
            throw TroupeError(.execution, "Specified inventory, host pattern and/or --limit leaves us with no hosts to target.")
        }
        let parsed = try parse()
        var code = 0
        do {
            try runPlays(parsed, code: &code)
        } catch {
            // A run that ends in an error prints no recap, as ansible-playbook.
            tqm.cleanup()
            throw error
        }
        tqm.finish()
        if !tqm.failedHosts.isEmpty { return 2 }
        if !tqm.unreachableHosts.isEmpty { return 4 }
        return code
    }

    private func runPlays(_ parsed: [Playbook], code: inout Int) throws {
        let tqm = taskQueueManager
        for (index, playbook) in parsed.enumerated() where !tqm.isCancelled {
            try tqm.inventory.loadPlaybookVariables(directory: (playbook.path as NSString).deletingLastPathComponent)
            let given = playbooksAsGiven.flatMap { index < $0.count ? $0[index] : nil } ?? playbook.path
            let plays = playbook.plays.count
            tqm.callbacks.send { $0.playbookStart(PlaybookInfo(path: given, playCount: plays)) }
            for play in playbook.plays where !tqm.stopped && !tqm.isCancelled {
                let result = try tqm.run(play)
                if result != 0 && code == 0 { code = result }
                if result == 2 { code = 2 }
            }
        }
    }
}
