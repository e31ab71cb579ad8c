import SQLKit

/// AWX's object roles: each role-bearing object owns a set of roles; holding a parent role
/// implies holding the child (admin ⇒ use ⇒ read). Parents may be the object's own roles,
/// roles of a related object (its organization) or the system singletons.
enum RoleGraph {
    enum Parent {
        case own(String)
        case related(field: String, contentType: String, role: String)
        case system(String)
    }

    struct RoleSpec {
        let field: String
        let parents: [Parent]
    }

    static let organizationRoles: [RoleSpec] = {
        let sub = ["execute_role", "project_admin_role", "inventory_admin_role", "credential_admin_role", "job_template_admin_role",
                   "workflow_admin_role", "notification_admin_role", "execution_environment_admin_role", "approval_role"]
        var specs: [RoleSpec] = [
            RoleSpec(field: "admin_role", parents: [.system("system_administrator")]),
            RoleSpec(field: "auditor_role", parents: [.system("system_auditor")]),
            RoleSpec(field: "member_role", parents: [.own("admin_role")]),
        ]
        for role in sub { specs.append(RoleSpec(field: role, parents: [.own("admin_role")])) }
        var readParents: [Parent] = [.own("member_role"), .own("auditor_role")]
        for role in sub { readParents.append(.own(role)) }
        specs.append(RoleSpec(field: "read_role", parents: readParents))
        return specs
    }()

    static func org(_ role: String) -> Parent { .related(field: "organization_id", contentType: "organization", role: role) }

    static let specs: [String: [RoleSpec]] = [
        "organization": organizationRoles,
        "team": [
            RoleSpec(field: "admin_role", parents: [org("admin_role")]),
            RoleSpec(field: "member_role", parents: [.own("admin_role")]),
            RoleSpec(field: "read_role", parents: [.own("admin_role"), .own("member_role"), org("auditor_role")]),
        ],
        "inventory": [
            RoleSpec(field: "admin_role", parents: [org("inventory_admin_role")]),
            RoleSpec(field: "update_role", parents: [.own("admin_role")]),
            RoleSpec(field: "adhoc_role", parents: [.own("admin_role")]),
            RoleSpec(field: "use_role", parents: [.own("adhoc_role")]),
            RoleSpec(field: "read_role", parents: [org("auditor_role"), .own("update_role"), .own("use_role"), .own("admin_role")]),
        ],
        "project": [
            RoleSpec(field: "admin_role", parents: [org("project_admin_role")]),
            RoleSpec(field: "use_role", parents: [.own("admin_role")]),
            RoleSpec(field: "update_role", parents: [.own("admin_role")]),
            RoleSpec(field: "read_role", parents: [org("auditor_role"), .own("use_role"), .own("update_role")]),
        ],
        "credential": [
            RoleSpec(field: "admin_role", parents: [org("credential_admin_role")]),
            RoleSpec(field: "use_role", parents: [.own("admin_role")]),
            RoleSpec(field: "read_role", parents: [.own("use_role"), org("auditor_role")]),
        ],
        "job_template": [
            RoleSpec(field: "admin_role", parents: [org("job_template_admin_role")]),
            RoleSpec(field: "execute_role", parents: [.own("admin_role"), org("execute_role")]),
            RoleSpec(field: "read_role", parents: [org("auditor_role"), .own("execute_role"), .own("admin_role")]),
        ],
        "instance_group": [
            RoleSpec(field: "admin_role", parents: [.system("system_administrator")]),
            RoleSpec(field: "use_role", parents: [.own("admin_role")]),
            RoleSpec(field: "read_role", parents: [.own("use_role")]),
        ],
    ]

    static let displayNames: [String: String] = [
        "admin_role": "Admin", "auditor_role": "Auditor", "member_role": "Member", "read_role": "Read", "use_role": "Use",
        "update_role": "Update", "adhoc_role": "Ad Hoc", "execute_role": "Execute", "approval_role": "Approve",
        "project_admin_role": "Project Admin", "inventory_admin_role": "Inventory Admin", "credential_admin_role": "Credential Admin",
        "job_template_admin_role": "Job Template Admin", "workflow_admin_role": "Workflow Admin",
        "notification_admin_role": "Notification Admin", "execution_environment_admin_role": "Execution Environment Admin",
        "system_administrator": "System Administrator", "system_auditor": "System Auditor",
    ]

    static func description(_ role: String, contentType: String) -> String {
        let noun = contentType.replacingOccurrences(of: "_", with: " ")
        switch role {
        case "admin_role": return "Can manage all aspects of the \(noun)"
        case "auditor_role": return "Can view all aspects of the \(noun)"
        case "member_role": return "User is a member of the \(noun)"
        case "read_role": return "May view settings for the \(noun)"
        case "use_role": return "Can use the \(noun) in a job template"
        case "update_role": return "May update the \(noun)"
        case "adhoc_role": return "May run ad hoc commands on the \(noun)"
        case "execute_role": return "May run the \(noun)"
        case "approval_role": return "Can approve or deny a workflow approval node"
        default:
            let what = (displayNames[role] ?? role).replacingOccurrences(of: " Admin", with: "").lowercased()
            return "Can manage all \(what)s of the \(noun)"
        }
    }

    /// Creates the object's roles and links their parents (`relatedIDs`: column → id).
    static func createRoles(_ db: any SQLDatabase, contentType: String, objectID: Int, relatedIDs: [String: Int?]) async throws {
        guard let specs = specs[contentType] else { return }
        var ids: [String: Int] = [:]
        for spec in specs {
            let rows = try await db.rows(SQLQueryString(
                "INSERT INTO object_roles (content_type, object_id, role_field) VALUES (\(bind: contentType), \(bind: objectID), \(bind: spec.field)) RETURNING id"))
            ids[spec.field] = try rows[0].decode(column: "id", as: Int.self)
        }
        try await linkParents(db, contentType: contentType, roleIDs: ids, relatedIDs: relatedIDs)
    }

    /// Re-points the object's inherited parents after a related object changed (an
    /// inventory moved to another organization).
    static func relinkParents(_ db: any SQLDatabase, contentType: String, objectID: Int, relatedIDs: [String: Int?]) async throws {
        let rows = try await db.rows(SQLQueryString(
            "SELECT id, role_field FROM object_roles WHERE content_type = \(bind: contentType) AND object_id = \(bind: objectID)"))
        var ids: [String: Int] = [:]
        for row in rows { ids[try row.decode(column: "role_field", as: String.self)] = try row.decode(column: "id", as: Int.self) }
        guard !ids.isEmpty else {
            return try await createRoles(db, contentType: contentType, objectID: objectID, relatedIDs: relatedIDs)
        }
        for id in ids.values {
            // Only implicit links are rebuilt; team grants (team member roles as parents) stay.
            try await db.raw("""
                DELETE FROM role_parents WHERE role_id = \(bind: id) AND parent_id IN (
                  SELECT id FROM object_roles WHERE content_type <> 'team' OR role_field <> 'member_role'
                  OR object_id = \(bind: contentType == "team" ? objectID : -1))
                """).run()
        }
        try await linkParents(db, contentType: contentType, roleIDs: ids, relatedIDs: relatedIDs)
    }

    private static func linkParents(_ db: any SQLDatabase, contentType: String, roleIDs: [String: Int], relatedIDs: [String: Int?]) async throws {
        for spec in specs[contentType] ?? [] {
            guard let roleID = roleIDs[spec.field] else { continue }
            for parent in spec.parents {
                var parentID: Int?
                switch parent {
                case .own(let field): parentID = roleIDs[field]
                case .system(let field):
                    parentID = try await db.rows(SQLQueryString(
                        "SELECT id FROM object_roles WHERE content_type = 'system' AND role_field = \(bind: field)")).first?.decode(column: "id", as: Int.self)
                case .related(let column, let relatedType, let field):
                    guard let relatedID = relatedIDs[column] ?? nil else { continue }
                    parentID = try await db.rows(SQLQueryString(
                        "SELECT id FROM object_roles WHERE content_type = \(bind: relatedType) AND object_id = \(bind: relatedID) AND role_field = \(bind: field)"))
                        .first?.decode(column: "id", as: Int.self)
                }
                if let parentID {
                    try await db.raw("INSERT INTO role_parents (role_id, parent_id) VALUES (\(bind: roleID), \(bind: parentID)) ON CONFLICT DO NOTHING").run()
                }
            }
        }
    }

    static func deleteRoles(_ db: any SQLDatabase, contentType: String, objectID: Int) async throws {
        try await db.raw("DELETE FROM object_roles WHERE content_type = \(bind: contentType) AND object_id = \(bind: objectID)").run()
    }

    /// SQL selecting the ids of roles `userID` holds, directly or through parents.
    static func heldRoles(userID: Int) -> SQLFragment {
        var fragment = SQLFragment("""
            WITH RECURSIVE held(id) AS (SELECT rm.role_id FROM role_members rm WHERE rm.user_id = 
            """)
        fragment.bind(.int(userID))
        fragment.append(" UNION SELECT rp.role_id FROM role_parents rp JOIN held h ON rp.parent_id = h.id) SELECT id FROM held")
        return fragment
    }

    /// SQL selecting ids of `contentType` objects on which `userID` holds `roleField`.
    static func accessibleObjects(userID: Int, contentType: String, roleField: String) -> SQLFragment {
        var fragment = SQLFragment("SELECT ro.object_id FROM object_roles ro WHERE ro.content_type = ")
        fragment.bind(.string(contentType))
        fragment.append(" AND ro.role_field = ")
        fragment.bind(.string(roleField))
        fragment.append(" AND ro.id IN (")
        fragment.append(heldRoles(userID: userID))
        fragment.append(")")
        return fragment
    }
}
