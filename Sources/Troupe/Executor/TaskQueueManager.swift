import Foundation
import Jinja

/// Runs plays against an inventory and reports to callbacks — Ansible's
/// TaskQueueManager. Create one per run; it keeps statistics and the hosts that failed
/// across the plays it runs. Runs in one process do not share any state.
public final class TaskQueueManager: @unchecked Sendable {
    /// The inventory plays are run against.
    public let inventory: InventoryView
    /// Resolves each host's variables.
    public let variableManager: VariableManager
    /// Reads playbook, vars and role files.
    public let loader: DataLoader
    /// The run's options; immutable during the run.
    public let options: ExecutionOptions
    /// Delivers events to the callbacks, one at a time.
    public let callbacks: CallbackDispatcher
    let run: RunContext
    /// Hosts that failed or were unreachable in an earlier play; later plays skip them.
    public private(set) var failedHosts: Set<String> = []
    /// Hosts that became unreachable in an earlier play; later plays skip them.
    public private(set) var unreachableHosts: Set<String> = []
    /// Facts kept between plays (and runs, with `fact_caching = jsonfile`).
    public let factCache: FactCache

    /// - Parameters:
    ///   - passwords: `conn_pass` / `become_pass`, as in Ansible's API.
    ///   - callbacks: the stdout callback first, then any others.
    public init(inventory: InventoryView, variableManager: VariableManager, loader: DataLoader,
                options: ExecutionOptions, passwords: [String: String] = [:], callbacks: [CallbackPlugin],
                modules: ModuleRegistry = .standard(), runner: ModuleRunner? = nil) {
        var options = options
        if let p = passwords["conn_pass"] { options.connectionPassword = p }
        if let p = passwords["become_pass"] { options.becomePassword = p }
        if let p = passwords["vault_pass"] {
            // Ansible's API passes the vault password here; it decrypts files and values.
            let secret = VaultSecret(label: "default", password: p)
            if !variableManager.templar.vaultSecrets.contains(secret) { variableManager.templar.vaultSecrets.append(secret) }
            if !loader.vaultSecrets.contains(secret) { loader.vaultSecrets.append(secret) }
        }
        self.inventory = inventory
        self.variableManager = variableManager
        self.loader = loader
        self.options = options
        self.callbacks = CallbackDispatcher(callbacks)
        self.factCache = FactCache(backend: options.factCaching, directory: options.factCachingConnection,
                                   timeout: options.factCachingTimeout, prefix: options.factCachingPrefix)
        // As ansible-core's CLI: localhost's facts go too, even when the inventory is empty.
        if options.flushCache { factCache.flush(["localhost"] + ((try? inventory.hostNames(matching: "all")) ?? []).filter { $0 != "localhost" }) }
        for directory in options.modulePaths { modules.library.add(directory: directory) }
        for directory in options.collectionsPaths { modules.collections.add(root: directory) }
        modules.collections.warn = { [callbacks = self.callbacks] in callbacks.warning($0) }
        let moduleRunner: ModuleRunner
        if let runner {
            moduleRunner = runner
        } else if let executable = WorkerProcesses.executablePath {
            moduleRunner = WorkerPool(executable: executable, size: min(options.forks, max(2, ProcessInfo.processInfo.activeProcessorCount)))
        } else {
            moduleRunner = InProcessModuleRunner(modules: modules)
        }
        self.run = RunContext(options: options, variables: variableManager, modules: modules,
                              callbacks: self.callbacks, loader: loader, runner: moduleRunner)
        let callbacks = self.callbacks
        variableManager.warningHandler = { callbacks.warning($0) }
        if UntrustedTemplateBehavior.configured == .warning {
            run.templar.untrustedTemplateWarning = { callbacks.warning(UntrustedTemplateBehavior.warningText($0)) }
        }
    }

    /// Statistics so far (PLAY RECAP).
    public var stats: RunStats { run.stats }

    /// Runs one play; returns Ansible's result code (0 ok, 2 failed hosts, 4 unreachable).
    @discardableResult
    public func run(_ play: Play) throws -> Int {
        let playScope = variableManager.scope(host: "", context: nil)
        let pattern = (try? run.templar.templateString(play.hostPattern, playScope)) ?? play.hostPattern
        var hosts = try inventory.hostNames(matching: pattern)
        if let limit = options.limit {
            let allowed = Set(try inventory.hostNames(matching: limit))
            hosts = hosts.filter { allowed.contains($0) }
        }
        if let order = play.keywords["order"].map({ ((try? run.templar.template($0, playScope)) ?? $0).pythonString }) {
            switch order {
            case "inventory": break
            case "reverse_inventory": hosts.reverse()
            case "sorted": hosts.sort()
            case "reverse_sorted": hosts.sort(by: >)
            case "shuffle": hosts.shuffle()
            default:
                throw TroupeError(.parse, "'\(order)' is not a valid value for order, valid values are: inventory, reverse_inventory, sorted, reverse_sorted, shuffle",
                                  location: play.keywords.locations["order"])
            }
        }
        // Serial batches are cut from every targeted host, those that failed in earlier
        // plays included (they count in their batch but do not run), as ansible-core does.
        let targeted = hosts
        let lostBefore = failedHosts.union(unreachableHosts)
        hosts = hosts.filter { !lostBefore.contains($0) }
        let state = PlayState(play: play, options: options, hosts: hosts, playbookDirectory: play.baseDirectory)
        state.allHosts = targeted
        let playName = (try? run.templar.templateString(play.name, playScope)) ?? play.name
        let strategyName = play.keywords["strategy"].map { ((try? run.templar.template($0, playScope)) ?? $0).pythonString }
            ?? options.strategy
        let info = PlayInfo(name: playName, uuid: play.uuid, pattern: play.hostPattern, checkMode: options.check, location: play.location,
                            strategy: ModuleNames.shortName(strategyName))
        callbacks.send { $0.playStart(info) }
        if targeted.isEmpty {
            callbacks.send { $0.noHostsMatched() }
            return 0
        }
        for host in hosts where !variableManager.store.hasFacts(for: host) {
            if let entry = factCache.load(host) { variableManager.store.restore(entry, for: host) }
        }
        try loadVarsFiles(play, state: state)
        preconnect(hosts, play: play, context: state.snapshot)
        state.promptVars = try VarsPrompt.answers(for: play, extraVars: variableManager.extraVars, templar: run.templar,
                                                    scope: playScope)
        var blocks = PlayCompiler(play: play, options: options).blocks()
        let tagFilter = TagFilter(only: options.tags, skip: options.skipTags)
        var skipped = startAtTaskExclusions(blocks)
        if startAtFirstTask && !blocks.contains(where: { $0.allTasks.contains { $0.isImplicit && $0.shortAction == "gather_facts" } }) {
            // ansible-core restarts a host matched on the play's first task at its setup
            // step and then walks the setup block as ordinary tasks: facts are gathered
            // even with `gather_facts: false`.
            blocks = PlayCompiler(play: play, options: options, forceGathering: true).blocks()
            skipped = []
        }
        let filter: (Task) -> Bool = { tagFilter.shouldRun($0) && !skipped.contains(ObjectIdentifier($0)) }
        let serial = play.keywords["serial"].map { (try? run.templar.template($0, playScope)) ?? $0 }
        let batches = SerialBatches.split(targeted, serial: serial)
        let maxFail = play.keywords["max_fail_percentage"].flatMap { raw -> Double? in
            let value = (try? run.templar.template(raw, playScope)) ?? raw
            return value.doubleValue ?? value.intValue.map(Double.init) ?? Double(value.pythonString)
        }
        var result = 0
        for (index, fullBatch) in batches.enumerated() where !run.isCancelled {
            if index > 0 { callbacks.send { $0.playStart(info) } }
            let batch = fullBatch.filter { !failedHosts.contains($0) && !unreachableHosts.contains($0) }
            if batch.isEmpty { continue }
            state.hostsLostInEarlierBatches = failedHosts.union(unreachableHosts)
            state.batchHosts = batch
            state.activeHosts = batch
            let iterator = PlayIterator(blocks: blocks, hosts: batch, include: filter)
            let strategy = PlayStrategy(run: run, state: state, iterator: iterator, maxFailPercentage: maxFail)
            strategy.batchSize = fullBatch.count
            strategy.execute(strategy: ModuleNames.shortName(strategyName))
            if let fatal = strategy.fatalError { throw fatal }
            if strategy.clearedHostErrors {
                failedHosts.removeAll()
                unreachableHosts.removeAll()
            }
            failedHosts.formUnion(strategy.failedHosts)
            unreachableHosts.formUnion(strategy.unreachableHosts)
            if !strategy.failedHosts.isEmpty { result = 2 } else if !strategy.unreachableHosts.isEmpty && result == 0 { result = 4 }
            if strategy.endPlayRequested { break }
            let lost = strategy.failedHosts.union(strategy.unreachableHosts)
            if strategy.abortedByFailurePercentage || fullBatch.count == lost.count {
                // A batch that failed completely (or over max_fail_percentage) ends the playbook.
                stopped = true
                break
            }
        }
        return result
    }

    /// `--start-at-task`: the tasks before the first one whose name matches (exactly or as
    /// a glob, plain or as `role : name`) are not run; plays before it run no tasks at all.
    /// Tasks of dynamic includes cannot match (they are not loaded yet), as in Ansible.
    /// The play where the match is still gathers facts first: ansible-core restarts the
    /// host at its setup step.
    private var startAtTaskFound = false
    /// `--start-at-task` found its task (ansible-playbook reports an error when not).
    public var startedAtTask: Bool { startAtTaskFound }
    /// The match was the play's first task.
    private var startAtFirstTask = false
    private func startAtTaskExclusions(_ blocks: [Block]) -> Set<ObjectIdentifier> {
        startAtFirstTask = false
        guard let wanted = options.startAtTask, !startAtTaskFound else { return [] }
        var excluded = Set<ObjectIdentifier>()
        var gathering: ObjectIdentifier?
        for task in blocks.flatMap(\.allTasks) {
            if task.isImplicit && task.shortAction == "meta" { continue }
            let name = task.name ?? ""
            let display = task.roleName.map { "\($0) : \(name)" } ?? name
            if name == wanted || display == wanted || (!name.isEmpty && Glob.matches(name, pattern: wanted))
                || Glob.matches(display, pattern: wanted) {
                startAtTaskFound = true
                if let gathering { excluded.remove(gathering) }
                startAtFirstTask = excluded.isEmpty
                return excluded
            }
            if task.isImplicit && task.shortAction == "gather_facts" { gathering = ObjectIdentifier(task) }
            excluded.insert(ObjectIdentifier(task))
        }
        return excluded
    }

    /// Set when a play ended the whole run (a fully failed serial batch).
    public private(set) var stopped = false

    /// Opens the play's SSH connections in the background (resolution errors are left
    /// for the tasks to report).
    private func preconnect(_ hosts: [String], play: Play, context: PlayContext) {
        let playConnection = play.keywords["connection"]?.stringValue
        var specs: [ConnectionSpec] = []
        for host in hosts {
            let scope = variableManager.scope(host: host, context: context)
            if let spec = try? ConnectionSpec.resolve(host: host, scope: scope, options: options, playConnection: playConnection) {
                specs.append(spec)
            }
        }
        run.runner.preconnect(specs)
    }

    /// `vars_files`: each entry a file, or a list whose first existing file is used;
    /// templated with each host's variables, as ansible-core's VariableManager does, and
    /// searched in the play's `vars/` first, then its directory.
    private func loadVarsFiles(_ play: Play, state: PlayState) throws {
        guard let entries = play.keywords["vars_files"], !entries.isNull else { return }
        state.loadVarsFiles = { [unowned self] host, context in
            try self.varsFiles(entries, play: play, host: host, context: context, factsGathered: true)
        }
        for host in state.allHosts.isEmpty ? [""] : state.allHosts {
            state.varsFiles[host] = try varsFiles(entries, play: play, host: host, context: state.snapshot, factsGathered: false)
        }
    }

    /// The variables of the play's `vars_files` for `host`. An entry (a path, or a list of
    /// candidates) that uses an undefined variable is skipped with a warning while facts
    /// may still define it; once the host's facts are gathered, it stops the run, as
    /// ansible-core raises it from the next task's variables.
    private func varsFiles(_ entries: Value, play: Play, host: String, context: PlayContext,
                           factsGathered: Bool) throws -> OrderedDict {
        var variables = OrderedDict()
        let location = play.keywords.locations["vars_files"]
        for entry in entries.listValue ?? [entries] {
            let scope = variableManager.scope(host: host, context: context)
            var candidates: [String] = []
            do {
                for candidate in entry.listValue ?? [entry] {
                    do {
                        candidates.append(try run.templar.template(candidate, scope).pythonString)
                    } catch where !Self.isUndefinedVariable(error) {
                        candidates.append(candidate.pythonString)
                    }
                }
            } catch {
                let message = "an undefined variable was found when attempting to template the vars_files item '\(entry.pythonString)'"
                if factsGathered {
                    throw TroupeError(.templating, message + ": " + Self.undefinedMessage(error), location: location, underlying: error)
                }
                let origin = location.map { "\n" + SourceExcerpt.render($0) } ?? ""
                callbacks.warning("skipping vars_files item due to an undefined variable" + origin)
                continue
            }
            var loaded = false
            for candidate in candidates {
                let searched = candidate.hasPrefix("/") ? [candidate]
                    : [play.baseDirectory + "/vars/" + candidate, loader.absolutePath(candidate, relativeTo: play.baseDirectory)]
                if let path = searched.first(where: { loader.fileExists($0) && !loader.isDirectory($0) }) {
                    variables.merge(try loader.loadVariablesFile(path))
                    loaded = true
                    break
                }
            }
            if !loaded && entry.listValue == nil {
                throw TroupeError(.io, "Could not find or access '\(candidates.first ?? "")'", location: location)
            }
        }
        return variables
    }

    private static func isUndefinedVariable(_ error: any Error) -> Bool {
        if let jinja = error as? JinjaError { return jinja.kind == .undefined }
        if let troupe = error as? TroupeError, let underlying = troupe.underlying { return isUndefinedVariable(underlying) }
        return false
    }

    private static func undefinedMessage(_ error: any Error) -> String {
        if let jinja = error as? JinjaError { return jinja.message }
        if let troupe = error as? TroupeError { return troupe.underlying.map(undefinedMessage) ?? troupe.message }
        return "\(error)"
    }

    /// Writes what the fact cache keeps for every host that has facts (ad hoc runs call it
    /// instead of ``finish()``, which would report a recap).
    public func saveFacts() {
        for host in run.stats.hosts {
            if let entry = variableManager.store.cacheEntry(for: host) { factCache.store(host, entry) }
        }
    }

    /// Sends the final statistics to the callbacks and closes connections. A cancelled
    /// run reports no recap (ansible-playbook is killed before it prints one).
    public func finish() {
        saveFacts()
        let stats = run.stats
        if !run.isCancelled { callbacks.send { $0.stats(stats) } }
        run.runner.shutdown()
    }

    /// Stops the run: no new host-task is scheduled, and commands running on hosts are
    /// interrupted (their tasks fail). Safe from any thread; `run` returns soon after.
    public func cancel() { run.cancel() }

    /// Kills the run at once (a second Ctrl-C): worker processes and every command they
    /// or this process started are killed, without waiting for anything.
    public func abort() {
        run.cancel()
        run.runner.kill()
    }

    /// ``cancel()`` was called.
    public var isCancelled: Bool { run.isCancelled }

    /// Ends the run early (closes connections).
    public func cleanup() { run.runner.shutdown() }
}

/// Turns a play into the block sequence the iterator walks: fact gathering, pre_tasks,
/// handler flush, tasks, flush, post_tasks, flush.
struct PlayCompiler {
    let play: Play
    let options: ExecutionOptions
    /// Gather facts even when the play says not to (`--start-at-task` quirk, see below).
    var forceGathering = false

    func blocks() -> [Block] {
        var blocks: [Block] = []
        if forceGathering || shouldGatherFacts() {
            var keywords = Keywords()
            keywords.set("name", "Gathering Facts")
            keywords.set("tags", ["always"])
            if !play.includedConditional.isEmpty { keywords.set("when", .list(play.includedConditional)) }
            var args = OrderedDict()
            if let subset = play.keywords["gather_subset"] { args["gather_subset"] = subset }
            if let timeout = play.keywords["gather_timeout"] { args["gather_timeout"] = timeout }
            if let path = play.keywords["fact_path"] { args["fact_path"] = path }
            let gather = Task(action: "gather_facts", args: args, keywords: keywords, location: play.location, isImplicit: true)
            let block = Block(block: [.task(gather)])
            blocks.append(block)
        }
        if play.forceHandlers(default: options.forceHandlers) {
            // As ansible-core: each section runs in a block whose `always` flushes handlers,
            // so hosts that failed in it still run their notified handlers.
            for section in [play.preTasks, roleBlocks() + play.tasks, play.postTasks] {
                let items: [BlockItem] = section.isEmpty ? [.task(noopTask())] : section.map { .block($0) }
                blocks.append(Block(block: items, always: [.block(flushBlock())]))
            }
        } else {
            blocks.append(contentsOf: play.preTasks)
            blocks.append(flushBlock())
            blocks.append(contentsOf: roleBlocks())
            blocks.append(contentsOf: play.tasks)
            blocks.append(flushBlock())
            blocks.append(contentsOf: play.postTasks)
            blocks.append(flushBlock())
        }
        for b in blocks { b.attach(to: play) }
        return blocks
    }

    private func noopTask() -> Task {
        Task(action: "meta", args: ["_raw_params": "noop"], keywords: Keywords(), location: nil, isImplicit: true)
    }

    /// Role tasks in order, each role's dependencies first, each role ending with its
    /// `role_complete`; a role that already completed on a host is skipped there at run
    /// time (PlayIterator), as ansible-core deduplicates roles.
    private func roleBlocks() -> [Block] {
        play.roles.flatMap { role in
            role.blocksWithDependencies().compactMap { item -> Block? in
                if case .block(let b) = item { return b }
                return nil
            }
        }
    }

    private func shouldGatherFacts() -> Bool {
        if let v = play.keywords["gather_facts"] { return ArgumentSpec.boolean(v) ?? true }
        return options.gathering != "explicit"
    }

    private func flushBlock() -> Block {
        var keywords = Keywords()
        keywords.set("tags", ["always"])
        let task = Task(action: "meta", args: ["_raw_params": "flush_handlers"], keywords: keywords, location: nil, isImplicit: true)
        return Block(block: [.task(task)])
    }
}

/// Splits a play's hosts into `serial` batches: an int, a percentage, or a list of
/// those (the last size repeats).
enum SerialBatches {
    static func split(_ hosts: [String], serial: Value?) -> [[String]] {
        guard let serial, !serial.isNull else { return [hosts] }
        let specs = serial.listValue ?? [serial]
        var sizes: [Int] = specs.map { spec in
            if case .string(let s) = spec, s.hasSuffix("%"), let pct = Double(s.dropLast()) {
                return max(1, Int(Double(hosts.count) * pct / 100))
            }
            return max(0, spec.intValue ?? Int(spec.pythonString) ?? 0)
        }
        if sizes.isEmpty || sizes.allSatisfy({ $0 == 0 }) { return [hosts] }
        var batches: [[String]] = []
        var rest = hosts[...]
        while !rest.isEmpty {
            let size = sizes.count > 1 ? sizes.removeFirst() : sizes[0]
            let n = size <= 0 ? rest.count : min(size, rest.count)
            batches.append(Array(rest.prefix(n)))
            rest = rest.dropFirst(n)
        }
        return batches
    }
}

/// `--tags` / `--skip-tags` selection with Ansible's special tags (always, never,
/// tagged, untagged, all).
struct TagFilter {
    let only: Set<String>
    let skip: Set<String>

    init(only: [String], skip: [String]) {
        self.only = Set(only.isEmpty ? ["all"] : only)
        self.skip = Set(skip)
    }

    func shouldRun(_ task: Task) -> Bool {
        let tags = task.allTags
        var run: Bool
        if tags.contains("always") && !skip.contains("always") {
            run = true
        } else if only.contains("all") {
            run = !tags.contains("never") || !only.isDisjoint(with: tags.subtracting(["never"]))
        } else {
            run = !only.isDisjoint(with: tags)
                || (only.contains("tagged") && !tags.isEmpty && !tags.contains("never"))
                || (only.contains("untagged") && tags.isEmpty)
        }
        if run && !skip.isEmpty {
            if !skip.isDisjoint(with: tags) || skip.contains("all") && !(tags.contains("always") && !skip.contains("always"))
                || (skip.contains("tagged") && !tags.isEmpty) || (skip.contains("untagged") && tags.isEmpty) {
                run = false
            }
        }
        return run
    }
}
