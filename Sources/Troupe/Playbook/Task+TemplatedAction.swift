import Jinja

/// `action: "{{ name }} k=v"` / `action: {module: "{{ name }}"}`: ansible-core templates the
/// action name for each host when the task runs (Task._post_validate_args), so hosts of
/// one task can run different modules. The parser accepts such a name unchecked; the
/// executor resolves it into a per-host copy of the task.
extension Task {
    /// The action name is (or contains) a template, resolved per host at run time.
    public var hasTemplatedAction: Bool { ModuleNames.isPossiblyTemplate(action) }

    /// A copy of this task that runs `action`, keeping everything else (keywords, block,
    /// role, location) so results, names and inheritance are those of the written task.
    func resolved(action: String) -> Task {
        let copy = Task(action: action, args: args, keywords: keywords, location: location, isHandler: isHandler,
                        isLocalAction: isLocalAction, loopLookup: loopLookup, isImplicit: isImplicit)
        copy.parent = parent
        copy.roleName = roleName
        copy.originText = originText
        return copy
    }
}

extension TaskExecutor {
    /// The task with its templated action name rendered for this host; ansible-core's
    /// "Cannot resolve … to an action or module." when no module or action has that name.
    func taskWithResolvedAction(_ scope: VariableScope) throws -> Task {
        let rendered = try run.templar.template(.string(task.action), scope)
        if rendered.stringValue == Templar.omitPlaceholder {
            throw TroupeError(.templating, "Omit is not valid for the `action` keyword.")
        }
        let name = rendered.pythonString.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, run.modules.contains(name) else {
            throw TroupeError(.execution, "Cannot resolve \(Value.string(name).pythonRepr) to an action or module.")
        }
        return task.resolved(action: name)
    }
}
