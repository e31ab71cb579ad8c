import Foundation

/// JSON text the way Python's `json.dumps` writes it, so output matches Ansible's
/// byte for byte: `", "`/`": "` separators without indent, `","`/`": "` with indent,
/// optional sorted keys, and `\uXXXX` escapes when `ensureASCII` is on.
public struct JSONFormat: Sendable {
    /// Python's `indent`: spaces per nesting level, one item per line; nil writes everything on one line.
    public var indent: Int?
    /// Python's `sort_keys`: dict keys sorted by code point instead of insertion order.
    public var sortKeys: Bool
    /// Python's `ensure_ascii`: non-ASCII characters written as `\uXXXX` escapes (surrogate pairs above U+FFFF).
    public var ensureASCII: Bool
    /// Python's `separators=(item, key)` first part; nil keeps json.dumps' default.
    public var itemSeparator: String?
    /// Python's `separators=(item, key)` second part; nil keeps json.dumps' `": "`.
    public var keySeparator: String?

    /// A format with `json.dumps`' defaults unless overridden; separators start as nil (Python's defaults).
    public init(indent: Int? = nil, sortKeys: Bool = false, ensureASCII: Bool = true) {
        self.indent = indent
        self.sortKeys = sortKeys
        self.ensureASCII = ensureASCII
    }

    /// `value` as JSON text. Undefined becomes `null`, unsafe and vault values their text,
    /// objects their rendered string; NaN and infinities are written as Python does.
    public func string(_ value: Value) -> String {
        var out = ""
        // With no size limit `write` has nothing to throw.
        try? write(value, depth: 0, limit: .max, into: &out)
        return out
    }

    /// `value` as JSON text, failing once the text would pass `limit` UTF-8 bytes
    /// (for templates, where the indent and the data come from the user).
    public func string(_ value: Value, limit: Int) throws -> String {
        var out = ""
        try write(value, depth: 0, limit: limit, into: &out)
        return out
    }

    private func write(_ value: Value, depth: Int, limit: Int, into out: inout String) throws {
        switch value {
        case .null, .undefined: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else { out += Value.pythonFloatRepr(d) }
        case .string(let s), .unsafe(let s), .vault(let s): writeString(s, into: &out)
        case .object(let o): writeString(o.renderedString, into: &out)
        case .list(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += separator }
                try newline(depth + 1, limit: limit, into: &out)
                try write(item, depth: depth + 1, limit: limit, into: &out)
            }
            try newline(depth, limit: limit, into: &out)
            out += "]"
        case .dict(let dict):
            if dict.isEmpty { out += "{}"; return }
            out += "{"
            let keys = sortKeys ? dict.keys.sorted(by: Value.pythonStringLess) : dict.keys
            for (i, key) in keys.enumerated() {
                if i > 0 { out += separator }
                try newline(depth + 1, limit: limit, into: &out)
                writeString(key, into: &out)
                out += keySeparator ?? ": "
                try write(dict[key] ?? .null, depth: depth + 1, limit: limit, into: &out)
            }
            try newline(depth, limit: limit, into: &out)
            out += "}"
        }
    }

    private static let hexDigits = Array("0123456789abcdef".unicodeScalars)

    /// `\\uXXXX` with lowercase hex, as Python writes it.
    private static func appendEscape(_ value: UInt32, into out: inout String) {
        out += "\\u"
        for shift in stride(from: 12, through: 0, by: -4) {
            out.unicodeScalars.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)])
        }
    }

    private var separator: String { itemSeparator ?? (indent == nil ? ", " : ",") }

    /// A newline and the indent of `depth` (Python's `' ' * indent`: a negative indent
    /// means none). Checks the size before allocating the indent.
    private func newline(_ depth: Int, limit: Int, into out: inout String) throws {
        guard let indent else { return }
        let spaces = InputLimits.product(max(0, indent), depth)
        if InputLimits.sum(out.utf8.count, spaces) > limit {
            throw JinjaError(.runtime, "OverflowError: JSON text would pass \(limit) characters (\(InputLimits.templateSize.hint))")
        }
        out += "\n"
        out += String(repeating: " ", count: spaces)
    }

    private func writeString(_ s: String, into out: inout String) {
        out += "\""
        // Most strings need no escaping: copy them whole.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f && $0 != 0x22 && $0 != 0x5c }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || (ensureASCII && scalar.value > 0x7f) {
                    if scalar.value > 0xFFFF {
                        let v = scalar.value - 0x10000
                        Self.appendEscape(0xD800 + (v >> 10), into: &out)
                        Self.appendEscape(0xDC00 + (v & 0x3FF), into: &out)
                    } else {
                        Self.appendEscape(scalar.value, into: &out)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension Value {
    /// Python's default ordering of str keys (by code point).
    public static func pythonStringLess(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    /// Compact JSON as `json.dumps(value)` writes it.
    public var jsonString: String { JSONFormat().string(self) }

    /// Parses JSON text (Python's `json.loads`: NaN/Infinity accepted, ints stay ints).
    public static func parseJSON(_ text: String) throws -> Value {
        var parser = JSONParser(Array(text.utf8))
        let value = try parser.parseTop()
        return value
    }
}

/// A small strict JSON parser producing ordered dicts (Foundation's loses key order).
struct JSONParser {
    let bytes: [UInt8]
    var i = 0
    /// Open arrays and objects around the current position; bounded by
    /// ``InputLimits/jsonDepth`` so deeply nested input cannot exhaust the stack.
    var depth = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Python raises RecursionError for deeply nested JSON; we stop at a fixed depth.
    mutating func enter(_ what: String) throws {
        depth += 1
        if depth > InputLimits.jsonDepth.value {
            throw JinjaError(.value, "RecursionError: JSON nested deeper than \(InputLimits.jsonDepth.value) levels while decoding a JSON \(what) at char \(i) (\(InputLimits.jsonDepth.hint))")
        }
    }

    mutating func parseTop() throws -> Value {
        skipSpace()
        let v = try parseValue()
        skipSpace()
        if i != bytes.count { throw error("Extra data") }
        return v
    }

    func error(_ what: String) -> JinjaError {
        JinjaError(.value, "\(what): line 1 column \(i + 1) (char \(i))")
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    mutating func literal(_ word: String, _ value: Value) throws -> Value {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw error("Expecting value") }
        i += w.count
        return value
    }

    mutating func parseValue() throws -> Value {
        guard i < bytes.count else { throw error("Expecting value") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "N"): return try literal("NaN", .float(.nan))
        case UInt8(ascii: "I"): return try literal("Infinity", .float(.infinity))
        default: return try parseNumber()
        }
    }

    mutating func parseNumber() throws -> Value {
        let start = i
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "I") { return try literal("Infinity", .float(-.infinity)) }
        }
        var isFloat = false
        while i < bytes.count {
            let c = bytes[i]
            if c >= 0x30 && c <= 0x39 { i += 1 } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || ((c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) && isFloat) { isFloat = true; i += 1 } else { break }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if text.isEmpty || text == "-" { throw error("Expecting value") }
        if !isFloat, let n = Int(text) { return .int(n) }
        if let d = Double(text) { return .float(d) }
        throw error("Expecting value")
    }

    mutating func parseString() throws -> String {
        i += 1
        var out = [UInt8]()
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { break }
                let e = bytes[i]; i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if code >= 0xD800 && code < 0xDC00, i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    out.append(contentsOf: Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
                default: out.append(e)
                }
            } else {
                out.append(c); i += 1
            }
        }
        throw error("Unterminated string starting at")
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else { throw error("Invalid \\uXXXX escape") }
        i += 4
        return v
    }

    mutating func parseArray() throws -> Value {
        try enter("array")
        defer { depth -= 1 }
        i += 1
        var items = [Value]()
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
        while true {
            skipSpace()
            items.append(try parseValue())
            skipSpace()
            guard i < bytes.count else { throw error("Expecting ',' delimiter") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
            throw error("Expecting ',' delimiter")
        }
    }

    mutating func parseObject() throws -> Value {
        try enter("object")
        defer { depth -= 1 }
        i += 1
        var dict = OrderedDict()
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .dict(dict) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("Expecting property name enclosed in double quotes") }
            let key = try parseString()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("Expecting ':' delimiter") }
            i += 1
            skipSpace()
            dict[key] = try parseValue()
            skipSpace()
            guard i < bytes.count else { throw error("Expecting ',' delimiter") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .dict(dict) }
            throw error("Expecting ',' delimiter")
        }
    }
}

extension Value {
    /// ansible-core's legacy JSON form of an untrusted string, `{"__ansible_unsafe": "text"}`
    /// (inventory scripts, `-e` JSON, `ansible-inventory` output), as the untrusted string.
    public var legacyUnsafeDecoded: Value {
        switch self {
        case .dict(let d):
            if d.count == 1, let text = d["__ansible_unsafe"]?.stringValue { return .unsafe(text) }
            return .dict(OrderedDict(d.map { ($0.key, $0.value.legacyUnsafeDecoded) }))
        case .list(let items): return .list(items.map(\.legacyUnsafeDecoded))
        default: return self
        }
    }
}
