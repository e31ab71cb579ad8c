import Foundation
@testable import Jinja

/// What running one case produced on our side.
enum CorpusOutcome {
    case value(Value)
    case error(JinjaError)
    /// Something other than a JinjaError was thrown (always a failure).
    case foreignError(String)
}

/// Decides whether our outcome matches Python's, with Python's typing rules: unlike
/// `Value ==` (which follows Python's `1 == 1.0 == True`), the corpus wants the same
/// *type* too, so an int where Python produced a float is a failure.
enum CorpusComparison {
    /// nil when the outcome matches, otherwise a one-line explanation.
    static func mismatch(expected: CorpusCase.Expectation, actual: CorpusOutcome) -> String? {
        switch (expected, actual) {
        case let (.value(value, type), .value(got)):
            let gotType = pythonType(of: got)
            if gotType != type { return "type \(gotType), expected \(type)" }
            return strictlyEqual(value, got) ? nil : "different value"
        case let (.value, .error(error)):
            return "raised \(error.kind.rawValue): \(firstLine(error.message))"
        case let (.error(kind, _, _, _), .value):
            return "no error, expected \(kind)"
        case let (.error(kind, message, causeKind, line), .error(error)):
            let accepted = kind == error.kind.rawValue || (kind == "filter" && causeKind == error.kind.rawValue)
            if !accepted { return "raised \(error.kind.rawValue), expected \(kind)" }
            if let line, error.line != line {
                return "error on line \(error.line.map(String.init) ?? "nil"), expected line \(line)"
            }
            // Only undefined-variable messages are compared: they are what users read most
            // and they follow a fixed pattern ("'x' is undefined", "object of type ... has no attribute ...").
            if kind == "undefined", firstLine(error.message) != message {
                return "message '\(firstLine(error.message))', expected '\(message)'"
            }
            return nil
        case let (_, .foreignError(description)):
            return "threw a non-JinjaError: \(description)"
        }
    }

    /// Python's type name for a result, as the generator records it (tuples are lists,
    /// unsafe strings are str).
    static func pythonType(of value: Value) -> String {
        switch value {
        case .unsafe: return "str"
        default: return value.pythonTypeName
        }
    }

    /// Deep equality that also requires equal types at every level and equal dict key order.
    /// NaN equals NaN (the corpus writes it as `NaN`), and 0.0 differs from -0.0.
    static func strictlyEqual(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.float(x), .float(y)):
            if x.isNaN || y.isNaN { return x.isNaN && y.isNaN }
            return x == y && x.sign == y.sign
        case let (.string(x), .string(y)), let (.string(x), .unsafe(y)),
             let (.unsafe(x), .string(y)), let (.unsafe(x), .unsafe(y)):
            return x == y
        case let (.list(x), .list(y)):
            return x.count == y.count && zip(x, y).allSatisfy { strictlyEqual($0, $1) }
        case let (.dict(x), .dict(y)):
            guard x.keys == y.keys else { return false }
            return x.keys.allSatisfy { key in
                guard let left = x[key], let right = y[key] else { return false }
                return strictlyEqual(left, right)
            }
        default:
            return false
        }
    }

    /// A short, JSON-like rendering of an outcome for failure reports.
    static func describe(_ outcome: CorpusOutcome) -> String {
        switch outcome {
        case .value(let value): return "\(describe(value)) (\(pythonType(of: value)))"
        case .error(let error): return "error \(error.kind.rawValue): \(firstLine(error.message))"
        case .foreignError(let text): return "foreign error: \(text)"
        }
    }

    static func describe(_ expectation: CorpusCase.Expectation) -> String {
        switch expectation {
        case let .value(value, type): return "\(describe(value)) (\(type))"
        case let .error(kind, message, causeKind, line):
            return "error \(kind)\(causeKind.map { " or \($0)" } ?? "")\(line.map { " at line \($0)" } ?? ""): \(message)"
        }
    }

    static func describe(_ value: Value) -> String {
        switch value {
        case .undefined(let undefined): return "Undefined(\(undefined.message))"
        case .object(let object): return "<\(object.typeName) object>"
        default: return truncate(JSONFormat(ensureASCII: false).string(value))
        }
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    static func truncate(_ text: String, to limit: Int = 300) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
