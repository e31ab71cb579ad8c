import SQLKit

/// AWX's ordered instance-group fallback, decided by each node in its claim transaction
/// (there is no central task manager): a pending job's candidate groups are tried in
/// order; the job belongs to the first group that has a node with room for it (free
/// capacity ≥ its impact, or an idle node, as AWX's `fit_task_to_most_remaining_capacity_instance`
/// then `find_largest_idle_instance`). A node claims a job only when no group before its own
/// first group in the list has such a node, and records its own first group as the
/// job's `instance_group`. Room is read from the database (capacity of enabled, ready
/// nodes minus the impact of their waiting/running jobs), so every node judges alike.
struct InstanceGroupPlacement: Sendable {
    /// Candidate groups by job, in order (absent: any node, no fallback order).
    var candidates: [Int: [Int]] = [:]
    /// The groups this node belongs to.
    var ownGroups: Set<Int> = []
    /// Per group, the other nodes' (free capacity, idle) as the database shows them.
    var otherNodes: [Int: [(free: Int, idle: Bool)]] = [:]
    /// The `default` group, recorded for jobs without candidates when this node is in it.
    var defaultGroup: Int?

    /// Reads what the decision needs for `jobs` (the claim's pending candidates).
    static func load(_ db: any SQLDatabase, node: String, jobs: [Int]) async throws -> InstanceGroupPlacement {
        var placement = InstanceGroupPlacement()
        guard !jobs.isEmpty else { return placement }
        for row in try await db.raw("""
            SELECT gi.instance_group_id AS instance_group_id, g.name AS name FROM instance_group_instances gi
            JOIN instances i ON i.id = gi.instance_id JOIN instance_groups g ON g.id = gi.instance_group_id
            WHERE i.hostname = \(bind: node)
            """).all() {
            let group = try row.decode(column: "instance_group_id", as: Int.self)
            placement.ownGroups.insert(group)
            if try row.decode(column: "name", as: String.self) == "default" { placement.defaultGroup = group }
        }
        for row in try await db.select().columns("unified_job_id", "position", "instance_group_id").from("unified_job_instance_groups")
            .where("unified_job_id", .in, jobs).orderBy("unified_job_id").orderBy("position").all() {
            placement.candidates[try row.decode(column: "unified_job_id", as: Int.self), default: []]
                .append(try row.decode(column: "instance_group_id", as: Int.self))
        }
        // Only groups that come before this node's first group in some job's list matter.
        var earlier: Set<Int> = []
        for groups in placement.candidates.values {
            for group in groups {
                if placement.ownGroups.contains(group) { break }
                earlier.insert(group)
            }
        }
        guard !earlier.isEmpty else { return placement }
        for row in try await db.raw("""
            SELECT gi.instance_group_id AS instance_group_id, i.capacity AS capacity,
              COALESCE((SELECT SUM(u.impact) FROM unified_jobs u WHERE u.execution_node = i.hostname
                AND u.status IN ('waiting', 'running')), 0) AS used
            FROM instance_group_instances gi JOIN instances i ON i.id = gi.instance_id
            WHERE i.hostname <> \(bind: node) AND i.enabled = TRUE AND i.node_state = 'ready' AND i.capacity > 0
              AND i.node_type <> 'control' AND gi.instance_group_id IN (\(binds: earlier.map { $0 as any Encodable & Sendable }))
            """).all() {
            let capacity = try row.decode(column: "capacity", as: Int.self)
            let used = try row.decode(column: "used", as: Int.self)
            placement.otherNodes[try row.decode(column: "instance_group_id", as: Int.self), default: []]
                .append((capacity - used, used == 0))
        }
        return placement
    }

    /// True when an earlier group of the job's list than this node's first one has a node
    /// with room: that group's node takes it.
    func leavesToEarlierGroup(_ job: Int, impact: Int) -> Bool {
        guard let groups = candidates[job] else { return false }
        for group in groups {
            if ownGroups.contains(group) { return false }
            if otherNodes[group, default: []].contains(where: { $0.free >= impact || $0.idle }) { return true }
        }
        return true  // not a member of any candidate group (the claim's filter keeps these out)
    }

    /// The group a job claimed here ran through: this node's first group in its list, or
    /// `default` for a job without candidates.
    func group(for job: Int) -> Int? {
        guard let groups = candidates[job] else { return defaultGroup }
        return groups.first { ownGroups.contains($0) }
    }
}
