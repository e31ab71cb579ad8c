import Foundation
import SQLKit

/// Reads a resource's rows (lists with filters, order and pages; single objects) and
/// serializes them with AWX's envelope.
struct ResourceReader {
    let context: APIContext
    let descriptor: ResourceDescriptor
    /// Read only these fields (summaries); nil reads all.
    var onlyFields: Set<String>? = nil

    static let defaultPageSize = 25
    static let maxPageSize = 200

    var behavior: any ResourceBehavior { ResourceBehaviors.behavior(for: descriptor.name) }

    /// `SELECT … FROM table t0` with every readable field aliased to its name.
    func selectClause(alias: String = "t0") -> String {
        var columns = ["\(alias).id AS \"id\""]
        if descriptor.hasTimestamps { columns += ["\(alias).created AS \"created\"", "\(alias).modified AS \"modified\""] }
        if descriptor.hasCreatorColumns {
            columns += ["\(alias).created_by_id AS \"created_by\"", "\(alias).modified_by_id AS \"modified_by\""]
        }
        for field in descriptor.fields where onlyFields?.contains(field.name) ?? true {
            guard let sql = field.sql(alias: alias) else { continue }
            columns.append("\(sql) AS \"\(field.name)\"")
        }
        return "SELECT " + columns.joined(separator: ", ") + " FROM \"\(descriptor.table)\" \(alias)"
    }

    func decode(_ row: any SQLRow) throws -> Record {
        let id = try row.decode(column: "id", as: Int.self)
        var values: [String: JSON] = [:]
        if descriptor.hasTimestamps {
            values["created"] = .nullable(try row.decode(column: "created", as: String?.self))
            values["modified"] = .nullable(try row.decode(column: "modified", as: String?.self))
        }
        if descriptor.hasCreatorColumns {
            values["created_by"] = .nullable(try row.decode(column: "created_by", as: Int?.self))
            values["modified_by"] = .nullable(try row.decode(column: "modified_by", as: Int?.self))
        }
        for field in descriptor.fields where field.sql(alias: "t0") != nil && (onlyFields?.contains(field.name) ?? true) {
            values[field.name] = try ResourceReader.decodeValue(row, column: field.name, kind: field.kind)
        }
        return Record(id: id, values: values)
    }

    static func decodeValue(_ row: any SQLRow, column: String, kind: FieldKind) throws -> JSON {
        if try row.decodeNil(column: column) { return .null }
        switch kind {
        case .integer, .foreignKey, .intChoice: return .int(try row.decode(column: column, as: Int.self))
        case .float: return .double(try row.decode(column: column, as: Double.self))
        case .boolean:
            if let value = try? row.decode(column: column, as: Bool.self) { return .bool(value) }
            return .bool((try? row.decode(column: column, as: Int.self)) ?? 0 != 0)
        default: return .string(try row.decode(column: column, as: String.self))
        }
    }

    // MARK: - Lists

    /// The paginated list, optionally restricted by `scope` (sub-lists such as
    /// `/inventories/1/hosts/`).
    func list(scope: SQLFragment? = nil) async throws -> JSON {
        let query = context.request.query
        var compiler = FilterCompiler(descriptor: descriptor, engine: context.database.engine)
        let user = context.user
        compiler.roleLevel = { descriptor, alias, role in
            guard let user else { throw APIError.unauthorized() }
            return SQLFragment("\(alias).id IN (") + RoleGraph.accessibleObjects(userID: user.id, contentType: descriptor.roleContentType!, roleField: role) + SQLFragment(")")
        }
        var conditions: [SQLFragment] = []
        let filters = try compiler.whereClause(query)
        if !filters.isEmpty { conditions.append(filters) }
        if let scope { conditions.append(scope) }
        if let access = AccessControl(context: context).readCondition(descriptor, alias: "t0") { conditions.append(access) }
        let order = try compiler.orderClause(query)
        let whereSQL = conditions.isEmpty ? SQLFragment() : SQLFragment(" WHERE ") + SQLFragment.joined(conditions, with: "AND")

        let countDisabled = (try? FilterCompiler.boolean(context.request.queryValue("count_disabled") ?? "0")) ?? false
        var pageSize = ResourceReader.defaultPageSize
        if let text = context.request.queryValue("page_size"), let value = Int(text), value > 0 { pageSize = min(value, ResourceReader.maxPageSize) }
        let count: Int
        if countDisabled {
            count = 0
        } else {
            let rows = try await context.database.all(SQLFragment("SELECT COUNT(*) AS n FROM \"\(descriptor.table)\" t0") + whereSQL)
            count = try rows[0].decode(column: "n", as: Int.self)
        }
        let pages = max(1, (count + pageSize - 1) / pageSize)
        var page = 1
        if let text = context.request.queryValue("page") {
            if text == "last" { page = pages } else {
                guard let value = Int(text), value >= 1, countDisabled || value <= pages else { throw APIError(.notFound, detail: "Invalid page.") }
                page = value
            }
        }
        var select = SQLFragment(selectClause()) + whereSQL
        select.append(" ORDER BY \(order) LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)")
        let records = try await context.database.all(select).map(decode)
        let results = try await serialize(records, detail: false)
        if countDisabled { return ["results": .array(results)] }
        let base = context.request.apiPrefix == "/api/" ? context.request.path : context.request.path
        func link(_ target: Int) -> JSON {
            var items = context.request.query.filter { $0.0 != "page" && $0.0 != "page_size" }
            items.append(("page", String(target)))
            if context.request.queryValue("page_size") != nil { items.append(("page_size", String(pageSize))) }
            return .string(base + "?" + items.map { "\(ResourceReader.encode($0.0))=\(ResourceReader.encode($0.1))" }.joined(separator: "&"))
        }
        return .object(JSONObject([
            ("count", .int(count)),
            ("next", page < pages ? link(page + 1) : .null),
            ("previous", page > 1 ? link(page - 1) : .null),
            ("results", .array(results)),
        ]))
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    // MARK: - Objects

    /// The object if it exists and the user may read it (else nil → 404).
    func fetch(_ id: Int) async throws -> Record? {
        var query = SQLFragment(selectClause() + " WHERE t0.id = ")
        query.bind(.int(id))
        if let access = AccessControl(context: context).readCondition(descriptor, alias: "t0") {
            query.append(" AND (")
            query.append(access)
            query.append(")")
        }
        return try await context.database.all(query).first.map(decode)
    }

    func require(_ id: Int) async throws -> Record {
        guard let record = try await fetch(id) else { throw APIError.notFound }
        return record
    }

    // MARK: - Serialization

    func serialize(_ records: [Record], detail: Bool) async throws -> [JSON] {
        let summaries = try await SummaryBuilder(context: context, descriptor: descriptor).build(records)
        var results: [JSON] = []
        for record in records {
            var object = JSONObject()
            object["id"] = .int(record.id)
            object["type"] = .string(descriptor.type)
            object["url"] = .string(descriptor.url(record.id))
            object["related"] = .object(related(record))
            object["summary_fields"] = .object(summaries[record.id] ?? JSONObject())
            if descriptor.hasTimestamps {
                object["created"] = record["created"]
                object["modified"] = record["modified"]
            }
            for field in descriptor.fields where !field.writeOnly {
                var value = record[field.name]
                switch field.kind {
                case .json:
                    if case .string(let text) = value { value = (try? JSONParser.parse(text)) ?? value }
                case .password:
                    value = "$encrypted$"
                default: break
                }
                object[field.name] = value
            }
            try await behavior.present(&object, record: record, context: context, detail: detail)
            if detail, let named = try await NamedURLResolver(database: context.database).encode(descriptor, record: record) {
                var relatedObject = object["related"]?.objectValue ?? JSONObject()
                relatedObject["named_url"] = .string(descriptor.listURL + named + "/")
                object["related"] = .object(relatedObject)
            }
            results.append(.object(object))
        }
        return results
    }

    func related(_ record: Record) -> JSONObject {
        var related = JSONObject()
        if descriptor.hasCreatorColumns {
            if let id = record.int("created_by") { related["created_by"] = .string("/api/v2/users/\(id)/") }
            if let id = record.int("modified_by") { related["modified_by"] = .string("/api/v2/users/\(id)/") }
        }
        for path in descriptor.relatedPaths {
            related[path] = .string(descriptor.url(record.id) + path + "/")
        }
        for field in descriptor.fields where !field.writeOnly {
            if let target = field.foreignTarget, let id = record.int(field.name) {
                related[field.name] = .string("/api/v2/\(target)/\(id)/")
            }
        }
        for (name, url) in behavior.related(record) { related[name] = .string(url) }
        return related
    }
}
