import SQLKit

/// Per-resource rules on top of the generic machinery: extra presentation, validation,
/// and what happens after a write. Every method has a do-nothing default.
protocol ResourceBehavior: Sendable {
    /// Adjusts a serialized object (secrets, computed extras).
    func present(_ object: inout JSONObject, record: Record, context: APIContext, detail: Bool) async throws
    /// Extra `related` links.
    func related(_ record: Record) -> [(String, String)]
    /// Checks and completes the column values of a create (`existing` nil) or update.
    func validate(_ values: inout [String: JSON], input: JSONObject, existing: Record?, context: APIContext) async throws
    /// Runs in the write transaction after the row is stored.
    func afterWrite(_ db: any SQLDatabase, id: Int, values: [String: JSON], input: JSONObject, created: Bool, context: APIContext) async throws
    /// Runs in the delete transaction before the row goes.
    func beforeDelete(_ db: any SQLDatabase, record: Record, context: APIContext) async throws
}

extension ResourceBehavior {
    func present(_ object: inout JSONObject, record: Record, context: APIContext, detail: Bool) async throws {}
    func related(_ record: Record) -> [(String, String)] { [] }
    func validate(_ values: inout [String: JSON], input: JSONObject, existing: Record?, context: APIContext) async throws {}
    func afterWrite(_ db: any SQLDatabase, id: Int, values: [String: JSON], input: JSONObject, created: Bool, context: APIContext) async throws {}
    func beforeDelete(_ db: any SQLDatabase, record: Record, context: APIContext) async throws {}
}

struct DefaultBehavior: ResourceBehavior {}

enum ResourceBehaviors {
    static let registry: [String: any ResourceBehavior] = [
        "users": UserBehavior(),
        "credentials": CredentialBehavior(),
        "credential_types": CredentialTypeBehavior(),
        "inventories": InventoryBehavior(),
        "hosts": HostBehavior(),
        "groups": GroupBehavior(),
        "projects": ProjectBehavior(),
        "applications": ApplicationBehavior(),
        "job_templates": JobTemplateBehavior(),
        "inventory_sources": InventorySourceBehavior(),
        "schedules": ScheduleBehavior(),  // jobs (#15)
        "notification_templates": NotificationTemplateBehavior(),  // jobs (#15)
        "instances": InstanceBehavior(),  // scale-out (#16)
    ]

    static func behavior(for name: String) -> any ResourceBehavior { registry[name] ?? DefaultBehavior() }
}

/// Role-bearing resources: the writer creates the object's roles, relinks them when the
/// organization changes, drops them on delete, and makes a non-superuser creator the
/// object's admin.
enum RoleMaintenance {
    static func afterWrite(_ db: any SQLDatabase, descriptor: ResourceDescriptor, id: Int, values: [String: JSON], created: Bool, context: APIContext) async throws {
        guard let contentType = descriptor.roleContentType else { return }
        let organization = values["organization"]?.intValue
        if created {
            try await RoleGraph.createRoles(db, contentType: contentType, objectID: id, relatedIDs: ["organization_id": organization])
            if let user = context.user, !user.isSuperuser, contentType != "organization" {
                let role = try await db.rows(SQLQueryString(
                    "SELECT id FROM object_roles WHERE content_type = \(bind: contentType) AND object_id = \(bind: id) AND role_field = 'admin_role'"))
                if let roleID = try role.first?.decode(column: "id", as: Int.self) {
                    try await db.raw("INSERT INTO role_members (role_id, user_id) VALUES (\(bind: roleID), \(bind: user.id)) ON CONFLICT DO NOTHING").run()
                }
            }
        } else if values.keys.contains("organization") {
            try await RoleGraph.relinkParents(db, contentType: contentType, objectID: id, relatedIDs: ["organization_id": organization])
        }
    }
}
