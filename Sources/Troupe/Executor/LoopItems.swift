import Jinja

/// The items of `loop:` / `with_<lookup>:`, and `ansible_loop` for `extended`.
enum LoopItems {
    /// The items; a template error in the loop's terms (other than an undefined value) is
    /// reported bare, as ansible-core reports it ("Error rendering template: division by
    /// zero", without "Task failed: "), since it happens before the task runs.
    static func evaluate(task: Task, scope: VariableScope, templar: Templar) throws -> [Value] {
        do {
            return try evaluateTerms(task: task, scope: scope, templar: templar)
        } catch let error as JinjaError where error.kind != .undefined {
            throw LoopTermsError(message: TaskArgsFinalization.detail(error))
        }
    }

    private static func evaluateTerms(task: Task, scope: VariableScope, templar: Templar) throws -> [Value] {
        let raw = task.keywords["loop"] ?? .null
        if let lookup = task.loopLookup {
            // Items a template made are untrusted; other lookups' terms are file names and the like.
            let terms = lookup == "items" ? try templar.templateMarkingUntrusted(raw, scope)
                : lookup == "first_found" ? try templar.templateSkippingUndefined(raw, scope) : try templar.template(raw, scope)
            let plugin = try LookupRegistry.plugin(lookup, environment: templar.environment)
            // ansible-core gives the loop's lookup a subdirectory after the action's name.
            let subdirectory = ["template", "var"].first { task.shortAction.contains($0) }.map { $0 + "s" } ?? "files"
            let context = LookupContext(variables: scope, baseDirectory: task.parent?.play?.baseDirectory ?? ".",
                                        environment: templar.environment, subdirectory: subdirectory)
            let termList: [Value]
            if case .list(let l) = terms { termList = l } else { termList = [terms] }
            // with_items flattens its terms; other lookups take the list as given.
            if lookup == "items" { return try plugin.run(termList, options: OrderedDict(), context: context) }
            // A Python lookup gets the loop's terms as a list, and wantlist=True, as ansible-core runs it.
            if plugin is PythonLookup { return try plugin.run(termList, options: ["wantlist": true], context: context) }
            if ["nested", "together", "cartesian", "subelements", "random_choice", "fileglob", "first_found", "template"].contains(lookup) {
                return try plugin.run(termList, options: OrderedDict(), context: context)
            }
            return try plugin.run(termList.count == 1 ? termList : [terms], options: OrderedDict(), context: context)
        }
        let value = try templar.templateMarkingUntrusted(raw, scope)
        guard case .list(let items) = value else {
            throw TroupeError(.templating, "Invalid data passed to 'loop', it requires a list, got this instead: \(value.pythonString). Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.")
        }
        return items
    }

    static func extendedInfo(items: [Value], index: Int, allItems: Bool = true) -> Value {
        let n = items.count
        var d = OrderedDict()
        if allItems { d["allitems"] = .list(items) }
        d["index"] = .int(index + 1)
        d["index0"] = .int(index)
        d["first"] = .bool(index == 0)
        d["last"] = .bool(index == n - 1)
        d["length"] = .int(n)
        d["revindex"] = .int(n - index)
        d["revindex0"] = .int(n - index - 1)
        if index > 0 { d["previtem"] = items[index - 1] }
        if index < n - 1 { d["nextitem"] = items[index + 1] }
        return .dict(d)
    }
}

/// A loop's terms failed to template; its message is the task's whole `msg`.
struct LoopTermsError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
