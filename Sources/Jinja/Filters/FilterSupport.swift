import Foundation

/// Shared plumbing for filter and test implementations: argument coercion, attribute
/// paths and Python-style conversions, so each filter body reads like its Python twin.
enum FilterSupport {
    /// `str(value)`; undefined prints as empty (Jinja's default Undefined).
    static func text(_ value: Value) -> String { value.pythonString }

    /// Raises the undefined error carried by `value`, if it is undefined.
    static func requireDefined(_ value: Value) throws {
        if case .undefined(let u) = value { throw JinjaError(.undefined, u.message) }
    }

    /// Follows a Jinja attribute path (`"a.b.0"`): dict keys, list indexes for digit parts.
    /// Returns `.undefined` when a step is missing, as `environment.getitem` does.
    static func attribute(_ value: Value, path: String) -> Value {
        var current = value
        for part in path.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            current = item(current, part)
            if current.isUndefined { return current }
        }
        return current
    }

    /// Path given as a string or an int (`attribute=0`).
    static func attribute(_ value: Value, path: Value) -> Value {
        if case .int(let i) = path { return item(value, i) }
        return attribute(value, path: path.pythonString)
    }

    static func item(_ value: Value, _ key: String) -> Value {
        switch value {
        // Jinja's attribute getter falls back to Python attributes, so method names
        // resolve to the bound method (`groupby('lower')` groups by `str.lower`).
        case .dict(let d):
            if let v = d[key] { return v }
            if PythonMethods.dictMethods.contains(key) { return .object(BoundMethod(value, key)) }
        case .list, .string, .unsafe:
            if let i = Int(key) { return item(value, i) }
            if let field = Access.groupTupleField(value, key) { return field }
            let methods = value.listValue != nil ? PythonMethods.listMethods : PythonMethods.stringMethods
            if methods.contains(key) { return .object(BoundMethod(value, key)) }
        case .object(let o):
            if let v = o.attribute(key) { return v }
        case .undefined:
            return value
        default: break
        }
        return .undefined(Undefined("object of type '\(value.pythonTypeName)' has no attribute '\(key)'"))
    }

    static func item(_ value: Value, _ index: Int) -> Value {
        switch value {
        case .list(let l):
            let i = index < 0 ? l.count + index : index
            if i >= 0 && i < l.count { return l[i] }
        case .string(let s), .unsafe(let s):
            let chars = Array(s)
            let i = index < 0 ? chars.count + index : index
            if i >= 0 && i < chars.count { return .string(String(chars[i])) }
        case .dict(let d):
            if let v = d[String(index)] { return v }
        default: break
        }
        return .undefined(Undefined("object of type '\(value.pythonTypeName)' has no attribute \(index)"))
    }

    /// An argument that must be an int (bools count, as in Python).
    static func int(_ value: Value?, _ fallback: Int, name: String) throws -> Int {
        guard let value, !value.isNull else { return fallback }
        if let i = value.intValue { return i }
        if case .float(let d) = value, let i = exactInt(d) { return i }
        throw JinjaError(.type, "'\(value.pythonTypeName)' object cannot be interpreted as an integer")
    }

    /// `Int(d)` truncated, or nil when `d` is not finite or does not fit (never traps).
    static func exactInt(_ d: Double) -> Int? {
        guard d.isFinite, d > -9.2e18, d < 9.2e18 else { return nil }
        return Int(d)
    }

    static func bool(_ value: Value?, _ fallback: Bool) -> Bool {
        guard let value else { return fallback }
        return value.isTruthy
    }

    static func string(_ value: Value?, _ fallback: String) -> String {
        guard let value, !value.isUndefined else { return fallback }
        return value.pythonString
    }

    /// Iterates like Python's `for x in value`, with Python's TypeError wording.
    static func iterate(_ value: Value) throws -> [Value] { try value.pythonIterate() }

    /// Ansible's AnsibleFilterError (kind `.filter`).
    static func filterError(_ message: String) -> JinjaError { JinjaError(.filter, message) }

    /// Lowercases strings for case-insensitive comparisons, as Jinja's `ignore_case`.
    static func foldCase(_ value: Value, caseSensitive: Bool) -> Value {
        if !caseSensitive, let s = value.stringValue { return .string(s.lowercased()) }
        return value
    }

    /// A stable sort with Python comparison semantics (errors propagate).
    static func sorted(_ items: [Value], reverse: Bool = false, key: (Value) throws -> Value) throws -> [Value] {
        let keyed = try items.enumerated().map { (offset: $0.offset, key: try key($0.element), value: $0.element) }
        var failure: Error?
        let result = keyed.sorted { a, b in
            if failure != nil { return false }
            do {
                let order = try Value.pythonCompare(a.key, b.key)
                if order == 0 { return a.offset < b.offset }
                return reverse ? order > 0 : order < 0
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        return result.map(\.value)
    }

    /// Python's `str.split()` with no separator.
    static func splitWhitespace(_ s: String) -> [String] {
        s.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }

    /// Python's `str.split(sep, maxsplit)`.
    static func split(_ s: String, separator: String, maxSplit: Int = -1) -> [String] {
        var parts: [String] = []
        var rest = Substring(s)
        while maxSplit < 0 || parts.count < maxSplit, let range = rest.range(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }

    /// Python `str.strip(chars)`.
    static func strip(_ s: String, chars: String?, leading: Bool = true, trailing: Bool = true) -> String {
        let isStripped: (Character) -> Bool = { c in
            if let chars { return chars.contains(c) }
            return c.isWhitespace
        }
        var scalars = Substring(s)
        if leading { while let f = scalars.first, isStripped(f) { scalars.removeFirst() } }
        if trailing { while let l = scalars.last, isStripped(l) { scalars.removeLast() } }
        return String(scalars)
    }
}
