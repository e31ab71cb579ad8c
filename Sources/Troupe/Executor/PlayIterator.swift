/// Walks a play's blocks for every host, keeping block/rescue/always semantics: a failure
/// inside a block moves the host to that block's `rescue`, else to its `always` and then
/// up to the enclosing block. Hosts are advanced individually; the strategy decides
/// which hosts move together (lock-step for `linear`).
final class PlayIterator {
    enum Section: Int, Comparable {
        case block = 0, rescue = 1, always = 2
        static func < (a: Section, b: Section) -> Bool { a.rawValue < b.rawValue }
    }

    /// One level of nesting: which block, which section, which entry next.
    struct Frame {
        let block: Block
        var section: Section = .block
        var index = 0
        /// A failure is waiting for `always` to finish before it propagates upward.
        var pendingFailure = false
        /// The block's rescue section ran because of a failure.
        var rescuing = false

        var items: [BlockItem] {
            switch section {
            case .block: return block.block
            case .rescue: return block.rescue
            case .always: return block.always
            }
        }
    }

    struct HostState {
        var topIndex = 0
        var frames: [Frame] = []
        /// Set once the host has failed for good (no rescue caught it).
        var failed = false
        var done = false
        /// Rescue sections that completed for this host (→ `rescued` in the recap).
        var rescuedCount = 0
        /// Role deduplication (by `Role.identity`): roles one of whose tasks ran here (ok,
        /// changed or failed), and roles whose `role_complete` was reached after that.
        var rolesRan: Set<String> = []
        var rolesCompleted: Set<String> = []
        /// The role of the task last returned by `next` (nil outside roles).
        var lastRole: String?
    }

    let blocks: [Block]
    private(set) var states: [String: HostState] = [:]
    /// Tasks filtered out by tags (never returned).
    let include: (Task) -> Bool

    init(blocks: [Block], hosts: [String], include: @escaping (Task) -> Bool = { _ in true }) {
        self.blocks = blocks
        self.include = include
        for h in hosts { states[h] = HostState() }
    }

    /// A key ordering positions in the play, so the strategy can pick the earliest task.
    typealias Position = [Int]

    /// The next task for `host` and its position, without advancing.
    func peek(_ host: String) -> (Task, Position)? {
        guard var state = states[host] else { return nil }
        let result = advance(&state)
        return result
    }

    /// Returns the next task for `host` and moves past it.
    func next(_ host: String) -> Task? {
        guard var state = states[host] else { return nil }
        let result = advance(&state)
        if result == nil { state.done = true }
        states[host] = state
        return result?.0
    }

    /// Moves `state` to the next runnable task (consuming it) and returns it.
    private func advance(_ state: inout HostState) -> (Task, Position)? {
        while !state.done {
            if state.frames.isEmpty {
                guard state.topIndex < blocks.count else { state.done = true; return nil }
                state.frames.append(Frame(block: blocks[state.topIndex]))
                state.topIndex += 1
                continue
            }
            let depth = state.frames.count - 1
            var frame = state.frames[depth]
            let items = frame.items
            if frame.index < items.count {
                let item = items[frame.index]
                frame.index += 1
                state.frames[depth] = frame
                switch item {
                case .block(let b):
                    state.frames.append(Frame(block: b))
                case .task(let t):
                    let role = state.frames.reversed().lazy.compactMap { $0.block.role }.first.map(identity)
                    if t.isRoleCompletion {
                        if let role, state.rolesRan.contains(role.identity) { state.rolesCompleted.insert(role.identity) }
                        continue
                    }
                    if let role, state.rolesCompleted.contains(role.identity), !role.role.allowDuplicates, !t.isHandler {
                        continue  // ansible-core: "skipped because role has already run", silently
                    }
                    if include(t) {
                        state.lastRole = role?.identity
                        return (t, position(of: state))
                    }
                }
                continue
            }
            // Section finished.
            switch frame.section {
            case .block:
                frame.section = .always
                frame.index = 0
                state.frames[depth] = frame
            case .rescue:
                frame.section = .always
                frame.index = 0
                frame.rescuing = false
                state.frames[depth] = frame
            case .always:
                state.frames.removeLast()
                if frame.pendingFailure {
                    propagateFailure(&state)
                    if state.frames.last?.rescuing ?? false { state.rescuedCount += 1 }
                }
            }
        }
        return nil
    }

    /// Identities are computed once per role object: every task of the role asks.
    private var identities: [ObjectIdentifier: String] = [:]
    private func identity(_ role: Role) -> (role: Role, identity: String) {
        if let known = identities[ObjectIdentifier(role)] { return (role, known) }
        let fresh = role.identity
        identities[ObjectIdentifier(role)] = fresh
        return (role, fresh)
    }

    /// The task last returned for `host` ran (ok, changed or failed, not skipped or
    /// unreachable): its role counts as run there, so its `role_complete` completes it.
    func noteTaskRan(_ host: String) {
        guard let role = states[host]?.lastRole else { return }
        states[host]!.rolesRan.insert(role)
    }

    private func position(of state: HostState) -> Position {
        var p = [state.topIndex]
        for f in state.frames { p.append(f.section.rawValue); p.append(f.index) }
        return p
    }

    /// Records that the last task returned for `host` failed (and was not ignored).
    /// Returns true when a `rescue` section caught the failure.
    @discardableResult
    func markFailed(_ host: String) -> Bool {
        guard var state = states[host] else { return false }
        // A rescue further out catches the failure once the inner blocks' `always`
        // sections ran (an include's block inside a block with `rescue`, nested blocks).
        let caught = state.frames.contains { $0.section == .block && !$0.block.rescue.isEmpty }
        propagateFailure(&state)
        if state.frames.last?.rescuing ?? false { state.rescuedCount += 1 }
        // Uncaught: the host has failed now (any_errors_fatal, max_fail_percentage and
        // the recap see it), though its `always` sections still run.
        if !caught { state.failed = true }
        states[host] = state
        return caught
    }

    private func propagateFailure(_ state: inout HostState) {
        guard let depth = state.frames.indices.last else {
            state.failed = true
            state.done = true
            return
        }
        var frame = state.frames[depth]
        switch frame.section {
        case .block where !frame.block.rescue.isEmpty:
            frame.section = .rescue
            frame.index = 0
            frame.rescuing = true
        case .block, .rescue:
            frame.section = .always
            frame.index = 0
            frame.pendingFailure = true
        case .always:
            state.frames.removeLast()
            propagateFailure(&state)
            return
        }
        state.frames[depth] = frame
    }

    /// Makes `block` the next thing `host` runs (dynamic includes).
    func insert(_ block: Block, for host: String) {
        guard states[host] != nil, !(states[host]!.done) else { return }
        states[host]!.frames.append(Frame(block: block))
    }

    /// `meta: end_role`: drops what is left of `role`'s blocks for `host`.
    func endRole(_ role: Role, for host: String) {
        guard var state = states[host] else { return }
        while let top = state.frames.last, top.block.enclosingRole === role {
            state.frames.removeLast()
        }
        states[host] = state
    }

    /// Ends the play for a host (`meta: end_host`, unreachable).
    func end(_ host: String, failed: Bool = false) {
        states[host]?.done = true
        states[host]?.frames = []
        if failed { states[host]?.failed = true }
    }

    func isFailed(_ host: String) -> Bool { states[host]?.failed ?? false }
    /// Failed with nothing left to run (no rescue or always section will still run).
    func hasFailedForGood(_ host: String) -> Bool {
        guard var state = states[host] else { return false }
        if state.failed { return true }
        _ = advance(&state)
        return state.failed
    }
    func isDone(_ host: String) -> Bool { states[host]?.done ?? true }
    func isRescuing(_ host: String) -> Bool { states[host]?.frames.contains(where: { $0.rescuing }) ?? false }
    func rescuedCount(_ host: String) -> Int { states[host]?.rescuedCount ?? 0 }

    /// Clears failure for `meta: clear_host_errors`, as ansible-core resets the fail state of
    /// the host's nested block states: a failure waiting for `always` to finish (one in
    /// `rescue`, say) no longer propagates, so the host goes on after the block.
    func clearFailure(_ host: String) {
        guard states[host] != nil else { return }
        states[host]!.failed = false
        for i in states[host]!.frames.indices { states[host]!.frames[i].pendingFailure = false }
    }

    /// The hosts the iterator walks (the play's hosts in this batch).
    var hosts: [String] { Array(states.keys) }
}
