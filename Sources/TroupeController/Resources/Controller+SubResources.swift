import Foundation
import HTTPTypes
import SQLKit

extension Controller {
    /// Scoped sub-lists (`/inventories/1/hosts/`), association endpoints
    /// (`/groups/1/children/` with `{"id": N}` / `{"id": N, "disassociate": true}`),
    /// `variable_data`, the inventory `script`, project playbooks, activity per object.
    func registerCoreSubResources() {
        let d = ResourceCatalog.self
        // Children owned through a foreign key: list scoped, POST creates with the parent set.
        for (parent, child, column) in [
            (d.organizations, d.inventories, "organization"), (d.organizations, d.projects, "organization"),
            (d.organizations, d.teams, "organization"), (d.organizations, d.job_templatesAlias, "organization"),
            (d.organizations, d.credentials, "organization"),
            (d.inventories, d.hosts, "inventory"), (d.inventories, d.groups, "inventory"),
            (d.inventories, d.inventorySources, "inventory"), (d.inventories, d.job_templatesAlias, "inventory"),
            (d.projects, d.job_templatesAlias, "project"), (d.credentialTypes, d.credentials, "credential_type"),
            (d.users, d.tokens, "user"), (d.applications, d.tokens, "application"),
            (d.organizations, d.applications, "organization"),
        ] {
            registerOwnedList(parent: parent, child: child, field: column)
        }
        registerOwnedList(parent: d.users, child: d.tokens, field: "user", path: "personal_tokens")
        // Many-to-many associations.
        registerAssociation(parent: d.groups, child: d.hosts, path: "hosts", table: "group_hosts", parentColumn: "group_id", childColumn: "host_id")
        registerAssociation(parent: d.groups, child: d.groups, path: "children", table: "group_children", parentColumn: "parent_id", childColumn: "child_id")
        registerAssociation(parent: d.hosts, child: d.groups, path: "groups", table: "group_hosts", parentColumn: "host_id", childColumn: "group_id")
        registerAssociation(parent: d.jobTemplates, child: d.credentials, path: "credentials", table: "job_template_credentials",
                            parentColumn: "job_template_id", childColumn: "credential_id")
        registerInventoryViews()
        registerVariableData(d.inventories)
        registerVariableData(d.hosts)
        registerVariableData(d.groups)
        for descriptor in ResourceCatalog.all where descriptor.relatedPaths.contains("activity_stream") {
            router.add(.get, "v2/\(descriptor.name)/{id}/activity_stream/") { context in
                let id = try await context.resolveID(descriptor)
                _ = try await ResourceReader(context: context, descriptor: descriptor).require(id)
                var scope = SQLFragment("t0.object1 = ")
                scope.bind(.string(descriptor.type))
                scope.append(" AND t0.object1_id = ")
                scope.bind(.int(id))
                return .json(try await ResourceReader(context: context, descriptor: d.activityStream).list(scope: scope))
            }
        }
        for path in ["playbooks", "inventory_files"] {
            router.add(.get, "v2/projects/{id}/\(path)/") { context in
                let finder = path == "playbooks" ? ProjectBehavior.playbooks(in:) : ProjectBehavior.inventoryFiles(in:)
                let id = try await context.resolveID(d.projects)
                let record = try await ResourceReader(context: context, descriptor: d.projects).require(id)
                let directory = context.controller.configuration.projectsDirectory.appendingPathComponent(record.string("local_path") ?? "")
                return .json(.array(finder(directory).map(JSON.string)))
            }
        }
    }

    func registerOwnedList(parent: ResourceDescriptor, child: ResourceDescriptor, field: String, path: String? = nil) {
        let route = "v2/\(parent.name)/{id}/\(path ?? child.name)/"
        router.add(.get, route) { context in
            let id = try await context.resolveID(parent)
            _ = try await ResourceReader(context: context, descriptor: parent).require(id)
            var scope = SQLFragment(child.field(field)!.sql(alias: "t0")! + " = ")
            scope.bind(.int(id))
            return .json(try await ResourceReader(context: context, descriptor: child).list(scope: scope))
        }
        router.add(.options, route) { context in try await ResourceOptions(context: context, descriptor: child).list() }
        if child.allowsCreate {
            router.add(.post, route) { context in
                let id = try await context.resolveID(parent)
                _ = try await ResourceReader(context: context, descriptor: parent).require(id)
                if child.name == "tokens" {
                    // An application's tokens belong to the caller; a user's to that user.
                    if parent.name == "applications" {
                        return try await Controller.createToken(context, userID: try context.requireUser().id, applicationID: id)
                    }
                    return try await Controller.createToken(context, userID: id)
                }
                return try await Controller.create(context, child, preset: [field: .int(id)])
            }
        }
    }

    /// `GET` lists the associated children; `POST {"id": N}` associates,
    /// `{"id": N, "disassociate": true}` removes, a body without `id` creates and associates.
    func registerAssociation(parent: ResourceDescriptor, child: ResourceDescriptor, path: String, table: String,
                             parentColumn: String, childColumn: String) {
        let route = "v2/\(parent.name)/{id}/\(path)/"
        router.add(.get, route) { context in
            let id = try await context.resolveID(parent)
            _ = try await ResourceReader(context: context, descriptor: parent).require(id)
            var scope = SQLFragment("t0.id IN (SELECT \"\(childColumn)\" FROM \"\(table)\" WHERE \"\(parentColumn)\" = ")
            scope.bind(.int(id))
            scope.append(")")
            return .json(try await ResourceReader(context: context, descriptor: child).list(scope: scope))
        }
        router.add(.options, route) { context in try await ResourceOptions(context: context, descriptor: child).list(attach: true) }
        router.add(.post, route) { context in
            let parentID = try await context.resolveID(parent)
            let parentRecord = try await ResourceReader(context: context, descriptor: parent).require(parentID)
            guard try await AccessControl(context: context).canChange(parent, record: parentRecord) else { throw APIError.forbidden() }
            let input = try context.request.jsonObjectBody()
            guard let idValue = input["id"] else {
                var preset: [String: JSON] = [:]
                if child.field("inventory") != nil, let inventory = parentRecord.int("inventory") { preset["inventory"] = .int(inventory) }
                let response = try await Controller.create(context, child, preset: preset)
                if case .json(let object) = response.body, let childID = object["id"]?.intValue {
                    try await Controller.associate(context, parent: parent, parentID: parentID, child: child, childID: childID,
                                                   table: table, parentColumn: parentColumn, childColumn: childColumn, remove: false)
                }
                return response
            }
            guard let childID = idValue.intValue else { throw APIError.badRequest("\"id\" field must be an integer.") }
            let remove = (input["disassociate"].map { $0 == .bool(true) || $0 == .int(1) || $0 == .string("true") }) ?? false
            guard try await ResourceReader(context: context, descriptor: child).fetch(childID) != nil else { throw APIError.notFound }
            if !remove, parent.name == "groups", child.name == "groups" {
                try await Controller.checkNoCycle(context, parentID: parentID, childID: childID)
            }
            if !remove, let inventory = parentRecord.int("inventory"), child.field("inventory") != nil {
                let childRecord = try await ResourceReader(context: context, descriptor: child).require(childID)
                if childRecord.int("inventory") != inventory {
                    throw APIError.badRequest("Cannot associate \(child.verboseName) from a different inventory.")
                }
            }
            try await Controller.associate(context, parent: parent, parentID: parentID, child: child, childID: childID,
                                           table: table, parentColumn: parentColumn, childColumn: childColumn, remove: remove)
            return .noContent
        }
    }

    static func associate(_ context: APIContext, parent: ResourceDescriptor, parentID: Int, child: ResourceDescriptor, childID: Int,
                          table: String, parentColumn: String, childColumn: String, remove: Bool) async throws {
        let actor = context.user?.id
        let node = context.controller.configuration.nodeName
        try await context.database.transaction { db in
            if remove {
                try await db.raw("DELETE FROM \(unsafeRaw: "\"\(table)\"") WHERE \(unsafeRaw: "\"\(parentColumn)\"") = \(bind: parentID) AND \(unsafeRaw: "\"\(childColumn)\"") = \(bind: childID)").run()
            } else {
                try await db.raw("INSERT INTO \(unsafeRaw: "\"\(table)\"") (\(unsafeRaw: "\"\(parentColumn)\""), \(unsafeRaw: "\"\(childColumn)\"")) VALUES (\(bind: parentID), \(bind: childID)) ON CONFLICT DO NOTHING").run()
            }
            try await ActivityStream.record(db, operation: remove ? "disassociate" : "associate", descriptor: parent, id: parentID,
                                            changes: .object(JSONObject()), actor: actor, node: node,
                                            object2: (child.type, childID), relationship: "\(parent.type)_\(child.name)")
        }
    }

    /// A group may not become its own ancestor.
    static func checkNoCycle(_ context: APIContext, parentID: Int, childID: Int) async throws {
        if parentID == childID { throw APIError.badRequest("Cyclical Group association.") }
        let rows = try await context.database.all(SQLQueryString("""
            WITH RECURSIVE below(id) AS (SELECT \(bind: childID) UNION SELECT gc.child_id FROM group_children gc JOIN below b ON gc.parent_id = b.id)
            SELECT id FROM below WHERE id = \(bind: parentID)
            """))
        if !rows.isEmpty { throw APIError.badRequest("Cyclical Group association.") }
    }

    func registerVariableData(_ descriptor: ResourceDescriptor) {
        let route = "v2/\(descriptor.name)/{id}/variable_data/"
        router.add(.get, route) { context in
            let id = try await context.resolveID(descriptor)
            let record = try await ResourceReader(context: context, descriptor: descriptor).require(id)
            return .json(.object(VariablesText.object(record.string("variables"))))
        }
        let write: APIHandler = { context in
            let id = try await context.resolveID(descriptor)
            let record = try await ResourceReader(context: context, descriptor: descriptor).require(id)
            guard try await AccessControl(context: context).canChange(descriptor, record: record) else { throw APIError.forbidden() }
            let body = try context.request.jsonObjectBody()
            try await ResourceWriter(context: context, descriptor: descriptor).update(record, values: ["variables": .string(JSON.object(body).serialized())], input: body)
            return .json(.object(body))
        }
        router.add(.put, route, write)
        router.add(.patch, route, write)
    }
}

extension ResourceCatalog {
    /// Job templates under another resource (`/projects/1/job_templates/`).
    static var job_templatesAlias: ResourceDescriptor { jobTemplates }
}
