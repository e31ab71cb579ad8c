import Foundation
import SQLKit

extension Controller {
    /// AWX's `access_list/` on every resource with object roles: the users who hold any
    /// role on the object (directly, through a parent role such as the organization's, or
    /// as superuser or system auditor), ordered by username, each a user object whose
    /// `summary_fields` add `direct_access` (roles on this object the user was granted)
    /// and `indirect_access` (roles elsewhere that imply some here), each entry naming the
    /// role and the object's roles it implies (`descendant_roles`).
    func registerAccessListRoutes() {
        for descriptor in ResourceCatalog.all where descriptor.roleContentType != nil {
            let contentType = descriptor.roleContentType!
            router.add(.get, "v2/\(descriptor.name)/{id}/access_list/") { context in
                let id = try await context.resolveID(descriptor)
                let record = try await ResourceReader(context: context, descriptor: descriptor).require(id)
                let canManage = try await AccessControl(context: context).canChange(descriptor, record: record)
                return .json(try await AccessList(context: context, contentType: contentType, objectID: id, canManage: canManage).page())
            }
        }
    }
}

struct AccessList {
    let context: APIContext
    let contentType: String
    let objectID: Int
    /// Whether the requester may revoke roles here (AWX's `user_capabilities.unattach`).
    let canManage: Bool

    /// Ids of the object's own roles and of every role above them.
    private var ancestorRoles: SQLFragment {
        SQLFragment("WITH RECURSIVE anc(id) AS (SELECT id FROM object_roles WHERE content_type = ") + AccessList.bind(.string(contentType))
            + SQLFragment(" AND object_id = ") + AccessList.bind(.int(objectID))
            + SQLFragment(" UNION SELECT rp.parent_id FROM role_parents rp JOIN anc a ON rp.role_id = a.id) SELECT id FROM anc")
    }

    func page() async throws -> JSON {
        let scope = SQLFragment("(t0.id IN (SELECT rm.user_id FROM role_members rm WHERE rm.role_id IN (") + ancestorRoles
            + SQLFragment(")) OR t0.is_superuser = ") + AccessList.bind(.bool(true)) + SQLFragment(" OR t0.is_system_auditor = ") + AccessList.bind(.bool(true))
            + SQLFragment(")")
        guard case .object(var envelope) = try await ResourceReader(context: context, descriptor: ResourceCatalog.users).list(scope: scope),
              let users = envelope["results"]?.arrayValue else { throw APIError.notFound }
        let own = try await ownRoles()
        var results: [JSON] = []
        for user in users {
            guard case .object(var object) = user, let userID = object["id"]?.intValue else { continue }
            var summary = object["summary_fields"]?.objectValue ?? JSONObject()
            var direct: [JSON] = [], indirect: [JSON] = []
            let held = try await directMemberships(userID: userID)
            let described = held.isEmpty ? [] : try await RoleViews(context: context).roles(
                SQLFragment("r.id IN (\(held.map(String.init).joined(separator: ", ")))"))
            var teamEntries: [JSON] = []
            for role in described {
                guard let roleID = role["id"]?.intValue else { continue }
                // A role held through a team: AWX lists the roles granted to the team, as
                // direct access naming the team, rather than the team's own role.
                if let summary = role["summary_fields"], summary["resource_type"] == "team",
                   let teamID = summary["resource_id"]?.intValue, !(contentType == "team" && teamID == objectID) {
                    teamEntries += try await teamGrants(teamID: teamID, own: own)
                    continue
                }
                let implied = own.filter { $0.ancestors.contains(roleID) }.map { JSON.string($0.field) }
                let entry: JSON = .object(JSONObject([("role", AccessList.roleSummary(role, unattach: canManage)), ("descendant_roles", .array(implied))]))
                if own.contains(where: { $0.id == roleID }) { direct.append(entry) } else { indirect.append(entry) }
            }
            direct += teamEntries
            if object["is_superuser"] == .bool(true) {
                indirect.append(AccessList.systemEntry("System Administrator", "Can manage all aspects of the system", own.map { .string($0.field) }))
            } else if object["is_system_auditor"] == .bool(true) {
                indirect.append(AccessList.systemEntry("System Auditor", "Can view all aspects of the system", ["read_role"]))
            }
            summary["direct_access"] = .array(direct)
            summary["indirect_access"] = .array(indirect)
            object["summary_fields"] = .object(summary)
            results.append(.object(object))
        }
        envelope["results"] = .array(results)
        return .object(envelope)
    }

    /// The object's roles, each with the ids of the roles that grant it (itself included).
    private func ownRoles() async throws -> [(id: Int, field: String, ancestors: Set<Int>)] {
        let rows = try await context.database.all(SQLFragment("SELECT id, role_field FROM object_roles WHERE content_type = ")
                                                  + AccessList.bind(.string(contentType)) + SQLFragment(" AND object_id = ") + AccessList.bind(.int(objectID))
                                                  + SQLFragment(" ORDER BY id"))
        var result: [(id: Int, field: String, ancestors: Set<Int>)] = []
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self)
            let above = try await context.database.all(
                SQLFragment("WITH RECURSIVE anc(id) AS (SELECT ") + AccessList.bind(.int(id))
                + SQLFragment(" UNION SELECT rp.parent_id FROM role_parents rp JOIN anc a ON rp.role_id = a.id) SELECT id FROM anc"))
            result.append((id, try row.decode(column: "role_field", as: String.self), Set(try above.map { try $0.decode(column: "id", as: Int.self) })))
        }
        return result
    }

    /// The roles granted to a team (children of its member role) that reach this object,
    /// each as AWX's team entry: the role with `team_id`, `team_name` and
    /// `team_organization_name`, and the object's roles it implies.
    private func teamGrants(teamID: Int, own: [(id: Int, field: String, ancestors: Set<Int>)]) async throws -> [JSON] {
        let team = try await context.database.all(SQLQueryString("""
            SELECT t.name AS name, o.name AS organization FROM teams t JOIN organizations o ON o.id = t.organization_id WHERE t.id = \(bind: teamID)
            """)).first
        let teamName = try team?.decode(column: "name", as: String.self) ?? ""
        let organizationName = try team?.decode(column: "organization", as: String.self) ?? ""
        let granted = try await context.database.all(
            SQLFragment("SELECT rp.role_id AS id FROM role_parents rp JOIN object_roles m ON m.id = rp.parent_id WHERE m.content_type = 'team' AND m.object_id = ")
            + AccessList.bind(.int(teamID)) + SQLFragment(" AND m.role_field = 'member_role' AND rp.role_id IN (") + ancestorRoles
            + SQLFragment(") ORDER BY rp.role_id")).map { try $0.decode(column: "id", as: Int.self) }
        guard !granted.isEmpty else { return [] }
        let described = try await RoleViews(context: context).roles(SQLFragment("r.id IN (\(granted.map(String.init).joined(separator: ", ")))"))
        return described.compactMap { role -> JSON? in
            guard let roleID = role["id"]?.intValue, case .object(var entry) = AccessList.roleSummary(role, unattach: canManage) else { return nil }
            entry["team_id"] = .int(teamID)
            entry["team_name"] = .string(teamName)
            entry["team_organization_name"] = .string(organizationName)
            let implied = own.filter { $0.ancestors.contains(roleID) }.map { JSON.string($0.field) }
            return .object(JSONObject([("role", .object(entry)), ("descendant_roles", .array(implied))]))
        }
    }

    /// Roles the user was granted directly that reach this object.
    private func directMemberships(userID: Int) async throws -> [Int] {
        let rows = try await context.database.all(SQLFragment("SELECT role_id FROM role_members WHERE user_id = ") + AccessList.bind(.int(userID))
                                                  + SQLFragment(" AND role_id IN (") + ancestorRoles + SQLFragment(") ORDER BY role_id"))
        return try rows.map { try $0.decode(column: "role_id", as: Int.self) }
    }

    /// AWX's role entry: id, name, description, the resource it belongs to and its link.
    static func roleSummary(_ role: JSON, unattach: Bool) -> JSON {
        var entry = JSONObject([("id", role["id"] ?? .null), ("name", role["name"] ?? .null), ("description", role["description"] ?? .null)])
        if let summary = role["summary_fields"]?.objectValue, let type = summary["resource_type"]?.stringValue {
            entry["resource_name"] = summary["resource_name"] ?? .null
            entry["resource_type"] = .string(type)
            if let link = role["related"]?[type] { entry["related"] = .object(JSONObject([(type, link)])) }
        }
        entry["user_capabilities"] = .object(JSONObject([("unattach", .bool(unattach))]))
        return .object(entry)
    }

    static func bind(_ value: SQLValue) -> SQLFragment {
        var fragment = SQLFragment()
        fragment.bind(value)
        return fragment
    }

    static func systemEntry(_ name: String, _ description: String, _ roles: [JSON]) -> JSON {
        .object(JSONObject([
            ("role", .object(JSONObject([("id", .null), ("name", .string(name)), ("description", .string(description)),
                                         ("user_capabilities", ["unattach": false])]))),
            ("descendant_roles", .array(roles)),
        ]))
    }
}
