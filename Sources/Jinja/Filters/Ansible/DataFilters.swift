import Foundation

/// Ansible's data-structure filters: JSON, bool, combine, dict2items/items2dict,
/// flatten, subelements, extract, mandatory, ternary, type_debug, split, comment.
enum DataFilters {
    static var all: [String: Filter] {
        [
            "to_json": Filter(toJSON),
            "to_nice_json": Filter(toNiceJSON),
            "from_json": Filter(fromJSON),
            "bool": Filter(toBool),
            "combine": Filter(combine),
            "dict2items": Filter(dictToItems),
            "items2dict": Filter(itemsToDict),
            "flatten": Filter(flatten),
            "subelements": Filter(subelements),
            "extract": Filter(extract),
            "mandatory": Filter(acceptsUndefined: true, mandatory),
            "ternary": Filter(ternary),
            "type_debug": Filter(acceptsUndefined: true) { v, _, _ in .string(v.isUndefined ? "UndefinedMarker" : v.pythonTypeName) },
            "split": Filter(split),
            "comment": Filter(comment),
            "rekey_on_member": Filter(rekeyOnMember),
            "default": Filter(acceptsUndefined: true, ansibleDefault),
            "d": Filter(acceptsUndefined: true, ansibleDefault),
            // Ansible raises on undefined input where Jinja yields no items.
            "items": Filter(ListFilters.items),
        ]
    }

    static func jsonFormat(_ a: Arguments, indent: Int?, sortKeys: Bool) throws -> JSONFormat {
        var format = JSONFormat(indent: indent, sortKeys: sortKeys, ensureASCII: true)
        if let v = a.keyword("indent") { format.indent = v.isNull ? nil : try FilterSupport.int(v, 0, name: "indent") }
        if let v = a.keyword("sort_keys") { format.sortKeys = v.isTruthy }
        if let v = a.keyword("ensure_ascii") { format.ensureASCII = v.isTruthy }
        if let v = a.keyword("separators"), !v.isNull {
            guard case .list(let pair) = v, pair.count == 2, let item = pair[0].stringValue, let key = pair[1].stringValue else {
                throw JinjaError(.type, "separators must be a pair of strings")
            }
            format.itemSeparator = item
            format.keySeparator = key
        }
        return format
    }

    static func toJSON(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        .string(try jsonFormat(a, indent: nil, sortKeys: false).string(v, limit: InputLimits.templateSize.value))
    }

    static func toNiceJSON(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let indent = try FilterSupport.int(a.value(0, "indent"), 4, name: "indent")
        let sortKeys = FilterSupport.bool(a.value(1, "sort_keys"), true)
        var format = try jsonFormat(a, indent: indent, sortKeys: sortKeys)
        format.indent = indent
        format.sortKeys = sortKeys
        return .string(try format.string(v, limit: InputLimits.templateSize.value))
    }

    static func fromJSON(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        guard let text = v.stringValue else {
            throw JinjaError(.type, "the JSON object must be str, bytes or bytearray, not \(v.pythonTypeName)")
        }
        let value = try Value.parseJSON(text)
        // The legacy profiles read `{"__ansible_unsafe": text}` back as untrusted text.
        if let profile = a.keyword("profile")?.stringValue, profile == "legacy" || profile.hasPrefix("inventory") {
            return value.legacyUnsafeDecoded
        }
        return value
    }

    /// Ansible's `bool` filter (unknown values fall back to `== 1`).
    static func toBool(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let probe: String?
        switch v {
        case .string(let s), .unsafe(let s): probe = s.lowercased()
        case .bool(let b): probe = b ? "true" : "false"
        case .int(let i): probe = String(i)
        default: probe = nil
        }
        if let probe {
            if ["yes", "on", "true", "1"].contains(probe) { return true }
            if ["no", "off", "false", "0"].contains(probe) { return false }
        }
        return .bool(v == .int(1))
    }

    static func merge(_ x: OrderedDict, _ y: OrderedDict, recursive: Bool, listMerge: String) -> OrderedDict {
        if x.isEmpty || x == y { return y }
        if y.isEmpty { return x }
        var result = x
        for (key, yValue) in y {
            guard let xValue = result[key] else { result[key] = yValue; continue }
            switch (xValue, yValue) {
            case (.dict(let xd), .dict(let yd)):
                result[key] = recursive ? .dict(merge(xd, yd, recursive: recursive, listMerge: listMerge)) : yValue
            case (.list(let xl), .list(let yl)):
                switch listMerge {
                case "append": result[key] = .list(xl + yl)
                case "prepend": result[key] = .list(yl + xl)
                case "append_rp": result[key] = .list(xl.filter { !yl.contains($0) } + yl)
                case "prepend_rp": result[key] = .list(yl + xl.filter { !yl.contains($0) })
                case "keep": break
                default: result[key] = yValue
                }
            default:
                result[key] = yValue
            }
        }
        return result
    }

    static func combine(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        var recursive = false
        var listMerge = "replace"
        for (name, value) in a.keywords {
            switch name {
            case "recursive": recursive = value.isTruthy
            case "list_merge": listMerge = value.pythonString
            default: throw FilterSupport.filterError("'recursive' and 'list_merge' are the only valid keyword arguments")
            }
        }
        guard ["replace", "keep", "append", "prepend", "append_rp", "prepend_rp"].contains(listMerge) else {
            throw FilterSupport.filterError("merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'")
        }
        var terms: [Value] = []
        // ansible-core flattens the terms one level, dropping None (and 'None'/'null') as its flatten does.
        func isNone(_ term: Value) -> Bool { term.isNull || term.stringValue == "None" || term.stringValue == "null" }
        for term in [v] + a.positional where !isNone(term) {
            if case .list(let items) = term { terms += items.filter { !isNone($0) } } else { terms.append(term) }
        }
        guard let lastTerm = terms.last else { return .emptyDict }
        if terms.count == 1 { return lastTerm }
        var result = lastTerm
        for term in terms.dropLast().reversed() {
            guard case .dict(let x) = term, case .dict(let y) = result else {
                throw FilterSupport.filterError("failed to combine variables, expected dicts but got a '\(term.pythonTypeName)' and a '\(result.pythonTypeName)'.")
            }
            result = .dict(merge(x, y, recursive: recursive, listMerge: listMerge))
        }
        return result
    }

    static func dictToItems(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        guard case .dict(let d) = v else {
            throw FilterSupport.filterError("dict2items requires a dictionary, got <class '\(v.pythonTypeName)'> instead.")
        }
        let keyName = FilterSupport.string(a.value(0, "key_name"), "key")
        let valueName = FilterSupport.string(a.value(1, "value_name"), "value")
        return .list(d.map { .dict(OrderedDict([(keyName, .string($0.key)), (valueName, $0.value)])) })
    }

    static func itemsToDict(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        guard case .list(let items) = v else {
            throw FilterSupport.filterError("items2dict requires a list, got <class '\(v.pythonTypeName)'> instead.")
        }
        let keyName = FilterSupport.string(a.value(0, "key_name"), "key")
        let valueName = FilterSupport.string(a.value(1, "value_name"), "value")
        var result = OrderedDict()
        for item in items {
            guard case .dict(let d) = item else {
                throw FilterSupport.filterError("items2dict requires a list of dictionaries, got \(v.pythonRepr) instead.")
            }
            guard let key = d[keyName], let value = d[valueName] else {
                throw FilterSupport.filterError("items2dict requires each dictionary in the list to contain the keys '\(keyName)' and '\(valueName)', got \(v.pythonRepr) instead.")
            }
            result[key.pythonString] = value
        }
        return .dict(result)
    }

    static func flatten(_ items: [Value], levels: Int?, skipNulls: Bool) -> [Value] {
        var result: [Value] = []
        for element in items {
            if skipNulls && (element.isNull || element == "None" || element == "null") { continue }
            if case .list(let inner) = element {
                if let levels {
                    if levels >= 1 { result += flatten(inner, levels: levels - 1, skipNulls: skipNulls) } else { result.append(element) }
                } else {
                    result += flatten(inner, levels: nil, skipNulls: skipNulls)
                }
            } else {
                result.append(element)
            }
        }
        return result
    }

    static func flatten(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let levels = try a.value(0, "levels").flatMap { $0.isNull ? nil : try FilterSupport.int($0, 0, name: "levels") }
        let skipNulls = FilterSupport.bool(a.value(1, "skip_nulls"), true)
        return .list(flatten(try FilterSupport.iterate(v), levels: levels, skipNulls: skipNulls))
    }

    static func subelements(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let elements: [Value]
        switch v {
        case .dict(let d): elements = d.values
        case .list(let l): elements = l
        default: throw FilterSupport.filterError("obj must be a list of dicts or a nested dict")
        }
        let path: [String]
        switch a.value(0, "subelements") {
        case .list(let l)?: path = l.map(\.pythonString)
        case let s? where s.stringValue != nil: path = s.stringValue!.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        default: throw JinjaError(.type, "subelements must be a list or a string")
        }
        let skipMissing = FilterSupport.bool(a.value(1, "skip_missing"), false)
        var results: [Value] = []
        for element in elements {
            var values = element
            for key in path {
                guard case .dict(let d) = values else {
                    throw JinjaError(.type, "the key \(key) should point to a dictionary, got '\(values.pythonString)'")
                }
                if let next = d[key] { values = next } else if skipMissing { values = .list([]); break } else {
                    throw FilterSupport.filterError("could not find \(Value.string(key).pythonRepr) key in iterated item \(values.pythonRepr)")
                }
            }
            guard case .list(let list) = values else {
                throw JinjaError(.type, "the key \(Value.string(path.last ?? "").pythonRepr) should point to a list, got \(values.pythonRepr)")
            }
            for item in list { results.append(.list([element, item])) }
        }
        return .list(results)
    }

    static func extract(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        guard let container = a.value(0, "container") else {
            throw JinjaError(.type, "extract() missing 1 required positional argument: 'container'")
        }
        var keys = [v]
        switch a.value(1, "morekeys") {
        case nil, .null?: break
        case .list(let more)?: keys += more
        case let more?: keys.append(more)
        }
        var value = container
        for key in keys {
            if value.isUndefined { break }
            if case .int(let i) = key { value = FilterSupport.item(value, i) } else { value = FilterSupport.item(value, key.pythonString) }
        }
        return value
    }

    static func mandatory(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        guard case .undefined(let u) = v else { return v }
        if let message = a.value(0, "msg"), !message.isNull { throw FilterSupport.filterError(message.pythonString) }
        // Ansible names the missing variable or attribute.
        var name = ""
        if u.message.hasPrefix("'"), u.message.hasSuffix("' is undefined") {
            name = String(u.message.dropLast(" is undefined".count)) + " "
        } else if let range = u.message.range(of: " has no attribute '"), u.message.hasSuffix("'") {
            name = "'" + u.message[range.upperBound...] + " "
        }
        throw FilterSupport.filterError("Mandatory variable \(name)not defined.")
    }

    static func ternary(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        guard let whenTrue = a.value(0, "true_val"), let whenFalse = a.value(1, "false_val") else {
            throw JinjaError(.type, "ternary() missing required positional argument")
        }
        if v.isNull, let whenNone = a.value(2, "none_val"), !whenNone.isNull { return whenNone }
        return v.isTruthy ? whenTrue : whenFalse
    }

    static func split(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        guard let s = v.stringValue else {
            throw JinjaError(.type, "descriptor 'split' for 'str' objects doesn't apply to a '\(v.pythonTypeName)' object")
        }
        let maxSplit = try FilterSupport.int(a.value(1, "maxsplit"), -1, name: "maxsplit")
        guard let separator = a.value(0, "sep"), !separator.isNull else {
            var parts = FilterSupport.splitWhitespace(s)
            if maxSplit >= 0, parts.count > maxSplit {
                // Re-split keeping the remainder intact, as Python does.
                var rest = Substring(s).drop(while: { $0.isWhitespace })
                var head: [String] = []
                for _ in 0..<maxSplit {
                    let word = rest.prefix(while: { !$0.isWhitespace })
                    head.append(String(word))
                    rest = rest.dropFirst(word.count).drop(while: { $0.isWhitespace })
                }
                parts = rest.isEmpty ? head : head + [String(rest)]
            }
            return .list(parts.map(Value.string))
        }
        let sep = separator.pythonString
        guard !sep.isEmpty else { throw JinjaError(.value, "empty separator") }
        return .list(FilterSupport.split(s, separator: sep, maxSplit: maxSplit).map(Value.string))
    }

    static func comment(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let text = FilterSupport.text(v)
        let style = FilterSupport.string(a.value(0, "style"), "plain")
        let styles: [String: [String: String]] = [
            "plain": ["decoration": "# "], "erlang": ["decoration": "% "], "c": ["decoration": "// "],
            "cblock": ["beginning": "/*", "decoration": " * ", "end": " */"],
            "xml": ["beginning": "<!--", "decoration": " - ", "end": "-->"],
        ]
        guard let styleParams = styles[style] else { throw FilterSupport.filterError("Invalid style \(Value.string(style).pythonRepr).") }
        let edge = a.keyword("decoration")?.pythonString ?? styleParams["decoration"]!
        let trimmedEdge = FilterSupport.strip(edge, chars: nil, leading: false)
        var p: [String: Value] = ["newline": "\n", "beginning": "", "prefix": .string(trimmedEdge), "prefix_count": 1,
                                  "decoration": "", "postfix": .string(trimmedEdge), "postfix_count": 1, "end": ""]
        for (k, s) in styleParams { p[k] = .string(s) }
        for (k, val) in a.keywords { p[k] = val }
        let newline = p["newline"]!.pythonString
        let decoration = p["decoration"]!.pythonString
        let prefix = p["prefix"]!.pythonString
        let postfix = p["postfix"]!.pythonString
        let prefixCount = try FilterSupport.int(p["prefix_count"], 1, name: "prefix_count")
        let postfixCount = try FilterSupport.int(p["postfix_count"], 1, name: "postfix_count")
        let beginning = p["beginning"]!.pythonString.isEmpty ? "" : p["beginning"]!.pythonString + newline
        let prefixUnit = (prefix != newline ? prefix + newline : newline).utf8.count
        try InputLimits.checkTemplateSize(InputLimits.product(prefix.isEmpty ? 0 : max(0, prefixCount), prefixUnit), "comment's prefix_count")
        try InputLimits.checkTemplateSize(InputLimits.product(max(0, postfixCount), postfix.utf8.count + newline.utf8.count), "comment's postfix_count")
        var prefixText = ""
        if !prefix.isEmpty {
            prefixText = String(repeating: prefix != newline ? prefix + newline : newline, count: max(0, prefixCount))
        }
        let body = (decoration + text.replacingOccurrences(of: newline, with: newline + decoration))
            .replacingOccurrences(of: decoration + newline, with: FilterSupport.strip(decoration, chars: nil, leading: false) + newline)
        let postfixText = ([""] + Array(repeating: postfix, count: max(0, postfixCount))).joined(separator: newline)
        let end = p["end"]!.pythonString.isEmpty ? "" : newline + p["end"]!.pythonString
        return .string(beginning + prefixText + body + postfixText + end)
    }

    static func rekeyOnMember(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        let key = FilterSupport.string(a.value(0, "key"), "")
        let duplicates = FilterSupport.string(a.value(1, "duplicates"), "error")
        guard duplicates == "error" || duplicates == "overwrite" else {
            throw FilterSupport.filterError("duplicates parameter to rekey_on_member has unknown value \(Value.string(duplicates).pythonRepr)")
        }
        let items: [Value]
        switch v {
        case .dict(let d): items = d.values
        case .list(let l): items = l
        default: throw FilterSupport.filterError("Type is not a valid list, set, or dict")
        }
        var result = OrderedDict()
        for item in items {
            guard case .dict(let d) = item else { throw FilterSupport.filterError("List item is not a valid dict") }
            guard let k = d[key] else { throw FilterSupport.filterError("Key \(Value.string(key).pythonRepr) was not found.") }
            let name = k.pythonString
            if result[name] != nil && duplicates == "error" {
                throw FilterSupport.filterError("Key \(k.pythonRepr) is not unique, cannot convert to dict.")
            }
            result[name] = item
        }
        return .dict(result)
    }

    static func ansibleDefault(_ v: Value, _ a: Arguments, _ c: CallContext) throws -> Value {
        if let boolean = a.value(1, "boolean"), boolean.boolValue == nil {
            throw JinjaError(.type, "The 'boolean' argument must be of type 'bool', not '\(boolean.pythonTypeName)'.")
        }
        return try HigherOrderFilters.defaultFilter(v, a, c)
    }
}
