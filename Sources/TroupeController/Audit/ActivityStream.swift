import SQLKit

/// The audit trail: every create, update, delete, associate and disassociate, with the
/// actor and the changed values (secrets censored).
enum ActivityStream {
    static func record(_ db: any SQLDatabase, operation: String, descriptor: ResourceDescriptor, id: Int, changes: JSON,
                       actor: Int?, node: String, object2: (type: String, id: Int)? = nil, relationship: String = "") async throws {
        let summary: JSON = ["object1": .string(descriptor.type), "object1_id": .int(id)]
        try await db.raw("""
            INSERT INTO activity_stream (timestamp, operation, object1, object1_id, object2, object2_id, object_relationship_type,
              changes, summary, actor_id, action_node)
            VALUES (\(bind: Timestamp.now()), \(bind: operation), \(bind: descriptor.type), \(bind: id), \(bind: object2?.type ?? ""),
              \(bind: object2?.id), \(bind: relationship), \(bind: changes.serialized()), \(bind: summary.serialized()), \(bind: actor), \(bind: node))
            """).run()
    }

    /// Field values as the stream shows them: secrets and passwords as `$encrypted$`.
    static func changes(_ descriptor: ResourceDescriptor, _ values: [String: JSON]) -> JSON {
        var object = JSONObject()
        for key in values.keys.sorted() {
            guard let field = descriptor.anyField(key) else { continue }
            if case .password = field.kind { object[key] = "hidden"; continue }
            if field.forbidsFiltering && key == "inputs" { object[key] = "hidden"; continue }
            object[key] = values[key]
        }
        return .object(object)
    }
}
