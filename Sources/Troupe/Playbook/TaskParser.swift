import Jinja

/// Parses one task mapping: finds the action among its keys (Ansible's ModuleArgsParser)
/// and validates its keywords.
struct TaskParser {
    let actionExists: (String) -> Bool
    var warn: (String) -> Void = { _ in }
    /// The `collections:` keyword in force: short names resolve in these collections first.
    var collectionSearch: [String] = []

    func parse(_ node: YAMLNode, isHandler: Bool) throws -> Task {
        var keywords = Keywords()
        var candidates: [YAMLEntry] = []
        var explicitAction: YAMLEntry?
        var isLocalAction = false
        var loopLookup: String?
        var extraArgs = OrderedDict()
        for entry in node.entries ?? [] {
            let key = entry.key
            if key == "register" { try Self.validateRegister(entry.value) }
            if key == "action" || key == "local_action" {
                if explicitAction != nil {
                    throw TroupeError(.parse, "action and local_action are mutually exclusive", location: node.location)
                }
                explicitAction = entry
                isLocalAction = key == "local_action"
            } else if key == "args" {
                guard let dict = entry.value.value.dictValue else {
                    if let s = entry.value.scalar?.stringValue {
                        extraArgs = ModuleNames.isPossiblyAllTemplate(s) ? ["_variable_params": .string(s)]
                            : KeyValueParser.parse(s, checkRaw: false)
                        continue
                    }
                    throw TroupeError(.parse, "args must be a dictionary", location: entry.keyLocation)
                }
                extraArgs = dict
            } else if key.hasPrefix("with_") {
                loopLookup = String(key.dropFirst(5))
                keywords.set("loop", entry.value.value, at: entry.keyLocation)
            } else if Keywords.task.contains(key) && !(key == "listen" && !isHandler) {
                keywords.set(key, entry.value.value, at: entry.keyLocation)
            } else {
                candidates.append(entry)
            }
        }
        if keywords.contains("loop") && loopLookup != nil && node.entry("loop") != nil {
            throw TroupeError(.parse, "The 'loop' keyword cannot be used with 'with_\(loopLookup!)'", location: node.location)
        }

        var action: String
        var args: OrderedDict
        if let explicitAction {
            if let extra = candidates.first {
                throw TroupeError(.parse, "conflicting action statements: \(explicitAction.key), \(extra.key)", location: node.location)
            }
            (action, args) = try parseActionValue(explicitAction.value, location: node.location)
        } else {
            guard let moduleEntry = candidates.first else {
                throw TroupeError(.parse, "no module/action detected in task.", location: node.location)
            }
            if candidates.count > 1 {
                throw TroupeError(.parse, "conflicting action statements: \(candidates.map(\.key).joined(separator: ", "))", location: node.location)
            }
            action = moduleEntry.key
            args = try arguments(for: action, from: moduleEntry.value, location: node.location)
        }
        if ["include", "ansible.builtin.include", "ansible.legacy.include"].contains(action) {
            // Old content still uses it; ansible-core 2.19 stops with this error (exit 1, not a parse error).
            throw TroupeError(.execution, "The 'ansible.builtin.include' action plugin has been removed. Use include_tasks or import_tasks instead. This feature was removed from ansible-core in a release after 2023-05-16.", location: node.location)
        }
        let templatedAction = explicitAction != nil && ModuleNames.isPossiblyTemplate(action)
        if !templatedAction { action = qualified(action) }
        guard templatedAction || actionExists(action) else {
            if let missing = TaskParser.missingCollectionPackage(action) {
                warn("Error loading plugin '\(action)': No module named '\(missing)'")
            }
            throw TroupeError(.parse, "couldn't resolve module/action '\(action)'. This often indicates a misspelling, missing collection, or incorrect module path.", location: node.location)
        }
        // As ansible-core's ModuleArgsParser: the task's `args:` first, the module's own
        // arguments (k=v or mapping) over them.
        var merged = extraArgs
        merged.merge(args)
        args = merged
        // Only internal arguments start with `_ansible_` (ansible-core's ModuleArgsParser).
        if !ModuleNames.freeForm.contains(ModuleNames.shortName(action)), let reserved = args.keys.first(where: { $0.hasPrefix("_ansible_") }) {
            throw TroupeError(.execution, "Invalid parameter specified beginning with keyword '_ansible_' for action '\(action)': '\(reserved)'. The prefix '_ansible_' is reserved for internal use only.", location: node.location)
        }
        return Task(action: action, args: args, keywords: keywords, location: node.location, isHandler: isHandler,
                    isLocalAction: isLocalAction, loopLookup: loopLookup)
    }

    /// `register:` must name a variable, as ansible-core checks before running anything.
    static func validateRegister(_ node: YAMLNode) throws {
        let value = node.value
        let text = value.stringValue ?? ""
        let valid = value.stringValue != nil && !text.isEmpty && (text.first!.isLetter || text.first! == "_") && text.first!.isASCII
            && text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }
        guard !valid else { return }
        throw TroupeError(.parse, "Invalid 'register' specified: Invalid variable name '\(value.pythonString)' of type '\(value.pythonTypeName)'.\nVariable names must be strings starting with a letter or underscore character, and contain only letters, numbers and underscores.", location: node.location)
    }

    /// A short name found in a collection of the `collections:` keyword, as its FQCN;
    /// `ansible.builtin`/`ansible.legacy` in the list stop the search at the builtins.
    private func qualified(_ action: String) -> String {
        guard !action.contains("."), !collectionSearch.isEmpty else { return action }
        for collection in collectionSearch {
            if collection == "ansible.builtin" || collection == "ansible.legacy" {
                if actionExists(action) { return action }
                continue
            }
            if actionExists(collection + "." + action) { return collection + "." + action }
        }
        return action
    }

    /// For `namespace.collection.name`: the Python package ansible-core fails to import
    /// when the collection is not installed (no collections are, for Troupe).
    static func missingCollectionPackage(_ action: String) -> String? {
        let parts = action.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, !parts.contains(where: \.isEmpty) else { return nil }
        if parts[0] == "ansible" {
            return ["builtin", "legacy"].contains(parts[1]) ? nil : "ansible_collections.ansible.\(parts[1])"
        }
        return "ansible_collections.\(parts[0])"
    }

    /// `action: module k=v` or `action: {module: x, k: v}`.
    private func parseActionValue(_ node: YAMLNode, location: SourceLocation) throws -> (String, OrderedDict) {
        if let text = node.scalar?.stringValue {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            // The module name is the first word as split_args splits it, so a
            // `{{ name }}` with spaces inside stays one name.
            guard let module = KeyValueParser.split(trimmed).first?.trimmingCharacters(in: .whitespacesAndNewlines),
                  trimmed.hasPrefix(module) else {
                throw TroupeError(.parse, "no module/action detected in task.", location: location)
            }
            let rest = String(trimmed.dropFirst(module.count).drop(while: { $0 == " " || $0 == "\t" }))
            if let problem = KeyValueParser.unbalancedArgumentsError(rest) {
                throw TroupeError(.parse, "Error loading tasks: \(problem)", location: node.location)
            }
            return (module, KeyValueParser.parse(rest, checkRaw: ModuleNames.freeForm.contains(ModuleNames.shortName(module))))
        }
        if var dict = node.value.dictValue {
            guard let moduleText = dict.removeValue(forKey: "module")?.stringValue else {
                throw TroupeError(.parse, "no module/action detected in task.", location: location)
            }
            // `module: name k=v`: the k=v go over the mapping's discrete keys, and the
            // mapping's `args:` over both (ansible-core's legacy precedence).
            let trimmed = moduleText.trimmingCharacters(in: .whitespaces)
            let module = KeyValueParser.split(trimmed).first?.trimmingCharacters(in: .whitespacesAndNewlines) ?? trimmed
            let rest = trimmed.hasPrefix(module) ? String(trimmed.dropFirst(module.count).drop(while: { $0 == " " || $0 == "\t" })) : ""
            if !rest.isEmpty {
                dict.merge(KeyValueParser.parse(rest, checkRaw: ModuleNames.freeForm.contains(ModuleNames.shortName(module))))
            }
            // `args:` inside the action: a k=v / free-form string or a dict.
            if let inner = dict.removeValue(forKey: "args") {
                if let text = inner.stringValue {
                    dict.merge(KeyValueParser.parse(text, checkRaw: ModuleNames.freeForm.contains(ModuleNames.shortName(module))))
                } else if let d = inner.dictValue {
                    dict.merge(d)
                }
            }
            return (module, dict)
        }
        throw TroupeError(.parse, "unexpected parameter type in action: \(node.typeDescription)", location: location)
    }

    private func arguments(for action: String, from node: YAMLNode, location: SourceLocation) throws -> OrderedDict {
        switch node.kind {
        case .mapping:
            return node.value.dictValue ?? OrderedDict()
        case .scalar(let v):
            if v.isNull { return OrderedDict() }
            if case .unsafe(let s) = v { return ["_raw_params": .unsafe(s)] }
            let text = v.pythonString
            if let problem = KeyValueParser.unbalancedArgumentsError(text) {
                throw TroupeError(.parse, "Error loading tasks: \(problem)", location: node.location)
            }
            return KeyValueParser.parse(text, checkRaw: ModuleNames.freeForm.contains(ModuleNames.shortName(action)))
        case .sequence:
            throw TroupeError(.parse, "unexpected parameter type in action: <class 'list'>", location: location)
        }
    }
}

extension OrderedDict: ExpressibleByDictionaryLiteral {
    /// Lets module arguments be written as dictionary literals, keys kept in order.
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(elements.map { ($0.0, $0.1) })
    }
}
import Foundation
