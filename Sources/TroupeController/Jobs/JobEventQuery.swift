import Foundation
import SQLKit

/// The query string of `jobs/N/job_events/` (and `ad_hoc_commands/N/events/`) compiled to
/// SQL: field lookups (`field`, `__gt/__gte/__lt/__lte/__in/__contains/__icontains/
/// __startswith/__isnull/__exact`, `not__` prefix), `search`, `order_by`, `page`,
/// `page_size`, `no_truncate`. Unknown fields are a 400 as AWX answers them.
struct JobEventQuery: Sendable {
    enum QueryError: Error, Equatable {
        case invalidField(String)
        case invalidValue(String)
    }

    static let fields: [String: FieldKind] = [
        "id": .int, "counter": .int, "event": .text, "event_display": .text, "event_level": .int, "failed": .bool,
        "changed": .bool, "uuid": .text, "parent_uuid": .text, "host": .int, "host_name": .text, "playbook": .text,
        "play": .text, "task": .text, "role": .text, "stdout": .text, "start_line": .int, "end_line": .int,
        "verbosity": .int, "created": .text,
    ]
    /// API names that differ from columns.
    static let columns: [String: String] = ["host": "host_id"]
    static let reserved: Set<String> = ["page", "page_size", "order_by", "order", "search", "no_truncate", "format", "limit"]

    enum FieldKind: Sendable { case int, text, bool }

    struct Condition: Sendable {
        var column: String
        var lookup: String
        var value: String
        var kind: FieldKind
        var negated: Bool
    }

    var conditions: [Condition] = []
    var search: String?
    var orderBy: [(column: String, descending: Bool)] = [("counter", false)]
    var page = 1
    var pageSize = 25
    var noTruncate = false

    init(_ parameters: [(String, String)]) throws {
        var explicitOrder: [(String, Bool)] = []
        for (key, value) in parameters {
            switch key {
            case "page":
                guard let n = Int(value), n >= 1 else { throw QueryError.invalidValue("Invalid page.") }
                page = n
            case "page_size", "limit":
                guard let n = Int(value), n >= 0 else { throw QueryError.invalidValue("Invalid page size.") }
                pageSize = min(max(n, 1), 200)
            case "order_by", "order":
                for item in value.split(separator: ",") {
                    let descending = item.hasPrefix("-")
                    let name = String(descending ? item.dropFirst() : item)
                    guard Self.fields[name] != nil else { throw QueryError.invalidField(name) }
                    explicitOrder.append((Self.columns[name] ?? name, descending))
                }
            case "search": search = value
            case "no_truncate": noTruncate = ["1", "true", "True", "yes"].contains(value)
            case "format": continue
            default:
                var name = key
                var negated = false
                if name.hasPrefix("not__") { negated = true; name.removeFirst(5) }
                if name.hasPrefix("or__") || name.hasPrefix("chain__") { name = String(name.drop { $0 != "_" }.dropFirst(2)) }
                var lookup = "exact"
                if let range = name.range(of: "__") {
                    lookup = String(name[range.upperBound...])
                    name = String(name[..<range.lowerBound])
                }
                guard let kind = Self.fields[name] else { throw QueryError.invalidField(key) }
                guard ["exact", "iexact", "gt", "gte", "lt", "lte", "in", "contains", "icontains", "startswith", "istartswith",
                       "endswith", "iendswith", "isnull"].contains(lookup) else { throw QueryError.invalidField(key) }
                conditions.append(Condition(column: Self.columns[name] ?? name, lookup: lookup, value: value, kind: kind, negated: negated))
            }
        }
        if !explicitOrder.isEmpty { orderBy = explicitOrder.map { (column: $0.0, descending: $0.1) } }
    }

    func bind(_ text: String, _ kind: FieldKind) throws -> any Encodable & Sendable {
        switch kind {
        case .int:
            guard let n = Int(text) else { throw QueryError.invalidValue("Invalid value \(text)") }
            return n
        case .bool:
            switch text.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: throw QueryError.invalidValue("Invalid boolean value \(text)")
            }
        case .text: return text
        }
    }

    /// Adds the WHERE clauses to `builder`.
    func apply<B: SQLPredicateBuilder>(to builder: B) throws -> B {
        var b = builder
        for c in conditions {
            let column = SQLColumn(c.column)
            let predicate: any SQLExpression
            switch c.lookup {
            case "exact": predicate = SQLBinaryExpression(column, .equal, SQLBind(try bind(c.value, c.kind)))
            case "iexact": predicate = SQLBinaryExpression(SQLFunction("lower", args: column), .equal, SQLBind(c.value.lowercased()))
            case "gt": predicate = SQLBinaryExpression(column, .greaterThan, SQLBind(try bind(c.value, c.kind)))
            case "gte": predicate = SQLBinaryExpression(column, .greaterThanOrEqual, SQLBind(try bind(c.value, c.kind)))
            case "lt": predicate = SQLBinaryExpression(column, .lessThan, SQLBind(try bind(c.value, c.kind)))
            case "lte": predicate = SQLBinaryExpression(column, .lessThanOrEqual, SQLBind(try bind(c.value, c.kind)))
            case "in":
                let values = try c.value.split(separator: ",").map { try bind(String($0), c.kind) }
                predicate = SQLBinaryExpression(column, .in, SQLGroupExpression(values.map { SQLBind($0) as any SQLExpression }))
            case "isnull":
                let isNull = try bind(c.value, .bool) as? Bool ?? true
                predicate = SQLBinaryExpression(column, isNull ? .is : .isNot, SQLLiteral.null)
            default:
                let escaped = c.value.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
                let pattern: String
                switch c.lookup {
                case "startswith", "istartswith": pattern = escaped + "%"
                case "endswith", "iendswith": pattern = "%" + escaped
                default: pattern = "%" + escaped + "%"
                }
                let caseless = c.lookup.hasPrefix("i")
                predicate = SQLBinaryExpression(caseless ? SQLFunction("lower", args: column) : column, .like,
                                                SQLBind(caseless ? pattern.lowercased() : pattern))
            }
            b = b.where(c.negated ? SQLNegation(inner: predicate) : predicate)
        }
        if let search, !search.isEmpty {
            let pattern = "%" + search.lowercased() + "%"
            b = b.where(SQLBinaryExpression(SQLFunction("lower", args: SQLColumn("stdout")), .like, SQLBind(pattern)))
        }
        return b
    }
}

/// `NOT (expression)`.
struct SQLNegation: SQLExpression {
    let inner: any SQLExpression

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("NOT (")
        inner.serialize(to: &serializer)
        serializer.write(")")
    }
}
