import Foundation
import SQLKit

extension Controller {
    /// `/roles/`, `/roles/N/users|teams/`, `/users/N/roles/`, `/teams/N/roles/`,
    /// `/<resource>/N/object_roles/`, team and organization membership lists.
    func registerRoleRoutes() {
        let d = ResourceCatalog.self
        router.add(.get, "v2/roles/") { context in
            _ = try context.requireUser()
            return .json(try await RoleViews(context: context).list(condition: SQLFragment("r.content_type <> 'system'")))
        }
        router.add(.get, "v2/roles/{id}/") { context in
            let id = try context.intParameter("id")
            guard let role = try await RoleViews(context: context).roles(SQLFragment("r.id = ") + RoleViews.bind(id)).first else { throw APIError.notFound }
            return .json(role)
        }
        router.add(.get, "v2/roles/{id}/users/") { context in
            let id = try context.intParameter("id")
            var scope = SQLFragment("t0.id IN (SELECT user_id FROM role_members WHERE role_id = ")
            scope.bind(.int(id)); scope.append(")")
            return .json(try await ResourceReader(context: context, descriptor: d.users).list(scope: scope))
        }
        router.add(.post, "v2/roles/{id}/users/") { context in
            let roleID = try context.intParameter("id")
            let input = try context.request.jsonObjectBody()
            guard let userID = input["id"]?.intValue else { throw APIError.badRequest("\"id\" field must be an integer.") }
            try await RoleViews(context: context).change(roleID: roleID, userID: userID, remove: RoleViews.isDisassociate(input))
            return .noContent
        }
        router.add(.get, "v2/roles/{id}/teams/") { context in
            let id = try context.intParameter("id")
            var scope = SQLFragment("t0.id IN (SELECT r.object_id FROM object_roles r JOIN role_parents p ON p.parent_id = r.id WHERE r.content_type = 'team' AND r.role_field = 'member_role' AND p.role_id = ")
            scope.bind(.int(id)); scope.append(")")
            return .json(try await ResourceReader(context: context, descriptor: d.teams).list(scope: scope))
        }
        router.add(.post, "v2/roles/{id}/teams/") { context in
            let roleID = try context.intParameter("id")
            let input = try context.request.jsonObjectBody()
            guard let teamID = input["id"]?.intValue else { throw APIError.badRequest("\"id\" field must be an integer.") }
            try await RoleViews(context: context).changeTeam(roleID: roleID, teamID: teamID, remove: RoleViews.isDisassociate(input))
            return .noContent
        }
        router.add(.get, "v2/users/{id}/roles/") { context in
            let id = try await context.resolveID(d.users)
            _ = try await ResourceReader(context: context, descriptor: d.users).require(id)
            return .json(try await RoleViews(context: context).list(condition: SQLFragment("r.id IN (SELECT role_id FROM role_members WHERE user_id = ") + RoleViews.bind(id) + SQLFragment(")")))
        }
        router.add(.post, "v2/users/{id}/roles/") { context in
            let userID = try await context.resolveID(d.users)
            _ = try await ResourceReader(context: context, descriptor: d.users).require(userID)
            let input = try context.request.jsonObjectBody()
            guard let roleID = input["id"]?.intValue else { throw APIError.badRequest("\"id\" field must be an integer.") }
            try await RoleViews(context: context).change(roleID: roleID, userID: userID, remove: RoleViews.isDisassociate(input))
            return .noContent
        }
        router.add(.get, "v2/teams/{id}/roles/") { context in
            let id = try await context.resolveID(d.teams)
            _ = try await ResourceReader(context: context, descriptor: d.teams).require(id)
            // As AWX's TeamRolesList: the team's own read role (implied by membership) is not listed.
            let condition = SQLFragment("r.id IN (SELECT p.role_id FROM role_parents p JOIN object_roles m ON m.id = p.parent_id WHERE m.content_type = 'team' AND m.role_field = 'member_role' AND m.object_id = ") + RoleViews.bind(id)
                + SQLFragment(") AND NOT (r.content_type = 'team' AND r.role_field = 'read_role' AND r.object_id = ") + RoleViews.bind(id) + SQLFragment(")")
            return .json(try await RoleViews(context: context).list(condition: condition))
        }
        router.add(.post, "v2/teams/{id}/roles/") { context in
            let teamID = try await context.resolveID(d.teams)
            _ = try await ResourceReader(context: context, descriptor: d.teams).require(teamID)
            let input = try context.request.jsonObjectBody()
            guard let roleID = input["id"]?.intValue else { throw APIError.badRequest("\"id\" field must be an integer.") }
            try await RoleViews(context: context).changeTeam(roleID: roleID, teamID: teamID, remove: RoleViews.isDisassociate(input))
            return .noContent
        }
        for descriptor in ResourceCatalog.all where descriptor.roleContentType != nil {
            let contentType = descriptor.roleContentType!
            router.add(.get, "v2/\(descriptor.name)/{id}/object_roles/") { context in
                let id = try await context.resolveID(descriptor)
                _ = try await ResourceReader(context: context, descriptor: descriptor).require(id)
                var condition = SQLFragment("r.content_type = ")
                condition.bind(.string(contentType)); condition.append(" AND r.object_id = "); condition.bind(.int(id))
                return .json(try await RoleViews(context: context).list(condition: condition))
            }
        }
        // Membership lists: a POST {"id": user} grants the role, with "disassociate" revokes.
        for (descriptor, path, role) in [(d.teams, "users", "member_role"), (d.organizations, "users", "member_role"),
                                         (d.organizations, "admins", "admin_role")] {
            let contentType = descriptor.roleContentType!
            router.add(.get, "v2/\(descriptor.name)/{id}/\(path)/") { context in
                let id = try await context.resolveID(descriptor)
                _ = try await ResourceReader(context: context, descriptor: descriptor).require(id)
                var scope = SQLFragment("t0.id IN (SELECT rm.user_id FROM role_members rm JOIN object_roles r ON r.id = rm.role_id WHERE r.content_type = ")
                scope.bind(.string(contentType)); scope.append(" AND r.role_field = "); scope.bind(.string(role))
                scope.append(" AND r.object_id = "); scope.bind(.int(id)); scope.append(")")
                return .json(try await ResourceReader(context: context, descriptor: d.users).list(scope: scope))
            }
            router.add(.post, "v2/\(descriptor.name)/{id}/\(path)/") { context in
                let id = try await context.resolveID(descriptor)
                _ = try await ResourceReader(context: context, descriptor: descriptor).require(id)
                let input = try context.request.jsonObjectBody()
                guard let userID = input["id"]?.intValue else { throw APIError.badRequest("\"id\" field must be an integer.") }
                guard let roleID = try await context.database.withConnection({ db in
                    try await RoleGrants.roleID(db, contentType: contentType, objectID: id, role: role)
                }) else { throw APIError.notFound }
                try await RoleViews(context: context).change(roleID: roleID, userID: userID, remove: RoleViews.isDisassociate(input))
                return .noContent
            }
        }
    }
}

/// Role objects as AWX serializes them, and granting/revoking with permission checks.
struct RoleViews {
    let context: APIContext

    static func bind(_ id: Int) -> SQLFragment { var f = SQLFragment(); f.bind(.int(id)); return f }

    static func isDisassociate(_ input: JSONObject) -> Bool {
        guard let value = input["disassociate"] else { return false }
        return value == .bool(true) || value == .int(1) || value == .string("true") || value == .string("True")
    }

    static let resourceNames: [String: String] = [
        "organization": "organizations", "team": "teams", "inventory": "inventories", "project": "projects",
        "credential": "credentials", "job_template": "job_templates", "instance_group": "instance_groups",
    ]

    func roles(_ condition: SQLFragment, limit: Int = 200, offset: Int = 0) async throws -> [JSON] {
        var query = SQLFragment("SELECT r.id, r.content_type, r.object_id, r.role_field FROM object_roles r WHERE ") + condition
        query.append(" ORDER BY r.id LIMIT \(limit) OFFSET \(offset)")
        var result: [JSON] = []
        for row in try await context.database.all(query) {
            let id = try row.decode(column: "id", as: Int.self)
            let contentType = try row.decode(column: "content_type", as: String.self)
            let objectID = try row.decode(column: "object_id", as: Int?.self)
            let field = try row.decode(column: "role_field", as: String.self)
            var related = JSONObject([("users", .string("/api/v2/roles/\(id)/users/")), ("teams", .string("/api/v2/roles/\(id)/teams/"))])
            var summary = JSONObject()
            if let objectID, let resource = RoleViews.resourceNames[contentType], let descriptor = ResourceCatalog.descriptor(resource) {
                related[contentType] = .string("/api/v2/\(resource)/\(objectID)/")
                let nameColumn = descriptor.hasNameAndDescription ? "name" : (descriptor.namedURL?.fields.first ?? "id")
                let rows = try await context.database.all(SQLQueryString(
                    "SELECT \(unsafeRaw: nameColumn) AS label FROM \(unsafeRaw: "\"\(descriptor.table)\"") WHERE id = \(bind: objectID)"))
                summary["resource_name"] = .nullable(try rows.first?.decode(column: "label", as: String.self))
                summary["resource_type"] = .string(contentType)
                summary["resource_type_display_name"] = .string(descriptor.displayName)
                summary["resource_id"] = .int(objectID)
            }
            result.append(.object(JSONObject([
                ("id", .int(id)), ("type", "role"), ("url", .string("/api/v2/roles/\(id)/")),
                ("related", .object(related)), ("summary_fields", .object(summary)),
                ("name", .string(RoleGraph.displayNames[field] ?? field)),
                ("description", .string(RoleGraph.description(field, contentType: contentType))),
            ])))
        }
        return result
    }

    func list(condition: SQLFragment) async throws -> JSON {
        var pageSize = ResourceReader.defaultPageSize
        if let text = context.request.queryValue("page_size"), let value = Int(text), value > 0 { pageSize = min(value, ResourceReader.maxPageSize) }
        let countRows = try await context.database.all(SQLFragment("SELECT COUNT(*) AS n FROM object_roles r WHERE ") + condition)
        let count = try countRows[0].decode(column: "n", as: Int.self)
        let pages = max(1, (count + pageSize - 1) / pageSize)
        var page = 1
        if let text = context.request.queryValue("page") {
            guard let value = Int(text), value >= 1, value <= pages else { throw APIError(.notFound, detail: "Invalid page.") }
            page = value
        }
        let results = try await roles(condition, limit: pageSize, offset: (page - 1) * pageSize)
        func link(_ p: Int) -> JSON { .string("\(context.request.path)?page=\(p)&page_size=\(pageSize)") }
        return .object(JSONObject([("count", .int(count)), ("next", page < pages ? link(page + 1) : .null),
                                   ("previous", page > 1 ? link(page - 1) : .null), ("results", .array(results))]))
    }

    /// Who may grant or revoke a role: superusers; admins of the role's object (for an
    /// organization role, its admins).
    func requireGrantPermission(roleID: Int) async throws -> (contentType: String, objectID: Int?) {
        let user = try context.requireUser()
        let rows = try await context.database.all(SQLQueryString("SELECT content_type, object_id FROM object_roles WHERE id = \(bind: roleID)"))
        guard let row = rows.first else { throw APIError.notFound }
        let contentType = try row.decode(column: "content_type", as: String.self)
        let objectID = try row.decode(column: "object_id", as: Int?.self)
        if user.isSuperuser { return (contentType, objectID) }
        if contentType == "system" { throw APIError.forbidden() }
        guard try await AccessControl(context: context).holds("admin_role", contentType: contentType, objectID: objectID) else {
            throw APIError.forbidden()
        }
        return (contentType, objectID)
    }

    func change(roleID: Int, userID: Int, remove: Bool) async throws {
        let target = try await requireGrantPermission(roleID: roleID)
        let exists = try await context.database.all(SQLQueryString("SELECT id FROM users WHERE id = \(bind: userID)"))
        if exists.isEmpty { throw APIError.notFound }
        let actor = context.user?.id
        let node = context.controller.configuration.nodeName
        try await context.database.transaction { db in
            if remove {
                try await db.raw("DELETE FROM role_members WHERE role_id = \(bind: roleID) AND user_id = \(bind: userID)").run()
            } else {
                try await db.raw("INSERT INTO role_members (role_id, user_id) VALUES (\(bind: roleID), \(bind: userID)) ON CONFLICT DO NOTHING").run()
            }
            try await ActivityStream.record(db, operation: remove ? "disassociate" : "associate", descriptor: ResourceCatalog.users, id: userID,
                                            changes: ["role": .int(roleID), "content_type": .string(target.contentType), "object_id": .nullable(target.objectID)],
                                            actor: actor, node: node, object2: ("role", roleID), relationship: "user_roles")
        }
    }

    func changeTeam(roleID: Int, teamID: Int, remove: Bool) async throws {
        _ = try await requireGrantPermission(roleID: roleID)
        guard let member = try await context.database.withConnection({ db in
            try await RoleGrants.roleID(db, contentType: "team", objectID: teamID, role: "member_role")
        }) else { throw APIError.notFound }
        if member == roleID { throw APIError.badRequest("A team cannot be granted its own member role.") }
        let actor = context.user?.id
        let node = context.controller.configuration.nodeName
        try await context.database.transaction { db in
            if remove {
                try await db.raw("DELETE FROM role_parents WHERE role_id = \(bind: roleID) AND parent_id = \(bind: member)").run()
            } else {
                try await db.raw("INSERT INTO role_parents (role_id, parent_id) VALUES (\(bind: roleID), \(bind: member)) ON CONFLICT DO NOTHING").run()
            }
            try await ActivityStream.record(db, operation: remove ? "disassociate" : "associate", descriptor: ResourceCatalog.teams, id: teamID,
                                            changes: ["role": .int(roleID)], actor: actor, node: node, object2: ("role", roleID), relationship: "team_roles")
        }
    }
}
