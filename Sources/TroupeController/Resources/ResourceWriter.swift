import Foundation
import SQLKit
import Yams

/// Creates, updates and deletes a resource's rows with AWX's validation messages,
/// then records the change in the activity stream, all in one transaction.
struct ResourceWriter {
    let context: APIContext
    let descriptor: ResourceDescriptor

    var behavior: any ResourceBehavior { ResourceBehaviors.behavior(for: descriptor.name) }

    enum Mode { case create, replace, patch }

    /// Validated column values (by field name) from a request body. `preset` values (a
    /// sub-list's parent) override the body.
    func values(from input: JSONObject, mode: Mode, existing: Record?, preset: [String: JSON] = [:]) async throws -> [String: JSON] {
        var errors: [(String, String)] = []
        var values: [String: JSON] = [:]
        for field in descriptor.fields where !field.readOnly {
            if mode != .create && field.writeOnce { continue }
            let given = preset[field.name] ?? input[field.name]
            guard let given else {
                if mode == .create || mode == .replace {
                    if field.required && (mode == .create || existing == nil) { errors.append((field.name, "This field is required.")) }
                    else if mode == .create, field.column != nil, let defaultValue = field.defaultValue { values[field.name] = ResourceWriter.storable(defaultValue, field) }
                }
                continue
            }
            do {
                values[field.name] = try ResourceWriter.convert(given, field: field)
            } catch let error as FieldError {
                errors.append((field.name, error.message))
            }
        }
        if !errors.isEmpty { throw APIError.validation(errors) }
        for field in descriptor.fields where field.foreignTarget != nil {
            guard let id = values[field.name]?.intValue, let target = ResourceCatalog.descriptor(field.foreignTarget!) else { continue }
            let rows = try await context.database.all(SQLQueryString("SELECT id FROM \(unsafeRaw: "\"\(target.table)\"") WHERE id = \(bind: id)"))
            if rows.isEmpty { errors.append((field.name, "Invalid pk \"\(id)\" - object does not exist.")) }
        }
        if !errors.isEmpty { throw APIError.validation(errors) }
        try await behavior.validate(&values, input: input, existing: existing, context: context)
        try await checkUnique(values, existing: existing)
        return values
    }

    struct FieldError: Error { let message: String }

    static func storable(_ value: JSON, _ field: Field) -> JSON {
        if case .json = field.kind, case .object = value { return .string(value.serialized()) }
        return value
    }

    /// One input value converted to what the column stores, as DRF would validate it.
    static func convert(_ value: JSON, field: Field) throws -> JSON {
        if value.serialized().contains("\\u0000") { throw FieldError(message: "Null characters are not allowed.") }
        if value == .null {
            if field.nullable { return .null }
            if case .string = field.kind, !field.required { return .string("") }
            throw FieldError(message: "This field may not be null.")
        }
        switch field.kind {
        case .string, .password, .datetime:
            let text: String
            switch value {
            case .string(let s): text = s
            case .int(let i): text = String(i)
            case .double(let d): text = String(d)
            default: throw FieldError(message: "Not a valid string.")
            }
            if field.required && text.trimmingCharacters(in: .whitespaces).isEmpty { throw FieldError(message: "This field may not be blank.") }
            if let max = field.maxLength, text.count > max { throw FieldError(message: "Ensure this field has no more than \(max) characters.") }
            return .string(text)
        case .integer:
            let number: Int?
            switch value {
            case .int(let i): number = i
            case .double(let d): number = d == d.rounded() && abs(d) < 1e15 ? Int(d) : nil
            case .string(let s): number = Int(s.trimmingCharacters(in: .whitespaces))
            default: number = nil
            }
            guard let number else { throw FieldError(message: "A valid integer is required.") }
            if let min = field.minValue, number < min { throw FieldError(message: "Ensure this value is greater than or equal to \(min).") }
            if let max = field.maxValue, number > max { throw FieldError(message: "Ensure this value is less than or equal to \(max).") }
            return .int(number)
        case .float:
            switch value {
            case .int(let i): return .double(Double(i))
            case .double: return value
            case .string(let s): if let d = Double(s) { return .double(d) }
            default: break
            }
            throw FieldError(message: "A valid number is required.")
        case .boolean:
            switch value {
            case .bool: return value
            case .int(let i) where i == 0 || i == 1: return .bool(i == 1)
            case .string(let s):
                if let b = try? FilterCompiler.boolean(s) { return .bool(b) }
            default: break
            }
            throw FieldError(message: "Must be a valid boolean.")
        case .choice(let choices):
            let text: String
            switch value {
            case .string(let s): text = s
            case .int(let i): text = String(i)
            default: throw FieldError(message: "\"\(value.serialized())\" is not a valid choice.")
            }
            guard choices.contains(where: { $0.0 == text }) else { throw FieldError(message: "\"\(text)\" is not a valid choice.") }
            return .string(text)
        case .intChoice(let choices):
            let number: Int?
            switch value {
            case .int(let i): number = i
            case .string(let s): number = Int(s)
            default: number = nil
            }
            guard let number, choices.contains(where: { $0.0 == number }) else {
                throw FieldError(message: "\"\(value.stringValue ?? value.serialized())\" is not a valid choice.")
            }
            return .int(number)
        case .foreignKey:
            switch value {
            case .int(let i): return .int(i)
            case .string(let s): if let i = Int(s) { return .int(i) }
                throw FieldError(message: "Incorrect type. Expected pk value, received str.")
            default: throw FieldError(message: "Incorrect type. Expected pk value, received \(value.kindName).")
            }
        case .variables:
            switch value {
            case .object, .array: return .string(value.serialized())
            case .string(let text):
                try validateVariables(text)
                return .string(text)
            default: throw FieldError(message: "Not a valid string.")
            }
        case .json:
            switch value {
            case .object, .array: return .string(value.serialized())
            case .string(let text):
                if text.isEmpty { return .string("{}") }
                guard let parsed = try? JSONParser.parse(text) else { throw FieldError(message: "Value must be valid JSON.") }
                return .string(parsed.serialized())
            default: throw FieldError(message: "Value must be valid JSON.")
            }
        }
    }

    /// Variables must be a JSON or YAML mapping (or empty), as AWX's `vars_validate_or_raise`.
    static func validateVariables(_ text: String) throws {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return }
        if let json = try? JSONParser.parse(text) {
            guard case .object = json else { throw FieldError(message: "Input type `\(json.kindName)` is not a dictionary") }
            return
        }
        do {
            let loaded = try Yams.load(yaml: text)
            if loaded == nil { return }
            guard loaded is [AnyHashable: Any] else {
                throw FieldError(message: "Input type `\(type(of: loaded!))` is not a dictionary")
            }
        } catch let error as FieldError {
            throw error
        } catch {
            throw FieldError(message: "Cannot parse as JSON (error: Expecting value) or YAML (error: \(error)).")
        }
    }

    func checkUnique(_ values: [String: JSON], existing: Record?) async throws {
        for fields in descriptor.uniqueTogether {
            var query = SQLFragment("SELECT t0.id FROM \"\(descriptor.table)\" t0 WHERE ")
            var parts: [SQLFragment] = []
            for name in fields {
                let value = values[name] ?? existing?[name] ?? .null
                guard let column = descriptor.field(name)?.sql(alias: "t0") else { continue }
                if value == .null { parts.append(SQLFragment("\(column) IS NULL")); continue }
                var f = SQLFragment("\(column) = ")
                f.bind(ResourceWriter.sqlValue(value))
                parts.append(f)
            }
            query.append(SQLFragment.joined(parts, with: "AND"))
            if let existing { query.append(" AND t0.id <> "); query.bind(.int(existing.id)) }
            if try await !context.database.all(query).isEmpty {
                let labels = fields.map { descriptor.field($0)?.label ?? $0 }
                if fields.count == 1 {
                    throw APIError.validation(fields[0], "\(descriptor.displayName) with this \(labels[0]) already exists.")
                }
                throw APIError.validation("__all__", "\(descriptor.displayName) with this \(labels.joined(separator: " and ")) already exists.")
            }
        }
    }

    static func sqlValue(_ json: JSON) -> SQLValue {
        switch json {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array, .object: return .string(json.serialized())
        }
    }

    // MARK: - Statements

    func insert(_ values: [String: JSON], input: JSONObject) async throws -> Int {
        let now = Timestamp.now()
        let actor = context.user?.id
        let descriptor = self.descriptor
        let behavior = self.behavior
        let context = self.context
        return try await context.database.transaction { db in
            var columns: [String] = []
            var fragment = SQLFragment()
            for field in descriptor.fields {
                guard let column = field.column, field.expression == nil, let value = values[field.name] else { continue }
                columns.append("\"\(column)\"")
                if !fragment.isEmpty { fragment.append(", ") }
                fragment.bind(ResourceWriter.sqlValue(value))
            }
            if descriptor.hasTimestamps {
                columns += ["created", "modified"]
                if !fragment.isEmpty { fragment.append(", ") }
                fragment.bind(.string(now)); fragment.append(", "); fragment.bind(.string(now))
            }
            if descriptor.hasCreatorColumns {
                columns += ["created_by_id", "modified_by_id"]
                fragment.append(", "); fragment.bind(actor.map(SQLValue.int) ?? .null)
                fragment.append(", "); fragment.bind(actor.map(SQLValue.int) ?? .null)
            }
            let statement = SQLFragment("INSERT INTO \"\(descriptor.table)\" (\(columns.joined(separator: ", "))) VALUES (") + fragment + SQLFragment(") RETURNING id")
            let id = try await db.rows(statement)[0].decode(column: "id", as: Int.self)
            try await RoleMaintenance.afterWrite(db, descriptor: descriptor, id: id, values: values, created: true, context: context)
            try await behavior.afterWrite(db, id: id, values: values, input: input, created: true, context: context)
            try await ActivityStream.record(db, operation: "create", descriptor: descriptor, id: id,
                                            changes: ActivityStream.changes(descriptor, values), actor: actor, node: context.controller.configuration.nodeName)
            return id
        }
    }

    func update(_ record: Record, values: [String: JSON], input: JSONObject) async throws {
        let now = Timestamp.now()
        let actor = context.user?.id
        let descriptor = self.descriptor
        let behavior = self.behavior
        let context = self.context
        let changed = values.filter { record.values[$0.key] != $0.value }
        try await context.database.transaction { db in
            var fragment = SQLFragment("UPDATE \"\(descriptor.table)\" SET ")
            var first = true
            for field in descriptor.fields {
                guard let column = field.column, field.expression == nil, let value = values[field.name] else { continue }
                if !first { fragment.append(", ") }
                first = false
                fragment.append("\"\(column)\" = ")
                fragment.bind(ResourceWriter.sqlValue(value))
            }
            if descriptor.hasTimestamps {
                if !first { fragment.append(", ") }
                first = false
                fragment.append("modified = "); fragment.bind(.string(now))
            }
            if descriptor.hasCreatorColumns {
                fragment.append(", modified_by_id = "); fragment.bind(actor.map(SQLValue.int) ?? .null)
            }
            if !first {
                fragment.append(" WHERE id = "); fragment.bind(.int(record.id))
                try await db.execute(sql: fragment) { _ in }
            }
            try await RoleMaintenance.afterWrite(db, descriptor: descriptor, id: record.id, values: values, created: false, context: context)
            try await behavior.afterWrite(db, id: record.id, values: values, input: input, created: false, context: context)
            if !changed.isEmpty {
                var diff: [String: JSON] = [:]
                for (name, value) in changed { diff[name] = [record.values[name] ?? .null, value] }
                try await ActivityStream.record(db, operation: "update", descriptor: descriptor, id: record.id,
                                                changes: ActivityStream.changes(descriptor, diff), actor: actor, node: context.controller.configuration.nodeName)
            }
        }
    }

    func delete(_ record: Record) async throws {
        let actor = context.user?.id
        let descriptor = self.descriptor
        let behavior = self.behavior
        let context = self.context
        try await context.database.transaction { db in
            try await behavior.beforeDelete(db, record: record, context: context)
            if let contentType = descriptor.roleContentType {
                try await RoleGraph.deleteRoles(db, contentType: contentType, objectID: record.id)
            }
            try await db.raw("DELETE FROM \(unsafeRaw: "\"\(descriptor.table)\"") WHERE id = \(bind: record.id)").run()
            try await ActivityStream.record(db, operation: "delete", descriptor: descriptor, id: record.id,
                                            changes: ActivityStream.changes(descriptor, record.values), actor: actor,
                                            node: context.controller.configuration.nodeName)
        }
    }
}
