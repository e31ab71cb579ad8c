import Foundation
import SQLKit

/// The cluster as `ping` shows it (AWX's `ApiV2PingView`): every instance sorted by
/// hostname, and every instance group with its capacity (the sum of its ready, enabled
/// members' capacity: a lost node's stops counting) and member hostnames.
struct ClusterStatus {
    var instances: [JSON] = []
    var groups: [JSON] = []

    static func read(_ database: Database) async throws -> ClusterStatus {
        try await database.withConnection { db in
            var status = ClusterStatus()
            for row in try await db.raw("""
                SELECT hostname, node_type, uuid, last_seen, capacity, version FROM instances ORDER BY hostname
                """).all() {
                status.instances.append([
                    "node": .string(try row.decode(column: "hostname", as: String.self)),
                    "node_type": .string(try row.decode(column: "node_type", as: String.self)),
                    "uuid": .string(try row.decode(column: "uuid", as: String.self)),
                    "heartbeat": (try row.decode(column: "last_seen", as: String?.self)).map(JSON.string) ?? .null,
                    "capacity": .int(try row.decode(column: "capacity", as: Int.self)),
                    "version": .string(try row.decode(column: "version", as: String.self)),
                ])
            }
            var members: [Int: [String]] = [:]
            var capacity: [Int: Int] = [:]
            for row in try await db.raw("""
                SELECT gi.instance_group_id AS group_id, i.hostname AS hostname, i.capacity AS capacity, i.enabled AS enabled,
                i.node_state AS node_state FROM instance_group_instances gi JOIN instances i ON i.id = gi.instance_id ORDER BY i.hostname
                """).all() {
                let group = try row.decode(column: "group_id", as: Int.self)
                members[group, default: []].append(try row.decode(column: "hostname", as: String.self))
                let counts = try row.decode(column: "enabled", as: Bool.self) && row.decode(column: "node_state", as: String.self) == "ready"
                capacity[group, default: 0] += counts ? try row.decode(column: "capacity", as: Int.self) : 0
            }
            for row in try await db.raw("SELECT id, name FROM instance_groups ORDER BY LOWER(name)").all() {
                let id = try row.decode(column: "id", as: Int.self)
                status.groups.append([
                    "name": .string(try row.decode(column: "name", as: String.self)),
                    "capacity": .int(capacity[id] ?? 0),
                    "instances": .array((members[id] ?? []).map(JSON.string)),
                ])
            }
            return status
        }
    }
}
