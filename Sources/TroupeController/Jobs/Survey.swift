import Foundation

/// A job template's `survey_spec` at launch: AWX's validation of each answer (type,
/// required, min/max, choices), defaults for unanswered questions, and the password
/// answers that must be shown as `$encrypted$` wherever extra_vars are displayed.
struct Survey {
    /// `survey_spec["spec"]`: one dictionary per question.
    let questions: [[String: Any]]

    init(spec: [String: Any]) {
        questions = spec["spec"] as? [[String: Any]] ?? []
    }

    /// Variables whose answers are secrets.
    var passwordVariables: [String] {
        questions.compactMap { $0["type"] as? String == "password" ? $0["variable"] as? String : nil }
    }

    /// Validation errors for the answers in `data` (AWX's messages), in question order.
    func errors(_ data: [String: Any]) -> [String] {
        questions.flatMap { errors(question: $0, data) }
    }

    /// Unanswered questions that have a default, with that default.
    func defaults(_ data: [String: Any]) -> [String: Any] {
        var out: [String: Any] = [:]
        for q in questions {
            guard let name = q["variable"] as? String, data[name] == nil, let value = q["default"] else { continue }
            if let text = value as? String, text.isEmpty, q["required"] as? Bool != true { continue }
            if q["type"] as? String == "integer", let text = value as? String, let n = Int(text) { out[name] = n; continue }
            if q["type"] as? String == "float", let text = value as? String, let n = Double(text) { out[name] = n; continue }
            if q["type"] as? String == "multiselect", let text = value as? String {
                out[name] = text.split(separator: "\n").map(String.init)
                continue
            }
            out[name] = value
        }
        return out
    }

    /// `extra_vars` for display: password answers replaced by `$encrypted$`.
    func redacted(_ vars: [String: Any]) -> [String: Any] {
        var out = vars
        for name in passwordVariables where out[name] != nil { out[name] = "$encrypted$" }
        return out
    }

    private func errors(question q: [String: Any], _ data: [String: Any]) -> [String] {
        guard let name = q["variable"] as? String else { return [] }
        let type = q["type"] as? String ?? "text"
        let required = q["required"] as? Bool ?? false
        let value = data[name]
        if type == "password", let text = value as? String, text == "$encrypted$" {
            return q["default"] == nil && required ? ["'\(name)' value missing"] : []
        }
        guard let value else { return required ? ["'\(name)' value missing"] : [] }
        var out: [String] = []
        let minimum = Self.bound(q["min"]), maximum = Self.bound(q["max"])
        switch type {
        case "text", "textarea", "password":
            guard let text = value as? String else { return ["Value \(Self.python(value)) for '\(name)' expected to be a string."] }
            if let minimum, Double(text.count) < minimum {
                out.append("'\(name)' value \(text) is too small (length is \(text.count) must be at least \(Self.python(q["min"]!))).")
            }
            if let maximum, Double(text.count) > maximum {
                out.append("'\(name)' value \(text) is too large (must be no more than \(Self.python(q["max"]!))).")
            }
        case "integer", "float":
            let number: Double?
            if type == "integer" {
                number = Self.isInteger(value) ? (value as? NSNumber)?.doubleValue : nil
                guard number != nil else { return ["Value \(Self.python(value)) for '\(name)' expected to be an integer."] }
            } else {
                number = Self.isNumber(value) ? (value as? NSNumber)?.doubleValue : nil
                guard number != nil else { return ["Value \(Self.python(value)) for '\(name)' expected to be a numeric type."] }
            }
            if let minimum, let number, number < minimum {
                out.append("'\(name)' value \(Self.python(value)) is too small (must be at least \(Self.python(q["min"]!))).")
            }
            if let maximum, let number, number > maximum {
                out.append("'\(name)' value \(Self.python(value)) is too large (must be no more than \(Self.python(q["max"]!))).")
            }
        case "multiselect":
            guard let list = value as? [Any] else { return ["'\(name)' value is expected to be a list."] }
            let choices = Self.choices(q["choices"])
            for item in list where !choices.contains(Self.python(item)) || !(item is String) {
                out.append("Value \(Self.python(item)) for '\(name)' expected to be one of \(Self.python(choices)).")
            }
        case "multiplechoice":
            let choices = Self.choices(q["choices"])
            if !(value is String) || !choices.contains(Self.python(value)) {
                out.append("Value \(Self.python(value)) for '\(name)' expected to be one of \(Self.python(choices)).")
            }
        default: break
        }
        return out
    }

    static func choices(_ value: Any?) -> [String] {
        if let list = value as? [Any] { return list.map { python($0) } }
        if let text = value as? String {
            return text.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
        return []
    }

    static func bound(_ value: Any?) -> Double? {
        switch value {
        case let n as NSNumber: return n.doubleValue
        case let s as String: return Double(s)
        default: return nil
        }
    }

    static func isNumber(_ value: Any) -> Bool {
        guard let n = value as? NSNumber else { return false }
        return !isBool(n)
    }

    static func isInteger(_ value: Any) -> Bool {
        guard let n = value as? NSNumber, !isBool(n) else { return false }
        return n.doubleValue == n.doubleValue.rounded() && !(String(describing: n).contains("."))
    }

    static func isBool(_ n: NSNumber) -> Bool {
        String(cString: n.objCType) == "c"
    }

    /// Python's `%s` of a JSON value (lists as `['a', 'b']`).
    static func python(_ value: Any) -> String {
        switch value {
        case let s as String: return s
        case let list as [Any]: return "[" + list.map { $0 is String ? "'\($0)'" : python($0) }.joined(separator: ", ") + "]"
        case let n as NSNumber:
            if isBool(n) { return n.boolValue ? "True" : "False" }
            return "\(n)"
        case is NSNull: return "None"
        default: return "\(value)"
        }
    }
}
