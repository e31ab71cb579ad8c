import Foundation
import SQLKit

extension Controller {
    /// AWX's `copy/` on inventories, projects, credentials and job templates:
    /// `GET` answers `{"can_copy": bool}`, `POST {"name": …}` creates the copy (201 with
    /// the new object). As in AWX's `CopyAPIView`, the copy takes every writable field of
    /// the original; credentials keep their secrets (copied still encrypted), job
    /// templates their credentials, inventories their hosts, groups and group links.
    func registerCopyRoutes() {
        let d = ResourceCatalog.self
        for descriptor in [d.inventories, d.projects, d.credentials, d.jobTemplates] {
            let route = "v2/\(descriptor.name)/{id}/copy/"
            router.add(.get, route) { context in
                let id = try await context.resolveID(descriptor)
                let original = try await ResourceReader(context: context, descriptor: descriptor).require(id)
                let values = ObjectCopy(descriptor: descriptor).values(of: original, name: original.string("name") ?? "")
                let allowed = try await AccessControl(context: context).canCreate(descriptor, values: values)
                return .json(["can_copy": .bool(allowed)])
            }
            router.add(.post, route) { context in
                _ = try context.requireUser()
                let id = try await context.resolveID(descriptor)
                let original = try await ResourceReader(context: context, descriptor: descriptor).require(id)
                let input = try context.request.jsonObjectBody()
                guard let name = input["name"]?.stringValue, !name.isEmpty else {
                    throw APIError.validation("name", input["name"] == nil ? "This field is required." : "This field may not be blank.")
                }
                if name == original.string("name") {
                    throw APIError.validation("non_field_errors", "The original object is already named \(name), a copy from it cannot have the same name.")
                }
                let copier = ObjectCopy(descriptor: descriptor)
                let values = copier.values(of: original, name: name)
                guard try await AccessControl(context: context).canCreate(descriptor, values: values) else { throw APIError.forbidden() }
                let writer = ResourceWriter(context: context, descriptor: descriptor)
                try await writer.checkUnique(values, existing: nil)
                let newID = try await writer.insert(values, input: JSONObject())
                try await copier.copyDependents(from: original.id, to: newID, database: context.database)
                return try await Controller.createdResponse(context, descriptor, id: newID)
            }
        }
    }
}

/// What a copy carries over from the original.
struct ObjectCopy {
    let descriptor: ResourceDescriptor

    /// Stored values of the writable fields, with the new name. A git project's checkout
    /// directory is not shared: it gets its own `local_path` and must be synced again.
    func values(of original: Record, name: String) -> [String: JSON] {
        var values: [String: JSON] = [:]
        for field in descriptor.fields where !field.readOnly && !field.writeOnly && field.column != nil {
            if let value = original.values[field.name] { values[field.name] = value }
        }
        values["name"] = .string(name)
        if descriptor.name == "projects" {
            if original.string("scm_type")?.isEmpty == false {
                values["local_path"] = nil
                values["status"] = "never updated"
            } else {
                values["status"] = "successful"
            }
        }
        return values
    }

    func copyDependents(from originalID: Int, to copyID: Int, database: Database) async throws {
        switch descriptor.name {
        case "job_templates":
            try await database.run(SQLFragment("INSERT INTO job_template_credentials (job_template_id, credential_id) SELECT ")
                + ObjectCopy.bind(copyID) + SQLFragment(", credential_id FROM job_template_credentials WHERE job_template_id = ")
                + ObjectCopy.bind(originalID))
        case "inventories":
            try await copyInventoryContents(from: originalID, to: copyID, database: database)
        default:
            break
        }
    }

    /// Hosts and groups are copied row by row (ids map old → new), then the group-host
    /// and parent-child links between the copies, all in one transaction.
    private func copyInventoryContents(from originalID: Int, to copyID: Int, database: Database) async throws {
        let now = Timestamp.now()
        try await database.transaction { db in
            var hostIDs: [Int: Int] = [:], groupIDs: [Int: Int] = [:]
            for (table, columns) in [("hosts", ["name", "description", "enabled", "instance_id", "variables"]),
                                     ("groups", ["name", "description", "variables"])] {
                let quoted = columns.map { "\"\($0)\"" }.joined(separator: ", ")
                let rows = try await db.rows(SQLFragment("SELECT id FROM \"\(table)\" WHERE inventory_id = ") + ObjectCopy.bind(originalID)
                                             + SQLFragment(" ORDER BY id"))
                for row in rows {
                    let oldID = try row.decode(column: "id", as: Int.self)
                    let insert = SQLFragment("INSERT INTO \"\(table)\" (\(quoted), inventory_id, created, modified) SELECT \(quoted), ")
                        + ObjectCopy.bind(copyID) + SQLFragment(", ") + ObjectCopy.bind(.string(now)) + SQLFragment(", ")
                        + ObjectCopy.bind(.string(now)) + SQLFragment(" FROM \"\(table)\" WHERE id = ") + ObjectCopy.bind(oldID)
                        + SQLFragment(" RETURNING id")
                    let newID = try await db.rows(insert)[0].decode(column: "id", as: Int.self)
                    if table == "hosts" { hostIDs[oldID] = newID } else { groupIDs[oldID] = newID }
                }
            }
            let groupList = groupIDs.keys.sorted()
            guard !groupList.isEmpty else { return }
            let inList = groupList.map(String.init).joined(separator: ", ")
            for row in try await db.rows(SQLFragment("SELECT group_id, host_id FROM group_hosts WHERE group_id IN (\(inList))")) {
                let group = try row.decode(column: "group_id", as: Int.self), host = try row.decode(column: "host_id", as: Int.self)
                guard let newGroup = groupIDs[group], let newHost = hostIDs[host] else { continue }
                _ = try await db.rows(SQLFragment("INSERT INTO group_hosts (group_id, host_id) VALUES (") + ObjectCopy.bind(newGroup)
                                 + SQLFragment(", ") + ObjectCopy.bind(newHost) + SQLFragment(")"))
            }
            for row in try await db.rows(SQLFragment("SELECT parent_id, child_id FROM group_children WHERE parent_id IN (\(inList))")) {
                let parent = try row.decode(column: "parent_id", as: Int.self), child = try row.decode(column: "child_id", as: Int.self)
                guard let newParent = groupIDs[parent], let newChild = groupIDs[child] else { continue }
                _ = try await db.rows(SQLFragment("INSERT INTO group_children (parent_id, child_id) VALUES (") + ObjectCopy.bind(newParent)
                                 + SQLFragment(", ") + ObjectCopy.bind(newChild) + SQLFragment(")"))
            }
        }
    }

    static func bind(_ value: Int) -> SQLFragment { bind(.int(value)) }

    static func bind(_ value: SQLValue) -> SQLFragment {
        var fragment = SQLFragment()
        fragment.bind(value)
        return fragment
    }
}
