import Foundation
import Jinja

/// Runs one task on one host: conditionals, loops, argument templating, the action or
/// module, retries, and the result rules (`changed_when`, `failed_when`, `register`).
/// Item results are reported to callbacks as they finish.
final class TaskExecutor {
    let host: String
    let task: Task
    let play: PlayContext
    let run: RunContext
    let info: TaskInfo

    init(host: String, task: Task, play: PlayContext, run: RunContext, info: TaskInfo) {
        self.host = host
        self.task = task
        self.play = play
        self.run = run
        self.info = info
    }

    func execute() -> TaskOutcome {
        let scope = run.variables.scope(host: host, context: play, task: task)
        if task.hasTemplatedAction {
            // ansible-core evaluates `when` before it templates the action name.
            if task.keywords["loop"] == nil, let (pass, failed) = try? run.templar.evaluateConditionals(task.allConditions, scope), !pass {
                return finish(TaskExecutor.skippedResult(failed), scope: scope)
            }
            do {
                let resolved = try taskWithResolvedAction(scope)
                // Results carry the resolved action (ansible-core's resolved_action), so the
                // callbacks treat a `debug` as a debug; the banner keeps the written name.
                var resolvedInfo = info
                resolvedInfo.action = resolved.action
                return TaskExecutor(host: host, task: resolved, play: play, run: run, info: resolvedInfo).execute()
            } catch {
                return finish(errorResult(error), scope: scope)
            }
        }
        var result: OrderedDict
        do {
            if task.keywords["loop"] != nil {
                result = try runLoop(scope)
            } else {
                let (pass, failedCondition) = try run.templar.evaluateConditionals(task.allConditions, scope)
                if !pass {
                    result = TaskExecutor.skippedResult(failedCondition)
                } else {
                    try validateBooleanKeywords(scope)
                    result = try runWithRetries(scope)
                }
            }
        } catch {
            result = errorResult(error)
        }
        return finish(result, scope: scope)
    }

    /// ansible-core validates a task's boolean keywords before running it: a value that
    /// is not a boolean fails the task.
    private func validateBooleanKeywords(_ scope: VariableScope) throws {
        for keyword in ["diff", "check_mode", "no_log", "run_once", "any_errors_fatal", "ignore_unreachable"] {
            guard let raw = task.keywords[keyword] else { continue }
            let value = (try? run.templar.template(raw, scope)) ?? raw
            if !value.isNull && ArgumentSpec.boolean(value) == nil {
                throw TroupeError(.templating, "Error processing keyword '\(keyword)': The value \(value.pythonRepr) could not be converted to 'bool'.")
            }
        }
    }

    /// A result for an error raised while running the task (templating, connection …),
    /// worded as ansible-core 2.19 words it.
    private func errorResult(_ error: Error) -> OrderedDict {
        if let e = error as? UnreachableError {
            let msg = e.message.hasPrefix("Task failed: ") ? e.message : "Task failed: " + e.message
            return ["unreachable": true, "changed": false, "msg": .string(msg)]
        }
        let msg = error is LoopTermsError ? TaskErrorText.message(error) : "Task failed: " + TaskErrorText.message(error)
        var result: OrderedDict = ["failed": true, "changed": false, "msg": .string(msg),
                                   "exception": .string(TaskFailureText.make(.unreachable, message: msg, location: task.location))]
        if let timeout = error as? TaskTimeoutError { result.merge(timeout.resultContribution) }
        return result
    }

    /// The `[ERROR]: Task failed: …` text the stdout callback prints before a failure.
    private func addFailureText(_ result: inout OrderedDict) {
        // ansible-core 2.19's module_utils report a failure's cause as a structured
        // ErrorSummary; the callback shows it as the message chain, like ansible-playbook.
        if let summary = result["exception"]?.dictValue, summary["__ansible_type"]?.stringValue == "ErrorSummary" {
            result["exception"] = .string(TaskFailureText.make(.module, message: Self.errorSummaryText(summary["event"]),
                                                               location: task.location, originText: task.originText))
            return
        }
        guard result["exception"] == nil else { return }
        let message = result["msg"]?.stringValue
        if result.flag("unreachable") {
            result["exception"] = .string(TaskFailureText.make(.unreachable, message: message, location: task.location))
        } else if result.flag("failed") && result["results"] == nil {
            let isModule = run.modules.remoteModules[task.shortAction] != nil || run.modules.customModulePath(task.action) != nil
                || run.modules.collectionModule(task.action) != nil
            let byModule = isModule && !(result["failed_when_result"]?.isTruthy ?? false)
            result["exception"] = .string(TaskFailureText.make(byModule ? .module : .action,
                                                               message: byModule || !(message ?? "").isEmpty ? message : nil,
                                                               location: task.location, originText: task.originText))
        }
    }

    /// An ErrorSummary event's messages, each cause after its effect: "msg: cause: …".
    static func errorSummaryText(_ event: Value?) -> String {
        var parts: [String] = []
        var current = event?.dictValue
        while let event = current, parts.count < 20 {
            if let message = event["msg"]?.stringValue { parts.append(message) }
            current = event["chain"]?.dictValue?["event"]?.dictValue
        }
        return parts.joined(separator: ": ")
    }

    static func skippedResult(_ condition: Value?) -> OrderedDict {
        var r = OrderedDict()
        r["changed"] = false
        r["false_condition"] = condition ?? .bool(false)
        r["skip_reason"] = "Conditional result was False"
        r["skipped"] = true
        return r
    }

    // MARK: Loops

    private func runLoop(_ scope: VariableScope) throws -> OrderedDict {
        let items: [Value]
        do {
            items = try LoopItems.evaluate(task: task, scope: scope, templar: run.templar)
        } catch let error as JinjaError where error.kind == .undefined {
            // As ansible-core: a loop over something undefined is an error only when the
            // task's `when` (evaluated without an item) does not skip it.
            let skip = (try? run.templar.evaluateConditionals(task.allConditions, scope)).map { !$0.0 } ?? false
            if skip, let (_, failedCondition) = try? run.templar.evaluateConditionals(task.allConditions, scope) {
                return TaskExecutor.skippedResult(failedCondition)
            }
            throw error
        }
        if items.isEmpty {
            return ["changed": false, "skipped": true, "skipped_reason": "No items in the list", "results": []]
        }
        // `label` and `break_when` are evaluated per item; the rest once, up front.
        var control = task.keywords["loop_control"]?.dictValue ?? OrderedDict()
        for key in ["loop_var", "index_var", "extended", "pause"] where control[key] != nil {
            control[key] = try run.templar.template(control[key]!, scope)
        }
        let loopVar = control["loop_var"]?.stringValue ?? "item"
        let indexVar = control["index_var"]?.stringValue
        let extended = ArgumentSpec.boolean(control["extended"] ?? false) ?? false
        // `extended_allitems: false` leaves the (possibly large) item list out of ansible_loop.
        let extendedAllItems = ArgumentSpec.boolean((try? control["extended_allitems"].map { try run.templar.template($0, scope) }) ?? true) ?? true
        let pause = control["pause"]?.doubleValue ?? 0
        var results: [Value] = []
        var anyChanged = false, anyFailed = false, allSkipped = true
        var loopFacts = OrderedDict()
        for (index, item) in items.enumerated() {
            var overlay = OrderedDict()
            overlay[loopVar] = item
            overlay["ansible_loop_var"] = .string(loopVar)
            if let indexVar { overlay[indexVar] = .int(index); overlay["ansible_index_var"] = .string(indexVar) }
            if extended { overlay["ansible_loop"] = LoopItems.extendedInfo(items: items, index: index, allItems: extendedAllItems) }
            let itemScope = scope.adding(loopFacts).adding(overlay)
            var itemResult: OrderedDict
            do {
                let (pass, failedCondition) = try run.templar.evaluateConditionals(task.allConditions, itemScope)
                itemResult = pass ? try runWithRetries(itemScope) : TaskExecutor.skippedResult(failedCondition)
            } catch {
                itemResult = errorResult(error)
            }
            addFailureText(&itemResult)
            itemResult[loopVar] = item
            itemResult["ansible_loop_var"] = .string(loopVar)
            if loopVar != "item" { itemResult["item"] = nil }
            if let indexVar { itemResult[indexVar] = .int(index); itemResult["ansible_index_var"] = .string(indexVar) }
            if extended { itemResult["ansible_loop"] = overlay["ansible_loop"] }
            if let label = control["label"] {
                // The label sees the item's own result under the `register` name; an undefined
                // in it fails the item, as ansible-core does.
                do {
                    itemResult["_ansible_item_label"] = try run.templar.template(label, itemScope.adding(registered(itemResult)))
                } catch let error as JinjaError where error.kind == .undefined {
                    itemResult["failed"] = true
                    itemResult["msg"] = .string("Failed to template loop_control.label: \(error.message)")
                } catch {
                    itemResult["_ansible_item_label"] = label
                }
            }
            if hidesResults(scope) {
                itemResult = Censor.censored(itemResult)
            }
            applyInventoryChanges(&itemResult)
            let skipped = itemResult.flag("skipped")
            let failed = itemResult.flag("failed") || itemResult.flag("unreachable")
            // Like ansible-core, each item's facts are stored as it finishes (the last item
            // wins) and the next items see them.
            if !skipped && !failed && task.shortAction != "debug", let facts = itemResult["ansible_facts"]?.dictValue {
                applyFacts(itemResult, scope: itemScope)
                loopFacts.merge(facts)
            }
            if !skipped { allSkipped = false }
            if itemResult.flag("changed") { anyChanged = true }
            if failed { anyFailed = true }
            if let delegate = try delegateHost(itemScope) { itemResult["_ansible_delegated_vars"] = delegatedVariables(delegate) }
            let event = TaskResult(host: host, task: info, result: .dict(itemResult))
            run.callbacks.send { cb in
                if failed { cb.itemFailed(event) } else if skipped { cb.itemSkipped(event) } else { cb.itemOk(event) }
            }
            results.append(.dict(itemResult))
            if let breakWhen = task.keywords["loop_control"]?["break_when"], !failed,
               try run.templar.evaluateConditionals(Task.conditionList(breakWhen), itemScope.adding(registered(itemResult))).0 {
                break
            }
            if pause > 0 && index < items.count - 1 { Thread.sleep(forTimeInterval: pause) }
        }
        var aggregate = OrderedDict()
        aggregate["changed"] = .bool(anyChanged)
        if anyFailed { aggregate["failed"] = true }
        aggregate["msg"] = anyFailed ? "One or more items failed" : (allSkipped ? "All items skipped" : "All items completed")
        aggregate["results"] = .list(results)
        aggregate["skipped"] = .bool(allSkipped)
        return aggregate
    }

    private func registered(_ result: OrderedDict) -> OrderedDict {
        guard let name = task.keywords["register"]?.stringValue else { return OrderedDict() }
        return [name: .dict(ResultCleaner.forRegister(result, topLevel: false))]
    }

    // MARK: One execution, with until/retries

    private func runWithRetries(_ scope: VariableScope) throws -> OrderedDict {
        // `retries` without `until` retries until the task succeeds, as in ansible-core.
        let until = task.keywords["until"]
        guard until != nil || task.keywords["retries"] != nil else {
            var result = try runAction(scope)
            do {
                try applyResultRules(&result, scope)
            } catch {
                // As ansible-core: a failed_when/changed_when that cannot be evaluated fails
                // the task, and the module's own result stays in it.
                result["failed"] = true
                result["msg"] = .string("Task failed: " + TaskErrorText.message(error))
                return result
            }
            return result
        }
        let configured = try run.templar.template(task.keywords["retries"] ?? .int(3), scope)
        var retries = configured.intValue ?? Int(configured.pythonString) ?? 3
        retries = retries <= 0 ? 1 : retries + 1
        let delayValue = try run.templar.template(task.keywords["delay"] ?? .int(5), scope)
        let delay = delayValue.doubleValue ?? Double(delayValue.pythonString) ?? 5
        var attempt = 0
        while true {
            attempt += 1
            var result = try runAction(scope)
            // As ansible-core: a result without `failed` fails on a non-zero rc, and
            // `attempts` is there early, for changed_when/failed_when.
            if result["failed"] == nil, let rc = result["rc"] { result["failed"] = .bool(rc != .int(0) && rc != .string("0")) }
            if retries > 1 { result["attempts"] = .int(attempt) }
            do {
                try applyResultRules(&result, scope)
            } catch {
                // As ansible-core: a failed_when/changed_when that cannot be evaluated fails
                // the task, and the module's own result stays in it.
                result["failed"] = true
                result["msg"] = .string("Task failed: " + TaskErrorText.message(error))
                return result
            }
            result["attempts"] = .int(attempt)
            let done = try until.map { try run.templar.evaluateConditionals(Task.conditionList($0), scope.adding(registered(result))).0 }
                ?? !result.flag("failed")
            if done { return result }
            if attempt >= retries {
                // ansible-core reports one attempt fewer than it made once they run out.
                if retries > 1 { result["attempts"] = .int(retries - 1) }
                // A failed_when result decides failure over running out of attempts (ansible-core's TaskResult.is_failed).
                result["failed"] = result["failed_when_result"].flatMap { ArgumentSpec.boolean($0) }.map(Value.bool) ?? true
                return result
            }
            result["_ansible_retry"] = true
            result["retries"] = .int(retries)
            let event = TaskResult(host: host, task: info, result: .dict(result))
            run.callbacks.send { $0.runnerRetry(event) }
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        }
    }

    /// `failed_when` and `changed_when`, which see the result under its `register` name.
    private func applyResultRules(_ result: inout OrderedDict, _ scope: VariableScope) throws {
        if result.flag("unreachable") || result.flag("skipped") { return }
        let resultScope = scope.adding(registered(result))
        // A condition that cannot be evaluated leaves its error as the `*_when_result`.
        func evaluate(_ condition: Value, _ key: String) throws -> Bool {
            do { return try run.templar.evaluateConditionals(Task.conditionList(condition), resultScope).0 } catch {
                result[key] = .string(TaskErrorText.message(error))
                throw error
            }
        }
        if let changedWhen = task.keywords["changed_when"] {
            result["changed"] = .bool(try evaluate(changedWhen, "changed_when_result"))
        }
        if let failedWhen = task.keywords["failed_when"] {
            let failed = try evaluate(failedWhen, "failed_when_result")
            if !failed && result.flag("failed") {
                // ansible-core keeps the error a false failed_when hid, under its own key.
                let text = result["exception"] ?? .string(TaskFailureText.make(.module, message: result["msg"]?.stringValue, location: task.location))
                result["exception"] = nil
                result["failed_when_suppressed_exception"] = text
            }
            result["failed_when_result"] = .bool(failed)
            result["failed"] = .bool(failed)
        }
    }

    // MARK: The action itself

    private func runAction(_ scope: VariableScope) throws -> OrderedDict {
        var short = task.shortAction
        if task.isDynamicInclude {
            // The strategy loads the file and adds its tasks for this host.
            return IncludeResult.make(action: short, arguments: try templatedArguments(scope))
        }
        let asyncLimit = try self.asyncLimit(scope)
        if let action = run.modules.pythonPlugins.action(for: task, in: run.modules) ?? run.modules.actions[short] {
            if asyncLimit > 0 { return asyncUnsupported() }
            let args = action.templatesArguments ? try templatedArguments(scope) : try finalArguments(scope)
            let context = ActionContext(host: host, task: task, scope: scope, play: play, run: run) { [self] module, args in
                try self.runRemote(module, args: args, scope: scope)
            }
            let value = try action.run(args, context: context)
            return value.dictValue ?? ["failed": true, "msg": "action returned no result"]
        }
        if let path = run.modules.customModulePath(task.action) {
            return try runCustom(path, scope: scope)
        }
        switch run.modules.collectionModule(task.action) {
        case .python(let file):
            return try runCustom(file.path, scope: scope, collectionModule: file)
        case .removed(let message):
            return ["failed": true, "changed": false, "msg": .string(message)]
        case .native(let name):
            short = name
        case nil:
            break
        }
        guard run.modules.remoteModules[short] != nil else {
            return ["failed": true, "changed": false, "msg": .string("The module \(task.action) was not found in configured module paths")]
        }
        var args = try templatedArguments(scope)
        if short == "async_status" && args["_async_dir"] == nil { args["_async_dir"] = .string(try asyncDirectory(scope)) }
        if asyncLimit > 0 {
            return short == "raw" ? asyncUnsupported() : try runAsync(short, args: args, scope: scope, limit: asyncLimit)
        }
        let value = try runRemote(short, args: args, scope: scope)
        return value.dictValue ?? ["failed": true, "msg": "module returned no result"]
    }

    /// Runs a remote module on this host through its connection.
    func runRemote(_ module: String, args: OrderedDict, scope: VariableScope, asyncJob: AsyncJobOptions? = nil,
                   custom: CustomModuleSource? = nil) throws -> Value {
        // ansible-core's shell action refuses command's expand_argument_vars before the module runs.
        if module == "shell", args["expand_argument_vars"] != nil {
            let msg = "Unsupported parameters for (\(task.action)) module: expand_argument_vars"
            return ["failed": true, "changed": false, "msg": .string(msg),
                    "exception": .string(TaskFailureText.make(.unreachable, message: msg, location: task.location))]
        }
        guard custom != nil || run.modules.remoteModules[module] != nil else {
            return ["failed": true, "changed": false, "msg": .string("The module \(module) was not found in configured module paths")]
        }
        let playConnection = try task.inherited("connection").map { try run.templar.template($0, scope).pythonString }
        var target = host
        var connectionScope = scope
        if let delegate = try delegateHost(scope) {
            target = delegate
            connectionScope = run.variables.scope(host: delegate, context: play)
        }
        // A delegate named like localhost runs locally unless its variables say otherwise
        // (ansible-core's PlayContext rule for delegated localhost).
        let delegateConnection = InventoryData.localhostNames.contains(target) ? "local" : nil
        let spec = try ConnectionSpec.resolve(host: target, scope: connectionScope, options: run.options,
                                              playConnection: target == host ? playConnection : delegateConnection)
        var invocation = ModuleInvocation(module: module, args: args, host: target,
                                          checkMode: try flag("check_mode", default: run.options.check, scope),
                                          diff: try flag("diff", default: run.options.diff, scope),
                                          become: try becomeSettings(scope), environment: try environment(scope),
                                          timeout: try task.inherited("timeout").flatMap { try TaskTimeoutError.seconds(run.templar.template($0, scope)) },
                                          asyncJob: asyncJob, custom: custom)
        invocation.tracesCommands = run.options.verbosity >= 3
        var result = try run.runner.run(invocation, spec: spec)
        if case .dict(var dict) = result, let trace = dict.removeValue(forKey: ModuleInvocation.traceKey) {
            for line in trace.listValue ?? [] {
                run.callbacks.send { $0.verboseMessage(line.pythonString, level: 3) }
            }
            result = .dict(dict)
        }
        if let timeout = TaskTimeoutError.fromModuleResult(result) { throw timeout }
        return result
    }

    /// `no_log` as the task, its blocks and play say, else ansible.cfg's default; a value
    /// that cannot be templated counts as false.
    func hidesResults(_ scope: VariableScope) -> Bool {
        task.inherited("no_log").map { (try? run.templar.template($0, scope))?.isTruthy ?? false } ?? run.options.noLogByDefault
    }

    /// `delegate_to` (or `local_action`): the host whose connection runs the module.
    func delegateHost(_ scope: VariableScope) throws -> String? {
        if task.isLocalAction { return "localhost" }
        guard let raw = task.inherited("delegate_to") else { return nil }
        let value = try run.templar.template(raw, scope)
        if value.isNull { return nil }
        let name = value.pythonString
        return name.isEmpty || name == host ? nil : name
    }

    /// How the delegate is reached (`ansible_host` …), which the callbacks show as
    /// `host -> delegate(address)`.
    private func delegatedVariables(_ delegate: String) -> Value {
        let scope = run.variables.scope(host: delegate, context: play)
        var vars = OrderedDict()
        vars["ansible_host"] = ((try? scope.lookup("ansible_host")) ?? nil).map { (try? run.templar.template($0, scope)) ?? $0 } ?? .string(delegate)
        for key in ["ansible_port", "ansible_user", "ansible_connection"] {
            if let value = (try? scope.lookup(key)) ?? nil { vars[key] = (try? run.templar.template(value, scope)) ?? value }
        }
        return .dict(vars)
    }

    private func flag(_ keyword: String, default value: Bool, _ scope: VariableScope) throws -> Bool {
        guard let raw = task.inherited(keyword) else { return value }
        return ArgumentSpec.boolean(try run.templar.template(raw, scope)) ?? value
    }

    private func becomeSettings(_ scope: VariableScope) throws -> BecomeSettings? {
        var become = try flag("become", default: run.options.become, scope)
        if let v = try scope.lookup("ansible_become"), let b = ArgumentSpec.boolean(v) { become = b }
        guard become else { return nil }
        func keyword(_ name: String, variable: String) throws -> String? {
            if let v = try scope.lookup(variable), !v.isNull { return v.pythonString }
            return try task.inherited(name).map { try run.templar.template($0, scope).pythonString }
        }
        return BecomeSettings(
            method: try keyword("become_method", variable: "ansible_become_method") ?? run.options.becomeMethod,
            user: try keyword("become_user", variable: "ansible_become_user") ?? run.options.becomeUser,
            exe: try keyword("become_exe", variable: "ansible_become_exe"),
            flags: try keyword("become_flags", variable: "ansible_become_flags"),
            password: try (scope.lookup("ansible_become_password") ?? scope.lookup("ansible_become_pass")).map(\.pythonString)
                ?? run.options.becomePassword)
    }

    private func environment(_ scope: VariableScope) throws -> [String: String] {
        var chain: [Value] = []
        if let v = task.keywords["environment"] { chain.append(v) }
        var block = task.parent
        while let b = block {
            if let v = b.keywords["environment"] { chain.append(v) }
            block = b.parent
        }
        if let v = play.play.keywords["environment"] { chain.append(v) }
        var env: [String: String] = [:]
        for raw in chain.reversed() {
            let value = try run.templar.template(raw, scope)
            let dicts = value.listValue ?? [value]
            // An `omit` value leaves the variable out, as ansible-core drops omitted keys.
            for d in dicts { for (k, v) in Templar.removeOmitted(d.dictValue ?? OrderedDict()) { env[k] = v.pythonString } }
        }
        return env
    }

    // MARK: Result

    /// `add_host` / `group_by` results change the inventory for the rest of the run; as
    /// ansible-core reports it, the result is changed only when the inventory changed
    /// (unless `changed_when` decided).
    private func applyInventoryChanges(_ result: inout OrderedDict) {
        guard !result.flag("failed") && !result.flag("skipped") && !result.flag("unreachable") else { return }
        let inventory = run.variables.inventory
        var changed: Bool?
        if let added = result["add_host"]?.dictValue, let name = added["host_name"]?.stringValue {
            changed = inventory.addHost(name, groups: added["groups"]?.listValue?.map(\.pythonString) ?? [],
                                        variables: added["host_vars"]?.dictValue ?? OrderedDict())
        }
        if let group = result["add_group"]?.stringValue {
            changed = !inventory.groupNames(forHost: host).contains(group)
            inventory.addToGroup(host, group: group, parents: result["parent_groups"]?.listValue?.map(\.pythonString) ?? [])
        }
        if let changed, task.keywords["changed_when"] == nil { result["changed"] = .bool(changed) }
    }

    /// Stores a result's `ansible_facts` where its action puts them: set_fact facts (and the
    /// cacheable ones), include_vars variables, setup facts, or other modules' facts.
    private func applyFacts(_ result: OrderedDict, scope: VariableScope) {
        // debug's `var=ansible_facts` shows them; ansible-core never stores a debug's result as facts.
        guard let facts = result["ansible_facts"]?.dictValue, task.shortAction != "debug" else { return }
        if task.shortAction == "set_fact" {
            let cacheable = result["_ansible_facts_cacheable"]?.isTruthy ?? false
            for (k, v) in facts {
                run.variables.store.setHostFact(k, v, for: host)
                if cacheable { run.variables.store.setCacheableFact(k, v, for: host) }
            }
        } else if task.shortAction == "include_vars" {
            run.variables.store.addIncludedVars(facts, for: host)
        } else {
            let delegateFacts = task.inherited("delegate_facts").flatMap(ArgumentSpec.boolean) ?? false
            let target = delegateFacts ? ((try? delegateHost(scope)) ?? nil) ?? host : host
            if ["setup", "gather_facts"].contains(task.shortAction) {
                run.variables.store.addFacts(OrderedDict(facts.map { entry in
                    (entry.key.hasPrefix("ansible_") ? String(entry.key.dropFirst("ansible_".count)) : entry.key, entry.value)
                }), for: target)
            } else {
                run.variables.store.addModuleFacts(facts, for: target)
            }
        }
    }

    private func finish(_ raw: OrderedDict, scope: VariableScope) -> TaskOutcome {
        var result = raw
        if result["changed"] == nil { result["changed"] = false }
        if result["results"] == nil { applyInventoryChanges(&result) }
        if result.flag("unreachable"), let msg = result["msg"]?.stringValue, !msg.hasPrefix("Task failed: ") {
            result["msg"] = .string("Task failed: " + msg)
        }
        addFailureText(&result)
        let status: TaskOutcome.Status
        if result.flag("unreachable") {
            status = .unreachable
        } else if result.flag("failed") {
            status = .failed
        } else if result.flag("skipped") {
            status = .skipped
        } else {
            status = result.flag("changed") ? .changed : .ok
        }
        if let name = task.keywords["register"]?.stringValue {
            run.variables.store.setHostFact(name, .dict(ResultCleaner.forRegister(result, topLevel: true)), for: host)
        }
        // A loop's facts were stored item by item as the loop ran (runLoop).
        if result["results"] == nil && status != .failed && status != .unreachable && status != .skipped { applyFacts(result, scope: scope) }
        var ignored = false
        if status == .failed, let raw = task.inherited("ignore_errors") {
            ignored = ArgumentSpec.boolean((try? run.templar.template(raw, scope)) ?? raw) ?? false
        }
        if status == .unreachable, let raw = task.inherited("ignore_unreachable") {
            ignored = ArgumentSpec.boolean((try? run.templar.template(raw, scope)) ?? raw) ?? false
        }
        if hidesResults(scope) {
            result = Censor.censored(result)
        }
        let delegate = (try? delegateHost(scope)) ?? nil
        if let delegate { result["_ansible_delegated_vars"] = delegatedVariables(delegate) }
        var outcome = TaskOutcome(host: host, task: task, info: info, status: status, result: result, ignored: ignored)
        outcome.delegatedTo = delegate
        return outcome
    }
}

/// `no_log: true` results.
enum Censor {
    static func censored(_ result: OrderedDict) -> OrderedDict {
        var r = OrderedDict()
        r["censored"] = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"
        r["changed"] = result["changed"] ?? false
        for key in ["failed", "skipped", "unreachable", "_ansible_item_label", "ansible_loop_var", "item"] where result[key] != nil {
            r[key] = result[key]
        }
        if r["item"] != nil, result["_ansible_item_label"] == nil { r["item"] = nil }
        // The callback labels such an item "(censored due to no_log)"; a loop keeps its
        // (already censored) items so that it is still shown as a loop.
        r["_ansible_no_log"] = true
        if let results = result["results"] { r["results"] = results }
        return r
    }
}

/// What `register:` stores: internal keys dropped, `failed` always present.
enum ResultCleaner {
    static func forRegister(_ result: OrderedDict, topLevel: Bool) -> OrderedDict {
        var r = OrderedDict()
        for (k, v) in result where !k.hasPrefix("_ansible_") {
            if topLevel && k == "invocation" { continue }
            if k == "results", case .list(let items) = v {
                r[k] = .list(items.map { item in item.dictValue.map { .dict(forRegister($0, topLevel: false)) } ?? item })
                continue
            }
            r[k] = v
        }
        if r["failed"] == nil && !(r["skipped"]?.isTruthy ?? false) { r["failed"] = false }
        return r
    }
}
