import Foundation
import Jinja

/// One task or handler of a play. A class: its identity is what the play iterator
/// compares to keep hosts in lock-step, and what `include_*` results attach to.
public final class Task: @unchecked Sendable {
    /// Module or action name as written ("command", "ansible.builtin.debug").
    public let action: String
    /// Module arguments, untemplated. Free-form text is under `_raw_params`.
    public let args: OrderedDict
    /// The task's keywords (`when`, `loop`, `become`, `register` …), untemplated.
    public let keywords: Keywords
    /// Where the task is written, for `task path:` lines and errors; nil for implicit tasks.
    public let location: SourceLocation?
    /// A run-unique id, reported to callbacks as `TaskInfo.uuid`.
    public let uuid: String
    /// The block that contains this task.
    public internal(set) weak var parent: Block?
    /// The task is a handler (listed under `handlers:`), run only when notified.
    public let isHandler: Bool
    /// `delegate_to: localhost` implied by `local_action:`.
    public let isLocalAction: Bool
    /// `with_<lookup>` name when the task loops with one.
    public let loopLookup: String?
    /// Set for tasks that came from a role.
    public internal(set) var roleName: String?
    /// An implicit task the executor adds (e.g. "Gathering Facts", handler flushes).
    public let isImplicit: Bool
    /// For a task made by the engine (no file location): its data as ansible-core shows it
    /// after `Origin: <unknown>` in errors.
    public internal(set) var originText: String?
    /// Parameters of the `include_tasks`/`include_role` that produced this task's block.
    public var includeParams: OrderedDict? { parent?.includeParamsInherited }

    /// Creates a task; the parser normally does this. The parent block is set when the task is put in one.
    public init(action: String, args: OrderedDict, keywords: Keywords, location: SourceLocation?,
                isHandler: Bool = false, isLocalAction: Bool = false, loopLookup: String? = nil,
                isImplicit: Bool = false) {
        self.action = action
        self.args = args
        self.keywords = keywords
        self.location = location
        self.uuid = UUIDGenerator.next()
        self.isHandler = isHandler
        self.isLocalAction = isLocalAction
        self.loopLookup = loopLookup
        self.isImplicit = isImplicit
    }

    /// The `name:` as written, or nil.
    public var name: String? { keywords["name"]?.stringValue }

    /// `include_tasks` / `include_role`: resolved at run time by the strategy.
    /// The implicit `meta: role_complete` that ends each role's blocks (role deduplication).
    var isRoleCompletion: Bool {
        isImplicit && shortAction == "meta" && args["_raw_params"]?.stringValue == "role_complete"
    }
    public var isDynamicInclude: Bool { ["include_tasks", "include_role"].contains(shortAction) }

    /// The action without its collection prefix ("ansible.builtin.debug" → "debug").
    public var shortAction: String { ModuleNames.shortName(action) }
    /// The action as ansible-core names it in errors: `ansible.builtin.x` for a short builtin name.
    public var fullActionName: String { action.contains(".") ? action : "ansible.builtin." + action }

    /// A keyword from this task or the nearest enclosing block, role or play that sets it.
    public func inherited(_ keyword: String) -> Value? {
        if let v = keywords[keyword] { return v }
        return parent?.inherited(keyword)
    }

    /// `when:` conditions of this task and every enclosing block, outermost first.
    public var allConditions: [Value] {
        var conditions = parent?.allConditions ?? []
        if let when = keywords["when"] { conditions.append(contentsOf: Task.conditionList(when)) }
        return conditions
    }

    static func conditionList(_ value: Value) -> [Value] {
        if case .list(let items) = value { return items }
        return [value]
    }

    /// Tags of this task and every enclosing block/role/play.
    public var allTags: Set<String> {
        var tags = parent?.allTags ?? []
        if let t = keywords["tags"] { tags.formUnion(Block.tagList(t)) }
        return tags
    }

    /// Variables from enclosing blocks (outermost first) then the task's own `vars:`.
    public var variableLayers: [OrderedDict] {
        var layers = parent?.variableLayers ?? []
        if let vars = keywords["vars"]?.dictValue { layers.append(vars) }
        return layers
    }
}

/// Cheap unique ids for plays, blocks and tasks (formatted like Ansible's).
enum UUIDGenerator {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var counter: UInt64 = 0
    private static let prefix: String = {
        let u = UUID().uuidString.lowercased()
        return String(u.prefix(24))
    }()

    static func next() -> String {
        lock.lock()
        counter += 1
        let n = counter
        lock.unlock()
        return prefix + String(format: "%012llx", n)
    }
}
