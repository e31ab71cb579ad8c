import Foundation

/// Python's `str.format` with the format-spec mini-language
/// (`[[fill]align][sign][#][0][width][,][.precision][type]`).
enum StringFormat {
    static func format(_ template: String, _ args: Arguments) throws -> String {
        let chars = Array(template)
        var out = ""
        var autoIndex = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "}" {
                guard i + 1 < chars.count, chars[i + 1] == "}" else {
                    throw JinjaError(.value, "Single '}' encountered in format string")
                }
                out += "}"; i += 2; continue
            }
            guard c == "{" else { out.append(c); i += 1; continue }
            if i + 1 < chars.count && chars[i + 1] == "{" { out += "{"; i += 2; continue }
            if i + 1 == chars.count { throw JinjaError(.value, "Single '{' encountered in format string") }
            var j = i + 1
            var depth = 1
            while j < chars.count {
                if chars[j] == "{" { depth += 1 } else if chars[j] == "}" { depth -= 1; if depth == 0 { break } }
                j += 1
            }
            guard j < chars.count else { throw JinjaError(.value, "expected '}' before end of string") }
            let field = String(chars[(i + 1)..<j])
            i = j + 1
            var name = field, spec = "", conversion: Character?
            if let colon = field.firstIndex(of: ":") {
                name = String(field[..<colon])
                spec = String(field[field.index(after: colon)...])
            }
            if let bang = name.firstIndex(of: "!") {
                conversion = name[name.index(after: bang)...].first
                name = String(name[..<bang])
            }
            if spec.contains("{") { spec = try format(spec, args) }
            var value = try resolveField(name, args, &autoIndex)
            if conversion == "r" || conversion == "a" { value = .string(value.pythonRepr) } else if conversion == "s" { value = .string(value.pythonString) }
            out += try formatValue(value, spec: spec)
        }
        return out
    }

    private static func resolveField(_ field: String, _ args: Arguments, _ autoIndex: inout Int) throws -> Value {
        var head = field
        var rest = ""
        if let split = field.firstIndex(where: { $0 == "." || $0 == "[" }) {
            head = String(field[..<split])
            rest = String(field[split...])
        }
        var value: Value
        if head.isEmpty {
            guard autoIndex < args.positional.count else {
                throw JinjaError(.runtime, "Replacement index \(autoIndex) out of range for positional args tuple")
            }
            value = args.positional[autoIndex]
            autoIndex += 1
        } else if let index = Int(head) {
            guard index < args.positional.count else {
                throw JinjaError(.runtime, "Replacement index \(index) out of range for positional args tuple")
            }
            value = args.positional[index]
        } else {
            guard let v = args.keyword(head) else { throw JinjaError(.runtime, "'\(head)'") }
            value = v
        }
        var r = Substring(rest)
        while let first = r.first {
            if first == "." {
                r = r.dropFirst()
                let name = r.prefix(while: { $0 != "." && $0 != "[" })
                r = r.dropFirst(name.count)
                if case .dict = value { throw JinjaError(.runtime, "'dict' object has no attribute '\(name)'") }
                value = Access.attribute(value, String(name))
            } else {
                r = r.dropFirst()
                let key = r.prefix(while: { $0 != "]" })
                r = r.dropFirst(key.count + 1)
                value = try Access.item(value, Int(key).map(Value.int) ?? .string(String(key)))
            }
            if case .undefined(let u) = value { throw JinjaError(.undefined, u.message) }
        }
        if case .undefined(let u) = value { throw JinjaError(.undefined, u.message) }
        return value
    }

    /// `format(value, spec)`.
    static func formatValue(_ value: Value, spec: String) throws -> String {
        if spec.isEmpty { return value.pythonString }
        var chars = Array(spec)
        var fill: Character = " "
        var align: Character?
        if chars.count >= 2, "<>^=".contains(chars[1]) {
            fill = chars[0]; align = chars[1]; chars.removeFirst(2)
        } else if let first = chars.first, "<>^=".contains(first) {
            align = first; chars.removeFirst()
        }
        var sign: Character = "-"
        if let first = chars.first, "+- ".contains(first) { sign = first; chars.removeFirst() }
        var alternate = false
        if chars.first == "#" { alternate = true; chars.removeFirst() }
        if chars.first == "0" {
            if align == nil { fill = "0"; align = "=" }
            chars.removeFirst()
        }
        var width = 0
        while let d = chars.first?.wholeNumberValue, chars.first!.isASCII { width = min(width * 10 + d, PercentFormat.maxWidth); chars.removeFirst() }
        var grouping: Character?
        if let first = chars.first, first == "," || first == "_" { grouping = first; chars.removeFirst() }
        var precision: Int?
        if chars.first == "." {
            chars.removeFirst()
            var p = 0
            while let d = chars.first?.wholeNumberValue, chars.first!.isASCII { p = min(p * 10 + d, 1000); chars.removeFirst() }
            precision = p
        }
        let type = chars.first
        if chars.count > 1 { throw JinjaError(.value, "Invalid format specifier '\(spec)' for object of type '\(value.pythonTypeName)'") }

        var body: String
        var negative = false
        let typeName = value.pythonTypeName
        func unknown(_ code: String) -> JinjaError {
            JinjaError(.value, "Unknown format code '\(code)' for object of type '\(typeName)'")
        }
        if type == "s" || (type == nil && (!value.isNumeric || value.boolValue != nil)) {
            if type == "s" && value.stringValue == nil { throw unknown("s") }
            body = value.pythonString
            if let precision { body = String(body.prefix(precision)) }
            return StringMethods.pad(body, width: width, fill: String(fill), align: align ?? "<")
        } else if type == "d" || type == "n" || (type == nil && value.intValue != nil) {
            guard case .int(let n) = value else { throw unknown(String(type ?? "d")) }
            negative = n < 0
            body = group(String(n.magnitude), grouping)
        } else if let t = type, "xXob".contains(t) {
            guard let n = value.intValue, value.doubleValue != nil, !(value.intValue == nil) else { throw unknown(String(t)) }
            negative = n < 0
            let radix = t == "o" ? 8 : (t == "b" ? 2 : 16)
            body = String(n.magnitude, radix: radix, uppercase: t == "X")
            if alternate { body = "0" + String(t) + body }
        } else if type == nil || "fFeEgG%".contains(type!) {
            guard let d = value.doubleValue else { throw unknown(type.map(String.init) ?? "") }
            negative = d < 0 || (d == 0 && d.sign == .minus)
            let magnitude = abs(d)
            switch type {
            case nil:
                body = precision.map { String(format: "%.\($0)g", magnitude) } ?? Value.pythonFloatRepr(magnitude)
            case "%":
                body = String(format: "%.\(precision ?? 6)f", magnitude * 100) + "%"
            default:
                body = String(format: "%\(alternate ? "#" : "").\(precision ?? 6)\(type!)", magnitude)
            }
            if grouping != nil {
                let dot = body.firstIndex(where: { !$0.isNumber }) ?? body.endIndex
                body = group(String(body[..<dot]), grouping) + body[dot...]
            }
        } else {
            throw unknown(String(type!))
        }
        let signText = negative ? "-" : (sign == "+" ? "+" : (sign == " " ? " " : ""))
        if align == "=" {
            let padCount = max(0, width - signText.count - body.count)
            return signText + String(repeating: fill, count: padCount) + body
        }
        return StringMethods.pad(signText + body, width: width, fill: String(fill), align: align ?? ">")
    }

    private static func group(_ digits: String, _ separator: Character?) -> String {
        guard let separator else { return digits }
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(separator) }
            out.append(ch)
        }
        return out
    }
}
