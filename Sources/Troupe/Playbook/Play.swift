import Foundation
import Jinja

/// One play of a playbook.
public final class Play: @unchecked Sendable {
    /// The play's keywords as written (`hosts`, `become`, `serial` …), untemplated.
    public let keywords: Keywords
    /// Where the play starts in its playbook, when known.
    public let location: SourceLocation?
    /// A run-unique id, reported to callbacks as `PlayInfo.uuid`.
    public let uuid = UUIDGenerator.next()
    /// Directory of the playbook file the play came from (`playbook_dir`).
    public let baseDirectory: String
    /// `pre_tasks:`, compiled into blocks.
    public internal(set) var preTasks: [Block] = []
    /// `tasks:`, compiled into blocks.
    public internal(set) var tasks: [Block] = []
    /// `post_tasks:`, compiled into blocks.
    public internal(set) var postTasks: [Block] = []
    /// `handlers:`, compiled into blocks.
    public internal(set) var handlers: [Block] = []
    /// Variables from `vars:`.
    public internal(set) var vars = OrderedDict()
    /// Roles from `roles:`, in order (dependencies are inside each role).
    public internal(set) var roles: [Role] = []
    /// The `when:` of the `import_playbook` that brought this play (ansible-core's
    /// `_included_conditional`): its fact gathering runs under it too.
    public internal(set) var includedConditional: [Value] = []

    /// `import_playbook … when:` / `tags:` — each section's blocks and each role entry run
    /// under the condition (ansible-core prepends it to their `when`; fact gathering too)
    /// and carry the tags (added to the play's).
    func applyImportKeywords(when: Value?, tags: Value?) {
        let conditions = when.map(Task.conditionList) ?? []
        includedConditional = conditions + includedConditional
        var keywords = Keywords()
        if !conditions.isEmpty { keywords.set("when", .list(conditions)) }
        if let tags { keywords.set("tags", tags) }
        func wrap(_ blocks: [Block]) -> [Block] {
            blocks.isEmpty ? [] : [Block(block: blocks.map { .block($0) }, keywords: keywords)]
        }
        preTasks = wrap(preTasks)
        tasks = wrap(tasks)
        postTasks = wrap(postTasks)
        for role in roles {
            let own = role.keywords["when"].map(Task.conditionList) ?? []
            if !conditions.isEmpty { role.keywords.set("when", .list(conditions + own)) }
            if let tags {
                let ownTags = role.keywords["tags"].map { Array(Block.tagList($0)).sorted().map(Value.string) } ?? []
                role.keywords.set("tags", .list(ownTags + Array(Block.tagList(tags)).sorted().map(Value.string)))
            }
        }
    }

    init(keywords: Keywords, location: SourceLocation?, baseDirectory: String) {
        self.keywords = keywords
        self.location = location
        self.baseDirectory = baseDirectory
        if let v = keywords["vars"]?.dictValue { vars = v }
    }

    /// `name:` as written, or the `hosts:` pattern, as Ansible shows it in the banner.
    public var name: String {
        if let n = keywords["name"], !n.isNull { return n.pythonString }
        return hostPattern
    }

    /// The `hosts:` pattern; a list is joined with commas.
    public var hostPattern: String {
        switch keywords["hosts"] {
        case .list(let items)?: return items.map(\.pythonString).joined(separator: ",")
        case let v?: return v.pythonString
        case nil: return ""
        }
    }

    /// Handler tasks in definition order: roles' handlers first, then the play's, then
    /// those of roles pulled in by `include_role` as they were included.
    public var handlerTasks: [Task] {
        handlerTaskGroups.flatMap { $0 }
    }

    /// The same, grouped by top-level handler block (consecutive bare handlers share one):
    /// ansible-core looks a notified name up block by block from the last, but within a
    /// block from the first.
    var handlerTaskGroups: [[Task]] {
        (allRoles.flatMap(\.handlerBlocks) + handlers + includedLock.withLock { includedHandlers }).map(\.allTasks)
    }

    private var includedHandlers: [Block] = []
    private var includedHandlerRoles = Set<String>()
    private let includedLock = NSLock()

    /// `include_role`: the role's handlers join the play's, after all others (once per
    /// role: a notification reaches only the last handler of a name anyway).
    func addHandlers(of role: Role) {
        includedLock.withLock {
            // The roles its tasks import bring their handlers too (with their dependencies).
            func withImports(_ r: Role) -> [Role] { r.dependencies + [r] + r.importedRoles.flatMap(withImports) }
            for r in withImports(role) where includedHandlerRoles.insert(r.path).inserted {
                includedHandlers.append(contentsOf: r.handlerBlocks)
            }
        }
    }

    /// Every role the play uses — `roles:` with their dependencies (dependencies first),
    /// then roles pulled in by `import_role` — without repeats.
    public var allRoles: [Role] {
        var seen = Set<ObjectIdentifier>()
        var out: [Role] = []
        func visit(_ role: Role) {
            for d in role.dependencies { visit(d) }
            if seen.insert(ObjectIdentifier(role)).inserted { out.append(role) }
        }
        roles.forEach(visit)
        forEachTaskBlock { if let r = $0.role { visit(r) } }
        return out
    }

    /// Roles the play names itself, in ansible-core's order: `roles:`, then `import_role`s
    /// (`ansible_play_role_names`); dependencies are not included.
    var referencedRoles: [Role] {
        var out = roles
        forEachTaskBlock { if let r = $0.importedRole { out.append(r) } }
        return out
    }

    /// Visits the blocks of `pre_tasks`, `tasks` and `post_tasks` and the blocks nested in
    /// their `block:` sections, depth first.
    private func forEachTaskBlock(_ body: (Block) -> Void) {
        func scan(_ blocks: [Block]) {
            for b in blocks {
                body(b)
                scan(b.block.compactMap { if case .block(let x) = $0 { return x } else { return nil } })
            }
        }
        scan(preTasks + tasks + postTasks)
    }

    func attachChildren() {
        for b in preTasks + tasks + postTasks + handlers { b.attach(to: self) }
    }

    /// `force_handlers`: the play keyword, else the run's `--force-handlers` / config value.
    public func forceHandlers(default fallback: Bool) -> Bool {
        keywords["force_handlers"].flatMap(ArgumentSpec.boolean) ?? fallback
    }
}

/// A parsed playbook file: its plays in order (imports already expanded).
public struct Playbook: Sendable {
    /// The playbook file's path as loaded.
    public let path: String
    /// The plays in run order.
    public let plays: [Play]

}
