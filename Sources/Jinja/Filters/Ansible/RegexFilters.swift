import Foundation

/// Ansible's `regex_replace`, `regex_search`, `regex_findall` and `regex_escape`.
enum RegexFilters {
    static var all: [String: Filter] {
        [
            "regex_replace": Filter(replace),
            "regex_search": Filter(search),
            "regex_findall": Filter(findAll),
            "regex_escape": Filter(escape),
        ]
    }

    static func flag(_ a: Arguments, _ index: Int, _ name: String) -> Bool {
        FilterSupport.bool(a.value(index, name), false)
    }

    static func replace(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let text = FilterSupport.text(v)
        let pattern = FilterSupport.string(a.value(0, "pattern"), "")
        let replacement = FilterSupport.string(a.value(1, "replacement"), "")
        let regex = try PythonRegex(pattern, ignoreCase: flag(a, 2, "ignorecase"), multiline: flag(a, 3, "multiline"))
        let count = try FilterSupport.int(a.value(4, "count"), 0, name: "count")
        let mandatoryCount = try FilterSupport.int(a.value(5, "mandatory_count"), 0, name: "mandatory_count")
        let (output, made) = try regex.substitute(text, template: replacement, count: count)
        if mandatoryCount != 0 && mandatoryCount != made {
            throw FilterSupport.filterError("'\(pattern)' should match \(mandatoryCount) times, but matches \(count) times in '\(text)'")
        }
        return .string(output)
    }

    static func search(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let text = FilterSupport.text(v)
        guard let pattern = a.positional.first else {
            throw JinjaError(.type, "regex_search() missing 1 required positional argument: 'regex'")
        }
        enum GroupRef { case number(Int), name(String) }
        var refs: [GroupRef] = []
        for arg in a.positional.dropFirst() {
            let s = arg.pythonString
            if s.hasPrefix("\\g") {
                guard s.hasPrefix("\\g<"), s.hasSuffix(">"), s.count > 4 else { throw FilterSupport.filterError("Unknown argument") }
                let name = String(s.dropFirst(3).dropLast())
                refs.append(Int(name).map(GroupRef.number) ?? .name(name))
            } else if s.hasPrefix("\\"), let n = Int(s.dropFirst().prefix(while: { $0.isNumber })) {
                refs.append(.number(n))
            } else {
                throw FilterSupport.filterError("Unknown argument")
            }
        }
        let regex = try PythonRegex(pattern.pythonString, ignoreCase: a.keyword("ignorecase")?.isTruthy ?? false,
                                    multiline: a.keyword("multiline")?.isTruthy ?? false)
        guard let m = regex.search(text) else { return .null }
        if refs.isEmpty { return .string(m.text) }
        return .list(try refs.map { ref -> Value in
            switch ref {
            case .number(let n):
                guard n < m.groups.count else { throw JinjaError(.runtime, "IndexError: no such group") }
                return m.groups[n].map(Value.string) ?? .null
            case .name(let name):
                guard let found = m.group(name) else { throw JinjaError(.runtime, "IndexError: no such group") }
                return found.map(Value.string) ?? .null
            }
        })
    }

    static func findAll(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let text = FilterSupport.text(v)
        let pattern = FilterSupport.string(a.value(0, "regex"), "")
        let regex = try PythonRegex(pattern, ignoreCase: flag(a, 2, "ignorecase"), multiline: flag(a, 1, "multiline"))
        return .list(regex.findAll(text))
    }

    static func escape(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let text = FilterSupport.text(v)
        let type = FilterSupport.string(a.value(0, "re_type"), "python")
        switch type {
        case "python": return .string(PythonRegex.escape(text))
        case "posix_basic":
            var out = ""
            for ch in text {
                if "].[^$*\\".contains(ch) { out.append("\\") }
                out.append(ch)
            }
            return .string(out)
        case "posix_extended": throw FilterSupport.filterError("Regex type (\(type)) not yet implemented")
        default: throw FilterSupport.filterError("Invalid regex type (\(type))")
        }
    }
}
