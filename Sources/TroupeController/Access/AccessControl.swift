import SQLKit

/// Who may see and change what, as AWX's access rules (simplified to the roles Troupe has).
/// Read rules are SQL conditions so lists are filtered in the database.
struct AccessControl {
    let context: APIContext

    var user: AuthenticatedUser? { context.user }

    /// The condition restricting `descriptor`'s rows (aliased `alias`) to what the user
    /// may read; nil when everything is visible.
    func readCondition(_ descriptor: ResourceDescriptor, alias: String) -> SQLFragment? {
        guard let user, !user.readsEverything else { return nil }
        func objects(_ contentType: String, _ role: String = "read_role") -> SQLFragment {
            RoleGraph.accessibleObjects(userID: user.id, contentType: contentType, roleField: role)
        }
        switch descriptor.name {
        case "credential_types", "instance_groups":
            return nil
        case "hosts", "groups", "inventory_sources":
            return SQLFragment("\(alias).inventory_id IN (") + objects("inventory") + SQLFragment(")")
        case "users":
            var fragment = SQLFragment("\(alias).id = ")
            fragment.bind(.int(user.id))
            fragment.append(" OR \(alias).id IN (SELECT rm.user_id FROM role_members rm JOIN object_roles r ON r.id = rm.role_id WHERE r.content_type = 'organization' AND r.object_id IN (")
            fragment.append(objects("organization"))
            fragment.append("))")
            return fragment
        case "applications":
            // AWX: the applications of the organizations the user is a member of.
            return SQLFragment("\(alias).organization_id IN (") + objects("organization", "member_role") + SQLFragment(")")
        case "tokens":
            var fragment = SQLFragment("\(alias).user_id = ")
            fragment.bind(.int(user.id))
            return fragment
        case "activity_stream":
            var fragment = SQLFragment("\(alias).actor_id = ")
            fragment.bind(.int(user.id))
            return fragment
        default:
            guard let contentType = descriptor.roleContentType else { return nil }
            return SQLFragment("\(alias).id IN (") + objects(contentType) + SQLFragment(")")
        }
    }

    /// Whether the user holds `roleField` on the object.
    func holds(_ roleField: String, contentType: String, objectID: Int?) async throws -> Bool {
        guard let user else { return false }
        if user.isSuperuser { return true }
        guard let objectID else { return false }
        var query = SQLFragment("SELECT 1 AS ok FROM object_roles ro WHERE ro.content_type = ")
        query.bind(.string(contentType))
        query.append(" AND ro.object_id = ")
        query.bind(.int(objectID))
        query.append(" AND ro.role_field = ")
        query.bind(.string(roleField))
        query.append(" AND ro.id IN (")
        query.append(RoleGraph.heldRoles(userID: user.id))
        query.append(")")
        return try await !context.database.all(query).isEmpty
    }

    func require(_ allowed: Bool) throws {
        if !allowed { throw APIError.forbidden() }
    }

    /// May the user create an object with these values?
    func canCreate(_ descriptor: ResourceDescriptor, values: [String: JSON]) async throws -> Bool {
        guard let user else { return false }
        if user.isSuperuser { return true }
        let organization = values["organization"]?.intValue
        let inventory = values["inventory"]?.intValue
        switch descriptor.name {
        case "teams", "applications": return try await holds("admin_role", contentType: "organization", objectID: organization)
        case "inventories": return try await holds("inventory_admin_role", contentType: "organization", objectID: organization)
        case "projects": return try await holds("project_admin_role", contentType: "organization", objectID: organization)
        case "credentials":
            if let organization { return try await holds("credential_admin_role", contentType: "organization", objectID: organization) }
            return values["user"]?.intValue == user.id || values["user"] == nil
        case "hosts", "groups", "inventory_sources":
            return try await holds("admin_role", contentType: "inventory", objectID: inventory)
        case "job_templates":
            let project = values["project"]?.intValue
            guard try await holds("use_role", contentType: "project", objectID: project) else { return false }
            if let inventory { return try await holds("use_role", contentType: "inventory", objectID: inventory) }
            return true
        case "tokens": return true
        default: return false
        }
    }

    /// May the user change (or delete) this object?
    func canChange(_ descriptor: ResourceDescriptor, record: Record, delete: Bool = false) async throws -> Bool {
        guard let user else { return false }
        if user.isSuperuser { return true }
        switch descriptor.name {
        case "users": return !delete && record.id == user.id
        case "tokens": return record.int("user") == user.id
        case "applications": return try await holds("admin_role", contentType: "organization", objectID: record.int("organization"))
        case "hosts", "groups", "inventory_sources":
            return try await holds("admin_role", contentType: "inventory", objectID: record.int("inventory"))
        case "credential_types", "instance_groups", "activity_stream": return false
        default:
            guard let contentType = descriptor.roleContentType else { return false }
            return try await holds("admin_role", contentType: contentType, objectID: record.id)
        }
    }
}
