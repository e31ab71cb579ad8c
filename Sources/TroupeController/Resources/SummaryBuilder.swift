import SQLKit

/// `summary_fields` for a page of records, batched: one query per foreign-key target,
/// one for the object roles, one for the user's capabilities.
struct SummaryBuilder {
    let context: APIContext
    let descriptor: ResourceDescriptor

    func build(_ records: [Record]) async throws -> [Int: JSONObject] {
        var summaries: [Int: JSONObject] = [:]
        guard !records.isEmpty else { return summaries }
        var foreignFields = descriptor.fields.filter { $0.foreignTarget != nil && !$0.writeOnly }
        if descriptor.hasCreatorColumns {
            foreignFields += ResourceDescriptor.envelopeFields.filter { $0.name == "created_by" || $0.name == "modified_by" }
        }
        var cache: [String: [Int: JSONObject]] = [:]
        for field in foreignFields {
            let target = field.foreignTarget!
            let ids = Set(records.compactMap { $0.int(field.name) })
            if ids.isEmpty { continue }
            let known = cache[target] ?? [:]
            let missing = ids.subtracting(known.keys)
            if !missing.isEmpty {
                let fetched = try await fetchSummaries(target, ids: missing)
                cache[target, default: [:]].merge(fetched) { a, _ in a }
            }
        }
        for record in records {
            var summary = JSONObject()
            for field in foreignFields {
                if let id = record.int(field.name), let entry = cache[field.foreignTarget!]?[id] {
                    summary[field.name] = .object(entry)
                }
            }
            summaries[record.id] = summary
        }
        if let contentType = descriptor.roleContentType {
            let roles = try await objectRoles(contentType, ids: records.map(\.id))
            for record in records { summaries[record.id]?["object_roles"] = .object(roles[record.id] ?? JSONObject()) }
        }
        let capabilities = try await userCapabilities(records)
        for record in records { summaries[record.id]?["user_capabilities"] = .object(capabilities[record.id] ?? JSONObject()) }
        return summaries
    }

    private func fetchSummaries(_ target: String, ids: Set<Int>) async throws -> [Int: JSONObject] {
        guard let targetDescriptor = ResourceCatalog.descriptor(target) else { return [:] }
        // Only the summary columns: a target's computed fields (host counts) stay unread.
        let summaryFields = targetDescriptor.summaryColumns.compactMap { column -> String? in
            let name = column.hasSuffix("_id") ? String(column.dropLast(3)) : column
            return name == "id" ? nil : name
        }
        let reader = ResourceReader(context: context, descriptor: targetDescriptor, onlyFields: Set(summaryFields))
        var query = SQLFragment(reader.selectClause() + " WHERE t0.id IN (")
        for (i, id) in ids.sorted().enumerated() { if i > 0 { query.append(", ") }; query.bind(.int(id)) }
        query.append(")")
        var result: [Int: JSONObject] = [:]
        for row in try await context.database.all(query) {
            let record = try reader.decode(row)
            var entry = JSONObject()
            for column in targetDescriptor.summaryColumns {
                if column == "id" { entry["id"] = .int(record.id); continue }
                if column.hasSuffix("_id"), let name = Optional(String(column.dropLast(3))), targetDescriptor.field(name)?.foreignTarget != nil {
                    entry[column] = record[name]
                    continue
                }
                entry[column] = record[column]
            }
            result[record.id] = entry
        }
        return result
    }

    private func objectRoles(_ contentType: String, ids: [Int]) async throws -> [Int: JSONObject] {
        var query = SQLFragment("SELECT id, object_id, role_field FROM object_roles WHERE content_type = ")
        query.bind(.string(contentType))
        query.append(" AND object_id IN (")
        for (i, id) in ids.enumerated() { if i > 0 { query.append(", ") }; query.bind(.int(id)) }
        query.append(") ORDER BY id")
        var result: [Int: JSONObject] = [:]
        for row in try await context.database.all(query) {
            let objectID = try row.decode(column: "object_id", as: Int.self)
            let field = try row.decode(column: "role_field", as: String.self)
            result[objectID, default: JSONObject()][field] = .object(JSONObject([
                ("description", .string(RoleGraph.description(field, contentType: contentType))),
                ("name", .string(RoleGraph.displayNames[field] ?? field)),
                ("id", .int(try row.decode(column: "id", as: Int.self))),
            ]))
        }
        return result
    }

    /// `{edit, delete, …}` per record for the requesting user.
    private func userCapabilities(_ records: [Record]) async throws -> [Int: JSONObject] {
        let access = AccessControl(context: context)
        var result: [Int: JSONObject] = [:]
        let extra: [String] = {
            switch descriptor.name {
            case "job_templates": return ["start", "schedule", "copy"]
            case "inventories": return ["adhoc", "copy"]
            case "projects": return ["start", "schedule", "copy"]
            case "credentials": return ["copy", "use"]
            default: return []
            }
        }()
        for record in records {
            var canEdit = false
            if descriptor.allowsUpdate { canEdit = try await access.canChange(descriptor, record: record) }
            var capabilities = JSONObject([("edit", .bool(canEdit)), ("delete", .bool(descriptor.allowsDelete && canEdit))])
            for name in extra {
                var allowed = canEdit
                if !allowed, name == "start", descriptor.roleContentType == "job_template" {
                    allowed = try await access.holds("execute_role", contentType: "job_template", objectID: record.id)
                }
                if !allowed, name == "use", descriptor.roleContentType == "credential" {
                    allowed = try await access.holds("use_role", contentType: "credential", objectID: record.id)
                }
                capabilities[name] = .bool(allowed)
            }
            result[record.id] = capabilities
        }
        return result
    }
}
