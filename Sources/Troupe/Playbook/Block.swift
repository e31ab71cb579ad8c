import Jinja

/// An entry of a block section: a task or a nested block.
public enum BlockItem: Sendable {
    /// A task.
    case task(Task)
    /// A nested block (`block:`, `include_*` results, role content).
    case block(Block)
}

/// `block:` / `rescue:` / `always:` — also the container every play section and role is
/// compiled into, so the iterator deals with one shape only.
public final class Block: @unchecked Sendable {
    /// The `block:` section (or the whole content of a section/role wrapper).
    public internal(set) var block: [BlockItem]
    /// `rescue:`, run when a task in `block` fails.
    public internal(set) var rescue: [BlockItem]
    /// `always:`, run after `block` (and `rescue`) whatever happened.
    public internal(set) var always: [BlockItem]
    /// Keywords set on the block itself; inherited by its tasks.
    public let keywords: Keywords
    /// Where the block starts, when it was written in a file.
    public let location: SourceLocation?
    /// The enclosing block; nil for a play-level block (whose parent is the play).
    public internal(set) weak var parent: Block?
    /// The play the block belongs to, set after parsing.
    public internal(set) weak var play: Play?
    /// A run-unique id.
    public let uuid = UUIDGenerator.next()
    /// Role this block belongs to, if any (role tasks are wrapped in a block).
    public internal(set) var roleName: String?
    /// The role object (variables, path) when the block came from a role.
    public internal(set) var role: Role?
    /// Set on a block created by a dynamic include: its arguments and loop item.
    public internal(set) var includeParams: OrderedDict?

    var includeParamsInherited: OrderedDict? {
        let inherited = parent?.includeParamsInherited
        var own = includeParams
        // An `import_role` inside a role is an include of the role too (ansible-core's static
        // IncludeRole): its tasks see the importing role's params and the chain of parent roles.
        if importedRole != nil, let including = parent?.enclosingRole {
            var params = including.params
            if let own { params.merge(own) }
            let names = inherited?["ansible_parent_role_names"]?.listValue ?? []
            let paths = inherited?["ansible_parent_role_paths"]?.listValue ?? []
            params["ansible_parent_role_names"] = .list([.string(including.name)] + names)
            params["ansible_parent_role_paths"] = .list([.string(including.path)] + paths)
            own = params
        }
        guard let inherited else { return own }
        guard let own else { return inherited }
        var merged = inherited
        merged.merge(own)
        return merged
    }
    /// The role an `import_role` put here (the block holds it and its dependencies).
    var importedRole: Role?
    /// Role-level keywords and variables (applied between block and play).
    public internal(set) var roleKeywords: Keywords?

    /// Creates a block and makes it the parent of its items.
    public init(block: [BlockItem] = [], rescue: [BlockItem] = [], always: [BlockItem] = [],
                keywords: Keywords = Keywords(), location: SourceLocation? = nil) {
        self.block = block
        self.rescue = rescue
        self.always = always
        self.keywords = keywords
        self.location = location
        for item in block + rescue + always { adopt(item) }
    }

    private func adopt(_ item: BlockItem) {
        switch item {
        case .task(let t): t.parent = self
        case .block(let b): b.parent = self
        }
    }

    /// Sets the play (and role) on every block and task below, after parsing.
    func attach(to play: Play, roleName: String? = nil) {
        self.play = play
        if let roleName, role == nil { self.roleName = roleName }  // a role's own blocks keep its name
        for item in block + rescue + always {
            switch item {
            case .task(let t): if let r = self.roleName { t.roleName = r }
            case .block(let b): b.attach(to: play, roleName: self.roleName)
            }
        }
    }

    /// Keyword `keyword` as the block sees it: its own, then its role's, then its parents', then the play's (untemplated).
    public func inherited(_ keyword: String) -> Value? {
        if let v = keywords[keyword] { return v }
        if let v = roleKeywords?[keyword] { return v }
        if role != nil, parent?.role !== role, let v = role?.keywords[keyword] { return v }
        if let parent { return parent.inherited(keyword) }
        return play?.keywords[keyword]
    }

    var allConditions: [Value] {
        var conditions = parent?.allConditions ?? []
        if let when = roleKeywords?["when"] { conditions.append(contentsOf: Task.conditionList(when)) }
        if let role, parent?.role !== role, let when = role.keywords["when"] { conditions.append(contentsOf: Task.conditionList(when)) }
        if let when = keywords["when"] { conditions.append(contentsOf: Task.conditionList(when)) }
        return conditions
    }

    var allTags: Set<String> {
        var tags = parent?.allTags ?? (play.map { $0.keywords["tags"].map(Block.tagList) ?? [] } ?? [])
        if let t = roleKeywords?["tags"] { tags.formUnion(Block.tagList(t)) }
        if let role, parent?.role !== role, let t = role.keywords["tags"] { tags.formUnion(Block.tagList(t)) }
        if let t = keywords["tags"] { tags.formUnion(Block.tagList(t)) }
        return tags
    }

    var variableLayers: [OrderedDict] {
        var layers = parent?.variableLayers ?? []
        if let vars = keywords["vars"]?.dictValue { layers.append(vars) }
        return layers
    }

    /// `tags: a,b` or `tags: [a, b]` → set.
    static func tagList(_ value: Value) -> Set<String> {
        switch value {
        case .list(let items): return Set(items.map { $0.pythonString })
        case .string(let s), .unsafe(let s):
            return Set(s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        case .int, .float: return [value.pythonString]
        default: return []
        }
    }

    /// Every task below, depth first, in block/rescue/always order.
    public var allTasks: [Task] {
        (block + rescue + always).flatMap { item -> [Task] in
            switch item {
            case .task(let t): return [t]
            case .block(let b): return b.allTasks
            }
        }
    }
}

import Foundation
