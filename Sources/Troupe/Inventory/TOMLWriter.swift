import Foundation
import Jinja

/// Writes TOML the way the `tomli-w` library (what ansible-inventory uses) does: a table's
/// plain values first, then its sub-tables as `[dotted.name]` sections (a section header
/// only where the table has plain values or is empty), arrays one item per line with a
/// trailing comma, dictionaries inside arrays as inline tables.
struct TOMLWriter {
    struct Unserializable: Error, CustomStringConvertible {
        var typeName: String
        var description: String { "Object of type '\(typeName)' is not TOML serializable" }
    }

    private let indent = "    "

    /// The document for a top-level table.
    func document(_ table: OrderedDict) throws -> String {
        var out = ""
        try writeTable(table, name: nil, into: &out)
        return out
    }

    private func writeTable(_ table: OrderedDict, name: String?, into out: inout String) throws {
        var literals: [(String, Value)] = []
        var tables: [(String, OrderedDict)] = []
        for (key, value) in table {
            if let sub = value.dictValue { tables.append((key, sub)) } else { literals.append((key, value)) }
        }
        var wrote = false
        if let name, !literals.isEmpty || tables.isEmpty {
            out += "[\(name)]\n"
            wrote = true
        }
        for (key, value) in literals {
            out += "\(keyPart(key)) = \(try literal(value, level: 0))\n"
            wrote = true
        }
        for (key, sub) in tables {
            if wrote { out += "\n" }
            wrote = true
            try writeTable(sub, name: name.map { "\($0).\(keyPart(key))" } ?? keyPart(key), into: &out)
        }
    }

    /// A bare key when it only has letters, digits, `_` and `-`; a quoted one otherwise.
    private func keyPart(_ key: String) -> String {
        let bare = !key.isEmpty && key.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
        return bare ? key : quoted(key)
    }

    private func literal(_ value: Value, level: Int) throws -> String {
        switch value {
        case .bool(let flag): return flag ? "true" : "false"
        case .int: return value.pythonString
        case .float(let number):
            if number.isNaN { return "nan" }
            if number.isInfinite { return number < 0 ? "-inf" : "inf" }
            return value.pythonRepr
        case .string(let text), .unsafe(let text): return quoted(text)
        case .vault: throw Unserializable(typeName: "EncryptedString")
        case .list(let items):
            guard !items.isEmpty else { return "[]" }
            let itemIndent = String(repeating: indent, count: level + 1)
            let closing = String(repeating: indent, count: level)
            return "[\n" + (try items.map { itemIndent + (try literal($0, level: level + 1)) }).joined(separator: ",\n") + ",\n\(closing)]"
        case .dict(let dict):
            guard !dict.isEmpty else { return "{}" }
            return "{ " + (try dict.map { "\(keyPart($0.key)) = \(try literal($0.value, level: level))" }).joined(separator: ", ") + " }"
        default:
            throw Unserializable(typeName: value.isNull ? "NoneType" : value.pythonTypeName)
        }
    }

    /// A basic string with TOML's escapes (`\b \t \n \f \r \" \\`, `\u00XX` for other controls).
    private func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{08}": out += "\\b"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\u{0C}": out += "\\f"
            case "\r": out += "\\r"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
