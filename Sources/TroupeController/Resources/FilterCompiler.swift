import Foundation

/// Compiles AWX's list query parameters into SQL: field lookups across relations
/// (`inventory__organization__name__icontains=x`), the `not__`/`or__`/`chain__` prefixes,
/// `search=`, `<rel>__search=`, `role_level=` and `order_by`. Nothing filters in memory.
struct FilterCompiler {
    static let reservedNames: Set<String> = [
        "page", "page_size", "format", "order", "order_by", "search", "type", "host_filter",
        "count_disabled", "no_truncate", "limit",
    ]
    static let lookups: Set<String> = [
        "exact", "iexact", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith",
        "regex", "iregex", "gt", "gte", "lt", "lte", "in", "isnull", "search",
    ]
    static let relatedSearchColumns = ["username", "first_name", "last_name", "email", "name", "description", "playbook"]

    let descriptor: ResourceDescriptor
    let engine: DatabaseEngine
    /// Alias of the listed table in the outer query.
    let alias = "t0"
    /// Extra reserved names a view adds (e.g. `limit` handled by the view).
    var extraReserved: Set<String> = []
    /// `role_level=` handler: the condition restricting to objects where the user holds a role.
    var roleLevel: (@Sendable (ResourceDescriptor, String, String) throws -> SQLFragment)?

    private var aliasCounter = 0

    init(descriptor: ResourceDescriptor, engine: DatabaseEngine) {
        self.descriptor = descriptor
        self.engine = engine
    }

    // MARK: - WHERE

    /// The WHERE condition for `query` (empty when nothing filters).
    mutating func whereClause(_ query: [(String, String)]) throws -> SQLFragment {
        var plain: [SQLFragment] = []
        var ors: [SQLFragment] = []
        for (rawKey, value) in query {
            if rawKey.contains("\u{0}") || value.contains("\u{0}") { throw APIError.badRequest("Null characters are not allowed.") }
            var key = rawKey
            if FilterCompiler.reservedNames.contains(key) || extraReserved.contains(key) {
                if key == "search" { plain.append(try search(value)) }
                continue
            }
            guard key.allSatisfy(\.isASCII) else { throw APIError.badRequest("Query string field names must be ASCII.") }
            if key.hasSuffix("__int") { key.removeLast("__int".count) }
            if key == "role_level" {
                guard let roleLevel, descriptor.roleContentType != nil else {
                    throw APIError.badRequest("Cannot apply role_level filter to this list because its model does not use roles for access control.")
                }
                plain.append(try roleLevel(descriptor, alias, value))
                continue
            }
            if key.hasSuffix("__search") {
                plain.append(try relatedSearch(String(key.dropLast("__search".count)), value))
                continue
            }
            var isOr = false, negate = false
            if key.hasPrefix("or__") { isOr = true; key.removeFirst("or__".count) }
            else if key.hasPrefix("chain__") { key.removeFirst("chain__".count) }
            if key.hasPrefix("not__") { negate = true; key.removeFirst("not__".count) }
            var parts = key.split(separator: "__", omittingEmptySubsequences: false).map(String.init)
            var lookup = "exact"
            if parts.count > 1, let last = parts.last, FilterCompiler.lookups.contains(last) {
                lookup = last
                parts.removeLast()
            }
            if lookup == "search" { lookup = "icontains" }
            guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else {
                throw APIError.badRequest("Query string field name not provided.")
            }
            var visited: Set<String> = []
            var condition = try path(descriptor, alias: alias, parts[...], lookup: lookup, value: value, visited: &visited)
            if negate { condition = FilterCompiler.not(condition) }
            if isOr { ors.append(condition) } else { plain.append(condition) }
        }
        if !ors.isEmpty { plain.append(SQLFragment.joined(ors, with: "OR")) }
        return SQLFragment.joined(plain, with: "AND")
    }

    static func not(_ condition: SQLFragment) -> SQLFragment {
        SQLFragment("NOT COALESCE((") + condition + SQLFragment("), FALSE)")
    }

    private mutating func nextAlias() -> String {
        aliasCounter += 1
        return "t\(aliasCounter)"
    }

    /// Walks `parts` from `current` (rows aliased `alias`) and compares the last field.
    private mutating func path(_ current: ResourceDescriptor, alias: String, _ parts: ArraySlice<String>, lookup: String,
                               value: String, visited: inout Set<String>) throws -> SQLFragment {
        let name = parts.first!
        let rest = parts.dropFirst()
        let visitKey = current.name + "." + name
        if visited.contains(visitKey) { throw APIError.badRequest("Loops not allowed in filters, detected on field \(name).") }
        visited.insert(visitKey)
        if let field = current.anyField(name) {
            if field.forbidsFiltering || field.writeOnly { throw APIError.forbidden("Filtering on \(name) is not allowed.") }
            if let target = field.foreignTarget, let targetDescriptor = ResourceCatalog.descriptor(target) {
                let column = field.sql(alias: alias)!
                if rest.isEmpty {
                    return try compare(column, field: field, lookup: lookup, value: value, relationName: name)
                }
                let inner = nextAlias()
                var fragment = SQLFragment("\(column) IN (SELECT \(inner).id FROM \"\(targetDescriptor.table)\" \(inner) WHERE ")
                fragment.append(try path(targetDescriptor, alias: inner, rest, lookup: lookup, value: value, visited: &visited))
                fragment.append(")")
                return fragment
            }
            guard rest.isEmpty else { throw APIError.badRequest("No related model for field \(name).") }
            guard let sql = field.sql(alias: alias) else { throw APIError.badRequest("\(current.displayName) has no field named '\(name)'") }
            return try compare(sql, field: field, lookup: lookup, value: value, relationName: nil)
        }
        if let relation = current.relations[name] {
            let (targetName, membership): (String, (String) -> String) = {
                switch relation {
                case .reverse(let target, let column):
                    let table = ResourceCatalog.descriptor(target)?.table ?? target
                    return (target, { cond in "\(alias).id IN (SELECT r.\"\(column)\" FROM \"\(table)\" r WHERE r.\"\(column)\" IS NOT NULL AND r.id IN (\(cond)))" })
                case .manyToMany(let target, let table, let own, let other):
                    return (target, { cond in "\(alias).id IN (SELECT j.\"\(own)\" FROM \"\(table)\" j WHERE j.\"\(other)\" IN (\(cond)))" })
                }
            }()
            guard let target = ResourceCatalog.descriptor(targetName) else { throw APIError.badRequest("No related model for field \(name).") }
            let inner = nextAlias()
            var innerCondition: SQLFragment
            if rest.isEmpty {
                if lookup == "isnull" {
                    let isNull = try FilterCompiler.boolean(value)
                    let membershipSQL = membership("SELECT \(inner).id FROM \"\(target.table)\" \(inner)")
                    return isNull ? SQLFragment("NOT (\(membershipSQL))") : SQLFragment(membershipSQL)
                }
                innerCondition = try compare("\(inner).id", field: Field("id", .integer), lookup: lookup, value: value, relationName: name)
            } else {
                innerCondition = try path(target, alias: inner, rest, lookup: lookup, value: value, visited: &visited)
            }
            let text = membership("\u{1}")
            let pieces = text.components(separatedBy: "\u{1}")
            var fragment = SQLFragment(pieces[0])
            fragment.append("SELECT \(inner).id FROM \"\(target.table)\" \(inner) WHERE ")
            fragment.append(innerCondition)
            fragment.append(pieces[1])
            return fragment
        }
        if name == "type" {
            // Non-polymorphic lists: `type=<this type>` matches all, anything else none.
            return SQLFragment(value.replacingOccurrences(of: "_", with: "") == current.type.replacingOccurrences(of: "_", with: "") ? "1=1" : "1=0")
        }
        throw APIError.badRequest("\(current.displayName) has no field named '\(name)'")
    }

    /// `sql <lookup> value` with the value converted for the field's kind.
    private func compare(_ sql: String, field: Field, lookup: String, value: String, relationName: String?) throws -> SQLFragment {
        func converted(_ text: String) throws -> SQLValue {
            try FilterCompiler.convert(text, field: field, isRelation: relationName != nil)
        }
        let textual = field.kind.isTextual
        let asText = textual ? sql : "CAST(\(sql) AS TEXT)"
        var fragment = SQLFragment()
        switch lookup {
        case "exact":
            let v = try converted(value)
            if v == .null { return SQLFragment("\(sql) IS NULL") }
            fragment.append("\(sql) = "); fragment.bind(v)
        case "iexact":
            guard textual else {
                throw APIError.badRequest("\(field.name) is not a text field and cannot be filtered by case-insensitive search")
            }
            fragment.append("LOWER(\(sql)) = LOWER("); fragment.bind(.string(value)); fragment.append(")")
        case "contains", "startswith", "endswith", "icontains", "istartswith", "iendswith":
            let base = lookup.hasPrefix("i") ? String(lookup.dropFirst()) : lookup
            let escaped = FilterCompiler.escapeLike(value)
            let pattern = base == "contains" ? "%\(escaped)%" : base == "startswith" ? "\(escaped)%" : "%\(escaped)"
            if lookup.hasPrefix("i") {
                fragment.append("LOWER(\(asText)) LIKE LOWER("); fragment.bind(.string(pattern)); fragment.append(") ESCAPE '\\'")
            } else {
                fragment.append("\(asText) LIKE "); fragment.bind(.string(pattern)); fragment.append(" ESCAPE '\\'")
            }
        case "regex", "iregex":
            if let problem = SQLiteRegexp.validate(value) { throw APIError.badRequest(problem) }
            if engine == .postgres {
                fragment.append("\(asText) \(lookup == "iregex" ? "~*" : "~") "); fragment.bind(.string(value))
            } else {
                fragment.append("\(asText) REGEXP "); fragment.bind(.string(lookup == "iregex" ? "(?i)" + value : value))
            }
        case "gt", "gte", "lt", "lte":
            let op = ["gt": ">", "gte": ">=", "lt": "<", "lte": "<="][lookup]!
            fragment.append("\(sql) \(op) "); fragment.bind(try converted(value))
        case "in":
            let items = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !value.isEmpty else { throw APIError.badRequest("cannot provide empty value for __in") }
            let values = try items.map(converted)
            let nonNull = values.filter { $0 != .null }
            var pieces: [SQLFragment] = []
            if !nonNull.isEmpty {
                var list = SQLFragment("\(sql) IN (")
                for (i, v) in nonNull.enumerated() { if i > 0 { list.append(", ") }; list.bind(v) }
                list.append(")")
                pieces.append(list)
            }
            if nonNull.count != values.count { pieces.append(SQLFragment("\(sql) IS NULL")) }
            return SQLFragment.joined(pieces, with: "OR")
        case "isnull":
            return SQLFragment(try FilterCompiler.boolean(value) ? "\(sql) IS NULL" : "\(sql) IS NOT NULL")
        default:
            throw APIError.badRequest("Unsupported lookup \(lookup)")
        }
        return fragment
    }

    static func escapeLike(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// AWX's `to_python_boolean`.
    static func boolean(_ value: String) throws -> Bool {
        switch value.lowercased() {
        case "true", "1", "t", "yes", "y", "on": return true
        case "false", "0", "f", "no", "n", "off": return false
        default: throw APIError.badRequest("Unable to convert \"\(value)\" to boolean")
        }
    }

    static func convert(_ text: String, field: Field, isRelation: Bool) throws -> SQLValue {
        if isRelation || field.foreignTarget != nil {
            if ["none", "null"].contains(text.lowercased()) { return .null }
            guard let id = Int(text) else { throw APIError.badRequest("Invalid \(field.name) id: \(text)") }
            return .int(id)
        }
        switch field.kind {
        case .integer, .intChoice:
            if field.nullable, ["none", "null"].contains(text.lowercased()) { return .null }
            guard let v = Int(text) else { throw APIError.badRequest("Field '\(field.name)' expected a number but got '\(text)'.") }
            return .int(v)
        case .float:
            guard let v = Double(text) else { throw APIError.badRequest("Field '\(field.name)' expected a number but got '\(text)'.") }
            return .double(v)
        case .boolean:
            return .bool(try boolean(text))
        case .datetime:
            if field.nullable, ["none", "null"].contains(text.lowercased()) { return .null }
            return .string(text)
        default:
            return .string(text)
        }
    }

    // MARK: - Search

    /// `search=a b`: every term must match one of the search fields (case-insensitive).
    mutating func search(_ value: String) throws -> SQLFragment {
        let terms = FilterCompiler.searchTerms(value)
        guard !terms.isEmpty else { return SQLFragment("1=1") }
        let columns = descriptor.searchFields.compactMap { descriptor.field($0)?.sql(alias: alias) }
        guard !columns.isEmpty else { return SQLFragment("1=1") }
        return SQLFragment.joined(terms.map { term in
            SQLFragment.joined(columns.map { column in
                var f = SQLFragment("LOWER(\(column)) LIKE LOWER(")
                f.bind(.string("%\(FilterCompiler.escapeLike(term))%"))
                f.append(") ESCAPE '\\'")
                return f
            }, with: "OR")
        }, with: "AND")
    }

    /// Terms split on whitespace and commas, "quoted phrases" kept together.
    static func searchTerms(_ value: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var quoted = false
        for character in value {
            if character == "\"" { quoted.toggle(); continue }
            if !quoted, character == " " || character == "," || character == "\t" {
                if !current.isEmpty { terms.append(current); current = "" }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { terms.append(current) }
        return terms
    }

    /// `<relation>__search=a,b`: the related object's text columns contain the term(s).
    private mutating func relatedSearch(_ relation: String, _ value: String) throws -> SQLFragment {
        let outer = alias
        let target: ResourceDescriptor
        let membership: (SQLFragment) -> SQLFragment
        if let field = descriptor.anyField(relation), let targetName = field.foreignTarget, let t = ResourceCatalog.descriptor(targetName) {
            target = t
            let column = field.sql(alias: alias)!
            membership = { SQLFragment("\(column) IN (") + $0 + SQLFragment(")") }
        } else if let relationSpec = descriptor.relations[relation] {
            switch relationSpec {
            case .reverse(let targetName, let column):
                guard let t = ResourceCatalog.descriptor(targetName) else { throw APIError.badRequest("\(relation) is not searchable") }
                target = t
                membership = { SQLFragment("\(outer).id IN (SELECT r.\"\(column)\" FROM \"\(t.table)\" r WHERE r.id IN (") + $0 + SQLFragment("))") }
            case .manyToMany(let targetName, let table, let own, let other):
                guard let t = ResourceCatalog.descriptor(targetName) else { throw APIError.badRequest("\(relation) is not searchable") }
                target = t
                membership = { SQLFragment("\(outer).id IN (SELECT j.\"\(own)\" FROM \"\(table)\" j WHERE j.\"\(other)\" IN (") + $0 + SQLFragment("))") }
            }
        } else {
            throw APIError.badRequest("\(relation) is not searchable")
        }
        let inner = nextAlias()
        let columns = FilterCompiler.relatedSearchColumns.compactMap { target.field($0)?.sql(alias: inner) }
        let terms = value.contains(",") ? value.split(separator: ",").map(String.init) : [value]
        let conditions = terms.map { term in
            var select = SQLFragment("SELECT \(inner).id FROM \"\(target.table)\" \(inner) WHERE ")
            select.append(SQLFragment.joined(columns.map { column in
                var f = SQLFragment("LOWER(\(column)) LIKE LOWER(")
                f.bind(.string("%\(FilterCompiler.escapeLike(term))%"))
                f.append(") ESCAPE '\\'")
                return f
            }, with: "OR"))
            return membership(select)
        }
        return SQLFragment.joined(conditions, with: "AND")
    }

    // MARK: - ORDER BY

    /// `order_by=a,-b__c` (or `order=`), followed by the default ordering and `id`.
    mutating func orderClause(_ query: [(String, String)]) throws -> String {
        var terms: [String] = []
        let requested = query.last { $0.0 == "order_by" }?.1 ?? query.last { $0.0 == "order" }?.1
        var names = requested.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } } ?? []
        names += descriptor.ordering
        var seen: Set<String> = []
        for raw in names {
            let descending = raw.hasPrefix("-")
            let path = descending ? String(raw.dropFirst()) : raw
            if path == "type" || seen.contains(path) { continue }
            seen.insert(path)
            let sql = try orderExpression(descriptor, alias: alias, path.components(separatedBy: "__")[...])
            terms.append("\(sql) \(descending ? "DESC" : "ASC")")
        }
        if !seen.contains("id") { terms.append("\(alias).id ASC") }
        return terms.joined(separator: ", ")
    }

    private mutating func orderExpression(_ current: ResourceDescriptor, alias: String, _ parts: ArraySlice<String>) throws -> String {
        let name = parts.first!
        guard let field = current.anyField(name) else {
            throw APIError.badRequest("Cannot resolve keyword '\(name)' into field.")
        }
        if field.forbidsFiltering || field.writeOnly { throw APIError.forbidden("Filtering on \(name) is not allowed.") }
        let sql = field.sql(alias: alias)!
        if parts.count == 1 { return sql }
        guard let targetName = field.foreignTarget, let target = ResourceCatalog.descriptor(targetName) else {
            throw APIError.badRequest("No related model for field \(name).")
        }
        let inner = nextAlias()
        return "(SELECT \(try orderExpression(target, alias: inner, parts.dropFirst())) FROM \"\(target.table)\" \(inner) WHERE \(inner).id = \(sql))"
    }
}
