import Foundation
import Jinja

/// Ansible's `linear` strategy: every host runs the same task before any host moves to
/// the next one; `forks` hosts at a time. Handles meta tasks, handler notification and
/// flushing, failures, unreachable hosts and `any_errors_fatal`.
final class PlayStrategy {
    let run: RunContext
    /// The play's host lists and roles; this strategy's thread is their only writer.
    let state: PlayState
    let iterator: PlayIterator
    /// Where host-tasks run; their outcomes come back to this thread.
    let pool: HostTaskPool<TaskOutcome>
    /// Handler name/topic → hosts that notified it, in notification order.
    private var notified: [ObjectIdentifier: [String]] = [:]
    /// Notifications not yet resolved to handlers: (name or topic, host), in order.
    /// `announced`: the notification came from a handler and was reported at once.
    private var notifiedNames: [(name: String, host: String, announced: Bool)] = []
    /// Handler names templated so far (nil: the name could not be templated).
    private var templatedHandlerNames: [ObjectIdentifier: String?] = [:]
    private(set) var unreachableHosts: Set<String> = []
    private(set) var failedHosts: Set<String> = []
    /// `meta: clear_host_errors` ran: the run forgets the hosts lost before this play too.
    private(set) var clearedHostErrors = false
    var playEnded = false
    /// `meta: end_play` ran: the later serial batches of the play do not run either.
    var endPlayRequested = false
    let maxFailPercentage: Double?
    /// The batch lost more hosts than `max_fail_percentage` allows.
    var abortedByFailurePercentage = false
    /// Hosts of the serial batch, including those that failed in earlier plays (the
    /// denominator of `max_fail_percentage`).
    var batchSize: Int

    init(run: RunContext, state: PlayState, iterator: PlayIterator, maxFailPercentage: Double? = nil) {
        self.run = run
        self.state = state
        self.iterator = iterator
        self.maxFailPercentage = maxFailPercentage
        self.batchSize = state.batchHosts.count
        self.pool = HostTaskPool(maxThreads: run.options.forks)
    }

    /// The play as host-tasks and variable scopes see it now (an immutable snapshot).
    var context: PlayContext { state.snapshot }

    /// Runs the play to the end with the play's strategy: `linear` (lock-step, the
    /// default), `free` (each host as fast as it can) or `host_pinned` (free, but a host
    /// keeps its worker until it is done).
    func execute(strategy: String = "linear") {
        defer { pool.shutdown() }
        if strategy == "free" || strategy == "host_pinned" {
            executeFree(pinned: strategy == "host_pinned")
            return
        }
        while !playEnded && !run.isCancelled {
            var candidates: [(host: String, task: Task, position: PlayIterator.Position)] = []
            for h in context.batchHosts where !iterator.isDone(h) {
                if let (t, p) = iterator.peek(h) { candidates.append((h, t, p)) } else { _ = iterator.next(h) }
            }
            collectFailedHosts()
            // Failed hosts still run their `always` sections; when none has anything left
            // the loop ends quietly, as ansible-core's linear strategy does (only
            // max_fail_percentage announces "NO MORE HOSTS LEFT").
            guard let first = candidates.min(by: { $0.position.lexicographicallyPrecedes($1.position) }) else { break }
            let task = first.task
            let hosts = candidates.filter { $0.task === task }.map(\.host)
            for h in hosts { _ = iterator.next(h) }
            runTask(task, on: hosts)
            if fatalError != nil { return }
        }
        collectFailedHosts()
    }

    /// Hosts whose failure no rescue caught leave the play.
    func collectFailedHosts() {
        for h in context.activeHosts where iterator.isFailed(h) {
            failedHosts.insert(h)
        }
        state.activeHosts.removeAll { failedHosts.contains($0) || unreachableHosts.contains($0) }
    }

    // MARK: Tasks

    private func runTask(_ task: Task, on hosts: [String]) {
        if run.isCancelled { return }
        if task.shortAction == "meta" {
            if runConditionalMeta(task, hosts: hosts) { return }
            if !task.isImplicit {
                let info = taskInfo(task, host: hosts.first)
                // ansible-core's linear strategy runs these metas host by host, announcing the
                // task for each; the others run once for the batch.
                let perHost = ["noop", "reset_connection", "end_host", "flush_handlers", "end_role"]
                    .contains(task.args["_raw_params"]?.stringValue ?? "")
                for _ in 0..<(perHost ? max(hosts.count, 1) : 1) {
                    // A meta handler (`meta: noop` under handlers:) is announced as a handler.
                    if task.isHandler { run.callbacks.send { $0.handlerTaskStart(info) } } else { run.callbacks.send { $0.taskStart(info) } }
                }
            }
            runMeta(task, hosts: hosts)
            announceMeta(task, hosts: hosts)
            return
        }
        var hosts = hosts
        if task.isImplicit && task.shortAction == "gather_facts" && run.options.gathering == "smart" {
            // `gathering: smart`: hosts whose facts are known (gathered or cached) skip it.
            hosts = hosts.filter { !run.variables.store.hasFacts(for: $0) }
            if hosts.isEmpty { return }
        }
        var runHosts = hosts
        let info = taskInfo(task, host: hosts.first)
        if !confirmStep(info) { return }
        if task.isHandler {
            run.callbacks.send { $0.handlerTaskStart(info) }
        } else {
            run.callbacks.send { $0.taskStart(info) }
        }
        // `pause` and `add_host` bypass the host loop in Ansible: they run once for the whole batch.
        let runOnce = ["pause", "add_host"].contains(task.shortAction) || (task.inherited("run_once").map { ArgumentSpec.boolean($0) ?? false } ?? false)
        if runOnce { runHosts = Array(hosts.prefix(1)) }
        let outcomes = execute(task, info: info, hosts: runHosts)
        if runOnce, let only = outcomes.first, let name = task.keywords["register"]?.stringValue {
            // The single result is registered for every host of the batch; the recap
            // counts it for the host that ran it only, as Ansible does.
            for h in hosts.dropFirst() {
                run.variables.store.setHostFact(name, .dict(ResultCleaner.forRegister(only.result, topLevel: true)), for: h)
            }
        }
        for outcome in outcomes { afterResult(outcome) }
        // An include that cannot be loaded fails its hosts: any_errors_fatal sees that too.
        let includeFailures = task.isDynamicInclude ? processIncludes(task, outcomes) : []
        applyAnyErrorsFatal(task, runOnce: runOnce, outcomes: outcomes + includeFailures)
        applyMaxFailPercentage(outcomes)
    }

    /// `--step`: false when the user declined the task (or the answers ran out, which
    /// ends the run).
    func confirmStep(_ info: TaskInfo, host: String? = nil) -> Bool {
        guard let prompter = run.options.stepPrompter else { return true }
        do {
            return try prompter.confirm(info, host: host)
        } catch {
            fatalError = (error as? TroupeError) ?? TroupeError(.execution, "\(error)")
            return false
        }
    }

    /// Runs `task` on `hosts`, at most `forks` at a time, reporting each result to the
    /// callbacks as it arrives.
    private func execute(_ task: Task, info: TaskInfo, hosts: [String]) -> [TaskOutcome] {
        if hosts.count == 1 {
            run.callbacks.send { $0.runnerStart(host: hosts[0], task: info) }
            let outcome = TaskExecutor(host: hosts[0], task: task, play: context, run: run, info: info).execute()
            report(outcome)
            return [outcome]
        }
        // `throttle` lowers the concurrency for this task below `forks`.
        var limit = max(1, run.options.forks)
        if let throttle = task.inherited("throttle").flatMap({ $0.intValue ?? Int($0.pythonString) }), throttle > 0 {
            limit = min(limit, throttle)
        }
        let slots = min(limit, hosts.count)
        let snapshot = context
        var queued = 0
        func dispatchNext() {
            let host = hosts[queued]
            queued += 1
            let executor = TaskExecutor(host: host, task: task, play: snapshot, run: run, info: info)
            pool.submit { executor.execute() }
        }
        // Event order follows Ansible's linear strategy: a host's `runner_on_start` comes
        // when a worker slot takes it (the first `forks` at once), loop items are reported
        // as they happen, and final results only once every host has been queued.
        for host in hosts.prefix(slots) { run.callbacks.send { $0.runnerStart(host: host, task: info) } }
        for _ in 0..<slots { dispatchNext() }
        var allDispatched = slots == hosts.count
        var outcomes: [TaskOutcome] = []
        var deferred: [TaskOutcome] = []
        while outcomes.count < queued {
            for outcome in pool.waitForFinished() {
                outcomes.append(outcome)
                if allDispatched { report(outcome) } else { deferred.append(outcome) }
                // A cancelled run stops dispatching: what finished is still reported.
                guard queued < hosts.count, !run.isCancelled else { continue }
                run.callbacks.send { $0.runnerStart(host: hosts[queued], task: info) }
                dispatchNext()
                if queued == hosts.count {
                    allDispatched = true
                    deferred.forEach(report)
                    deferred.removeAll()
                }
            }
        }
        deferred.forEach(report)
        let order = Dictionary(uniqueKeysWithValues: hosts.enumerated().map { ($1, $0) })
        return outcomes.sorted { order[$0.host]! < order[$1.host]! }
    }

    func report(_ outcome: TaskOutcome) {
        // After an interrupt nothing more is reported, as ansible-playbook stops
        // processing results at once (the interrupted commands' failures included).
        if run.isCancelled { return }
        if outcome.status == .changed, let missing = missingHandler(for: outcome) {
            let message = "The requested handler '\(missing)' was not found in either the main handlers list nor in the listening handlers list"
            if run.options.errorOnMissingHandler {
                // Ansible stops the whole run before it reports the result.
                fatalError = TroupeError(.execution, message)
                return
            }
            run.callbacks.warning(message)
        }
        let event = TaskResult(host: outcome.host, task: outcome.info, result: .dict(outcome.result), delegatedTo: outcome.delegatedTo)
        switch outcome.status {
        case .unreachable: run.callbacks.send { $0.runnerUnreachable(event) }
        case .failed: run.callbacks.send { $0.runnerFailed(event, ignoreErrors: outcome.ignored) }
        case .skipped: run.callbacks.send { $0.runnerSkipped(event) }
        case .ok, .changed:
            // ansible-core sends the diff before the ok/changed line.
            if outcome.result["diff"] != nil && (outcome.status == .changed || context.options.diff) {
                run.callbacks.send { $0.fileDiff(event) }
            }
            run.callbacks.send { $0.runnerOk(event) }
        }
    }

    /// Statistics, iterator state and notifications for one result.
    func afterResult(_ outcome: TaskOutcome) {
        let host = outcome.host
        if [.ok, .changed, .failed].contains(outcome.status) { iterator.noteTaskRan(host) }
        if ["setup", "gather_facts"].contains(outcome.task.shortAction), outcome.status == .ok || outcome.status == .changed,
           let load = state.loadVarsFiles {
            // Facts are in: the vars files are templated again for this host, and an entry
            // still undefined now stops the run.
            do {
                state.varsFiles[host] = try load(host, context)
            } catch {
                fatalError = fatalError ?? (error as? TroupeError) ?? TroupeError(.templating, "\(error)")
            }
        }
        // Here, in host order, not as results arrive: aggregated lists keep a stable order.
        if outcome.status == .ok || outcome.status == .changed, let stats = outcome.result["ansible_stats"]?.dictValue {
            run.recordCustomStats(stats, host: host)
        }
        switch outcome.status {
        case .unreachable:
            if outcome.ignored {
                // ansible-core counts an ignored unreachable result as ok and ignored.
                run.updateStats(host) { $0.ok += 1; $0.ignored += 1 }
            } else {
                run.updateStats(host) { $0.unreachable += 1 }
                unreachableHosts.insert(host)
                iterator.end(host)
                state.activeHosts.removeAll { $0 == host }
            }
        case .failed:
            if outcome.ignored {
                run.updateStats(host) { stats in
                    stats.ok += 1
                    stats.ignored += 1
                    if outcome.result.flag("changed") { stats.changed += 1 }
                }
            } else if iterator.markFailed(host) {
                run.updateStats(host) { $0.rescued += 1 }
                recordFailure(outcome)
            } else {
                recordFailure(outcome)
                run.updateStats(host) { $0.failures += 1 }
            }
        case .skipped:
            run.updateStats(host) { $0.skipped += 1 }
        case .ok where outcome.task.isDynamicInclude, .changed where outcome.task.isDynamicInclude:
            break  // counted once per included file in processIncludes
        case .ok, .changed:
            run.updateStats(host) { stats in
                stats.ok += 1
                if outcome.status == .changed { stats.changed += 1 }
            }
            if outcome.status == .changed { notifyHandlers(for: outcome) }
        }
    }

    // MARK: Dynamic includes

    /// Loads what `include_tasks`/`include_role` named and queues it for the hosts that
    /// included it. Hosts including the same file with the same arguments share one
    /// block, so they stay in lock-step.
    /// Returns the failures of includes that could not be loaded.
    @discardableResult
    func processIncludes(_ task: Task, _ outcomes: [TaskOutcome]) -> [TaskOutcome] {
        var failures: [TaskOutcome] = []
        struct Include { var key: String; var args: OrderedDict; var params: OrderedDict; var item: Value?; var hosts: [String] }
        var includes: [Include] = []
        var perHost: [String: [Int]] = [:]
        for outcome in outcomes where outcome.status == .ok || outcome.status == .changed {
            var entries: [(OrderedDict, OrderedDict, Value?)] = []
            if let items = outcome.result["results"]?.listValue {
                for item in items {
                    guard let d = item.dictValue, !d.flag("skipped"), !d.flag("failed"), let args = IncludeResult.arguments(d) else { continue }
                    var params = OrderedDict()
                    if let loopVar = d["ansible_loop_var"]?.stringValue, let v = d[loopVar] { params[loopVar] = v }
                    // The included tasks see the item's index_var and ansible_loop too, as in ansible-core.
                    if let indexVar = d["ansible_index_var"]?.stringValue, let v = d[indexVar] { params[indexVar] = v }
                    if let loop = d["ansible_loop"] { params["ansible_loop"] = loop }
                    entries.append((args, params, d["_ansible_item_label"] ?? d[d["ansible_loop_var"]?.stringValue ?? "item"]))
                }
            } else if let args = IncludeResult.arguments(outcome.result) {
                entries.append((args, OrderedDict(), nil))
            }
            for (args, params, item) in entries {
                let key = Value.dict(args).jsonString + Value.dict(params).jsonString
                if let i = includes.firstIndex(where: { $0.key == key }) {
                    includes[i].hosts.append(outcome.host)
                    perHost[outcome.host, default: []].append(i)
                } else {
                    includes.append(Include(key: key, args: args, params: params, item: item, hosts: [outcome.host]))
                    perHost[outcome.host, default: []].append(includes.count - 1)
                }
            }
        }
        var blocks: [Int: Block] = [:]
        for (index, include) in includes.enumerated() {
            do {
                let (block, path) = try loadInclude(task, args: include.args, params: include.params)
                blocks[index] = block
                var vars = include.params
                if include.item != nil, let loopVar = include.params.keys.first {
                    vars["ansible_loop_var"] = .string(loopVar)
                    vars["_ansible_item_label"] = include.item
                }
                let info = IncludedFileInfo(path: path, hosts: include.hosts, item: include.item, vars: .dict(vars))
                run.callbacks.send { $0.include(info) }
                for h in include.hosts { run.updateStats(h) { $0.ok += 1 } }
            } catch {
                let taskInfo = self.taskInfo(task, host: include.hosts.first)
                for h in include.hosts {
                    let result: OrderedDict = ["failed": true, "changed": false, "msg": .string(TaskErrorText.message(error))]
                    let event = TaskResult(host: h, task: taskInfo, result: .dict(result))
                    run.callbacks.send { $0.runnerFailed(event, ignoreErrors: false) }
                    let failure = TaskOutcome(host: h, task: task, info: taskInfo, status: .failed, result: result)
                    // A host fails once however many of its loop's includes failed: the rescue
                    // section runs once, not skipped by a second failure inside it.
                    guard !failures.contains(where: { $0.host == h }) else { continue }
                    afterResult(failure)
                    failures.append(failure)
                }
            }
        }
        for (host, indices) in perHost {
            for i in indices.reversed() { if let b = blocks[i] { iterator.insert(b, for: host) } }
        }
        return failures
    }

    private func loadInclude(_ task: Task, args: OrderedDict, params: OrderedDict) throws -> (Block, String) {
        // The include's own `vars:` reach the included tasks, with its arguments.
        var includeParams = task.keywords["vars"]?.dictValue ?? OrderedDict()
        includeParams.merge(params)
        for (k, v) in args where !["_raw_params", "file", "apply", "name", "tasks_from", "vars_from", "defaults_from",
                                     "handlers_from", "public", "allow_duplicates", "rolespec_validate"].contains(k) {
            includeParams[k] = v
        }
        var keywords = Keywords()
        if let apply = args["apply"]?.dictValue { for (k, v) in apply { keywords.set(k, v) } }
        var parser = PlaybookParser(loader: run.loader, actionExists: run.modules.contains, rolesPath: run.options.rolesPath)
        parser.privateRoleVars = run.options.privateRoleVars
        parser.moduleLibrary = run.modules.library
        parser.pythonPlugins = run.modules.pythonPlugins
        parser.extraVars = run.variables.extraVars
        parser.collections = run.modules.collections
        let block: Block
        let path: String
        if task.shortAction == "include_role" {
            guard let name = (args["name"] ?? args["role"])?.stringValue else {
                throw TroupeError(.parse, "'name' is a required field for include_role.", location: task.location)
            }
            let role = try parser.roleLoader.load(named: name, params: OrderedDict(), keywords: Keywords(),
                                                  playDirectory: context.playbookDirectory, location: task.location,
                                                  entryPoints: RoleEntryPoints(args),
                                                  validate: ArgumentSpec.boolean(args["rolespec_validate"] ?? true) ?? true)
            role.fromInclude = true
            role.allowDuplicates = ArgumentSpec.boolean(args["allow_duplicates"] ?? true) ?? true
            if let parent = task.parent?.enclosingRole {
                // Included from a role: that role is in its dep chain (its vars and defaults).
                role.dependent = parent
                role.resolveInheritedVariables()
            }
            block = Block(block: state.includedRoleBlocks(role), keywords: keywords, location: task.location)
            // Without `public`, an include is private unless DEFAULT_PRIVATE_ROLE_VARS was set.
            let publicByDefault = run.options.privateRoleVars.map { !$0 } ?? false
            if ArgumentSpec.boolean(args["public"] ?? .bool(publicByDefault)) ?? false { state.expose(role) } else { role.isPublic = false }
            if let parent = task.parent?.enclosingRole {
                // Included from a role: its params, and the chain of including roles, innermost first.
                includeParams.merge(parent.params)
                let inherited = task.includeParams
                let names = inherited?["ansible_parent_role_names"]?.listValue ?? []
                let paths = inherited?["ansible_parent_role_paths"]?.listValue ?? []
                includeParams["ansible_parent_role_names"] = .list([.string(parent.name)] + names)
                includeParams["ansible_parent_role_paths"] = .list([.string(parent.path)] + paths)
            }
            context.play.addHandlers(of: role)
            path = name  // ansible-core names the role as written: "included: myrole for host"
        } else {
            guard let file = (args["_raw_params"] ?? args["file"])?.stringValue else {
                throw TroupeError(.parse, "No file specified for include_tasks", location: task.location)
            }
            let base = task.parent?.enclosingRole.map { $0.path + "/tasks" }
                ?? task.location.map { ($0.file as NSString).deletingLastPathComponent } ?? context.playbookDirectory
            var found = run.loader.absolutePath(file, relativeTo: base)
            // In a role, ansible-core also tries the directory of the file that includes (its
            // cumulative include path), so a file included from outside tasks/ finds its siblings.
            if !run.loader.fileExists(found), task.parent?.enclosingRole != nil, let including = task.location?.file {
                let sibling = run.loader.absolutePath(file, relativeTo: (including as NSString).deletingLastPathComponent)
                if run.loader.fileExists(sibling) { found = sibling }
            }
            path = found
            guard run.loader.fileExists(path) else {
                throw TroupeError(.io, "Could not find or access '\(file)' on the Ansible Controller.", location: task.location)
            }
            var items: [BlockItem] = []
            if let root = try run.loader.loadYAML(path), !(root.scalar?.isNull ?? false) {
                guard let list = root.items else {
                    throw TroupeError(.parse, "included task files must contain a list of tasks", location: root.location)
                }
                items = try parser.parseItems(list, directory: (path as NSString).deletingLastPathComponent, isHandler: task.isHandler)
            }
            block = Block(block: items, keywords: keywords, location: task.location)
        }
        block.parent = task.parent
        block.includeParams = includeParams
        block.attach(to: context.play, roleName: task.parent?.enclosingRole?.name)
        if let role = task.parent?.enclosingRole, block.role == nil { block.role = role }
        return (block, path)
    }

    /// `ansible_failed_task` / `ansible_failed_result` for rescue and always sections.
    private func recordFailure(_ outcome: TaskOutcome) {
        var task = OrderedDict()
        task["name"] = .string(outcome.info.name)
        task["action"] = .string(outcome.task.action)
        task["args"] = .dict(outcome.task.args)
        task["uuid"] = .string(outcome.task.uuid)
        let store = run.variables.store
        store.setHostFact("ansible_failed_task", .dict(task), for: outcome.host)
        store.setHostFact("ansible_failed_result", .dict(ResultCleaner.forRegister(outcome.result, topLevel: true)), for: outcome.host)
    }

    // MARK: Handlers

    /// An error that ends the whole run (a notified handler that does not exist).
    var fatalError: TroupeError?

    /// The first `notify` name of a changed result that no handler answers.
    private func missingHandler(for outcome: TaskOutcome) -> String? {
        guard let raw = outcome.task.inherited("notify") else { return nil }
        let scope = run.variables.scope(host: outcome.host, context: context, task: outcome.task)
        let names = (try? run.templar.template(raw, scope)) ?? raw
        return (names.listValue ?? [names]).map(\.pythonString).first { matchingHandlers($0, host: outcome.host).isEmpty }
    }

    private func notifyHandlers(for outcome: TaskOutcome) {
        guard let raw = outcome.task.inherited("notify") else { return }
        let scope = run.variables.scope(host: outcome.host, context: context, task: outcome.task)
        let names = ((try? run.templar.template(raw, scope)) ?? raw)
        let list = names.listValue ?? [names]
        for name in list.map(\.pythonString) {
            let handlers = matchingHandlers(name, host: outcome.host)
            if handlers.isEmpty { continue }  // reported as fatal when the result came in
            // While handlers run, Ansible announces a notification at once; otherwise it is
            // saved and announced when the handlers are flushed.
            notifiedNames.append((name, outcome.host, outcome.task.isHandler))
            guard outcome.task.isHandler else { continue }
            for handler in handlers {
                let info = taskInfo(handler, host: outcome.host)
                run.callbacks.send { $0.notify(host: outcome.host, handler: info) }
            }
        }
    }

    /// Turns pending notifications into notified handlers. ansible-core resolves names only
    /// when handlers run, so a handler loaded later by `include_role` (the last definition
    /// of a name wins) answers notifications sent before it existed.
    private func resolveNotifications(only: Set<String>?) {
        var rest: [(name: String, host: String, announced: Bool)] = []
        var fresh: [(host: String, handler: Task)] = []
        for pending in notifiedNames {
            if let only, !only.contains(pending.host) { rest.append(pending); continue }
            for handler in matchingHandlers(pending.name, host: pending.host) {
                let key = ObjectIdentifier(handler)
                if !(notified[key]?.contains(pending.host) ?? false) {
                    notified[key, default: []].append(pending.host)
                    if !pending.announced { fresh.append((pending.host, handler)) }
                }
            }
        }
        notifiedNames = rest
        announce(fresh)
    }

    /// `NOTIFIED HANDLER` events at a flush, host by host, for the hosts whose handlers
    /// will run (as ansible-core's flush_handlers sends them).
    private func announce(_ notifications: [(host: String, handler: Task)]) {
        guard !notifications.isEmpty else { return }
        for host in context.batchHosts where context.activeHosts.contains(host) || (context.play.forceHandlers(default: run.options.forceHandlers) && !unreachableHosts.contains(host)) {
            for (_, handler) in notifications.filter({ $0.host == host }) {
                let info = taskInfo(handler, host: host)
                run.callbacks.send { $0.notify(host: host, handler: info) }
            }
        }
    }

    /// Handlers answering `name`, as ansible-core's search_handlers_by_notification: the
    /// first by name in the last handler block that has it (so a later block, a role pulled
    /// in by `include_role` say, wins, but within one block the first definition does), then
    /// every handler listening to it, one per handler name.
    private func matchingHandlers(_ name: String, host: String) -> [Task] {
        let groups = context.play.handlerTaskGroups.reversed()
        var result: [Task] = []
        func answers(_ handler: Task) -> Bool {
            guard let own = handlerName(handler, host: host) else { return false }
            return own == name || (handler.roleName.map { "\($0) : " } ?? "") + own == name
        }
        if let byName = groups.lazy.compactMap({ $0.first(where: answers) }).first {
            result.append(byName)
        }
        var seenNames = Set<String>()
        for h in groups.joined() {
            let topics = h.keywords["listen"].map { $0.listValue?.map(\.pythonString) ?? [$0.pythonString] } ?? []
            // A role's handler also listens as "role : topic", by short name and by FQCN.
            let prefixes = h.roleName.map { Set([$0, String($0.split(separator: ".").last ?? Substring($0))]) } ?? []
            guard topics.contains(name) || prefixes.contains(where: { p in topics.contains { "\(p) : \($0)" == name } }) else { continue }
            if let handlerName = h.name, !seenNames.insert(handlerName).inserted { continue }
            if !result.contains(where: { $0 === h }) { result.append(h) }
        }
        return result
    }

    /// A handler's name, templated once (ansible-core's cached_name); nil for a handler
    /// without one or whose name cannot be templated (warned about once).
    private func handlerName(_ handler: Task, host: String) -> String? {
        guard let raw = handler.name else { return nil }
        guard raw.contains("{{") || raw.contains("{%") else { return raw }
        let key = ObjectIdentifier(handler)
        if let cached = templatedHandlerNames[key] { return cached }
        let scope = run.variables.scope(host: host, context: context, task: handler)
        do {
            let name = try run.templar.template(.string(raw), scope).pythonString
            templatedHandlerNames[key] = .some(name)
            return name
        } catch {
            run.callbacks.warning("Handler '\(raw)' is unusable because it has no listen topics and the name could not be templated (host-specific variables are not supported in handler names). The error: \(error)")
            templatedHandlerNames[key] = .some(nil)
            return nil
        }
    }

    /// Runs notified handlers in definition order until none is pending (for `only`
    /// hosts when given: the free strategy flushes per host).
    /// `reachedBy`: the hosts whose `meta: flush_handlers` this is; they run their handlers
    /// even when failed (a flush in `always` after a failure in `rescue`), as ansible-core's
    /// per-host handler state does.
    func flushHandlers(only: Set<String>? = nil, reachedBy: Set<String> = []) {
        var rounds = 0
        resolveNotifications(only: only)
        while notified.values.contains(where: { $0.contains { only?.contains($0) ?? true } }) && rounds < 100 {
            rounds += 1
            defer { resolveNotifications(only: only) }
            for handler in context.play.handlerTasks {
                let key = ObjectIdentifier(handler)
                guard var hosts = notified[key] else { continue }
                if let only {
                    let rest = hosts.filter { !only.contains($0) }
                    hosts = hosts.filter { only.contains($0) }
                    notified[key] = rest.isEmpty ? nil : rest
                } else {
                    notified[key] = nil
                }
                let eligible = hosts.filter {
                    context.activeHosts.contains($0) || ((reachedBy.contains($0) || context.play.forceHandlers(default: run.options.forceHandlers)) && !unreachableHosts.contains($0))
                }
                if eligible.isEmpty { continue }
                runTask(handler, on: eligible)
            }
        }
    }

    // MARK: meta

    func runMeta(_ task: Task, hosts: [String]) {
        let scope = run.variables.scope(host: hosts.first ?? "", context: context, task: task)
        let action = ((try? run.templar.template(task.args["_raw_params"] ?? .null, scope)) ?? .null).pythonString
        if !task.allConditions.isEmpty, !["flush_handlers", "noop"].contains(action) {
            // Conditional meta tasks apply per host.
            let passing = hosts.filter { host in
                let s = run.variables.scope(host: host, context: context, task: task)
                return (try? run.templar.evaluateConditionals(task.allConditions, s).0) ?? false
            }
            applyMeta(action, hosts: passing, task: task)
            return
        }
        applyMeta(action, hosts: hosts, task: task)
    }

    private func applyMeta(_ action: String, hosts: [String], task: Task) {
        switch action {
        case "flush_handlers" where task.isHandler:
            fatalError = TroupeError(.execution, "flush_handlers cannot be used as a handler")
        case "flush_handlers": flushHandlers(reachedBy: task.isImplicit ? [] : Set(hosts))
        case "noop", "": break
        case "end_play":
            for h in context.batchHosts { iterator.end(h) }
            playEnded = true
            endPlayRequested = true
        case "end_batch":
            for h in context.batchHosts { iterator.end(h) }
        case "end_host":
            for h in hosts { iterator.end(h) }
        case "clear_facts":
            for h in hosts { run.variables.store.clearFacts(for: h) }
        case "clear_host_errors":
            // As ansible-core, failed and unreachable hosts both get another chance: the run
            // forgets them (later plays target them again); their stats stay.
            for h in failedHosts.union(iterator.hosts) { iterator.clearFailure(h) }
            // A cleared host that still has tasks (its `always`) is active again, as when
            // ansible-core drops it from the failed hosts: the free strategy runs it on.
            let revived = failedHosts.filter { !iterator.isDone($0) }
            if !revived.isEmpty {
                state.activeHosts = context.batchHosts.filter { state.activeHosts.contains($0) || revived.contains($0) }
            }
            failedHosts.removeAll()
            unreachableHosts.removeAll()
            clearedHostErrors = true
        case "reset_connection":
            for h in hosts { run.runner.resetConnection(host: h) }
        case "refresh_inventory":
            try? run.variables.inventory.refreshInventory()
        case "end_role":
            if task.isHandler {
                fatalError = TroupeError(.execution, "Cannot execute 'end_role' from a handler")
                return
            }
            guard let role = task.parent?.enclosingRole else {
                fatalError = TroupeError(.execution, "Cannot execute 'end_role' from outside of a role")
                return
            }
            for h in hosts { iterator.endRole(role, for: h) }
        default:
            let info = taskInfo(task, host: hosts.first)
            for h in hosts {
                let event = TaskResult(host: h, task: info, result: ["failed": true, "changed": false, "msg": .string("invalid meta action requested: \(action)")])
                run.callbacks.send { $0.runnerFailed(event, ignoreErrors: false) }
                afterResult(TaskOutcome(host: h, task: task, info: info, status: .failed, result: event.result.dictValue ?? [:]))
            }
        }
    }

    // MARK: Names

    /// What callbacks are told about `task`; its name is templated with play-level
    /// variables (and left as written when that fails), as Ansible does.
    func taskInfo(_ task: Task, host: String?) -> TaskInfo {
        var name = task.name ?? ""
        if task.name == nil, task.shortAction == "include_role", let role = task.args["name"] ?? task.args["role"] {
            name = "\(task.action) : \(role.pythonString)"  // ansible-core's IncludeRole.get_name
        }
        var args = task.args
        if ["include_tasks", "import_tasks"].contains(task.shortAction), args["_raw_params"] == nil, let file = args.removeValue(forKey: "file") {
            args["_raw_params"] = file  // ansible normalises `file:` to the free-form argument
        }
        if Environment.isTemplate(name) {
            let scope = run.variables.scope(host: host ?? "", context: context, task: task)
            name = (try? run.templar.templateString(name, scope)) ?? name
        }
        // ansible-core names an include_role task without its enclosing role's prefix.
        let roleName = task.shortAction == "include_role" ? nil : task.roleName
        return TaskInfo(name: name, action: task.action, uuid: task.uuid, location: task.location, roleName: roleName,
                        isHandler: task.isHandler, args: .dict(args),
                        noLog: task.inherited("no_log").map { ArgumentSpec.boolean($0) ?? false } ?? run.options.noLogByDefault,
                        checkMode: task.inherited("check_mode").flatMap(ArgumentSpec.boolean),
                        diff: task.inherited("diff").flatMap(ArgumentSpec.boolean),
                        hasLoop: task.keywords["loop"] != nil, isInclude: task.isDynamicInclude,
                        ignoreUnreachable: task.inherited("ignore_unreachable").flatMap(ArgumentSpec.boolean) ?? false,
                        delegateTo: task.isLocalAction ? "localhost" : task.inherited("delegate_to")?.stringValue)
    }
}
