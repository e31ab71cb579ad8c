import SQLKit

/// A scalar bound into SQL.
public enum SQLValue: Sendable, Equatable {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)
    case null

    var expression: any SQLExpression {
        switch self {
        case .int(let v): return SQLBind(v)
        case .double(let v): return SQLBind(v)
        case .string(let v): return SQLBind(v)
        case .bool(let v): return SQLBind(v)
        case .null: return SQLLiteral.null
        }
    }
}

/// SQL text with bound values, built piece by piece; SQLKit renders the placeholders for
/// the connection's engine (`?` on SQLite, `$n` on PostgreSQL).
public struct SQLFragment: SQLExpression, Sendable {
    private var parts: [any SQLExpression & Sendable] = []

    public init() {}
    public init(_ raw: String) { parts.append(SQLRaw(raw)) }

    public static func + (a: SQLFragment, b: SQLFragment) -> SQLFragment {
        var result = a
        result.parts += b.parts
        return result
    }

    public mutating func append(_ raw: String) { parts.append(SQLRaw(raw)) }
    public mutating func append(_ fragment: SQLFragment) { parts += fragment.parts }
    public mutating func bind(_ value: SQLValue) {
        switch value {
        case .int(let v): parts.append(SQLBind(v))
        case .double(let v): parts.append(SQLBind(v))
        case .string(let v): parts.append(SQLBind(v))
        case .bool(let v): parts.append(SQLBind(v))
        case .null: parts.append(SQLRaw("NULL"))
        }
    }

    public var isEmpty: Bool { parts.isEmpty }

    /// `a AND b AND …` (each parenthesised); empty when there is nothing to join.
    public static func joined(_ fragments: [SQLFragment], with separator: String) -> SQLFragment {
        var result = SQLFragment()
        for (i, fragment) in fragments.enumerated() {
            if i > 0 { result.append(" \(separator) ") }
            result.append("(")
            result.append(fragment)
            result.append(")")
        }
        return result
    }

    public func serialize(to serializer: inout SQLSerializer) {
        for part in parts { part.serialize(to: &serializer) }
    }
}
